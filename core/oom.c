/*
** oom_score, oom_score_adj, coredump_filter, wchan and children: the small
** one-value files of fs/proc/base.c and fs/proc/array.c.
*/
#include "pl_fmt.h"

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

/*
** wchan: PL_F_WCHAN.  proc_pid_wchan prints the symbol, without a newline,
** only to a reader that passes ptrace READ_FSCREDS; everyone else, and any
** task not blocked in a known function, gets "0".
*/
int pl_fmt_wchan(const struct pl_task *t, const struct pl_view *v, struct pl_buf *out)
{
	const char *s = t->wchan;
	pl_buf_puts(out, v->permitted && s && *s ? s : "0");
	return pl_buf_status(out);
}

/* children: PL_F_CHILDREN.  "%d " per child of the thread, in list order. */
int pl_fmt_children(const struct pl_task *t, struct pl_buf *out)
{
	for (size_t i = 0; i < t->nchildren; i++) {
		pl_buf_i64(out, t->children[i]);
		pl_buf_putc(out, ' ');
	}
	return pl_buf_status(out);
}
