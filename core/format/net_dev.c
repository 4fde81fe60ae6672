/*
** dev and dev_mcast: an interface's counters and its multicast
** addresses, as net/core/net-procfs.c (dev_seq_printf_stats) and
** net/core/dev_addr_lists.c's dev_mc_seq_show print them.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

const char *const pl_netdev_fields[PL_NETDEV_FIELDS] = {
	"rx_bytes", "rx_packets", "rx_errs", "rx_drop", "rx_fifo", "rx_frame", "rx_compressed",
	"rx_multicast", "tx_bytes", "tx_packets", "tx_errs", "tx_drop", "tx_fifo", "tx_colls",
	"tx_carrier", "tx_compressed",
};

/* "%6s: %7llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu %8llu %7llu %4llu
** %4llu %4llu %5llu %7llu %10llu" */
static const uint8_t dev_widths[PL_NETDEV_FIELDS] = {
	7, 7, 4, 4, 4, 5, 10, 9, 8, 7, 4, 4, 4, 5, 7, 10,
};

static void dev_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net;
	pl_buf_puts(out, "Inter-|   Receive                                                |  Transmit\n"
	                 " face |bytes    packets errs drop fifo frame compressed multicast"
	                 "|bytes    packets errs drop fifo colls carrier compressed\n");
}

static void dev_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_net_dev *d = rec;
	pl_net_put_str(out, d->name, 6, 0);
	pl_buf_putc(out, ':');
	for (int i = 0; i < PL_NETDEV_FIELDS; i++) {
		pl_buf_putc(out, ' ');
		put_u(out, d->v[i], dev_widths[i]);
	}
	pl_buf_putc(out, '\n');
}

static int dev_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_net_dev *d = rec;
	/* an interface's name holds no ':' (dev_valid_name refuses it) */
	const char *colon = memchr(line, ':', (size_t)(nl - line));
	if (!colon)
		return -EINVAL;
	struct cur c = { line, colon };
	size_t len;
	const char *name = cur_word(&c, &len);
	if (!c.p || c.p != colon)
		return -EINVAL;
	if (!(d->name = net_str(p, name, len)))
		return -ENOMEM;
	c.p = colon + 1;
	c.end = nl;
	for (int i = 0; i < PL_NETDEV_FIELDS; i++)
		d->v[i] = cur_u(&c);
	return c.p && c.p == nl ? 0 : -EINVAL;
}

const struct net_family pl_net_dev = {
	.elem = sizeof(struct pl_net_dev),
	.header = dev_header,
	.record = dev_record,
	.parse = dev_parse,
	.header_lines = 2,
};

/* ------------------------------------------------------------------------
** dev_mcast: "%-4d %-15s %-5d %-5d %*phN"
*/

static void mcast_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net, (void)out;
}

static void mcast_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_dev_mcast *m = rec;
	put_ld(out, m->ifindex, 4);
	pl_buf_putc(out, ' ');
	pl_net_put_str(out, m->name, 15, 1);
	pl_buf_putc(out, ' ');
	put_ld(out, m->refcount, 5);
	pl_buf_putc(out, ' ');
	put_ld(out, m->global_use, 5);
	pl_buf_putc(out, ' ');
	for (int i = 0; i < m->addr_len; i++)
		pl_net_put_hex(out, m->addr[i], 2, 0);
	pl_buf_putc(out, '\n');
}

static int mcast_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_dev_mcast *m = rec;
	struct cur c = { line, nl };
	size_t len;
	m->ifindex = (int32_t)cur_i(&c);
	const char *name = cur_word(&c, &len);
	if (c.p && !(m->name = net_str(p, name, len)))
		return -ENOMEM;
	m->refcount = (int32_t)cur_i(&c);
	m->global_use = (int32_t)cur_i(&c);
	cur_sp(&c);
	while (c.p && c.p < c.end && m->addr_len < PL_MAX_ADDR_LEN)
		m->addr[m->addr_len++] = (uint8_t)cur_hex(&c, 2);
	return c.p && c.p == c.end ? 0 : -EINVAL;
}

const struct net_family pl_net_dev_mcast = {
	.elem = sizeof(struct pl_dev_mcast),
	.header = mcast_header,
	.record = mcast_record,
	.parse = mcast_parse,
};
