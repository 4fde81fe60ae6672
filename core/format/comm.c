/*
** comm: Linux's comm_show (fs/proc/base.c).
*/
#include <string.h>

#include "format/format.h"

/* comm: the same name as stat's, unescaped, with a newline. */
int pl_fmt_comm(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_add(out, t->comm, strnlen(t->comm, PL_COMM_MAX));
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}
