/*
** lat: open + read-to-EOF + close latency of one file.
**
**   lat [-n ITER] [-w WARMUP] [-t THREADS] [-c CPULIST] [-b BUFSIZE]
**       [-l LABEL] [-m MIN_BYTES] PATH
**
**   -n ITER      timed operations per thread (default 2000)
**   -w WARMUP    untimed operations per thread first (default 200)
**   -t THREADS   reader threads, all reading PATH (default 1)
**   -c CPULIST   pin reader thread i to the i-th CPU of the list (cyclic),
**                e.g. "1" or "0,1"; default: not pinned
**   -b BUFSIZE   read(2) size (default 4096, as stdio and procps use)
**   -l LABEL     first column of the output line (default PATH)
**   -m MIN       fail unless every operation reads at least MIN bytes
**                (default 1: an empty read means the case is broken)
**
** One operation is open(O_RDONLY) + read() until it returns 0 + close(),
** timed with CLOCK_MONOTONIC around the three.  The threads start together
** after their warm-up (a barrier) and each times its own operations; the
** samples of all threads are pooled.
**
** Output, one tab-separated line on stdout:
**   LABEL  median_us  p99_us  mean_us  ops_per_s  threads  ops  bytes_per_op
** where ops_per_s is all threads' timed operations divided by the wall time
** from the barrier to the last thread's end (aggregate throughput).
** Exit status 1 on any error (the message says which operation failed).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct opts {
	long iters, warmup;
	int threads;
	size_t bufsize;
	long min_bytes;
	const char *label, *path;
	int cpus[256];
	int ncpus;
};

struct worker {
	pthread_t th;
	int idx;
	const struct opts *o;
	uint64_t *ns;           /* iters samples */
	long bytes;             /* bytes of the last operation */
	int err;                /* errno of a failure */
	const char *what;       /* which call failed */
	struct timespec end;
};

static pthread_barrier_t start_barrier;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One operation; returns bytes read or -1 with w->err/what set. */
static long one_op(struct worker *w, char *buf)
{
	int fd = open(w->o->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		w->err = errno, w->what = "open";
		return -1;
	}
	long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, w->o->bufsize);
		if (n < 0) {
			w->err = errno, w->what = "read";
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		total += n;
	}
	if (close(fd) < 0) {
		w->err = errno, w->what = "close";
		return -1;
	}
	return total;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	const struct opts *o = w->o;
	if (o->ncpus) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(o->cpus[w->idx % o->ncpus], &set);
		if (sched_setaffinity(0, sizeof set, &set) != 0) {
			w->err = errno, w->what = "sched_setaffinity";
			pthread_barrier_wait(&start_barrier);
			return NULL;
		}
	}
	char *buf = malloc(o->bufsize);
	if (!buf) {
		w->err = ENOMEM, w->what = "malloc";
		pthread_barrier_wait(&start_barrier);
		return NULL;
	}
	for (long i = 0; i < o->warmup && !w->err; i++)
		one_op(w, buf);
	pthread_barrier_wait(&start_barrier);
	for (long i = 0; i < o->iters && !w->err; i++) {
		uint64_t t0 = now_ns();
		long n = one_op(w, buf);
		uint64_t t1 = now_ns();
		if (n < 0)
			break;
		if (n < o->min_bytes) {
			w->err = EIO, w->what = "short content";
			break;
		}
		w->bytes = n;
		w->ns[i] = t1 - t0;
	}
	clock_gettime(CLOCK_MONOTONIC, &w->end);
	free(buf);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static uint64_t pct(const uint64_t *v, size_t n, double p)
{
	size_t r = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return v[r - 1];
}

static void usage(void)
{
	fprintf(stderr, "usage: lat [-n ITER] [-w WARMUP] [-t THREADS] [-c CPULIST] [-b BUFSIZE] "
	                "[-l LABEL] [-m MIN_BYTES] PATH\n");
	exit(2);
}

static int parse_cpus(const char *s, struct opts *o)
{
	char *copy = strdup(s), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long v = strtol(tok, &end, 10);
		if (*end || v < 0 || v >= CPU_SETSIZE || o->ncpus >= (int)(sizeof o->cpus / sizeof o->cpus[0])) {
			free(copy);
			return -1;
		}
		o->cpus[o->ncpus++] = (int)v;
	}
	free(copy);
	return o->ncpus ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct opts o = { .iters = 2000, .warmup = 200, .threads = 1, .bufsize = 4096, .min_bytes = 1 };
	int c;
	while ((c = getopt(argc, argv, "n:w:t:c:b:l:m:")) != -1) {
		switch (c) {
		case 'n': o.iters = atol(optarg); break;
		case 'w': o.warmup = atol(optarg); break;
		case 't': o.threads = atoi(optarg); break;
		case 'c': if (parse_cpus(optarg, &o) < 0) usage(); break;
		case 'b': o.bufsize = (size_t)atol(optarg); break;
		case 'l': o.label = optarg; break;
		case 'm': o.min_bytes = atol(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || o.iters < 1 || o.warmup < 0 || o.threads < 1 ||
	    o.threads > 1024 || o.bufsize < 1)
		usage();
	o.path = argv[optind];
	if (!o.label)
		o.label = o.path;

	struct worker *w = calloc((size_t)o.threads, sizeof *w);
	if (!w || pthread_barrier_init(&start_barrier, NULL, (unsigned)o.threads + 1) != 0) {
		perror("lat");
		return 1;
	}
	for (int i = 0; i < o.threads; i++) {
		w[i].idx = i;
		w[i].o = &o;
		w[i].ns = calloc((size_t)o.iters, sizeof *w[i].ns);
		if (!w[i].ns || pthread_create(&w[i].th, NULL, run, &w[i]) != 0) {
			perror("lat: thread");
			return 1;
		}
	}
	pthread_barrier_wait(&start_barrier);
	uint64_t t_start = now_ns();
	uint64_t t_end = t_start;
	for (int i = 0; i < o.threads; i++) {
		pthread_join(w[i].th, NULL);
		uint64_t e = (uint64_t)w[i].end.tv_sec * 1000000000u + (uint64_t)w[i].end.tv_nsec;
		if (e > t_end)
			t_end = e;
	}
	int failed = 0;
	for (int i = 0; i < o.threads; i++)
		if (w[i].err) {
			fprintf(stderr, "lat: %s: thread %d: %s: %s\n", o.path, i, w[i].what, strerror(w[i].err));
			failed = 1;
		}
	if (failed)
		return 1;

	size_t n = (size_t)o.iters * (size_t)o.threads;
	uint64_t *all = malloc(n * sizeof *all);
	if (!all) {
		perror("lat");
		return 1;
	}
	double sum = 0;
	for (int i = 0; i < o.threads; i++) {
		memcpy(all + (size_t)i * (size_t)o.iters, w[i].ns, (size_t)o.iters * sizeof *all);
		for (long j = 0; j < o.iters; j++)
			sum += (double)w[i].ns[j];
	}
	qsort(all, n, sizeof *all, cmp_u64);
	double wall = (double)(t_end - t_start) / 1e9;
	printf("%s\t%.2f\t%.2f\t%.2f\t%.0f\t%d\t%zu\t%ld\n", o.label,
	       (double)pct(all, n, 50) / 1e3, (double)pct(all, n, 99) / 1e3,
	       sum / (double)n / 1e3, wall > 0 ? (double)n / wall : 0.0, o.threads, n, w[0].bytes);
	return 0;
}
