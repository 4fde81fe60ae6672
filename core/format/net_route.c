/*
** Addresses and routes: route (net/ipv4/fib_trie.c fib_route_seq_show,
** padded to 127 bytes), ipv6_route (net/ipv6/route.c), if_inet6
** (net/ipv6/addrconf.c if6_seq_show), arp (net/ipv4/arp.c) and igmp
** (net/ipv4/igmp.c igmp_mc_seq_show).
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

#define ROUTE_WIDTH 127

static void route4_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f;
	if (!net->route_table && !net->list[PL_NET_ROUTE].n)
		return;
	size_t start = out->len;
	pl_buf_puts(out, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
	pl_net_pad(out, start, ROUTE_WIDTH);
}

/* "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u" */
static void route4_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_route4 *r = rec;
	size_t start = out->len;
	pl_buf_puts(out, r->iface);
	pl_buf_putc(out, '\t');
	pl_net_put_hex(out, r->dest, 8, 1);
	pl_buf_putc(out, '\t');
	pl_net_put_hex(out, r->gateway, 8, 1);
	pl_buf_putc(out, '\t');
	pl_net_put_hex(out, r->flags, 4, 1);
	pl_buf_putc(out, '\t');
	put_d(out, r->refcnt, 0);
	pl_buf_putc(out, '\t');
	put_u(out, r->use, 0);
	pl_buf_putc(out, '\t');
	put_d(out, r->metric, 0);
	pl_buf_putc(out, '\t');
	pl_net_put_hex(out, r->mask, 8, 1);
	pl_buf_putc(out, '\t');
	put_d(out, r->mtu, 0);
	pl_buf_putc(out, '\t');
	put_u(out, r->window, 0);
	pl_buf_putc(out, '\t');
	put_u(out, r->irtt, 0);
	pl_net_pad(out, start, ROUTE_WIDTH);
}

/* Tab-separated fields: the next one, up to a tab (or the line's end). */
static const char *tab_field(struct cur *c, size_t *len)
{
	const char *s = c->p;
	if (!s || s > c->end)
		return c->p = NULL;
	const char *t = memchr(s, '\t', (size_t)(c->end - s));
	*len = (size_t)((t ? t : c->end) - s);
	c->p = t ? t + 1 : c->end + 1; /* past the end: no field follows */
	return s;
}

static uint64_t tab_hex(struct cur *c)
{
	size_t len;
	const char *s = tab_field(c, &len);
	struct cur f = { s, s ? s + len : NULL };
	uint64_t v = cur_hex(&f, 0);
	if (!f.p || f.p != f.end)
		c->p = NULL;
	return v;
}

static int64_t tab_dec(struct cur *c)
{
	size_t len;
	const char *s = tab_field(c, &len);
	struct cur f = { s, s ? s + len : NULL };
	int64_t v = cur_i(&f);
	/* the last field runs into seq_pad's spaces */
	while (f.p && f.p < f.end && *f.p == ' ')
		f.p++;
	if (!f.p || f.p != f.end)
		c->p = NULL;
	return v;
}

static int route4_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_route4 *r = rec;
	struct cur c = { line, nl };
	size_t len;
	const char *iface = tab_field(&c, &len);
	if (!iface || !(r->iface = net_str(p, iface, len)))
		return iface ? -ENOMEM : -EINVAL;
	r->dest = (uint32_t)tab_hex(&c);
	r->gateway = (uint32_t)tab_hex(&c);
	r->flags = (uint32_t)tab_hex(&c);
	r->refcnt = (int32_t)tab_dec(&c);
	r->use = (uint32_t)tab_dec(&c);
	r->metric = (int32_t)tab_dec(&c);
	r->mask = (uint32_t)tab_hex(&c);
	r->mtu = (int32_t)tab_dec(&c);
	r->window = (uint32_t)tab_dec(&c);
	r->irtt = (uint32_t)tab_dec(&c);
	return c.p ? 0 : -EINVAL;
}

static int route4_parse_header(struct pl_net_parse *p, const char *line, const char *nl)
{
	struct pl_net table = { .route_table = 1 };
	struct pl_buf h = PL_BUF_INIT;
	route4_header(PL_NET_ROUTE, &table, &h);
	int rc = pl_buf_status(&h);
	if (rc == 0)
		rc = h.len == (size_t)(nl - line) + 1 && memcmp(h.data, line, h.len) == 0 ? 0 : -EINVAL;
	pl_buf_free(&h);
	if (rc == 0)
		p->net->route_table = 1;
	return rc;
}

const struct net_family pl_net_route4 = {
	.elem = sizeof(struct pl_route4),
	.header = route4_header,
	.record = route4_record,
	.parse = route4_parse,
	.parse_header = route4_parse_header,
	.header_lines = 1,
	.header_optional = 1,
};

/* ------------------------------------------------------------------------
** ipv6_route: "%pi6 %02x %pi6 %02x %pi6 %08x %08x %08x %08x %8s"
*/

