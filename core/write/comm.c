/*
** comm, as Linux's comm_write (fs/proc/base.c): the first 15 bytes of the
** write, up to a NUL, become the thread's name (a trailing newline is kept);
** only a thread of the same group may rename it, others get EINVAL.  The
** whole count is reported written either way it succeeds.
*/
#include "write/write.h"

#include <errno.h>
#include <string.h>

#define TASK_COMM_LEN 16

static ssize_t set_comm(void *arg, struct pl_task *t)
{
	const char *name = arg;
	memset(t->comm, 0, sizeof t->comm);
	memcpy(t->comm, name, strlen(name));
	return 0;
}

ssize_t pl_write_comm(const struct pl_write *w)
{
	char name[TASK_COMM_LEN] = { 0 };
	size_t n = w->len < TASK_COMM_LEN - 1 ? w->len : TASK_COMM_LEN - 1;
	memcpy(name, w->buf, n); /* set_task_comm copies up to a NUL */
	if (w->writer_tgid == 0 || w->writer_tgid != w->tgid)
		return -EINVAL;
	ssize_t rc = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_STAT, set_comm, name);
	return rc < 0 ? rc : (ssize_t)w->len;
}
