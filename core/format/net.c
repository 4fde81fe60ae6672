/*
** The net/ files: which family prints each, the writers the families
** share, and the parse of a file fed a line at a time.
*/
#include "format/net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/net_text.h"
#include "format/scan.h"

const char *const pl_net_names[PL_NET_COUNT] = {
	[PL_NET_ARP] = "arp", [PL_NET_DEV] = "dev", [PL_NET_RAW] = "raw", [PL_NET_TCP] = "tcp",
	[PL_NET_UDP] = "udp", [PL_NET_IGMP] = "igmp", [PL_NET_RAW6] = "raw6",
	[PL_NET_SNMP] = "snmp", [PL_NET_TCP6] = "tcp6", [PL_NET_UDP6] = "udp6",
	[PL_NET_UNIX] = "unix", [PL_NET_ROUTE] = "route", [PL_NET_SNMP6] = "snmp6",
	[PL_NET_PACKET] = "packet", [PL_NET_NETLINK] = "netlink", [PL_NET_NETSTAT] = "netstat",
	[PL_NET_UDPLITE] = "udplite", [PL_NET_IF_INET6] = "if_inet6",
	[PL_NET_SOCKSTAT] = "sockstat", [PL_NET_UDPLITE6] = "udplite6",
	[PL_NET_DEV_MCAST] = "dev_mcast", [PL_NET_PROTOCOLS] = "protocols",
	[PL_NET_SOCKSTAT6] = "sockstat6", [PL_NET_IPV6_ROUTE] = "ipv6_route",
	[PL_NET_ICMP] = "icmp", [PL_NET_ICMP6] = "icmp6", [PL_NET_IGMP6] = "igmp6",
	[PL_NET_PTYPE] = "ptype", [PL_NET_PSCHED] = "psched", [PL_NET_ANYCAST6] = "anycast6",
	[PL_NET_FIB_TRIE] = "fib_trie", [PL_NET_MCFILTER] = "mcfilter",
	[PL_NET_MCFILTER6] = "mcfilter6", [PL_NET_RT6_STATS] = "rt6_stats",
	[PL_NET_XFRM_STAT] = "xfrm_stat", [PL_NET_SOFTNET_STAT] = "softnet_stat",
	[PL_NET_IP_TABLES_NAMES] = "ip_tables_names", [PL_NET_ARP_TABLES_NAMES] = "arp_tables_names",
	[PL_NET_IP6_TABLES_NAMES] = "ip6_tables_names",
	[PL_NET_IP_TABLES_MATCHES] = "ip_tables_matches",
	[PL_NET_IP_TABLES_TARGETS] = "ip_tables_targets",
	[PL_NET_ARP_TABLES_MATCHES] = "arp_tables_matches",
	[PL_NET_ARP_TABLES_TARGETS] = "arp_tables_targets",
	[PL_NET_IP6_TABLES_MATCHES] = "ip6_tables_matches",
	[PL_NET_IP6_TABLES_TARGETS] = "ip6_tables_targets",
	[PL_NET_STAT_RT_CACHE] = "stat/rt_cache", [PL_NET_STAT_SYNPROXY] = "stat/synproxy",
	[PL_NET_STAT_ARP_CACHE] = "stat/arp_cache", [PL_NET_STAT_NDISC_CACHE] = "stat/ndisc_cache",
	[PL_NET_STAT_NF_CONNTRACK] = "stat/nf_conntrack", [PL_NET_RT_CACHE] = "rt_cache",
	[PL_NET_CONNECTOR] = "connector", [PL_NET_FIB_TRIESTAT] = "fib_triestat",
	[PL_NET_NF_LOG] = "netfilter/nf_log",
};

int pl_net_lookup(const char *name)
{
	for (int f = 0; f < PL_NET_COUNT; f++)
		if (strcmp(pl_net_names[f], name) == 0)
			return f;
	return -1;
}

