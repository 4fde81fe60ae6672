/*
** children: Linux's children_seq_show (fs/proc/array.c).
*/
#include "format/format.h"

/* children: PL_F_CHILDREN.  "%d " per child of the thread, in list order. */
int pl_fmt_children(const struct pl_task *t, struct pl_buf *out)
{
	for (size_t i = 0; i < t->nchildren; i++) {
		pl_buf_i64(out, t->children[i]);
		pl_buf_putc(out, ' ');
	}
	return pl_buf_status(out);
}
