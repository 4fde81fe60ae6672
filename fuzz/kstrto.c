/*
** core/write/kstrto.h, the integer parsers that decide what a write to a
** /proc file accepts, against what can be said of them independently:
**
**  - pl_kstrtoull agrees with a second reading of lib/kstrtox.c's grammar
**    written here (128-bit accumulator, no shared code);
**  - a value parsed and printed (%llu, %#llx, %#llo, %lld, %u, %d) parses
**    back to itself;
**  - the narrower parsers are the wider one plus a range check;
**  - the _from_user form is the plain one over the first 34 bytes;
**  - pl_strstrip removes exactly the kernel's spaces at both ends.
**
** The first byte picks the base (0, 8, 10 or 16, the ones /proc's writes
** use); the rest is the write's bytes.
*/
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "write/kstrto.h"
#include "fuzz.h"

/* ---- a second reading of the grammar ---- */

static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* _kstrtoull: no sign. */
static int ref_ull(const char *s, unsigned base, unsigned long long *res)
{
	int has_prefix = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'));
	if (base == 0)
		base = has_prefix && digit_value((unsigned char)s[2]) < 16 ? 16 : s[0] == '0' ? 8 : 10;
	if (base == 16 && has_prefix)
		s += 2;
	unsigned __int128 v = 0;
	int over = 0;
	size_t n = 0;
	while (digit_value((unsigned char)s[n]) < (int)base) {
		v = v * base + (unsigned)digit_value((unsigned char)s[n]);
		if (v > ULLONG_MAX) {
			over = 1;
			v = 0; /* only the flag matters from here */
		}
		n++;
	}
	if (over)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	const char *rest = s + n;
	if (rest[0] == '\n')
		rest++;
	if (rest[0] != '\0')
		return -EINVAL;
	*res = (unsigned long long)v;
	return 0;
}

/* kstrtoull: one '+' first. */
static int ref_kstrtoull(const char *s, unsigned base, unsigned long long *res)
{
	return ref_ull(s[0] == '+' ? s + 1 : s, base, res);
}

/* ---- checks ---- */

/* Print v with fmt and parse it back with base: the same value. */
static void ull_round_trip(unsigned long long v, const char *fmt, unsigned base)
{
	char buf[64];
	unsigned long long back;
	snprintf(buf, sizeof buf, fmt, v);
	int rc = pl_kstrtoull(buf, base, &back);
	FUZZ_CHECK(rc == 0 && back == v, "\"%s\" (base %u): %d, %llu for %llu", buf, base, rc,
	           back, v);
	/* a trailing newline is allowed, as echo writes */
	strcat(buf, "\n");
	rc = pl_kstrtoull(buf, base, &back);
	FUZZ_CHECK(rc == 0 && back == v, "with a newline: %d", rc);
}

static void check_ull(const char *s, unsigned base)
{
	unsigned long long v = 0, r = 0;
	int rc = pl_kstrtoull(s, base, &v);
	int ref = ref_kstrtoull(s, base, &r);
	FUZZ_CHECK(rc == ref, "kstrtoull(base %u): %d, the reference %d", base, rc, ref);
	if (rc == 0) {
		FUZZ_CHECK(v == r, "kstrtoull(base %u): %llu, the reference %llu", base, v, r);
		ull_round_trip(v, "%llu", 10);
		ull_round_trip(v, "%llu", 0); /* "0" alone is octal 0 */
		ull_round_trip(v, "%llx", 16);
		ull_round_trip(v, "%#llx", 16);
		ull_round_trip(v, "%#llx", 0);
		ull_round_trip(v, "%#llX", 0);
		ull_round_trip(v, "0%llo", 0);
		ull_round_trip(v, "%llo", 8);
	}
	unsigned u = 0;
	int urc = pl_kstrtouint(s, base, &u);
	if (rc == 0 && v <= UINT_MAX)
		FUZZ_CHECK(urc == 0 && u == v, "kstrtouint: %d, %u for %llu", urc, u, v);
	else
		FUZZ_CHECK(urc == (rc == 0 ? -ERANGE : rc), "kstrtouint: %d where kstrtoull gave %d",
		           urc, rc);
	if (urc == 0) {
		char buf[16];
		unsigned back;
		snprintf(buf, sizeof buf, "%u", u);
		FUZZ_CHECK(pl_kstrtouint(buf, 10, &back) == 0 && back == u, "%%u round trip");
	}
}

