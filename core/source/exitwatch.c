/*
** exitwatch: the proc connector's fork, exec and exit events, kept as three
** bits per pid number and per kind of name (see exitwatch.h for what they
** guarantee):
**
**   may[]    the task of this number is known alive: set by its fork (or
**            the listing at start), cleared by its exit;
**   given[]  a name of this number was cached since its last drop;
**   live[]   set with may[], cleared GRACE_MS after the exit's drop is
**            made (unless the number was forked again meanwhile): a task
**            that is gone with this set was walked to by a name kept past
**            its reap (pl_exitwatch_pending).  The grace is for requests
**            that walked the name before the drop and reach the daemon
**            after it; a directory held open from before the reap gets
**            ENOENT instead of Linux's ESRCH in that time only.
**
** For the root's names (/proc/<tgid>) `may` is set only for leaders: a fork
** event names the new task's tid and tgid, and the listing at start lists
** leaders only.  An exec from a thread replaces the leader: the old
** leader's exit is reported (its name dropped, its bit cleared), then the
** exec, which names the group again and sets the bit.
**
** Bits are atomic words, read and changed with sequentially consistent
** operations: a lookup stores `given` then loads `may`; an exit clears
** `may` then exchanges `given` for 0.  One of the two sees the other.
*/
#include "source/exitwatch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "format/scan.h"
#include "source/hostfd.h"

#define PID_LIMIT (1u << 22)            /* PID_MAX_LIMIT on 64-bit */
#define WORD_BITS 64
#define WORDS (PID_LIMIT / WORD_BITS)
#define ACK_WAIT_MS 1000
#define RCVBUF (4 << 20)                /* events of a burst of exits */
#define GRACE_MS 10
#define LATER_MAX 65536                 /* live[] bits waiting to be cleared */

enum { ROOT, TASK, KINDS };

struct pl_exitwatch {
	int sock;
	int root_fd;
	int stop_pipe[2];
	pthread_t thread;
	pl_exit_drop_fn drop;
	void *arg;
	_Atomic uint64_t *may[KINDS], *given[KINDS], *live[KINDS];
	/* the watch's thread's own: live[] bits to clear, in order of due time */
	struct later { pl_pid pid; int kind; int64_t due; } *later;
	size_t later_head, later_n;
};

static int valid(pl_pid pid)
{
	return pid > 0 && (uint32_t)pid < PID_LIMIT;
}

static void bit_set(_Atomic uint64_t *v, pl_pid pid)
{
	atomic_fetch_or(&v[pid / WORD_BITS], 1ull << (pid % WORD_BITS));
}

static int bit_clear(_Atomic uint64_t *v, pl_pid pid) /* was it set */
{
	uint64_t m = 1ull << (pid % WORD_BITS);
	return (atomic_fetch_and(&v[pid / WORD_BITS], ~m) & m) != 0;
}

