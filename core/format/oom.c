/*
** oom_score and oom_score_adj: Linux's proc_oom_score and
** oom_score_adj_read (fs/proc/base.c).
*/
#include <errno.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

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
** The parsers take a value only when the formatter prints it back as the
** same text, so a file they accept is served byte for byte.
*/
static int reprinted(const char *text, size_t len, struct pl_arena *a, const struct pl_task *t,
                     int (*fmt)(const struct pl_task *, struct pl_buf *))
{
	struct pl_buf b = PL_BUF_INIT;
	int same = fmt(t, &b) == 0 && b.len == len && memcmp(b.data, text, len) == 0;
	pl_buf_free(&b);
	return same ? 0 : pl_parse_fail(a, text, text);
}

int pl_parse_oom_score(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	uint64_t v;
	const char *end = pl_scan_u64(text, text + len, &v);
	if (!end || v > UINT32_MAX)
		return pl_parse_fail(a, text, text);
	t->oom_score = (uint32_t)v;
	return reprinted(text, len, a, t, pl_fmt_oom_score);
}

int pl_parse_oom_score_adj(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	uint64_t v;
	int neg = len > 0 && text[0] == '-';
	const char *end = pl_scan_u64(text + neg, text + len, &v);
	if (!end || v > 1000)
		return pl_parse_fail(a, text, text);
	t->oom_score_adj = neg ? -(int32_t)v : (int32_t)v;
	return reprinted(text, len, a, t, pl_fmt_oom_score_adj);
}

/*
** oom_adj: PL_F_OOM.  The legacy scale oom_adj_read derives from
** oom_score_adj: OOM_ADJUST_MAX (15) for the maximum, else the value times
** -OOM_DISABLE (17) over 1000, truncated as C divides, and at most 15.
*/
int pl_fmt_oom_adj(const struct pl_task *t, struct pl_buf *out)
{
	int adj = (int16_t)t->oom_score_adj;
	int legacy = adj == 1000 ? 15 : adj * 17 / 1000;
	pl_buf_i64(out, legacy > 15 ? 15 : legacy);
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}

/* A saved oom_adj: kept when the oom_score_adj already read shows it,
** else the smallest oom_score_adj that shows it (the scaling loses the
** rest; oom_adj_write's own mapping does not always read back). */
int pl_parse_oom_adj(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	uint64_t v;
	int neg = len > 0 && text[0] == '-';
	const char *end = pl_scan_u64(text + neg, text + len, &v);
	if (!end || v > 17 || (!neg && v > 15))
		return pl_parse_fail(a, text, text);
	int adj = neg ? -(int)v : (int)v;
	struct pl_buf b = PL_BUF_INIT;
	int shown = pl_fmt_oom_adj(t, &b) == 0 && b.len == len && memcmp(b.data, text, len) == 0;
	pl_buf_free(&b);
	if (!shown) {
		int mag = ((neg ? -adj : adj) * 1000 + 16) / 17; /* ceil(|adj| * 1000 / 17) */
		t->oom_score_adj = neg ? -mag : mag;
	}
	return pl_parse_reprints(text, len, a, t, pl_fmt_oom_adj);
}
