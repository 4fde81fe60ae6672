/*
** Bitmaps as the kernel prints them with %*pb (32-bit hex chunks, most
** significant first) and %*pbl (ranges, "0-3,8"): status's Cpus_allowed and
** Mems_allowed lines, and a world's or a capture's cpus_allowed text.
*/
#include <errno.h>
#include <string.h>

#include "format/format.h"
#include "format/bitmap.h"
#include "format/digits.h"
#include "format/scan.h"

static uint32_t bm_chunk(const struct pl_bitmap *m, unsigned i)
{
	return (uint32_t)(m->w[i / 2] >> (32 * (i % 2)));
}

static int bm_test(const struct pl_bitmap *m, uint32_t bit)
{
	return (int)((m->w[bit / 64] >> (bit % 64)) & 1);
}

uint32_t pl_bitmap_nbits(const struct pl_bitmap *m)
{
	return m->nbits < PL_CPUMASK_WORDS * 64 ? m->nbits : PL_CPUMASK_WORDS * 64;
}

/*
** %*pb: 32-bit chunks, most significant first, comma separated; the top
** chunk is as wide as its bits need, the others 8 digits.
*/
char *pl_put_bitmap(char *p, const struct pl_bitmap *m)
{
	uint32_t nbits = pl_bitmap_nbits(m);
	if (!nbits)
		return p;
	unsigned top = (nbits - 1) / 32;
	for (unsigned i = top + 1; i-- > 0;) {
		uint32_t bits = i == top ? nbits - 32 * top : 32;
		uint64_t v = bm_chunk(m, i) & ((1ull << bits) - 1);
		p = put_hex(p, v, (int)((bits + 3) / 4));
		if (i)
			*p++ = ',';
	}
	return p;
}

/* The first bit at or after `from` that equals `set`, or nbits. */
static uint32_t bm_next(const struct pl_bitmap *m, uint32_t from, int set, uint32_t nbits)
{
	while (from < nbits) {
		uint64_t w = m->w[from / 64];
		if (!set)
			w = ~w;
		w >>= from % 64;
		if (w) {
			from += (uint32_t)__builtin_ctzll(w);
			return from < nbits ? from : nbits;
		}
		from = (from / 64 + 1) * 64;
	}
	return nbits;
}

/* %*pbl: ranges of set bits, "0-3,8". */
char *pl_put_bitlist(char *p, const struct pl_bitmap *m)
{
	uint32_t nbits = pl_bitmap_nbits(m);
	int first = 1;
	for (uint32_t lo = bm_next(m, 0, 1, nbits); lo < nbits;) {
		uint32_t hi = bm_next(m, lo, 0, nbits);
		if (!first)
			*p++ = ',';
		first = 0;
		p = put_u(p, lo);
		if (hi - 1 > lo) {
			*p++ = '-';
			p = put_u(p, hi - 1);
		}
		lo = bm_next(m, hi, 1, nbits);
	}
	return p;
}

/*
** %*pb back into a bitmap.  The width of the top chunk gives nbits to the
** nearest 4 (nbits of 2 and 4 print alike), which is enough to print it
** again byte for byte.
*/
int pl_scan_bitmap(const char *p, const char *end, struct pl_bitmap *m)
{
	size_t nchunks = 1;
	for (const char *q = p; q < end; q++)
		nchunks += *q == ',';
	if (p == end || nchunks > PL_CPUMASK_WORDS * 2)
		return -EINVAL;
	memset(m->w, 0, sizeof m->w);
	int top_digits = 0;
	for (size_t i = nchunks; i-- > 0;) {
		uint64_t v;
		int nd;
		p = scan_hex(p, end, 8, &v, &nd);
		if (!p || (i != nchunks - 1 && nd != 8))
			return -EINVAL;
		if (i == nchunks - 1)
			top_digits = nd;
		m->w[i / 2] |= v << (32 * (i % 2));
		if (i && (p == end || *p++ != ','))
			return -EINVAL;
	}
	if (p != end)
		return -EINVAL;
	m->nbits = (uint32_t)((nchunks - 1) * 32 + (size_t)top_digits * 4);
	return 0;
}

/* The list duplicates the mask just parsed; it must name the same bits. */
int pl_scan_bitlist(const char *p, const char *end, const struct pl_bitmap *m)
{
	uint32_t nbits = pl_bitmap_nbits(m), count = 0;
	while (p < end) {
		uint64_t lo, hi;
		p = pl_scan_u64(p, end, &lo);
		if (!p)
			return -EINVAL;
		hi = lo;
		if (p < end && *p == '-' && !(p = pl_scan_u64(p + 1, end, &hi)))
			return -EINVAL;
		if (hi < lo || hi >= nbits)
			return -EINVAL;
		for (uint64_t bit = lo; bit <= hi; bit++, count++)
			if (!bm_test(m, (uint32_t)bit))
				return -EINVAL;
		if (p < end && *p++ != ',')
			return -EINVAL;
	}
	uint32_t set = 0; /* pl_scan_bitmap left the words past nbits clear */
	for (unsigned i = 0; i < (nbits + 63) / 64; i++)
		set += (uint32_t)__builtin_popcountll(m->w[i]);
	return set == count ? 0 : -EINVAL;
}

int pl_parse_bitmap(const char *text, size_t len, struct pl_bitmap *m)
{
	return pl_scan_bitmap(text, text + len, m);
}

int pl_fmt_bitmap(const struct pl_bitmap *m, struct pl_buf *out)
{
	/* a chunk is at most 8 digits and a comma per 32 bits */
	char *p = pl_buf_reserve(out, (size_t)(m->nbits / 32 + 1) * 9 + 1);
	if (!p)
		return -ENOMEM;
	out->len += (size_t)(pl_put_bitmap(p, m) - p);
	return 0;
}