static int bit_test(_Atomic uint64_t *v, pl_pid pid)
{
	return (atomic_load(&v[pid / WORD_BITS]) >> (pid % WORD_BITS)) & 1;
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void clear_live(struct pl_exitwatch *w, int kind, pl_pid pid)
{
	if (!bit_test(w->may[kind], pid)) /* else forked again: a new task's */
		bit_clear(w->live[kind], pid);
}

static void clear_live_later(struct pl_exitwatch *w, int kind, pl_pid pid)
{
	if (w->later_n == LATER_MAX) { /* the oldest goes early */
		struct later *o = &w->later[w->later_head];
		clear_live(w, o->kind, o->pid);
		w->later_head = (w->later_head + 1) % LATER_MAX;
		w->later_n--;
	}
	w->later[(w->later_head + w->later_n) % LATER_MAX] = (struct later){ pid, kind, now_ms() + GRACE_MS };
	w->later_n++;
}

/* Clears what is due; the milliseconds until the next, or -1. */
static int clear_due(struct pl_exitwatch *w)
{
	int64_t now = now_ms();
	while (w->later_n) {
		struct later *o = &w->later[w->later_head];
		if (o->due > now)
			return (int)(o->due - now);
		clear_live(w, o->kind, o->pid);
		w->later_head = (w->later_head + 1) % LATER_MAX;
		w->later_n--;
	}
	return -1;
}

int pl_exitwatch_may_cache(struct pl_exitwatch *w, pl_pid tgid, pl_pid tid)
{
	if (!w || !valid(tgid) || (tid && !valid(tid)))
		return 0;
	int kind = tid ? TASK : ROOT;
	pl_pid pid = tid ? tid : tgid;
	if (!bit_test(w->may[kind], pid) || (tid && !bit_test(w->may[ROOT], tgid)))
		return 0; /* not known alive: a zombie, or not yet seen; a thread is
		          ** dropped under its leader's name only */
	if (tid) /* what lost events drop: the root's name, and all beneath */
		bit_set(w->given[ROOT], tgid);
	bit_set(w->given[kind], pid);
	return bit_test(w->may[kind], pid);
}

int pl_exitwatch_pending(struct pl_exitwatch *w, pl_pid tgid, pl_pid tid)
{
	if (!w || !valid(tgid) || (tid && !valid(tid)))
		return 0;
	return tid ? bit_test(w->live[TASK], tid) : bit_test(w->live[ROOT], tgid);
}

/* ------------------------------------------------------------------------
** events
*/

static void exited(struct pl_exitwatch *w, pl_pid tid, pl_pid tgid)
{
	if (!valid(tid) || !valid(tgid))
		return;
	bit_clear(w->may[TASK], tid);
	if (tid == tgid) {
		bit_clear(w->may[ROOT], tgid);
		if (bit_clear(w->given[ROOT], tgid))
			w->drop(w->arg, tgid, 0);
		clear_live_later(w, ROOT, tgid);
	}
	if (bit_clear(w->given[TASK], tid))
		w->drop(w->arg, tgid, tid);
	clear_live_later(w, TASK, tid);
}

static void forked(struct pl_exitwatch *w, pl_pid tid, pl_pid tgid)
{
	if (!valid(tid) || !valid(tgid))
		return;
	bit_set(w->live[TASK], tid);
	bit_set(w->may[TASK], tid);
	if (tid == tgid) {
		bit_set(w->live[ROOT], tgid);
		bit_set(w->may[ROOT], tgid);
	}
}

/* Events were lost: what is cached may be stale, and what is marked alive
** may have exited unseen. */
static void lost(struct pl_exitwatch *w)
{
	for (int k = 0; k < KINDS; k++)
		for (size_t i = 0; i < WORDS; i++)
			atomic_store(&w->may[k][i], 0);
	for (size_t i = 0; i < WORDS; i++) {
		uint64_t v = atomic_exchange(&w->given[ROOT][i], 0);
		for (; v; v &= v - 1)
			w->drop(w->arg, (pl_pid)(i * WORD_BITS + (size_t)__builtin_ctzll(v)), 0);
	}
	for (int k = 0; k < KINDS; k++)
		for (size_t i = 0; i < WORDS; i++) {
			atomic_store(&w->given[k][i], 0);
			atomic_store(&w->live[k][i], 0);
		}
	w->later_n = 0;
}

static void handle(struct pl_exitwatch *w, const struct proc_event *ev)
{
	switch (ev->what) {
	case PROC_EVENT_FORK:
		forked(w, ev->event_data.fork.child_pid, ev->event_data.fork.child_tgid);
		break;
	case PROC_EVENT_EXEC: /* the group's leader again (after a thread's exec) */
		forked(w, ev->event_data.exec.process_pid, ev->event_data.exec.process_tgid);
		break;
	case PROC_EVENT_EXIT:
		exited(w, ev->event_data.exit.process_pid, ev->event_data.exit.process_tgid);
		break;
	default:
		break;
	}
}

/* The events of one datagram; 1 when it held an acknowledgement of a
** subscription, with *err its error. */
static int parse(struct pl_exitwatch *w, const char *buf, size_t len, int *err)
{
	int acked = 0;
	for (const struct nlmsghdr *nh = (const void *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
		if (nh->nlmsg_type == NLMSG_ERROR || nh->nlmsg_type == NLMSG_NOOP)
			continue;
		const struct cn_msg *cn = NLMSG_DATA(nh);
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof *cn) || cn->id.idx != CN_IDX_PROC ||
		    cn->id.val != CN_VAL_PROC ||
		    nh->nlmsg_len < NLMSG_LENGTH(sizeof *cn + sizeof(struct proc_event)))
			continue;
		/* the event follows a 36-byte header: copied out to be aligned */
		struct proc_event ev;
		memcpy(&ev, cn->data, sizeof ev);
		if (ev.what == PROC_EVENT_NONE) {
			if (cn->ack == 1) { /* our ack field, 0, plus one */
				acked = 1;
				*err = (int)ev.event_data.ack.err;
			}
			continue;
		}
		if (w)
			handle(w, &ev);
	}
	return acked;
}

