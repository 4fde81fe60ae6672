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
	/* net/ipv4/ping.c: udp's line, under a header one space shorter */
	static const struct inet_shape icmp = { 0, 5, 0, 127, "  sl  " V4_COLUMNS " ref pointer drops" };
	switch (f) {
	case PL_NET_TCP: return &tcp;
	case PL_NET_TCP6: return &tcp6;
	case PL_NET_UDP: case PL_NET_UDPLITE: return &udp;
	case PL_NET_RAW: return &raw;
	case PL_NET_ICMP: return &icmp;
	default: return &udp6; /* udp6, udplite6, raw6, icmp6 */
	}
}

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)net;
	const struct inet_shape *s = shape(f);
	size_t start = out->len;
	pl_buf_puts(out, s->header);
	if (s->pad)
		pl_net_pad(out, start, s->pad);
	else
		pl_buf_putc(out, '\n');
}

/* The longest line: tcp6's, with every number at its widest. */
#define LINE_MAX 320

static char *w_addr(char *p, const uint32_t *a, uint16_t port, int v6)
{
	for (int i = 0; i < (v6 ? 4 : 1); i++)
		p = w_hex(p, a[i], 8, 1);
	*p++ = ':';
	return w_hex(p, port, 4, 1);
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	const struct inet_shape *s = shape(f);
	const struct pl_inet_sock *k = rec;
	char *start = pl_buf_reserve(out, LINE_MAX + s->pad);
	if (!start)
		return;
	char *p = w_dec(start, k->sl, 0, s->sl_width);
	*p++ = ':', *p++ = ' ';
	p = w_addr(p, k->local, k->lport, s->v6);
	*p++ = ' ';
	p = w_addr(p, k->remote, k->rport, s->v6);
	*p++ = ' ';
	p = w_hex(p, k->state, 2, 1);
	*p++ = ' ';
	p = w_hex(p, k->tx_queue, 8, 1);
	*p++ = ':';
	p = w_hex(p, k->rx_queue, 8, 1);
	*p++ = ' ';
	p = w_hex(p, k->timer, 2, 1);
	*p++ = ':';
	p = w_hex(p, k->when, 8, 1);
	*p++ = ' ';
	p = w_hex(p, k->retrnsmt, 8, 1);
	*p++ = ' ';
	p = w_dec(p, pl_net_uid(k->uid, v), 0, 5);
	*p++ = ' ';
	p = w_i(p, k->timeout, 8);
	*p++ = ' ';
	p = w_dec(p, k->inode, 0, 0);
	*p++ = ' ';
	p = w_i(p, k->refcnt, 0);
	*p++ = ' ';
	p = w_hex(p, v->pointers ? k->sk : 0, 16, 0);
	if (s->tcp && k->full) {
		*p++ = ' ';
		p = w_dec(p, k->rto, 0, 0);
		*p++ = ' ';
		p = w_dec(p, k->ato, 0, 0);
		*p++ = ' ';
		p = w_dec(p, k->quick, 0, 0);
		*p++ = ' ';
		p = w_dec(p, k->cwnd, 0, 0);
		*p++ = ' ';
		p = w_i(p, k->ssthresh, 0);
	} else if (!s->tcp) {
		*p++ = ' ';
		p = w_dec(p, k->drops, 0, 0);
	}
	for (; p - start < s->pad; p++) /* seq_pad */
		*p = ' ';
	*p++ = '\n';
	out->len += (size_t)(p - start);
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