static void no_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net, (void)out;
}

static void route6_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_route6 *r = rec;
	pl_net_put_in6(out, r->dest);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, r->dest_len, 2, 0);
	pl_buf_putc(out, ' ');
	pl_net_put_in6(out, r->src);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, r->src_len, 2, 0);
	pl_buf_putc(out, ' ');
	pl_net_put_in6(out, r->next_hop);
	const uint32_t words[4] = { r->metric, r->refcnt, r->use, r->flags };
	for (int i = 0; i < 4; i++) {
		pl_buf_putc(out, ' ');
		pl_net_put_hex(out, words[i], 8, 0);
	}
	pl_buf_putc(out, ' ');
	pl_net_put_str(out, r->dev, 8, 0);
	pl_buf_putc(out, '\n');
}

static int route6_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_route6 *r = rec;
	struct cur c = { line, nl };
	cur_in6(&c, r->dest);
	cur_ch(&c, ' ');
	r->dest_len = (uint8_t)cur_hex(&c, 2);
	cur_ch(&c, ' ');
	cur_in6(&c, r->src);
	cur_ch(&c, ' ');
	r->src_len = (uint8_t)cur_hex(&c, 2);
	cur_ch(&c, ' ');
	cur_in6(&c, r->next_hop);
	uint32_t *words[4] = { &r->metric, &r->refcnt, &r->use, &r->flags };
	for (int i = 0; i < 4; i++) {
		cur_ch(&c, ' ');
		*words[i] = (uint32_t)cur_hex(&c, 8);
	}
	size_t len;
	const char *dev = cur_word(&c, &len);
	if (!c.p) /* a route with no device prints "%8s" of "" */
		dev = "", len = 0;
	if (!(r->dev = net_str(p, dev, len)))
		return -ENOMEM;
	return 0;
}

const struct net_family pl_net_route6 = {
	.elem = sizeof(struct pl_route6),
	.header = no_header,
	.record = route6_record,
	.parse = route6_parse,
};

/* ------------------------------------------------------------------------
** if_inet6: "%pi6 %02x %02x %02x %02x %8s"
*/

static void if6_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_if6addr *a = rec;
	pl_net_put_in6(out, a->addr);
	const uint32_t bytes[4] = { a->ifindex, a->prefix_len, a->scope, a->flags };
	for (int i = 0; i < 4; i++) {
		pl_buf_putc(out, ' ');
		pl_net_put_hex(out, bytes[i], 2, 0);
	}
	pl_buf_putc(out, ' ');
	pl_net_put_str(out, a->dev, 8, 0);
	pl_buf_putc(out, '\n');
}

static int if6_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_if6addr *a = rec;
	struct cur c = { line, nl };
	cur_in6(&c, a->addr);
	uint32_t *v[4] = { &a->ifindex, &a->prefix_len, &a->scope, &a->flags };
	for (int i = 0; i < 4; i++) {
		cur_ch(&c, ' ');
		*v[i] = (uint32_t)cur_hex(&c, 0);
	}
	size_t len;
	const char *dev = cur_word(&c, &len);
	if (!c.p)
		return -EINVAL;
	return (a->dev = net_str(p, dev, len)) ? 0 : -ENOMEM;
}

const struct net_family pl_net_if6 = {
	.elem = sizeof(struct pl_if6addr),
	.header = no_header,
	.record = if6_record,
	.parse = if6_parse,
};

/* ------------------------------------------------------------------------
** arp: "%-16s 0x%-10x0x%-10x%-17s     *        %s"
*/

static void arp_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net;
	pl_buf_puts(out, "IP address       HW type     Flags       HW address            Mask     Device\n");
}

static void arp_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_arp *a = rec;
	char ip[16];
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t b = a->ip[i];
		if (i)
			ip[n++] = '.';
		if (b >= 100)
			ip[n++] = (char)('0' + b / 100);
		if (b >= 10)
			ip[n++] = (char)('0' + b / 10 % 10);
		ip[n++] = (char)('0' + b % 10);
	}
	ip[n] = '\0';
	pl_net_put_str(out, ip, 16, 1);
	pl_buf_puts(out, " 0x");
	char word[24];
	const uint32_t nums[2] = { a->hw_type, a->flags };
	for (int i = 0; i < 2; i++) {
		int k = 0;
		uint32_t x = nums[i];
		char rev[8];
		do {
			rev[k++] = "0123456789abcdef"[x & 15];
			x >>= 4;
		} while (x);
		for (int j = 0; j < k; j++)
			word[j] = rev[k - 1 - j];
		word[k] = '\0';
		pl_net_put_str(out, word, 10, 1);
		if (i == 0)
			pl_buf_puts(out, "0x");
	}
	pl_net_put_str(out, a->hw_addr, 17, 1);
	pl_buf_puts(out, "     *        ");
	pl_buf_puts(out, a->dev);
	pl_buf_putc(out, '\n');
}

