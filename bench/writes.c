/*
** writes: the cost of writing a task's file, for several paths in one
** process, so the first (the kernel's own file) is the baseline of the
** others (the same file through a proclua mount).
**
**   writes [-n ITER] [-w WARMUP] PATH...
**
** For each PATH, two cases, each ITER timed operations after WARMUP (the
** ratio is to the first PATH of the same kind: mem or not):
**   write   one open(O_WRONLY) kept, then a pwrite at offset 0 per
**           operation: "100" and "200" in turn (oom_score_adj of the
**           process itself: allowed to any owner, either way), or for a
**           PATH ending in /mem one byte into this process's own buffer
**   echo    open(O_WRONLY|O_TRUNC) + write + close per operation, as a
**           shell's `echo 100 > PATH`
** Last, the floor of a write a child process carries out: a child made
** (the raw clone system call, as the daemon makes it), exiting, waited for.
** Output: a Markdown table, one row per path and case:
**   | path | case | median µs | mean µs | × the first path of its kind |
** Exit status 1 on any failed operation (the message says which).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static char target[64] = "a byte of this buffer is written through mem";

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int is_mem(const char *path)
{
	size_t n = strlen(path);
	return n >= 4 && strcmp(path + n - 4, "/mem") == 0;
}

static void fail(const char *what, const char *path)
{
	fprintf(stderr, "writes: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

/* One write through fd (the value alternates with i). */
static void one_write(int fd, const char *path, long i)
{
	const char *v = i & 1 ? "200" : "100";
	ssize_t n = is_mem(path) ? pwrite(fd, i & 1 ? "b" : "a", 1, (off_t)(uintptr_t)target)
	                         : pwrite(fd, v, 3, 0);
	if (n < 0)
		fail("write", path);
}

static void one_echo(const char *path, long i)
{
	int fd = open(path, (is_mem(path) ? O_RDWR : O_WRONLY) | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		fail("open", path);
	if (is_mem(path)) {
		one_write(fd, path, i);
	} else if (write(fd, i & 1 ? "200\n" : "100\n", 4) < 0) {
		fail("write", path);
	}
	close(fd);
}

struct result {
	double median, mean;
};

static struct result run(const char *path, int echo, long iters, long warmup, uint64_t *ns)
{
	int fd = -1;
	if (!echo && (fd = open(path, (is_mem(path) ? O_RDWR : O_WRONLY) | O_CLOEXEC)) < 0)
		fail("open", path);
	for (long i = -warmup; i < iters; i++) {
		uint64_t t0 = now_ns();
		if (echo)
			one_echo(path, i);
		else
			one_write(fd, path, i);
		if (i >= 0)
			ns[i] = now_ns() - t0;
	}
	if (fd >= 0)
		close(fd);
	double sum = 0;
	for (long i = 0; i < iters; i++)
		sum += (double)ns[i];
	qsort(ns, (size_t)iters, sizeof *ns, cmp_u64);
	return (struct result){ ns[iters / 2] / 1e3, sum / (double)iters / 1e3 };
}

int main(int argc, char **argv)
{
	long iters = 1000, warmup = 100;
	int c;
	while ((c = getopt(argc, argv, "n:w:")) != -1) {
		if (c == 'n')
			iters = atol(optarg);
		else if (c == 'w')
			warmup = atol(optarg);
		else
			return 2;
	}
	if (optind >= argc || iters < 1 || warmup < 0) {
		fputs("usage: writes [-n ITER] [-w WARMUP] PATH...\n", stderr);
		return 2;
	}
	uint64_t *ns = malloc((size_t)iters * sizeof *ns);
	struct result base[2][2]; /* [mem][echo]: the first path of each kind */
	int have[2] = { 0, 0 };
	if (!ns)
		return 1;
	printf("| path | case | median µs | mean µs | × the first path of its kind (median) |\n"
	       "|---|---|---|---|---|\n");
	for (int p = optind; p < argc; p++) {
		int mem = is_mem(argv[p]);
		for (int echo = 0; echo < 2; echo++) {
			struct result r = run(argv[p], echo, iters, warmup, ns);
			if (!have[mem])
				base[mem][echo] = r;
			printf("| %s | %s | %.1f | %.1f | %.1f |\n", argv[p], echo ? "echo" : "write",
			       r.median, r.mean, r.median / base[mem][echo].median);
		}
		have[mem] = 1;
	}
	/* the floor of a write carried out by a child process: making one */
	for (long i = -warmup; i < iters; i++) {
		uint64_t t0 = now_ns();
		long pid = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
		if (pid == 0)
			syscall(SYS_exit_group, 0);
		if (pid < 0 || waitpid((pid_t)pid, NULL, 0) < 0)
			fail("clone", "a child");
		if (i >= 0)
			ns[i] = now_ns() - t0;
	}
	double sum = 0;
	for (long i = 0; i < iters; i++)
		sum += (double)ns[i];
	qsort(ns, (size_t)iters, sizeof *ns, cmp_u64);
	printf("| (a child process: clone, exit, wait) | | %.1f | %.1f | |\n", ns[iters / 2] / 1e3,
	       sum / (double)iters / 1e3);
	free(ns);
	return 0;
}
