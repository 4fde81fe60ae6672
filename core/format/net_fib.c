/*
** fib_trie: the IPv4 routing tables' tries, walked depth first as
** net/ipv4/fib_trie.c (fib_trie_seq_show) prints them: before a table's
** root its name; an inner node as "+-- prefix/len bits full empty", a
** leaf as "|-- key" and each route of the key below it as "/len scope
** type", each indented three spaces a level.  Every line is a record.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

#define RT_TABLE_MAIN 254
#define RT_TABLE_LOCAL 255

static const struct {
	int32_t scope;
	const char *name;
} scopes[] = {
	{ 0, "universe" }, { 200, "site" }, { 253, "link" }, { 254, "host" }, { 255, "nowhere" },
};

/* RTN_UNSPEC .. RTN_XRESOLVE */
static const char *const types[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE",
	"UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
};
#define NTYPES (sizeof types / sizeof types[0])

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net, (void)out;
}

static void put_ip(struct pl_buf *out, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		if (i)
			pl_buf_putc(out, '.');
		put_u(out, a[i], 0);
	}
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_fib_node *n = rec;
	if (n->kind == PL_FIB_TABLE) {
		if (n->table == RT_TABLE_LOCAL)
			pl_buf_puts(out, "Local");
		else if (n->table == RT_TABLE_MAIN)
			pl_buf_puts(out, "Main");
		else {
			pl_buf_puts(out, "Id ");
			put_d(out, (int32_t)n->table, 0);
		}
		pl_buf_puts(out, ":\n");
		return;
	}
	for (unsigned i = 0; i < n->depth; i++)
		pl_buf_puts(out, "   ");
	if (n->kind == PL_FIB_TNODE) {
		pl_buf_puts(out, "  +-- ");
		put_ip(out, n->addr);
		pl_buf_putc(out, '/');
		put_u(out, n->plen, 0);
		pl_buf_putc(out, ' ');
		put_u(out, n->bits, 0);
		pl_buf_putc(out, ' ');
		put_u(out, n->full, 0);
		pl_buf_putc(out, ' ');
		put_u(out, n->empty, 0);
	} else if (n->kind == PL_FIB_LEAF) {
		pl_buf_puts(out, "  |-- ");
		put_ip(out, n->addr);
	} else {
		pl_buf_puts(out, "  /");
		put_u(out, n->plen, 0);
		pl_buf_putc(out, ' ');
		const char *scope = NULL;
		for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++)
			if (scopes[i].scope == n->scope)
				scope = scopes[i].name;
		if (scope) {
			pl_buf_puts(out, scope);
		} else {
			pl_buf_puts(out, "scope=");
			put_d(out, n->scope, 0);
		}
		pl_buf_putc(out, ' ');
		if (n->type < NTYPES) {
			pl_buf_puts(out, types[n->type]);
		} else {
			pl_buf_puts(out, "type ");
			put_u(out, n->type, 0);
		}
		if (n->tos) {
			pl_buf_puts(out, " tos=");
			put_d(out, n->tos, 0);
		}
	}
	pl_buf_putc(out, '\n');
}

static void scan_ip(struct cur *c, uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		if (i)
			cur_ch(c, '.');
		if (cur_at(c, ' '))
			c->p = NULL;
		uint64_t x = cur_u(c);
		if (x > 255)
			c->p = NULL;
		a[i] = (uint8_t)x;
	}
}

static int word_is(const char *w, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(w, name, len) == 0;
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	(void)p;
	struct pl_fib_node *n = rec;
	struct cur c = { line, nl };
	size_t len = (size_t)(nl - line);
	if (len && line[len - 1] == ':' && line[0] != ' ') {
		n->kind = PL_FIB_TABLE;
		if (len == 6 && memcmp(line, "Local:", 6) == 0) {
			n->table = RT_TABLE_LOCAL;
		} else if (len == 5 && memcmp(line, "Main:", 5) == 0) {
			n->table = RT_TABLE_MAIN;
		} else {
			c.end = nl - 1;
			cur_lit(&c, "Id ");
			n->table = (uint32_t)cur_i(&c);
			if (!c.p || c.p != c.end)
				return -EINVAL;
		}
		return 0;
	}
	while (c.p && c.end - c.p > 5 && memcmp(c.p, "     ", 5) == 0) {
		c.p += 3;
		n->depth++;
	}
	cur_lit(&c, "  ");
	if (cur_at(&c, '+')) {
		n->kind = PL_FIB_TNODE;
		cur_lit(&c, "+-- ");
		scan_ip(&c, n->addr);
		cur_ch(&c, '/');
		n->plen = (uint32_t)cur_u(&c);
		cur_ch(&c, ' ');
		n->bits = (uint32_t)cur_u(&c);
		cur_ch(&c, ' ');
		n->full = (uint32_t)cur_u(&c);
		cur_ch(&c, ' ');
		n->empty = (uint32_t)cur_u(&c);
	} else if (cur_at(&c, '|')) {
		n->kind = PL_FIB_LEAF;
		cur_lit(&c, "|-- ");
		scan_ip(&c, n->addr);
	} else {
		n->kind = PL_FIB_ALIAS;
		cur_ch(&c, '/');
		n->plen = (uint32_t)cur_u(&c);
		cur_ch(&c, ' ');
		const char *w = cur_word(&c, &len);
		if (!c.p)
			return -EINVAL;
		int known = 0;
		for (size_t i = 0; i < sizeof scopes / sizeof scopes[0] && !known; i++)
			if ((known = word_is(w, len, scopes[i].name)))
				n->scope = scopes[i].scope;
		if (!known) {
			struct cur s = { w, w + len };
			cur_lit(&s, "scope=");
			n->scope = (int32_t)cur_i(&s);
			if (!s.p || s.p != s.end)
				return -EINVAL;
		}
		cur_ch(&c, ' ');
		if (cur_at(&c, 't') && c.end - c.p > 5 && memcmp(c.p, "type ", 5) == 0) {
			c.p += 5;
			n->type = (uint32_t)cur_u(&c);
		} else {
			w = cur_word(&c, &len);
			if (!c.p)
				return -EINVAL;
			known = 0;
			for (size_t i = 0; i < NTYPES && !known; i++)
				if ((known = word_is(w, len, types[i])))
					n->type = (uint32_t)i;
			if (!known)
				return -EINVAL;
		}
		if (cur_at(&c, ' ')) {
			cur_lit(&c, " tos=");
			n->tos = (int32_t)cur_i(&c);
		}
	}
	return c.p == nl ? 0 : -EINVAL;
}

const struct net_family pl_net_fib_trie = {
	.elem = sizeof(struct pl_fib_node),
	.header = header,
	.record = record,
	.parse = parse,
};
