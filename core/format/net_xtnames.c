/*
** ip_tables_names, ip_tables_matches, ip_tables_targets and their ip6_
** and arp_ twins: x_tables' tables, matches and targets of a family, one
** name a line (net/netfilter/x_tables.c xt_table_seq_show,
** xt_match_seq_show, xt_target_seq_show); iptables-legacy reads them.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net, (void)out;
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	pl_buf_puts(out, ((const struct pl_net_name *)rec)->name);
	pl_buf_putc(out, '\n');
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	if (line == nl) /* the kernel skips an unnamed match or target */
		return -EINVAL;
	return (((struct pl_net_name *)rec)->name = net_str(p, line, (size_t)(nl - line))) ? 0 : -ENOMEM;
}

const struct net_family pl_net_xtnames = {
	.elem = sizeof(struct pl_net_name),
	.header = header,
	.record = record,
	.parse = parse,
};
