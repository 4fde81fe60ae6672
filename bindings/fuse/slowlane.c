/*
** The slow lane: reads whose work copies another process's memory in (mem,
** and the first read of cmdline and environ), and writes that copy into it
** (a host task's mem), can block for as long as that memory takes to fault
** in, which a page backed by a FUSE file that never answers makes for
** ever.  At most PER_UID such reads run at a time for one
** caller uid: the worker that took a read serves it at once while its uid
** has a share free (no hand-off: a wake-up of another thread costs more
** than the read); past that the read waits in a queue that a pool of its
** own serves as the uid's reads finish.  So a stuck copy-in holds up only
** its own caller's reads of such files, and the FUSE workers go on
** answering every other request.  A read still queued when its caller is
** interrupted (a signal) is answered EINTR and not served.  The pool's
** threads start with the first read that must wait: until then the daemon
** has none (each thread of a process is one more task whose fd table lsof
** lists, and the daemon's table is large).
*/
#include "pl_fuse.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define PER_UID 2
#define QUEUE_MAX 1024
#define UIDS 64 /* uids with reads running at once, counted; more go uncounted */

struct job {
	struct job *next;
	fuse_req_t req;
	struct pl_tree *tree;
	struct pl_file *f;
	struct pl_caller caller;
	uint64_t off;
	size_t size;
	char *data;                /* a write's bytes (size of them); NULL: a read */
	int interrupted;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct job *head, **tail;
	size_t queued;
	struct { uint32_t uid; unsigned n; } running[UIDS];
	pthread_t threads[THREADS];
	int nthreads, enabled, stopping;
} lane = { .lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER };

/* Jobs running for uid; lane.lock held. */
static unsigned *running_for(uint32_t uid, int claim)
{
	for (int i = 0; i < UIDS; i++)
		if (lane.running[i].n && lane.running[i].uid == uid)
			return &lane.running[i].n;
	for (int i = 0; claim && i < UIDS; i++)
		if (!lane.running[i].n) {
			lane.running[i].uid = uid;
			return &lane.running[i].n;
		}
	return NULL;
}

/* A read of uid waits in the queue; lane.lock held. */
static int queued_for(uint32_t uid)
{
	for (const struct job *j = lane.head; j; j = j->next)
		if (j->caller.uid == uid)
			return 1;
	return 0;
}

/* The first queued job whose uid is under its share, unlinked; lane.lock held. */
static struct job *next_job(void)
{
	for (struct job **p = &lane.head; *p; p = &(*p)->next) {
		unsigned *n = running_for((*p)->caller.uid, 0);
		if (n && *n >= PER_UID && !(*p)->interrupted)
			continue;
		struct job *j = *p;
		*p = j->next;
		if (!*p)
			lane.tail = p;
		lane.queued--;
		return j;
	}
	return NULL;
}

static void serve(struct job *j)
{
	if (j->data) {
		ssize_t n = pl_tree_write(j->tree, &j->caller, j->f, j->off, j->data, j->size);
		if (n < 0)
			fuse_reply_err(j->req, (int)-n);
		else
			fuse_reply_write(j->req, (size_t)n);
		pl_tree_request_done();
		return;
	}
	struct pl_buf *b = pl_tree_reply_buffer(j->size);
	if (!b) {
		fuse_reply_err(j->req, ENOMEM);
		return;
	}
	const char *data;
	ssize_t n = pl_tree_read(j->tree, &j->caller, j->f, j->off, j->size, b->data, &data);
	if (n < 0)
		fuse_reply_err(j->req, (int)-n);
	else
		fuse_reply_buf(j->req, data, (size_t)n);
	pl_tree_request_done();
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lane.lock);
	for (;;) {
		struct job *j = NULL;
		while (!lane.stopping && !(j = next_job()))
			pthread_cond_wait(&lane.work, &lane.lock);
		if (!j)
			break;
		if (j->interrupted) {
			pthread_mutex_unlock(&lane.lock);
			fuse_req_interrupt_func(j->req, NULL, NULL); /* waits out a callback */
			fuse_reply_err(j->req, EINTR);
			free(j->data);
			free(j);
			pthread_mutex_lock(&lane.lock);
			continue;
		}
		unsigned *n = running_for(j->caller.uid, 1);
		if (n)
			++*n;
		pthread_mutex_unlock(&lane.lock);
		/* running: too late to drop it; waits out a callback in flight */
		fuse_req_interrupt_func(j->req, NULL, NULL);
		serve(j);
		pthread_mutex_lock(&lane.lock);
		if (n)
			--*n;
		free(j->data);
		free(j);
		if (lane.head) /* a uid's share may have freed */
			pthread_cond_broadcast(&lane.work);
	}
	pthread_mutex_unlock(&lane.lock);
	return NULL;
}

