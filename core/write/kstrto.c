/*
** lib/kstrtox.c's rules, for the rules of core/write (see kstrto.h).
*/
#include "write/kstrto.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

static int lower(int c)
{
	return c | 0x20;
}

static int is_xdigit(int c)
{
	return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f');
}

/* _parse_integer_fixup_radix */
static const char *fixup_radix(const char *s, unsigned *base)
{
	if (*base == 0) {
		if (s[0] == '0')
			*base = lower(s[1]) == 'x' && is_xdigit(s[2]) ? 16 : 8;
		else
			*base = 10;
	}
	if (*base == 16 && s[0] == '0' && lower(s[1]) == 'x')
		s += 2;
	return s;
}

size_t pl_kparse_integer(const char *s, unsigned base, unsigned long long *res, int *overflow)
{
	const char *digits = fixup_radix(s, &base);
	unsigned long long v = 0;
	size_t n = 0;
	*overflow = 0;
	for (;; n++) {
		int c = (unsigned char)digits[n];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (lower(c) >= 'a' && lower(c) <= 'f')
			d = (unsigned)(lower(c) - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			*overflow = 1;
		v = v * base + d;
	}
	*res = v;
	return n ? (size_t)(digits - s) + n : 0;
}

/* _kstrtoull: digits, then one optional newline, then the end. */
static int parse_ull(const char *s, unsigned base, unsigned long long *res)
{
	unsigned long long v;
	int overflow;
	size_t n = pl_kparse_integer(s, base, &v, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int pl_kstrtoull(const char *s, unsigned base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return parse_ull(s, base, res);
}

int pl_kstrtoll(const char *s, unsigned base, long long *res)
{
	unsigned long long v;
	int rc;
	if (s[0] == '-') {
		if ((rc = parse_ull(s + 1, base, &v)) < 0)
			return rc;
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
		return 0;
	}
	if ((rc = pl_kstrtoull(s, base, &v)) < 0)
		return rc;
	if (v > LLONG_MAX)
		return -ERANGE;
	*res = (long long)v;
	return 0;
}

int pl_kstrtoint(const char *s, unsigned base, int *res)
{
	long long v;
	int rc = pl_kstrtoll(s, base, &v);
	if (rc < 0)
		return rc;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

int pl_kstrtouint(const char *s, unsigned base, unsigned *res)
{
	unsigned long long v;
	int rc = pl_kstrtoull(s, base, &v);
	if (rc < 0)
		return rc;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = (unsigned)v;
	return 0;
}

int pl_kstrtouint_from_user(const char *buf, size_t count, unsigned base, unsigned *res)
{
	char s[1 + sizeof(unsigned) * 8 + 1 + 1]; /* sign, base 2 digits, newline, NUL */
	if (count > sizeof s - 1)
		count = sizeof s - 1;
	memcpy(s, buf, count);
	s[count] = '\0';
	return pl_kstrtouint(s, base, res);
}

int pl_kstrtoull_from_user(const char *buf, size_t count, unsigned base, unsigned long long *res)
{
	char s[1 + sizeof(unsigned long long) * 8 + 1 + 1];
	if (count > sizeof s - 1)
		count = sizeof s - 1;
	memcpy(s, buf, count);
	s[count] = '\0';
	return pl_kstrtoull(s, base, res);
}

/* The kernel's isspace: \t \n \v \f \r, space, and 0xa0 (Latin-1 NBSP). */
int pl_kisspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

long pl_proc_numbuf_int(const char *buf, size_t len, int *res)
{
	char copy[PL_PROC_NUMBUF] = { 0 };
	size_t count = len < sizeof copy - 1 ? len : sizeof copy - 1;
	memcpy(copy, buf, count);
	int rc = pl_kstrtoint(pl_strstrip(copy), 0, res);
	return rc < 0 ? rc : (long)count;
}

char *pl_strstrip(char *s)
{
	size_t n = strlen(s);
	while (n && pl_kisspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (pl_kisspace((unsigned char)*s))
		s++;
	return s;
}
