/*
** The relay: reads and writes of a process's own pipes opened through its
** fd/ (/dev/stdin, /dev/fd/63 of bash's <(...), /dev/stdout: object.c).
** The daemon holds its own open of the pipe, non-blocking; a read or write
** that can go on at once is served by the worker that took it.  One that
** must wait, as a pipe's read waits for data and its write for room, waits
** here instead, in one thread of its own that polls every waiting pipe,
** so no worker is ever held by a pipe that stays empty.  A wait ends as
** the pipe's would: with data (a read returns what there is), with all of
** a write's bytes taken, at end of file, on an error, or when the caller
** is interrupted (a signal: EINTR, or the count a write had made).  A
** write to a pipe with no reader fails EPIPE and, as Linux's pipe_write
** does, sends the writing thread SIGPIPE.  A caller that opened the file
** O_NONBLOCK is never made to wait: EAGAIN.  The thread starts with the
** first wait (until then the daemon has one task fewer for lsof to list).
*/
#include "pl_fuse.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WAITING_MAX 1024   /* waits at once, for all callers; past it: EAGAIN */
#define WAITING_PER_UID 64 /* and for one caller uid: a waiting write holds its
                              bytes (at most max_write, 1 MiB), a waiting read
                              nothing until there is data */

struct wait {
	struct wait *next;
	fuse_req_t req;
	int fd;
	int writing;
	uint32_t uid;              /* the caller's, whose waits are counted */
	char *data;                /* a write's bytes; a read's room once it can read */
	size_t size, done;         /* what is asked; what a write has made */
	pl_pid tgid, tid;          /* the writer, for SIGPIPE */
	int interrupted;
};

static struct {
	pthread_mutex_t lock;
	struct wait *head;
	size_t n;
	int wake;                  /* eventfd: a wait came or was interrupted */
	pthread_t thread;
	int enabled, running, stopping;
} relay = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = -1 };

static void poke(void)
{
	uint64_t one = 1;
	if (write(relay.wake, &one, sizeof one) < 0) {
		/* the counter is full: the thread has a wake-up to see already */
	}
}

/* A write's bytes from `done` on, as far as the pipe takes them now:
** 0 (all taken, or it would block) or -errno. */
static int write_some(int fd, const char *buf, size_t size, size_t *done)
{
	while (*done < size) {
		ssize_t n = write(fd, buf + *done, size - *done);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		*done += (size_t)n;
	}
	return 0;
}

/* Linux's pipe_write signals the writer of a pipe with no reader. */
static void broken_pipe(pl_pid tgid, pl_pid tid)
{
	if (tgid > 0 && tid > 0)
		syscall(SYS_tgkill, tgid, tid, SIGPIPE);
}

static void reply_write(fuse_req_t req, size_t done, int err, pl_pid tgid, pl_pid tid)
{
	if (err == -EPIPE)
		broken_pipe(tgid, tid);
	if (done || !err)
		fuse_reply_write(req, done);
	else
		fuse_reply_err(req, -err);
}

static void interrupted(fuse_req_t req, void *data)
{
	(void)req;
	struct wait *w = data;
	pthread_mutex_lock(&relay.lock);
	w->interrupted = 1;
	pthread_mutex_unlock(&relay.lock);
	poke();
}

/* Try a waiting read or write again: 1 when it is over (and answered). */
static int retry(struct wait *w, short revents)
{
	if (w->interrupted) {
		if (w->writing && w->done)
			fuse_reply_write(w->req, w->done);
		else
			fuse_reply_err(w->req, EINTR);
		return 1;
	}
	if (!revents)
		return 0;
	if (w->writing) {
		int rc = write_some(w->fd, w->data, w->size, &w->done);
		if (rc == 0 && w->done < w->size)
			return 0;
		reply_write(w->req, w->done, rc, w->tgid, w->tid);
		return 1;
	}
	if (!w->data && !(w->data = malloc(w->size ? w->size : 1))) {
		fuse_reply_err(w->req, ENOMEM);
		return 1;
	}
	ssize_t n = read(w->fd, w->data, w->size);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		fuse_reply_err(w->req, errno);
	else
		fuse_reply_buf(w->req, w->data, (size_t)n);
	return 1;
}

