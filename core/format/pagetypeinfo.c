/*
** pagetypeinfo (mode 0400): mm/vmstat.c's pagetypeinfo_show, for each
** node: the pageblock order and size, then the free blocks of each order
** of each migrate type of each populated zone ("Node %4d, zone %8s, type
** %12s", a count in 6 columns and a space each, ">" before a count the
** kernel stopped at), then the count of pageblocks of each migrate type
** of each zone.  (The mixed-blocks table of a kernel tracking page owners
** is not read: such text is refused.)
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/scan.h"

static const char free_head[] = "Free pages count per migrate type at order";
static const char blocks_head[] = "Number of blocks type ";

static void put_node(const struct pl_pagetype_node *n, struct pl_buf *out)
{
	pl_buf_printf(out, "Page block order: %" PRId32 "\nPages per block:  %" PRIu64 "\n\n",
	              n->block_order, n->pages_per_block);
	pl_buf_printf(out, "%-43s ", free_head);
	for (uint32_t o = 0; o < n->norders; o++)
		pl_buf_printf(out, "%6" PRIu32 " ", o);
	pl_buf_putc(out, '\n');
	for (size_t i = 0; i < n->nfree; i++) {
		const struct pl_pagetype_free *f = &n->free[i];
		pl_buf_printf(out, "Node %4" PRId32 ", zone %8s, type %12s ", n->node, f->zone, f->type);
		for (uint32_t o = 0; o < n->norders; o++)
			pl_buf_printf(out, "%s%6" PRIu64 " ", (f->over >> o & 1) ? ">" : "", f->count[o]);
		pl_buf_putc(out, '\n');
	}
	pl_buf_printf(out, "\n%-23s", blocks_head);
	for (uint32_t t = 0; t < n->ntypes; t++)
		pl_buf_printf(out, "%12s ", n->types[t]);
	pl_buf_putc(out, '\n');
	for (size_t i = 0; i < n->nblocks; i++) {
		const struct pl_pagetype_blocks *b = &n->blocks[i];
		pl_buf_printf(out, "Node %" PRId32 ", zone %8s ", n->node, b->zone);
		for (uint32_t t = 0; t < n->ntypes; t++)
			pl_buf_printf(out, "%12" PRIu64 " ", b->count[t]);
		pl_buf_putc(out, '\n');
	}
}

int pl_fmt_pagetypeinfo(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->npagetype; i++)
		put_node(&m->pagetype[i], out);
	return pl_buf_status(out);
}

/* ---- parsing: words of a line ---- */

#define MAX_WORDS 40
struct words {
	const char *w[MAX_WORDS];
	size_t len[MAX_WORDS];
	int n;
};

static int split(const char *p, const char *nl, struct words *ws)
{
	ws->n = 0;
	while (p < nl) {
		while (p < nl && *p == ' ')
			p++;
		if (p == nl)
			break;
		if (ws->n == MAX_WORDS)
			return -EINVAL;
		const char *e = p;
		while (e < nl && *e != ' ')
			e++;
		ws->w[ws->n] = p;
		ws->len[ws->n++] = (size_t)(e - p);
		p = e;
	}
	return 0;
}

static int word_is(const struct words *ws, int i, const char *s)
{
	return i < ws->n && ws->len[i] == strlen(s) && memcmp(ws->w[i], s, ws->len[i]) == 0;
}

static int word_u64(const struct words *ws, int i, uint64_t *v)
{
	return i < ws->n && pl_scan_u64(ws->w[i], ws->w[i] + ws->len[i], v) == ws->w[i] + ws->len[i]
	       ? 0 : -EINVAL;
}

struct lines {
	const char *p, *end, *line, *nl;
};

static int next(struct lines *l)
{
	if (l->p >= l->end)
		return 0;
	l->line = l->p;
	if (!(l->nl = memchr(l->p, '\n', (size_t)(l->end - l->p))))
		return -EINVAL;
	l->p = l->nl + 1;
	return 1;
}