static int arp_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_arp *a = rec;
	struct cur c = { line, nl };
	for (int i = 0; i < 4; i++) {
		if (i)
			cur_ch(&c, '.');
		uint64_t b = cur_u(&c);
		if (b > 255)
			return -EINVAL;
		a->ip[i] = (uint8_t)b;
	}
	cur_sp(&c);
	cur_lit(&c, "0x");
	a->hw_type = (uint32_t)cur_hex(&c, 0);
	cur_sp(&c);
	cur_lit(&c, "0x");
	a->flags = (uint32_t)cur_hex(&c, 0);
	size_t len;
	const char *hw = cur_word(&c, &len);
	if (c.p && !(a->hw_addr = net_str(p, hw, len)))
		return -ENOMEM;
	cur_sp(&c);
	cur_ch(&c, '*');
	cur_sp(&c);
	if (!c.p)
		return -EINVAL;
	return (a->dev = net_str(p, c.p, (size_t)(c.end - c.p))) ? 0 : -ENOMEM;
}

const struct net_family pl_net_arp = {
	.elem = sizeof(struct pl_arp),
	.header = arp_header,
	.record = arp_record,
	.parse = arp_parse,
	.header_lines = 1,
};

/* ------------------------------------------------------------------------
** igmp: an interface's line "%d\t%-10s: %5d %7s", then its groups'
** "\t\t\t\t%08X %5d %d:%08lX\t\t%d"
*/

static void igmp_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net;
	pl_buf_puts(out, "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n");
}

static void igmp_dev_line(const struct pl_igmp *g, struct pl_buf *out)
{
	put_d(out, g->ifindex, 0);
	pl_buf_putc(out, '\t');
	pl_net_put_str(out, g->dev, 10, 1);
	pl_buf_puts(out, ": ");
	put_d(out, g->count, 5);
	pl_buf_putc(out, ' ');
	pl_net_put_str(out, g->querier, 7, 0);
	pl_buf_putc(out, '\n');
}

static void igmp_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_igmp *g = rec;
	if (g->first)
		igmp_dev_line(g, out);
	pl_buf_puts(out, "\t\t\t\t");
	pl_net_put_hex(out, g->group, 8, 1);
	pl_buf_putc(out, ' ');
	put_d(out, g->users, 5);
	pl_buf_putc(out, ' ');
	put_d(out, g->running, 0);
	pl_buf_putc(out, ':');
	pl_net_put_hex(out, g->timer, 8, 1);
	pl_buf_puts(out, "\t\t");
	put_d(out, g->reporter, 0);
	pl_buf_putc(out, '\n');
}

static int igmp_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_igmp *g = rec;
	struct cur c = { line, nl };
	if (!cur_at(&c, '\t')) { /* an interface, printed before its first group */
		if (p->section)
			return -EINVAL;
		struct pl_igmp *d = &p->dev;
		memset(d, 0, sizeof *d);
		d->ifindex = (int32_t)cur_i(&c);
		cur_ch(&c, '\t');
		size_t len;
		const char *name = cur_word(&c, &len);
		if (c.p && !(d->dev = net_str(p, name, len)))
			return -ENOMEM;
		cur_sp(&c);
		cur_ch(&c, ':');
		d->count = (int32_t)cur_i(&c);
		const char *q = cur_word(&c, &len);
		if (!c.p || c.p != c.end)
			return -EINVAL;
		if (!(d->querier = net_str(p, q, len)))
			return -ENOMEM;
		/* the line is printed with the interface's first group: checked now */
		pl_buf_reset(&p->check);
		igmp_dev_line(d, &p->check);
		if (pl_buf_status(&p->check) < 0)
			return -ENOMEM;
		if (p->check.len != (size_t)(nl - line) + 1 || memcmp(p->check.data, line, p->check.len))
			return -EINVAL;
		p->have_dev = 1;
		d->first = 1;
		p->section = d->dev; /* a group must follow */
		return 1;
	}
	if (!p->have_dev)
		return -EINVAL;
	cur_lit(&c, "\t\t\t\t");
	g->ifindex = p->dev.ifindex;
	g->count = p->dev.count;
	g->dev = p->dev.dev;
	g->querier = p->dev.querier;
	g->first = p->dev.first;
	g->group = (uint32_t)cur_hex(&c, 8);
	g->users = (int32_t)cur_i(&c);
	g->running = (int32_t)cur_i(&c);
	cur_ch(&c, ':');
	g->timer = cur_hex(&c, 0);
	cur_lit(&c, "\t\t");
	g->reporter = (int32_t)cur_i(&c);
	if (!c.p || c.p != c.end)
		return -EINVAL;
	p->dev.first = 0;
	p->section = NULL;
	return 0;
}

const struct net_family pl_net_igmp = {
	.elem = sizeof(struct pl_igmp),
	.header = igmp_header,
	.record = igmp_record,
	.parse = igmp_parse,
	.header_lines = 1,
};