static const struct net_family *family(int f)
{
	switch (f) {
	case PL_NET_TCP: case PL_NET_TCP6: case PL_NET_UDP: case PL_NET_UDP6:
	case PL_NET_UDPLITE: case PL_NET_UDPLITE6: case PL_NET_RAW: case PL_NET_RAW6:
	case PL_NET_ICMP: case PL_NET_ICMP6:
		return &pl_net_inet;
	case PL_NET_UNIX: return &pl_net_unix;
	case PL_NET_PACKET: return &pl_net_packet;
	case PL_NET_NETLINK: return &pl_net_netlink;
	case PL_NET_DEV: return &pl_net_dev;
	case PL_NET_DEV_MCAST: return &pl_net_dev_mcast;
	case PL_NET_SNMP: case PL_NET_NETSTAT: case PL_NET_SOCKSTAT: case PL_NET_SOCKSTAT6:
		return &pl_net_sections;
	case PL_NET_SNMP6: case PL_NET_XFRM_STAT: return &pl_net_snmp6;
	case PL_NET_ROUTE: return &pl_net_route4;
	case PL_NET_IPV6_ROUTE: return &pl_net_route6;
	case PL_NET_IF_INET6: return &pl_net_if6;
	case PL_NET_ARP: return &pl_net_arp;
	case PL_NET_IGMP: return &pl_net_igmp;
	case PL_NET_PROTOCOLS: return &pl_net_protocols;
	case PL_NET_FIB_TRIE: return &pl_net_fib_trie;
	case PL_NET_IGMP6: case PL_NET_ANYCAST6: return &pl_net_mcaddr;
	case PL_NET_MCFILTER: case PL_NET_MCFILTER6: return &pl_net_mcfilter;
	case PL_NET_PTYPE: return &pl_net_ptype;
	case PL_NET_PSCHED: case PL_NET_RT6_STATS: case PL_NET_SOFTNET_STAT:
		return &pl_net_hexrows;
	case PL_NET_STAT_RT_CACHE: case PL_NET_STAT_SYNPROXY: case PL_NET_STAT_ARP_CACHE:
	case PL_NET_STAT_NDISC_CACHE: case PL_NET_STAT_NF_CONNTRACK:
		return &pl_net_hexrows_headed;
	case PL_NET_FIB_TRIESTAT: return &pl_net_fibstat;
	case PL_NET_NF_LOG: return &pl_net_regs;
	case PL_NET_CONNECTOR: case PL_NET_RT_CACHE: return &pl_net_regs_headed;
	default:
		if (f >= PL_NET_IP_TABLES_NAMES && f <= PL_NET_IP6_TABLES_TARGETS)
			return &pl_net_xtnames;
		return NULL;
	}
}

int pl_net_single(int f)
{
	return pl_net_write_error(f) != 0;
}

int pl_net_write_error(int f)
{
	switch (f) {
	/* single_open_net: no write method, the open's own answer */
	case PL_NET_SNMP: case PL_NET_SNMP6: case PL_NET_NETSTAT: case PL_NET_SOCKSTAT:
	case PL_NET_SOCKSTAT6: case PL_NET_RT6_STATS: case PL_NET_XFRM_STAT:
	case PL_NET_FIB_TRIESTAT:
		return -EACCES;
	/* proc_create_seq, proc_create_single and the like: procfs's
	** proc_reg_write finds no write method */
	case PL_NET_PSCHED: case PL_NET_SOFTNET_STAT: case PL_NET_STAT_RT_CACHE:
	case PL_NET_STAT_ARP_CACHE: case PL_NET_STAT_NDISC_CACHE:
	case PL_NET_IP_TABLES_MATCHES: case PL_NET_IP_TABLES_TARGETS:
	case PL_NET_ARP_TABLES_MATCHES: case PL_NET_ARP_TABLES_TARGETS:
	case PL_NET_IP6_TABLES_MATCHES: case PL_NET_IP6_TABLES_TARGETS:
	case PL_NET_RT_CACHE: case PL_NET_CONNECTOR:
		return -EIO;
	default: /* seq_open_net: the open for writing is refused */
		return 0;
	}
}

