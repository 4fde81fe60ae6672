/*
** What the net/ formatters and parsers share: the families' rows (net.c
** dispatches through them), a cursor for reading a line, and the writers
** of the printf conversions the kernel's seq_printf lines use.  Private
** to format/.
*/
#ifndef PL_FORMAT_NET_TEXT_H
#define PL_FORMAT_NET_TEXT_H

#include <stdint.h>
#include <string.h>

#include "format/net.h"

/* One family of files: how a record is printed and read back. */
struct net_family {
	size_t elem;               /* size of a record */
	/* The lines before the records, as this kernel prints them. */
	void (*header)(int f, const struct pl_net *net, struct pl_buf *out);
	/* One record (its lines, each ending '\n'). */
	void (*record)(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out);
	/* Line [line, nl) into rec: 0 a record (checked against `record`'s
	** last line), 1 a line with no record of its own, -EINVAL. */
	int (*parse)(struct pl_net_parse *p, const char *line, const char *nl, void *rec);
	/* Header lines read by the family itself (protocols' methods): the
	** line index, else NULL (the header is compared with `header`). */
	int (*parse_header)(struct pl_net_parse *p, const char *line, const char *nl);
	uint8_t header_lines;
	uint8_t header_optional;   /* an empty file is whole (route) */
	uint8_t names_ids, pointers;
};

extern const struct net_family pl_net_inet, pl_net_unix, pl_net_packet, pl_net_netlink,
	pl_net_dev, pl_net_dev_mcast, pl_net_sections, pl_net_snmp6, pl_net_route4,
	pl_net_route6, pl_net_if6, pl_net_arp, pl_net_igmp, pl_net_protocols,
	pl_net_fib_trie, pl_net_mcaddr, pl_net_mcfilter, pl_net_ptype, pl_net_hexrows,
	pl_net_hexrows_headed, pl_net_xtnames, pl_net_fibstat, pl_net_regs, pl_net_regs_headed;

/* ------------------------------------------------------------------------
** reading: a cursor over [p, end); a failed step leaves p NULL, and every
** later step fails too, so a parser checks once at the end
*/
struct cur {
	const char *p, *end;
};

static inline void cur_sp(struct cur *c)
{
	while (c->p && c->p < c->end && *c->p == ' ')
		c->p++;
}

static inline int cur_at(struct cur *c, char ch)
{
	return c->p && c->p < c->end && *c->p == ch;
}

static inline void cur_lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);
	if (c->p && (size_t)(c->end - c->p) >= n && memcmp(c->p, s, n) == 0)
		c->p += n;
	else
		c->p = NULL;
}

static inline void cur_ch(struct cur *c, char ch)
{
	if (cur_at(c, ch))
		c->p++;
	else
		c->p = NULL;
}

static inline int net_hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex digits, exactly `n` of them (n > 0), or as many as there are (n 0,
** at most 16). */
static inline uint64_t cur_hex(struct cur *c, int n)
{
	uint64_t v = 0;
	int k = 0, d;
	if (!c->p)
		return 0;
	while (c->p < c->end && (n == 0 || k < n) && (d = net_hexval(*c->p)) >= 0) {
		if (k == 16) {
			c->p = NULL;
			return 0;
		}
		v = v << 4 | (uint64_t)d;
		c->p++, k++;
	}
	if (k == 0 || (n && k != n))
		c->p = NULL;
	return v;
}

/* Decimal after any spaces: unsigned, or with a '-' when `sign`. */
static inline uint64_t cur_u(struct cur *c)
{
	cur_sp(c);
	uint64_t v = 0;
	const char *s = c->p;
	if (!s)
		return 0;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');
		if (v > (UINT64_MAX - d) / 10) {
			c->p = NULL;
			return 0;
		}
		v = v * 10 + d;
		c->p++;
	}
	if (c->p == s)
		c->p = NULL;
	return v;
}

