/*
** zoneinfo: mm/vmstat.c's zoneinfo_show_print, for each zone of each node
**   Node N, zone NAME                 (the name in 8 columns)
**     per-node stats                  (the node's first populated zone)
**         name value                  (a counter: the name in 12 columns)
**     pages free     N
**           name     N                (boost, min, low, high, promo, ...:
**                                      the name in 8 columns)
**           protection: (a, b, ...)
** and, for a populated zone, its counters, its pagesets (a cpu's count,
** high, batch ... and the vm stats threshold), node_unreclaimable and
** start_pfn.  The names are the kernel's, kept as read: each kernel has
** its own list.  The numbers move between reads.
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/scan.h"

static void put_counters(const struct pl_counter *c, size_t n, const char *fmt, struct pl_buf *out)
{
	for (size_t i = 0; i < n; i++)
		pl_buf_printf(out, fmt, c[i].name, c[i].value);
}

static void put_zone(const struct pl_zone *z, struct pl_buf *out)
{
	pl_buf_printf(out, "Node %" PRId32 ", zone %8s", z->node, z->name);
	if (z->has_node_stats) {
		pl_buf_puts(out, "\n  per-node stats");
		put_counters(z->node_stats, z->nnode_stats, "\n      %-12s %" PRIu64, out);
	}
	for (size_t i = 0; i < z->npages; i++)
		pl_buf_printf(out, i == 0 ? "\n  pages %-8s %" PRIu64 : "\n        %-8s %" PRIu64,
		              z->pages[i].name, z->pages[i].value);
	pl_buf_puts(out, "\n        protection: (");
	for (size_t i = 0; i < z->nprotection; i++)
		pl_buf_printf(out, i ? ", %" PRId64 : "%" PRId64, z->protection[i]);
	pl_buf_putc(out, ')');
	if (!z->populated) {
		pl_buf_putc(out, '\n');
		return;
	}
	put_counters(z->stats, z->nstats, "\n      %-12s %" PRIu64, out);
	pl_buf_puts(out, "\n  pagesets");
	for (size_t i = 0; i < z->npagesets; i++) {
		const struct pl_pageset *p = &z->pagesets[i];
		pl_buf_printf(out, "\n    cpu: %" PRIu32, p->cpu);
		for (size_t k = 0; k < p->nfield; k++) {
			char label[40];
			snprintf(label, sizeof label, "%s:", p->field[k].name);
			pl_buf_printf(out, "\n              %-9s %" PRId32, label, (int32_t)p->field[k].value);
		}
		pl_buf_printf(out, "\n  vm stats threshold: %" PRId32, p->threshold);
	}
	pl_buf_printf(out, "\n  node_unreclaimable:  %" PRIu32 "\n  start_pfn:           %" PRIu64 "\n",
	              z->node_unreclaimable, z->start_pfn);
}

int pl_fmt_zoneinfo(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nzones; i++)
		put_zone(&m->zones[i], out);
	return pl_buf_status(out);
}

/* ---- parsing: line by line, each kind of line known by its indent ---- */

struct cursor {
	const char *p, *end;
	const char *line, *nl;     /* the current line */
};

static int next_line(struct cursor *c)
{
	if (c->p >= c->end)
		return 0;
	c->line = c->p;
	c->nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!c->nl)
		return -1;
	c->p = c->nl + 1;
	return 1;
}

/* Whether the line starts with exactly n spaces and then not a space. */
static int indented(const struct cursor *c, int n)
{
	if (c->nl - c->line <= n)
		return 0;
	for (int i = 0; i < n; i++)
		if (c->line[i] != ' ')
			return 0;
	return c->line[n] != ' ';
}

static int starts(const struct cursor *c, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(c->nl - c->line) >= n && memcmp(c->line, s, n) == 0;
}

/* "name value" after the indent (the name a word, any spaces, a number) */
static int name_value(struct pl_arena *a, const char *p, const char *nl, const char **name,
                      uint64_t *v)
{
	const char *e = p;
	while (e < nl && *e != ' ')
		e++;
	if (e == p || e == nl)
		return -EINVAL;
	if (!(*name = pl_arena_strndup(a, p, (size_t)(e - p))))
		return -ENOMEM;
	while (e < nl && *e == ' ')
		e++;
	return pl_scan_u64(e, nl, v) == nl ? 0 : -EINVAL;
}

/* Counters of `indent` spaces from the current line on, into a growing list;
** stops at the first line that is not one (left current). */
struct grow {
	struct pl_counter *v;
	size_t n, cap;
};

static int push(struct grow *g, const char *name, uint64_t value)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 32;
		struct pl_counter *v = realloc(g->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		g->v = v;
		g->cap = cap;
	}
	g->v[g->n].name = name;
	g->v[g->n].value = value;
	g->n++;
	return 0;
}