int pl_net_names_ids(int f)
{
	const struct net_family *fam = family(f);
	return fam && fam->names_ids;
}

int pl_net_shows_pointers(int f)
{
	const struct net_family *fam = family(f);
	return fam && fam->pointers;
}

int pl_fmt_net(int f, const struct pl_net *net, const struct pl_net_view *v, struct pl_buf *out)
{
	const struct net_family *fam = family(f);
	if (!fam)
		return -EINVAL;
	static const struct pl_net_view top = { NULL, 1 };
	if (!v)
		v = &top;
	fam->header(f, net, out);
	const struct pl_net_list *l = &net->list[f];
	for (size_t i = 0; i < l->n; i++)
		fam->record(f, (const char *)l->v + i * fam->elem, v, out);
	return pl_buf_status(out);
}

/* ------------------------------------------------------------------------
** writers
*/

void pl_net_put_dec(struct pl_buf *out, uint64_t v, int neg, int width, int left)
{
	char digits[24];
	int n = 0;
	do {
		digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		digits[sizeof digits - 1 - n++] = '-';
	int padn = width > n ? width - n : 0;
	char *w = pl_buf_reserve(out, (size_t)(n + padn));
	if (!w)
		return;
	if (!left) {
		memset(w, ' ', (size_t)padn);
		w += padn;
	}
	memcpy(w, digits + sizeof digits - n, (size_t)n);
	if (left)
		memset(w + n, ' ', (size_t)padn);
	out->len += (size_t)(n + padn);
}

void pl_net_put_hex(struct pl_buf *out, uint64_t v, int digits, int upper)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 1;
	for (uint64_t x = v >> 4; x; x >>= 4)
		n++;
	if (n < digits)
		n = digits;
	char *w = pl_buf_reserve(out, (size_t)n);
	if (!w)
		return;
	for (int i = n - 1; i >= 0; i--, v >>= 4)
		w[i] = dig[v & 15];
	out->len += (size_t)n;
}

void pl_net_put_str(struct pl_buf *out, const char *s, int width, int left)
{
	size_t n = strlen(s);
	size_t padn = (size_t)width > n ? (size_t)width - n : 0;
	char *w = pl_buf_reserve(out, n + padn);
	if (!w)
		return;
	if (!left) {
		memset(w, ' ', padn);
		w += padn;
	}
	memcpy(w, s, n);
	if (left)
		memset(w + n, ' ', padn);
	out->len += n + padn;
}

void pl_net_pad(struct pl_buf *out, size_t start, size_t width)
{
	size_t have = out->len - start;
	if (have < width) {
		char *w = pl_buf_reserve(out, width - have);
		if (w) {
			memset(w, ' ', width - have);
			out->len += width - have;
		}
	}
	pl_buf_putc(out, '\n');
}

void pl_net_put_ptr(struct pl_buf *out, uint64_t sk, const struct pl_net_view *v)
{
	pl_net_put_hex(out, v->pointers ? sk : 0, 16, 0);
}

uint32_t pl_net_uid(uint32_t uid, const struct pl_net_view *v)
{
	const struct pl_idview *ids = v->ids;
	if (!ids)
		return uid;
	for (size_t i = 0; i < ids->nuid; i++) /* from_kuid_munged */
		if (uid >= ids->uid[i].lower_first && uid - ids->uid[i].lower_first < ids->uid[i].count)
			return ids->uid[i].first + (uid - ids->uid[i].lower_first);
	return ids->overflow_uid;
}

void pl_net_put_in6(struct pl_buf *out, const uint8_t a[16])
{
	char *w = pl_buf_reserve(out, 32);
	if (!w)
		return;
	static const char dig[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		w[2 * i] = dig[a[i] >> 4];
		w[2 * i + 1] = dig[a[i] & 15];
	}
	out->len += 32;
}

/* ------------------------------------------------------------------------
** parsing
*/

