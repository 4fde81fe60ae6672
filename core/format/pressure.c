/*
** pressure/{cpu,memory,io}: kernel/sched/psi.c psi_show, a "some" and a
** "full" line of averages (percent, two decimals) and the total stall
** time in microseconds.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

static const char *const avg_names[3] = { "avg10", "avg60", "avg300" };

static void put_line(const char *kind, const struct pl_psi_line *l, struct pl_buf *out)
{
	pl_buf_puts(out, kind);
	for (int i = 0; i < 3; i++)
		pl_buf_printf(out, " %s=%llu.%02llu", avg_names[i], (unsigned long long)(l->avg_x100[i] / 100),
		              (unsigned long long)(l->avg_x100[i] % 100));
	pl_buf_printf(out, " total=%llu\n", (unsigned long long)l->total_us);
}

int pl_fmt_psi(const struct pl_psi *p, struct pl_buf *out)
{
	put_line("some", &p->some, out);
	if (p->has_full)
		put_line("full", &p->full, out);
	return pl_buf_status(out);
}

/* "name=" and a number without leading zeros */
static const char *scan_field(const char *p, const char *nl, const char *name, uint64_t *v)
{
	size_t n = strlen(name);
	if ((size_t)(nl - p) <= n + 1 || *p != ' ' || memcmp(p + 1, name, n) != 0 || p[n + 1] != '=')
		return NULL;
	p += n + 2;
	const char *q = pl_scan_u64(p, nl, v);
	return q && !(*p == '0' && q - p > 1) ? q : NULL;
}

static const char *scan_line(const char *p, const char *end, const char *kind, struct pl_psi_line *l)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || (size_t)(nl - p) < 4 || memcmp(p, kind, 4) != 0)
		return NULL;
	p += 4;
	for (int i = 0; i < 3; i++) {
		uint64_t whole, frac;
		if (!(p = scan_field(p, nl, avg_names[i], &whole)) || p + 3 > nl || *p != '.' ||
		    p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9')
			return NULL;
		frac = (uint64_t)(p[1] - '0') * 10 + (uint64_t)(p[2] - '0');
		if (whole > (UINT64_MAX - frac) / 100)
			return NULL;
		l->avg_x100[i] = whole * 100 + frac;
		p += 3;
	}
	if (!(p = scan_field(p, nl, "total", &l->total_us)) || p != nl)
		return NULL;
	return nl + 1;
}

int pl_parse_psi(const char *text, size_t len, struct pl_psi *out)
{
	const char *p = text, *end = text + len;
	memset(out, 0, sizeof *out);
	if (!(p = scan_line(p, end, "some", &out->some)))
		return -EINVAL;
	if (p < end) {
		if (!(p = scan_line(p, end, "full", &out->full)) || p != end)
			return -EINVAL;
		out->has_full = 1;
	}
	return 0;
}

#define PSI_PARSER(res, bit) \
	int pl_parse_psi_##res(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m) \
	{ \
		(void)a; /* numbers only */ \
		int rc = pl_parse_psi(text, len, &m->psi_##res); \
		if (rc == 0) \
			m->have |= bit; \
		return rc; \
	}
PSI_PARSER(cpu, PL_M_PSI_CPU)
PSI_PARSER(memory, PL_M_PSI_MEMORY)
PSI_PARSER(io, PL_M_PSI_IO)
