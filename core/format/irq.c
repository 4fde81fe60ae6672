/*
** interrupts and softirqs: a header of cpus ("CPU%-8d" each), then rows
** of a label right-aligned in a column, ':', and one " %10u" count per cpu.
** kernel/irq/proc.c show_interrupts sizes the label column to the number
** of irqs (3 columns below 1000) and ends each row with the text it
** composes from the chip, hwirq, trigger and handlers; arch_show_interrupts
** adds the per-cpu event rows (NMI, LOC, ...) and ERR, MIS with one count.
** fs/proc/softirqs.c uses a 12-column label and no text.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

#define SOFTIRQ_LABEL 12

static void put_cpus(const uint32_t *cpus, size_t n, size_t indent, struct pl_buf *out)
{
	pl_buf_printf(out, "%*s", (int)indent, "");
	for (size_t i = 0; i < n; i++)
		pl_buf_printf(out, "CPU%-8u", cpus[i]);
	pl_buf_putc(out, '\n');
}

static void put_rows(const struct pl_irq_row *rows, size_t n, unsigned width, struct pl_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct pl_irq_row *r = &rows[i];
		pl_buf_printf(out, "%*s:", (int)width, r->label);
		for (size_t k = 0; k < r->ncount; k++)
			pl_buf_printf(out, " %10llu", (unsigned long long)r->count[k]);
		pl_buf_puts(out, r->desc ? r->desc : "");
		pl_buf_putc(out, '\n');
	}
}

int pl_fmt_interrupts(const struct pl_machine *m, struct pl_buf *out)
{
	put_cpus(m->irq_cpus, m->nirq_cpus, m->irq_label_width + 8, out);
	put_rows(m->irqs, m->nirqs, m->irq_label_width, out);
	return pl_buf_status(out);
}

int pl_fmt_softirqs(const struct pl_machine *m, struct pl_buf *out)
{
	put_cpus(m->softirq_cpus, m->nsoftirq_cpus, SOFTIRQ_LABEL + 8, out);
	put_rows(m->softirqs, m->nsoftirqs, SOFTIRQ_LABEL, out);
	return pl_buf_status(out);
}

/* The header line [p, nl): its indent and the cpu numbers. */
static int scan_cpus(struct pl_arena *a, const char *p, const char *nl, size_t *indent,
                     const uint32_t **cpus, size_t *n)
{
	const char *s = p;
	while (p < nl && *p == ' ')
		p++;
	*indent = (size_t)(p - s);
	size_t count = 0, cap = 0;
	uint32_t *v = NULL;
	while (p < nl) {
		uint64_t cpu;
		const char *d = p + 3;
		if (nl - p < 4 || memcmp(p, "CPU", 3) != 0 || !(p = pl_scan_u64(d, nl, &cpu)) ||
		    cpu > UINT32_MAX || (*d == '0' && p - d > 1))
			return -EINVAL;
		size_t digits = (size_t)(p - d), pad = 0;
		for (; p < nl && *p == ' '; p++)
			pad++;
		if (digits + pad != (digits < 8 ? 8 : digits))
			return -EINVAL;
		if (!(v = pl_arena_grow(a, v, sizeof *v, &cap, count + 1)))
			return -ENOMEM;
		v[count++] = (uint32_t)cpu;
	}
	*cpus = v;
	*n = count;
	return 0;
}

/* One " %10u" count at p, or NULL where the row's counts end. */
static const char *scan_count(const char *p, const char *nl, uint64_t *v)
{
	if (p >= nl || *p != ' ')
		return NULL;
	const char *s = ++p;
	while (p < nl && *p == ' ')
		p++;
	const char *q = pl_scan_u64(p, nl, v);
	if (!q || (q < nl && *q != ' ') || (*p == '0' && q - p > 1))
		return NULL;
	size_t digits = (size_t)(q - p);
	return (size_t)(q - s) == (digits < 10 ? 10 : digits) ? q : NULL;
}

static int scan_rows(struct pl_arena *a, const char *p, const char *end, unsigned width,
                     int has_desc, const struct pl_irq_row **rows, size_t *nrows)
{
	size_t count = 0, cap = 0;
	struct pl_irq_row *v = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *colon = nl ? memchr(p, ':', (size_t)(nl - p)) : NULL;
		if (!colon)
			return -EINVAL;
		const char *l = p;
		while (l < colon && *l == ' ')
			l++;
		size_t len = (size_t)(colon - l);
		if (!len || (size_t)(colon - p) != (len < width ? width : len) || memchr(l, ' ', len))
			return -EINVAL;
		if (!(v = pl_arena_grow(a, v, sizeof *v, &cap, count + 1)))
			return -ENOMEM;
		struct pl_irq_row *r = &v[count++];
		memset(r, 0, sizeof *r);
		if (!(r->label = pl_arena_strndup(a, l, len)))
			return -ENOMEM;
		size_t ccap = 0;
		uint64_t *c = NULL, x;
		const char *q = colon + 1, *next;
		while ((next = scan_count(q, nl, &x))) {
			if (!(c = pl_arena_grow(a, c, sizeof *c, &ccap, r->ncount + 1)))
				return -ENOMEM;
			c[r->ncount++] = x;
			q = next;
		}
		r->count = c;
		if (q < nl) {
			if (!has_desc)
				return -EINVAL;
			if (!(r->desc = pl_arena_strndup(a, q, (size_t)(nl - q))))
				return -ENOMEM;
		}
		p = nl + 1;
	}
	*rows = v;
	*nrows = count;
	return 0;
}

int pl_parse_interrupts(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *end = text + len, *nl = memchr(text, '\n', len);
	size_t indent;
	if (!nl)
		return -EINVAL;
	int rc = scan_cpus(a, text, nl, &indent, &m->irq_cpus, &m->nirq_cpus);
	if (rc < 0)
		return rc;
	if (indent < 8 + 3)
		return -EINVAL;
	m->irq_label_width = (uint32_t)(indent - 8);
	if ((rc = scan_rows(a, nl + 1, end, m->irq_label_width, 1, &m->irqs, &m->nirqs)) < 0)
		return rc;
	m->have |= PL_M_INTERRUPTS;
	return 0;
}

int pl_parse_softirqs(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *end = text + len, *nl = memchr(text, '\n', len);
	size_t indent;
	if (!nl)
		return -EINVAL;
	int rc = scan_cpus(a, text, nl, &indent, &m->softirq_cpus, &m->nsoftirq_cpus);
	if (rc < 0)
		return rc;
	if (indent != SOFTIRQ_LABEL + 8)
		return -EINVAL;
	if ((rc = scan_rows(a, nl + 1, end, SOFTIRQ_LABEL, 0, &m->softirqs, &m->nsoftirqs)) < 0)
		return rc;
	m->have |= PL_M_SOFTIRQS;
	return 0;
}
