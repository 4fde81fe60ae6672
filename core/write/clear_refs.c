/*
** clear_refs of a world's task, as Linux's clear_refs_write
** (fs/proc/task_mmu.c): the first PROC_NUMBUF - 1 bytes of the write
** (the count reported is cut to them too), whitespace stripped, read by
** kstrtoint in base 10; 1 (every page), 2 (anonymous), 3 (file-mapped),
** 4 (soft-dirty bits) and 5 (the peak RSS) are taken, anything else is
** EINVAL (ERANGE past an int).  The task gone: ESRCH.  A task without mm
** (a zombie) takes the write and nothing happens.
**
** What the kernel clears, a world keeps no trace of (no referenced,
** young or soft-dirty bits; VmHWM as declared): the write is the
** kernel's answer and no change.
*/
#include "write/write.h"

#include <errno.h>
#include <string.h>

#include "write/kstrto.h"

enum { CLEAR_REFS_ALL = 1, CLEAR_REFS_LAST = 6 };

static ssize_t task_exists(void *arg, struct pl_task *t)
{
	(void)arg;
	(void)t;
	return 0;
}

ssize_t pl_write_clear_refs(const struct pl_write *w)
{
	char buffer[PL_PROC_NUMBUF] = { 0 };
	size_t count = w->len < sizeof buffer - 1 ? w->len : sizeof buffer - 1;
	memcpy(buffer, w->buf, count);
	int type;
	int rc = pl_kstrtoint(pl_strstrip(buffer), 10, &type);
	if (rc < 0)
		return rc;
	if (type < CLEAR_REFS_ALL || type >= CLEAR_REFS_LAST)
		return -EINVAL;
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, 0, task_exists, NULL);
	return n < 0 ? n : (ssize_t)count;
}
