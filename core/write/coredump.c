/*
** coredump_filter, as Linux's proc_coredump_filter_write: the value is
** parsed as kstrtouint_from_user does with base 0 (an optional '+', then
** decimal, 0-prefixed octal or 0x-prefixed hex, one optional trailing
** newline, from at most the first 34 bytes), and its low MMF_DUMP_FILTER_BITS bits
** replace the address space's filter.  A task without one is ESRCH.
*/
#include "write/write.h"

#include <errno.h>
#include <string.h>

#include "write/kstrto.h"

#define DUMP_FILTER_BITS 9

static ssize_t set_filter(void *arg, struct pl_task *t)
{
	if (!t->has_mm || t->coredump_filter == PL_COREDUMP_FILTER_NONE)
		return -ESRCH; /* get_task_mm finds none */
	t->coredump_filter = *(const uint32_t *)arg & ((1u << DUMP_FILTER_BITS) - 1);
	return 0;
}

ssize_t pl_write_coredump_filter(const struct pl_write *w)
{
	unsigned v;
	int rc = pl_kstrtouint_from_user(w->buf, w->len, 0, &v);
	if (rc < 0)
		return rc;
	uint32_t val = v;
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_OOM | PL_F_STATUS,
	                                set_filter, &val);
	return n < 0 ? n : (ssize_t)w->len;
}
