/*
** tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6: one socket a line,
** as net/ipv4/tcp_ipv4.c (get_tcp4_sock, get_timewait4_sock,
** get_openreq4), net/ipv6/tcp_ipv6.c, net/ipv4/udp.c (udp4_format_sock),
** net/ipv6/datagram.c (__ip6_dgram_sock_seq_show) and net/ipv4/raw.c
** print them.  tcp and udp pad each line with spaces (seq_pad) to 149
** and 127 bytes; the IPv6 files and raw do not.
*/
#include <errno.h>

#include "format/net_text.h"

struct inet_shape {
	uint8_t v6;                /* four address words */
	uint8_t sl_width;          /* "%4d:" or "%5d:" */
	uint8_t tcp;               /* the tcp columns; else the datagram files' drops */
	uint16_t pad;              /* seq_pad width, 0: none */
	const char *header;
};

#define V4_COLUMNS "local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
#define V6_COLUMNS "local_address                         remote_address                        " \
	"st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"

static const struct inet_shape *shape(int f)
{
	static const struct inet_shape tcp = { 0, 4, 1, 149, "  sl  " V4_COLUMNS };
	static const struct inet_shape tcp6 = { 1, 4, 1, 0, "  sl  " V6_COLUMNS };
	static const struct inet_shape udp = { 0, 5, 0, 127, "   sl  " V4_COLUMNS " ref pointer drops" };
	static const struct inet_shape udp6 = { 1, 5, 0, 0, "  sl  " V6_COLUMNS " ref pointer drops" };
	static const struct inet_shape raw = { 0, 4, 0, 0, "  sl  " V4_COLUMNS " ref pointer drops" };
	switch (f) {
	case PL_NET_TCP: return &tcp;
	case PL_NET_TCP6: return &tcp6;
	case PL_NET_UDP: case PL_NET_UDPLITE: return &udp;
	case PL_NET_RAW: return &raw;
	default: return &udp6; /* udp6, udplite6, raw6 */
	}
}

static void end_line(struct pl_buf *out, size_t start, const struct inet_shape *s)
{
	if (s->pad)
		pl_net_pad(out, start, s->pad);
	else
		pl_buf_putc(out, '\n');
}

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)net;
	const struct inet_shape *s = shape(f);
	size_t start = out->len;
	pl_buf_puts(out, s->header);
	end_line(out, start, s);
}

static void put_addr(struct pl_buf *out, const uint32_t *a, uint16_t port, int v6)
{
	for (int i = 0; i < (v6 ? 4 : 1); i++)
		pl_net_put_hex(out, a[i], 8, 1);
	pl_buf_putc(out, ':');
	pl_net_put_hex(out, port, 4, 1);
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	const struct inet_shape *s = shape(f);
	const struct pl_inet_sock *k = rec;
	size_t start = out->len;
	put_u(out, k->sl, s->sl_width);
	pl_buf_puts(out, ": ");
	put_addr(out, k->local, k->lport, s->v6);
	pl_buf_putc(out, ' ');
	put_addr(out, k->remote, k->rport, s->v6);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, k->state, 2, 1);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, k->tx_queue, 8, 1);
	pl_buf_putc(out, ':');
	pl_net_put_hex(out, k->rx_queue, 8, 1);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, k->timer, 2, 1);
	pl_buf_putc(out, ':');
	pl_net_put_hex(out, k->when, 8, 1);
	pl_buf_putc(out, ' ');
	pl_net_put_hex(out, k->retrnsmt, 8, 1);
	pl_buf_putc(out, ' ');
	put_u(out, pl_net_uid(k->uid, v), 5);
	pl_buf_putc(out, ' ');
	put_d(out, k->timeout, 8);
	pl_buf_putc(out, ' ');
	put_u(out, k->inode, 0);
	pl_buf_putc(out, ' ');
	put_d(out, k->refcnt, 0);
	pl_buf_putc(out, ' ');
	pl_net_put_ptr(out, k->sk, v);
	if (s->tcp && k->full) {
		pl_buf_putc(out, ' ');
		put_u(out, k->rto, 0);
		pl_buf_putc(out, ' ');
		put_u(out, k->ato, 0);
		pl_buf_putc(out, ' ');
		put_u(out, k->quick, 0);
		pl_buf_putc(out, ' ');
		put_u(out, k->cwnd, 0);
		pl_buf_putc(out, ' ');
		put_d(out, k->ssthresh, 0);
	} else if (!s->tcp) {
		pl_buf_putc(out, ' ');
		put_u(out, k->drops, 0);
	}
	end_line(out, start, s);
}

static void scan_addr(struct cur *c, uint32_t *a, uint16_t *port, int v6)
{
	for (int i = 0; i < (v6 ? 4 : 1); i++)
		a[i] = (uint32_t)cur_hex(c, 8);
	cur_ch(c, ':');
	*port = (uint16_t)cur_hex(c, 4);
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	const struct inet_shape *s = shape(p->file);
	struct pl_inet_sock *k = rec;
	struct cur c = { line, nl };
	k->sl = (uint32_t)cur_u(&c);
	cur_ch(&c, ':');
	cur_sp(&c);
	scan_addr(&c, k->local, &k->lport, s->v6);
	cur_ch(&c, ' ');
	scan_addr(&c, k->remote, &k->rport, s->v6);
	cur_ch(&c, ' ');
	k->state = (uint8_t)cur_hex(&c, 2);
	cur_ch(&c, ' ');
	k->tx_queue = (uint32_t)cur_hex(&c, 8);
	cur_ch(&c, ':');
	k->rx_queue = (uint32_t)cur_hex(&c, 8);
	cur_ch(&c, ' ');
	k->timer = (uint8_t)cur_hex(&c, 2);
	cur_ch(&c, ':');
	k->when = cur_hex(&c, 0);
	cur_ch(&c, ' ');
	k->retrnsmt = (uint32_t)cur_hex(&c, 8);
	k->uid = (uint32_t)cur_u(&c);
	k->timeout = (int32_t)cur_i(&c);
	k->inode = cur_u(&c);
	k->refcnt = (int32_t)cur_i(&c);
	cur_sp(&c);
	k->sk = cur_hex(&c, 16);
	if (s->tcp) {
		cur_sp(&c);
		k->full = c.p && c.p < c.end;
		if (k->full) {
			k->rto = cur_u(&c);
			k->ato = cur_u(&c);
			k->quick = (uint32_t)cur_u(&c);
			k->cwnd = (uint32_t)cur_u(&c);
			k->ssthresh = (int32_t)cur_i(&c);
		}
	} else {
		k->drops = (uint32_t)cur_u(&c);
	}
	return c.p ? 0 : -EINVAL; /* the rest (seq_pad's spaces) is checked by printing */
}

const struct net_family pl_net_inet = {
	.elem = sizeof(struct pl_inet_sock),
	.header = header,
	.record = record,
	.parse = parse,
	.header_lines = 1,
	.names_ids = 1,
	.pointers = 1,
};
