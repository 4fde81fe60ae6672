/*
** Dropping what the kernel caches of a task when its source announces a
** change (a world's task became a zombie or vanished; see pl_source.h).
**
** The notifications go out from a thread of their own.  An announcement is
** made inside a request (a Lua file that zombifies a task), and
** fuse_lowlevel_notify_inval_entry takes the root directory's lock, which a
** concurrent LOOKUP in the root holds while it waits for its reply: on a
** single-threaded loop that reply would have to come from the very thread
** the notification blocks.  The announcer still waits for its change to be
** sent, so that once a Lua file has made a task vanish, no reader finds the
** task through a cached name; the wait is bounded, so the case above costs
** a delay, not a deadlock.
*/
#include "pl_fuse.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* How long an announcer waits for its change to reach the kernel. */
#define WAIT_NS 1000000000L

struct change {
	pl_pid tgid, tid;
};

struct pl_notifier {
	struct fuse_session *se;
	struct pl_served *served;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, sent;
	struct change *q;          /* pending, in order of announcement */
	size_t n, cap;
	uint64_t queued, done;     /* changes announced; changes sent */
	int stop;
};

static void inval_inode(void *arg, uint64_t ino)
{
	struct pl_notifier *nt = arg;
	/* negative offset: the attributes only (direct_io files keep no pages);
	** -ENOENT, an inode the kernel does not hold, is the common answer */
	fuse_lowlevel_notify_inval_inode(nt->se, pl_fuse_node(ino), -1, 0);
}

static void drop(struct pl_notifier *nt, struct change c)
{
	char name[16];
	int len = snprintf(name, sizeof name, "%d", (int)c.tid);
	/* the name in the root (the leader's /proc/<tgid>, a thread's hidden
	** /proc/<tid>): the kernel forgets every name beneath it too */
	fuse_lowlevel_notify_inval_entry(nt->se, FUSE_ROOT_ID, name, (size_t)len);
	/* attributes of inodes still held open */
	struct pl_generation *g = pl_served_enter(nt->served);
	pl_tree_each_task_ino(&g->tree, c.tgid, c.tid, inval_inode, nt);
	pl_served_leave(g);
}

static void *run(void *arg)
{
	struct pl_notifier *nt = arg;
	pthread_mutex_lock(&nt->lock);
	for (;;) {
		while (!nt->n && !nt->stop)
			pthread_cond_wait(&nt->wake, &nt->lock);
		if (nt->stop)
			break;
		struct change *q = nt->q;
		size_t n = nt->n;
		uint64_t upto = nt->queued;
		nt->q = NULL;
		nt->n = nt->cap = 0;
		pthread_mutex_unlock(&nt->lock);
		for (size_t i = 0; i < n; i++)
			drop(nt, q[i]);
		free(q);
		pthread_mutex_lock(&nt->lock);
		nt->done = upto;
		pthread_cond_broadcast(&nt->sent);
	}
	pthread_mutex_unlock(&nt->lock);
	return NULL;
}

struct pl_notifier *pl_notifier_start(struct fuse_session *se, struct pl_served *s)
{
	struct pl_notifier *nt = calloc(1, sizeof *nt);
	if (!nt)
		return NULL;
	nt->se = se;
	nt->served = s;
	pthread_mutex_init(&nt->lock, NULL);
	pthread_cond_init(&nt->wake, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&nt->sent, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&nt->thread, NULL, run, nt) != 0) {
		pthread_cond_destroy(&nt->sent);
		pthread_cond_destroy(&nt->wake);
		pthread_mutex_destroy(&nt->lock);
		free(nt);
		return NULL;
	}
	return nt;
}

void pl_notifier_changed(void *notifier, pl_pid tgid, pl_pid tid)
{
	struct pl_notifier *nt = notifier;
	pthread_mutex_lock(&nt->lock);
	if (nt->n == nt->cap) {
		size_t cap = nt->cap ? nt->cap * 2 : 16;
		struct change *q = realloc(nt->q, cap * sizeof *q);
		if (!q) { /* the kernel keeps the old entries until they time out */
			pthread_mutex_unlock(&nt->lock);
			fprintf(stderr, "proclua: out of memory: cached entries of task %d stay\n", (int)tid);
			return;
		}
		nt->q = q;
		nt->cap = cap;
	}
	nt->q[nt->n++] = (struct change){ tgid, tid };
	uint64_t ticket = ++nt->queued;
	pthread_cond_signal(&nt->wake);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += WAIT_NS % 1000000000L;
	until.tv_sec += WAIT_NS / 1000000000L + until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (nt->done < ticket && !nt->stop)
		if (pthread_cond_timedwait(&nt->sent, &nt->lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&nt->lock);
}

void pl_notifier_stop(struct pl_notifier *nt)
{
	if (!nt)
		return;
	pthread_mutex_lock(&nt->lock);
	nt->stop = 1;
	pthread_cond_signal(&nt->wake);
	pthread_mutex_unlock(&nt->lock);
	pthread_join(nt->thread, NULL);
	free(nt->q);
	pthread_cond_destroy(&nt->sent);
	pthread_cond_destroy(&nt->wake);
	pthread_mutex_destroy(&nt->lock);
	free(nt);
}
