/*
** limits: Linux's proc_pid_limits (fs/proc/base.c) and its inverse.
**
** The kernel prints a fixed-width table with "%-25s %-20s %-20s %-10s\n";
** a limit without a unit (nice, realtime priority) ends after the hard
** limit's padding and its separating space, so those lines keep trailing
** blanks.  Numbers wider than their column push the rest right, as printf's
** minimum widths do.
*/
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

#define RLIM_INFINITY UINT64_MAX

struct limit_name {
	const char *name, *unit; /* unit NULL: no units column */
};

/* Indexed by RLIMIT_*: the order the kernel prints. */
static const struct limit_name lnames[PL_RLIM_NLIMITS] = {
	{ "Max cpu time", "seconds" },
	{ "Max file size", "bytes" },
	{ "Max data size", "bytes" },
	{ "Max stack size", "bytes" },
	{ "Max core file size", "bytes" },
	{ "Max resident set", "bytes" },
	{ "Max processes", "processes" },
	{ "Max open files", "files" },
	{ "Max locked memory", "bytes" },
	{ "Max address space", "bytes" },
	{ "Max file locks", "locks" },
	{ "Max pending signals", "signals" },
	{ "Max msgqueue size", "bytes" },
	{ "Max nice priority", NULL },
	{ "Max realtime priority", NULL },
	{ "Max realtime timeout", "us" },
};

static const char header[] =
	"Limit                     Soft Limit           Hard Limit           Units     \n";

/* "%-*s": s, then blanks up to width. */
static void put_left(struct pl_buf *b, const char *s, size_t n, size_t width)
{
	pl_buf_add(b, s, n);
	for (; n < width; n++)
		pl_buf_putc(b, ' ');
}

/* One limit value in a column of `width`, then the separating space. */
static void put_limit(struct pl_buf *b, uint64_t v, size_t width)
{
	char tmp[20];
	size_t i = sizeof tmp;
	if (v == RLIM_INFINITY) {
		put_left(b, "unlimited", 9, width);
	} else {
		do {
			tmp[--i] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		put_left(b, tmp + i, sizeof tmp - i, width);
	}
	pl_buf_putc(b, ' ');
}

/* PL_F_LIMITS. */
int pl_fmt_limits(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_add(out, header, sizeof header - 1);
	for (int i = 0; i < PL_RLIM_NLIMITS; i++) {
		const struct limit_name *l = &lnames[i];
		put_left(out, l->name, strlen(l->name), 25);
		pl_buf_putc(out, ' ');
		put_limit(out, t->rlim[i].cur, 20);
		put_limit(out, t->rlim[i].max, 20);
		if (l->unit)
			put_left(out, l->unit, strlen(l->unit), 10);
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* "unlimited" or a decimal, then at least one blank or the end of line. */
static const char *scan_limit(const char *p, const char *end, uint64_t *v)
{
	if ((size_t)(end - p) >= 9 && !memcmp(p, "unlimited", 9)) {
		*v = RLIM_INFINITY;
		p += 9;
	} else if (!(p = pl_scan_u64(p, end, v))) {
		return NULL;
	}
	return p < end && *p == ' ' ? p : NULL;
}

/* Line i of the table: its name, two limits, its unit (or nothing). */
static int parse_limit_line(const char *p, const char *end, int i, struct pl_task *t)
{
	const struct limit_name *l = &lnames[i];
	size_t n = strlen(l->name);
	if ((size_t)(end - p) <= n || memcmp(p, l->name, n) || p[n] != ' ')
		return -EINVAL;
	p = scan_limit(skip_blanks(p + n, end), end, &t->rlim[i].cur);
	if (p)
		p = scan_limit(skip_blanks(p, end), end, &t->rlim[i].max);
	if (!p)
		return -EINVAL;
	p = skip_blanks(p, end);
	const char *u = p;
	while (p < end && *p != ' ')
		p++;
	size_t un = (size_t)(p - u);
	if (l->unit ? un != strlen(l->unit) || memcmp(u, l->unit, un) : un != 0)
		return -EINVAL;
	return skip_blanks(p, end) == end ? 0 : -EINVAL;
}

/* Fill PL_F_LIMITS from the host's limits: header, then RLIM_NLIMITS rows. */
int pl_parse_limits(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = text, *end = text + len;
	if (len < sizeof header - 1 || memcmp(p, header, sizeof header - 1))
		return pl_parse_fail(a, text, text);
	p += sizeof header - 1;
	for (int i = 0; i < PL_RLIM_NLIMITS; i++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol || parse_limit_line(p, eol, i, t) < 0)
			return pl_parse_fail(a, text, p);
		p = eol + 1;
	}
	if (p != end)
		return pl_parse_fail(a, text, p);
	t->have |= PL_F_LIMITS;
	return 0;
}
