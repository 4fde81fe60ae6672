/*
** comm: Linux's comm_show (fs/proc/base.c).
*/
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

/* comm: the same name as stat's, unescaped, with a newline. */
int pl_fmt_comm(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_add(out, t->comm, strnlen(t->comm, PL_COMM_MAX));
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}

/* The name and its newline; a saved tree's comm, where stat and status
** (which print it too) were not saved. */
int pl_parse_comm(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (len == 0 || len - 1 > PL_COMM_MAX || text[len - 1] != '\n' ||
	    memchr(text, '\0', len - 1))
		return pl_parse_fail(a, text, text);
	memset(t->comm, 0, sizeof t->comm);
	memcpy(t->comm, text, len - 1);
	return 0;
}
