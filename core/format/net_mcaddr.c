/*
** An interface's multicast and anycast addresses: igmp6 ("%-4d %-15s %pi6
** %5d %08X %ld": net/ipv6/mcast.c mld_mc_seq_show), anycast6 ("%-4d %-15s
** %pi6 %5d": net/ipv6/anycast.c ac6_seq_show), and the source filters of
** the joined groups, mcfilter6 ("%3d %6.6s %pi6 %pi6 %6u %6u") and
** mcfilter ("%3d %6.6s 0x%08x 0x%08x %6lu %6lu": net/ipv4/igmp.c
** igmp_mcf_seq_show) under their headers.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)net;
	if (f == PL_NET_MCFILTER)
		pl_buf_puts(out, "Idx Device        MCA        SRC    INC    EXC\n");
	else if (f == PL_NET_MCFILTER6)
		pl_buf_puts(out, "Idx Device                Multicast Address                   "
		                 "Source Address    INC    EXC\n");
}

/* "%6.6s": at most six bytes, right-aligned in six */
static void put_dev6(struct pl_buf *out, const char *dev)
{
	char six[7];
	size_t n = strlen(dev);
	if (n > 6)
		n = 6;
	memcpy(six, dev, n);
	six[n] = '\0';
	pl_net_put_str(out, six, 6, 0);
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)v;
	const struct pl_mcaddr *m = rec;
	if (f == PL_NET_IGMP6 || f == PL_NET_ANYCAST6) {
		put_ld(out, m->ifindex, 4);
		pl_buf_putc(out, ' ');
		pl_net_put_str(out, m->dev, 15, 1);
		pl_buf_putc(out, ' ');
		pl_net_put_in6(out, m->addr);
		pl_buf_putc(out, ' ');
		put_d(out, m->users, 5);
		if (f == PL_NET_IGMP6) {
			pl_buf_putc(out, ' ');
			pl_net_put_hex(out, m->flags, 8, 1);
			pl_buf_putc(out, ' ');
			put_d(out, m->timer, 0);
		}
	} else {
		put_d(out, m->ifindex, 3);
		pl_buf_putc(out, ' ');
		put_dev6(out, m->dev);
		pl_buf_putc(out, ' ');
		if (f == PL_NET_MCFILTER) {
			pl_buf_puts(out, "0x");
			pl_net_put_hex(out, m->addr4, 8, 0);
			pl_buf_puts(out, " 0x");
			pl_net_put_hex(out, m->src4, 8, 0);
		} else {
			pl_net_put_in6(out, m->addr);
			pl_buf_putc(out, ' ');
			pl_net_put_in6(out, m->src);
		}
		pl_buf_putc(out, ' ');
		put_u(out, m->inc, 6);
		pl_buf_putc(out, ' ');
		put_u(out, m->exc, 6);
	}
	pl_buf_putc(out, '\n');
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_mcaddr *m = rec;
	struct cur c = { line, nl };
	size_t len;
	int f = p->file;
	m->ifindex = (int32_t)cur_i(&c);
	const char *dev;
	if (f == PL_NET_MCFILTER || f == PL_NET_MCFILTER6) {
		/* "%6.6s" after one space: the six bytes (a name shorter is
		** padded on the left) */
		cur_ch(&c, ' ');
		if (!c.p || c.end - c.p < 6)
			return -EINVAL;
		dev = c.p;
		len = 6;
		while (len && *dev == ' ')
			dev++, len--;
		c.p += 6;
	} else {
		dev = cur_word(&c, &len);
	}
	if (!c.p)
		return -EINVAL;
	if (!(m->dev = net_str(p, dev, len)))
		return -ENOMEM;
	cur_ch(&c, ' ');
	if (f == PL_NET_MCFILTER) {
		cur_lit(&c, "0x");
		m->addr4 = (uint32_t)cur_hex(&c, 8);
		cur_lit(&c, " 0x");
		m->src4 = (uint32_t)cur_hex(&c, 8);
	} else {
		cur_sp(&c);
		cur_in6(&c, m->addr);
		if (f == PL_NET_MCFILTER6) {
			cur_ch(&c, ' ');
			cur_in6(&c, m->src);
		}
	}
	if (f == PL_NET_IGMP6 || f == PL_NET_ANYCAST6) {
		m->users = (int32_t)cur_i(&c);
		if (f == PL_NET_IGMP6) {
			cur_ch(&c, ' ');
			m->flags = (uint32_t)cur_hex(&c, 0);
			cur_ch(&c, ' ');
			m->timer = cur_i(&c);
		}
	} else {
		m->inc = cur_u(&c);
		m->exc = cur_u(&c);
	}
	return c.p == nl ? 0 : -EINVAL;
}

const struct net_family pl_net_mcaddr = {
	.elem = sizeof(struct pl_mcaddr),
	.header = header,
	.record = record,
	.parse = parse,
};

/* mcfilter and mcfilter6: the same under a header */
const struct net_family pl_net_mcfilter = {
	.elem = sizeof(struct pl_mcaddr),
	.header = header,
	.record = record,
	.parse = parse,
	.header_lines = 1,
};