static int starts(const struct lines *l, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(l->nl - l->line) >= n && memcmp(l->line, s, n) == 0;
}

/* "Node N, zone NAME" at words 0..3: the zone's name, in the arena */
static int node_zone(struct pl_arena *a, const struct words *ws, int32_t node, const char **zone)
{
	uint64_t v;
	if (!word_is(ws, 0, "Node") || ws->n < 4 || ws->len[1] < 2 || ws->w[1][ws->len[1] - 1] != ',' ||
	    pl_scan_u64(ws->w[1], ws->w[1] + ws->len[1] - 1, &v) != ws->w[1] + ws->len[1] - 1 ||
	    v != (uint64_t)node || !word_is(ws, 2, "zone"))
		return -EINVAL;
	size_t n = ws->len[3];
	if (n && ws->w[3][n - 1] == ',')
		n--;
	if (!n)
		return -EINVAL;
	return (*zone = pl_arena_strndup(a, ws->w[3], n)) ? 0 : -ENOMEM;
}

static int one_node(struct pl_arena *a, struct lines *l, int *have, struct pl_pagetype_node *n)
{
	memset(n, 0, sizeof *n);
	struct words ws;
	uint64_t v;
	if (*have != 1 || !starts(l, "Page block order: "))
		return -EINVAL;
	char *e;
	long long order = strtoll(l->line + 18, &e, 10);
	if (e != l->nl || order < INT32_MIN || order > INT32_MAX)
		return -EINVAL;
	n->block_order = (int32_t)order;
	if (next(l) != 1 || !starts(l, "Pages per block:  ") ||
	    pl_scan_u64(l->line + 18, l->nl, &n->pages_per_block) != l->nl)
		return -EINVAL;
	if (next(l) != 1 || l->nl != l->line || next(l) != 1 || !starts(l, free_head) ||
	    split(l->line + sizeof free_head - 1, l->nl, &ws) < 0)
		return -EINVAL;
	if (ws.n < 1 || ws.n > PL_BUDDY_ORDERS)
		return -EINVAL;
	n->norders = (uint32_t)ws.n;
	/* the free rows, up to the empty line */
	size_t cap = 0;
	struct pl_pagetype_free *rows = NULL;
	int rc = 0, first = 1;
	while (rc == 0 && (*have = next(l)) == 1 && l->nl != l->line) {
		if ((rc = split(l->line, l->nl, &ws)) < 0)
			break;
		if (first) {
			/* the node's id, as "Node %4d," prints it */
			if (ws.n < 2 || ws.len[1] < 2 ||
			    pl_scan_u64(ws.w[1], ws.w[1] + ws.len[1] - 1, &v) != ws.w[1] + ws.len[1] - 1 ||
			    v > INT32_MAX) {
				rc = -EINVAL;
				break;
			}
			n->node = (int32_t)v;
			first = 0;
		}
		if (n->nfree == cap) {
			cap = cap ? cap * 2 : 16;
			struct pl_pagetype_free *r = realloc(rows, cap * sizeof *r);
			if (!r) {
				rc = -ENOMEM;
				break;
			}
			rows = r;
		}
		struct pl_pagetype_free *f = &rows[n->nfree];
		memset(f, 0, sizeof *f);
		if ((rc = node_zone(a, &ws, n->node, &f->zone)) < 0)
			break;
		if (!word_is(&ws, 4, "type") || ws.n != 6 + (int)n->norders ||
		    !(f->type = pl_arena_strndup(a, ws.w[5], ws.len[5]))) {
			rc = ws.n == 6 + (int)n->norders && word_is(&ws, 4, "type") ? -ENOMEM : -EINVAL;
			break;
		}
		for (uint32_t o = 0; rc == 0 && o < n->norders; o++) {
			struct words one = ws;
			int i = 6 + (int)o;
			if (ws.len[i] && ws.w[i][0] == '>') {
				f->over |= 1u << o;
				one.w[i]++;
				one.len[i]--;
			}
			rc = word_u64(&one, i, &f->count[o]);
		}
		if (rc == 0)
			n->nfree++;
	}
	if (rc == 0 && n->nfree) {
		struct pl_pagetype_free *r = pl_arena_alloc(a, n->nfree * sizeof *r);
		if (r)
			memcpy(r, rows, n->nfree * sizeof *r);
		else
			rc = -ENOMEM;
		n->free = r;
	}
	free(rows);
	if (rc < 0)
		return rc;
	if (*have != 1 || next(l) != 1 || !starts(l, blocks_head) ||
	    split(l->line + sizeof blocks_head - 1, l->nl, &ws) < 0 || ws.n < 1 ||
	    ws.n > PL_MIGRATE_TYPES)
		return -EINVAL;
	n->ntypes = (uint32_t)ws.n;
	for (int t = 0; t < ws.n; t++)
		if (!(n->types[t] = pl_arena_strndup(a, ws.w[t], ws.len[t])))
			return -ENOMEM;
	struct pl_pagetype_blocks *blocks = NULL;
	cap = 0;
	while (rc == 0 && (*have = next(l)) == 1 && starts(l, "Node ")) {
		if ((rc = split(l->line, l->nl, &ws)) < 0)
			break;
		if (n->nblocks == cap) {
			cap = cap ? cap * 2 : 8;
			struct pl_pagetype_blocks *r = realloc(blocks, cap * sizeof *r);
			if (!r) {
				rc = -ENOMEM;
				break;
			}
			blocks = r;
		}
		struct pl_pagetype_blocks *b = &blocks[n->nblocks];
		memset(b, 0, sizeof *b);
		if ((rc = node_zone(a, &ws, n->node, &b->zone)) < 0)
			break;
		if (ws.n != 4 + (int)n->ntypes) {
			rc = -EINVAL;
			break;
		}
		for (uint32_t t = 0; rc == 0 && t < n->ntypes; t++)
			rc = word_u64(&ws, 4 + (int)t, &b->count[t]);
		if (rc == 0)
			n->nblocks++;
	}
	if (rc == 0 && n->nblocks) {
		struct pl_pagetype_blocks *r = pl_arena_alloc(a, n->nblocks * sizeof *r);
		if (r)
			memcpy(r, blocks, n->nblocks * sizeof *r);
		else
			rc = -ENOMEM;
		n->blocks = r;
	}
	free(blocks);
	return rc < 0 ? rc : *have < 0 ? -EINVAL : 0;
}