static inline int64_t cur_i(struct cur *c)
{
	cur_sp(c);
	int neg = cur_at(c, '-');
	if (neg)
		c->p++;
	uint64_t v = cur_u(c);
	if (c->p && v > (uint64_t)INT64_MAX + (uint64_t)neg)
		c->p = NULL;
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

/* A word after any spaces, up to a space, a tab or the end. */
static inline const char *cur_word(struct cur *c, size_t *len)
{
	cur_sp(c);
	const char *s = c->p;
	if (!s)
		return NULL;
	while (c->p < c->end && *c->p != ' ' && *c->p != '\t')
		c->p++;
	*len = (size_t)(c->p - s);
	if (!*len)
		c->p = NULL;
	return s;
}

/* A 32-hex-digit IPv6 address (%pi6) into bytes. */
static inline void cur_in6(struct cur *c, uint8_t a[16])
{
	for (int i = 0; i < 16; i++)
		a[i] = (uint8_t)cur_hex(c, 2);
}

/* ------------------------------------------------------------------------
** writing
*/

/* "%*d" / "%-*d" / "%*u" ...: v (negative when neg) right or left in width. */
void pl_net_put_dec(struct pl_buf *out, uint64_t v, int neg, int width, int left);
static inline void put_d(struct pl_buf *out, int64_t v, int width)
{
	pl_net_put_dec(out, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, width, 0);
}
static inline void put_u(struct pl_buf *out, uint64_t v, int width)
{
	pl_net_put_dec(out, v, 0, width, 0);
}
static inline void put_ld(struct pl_buf *out, int64_t v, int width)
{
	pl_net_put_dec(out, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, width, 1);
}
static inline void put_lu(struct pl_buf *out, uint64_t v, int width)
{
	pl_net_put_dec(out, v, 0, width, 1);
}
/* "%0*X" (upper) or "%0*x": at least `digits` hex digits. */
void pl_net_put_hex(struct pl_buf *out, uint64_t v, int digits, int upper);
/* "%s" padded to width (right-aligned; left when left). */
void pl_net_put_str(struct pl_buf *out, const char *s, int width, int left);
/* seq_pad: spaces up to `width` bytes since start, then '\n'. */
void pl_net_pad(struct pl_buf *out, size_t start, size_t width);
/* %pK as the reader sees it: the kernel's value, or zeros. */
void pl_net_put_ptr(struct pl_buf *out, uint64_t sk, const struct pl_net_view *v);
/* A uid as the reader's namespace names it. */
uint32_t pl_net_uid(uint32_t uid, const struct pl_net_view *v);
/* %pi6: 32 lower-case hex digits. */
void pl_net_put_in6(struct pl_buf *out, const uint8_t a[16]);

/* The same, written in place at p (room reserved by the caller); each
** returns the end.  The socket tables' lines are written this way: a
** busy machine's tcp has hundreds of thousands. */
static inline char *w_hex(char *p, uint64_t v, int digits, int upper)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 1;
	for (uint64_t x = v >> 4; x; x >>= 4)
		n++;
	if (n < digits)
		n = digits;
	for (int i = n - 1; i >= 0; i--, v >>= 4)
		p[i] = dig[v & 15];
	return p + n;
}

static inline char *w_dec(char *p, uint64_t v, int neg, int width)
{
	char digits[24];
	int n = 0;
	do {
		digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		digits[sizeof digits - 1 - n++] = '-';
	for (; width > n; width--)
		*p++ = ' ';
	memcpy(p, digits + sizeof digits - n, (size_t)n);
	return p + n;
}

static inline char *w_i(char *p, int64_t v, int width)
{
	return w_dec(p, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, width);
}

/* A string of the line into the arena (NULL: out of memory). */
static inline const char *net_str(struct pl_net_parse *p, const char *s, size_t n)
{
	return pl_arena_strndup(p->a, s, n);
}

#endif
