/*
** wchan: Linux's proc_pid_wchan (fs/proc/base.c).
*/
#include <errno.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

/*
** wchan: PL_F_WCHAN.  proc_pid_wchan prints the symbol, without a newline,
** only to a reader that passes ptrace READ_FSCREDS; everyone else, and any
** task not blocked in a known function, gets "0".
*/
int pl_fmt_wchan(const struct pl_task *t, int permitted, struct pl_buf *out)
{
	const char *s = t->wchan;
	pl_buf_puts(out, permitted && s && *s ? s : "0");
	return pl_buf_status(out);
}

/* A symbol name (or "0"), printed without a newline. */
int pl_parse_wchan(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (len == 0 || memchr(text, '\n', len) || memchr(text, '\0', len))
		return pl_parse_fail(a, text, text);
	t->wchan = pl_arena_strndup(a, text, len);
	return t->wchan ? 0 : -ENOMEM;
}
