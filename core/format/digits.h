/*
** Digits written in place: the formatters of the most-read files (stat,
** status, bitmaps) reserve a line's worst case once and write through a
** cursor, since a buffer call per token costs more than the formatting.
** Private to format/.
*/
#ifndef PL_FORMAT_DIGITS_H
#define PL_FORMAT_DIGITS_H

#include <stdint.h>
#include <string.h>


/* "00".."99": two digits per division, halving the work on addresses. */
static const char pl_digits2[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static inline unsigned ndigits(uint64_t v)
{
	unsigned n = 1;
	while (v >= 100) {
		v /= 100;
		n += 2;
	}
	return n + (v >= 10);
}

/* Append the decimal digits of v at p, written in place from the right. */
static inline char *put_u(char *p, uint64_t v)
{
	char *end = p + ndigits(v), *q = end;
	while (v >= 100) {
		q -= 2;
		memcpy(q, pl_digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, pl_digits2 + 2 * v, 2);
	else
		q[-1] = (char)('0' + v);
	return end;
}

/* " %llu", the separator every field after the state carries. */
static inline char *sp_u(char *p, uint64_t v)
{
	*p++ = ' ';
	return put_u(p, v);
}

static inline char *sp_i(char *p, int64_t v)
{
	*p++ = ' ';
	if (v < 0) {
		*p++ = '-';
		return put_u(p, 0 - (uint64_t)v);
	}
	return put_u(p, (uint64_t)v);
}

static inline char *put_i(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u(p, 0 - (uint64_t)v);
	}
	return put_u(p, (uint64_t)v);
}

/* `digits` hex digits of v, zero padded. */
static inline char *put_hex(char *p, uint64_t v, int digits)
{
	static const char hexdig[] = "0123456789abcdef";
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		p[i] = hexdig[v & 15];
	return p + digits;
}

static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* At most `maxd` hex digits; *nd gets how many were read. */
static inline const char *scan_hex(const char *p, const char *end, int maxd, uint64_t *v, int *nd)
{
	uint64_t x = 0;
	int n = 0, d;
	for (; p < end && (d = hexval(*p)) >= 0; p++, n++) {
		if (n == maxd)
			return NULL;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	*nd = n;
	return n ? p : NULL;
}

#endif
