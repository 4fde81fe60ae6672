/*
** coredump_filter: Linux's proc_coredump_filter_read (fs/proc/base.c).
*/
#include "format/format.h"

/*
** coredump_filter: PL_F_OOM.  "%08lx\n" of the mm's dump-filter bits; a
** task without mm (kernel thread, zombie) reads empty.
*/
int pl_fmt_coredump_filter(const struct pl_task *t, struct pl_buf *out)
{
	if (t->coredump_filter != PL_COREDUMP_FILTER_NONE)
		pl_buf_printf(out, "%08x\n", (unsigned)t->coredump_filter);
	return pl_buf_status(out);
}