int pl_parse_pagetypeinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	struct lines l = { text, text + len, NULL, NULL };
	struct pl_pagetype_node nodes[64];
	size_t nn = 0;
	int rc = 0, have = next(&l);
	while (rc == 0 && have == 1) {
		if (nn == sizeof nodes / sizeof nodes[0])
			rc = -EINVAL;
		else if ((rc = one_node(a, &l, &have, &nodes[nn])) == 0)
			nn++;
	}
	if (rc == 0 && have < 0)
		rc = -EINVAL;
	if (rc < 0)
		return rc == -EINVAL ? pl_parse_fail(a, text, l.line ? l.line : text) : rc;
	struct pl_pagetype_node *v = nn ? pl_arena_alloc(a, nn * sizeof *v) : NULL;
	if (nn && !v)
		return -ENOMEM;
	if (nn)
		memcpy(v, nodes, nn * sizeof *v);
	m->pagetype = v;
	m->npagetype = nn;
	/* the text must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	rc = pl_fmt_pagetypeinfo(m, &b);
	int same = rc == 0 && b.len == len && (len == 0 || memcmp(b.data, text, len) == 0);
	pl_buf_free(&b);
	if (!same) {
		m->pagetype = NULL;
		m->npagetype = 0;
		return rc == -ENOMEM ? rc : pl_parse_fail(a, text, text);
	}
	m->have |= PL_M_PAGETYPEINFO;
	return 0;
}
