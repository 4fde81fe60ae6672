/*
** coredump_filter: Linux's proc_coredump_filter_read (fs/proc/base.c).
*/
#include <stdlib.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

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

/* The inverse, taken only when it prints back the same text. */
int pl_parse_coredump_filter(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	char hex[24], *end;
	if (len == 0) {
		t->coredump_filter = PL_COREDUMP_FILTER_NONE;
		return 0;
	}
	if (len >= sizeof hex)
		return pl_parse_fail(a, text, text);
	memcpy(hex, text, len);
	hex[len] = '\0';
	unsigned long v = strtoul(hex, &end, 16);
	if (end == hex || *end != '\n' || v >= PL_COREDUMP_FILTER_NONE)
		return pl_parse_fail(a, text, text);
	t->coredump_filter = (uint32_t)v;
	struct pl_buf b = PL_BUF_INIT;
	int same = pl_fmt_coredump_filter(t, &b) == 0 && b.len == len && !memcmp(b.data, text, len);
	pl_buf_free(&b);
	return same ? 0 : pl_parse_fail(a, text, text);
}