static void *run(void *arg)
{
	(void)arg;
	struct pollfd *p = NULL;
	struct wait **ws = NULL;
	size_t cap = 0;
	for (;;) {
		pthread_mutex_lock(&relay.lock);
		if (relay.stopping) {
			pthread_mutex_unlock(&relay.lock);
			break;
		}
		size_t n = relay.n + 1;
		if (n > cap) {
			struct pollfd *np = realloc(p, n * sizeof *p);
			struct wait **nw = np ? realloc(ws, n * sizeof *ws) : NULL;
			if (np)
				p = np;
			if (nw)
				ws = nw, cap = n;
		}
		size_t k = 0;
		p[k++] = (struct pollfd){ relay.wake, POLLIN, 0 };
		for (struct wait *w = relay.head; w && k < cap; w = w->next) {
			ws[k] = w;
			p[k++] = (struct pollfd){ w->fd, w->writing ? POLLOUT : POLLIN, 0 };
		}
		pthread_mutex_unlock(&relay.lock);
		if (poll(p, k, -1) < 0 && errno != EINTR)
			continue;
		if (p[0].revents) {
			uint64_t v;
			if (read(relay.wake, &v, sizeof v) < 0) {
				/* nothing to drain */
			}
		}
		for (size_t i = 1; i < k; i++) {
			struct wait *w = ws[i];
			/* past this, no interrupt callback runs for it, and none is
			** in flight (fuse_req_interrupt_func waits one out) */
			pthread_mutex_lock(&relay.lock);
			int stop = w->interrupted || p[i].revents;
			pthread_mutex_unlock(&relay.lock);
			if (!stop)
				continue;
			fuse_req_interrupt_func(w->req, NULL, NULL);
			if (!retry(w, p[i].revents)) {
				fuse_req_interrupt_func(w->req, interrupted, w);
				continue;
			}
			pthread_mutex_lock(&relay.lock);
			for (struct wait **q = &relay.head; *q; q = &(*q)->next)
				if (*q == w) {
					*q = w->next;
					relay.n--;
					break;
				}
			pthread_mutex_unlock(&relay.lock);
			free(w->data);
			free(w);
		}
	}
	/* the loop is over: whoever still waits is answered */
	pthread_mutex_lock(&relay.lock);
	while (relay.head) {
		struct wait *w = relay.head;
		relay.head = w->next;
		pthread_mutex_unlock(&relay.lock);
		fuse_req_interrupt_func(w->req, NULL, NULL);
		fuse_reply_err(w->req, EINTR);
		free(w->data);
		free(w);
		pthread_mutex_lock(&relay.lock);
	}
	relay.n = 0;
	pthread_mutex_unlock(&relay.lock);
	free(p);
	free(ws);
	return NULL;
}

/* Waits of uid; relay.lock held. */
static unsigned waits_of(uint32_t uid)
{
	unsigned n = 0;
	for (const struct wait *w = relay.head; w; w = w->next)
		n += w->uid == uid;
	return n;
}

/* Queue a wait: 0, or -errno when it cannot wait (the caller answers). */
static int queue(fuse_req_t req, int fd, int writing, char *data, size_t size, size_t done,
                 pl_pid tgid, pl_pid tid)
{
	struct wait *w = calloc(1, sizeof *w);
	if (!w)
		return -ENOMEM;
	uint32_t uid = fuse_req_ctx(req)->uid;
	*w = (struct wait){ NULL, req, fd, writing, uid, data, size, done, tgid, tid, 0 };
	pthread_mutex_lock(&relay.lock);
	if (relay.enabled && !relay.running && !relay.stopping &&
	    pthread_create(&relay.thread, NULL, run, NULL) == 0)
		relay.running = 1;
	int full = !relay.running || relay.stopping || relay.n >= WAITING_MAX ||
	           waits_of(uid) >= WAITING_PER_UID;
	if (!full) {
		w->next = relay.head;
		relay.head = w;
		relay.n++;
	}
	pthread_mutex_unlock(&relay.lock);
	if (full) {
		free(w);
		return -EAGAIN;
	}
	/* libfuse calls back at once if the request was interrupted already */
	fuse_req_interrupt_func(req, interrupted, w);
	poke();
	return 0;
}

void pl_relay_read(fuse_req_t req, struct pl_file *f, size_t size, int nonblock)
{
	int fd = pl_tree_relay_fd(f);
	struct pl_buf *b = pl_tree_reply_buffer(size); /* the worker's own */
	if (!b)
		return (void)fuse_reply_err(req, ENOMEM);
	ssize_t n = read(fd, b->data, size);
	if (n >= 0 || errno != EAGAIN || nonblock || pl_uring_thread()) {
		if (n < 0)
			fuse_reply_err(req, errno);
		else
			fuse_reply_buf(req, b->data, (size_t)n);
		pl_tree_request_done();
		return;
	}
	int rc = queue(req, fd, 0, NULL, size, 0, 0, 0);
	if (rc < 0)
		fuse_reply_err(req, -rc);
}

void pl_relay_write(fuse_req_t req, struct pl_file *f, struct pl_caller *c, const char *buf,
                    size_t size, int nonblock)
{
	int fd = pl_tree_relay_fd(f);
	size_t done = 0;
	int rc = write_some(fd, buf, size, &done);
	pl_caller_load(c);
	if (rc < 0 || done == size || nonblock || pl_uring_thread())
		return reply_write(req, done, rc ? rc : done ? 0 : -EAGAIN, c->tgid, c->pid);
	char *copy = malloc(size);
	if (!copy)
		return reply_write(req, done, -ENOMEM, 0, 0);
	memcpy(copy, buf, size);
	if ((rc = queue(req, fd, 1, copy, size, done, c->tgid, c->pid)) < 0) {
		free(copy);
		reply_write(req, done, rc, 0, 0);
	}
}

int pl_relay_start(void)
{
	relay.wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (relay.wake < 0)
		return -1;
	relay.enabled = 1;
	return 0;
}

void pl_relay_stop(void)
{
	if (!relay.enabled)
		return;
	pthread_mutex_lock(&relay.lock);
	relay.stopping = 1;
	int running = relay.running;
	pthread_mutex_unlock(&relay.lock);
	poke();
	if (running)
		pthread_join(relay.thread, NULL);
	relay.running = relay.enabled = 0;
	close(relay.wake);
	relay.wake = -1;
}
