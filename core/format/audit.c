/*
** loginuid and sessionid: Linux's proc_loginuid_read and
** proc_sessionid_read (fs/proc/base.c).  Both print "%u" and no newline;
** an id never set reads as (u32)-1, 4294967295.
*/
#include "format/format.h"
#include "format/scan.h"

/* loginuid: PL_F_AUDIT, as the top names it (the tree maps it for a
** reader in a user namespace of its own). */
int pl_fmt_loginuid(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_u64(out, t->loginuid);
	return pl_buf_status(out);
}

/* sessionid: PL_F_AUDIT */
int pl_fmt_sessionid(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_u64(out, t->sessionid);
	return pl_buf_status(out);
}

static int parse_u32(const char *text, size_t len, struct pl_arena *a, uint32_t *v)
{
	uint64_t x;
	const char *end = pl_scan_u64(text, text + len, &x);
	if (!end || end != text + len || x > UINT32_MAX)
		return pl_parse_fail(a, text, text);
	*v = (uint32_t)x;
	return 0;
}

int pl_parse_loginuid(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	int rc = parse_u32(text, len, a, &t->loginuid);
	return rc < 0 ? rc : pl_parse_reprints(text, len, a, t, pl_fmt_loginuid);
}

int pl_parse_sessionid(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	int rc = parse_u32(text, len, a, &t->sessionid);
	return rc < 0 ? rc : pl_parse_reprints(text, len, a, t, pl_fmt_sessionid);
}
