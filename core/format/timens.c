/*
** timens_offsets: Linux's proc_timens_show_offsets (kernel/time/namespace.c),
** the offsets of the task's time namespace for children, one line per
** clock, CLOCK_MONOTONIC then CLOCK_BOOTTIME:
**
**   "%-10s %10lld %9ld\n"     name, seconds, nanoseconds
**
** and nothing for a task without namespaces (a zombie).
*/
#include <errno.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

static const char *const clock_names[PL_TIMENS_COUNT] = { "monotonic", "boottime" };

int pl_fmt_timens_offsets(const struct pl_task *t, struct pl_buf *out)
{
	for (int i = 0; !t->timens_none && i < PL_TIMENS_COUNT; i++)
		pl_buf_printf(out, "%-10s %10lld %9ld\n", clock_names[i], (long long)t->timens[i].sec,
		              (long)t->timens[i].nsec);
	return pl_buf_status(out);
}

/* Spaces, then a decimal integer (a '-' first if negative) at *p; advances. */
static int signed_at(const char **p, const char *end, int64_t *out)
{
	const char *q = *p;
	while (q < end && *q == ' ')
		q++;
	int neg = q < end && *q == '-';
	uint64_t v;
	const char *e = pl_scan_u64(q + neg, end, &v);
	if (!e || v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	*p = e;
	return 0;
}

int pl_parse_timens_offsets(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = text, *end = text + len;
	t->timens_none = len == 0;
	memset(t->timens, 0, sizeof t->timens);
	for (int i = 0; len && i < PL_TIMENS_COUNT; i++) {
		const char *at = p;
		size_t n = strlen(clock_names[i]);
		if ((size_t)(end - p) < n || memcmp(p, clock_names[i], n) != 0)
			return pl_parse_fail(a, text, at);
		p += n;
		if (signed_at(&p, end, &t->timens[i].sec) < 0 || signed_at(&p, end, &t->timens[i].nsec) < 0 ||
		    p == end || *p++ != '\n')
			return pl_parse_fail(a, text, at);
	}
	if (p != end)
		return pl_parse_fail(a, text, p);
	return pl_parse_reprints(text, len, a, t, pl_fmt_timens_offsets);
}