static void interrupted(fuse_req_t req, void *data)
{
	(void)req;
	struct job *j = data;
	pthread_mutex_lock(&lane.lock);
	j->interrupted = 1;
	pthread_cond_broadcast(&lane.work);
	pthread_mutex_unlock(&lane.lock);
}

/* The pool, on the first read that waits; lane.lock held.  0 when it runs. */
static int start_threads(void)
{
	for (int i = lane.nthreads; i < THREADS; i++) {
		if (pthread_create(&lane.threads[i], NULL, worker, NULL) != 0)
			break;
		lane.nthreads++;
	}
	return lane.nthreads ? 0 : -1;
}

int pl_slowlane_start(void)
{
	lane.tail = &lane.head;
	lane.enabled = 1;
	return 0;
}

int pl_slowlane_admit(fuse_req_t req, struct pl_tree *tree, struct pl_file *f,
                      const struct pl_caller *c, uint64_t off, size_t size, const char *data)
{
	if (!lane.enabled)
		return 1;
	pthread_mutex_lock(&lane.lock);
	unsigned *n = running_for(c->uid, 1);
	int now = !n || (*n < PER_UID && !queued_for(c->uid)); /* its queued reads first */
	if (n && now)
		++*n;
	pthread_mutex_unlock(&lane.lock);
	if (now)
		return 1;
	struct job *j = calloc(1, sizeof *j);
	char *copy = data ? malloc(size ? size : 1) : NULL; /* the request's buffer goes with its callback */
	if (!j || (data && !copy)) {
		free(j);
		free(copy);
		return -ENOMEM;
	}
	if (data && size)
		memcpy(copy, data, size);
	*j = (struct job){ NULL, req, tree, f, *c, off, size, copy, 0 };
	pthread_mutex_lock(&lane.lock);
	int full = lane.queued >= QUEUE_MAX || lane.stopping || start_threads() < 0;
	pthread_mutex_unlock(&lane.lock);
	if (full) {
		free(j->data);
		free(j);
		return -EAGAIN;
	}
	/* before the job can run (and be freed); libfuse calls back at once if
	** the request was interrupted already */
	fuse_req_interrupt_func(req, interrupted, j);
	pthread_mutex_lock(&lane.lock);
	*lane.tail = j;
	lane.tail = &j->next;
	lane.queued++;
	pthread_cond_broadcast(&lane.work);
	pthread_mutex_unlock(&lane.lock);
	return 0;
}

void pl_slowlane_done(uint32_t uid)
{
	if (!lane.enabled)
		return;
	pthread_mutex_lock(&lane.lock);
	unsigned *n = running_for(uid, 0);
	if (n && *n)
		--*n;
	if (lane.head) /* a queued read of uid may go; else wake no one */
		pthread_cond_broadcast(&lane.work);
	pthread_mutex_unlock(&lane.lock);
}

void pl_slowlane_stop(void)
{
	pthread_mutex_lock(&lane.lock);
	lane.stopping = 1;
	pthread_cond_broadcast(&lane.work);
	pthread_mutex_unlock(&lane.lock);
	for (int i = 0; i < lane.nthreads; i++)
		pthread_join(lane.threads[i], NULL);
	lane.nthreads = 0;
	lane.enabled = 0;
}