static int send_op(int sock, enum proc_cn_mcast_op op)
{
	union {
		char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))];
		struct nlmsghdr align;
	} m;
	memset(&m, 0, sizeof m);
	struct nlmsghdr *nh = &m.align;
	nh->nlmsg_len = NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof op);
	nh->nlmsg_type = NLMSG_DONE;
	nh->nlmsg_pid = 0;
	struct cn_msg *cn = NLMSG_DATA(nh);
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof op;
	memcpy(cn->data, &op, sizeof op);
	return send(sock, nh, nh->nlmsg_len, 0) < 0 ? -errno : 0;
}

/*
** Subscribe and wait for the kernel's acknowledgement: a process it does
** not report to (another pid or user namespace) gets none, one without
** CAP_NET_ADMIN gets EPERM.  Events that come first are dropped: the
** listing made afterwards covers them (a task that exited is a zombie
** there, or gone).
*/
static int subscribe(int sock)
{
	int rc = send_op(sock, PROC_CN_MCAST_LISTEN);
	if (rc < 0)
		return rc;
	char buf[8192];
	for (int waited = 0; waited < ACK_WAIT_MS; waited += 10) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		if (poll(&p, 1, 10) <= 0)
			continue;
		ssize_t n;
		while ((n = recv(sock, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
			int err = 0;
			if (parse(NULL, buf, (size_t)n, &err))
				return err ? -err : 0;
		}
	}
	return -ETIMEDOUT;
}

/* ------------------------------------------------------------------------
** the listing at start
*/

/* A task that exited before the subscription is reported never: the
** listing leaves out what is already a zombie (or dead). */
static int running(int root_fd, const char *dir)
{
	char path[112], text[1024];
	if ((size_t)snprintf(path, sizeof path, "%s/stat", dir) >= sizeof path ||
	    pl_read_small(root_fd, path, text, sizeof text) <= 0)
		return 0;
	const char *p = strrchr(text, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X' && p[2] != 'x';
}

static void list_threads(struct pl_exitwatch *w, pl_pid tgid)
{
	char path[48];
	snprintf(path, sizeof path, "%d/task", (int)tgid);
	int fd = openat(w->root_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char *end, dir[96];
		long tid = strtol(e->d_name, &end, 10);
		if (*end || tid <= 0 || !valid((pl_pid)tid))
			continue;
		snprintf(dir, sizeof dir, "%s/%ld", path, tid);
		if (running(w->root_fd, dir)) {
			bit_set(w->live[TASK], (pl_pid)tid);
			bit_set(w->may[TASK], (pl_pid)tid);
		}
	}
	closedir(d);
}

/* Every task there is now; those that exit meanwhile are reported after
** (the socket holds their events until the thread reads them). */
static int list_tasks(struct pl_exitwatch *w)
{
	int fd = openat(w->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char *end;
		long tgid = strtol(e->d_name, &end, 10);
		if (*end || tgid <= 0 || !valid((pl_pid)tgid))
			continue;
		if (running(w->root_fd, e->d_name)) {
			bit_set(w->live[ROOT], (pl_pid)tgid);
			bit_set(w->may[ROOT], (pl_pid)tgid);
		}
		list_threads(w, (pl_pid)tgid);
	}
	closedir(d);
	return 0;
}

/* ------------------------------------------------------------------------
** the thread
*/

static void *run(void *arg)
{
	struct pl_exitwatch *w = arg;
	/* An exit is reported before the parent is woken to reap: the sooner
	** this thread runs, the likelier the name is dropped before the
	** reaper's next walk (only an O_PATH open finds it otherwise). */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), -20);
	static _Alignas(struct nlmsghdr) char buf[65536];
	struct pollfd p[2] = { { .fd = w->sock, .events = POLLIN }, { .fd = w->stop_pipe[0], .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, clear_due(w)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		ssize_t n;
		while ((n = recv(w->sock, buf, sizeof buf, MSG_DONTWAIT)) != 0) {
			if (n < 0) {
				if (errno == ENOBUFS) {
					lost(w);
					if (list_tasks(w) == 0)
						continue;
				}
				break;
			}
			int err;
			parse(w, buf, (size_t)n, &err);
		}
	}
	return NULL;
}

static _Atomic uint64_t *bits(void)
{
	return calloc(WORDS, sizeof(_Atomic uint64_t));
}

static void free_watch(struct pl_exitwatch *w)
{
	for (int k = 0; k < KINDS; k++) {
		free(w->may[k]);
		free(w->given[k]);
		free(w->live[k]);
	}
	free(w->later);
	if (w->sock >= 0)
		close(w->sock);
	if (w->stop_pipe[0] >= 0) {
		close(w->stop_pipe[0]);
		close(w->stop_pipe[1]);
	}
	free(w);
}

struct pl_exitwatch *pl_exitwatch_start(int root_fd, pl_exit_drop_fn drop, void *arg)
{
	const char *env = getenv("PROCLUA_EXITWATCH");
	if (env && strcmp(env, "0") == 0) {
		errno = ECANCELED;
		return NULL;
	}
	if (!pl_host_same_pid_ns(root_fd)) {
		errno = EXDEV;
		return NULL;
	}
	struct pl_exitwatch *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->sock = -1;
	w->stop_pipe[0] = w->stop_pipe[1] = -1;
	w->root_fd = root_fd;
	w->drop = drop;
	w->arg = arg;
	int rc = -ENOMEM;
	if (!(w->later = malloc(LATER_MAX * sizeof *w->later)))
		goto fail;
	for (int k = 0; k < KINDS; k++)
		if (!(w->may[k] = bits()) || !(w->given[k] = bits()) || !(w->live[k] = bits()))
			goto fail;
	w->sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (w->sock < 0)
		goto fail_errno;
	int size = RCVBUF;
	if (setsockopt(w->sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(w->sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	if (bind(w->sock, (struct sockaddr *)&sa, sizeof sa) < 0)
		goto fail_errno;
	if ((rc = subscribe(w->sock)) < 0)
		goto fail;
	if ((rc = list_tasks(w)) < 0)
		goto fail;
	if (pipe2(w->stop_pipe, O_CLOEXEC) < 0)
		goto fail_errno;
	if ((rc = -pthread_create(&w->thread, NULL, run, w)) < 0)
		goto fail;
	return w;
fail_errno:
	rc = -errno;
fail:
	if (w->sock >= 0)
		send_op(w->sock, PROC_CN_MCAST_IGNORE);
	free_watch(w);
	errno = -rc;
	return NULL;
}

void pl_exitwatch_stop(struct pl_exitwatch *w)
{
	if (!w)
		return;
	char c = 0;
	if (write(w->stop_pipe[1], &c, 1) == 1)
		pthread_join(w->thread, NULL);
	send_op(w->sock, PROC_CN_MCAST_IGNORE);
	free_watch(w);
}
