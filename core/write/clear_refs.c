/*
** clear_refs of a world's task, as Linux's clear_refs_write
** (fs/proc/task_mmu.c): the first PROC_NUMBUF - 1 bytes of the write
** (the count reported is cut to them too), whitespace stripped, read by
** kstrtoint in base 10; 1 (every page), 2 (anonymous), 3 (file-mapped),
** 4 (soft-dirty bits) and 5 (the peak RSS) are taken, anything else is
** EINVAL (ERANGE past an int).  The task gone: ESRCH.  A task without mm
** (a zombie) takes the write and nothing happens.
**
** 5 resets the peak RSS to the RSS now (reset_mm_hiwater_rss): the thread
** group's VmHWM shows VmRSS.  What 1 to 4 clear a world keeps no trace
** of (no referenced, young or soft-dirty bits): the kernel's answer and
** no change.
*/
#include "write/write.h"

#include <errno.h>
#include <string.h>

#include "write/kstrto.h"

enum { CLEAR_REFS_ALL = 1, CLEAR_REFS_MM_HIWATER_RSS = 5, CLEAR_REFS_LAST = 6 };

static ssize_t clear(void *arg, struct pl_task *t)
{
	if (*(const int *)arg == CLEAR_REFS_MM_HIWATER_RSS && t->has_mm)
		t->mm.hiwater_rss = t->mm.rss_anon + t->mm.rss_file + t->mm.rss_shmem;
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
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_STAT | PL_F_STATUS, clear, &type);
	return n < 0 ? n : (ssize_t)count;
}