static void check_ll(const char *s, unsigned base)
{
	long long v = 0;
	int rc = pl_kstrtoll(s, base, &v);
	/* kstrtoll: '-' then an unsigned reading that must fit, or kstrtoull */
	unsigned long long m;
	int ref;
	long long expect = 0;
	if (s[0] == '-') {
		ref = ref_ull(s + 1, base, &m);
		if (ref == 0 && m > (unsigned long long)LLONG_MAX + 1)
			ref = -ERANGE;
		if (ref == 0)
			expect = m == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)m;
	} else {
		ref = ref_kstrtoull(s, base, &m);
		if (ref == 0 && m > LLONG_MAX)
			ref = -ERANGE;
		if (ref == 0)
			expect = (long long)m;
	}
	FUZZ_CHECK(rc == ref, "kstrtoll(base %u): %d, the reference %d", base, rc, ref);
	if (rc == 0) {
		FUZZ_CHECK(v == expect, "kstrtoll: %lld, the reference %lld", v, expect);
		char buf[32];
		long long back;
		snprintf(buf, sizeof buf, "%lld", v);
		FUZZ_CHECK(pl_kstrtoll(buf, 10, &back) == 0 && back == v, "%%lld round trip: %s", buf);
	}
	int i = 0;
	int irc = pl_kstrtoint(s, base, &i);
	if (rc == 0 && v >= INT_MIN && v <= INT_MAX)
		FUZZ_CHECK(irc == 0 && i == v, "kstrtoint: %d, %d for %lld", irc, i, v);
	else
		FUZZ_CHECK(irc == (rc == 0 ? -ERANGE : rc), "kstrtoint: %d where kstrtoll gave %d",
		           irc, rc);
	if (irc == 0) {
		char buf[16];
		int back;
		snprintf(buf, sizeof buf, "%d", i);
		FUZZ_CHECK(pl_kstrtoint(buf, 10, &back) == 0 && back == i, "%%d round trip");
	}
}

/* kstrtouint_from_user(buf, count): kstrtouint over at most 34 bytes. */
static void check_from_user(const char *bytes, size_t count, unsigned base)
{
	char s[35];
	size_t n = count < sizeof s - 1 ? count : sizeof s - 1;
	memcpy(s, bytes, n);
	s[n] = '\0';
	unsigned a = 0, b = 0;
	int ra = pl_kstrtouint_from_user(bytes, count, base, &a);
	int rb = pl_kstrtouint(s, base, &b);
	FUZZ_CHECK(ra == rb && (ra < 0 || a == b), "from_user: %d/%u, plain %d/%u", ra, a, rb, b);
}

static int kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static void check_strstrip(const char *s)
{
	size_t n = strlen(s), lo = 0, hi = n;
	while (hi > 0 && kspace((unsigned char)s[hi - 1]))
		hi--;
	while (lo < hi && kspace((unsigned char)s[lo]))
		lo++;
	char *copy = fuzz_text((const unsigned char *)s, n);
	char *r = pl_strstrip(copy);
	FUZZ_CHECK(r >= copy && r <= copy + n, "strstrip: outside its string");
	FUZZ_SAME(r, strlen(r), s + lo, hi - lo, "strstrip");
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned bases[] = { 0, 8, 10, 16 };
	if (size < 1)
		return 0;
	unsigned base = bases[data[0] & 3];
	const char *bytes = (const char *)data + 1;
	size_t count = size - 1;
	char *s = fuzz_text(data + 1, count); /* the kernel's copy: NUL-terminated */
	check_ull(s, base);
	check_ll(s, base);
	check_from_user(bytes, count, base);
	check_strstrip(s);
	free(s);
	return 0;
}