/* The list into the arena (freed from the heap). */
static int settle(struct pl_arena *a, struct grow *g, const struct pl_counter **out, size_t *n)
{
	struct pl_counter *v = g->n ? pl_arena_alloc(a, g->n * sizeof *v) : NULL;
	if (g->n && !v) {
		free(g->v);
		return -ENOMEM;
	}
	if (g->n)
		memcpy(v, g->v, g->n * sizeof *v);
	*out = v;
	*n = g->n;
	free(g->v);
	*g = (struct grow){ NULL, 0, 0 };
	return 0;
}

/* Counters "      name value" while the current line is one; have says
** whether a current line is left (1) or the text ended (0). */
static int counters(struct pl_arena *a, struct cursor *c, int *have, const struct pl_counter **out,
                    size_t *n)
{
	struct grow g = { NULL, 0, 0 };
	int rc = 0;
	while (*have == 1 && indented(c, 6)) {
		const char *name;
		uint64_t v;
		if ((rc = name_value(a, c->line + 6, c->nl, &name, &v)) < 0 || (rc = push(&g, name, v)) < 0)
			break;
		*have = next_line(c);
	}
	if (rc < 0) {
		free(g.v);
		return rc;
	}
	return settle(a, &g, out, n);
}

static int pagesets(struct pl_arena *a, struct cursor *c, int *have, struct pl_zone *z)
{
	struct pl_pageset *sets = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	while (rc == 0 && *have == 1 && starts(c, "    cpu: ")) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			struct pl_pageset *v = realloc(sets, cap * sizeof *v);
			if (!v) {
				rc = -ENOMEM;
				break;
			}
			sets = v;
		}
		struct pl_pageset *p = &sets[n];
		memset(p, 0, sizeof *p);
		uint64_t v;
		if (pl_scan_u64(c->line + 9, c->nl, &v) != c->nl || v > UINT32_MAX) {
			rc = -EINVAL;
			break;
		}
		p->cpu = (uint32_t)v;
		struct grow g = { NULL, 0, 0 };
		while ((*have = next_line(c)) == 1 && indented(c, 14)) {
			const char *q = c->line + 14, *colon = memchr(q, ':', (size_t)(c->nl - q));
			const char *name;
			if (!colon || colon == q || !(name = pl_arena_strndup(a, q, (size_t)(colon - q)))) {
				rc = colon && colon != q ? -ENOMEM : -EINVAL;
				break;
			}
			q = colon + 1;
			while (q < c->nl && *q == ' ')
				q++;
			/* an int, shown as the kernel's %i */
			int neg = q < c->nl && *q == '-';
			if (pl_scan_u64(q + neg, c->nl, &v) != c->nl || v > (uint64_t)INT32_MAX + neg) {
				rc = -EINVAL;
				break;
			}
			if ((rc = push(&g, name, neg ? (uint64_t)(int64_t)-(int64_t)v : v)) < 0)
				break;
		}
		if (rc == 0)
			rc = settle(a, &g, &p->field, &p->nfield);
		else
			free(g.v);
		if (rc < 0)
			break;
		int64_t t;
		char *e;
		if (*have != 1 || !starts(c, "  vm stats threshold: ")) {
			rc = -EINVAL;
			break;
		}
		t = strtoll(c->line + 22, &e, 10);
		if (e != c->nl || t < INT32_MIN || t > INT32_MAX) {
			rc = -EINVAL;
			break;
		}
		p->threshold = (int32_t)t;
		n++;
		*have = next_line(c);
	}
	if (rc == 0 && n) {
		struct pl_pageset *v = pl_arena_alloc(a, n * sizeof *v);
		if (!v)
			rc = -ENOMEM;
		else
			memcpy(v, sets, n * sizeof *v);
		z->pagesets = v;
	}
	z->npagesets = n;
	free(sets);
	return rc;
}

static int protection(struct pl_arena *a, const struct cursor *c, struct pl_zone *z)
{
	static const char head[] = "        protection: (";
	if (!starts(c, head) || c->nl[-1] != ')')
		return -EINVAL;
	const char *p = c->line + sizeof head - 1, *end = c->nl - 1;
	size_t n = 1;
	for (const char *q = p; q < end; q++)
		n += *q == ',';
	int64_t *v = pl_arena_alloc(a, n * sizeof *v);
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char *e;
		v[i] = strtoll(p, &e, 10);
		if (e == p || e > end || (i + 1 < n ? (end - e < 2 || e[0] != ',' || e[1] != ' ') : e != end))
			return -EINVAL;
		p = e + 2;
	}
	z->protection = v;
	z->nprotection = n;
	return 0;
}

