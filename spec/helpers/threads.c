/*
** threads: a process with two threads, the second named "spec-worker",
** both waiting for signals forever.  To give fd/ and fdinfo/ something to
** show, it also holds open descriptors of several kinds: a pipe, a unix
** socket pair, an eventfd, an epoll instance watching the pipe, an inotify
** instance, a memfd, and a temporary file that has been unlinked.
**
**   threads [DIR]   DIR (default /tmp) is where the unlinked file and the
**                   inotify watch live.
**
** Prints "ready <tid of the worker>" on stdout once both threads are up.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ready_pipe[2];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void *worker(void *arg)
{
	pid_t tid = gettid();

	(void)arg;
	prctl(PR_SET_NAME, "spec-worker", 0, 0, 0);
	if (write(ready_pipe[1], &tid, sizeof tid) != sizeof tid)
		die("threads: write");
	for (;;)
		pause();
	return NULL;
}

static void open_descriptors(const char *dir)
{
	int p[2], s[2], ep, in, mfd, tfd;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };
	char tmpl[4096];

	if (pipe(p) < 0)
		die("threads: pipe");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s) < 0)
		die("threads: socketpair");
	if (eventfd(7, EFD_NONBLOCK) < 0)
		die("threads: eventfd");
	ep = epoll_create1(0);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) < 0)
		die("threads: epoll");
	in = inotify_init1(IN_NONBLOCK);
	if (in < 0 || inotify_add_watch(in, dir, IN_CREATE | IN_DELETE) < 0)
		die("threads: inotify");
	mfd = memfd_create("spec-memfd", 0);
	if (mfd < 0 || write(mfd, "memfd", 5) != 5)
		die("threads: memfd");
	snprintf(tmpl, sizeof tmpl, "%s/spec-unlinked.XXXXXX", dir);
	tfd = mkostemp(tmpl, O_APPEND);
	if (tfd < 0 || write(tfd, "unlinked", 8) != 8 || unlink(tmpl) < 0)
		die("threads: unlinked file");
}

int main(int argc, char **argv)
{
	pthread_t t;
	pid_t tid;

	open_descriptors(argc > 1 ? argv[1] : "/tmp");
	if (pipe(ready_pipe) < 0)
		die("threads: pipe");
	if (pthread_create(&t, NULL, worker, NULL) != 0)
		die("threads: pthread_create");
	if (read(ready_pipe[0], &tid, sizeof tid) != sizeof tid)
		die("threads: read");
	printf("ready %d\n", (int)tid);
	fflush(stdout);
	for (;;)
		pause();
}
