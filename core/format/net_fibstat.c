/*
** fib_triestat: the IPv4 routing tries' shapes (net/ipv4/fib_trie.c
** fib_triestat_seq_show, trie_show_stats): the sizes of a leaf and an
** inner node, then per table its name and its trie's depth, leaves,
** prefixes, inner nodes (and how many have each child-bits count),
** pointers, null pointers and size.  Each line is a record: its kind and
** its numbers, printed by the kind's template ("%u" a number; "%02u" one
** of two digits at least).
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

#define RT_TABLE_MAIN 254
#define RT_TABLE_LOCAL 255

static const char *const templates[PL_FIBSTAT_KINDS] = {
	[PL_FIBSTAT_BASIC] = "Basic info: size of leaf: %u bytes, size of tnode: %u bytes.",
	[PL_FIBSTAT_AVER] = "\tAver depth:     %u.%02u",
	[PL_FIBSTAT_MAX] = "\tMax depth:      %u",
	[PL_FIBSTAT_LEAVES] = "\tLeaves:         %u",
	[PL_FIBSTAT_PREFIXES] = "\tPrefixes:       %u",
	[PL_FIBSTAT_TNODES] = "\tInternal nodes: %u",
	[PL_FIBSTAT_POINTERS] = "\tPointers: %u",
	[PL_FIBSTAT_NULLS] = "Null ptrs: %u",
	[PL_FIBSTAT_TOTAL] = "Total size: %u  kB",
};

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net, (void)out;
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_fibstat *r = rec;
	if (r->kind == PL_FIBSTAT_TABLE) {
		if (r->v[0] == RT_TABLE_LOCAL)
			pl_buf_puts(out, "Local");
		else if (r->v[0] == RT_TABLE_MAIN)
			pl_buf_puts(out, "Main");
		else {
			pl_buf_puts(out, "Id ");
			put_d(out, (int32_t)r->v[0], 0);
		}
		pl_buf_puts(out, ":\n");
		return;
	}
	if (r->kind == PL_FIBSTAT_SIZES) { /* "  %u: %u" for each bits count in use */
		pl_buf_putc(out, '\t');
		for (unsigned i = 0; i + 1 < r->n; i += 2) {
			pl_buf_puts(out, "  ");
			put_u(out, r->v[i], 0);
			pl_buf_puts(out, ": ");
			put_u(out, r->v[i + 1], 0);
		}
		pl_buf_putc(out, '\n');
		return;
	}
	unsigned k = 0;
	for (const char *t = templates[r->kind]; *t; t++) {
		if (t[0] == '%' && t[1] == 'u') {
			put_u(out, k < r->n ? r->v[k] : 0, 0);
			k++, t++;
		} else if (strncmp(t, "%02u", 4) == 0) {
			uint32_t x = k < r->n ? r->v[k] : 0;
			if (x < 10)
				pl_buf_putc(out, '0');
			put_u(out, x, 0);
			k++, t += 3;
		} else {
			pl_buf_putc(out, *t);
		}
	}
	pl_buf_putc(out, '\n');
}

/* Line [line, nl) as kind's template: 0, or -1 not that kind. */
static int as_template(struct pl_fibstat *r, int kind, const char *line, const char *nl)
{
	struct cur c = { line, nl };
	r->kind = (uint8_t)kind;
	r->n = 0;
	for (const char *t = templates[kind]; *t && c.p; t++) {
		if (*t == '%') {
			if (c.p >= c.end || *c.p < '0' || *c.p > '9' || r->n == PL_FIBSTAT_MAX_VALUES)
				return -1;
			uint64_t x = cur_u(&c);
			if (x > UINT32_MAX)
				return -1;
			r->v[r->n++] = (uint32_t)x;
			t += t[1] == 'u' ? 1 : 3;
		} else {
			cur_ch(&c, *t);
		}
	}
	return c.p == nl ? 0 : -1;
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	(void)p;
	struct pl_fibstat *r = rec;
	size_t len = (size_t)(nl - line);
	if ((len == 5 && memcmp(line, "Main:", 5) == 0) || (len == 6 && memcmp(line, "Local:", 6) == 0) ||
	    (len > 4 && memcmp(line, "Id ", 3) == 0 && line[len - 1] == ':')) {
		r->kind = PL_FIBSTAT_TABLE;
		r->n = 1;
		if (len == 6 && memcmp(line, "Local:", 6) == 0) {
			r->v[0] = RT_TABLE_LOCAL;
		} else if (len == 5 && memcmp(line, "Main:", 5) == 0) {
			r->v[0] = RT_TABLE_MAIN;
		} else {
			struct cur c = { line, nl - 1 };
			cur_lit(&c, "Id ");
			r->v[0] = (uint32_t)cur_i(&c);
			if (!c.p || c.p != c.end)
				return -EINVAL;
		}
		return 0;
	}
	for (int kind = 0; kind < PL_FIBSTAT_KINDS; kind++)
		if (templates[kind] && as_template(r, kind, line, nl) == 0)
			return 0;
	/* "\t" then "  bits: count" pairs */
	struct cur c = { line, nl };
	r->kind = PL_FIBSTAT_SIZES;
	r->n = 0;
	cur_ch(&c, '\t');
	while (c.p && c.p < c.end) {
		if (r->n + 2 > PL_FIBSTAT_MAX_VALUES)
			return -EINVAL;
		cur_lit(&c, "  ");
		r->v[r->n++] = (uint32_t)cur_u(&c);
		cur_lit(&c, ": ");
		r->v[r->n++] = (uint32_t)cur_u(&c);
	}
	return c.p == nl ? 0 : -EINVAL;
}

const struct net_family pl_net_fibstat = {
	.elem = sizeof(struct pl_fibstat),
	.header = header,
	.record = record,
	.parse = parse,
};