static int zone(struct pl_arena *a, struct cursor *c, int *have, struct pl_zone *z)
{
	memset(z, 0, sizeof *z);
	uint64_t v;
	const char *p;
	if (!starts(c, "Node ") || !(p = pl_scan_u64(c->line + 5, c->nl, &v)) || v > INT32_MAX ||
	    c->nl - p < 7 || memcmp(p, ", zone ", 7) != 0)
		return -EINVAL;
	z->node = (int32_t)v;
	p += 7;
	while (p < c->nl && *p == ' ')
		p++;
	if (p == c->nl || memchr(p, ' ', (size_t)(c->nl - p)) ||
	    !(z->name = pl_arena_strndup(a, p, (size_t)(c->nl - p))))
		return -EINVAL;
	int rc;
	*have = next_line(c);
	if (*have == 1 && starts(c, "  per-node stats") && c->nl - c->line == 16) {
		z->has_node_stats = 1;
		*have = next_line(c);
		if ((rc = counters(a, c, have, &z->node_stats, &z->nnode_stats)) < 0)
			return rc;
	}
	if (*have != 1 || !starts(c, "  pages "))
		return -EINVAL;
	struct grow g = { NULL, 0, 0 };
	const char *name;
	rc = name_value(a, c->line + 8, c->nl, &name, &v);
	if (rc == 0)
		rc = push(&g, name, v);
	while (rc == 0 && (*have = next_line(c)) == 1 && indented(c, 8) && !starts(c, "        protection: ")) {
		if ((rc = name_value(a, c->line + 8, c->nl, &name, &v)) == 0)
			rc = push(&g, name, v);
	}
	if (rc < 0) {
		free(g.v);
		return rc;
	}
	if ((rc = settle(a, &g, &z->pages, &z->npages)) < 0)
		return rc;
	if (*have != 1 || (rc = protection(a, c, z)) < 0)
		return rc < 0 ? rc : -EINVAL;
	*have = next_line(c);
	if (*have != 1 || !indented(c, 6))
		return *have < 0 ? -EINVAL : 0;    /* unpopulated: the zone ends here */
	z->populated = 1;
	if ((rc = counters(a, c, have, &z->stats, &z->nstats)) < 0)
		return rc;
	if (*have != 1 || !starts(c, "  pagesets") || c->nl - c->line != 10)
		return -EINVAL;
	*have = next_line(c);
	if ((rc = pagesets(a, c, have, z)) < 0)
		return rc;
	char *e;
	if (*have != 1 || !starts(c, "  node_unreclaimable:  "))
		return -EINVAL;
	unsigned long long u = strtoull(c->line + 23, &e, 10);
	if (e != c->nl || u > UINT32_MAX)
		return -EINVAL;
	z->node_unreclaimable = (uint32_t)u;
	if ((*have = next_line(c)) != 1 || !starts(c, "  start_pfn:           ") ||
	    pl_scan_u64(c->line + 23, c->nl, &z->start_pfn) != c->nl)
		return -EINVAL;
	*have = next_line(c);
	return *have < 0 ? -EINVAL : 0;
}

int pl_parse_zoneinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	struct cursor c = { text, text + len, NULL, NULL };
	struct pl_zone *zones = NULL;
	size_t n = 0, cap = 0;
	int rc = 0, have = next_line(&c);
	while (rc == 0 && have == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			struct pl_zone *v = realloc(zones, cap * sizeof *v);
			if (!v) {
				rc = -ENOMEM;
				break;
			}
			zones = v;
		}
		const char *at = c.line;
		if ((rc = zone(a, &c, &have, &zones[n])) < 0) {
			if (rc == -EINVAL)
				rc = pl_parse_fail(a, text, c.line ? c.line : at);
			break;
		}
		n++;
	}
	if (rc == 0 && have < 0)
		rc = pl_parse_fail(a, text, c.p);
	struct pl_zone *v = NULL;
	if (rc == 0 && n && !(v = pl_arena_alloc(a, n * sizeof *v)))
		rc = -ENOMEM;
	if (rc == 0 && n)
		memcpy(v, zones, n * sizeof *v);
	free(zones);
	if (rc < 0)
		return rc;
	m->zones = v;
	m->nzones = n;
	/* the text must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	rc = pl_fmt_zoneinfo(m, &b);
	int same = rc == 0 && b.len == len && (len == 0 || memcmp(b.data, text, len) == 0);
	pl_buf_free(&b);
	if (!same) {
		m->zones = NULL;
		m->nzones = 0;
		return rc == -ENOMEM ? rc : pl_parse_fail(a, text, text);
	}
	m->have |= PL_M_ZONEINFO;
	return 0;
}
