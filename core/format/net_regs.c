/*
** What the kernel has registered: connector's callbacks ("%-15s %u:%u"
** under "Name            ID": drivers/connector/connector.c cn_proc_show)
** and netfilter/nf_log's loggers, a line per protocol family ("%2lld",
** the logger in use or NONE, then those registered in parentheses:
** net/netfilter/nf_log.c seq_show).  And rt_cache, the IPv4 route
** cache's header, all that is left of it since Linux 3.6 (net/ipv4/route.c
** rt_cache_seq_show): no record is ever under it.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)net;
	if (f == PL_NET_CONNECTOR) {
		pl_buf_puts(out, "Name            ID\n");
	} else if (f == PL_NET_RT_CACHE) {
		size_t start = out->len;
		pl_buf_puts(out, "Iface\tDestination\tGateway \tFlags\t\tRefCnt\tUse\tMetric\tSource\t\tMTU"
		                 "\tWindow\tIRTT\tTOS\tHHRef\tHHUptod\tSpecDst");
		pl_net_pad(out, start, 127);
	}
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)v;
	const struct pl_net_reg *r = rec;
	if (f == PL_NET_CONNECTOR) {
		pl_net_put_str(out, r->name, 15, 1);
		pl_buf_putc(out, ' ');
		put_u(out, r->idx, 0);
		pl_buf_putc(out, ':');
		put_u(out, r->val, 0);
	} else {
		put_u(out, r->idx, 2);
		pl_buf_putc(out, ' ');
		pl_buf_puts(out, r->name ? r->name : "NONE");
		pl_buf_puts(out, " (");
		pl_buf_puts(out, r->loggers);
		pl_buf_putc(out, ')');
	}
	pl_buf_putc(out, '\n');
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_net_reg *r = rec;
	struct cur c = { line, nl };
	size_t len;
	if (p->file == PL_NET_RT_CACHE)
		return -EINVAL;
	if (p->file == PL_NET_CONNECTOR) {
		const char *name = cur_word(&c, &len);
		if (c.p && !(r->name = net_str(p, name, len)))
			return -ENOMEM;
		r->idx = (uint32_t)cur_u(&c);
		cur_ch(&c, ':');
		r->val = (uint32_t)cur_u(&c);
		return c.p == nl ? 0 : -EINVAL;
	}
	r->idx = (uint32_t)cur_u(&c);
	cur_ch(&c, ' ');
	const char *name = cur_word(&c, &len);
	cur_lit(&c, " (");
	if (!c.p || c.end - c.p < 1 || nl[-1] != ')')
		return -EINVAL;
	if (!(len == 4 && memcmp(name, "NONE", 4) == 0) && !(r->name = net_str(p, name, len)))
		return -ENOMEM;
	return (r->loggers = net_str(p, c.p, (size_t)(nl - 1 - c.p))) ? 0 : -ENOMEM;
}

const struct net_family pl_net_regs = {
	.elem = sizeof(struct pl_net_reg),
	.header = header,
	.record = record,
	.parse = parse,
};

/* connector and rt_cache: the same under their header */
const struct net_family pl_net_regs_headed = {
	.elem = sizeof(struct pl_net_reg),
	.header = header,
	.record = record,
	.parse = parse,
	.header_lines = 1,
};
