/*
** readdir: time a full listing of one directory.
**
**   readdir [-n ITER] [-w WARMUP] [-b BUFSIZE] [-l LABEL] [-m MIN_ENTRIES] DIR
**
**   -n ITER      timed listings (default 5)
**   -w WARMUP    untimed listings first (default 1)
**   -b BUFSIZE   call getdents64(2) directly with a BUFSIZE-byte buffer
**                instead of readdir(3) (glibc's buffer is 32 KiB)
**   -l LABEL     first column of the output line (default DIR)
**   -m MIN       fail unless every listing has at least MIN entries
**                (default 1)
**
** One listing is opendir + readdir until NULL + closedir (or open +
** getdents64 until 0 + close with -b), timed with CLOCK_MONOTONIC around
** the whole; this is what `ls -f`, ps and top do before anything else.
**
** Output, one tab-separated line on stdout, the columns of bench/lat:
**   LABEL  median_us  max_us  mean_us  listings_per_s  1  ITER  entries  getdents_per_listing
** (max stands in lat's p99 column: ITER is small).  Exit status 1 on any
** error.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One listing: entries, or -1 (errno set).  *calls: getdents64 calls made
** (-b only; 0 with readdir(3), which does not say). */
static long list_once(const char *path, size_t bufsize, char *buf, long *calls)
{
	long n = 0;
	*calls = 0;
	if (!bufsize) {
		DIR *d = opendir(path);
		if (!d)
			return -1;
		errno = 0;
		while (readdir(d))
			n++;
		int err = errno;
		closedir(d);
		errno = err;
		return err ? -1 : n;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		long got = getdents64(fd, buf, bufsize);
		if (got < 0) {
			int err = errno;
			close(fd);
			errno = err;
			return -1;
		}
		++*calls;
		if (got == 0)
			break;
		for (long off = 0; off < got;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);
			off += e->d_reclen;
			n++;
		}
	}
	close(fd);
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void usage(void)
{
	fprintf(stderr, "usage: readdir [-n ITER] [-w WARMUP] [-b BUFSIZE] [-l LABEL] [-m MIN_ENTRIES] DIR\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long iters = 5, warmup = 1, min = 1;
	size_t bufsize = 0;
	const char *label = NULL;
	int c;
	while ((c = getopt(argc, argv, "n:w:b:l:m:")) != -1) {
		switch (c) {
		case 'n': iters = atol(optarg); break;
		case 'w': warmup = atol(optarg); break;
		case 'b': bufsize = (size_t)atol(optarg); break;
		case 'l': label = optarg; break;
		case 'm': min = atol(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || iters < 1 || warmup < 0)
		usage();
	const char *path = argv[optind];
	if (!label)
		label = path;
	char *buf = bufsize ? malloc(bufsize) : NULL;
	uint64_t *ns = calloc((size_t)iters, sizeof *ns);
	if ((bufsize && !buf) || !ns) {
		perror("readdir");
		return 1;
	}
	long entries = 0, calls = 0;
	for (long i = 0; i < warmup + iters; i++) {
		uint64_t t0 = now_ns();
		long n = list_once(path, bufsize, buf, &calls);
		uint64_t t1 = now_ns();
		if (n < 0) {
			fprintf(stderr, "readdir: %s: %s\n", path, strerror(errno));
			return 1;
		}
		if (n < min) {
			fprintf(stderr, "readdir: %s: %ld entries, fewer than %ld\n", path, n, min);
			return 1;
		}
		entries = n;
		if (i >= warmup)
			ns[i - warmup] = t1 - t0;
	}
	uint64_t sum = 0;
	for (long i = 0; i < iters; i++)
		sum += ns[i];
	qsort(ns, (size_t)iters, sizeof *ns, cmp_u64);
	double med = iters % 2 ? (double)ns[iters / 2] : ((double)ns[iters / 2 - 1] + (double)ns[iters / 2]) / 2;
	double mean = (double)sum / (double)iters;
	printf("%s\t%.1f\t%.1f\t%.1f\t%.1f\t1\t%ld\t%ld\t%ld\n", label, med / 1e3,
	       (double)ns[iters - 1] / 1e3, mean / 1e3, mean > 0 ? 1e9 / mean : 0.0, iters, entries, calls);
	free(buf);
	free(ns);
	return 0;
}
