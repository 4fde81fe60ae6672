/*
** comm, as Linux's comm_write (fs/proc/base.c): the first 15 bytes of the
** write, up to a NUL, become the thread's name (a trailing newline is kept,
** an empty write empties it); only a thread of the same group may rename
** it, others get EINVAL, and a task that is gone ESRCH before that.  The
** whole count is reported written when it succeeds.
*/
#include "write/write.h"

#include <errno.h>
#include <string.h>

#define TASK_COMM_LEN 16

struct rename {
	char name[TASK_COMM_LEN];
	int same_group;       /* the writer is a thread of the task's group */
};

static ssize_t set_comm(void *arg, struct pl_task *t)
{
	const struct rename *r = arg;
	if (!r->same_group)
		return -EINVAL;
	memset(t->comm, 0, sizeof t->comm);
	memcpy(t->comm, r->name, strlen(r->name)); /* set_task_comm copies up to a NUL */
	return 0;
}

ssize_t pl_write_comm(const struct pl_write *w)
{
	struct rename r = { { 0 }, w->writer_tgid != 0 && w->writer_tgid == w->tgid };
	memcpy(r.name, w->buf, w->len < TASK_COMM_LEN - 1 ? w->len : TASK_COMM_LEN - 1);
	ssize_t rc = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_STAT, set_comm, &r);
	return rc < 0 ? rc : (ssize_t)w->len;
}
