/*
** unix, packet and netlink: one socket a line, as net/unix/af_unix.c
** (unix_seq_show), net/packet/af_packet.c (packet_seq_show) and
** net/netlink/af_netlink.c (netlink_seq_show) print them.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

/* ------------------------------------------------------------------------
** unix: "%pK: %08X %08X %08X %04X %02X %5lu", then " " and the path of a
** bound socket (an abstract name with '@' for its NULs)
*/

static void unix_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net;
	pl_buf_puts(out, "Num       RefCount Protocol Flags    Type St Inode Path\n");
}

static void unix_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f;
	const struct pl_unix_sock *u = rec;
	pl_net_put_ptr(out, u->sk, v);
	pl_buf_puts(out, ": ");
	pl_net_put_hex(out, u->refcnt, 8, 1);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, u->protocol, 8, 1);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, u->flags, 8, 1);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, u->type, 4, 1);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, u->state, 2, 1);
	pl_buf_putc(out, ' ');
	put_u(out, u->inode, 5);
	if (u->path) {
		pl_buf_putc(out, ' ');
		pl_buf_puts(out, u->path);
	}
	pl_buf_putc(out, '\n');
}

/* A path holding a newline goes on over the next line: that line is the
** rest of the last socket's path. */
static int unix_continues(struct pl_net_parse *p, const char *line, const char *nl)
{
	if (!p->n)
		return -EINVAL;
	struct pl_unix_sock *last = (struct pl_unix_sock *)p->v + p->n - 1;
	if (!last->path)
		return -EINVAL;
	size_t had = strlen(last->path), more = (size_t)(nl - line);
	char *path = pl_arena_alloc(p->a, had + more + 2);
	if (!path)
		return -ENOMEM;
	memcpy(path, last->path, had);
	path[had] = '\n';
	memcpy(path + had + 1, line, more);
	last->path = path;
	return 1;
}

static int unix_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_unix_sock *u = rec;
	struct cur c = { line, nl };
	u->sk = cur_hex(&c, 16);
	cur_lit(&c, ": ");
	u->refcnt = (uint32_t)cur_hex(&c, 8);
	cur_ch(&c, ' ');
	u->protocol = (uint32_t)cur_hex(&c, 8);
	cur_ch(&c, ' ');
	u->flags = (uint32_t)cur_hex(&c, 8);
	cur_ch(&c, ' ');
	u->type = (uint16_t)cur_hex(&c, 4);
	cur_ch(&c, ' ');
	u->state = (uint8_t)cur_hex(&c, 2);
	u->inode = cur_u(&c);
	if (!c.p)
		return unix_continues(p, line, nl);
	if (c.p < c.end) {
		cur_ch(&c, ' ');
		if (!c.p)
			return -EINVAL;
		if (!(u->path = net_str(p, c.p, (size_t)(c.end - c.p))))
			return -ENOMEM;
	}
	return 0;
}

const struct net_family pl_net_unix = {
	.elem = sizeof(struct pl_unix_sock),
	.header = unix_header,
	.record = unix_record,
	.parse = unix_parse,
	.header_lines = 1,
	.pointers = 1,
};

/* ------------------------------------------------------------------------
** packet: "%pK %-6d %-4d %04x   %-5d %1d %-6u %-6u %-6lu"
*/

static void packet_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net;
	pl_buf_puts(out, "sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n");
}

static void packet_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f;
	const struct pl_packet_sock *k = rec;
	pl_net_put_ptr(out, k->sk, v);
	pl_buf_putc(out, ' ');
	put_ld(out, k->refcnt, 6);
	pl_buf_putc(out, ' ');
	put_ld(out, k->type, 4);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, k->proto, 4, 0);
	pl_buf_puts(out, "   ");
	put_ld(out, k->ifindex, 5);
	pl_buf_putc(out, ' ');
	put_u(out, k->running, 1);
	pl_buf_putc(out, ' ');
	put_lu(out, k->rmem, 6);
	pl_buf_putc(out, ' ');
	put_lu(out, pl_net_uid(k->uid, v), 6);
	pl_buf_putc(out, ' ');
	put_lu(out, k->inode, 6);
	pl_buf_putc(out, '\n');
}

static int packet_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	(void)p;
	struct pl_packet_sock *k = rec;
	struct cur c = { line, nl };
	k->sk = cur_hex(&c, 16);
	k->refcnt = (int32_t)cur_i(&c);
	k->type = (int32_t)cur_i(&c);
	cur_sp(&c);
	k->proto = (uint32_t)cur_hex(&c, 0);
	k->ifindex = (int32_t)cur_i(&c);
	k->running = (uint32_t)cur_u(&c);
	k->rmem = (uint32_t)cur_u(&c);
	k->uid = (uint32_t)cur_u(&c);
	k->inode = cur_u(&c);
	return c.p ? 0 : -EINVAL;
}

const struct net_family pl_net_packet = {
	.elem = sizeof(struct pl_packet_sock),
	.header = packet_header,
	.record = packet_record,
	.parse = packet_parse,
	.header_lines = 1,
	.names_ids = 1,
	.pointers = 1,
};

/* ------------------------------------------------------------------------
** netlink: "%pK %-3d %-10u %08x %-8d %-8d %-5d %-8d %-8u %-8lu"
*/

static void netlink_header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net;
	pl_buf_puts(out, "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    "
	                 "Drops    Inode\n");
}

static void netlink_record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f;
	const struct pl_netlink_sock *k = rec;
	pl_net_put_ptr(out, k->sk, v);
	pl_buf_putc(out, ' ');
	put_ld(out, k->protocol, 3);
	pl_buf_putc(out, ' ');
	put_lu(out, k->portid, 10);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, k->groups, 8, 0);
	pl_buf_putc(out, ' ');
	put_ld(out, k->rmem, 8);
	pl_buf_putc(out, ' ');
	put_ld(out, k->wmem, 8);
	pl_buf_putc(out, ' ');
	put_ld(out, k->dump, 5);
	pl_buf_putc(out, ' ');
	put_ld(out, k->refcnt, 8);
	pl_buf_putc(out, ' ');
	put_lu(out, k->drops, 8);
	pl_buf_putc(out, ' ');
	put_lu(out, k->inode, 8);
	pl_buf_putc(out, '\n');
}

static int netlink_parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	(void)p;
	struct pl_netlink_sock *k = rec;
	struct cur c = { line, nl };
	k->sk = cur_hex(&c, 16);
	k->protocol = (int32_t)cur_i(&c);
	k->portid = (uint32_t)cur_u(&c);
	cur_sp(&c);
	k->groups = (uint32_t)cur_hex(&c, 8);
	k->rmem = (int32_t)cur_i(&c);
	k->wmem = (int32_t)cur_i(&c);
	k->dump = (int32_t)cur_i(&c);
	k->refcnt = (int32_t)cur_i(&c);
	k->drops = (uint32_t)cur_u(&c);
	k->inode = cur_u(&c);
	return c.p ? 0 : -EINVAL;
}

const struct net_family pl_net_netlink = {
	.elem = sizeof(struct pl_netlink_sock),
	.header = netlink_header,
	.record = netlink_record,
	.parse = netlink_parse,
	.header_lines = 1,
	.pointers = 1,
};
