/*
** wchan: Linux's proc_pid_wchan (fs/proc/base.c).
*/
#include "format/format.h"

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
