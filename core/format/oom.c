/*
** oom_score and oom_score_adj: Linux's proc_oom_score and
** oom_score_adj_read (fs/proc/base.c).
*/
#include "format/format.h"

/* oom_score: PL_F_OOM.  proc_oom_score prints the scaled badness, 0..2000. */
int pl_fmt_oom_score(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_u64(out, t->oom_score);
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}

/* oom_score_adj: PL_F_OOM.  The kernel keeps a short and prints "%hd\n". */
int pl_fmt_oom_score_adj(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_i64(out, (int16_t)t->oom_score_adj);
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}
