/*
** The counters: snmp and netstat (a line of names, then a line of
** values, per section: net/ipv4/proc.c snmp_seq_show, netstat_seq_show),
** sockstat and sockstat6 ("TCP: inuse 1 orphan 0 ...": sockstat_seq_show,
** sockstat6_seq_show) and snmp6 ("%-32s\t%lu": net/ipv6/proc.c).
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/net_text.h"

static int two_lines(int f)
{
	return f == PL_NET_SNMP || f == PL_NET_NETSTAT;
}

static void no_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net, (void)out;
}

static void put_value(struct pl_buf *out, const struct pl_net_value *v)
{
	pl_net_put_dec(out, v->value, v->negative, 0, 0);
}

static void section_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)v;
	const struct pl_net_section *s = rec;
	if (two_lines(f)) {
		pl_buf_puts(out, s->name);
		pl_buf_putc(out, ':');
		for (size_t i = 0; i < s->n; i++) {
			pl_buf_putc(out, ' ');
			pl_buf_puts(out, s->v[i].name);
		}
		pl_buf_putc(out, '\n');
	}
	pl_buf_puts(out, s->name);
	pl_buf_putc(out, ':');
	for (size_t i = 0; i < s->n; i++) {
		if (!two_lines(f)) {
			pl_buf_putc(out, ' ');
			pl_buf_puts(out, s->v[i].name);
		}
		pl_buf_putc(out, ' ');
		put_value(out, &s->v[i]);
	}
	pl_buf_putc(out, '\n');
}

/* One value: "-1" or "42". */
static int scan_value(struct cur *c, struct pl_net_value *v)
{
	cur_sp(c);
	v->negative = cur_at(c, '-');
	if (v->negative)
		c->p++;
	v->value = cur_u(c);
	return c->p ? 0 : -EINVAL;
}

/* The words after "Name:", each after one space: into names. */
static int scan_names(struct pl_net_parse *p, struct cur *c)
{
	size_t cap = 0;
	p->nnames = 0;
	while (c->p < c->end) {
		if (*c->p != ' ' || c->end - c->p < 2 || c->p[1] == ' ')
			return -EINVAL;
		c->p++;
		const char *w = c->p;
		while (c->p < c->end && *c->p != ' ')
			c->p++;
		if (p->nnames == cap) {
			cap = cap ? 2 * cap : 32;
			const char **grown = realloc(p->names, cap * sizeof *grown);
			if (!grown)
				return -ENOMEM;
			p->names = grown;
		}
		if (!(p->names[p->nnames++] = net_str(p, w, (size_t)(c->p - w))))
			return -ENOMEM;
	}
	return 0;
}

static int section_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_net_section *s = rec;
	const char *colon = memchr(line, ':', (size_t)(nl - line));
	if (!colon || colon == line)
		return -EINVAL;
	struct cur c = { colon + 1, nl };
	size_t namelen = (size_t)(colon - line);
	if (two_lines(p->file) && !p->section) { /* the names */
		if (!(p->section = net_str(p, line, namelen)))
			return -ENOMEM;
		int rc = scan_names(p, &c);
		return rc < 0 ? rc : 1;
	}
	struct pl_net_value *v;
	size_t n = 0, cap = 0;
	if (two_lines(p->file)) {
		if (strlen(p->section) != namelen || memcmp(p->section, line, namelen) != 0)
			return -EINVAL;
		s->name = p->section;
		p->section = NULL;
		if (!(v = pl_arena_alloc(p->a, (p->nnames ? p->nnames : 1) * sizeof *v)))
			return -ENOMEM;
		for (; n < p->nnames; n++) {
			v[n].name = p->names[n];
			if (scan_value(&c, &v[n]) < 0)
				return -EINVAL;
		}
	} else {
		if (!(s->name = net_str(p, line, namelen)))
			return -ENOMEM;
		v = NULL;
		while (c.p && c.p < c.end) {
			size_t len;
			const char *w = cur_word(&c, &len);
			if (!(v = pl_arena_grow(p->a, v, sizeof *v, &cap, n + 1)))
				return -ENOMEM;
			if (c.p && !(v[n].name = net_str(p, w, len)))
				return -ENOMEM;
			if (!c.p || scan_value(&c, &v[n++]) < 0)
				return -EINVAL;
		}
	}
	s->v = v;
	s->n = n;
	return c.p && c.p == c.end ? 0 : -EINVAL;
}

const struct net_family pl_net_sections = {
	.elem = sizeof(struct pl_net_section),
	.header = no_header,
	.record = section_record,
	.parse = section_parse,
};

/* ------------------------------------------------------------------------
** snmp6: "%-32s\t%lu"
*/

static void snmp6_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)v;
	const struct pl_net_value *x = rec;
	/* xfrm_stat: net/xfrm/xfrm_proc.c's "%-24s\t%lu" */
	pl_net_put_str(out, x->name, f == PL_NET_XFRM_STAT ? 24 : 32, 1);
	pl_buf_putc(out, '\t');
	put_value(out, x);
	pl_buf_putc(out, '\n');
}

static int snmp6_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_net_value *x = rec;
	const char *tab = memchr(line, '\t', (size_t)(nl - line));
	if (!tab)
		return -EINVAL;
	struct cur c = { line, tab };
	size_t len;
	const char *name = cur_word(&c, &len);
	if (!c.p)
		return -EINVAL;
	if (!(x->name = net_str(p, name, len)))
		return -ENOMEM;
	c.p = tab + 1;
	c.end = nl;
	return scan_value(&c, x) == 0 && c.p == nl ? 0 : -EINVAL;
}

int pl_fmt_dev_snmp6(const struct pl_dev_snmp6 *d, struct pl_buf *out)
{
	struct pl_net_value index = { "ifIndex", d->ifindex, 0 };
	snmp6_record(PL_NET_SNMP6, &index, NULL, out);
	for (size_t i = 0; i < d->n; i++)
		snmp6_record(PL_NET_SNMP6, &d->v[i], NULL, out);
	return pl_buf_status(out);
}

int pl_parse_dev_snmp6(const char *name, const char *text, size_t len, struct pl_arena *a,
                       struct pl_dev_snmp6 *out)
{
	struct pl_net net;
	memset(&net, 0, sizeof net);
	int rc = pl_parse_net(PL_NET_SNMP6, text, len, a, &net);
	if (rc < 0)
		return rc;
	const struct pl_net_value *v = net.list[PL_NET_SNMP6].v;
	size_t n = net.list[PL_NET_SNMP6].n;
	if (!n || strcmp(v[0].name, "ifIndex") != 0 || v[0].negative || v[0].value > UINT32_MAX)
		return -EINVAL;
	if (!(out->name = pl_arena_strdup(a, name)))
		return -ENOMEM;
	out->ifindex = (uint32_t)v[0].value;
	out->v = v + 1;
	out->n = n - 1;
	return 0;
}

const struct net_family pl_net_snmp6 = {
	.elem = sizeof(struct pl_net_value),
	.header = no_header,
	.record = snmp6_record,
	.parse = snmp6_parse,
};