void pl_net_parse_begin(struct pl_net_parse *p, int f, struct pl_arena *a, struct pl_net *net)
{
	memset(p, 0, sizeof *p);
	p->file = f;
	p->a = a;
	p->net = net;
}

/* Whether [line, nl] is the last line of what the record prints. */
static int same_as_printed(struct pl_net_parse *p, const struct net_family *fam, const void *rec,
                           const char *line, const char *nl)
{
	static const struct pl_net_view top = { NULL, 1 };
	pl_buf_reset(&p->check);
	fam->record(p->file, rec, &top, &p->check);
	if (pl_buf_status(&p->check) < 0)
		return -ENOMEM;
	size_t n = (size_t)(nl - line) + 1;
	return p->check.len >= n && (p->check.len == n || p->check.data[p->check.len - n - 1] == '\n') &&
	       memcmp(p->check.data + p->check.len - n, line, n) == 0;
}

/* A header line: the family reads it, or it is this kernel's. */
static int header_line(struct pl_net_parse *p, const struct net_family *fam, const char *line,
                       const char *nl)
{
	if (fam->parse_header)
		return fam->parse_header(p, line, nl);
	pl_buf_reset(&p->check);
	fam->header(p->file, p->net, &p->check);
	if (pl_buf_status(&p->check) < 0)
		return -ENOMEM;
	/* line p->line of what the header prints */
	const char *s = p->check.data, *end = s + p->check.len;
	for (unsigned i = 0; i < p->line && s; i++) {
		s = memchr(s, '\n', (size_t)(end - s));
		s = s ? s + 1 : NULL;
	}
	size_t n = (size_t)(nl - line) + 1;
	return s && (size_t)(end - s) >= n && memcmp(s, line, n) == 0 ? 0 : -EINVAL;
}

int pl_net_parse_line(struct pl_net_parse *p, const char *line, const char *nl)
{
	const struct net_family *fam = family(p->file);
	if (!fam)
		return -EINVAL;
	if (memchr(line, '\0', (size_t)(nl - line)))
		return -EINVAL;
	int rc;
	if (p->line < fam->header_lines) {
		rc = header_line(p, fam, line, nl);
	} else {
		char *grown = pl_arena_grow(p->a, p->v, fam->elem, &p->cap, p->n + 1);
		if (!grown)
			return -ENOMEM;
		p->v = grown;
		void *rec = grown + p->n * fam->elem;
		memset(rec, 0, fam->elem);
		rc = fam->parse(p, line, nl, rec);
		if (rc == 0) {
			int same = same_as_printed(p, fam, rec, line, nl);
			rc = same < 0 ? same : same ? 0 : -EINVAL;
			if (rc == 0)
				p->n++;
		} else if (rc == 1) {
			rc = 0;
		}
	}
	if (rc == -EINVAL)
		p->a->fail_line = p->line + 1;
	p->line++;
	return rc;
}

int pl_net_parse_end(struct pl_net_parse *p, int rc)
{
	const struct net_family *fam = family(p->file);
	/* not even its header, or a names line without its values */
	if (rc == 0 && fam && ((p->line && p->line < fam->header_lines) ||
	                       (!p->line && fam->header_lines && !fam->header_optional) || p->section))
		rc = -EINVAL;
	if (rc == 0) {
		p->net->list[p->file].v = p->v;
		p->net->list[p->file].n = p->n;
		p->net->have |= 1ull << p->file;
	}
	pl_buf_free(&p->check);
	free(p->names);
	p->names = NULL;
	return rc;
}

int pl_parse_net(int f, const char *text, size_t len, struct pl_arena *a, struct pl_net *net)
{
	struct pl_net_parse p;
	pl_net_parse_begin(&p, f, a, net);
	const char *s = text, *end = text + len;
	int rc = 0;
	while (rc == 0 && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl) {
			rc = pl_parse_fail(a, text, s);
			break;
		}
		rc = pl_net_parse_line(&p, s, nl);
		s = nl + 1;
	}
	return pl_net_parse_end(&p, rc);
}
