/*
** The sys/ settings (record/sysctl.h): each printed as the kernel's
** handler prints it -- proc_dointvec and proc_doulongvec_minmax join the
** numbers with tabs, proc_dostring and proc_do_uuid print one line -- and
** the parser of the host's text for it.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

const struct pl_sysctl_def pl_sysctl_defs[PL_SYSCTL_COUNT] = {
#define PL_SYSCTL_DEF(id, nm, ty, num) [PL_SYSCTL_##id] = { .name = nm, .type = ty, .n = num },
	PL_SYSCTLS(PL_SYSCTL_DEF)
#undef PL_SYSCTL_DEF
};

int pl_sysctl_lookup(const char *name)
{
	for (int i = 0; i < PL_SYSCTL_COUNT; i++)
		if (strcmp(pl_sysctl_defs[i].name, name) == 0)
			return i;
	return -1;
}

/* The rows' names have no '.' inside a part: a path is the name with
** its dots made slashes. */
int pl_sysctl_lookup_path(const char *path)
{
	for (int i = 0; i < PL_SYSCTL_COUNT; i++) {
		const char *n = pl_sysctl_defs[i].name, *p = path;
		for (; *n && (*n == *p || (*n == '.' && *p == '/')); n++, p++)
			;
		if (!*n && !*p)
			return i;
	}
	return -1;
}

/* sysctl(8) shows a path's slashes as dots and its dots as slashes. */
static int swap_separators(const char *from, char *buf, size_t len)
{
	size_t n = strlen(from);
	if (n >= len)
		return -ENAMETOOLONG;
	for (size_t i = 0; i <= n; i++)
		buf[i] = from[i] == '/' ? '.' : from[i] == '.' ? '/' : from[i];
	return 0;
}

int pl_setting_name(const char *path, char *buf, size_t len)
{
	return swap_separators(path, buf, len);
}

int pl_setting_path(const char *name, char *buf, size_t len)
{
	return swap_separators(name, buf, len);
}

static const char hex[] = "0123456789abcdef";

/* %pU: lower-case 8-4-4-4-12 */
static void put_uuid(const uint8_t u[16], struct pl_buf *out)
{
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			pl_buf_putc(out, '-');
		pl_buf_putc(out, hex[u[i] >> 4]);
		pl_buf_putc(out, hex[u[i] & 15]);
	}
}

int pl_fmt_sysctl(int id, const struct pl_sysctl *v, struct pl_buf *out)
{
	const struct pl_sysctl_def *d = &pl_sysctl_defs[id];
	if (!v->set)
		return -ENOENT;
	switch (d->type) {
	case PL_SYSCTL_INT:
	case PL_SYSCTL_ULONG:
		for (unsigned i = 0; i < v->n; i++) {
			if (i)
				pl_buf_putc(out, '\t');
			if (d->type == PL_SYSCTL_INT)
				pl_buf_i64(out, (int64_t)v->v[i]);
			else
				pl_buf_u64(out, v->v[i]);
		}
		break;
	case PL_SYSCTL_TEXT:
		pl_buf_puts(out, v->text ? v->text : "");
		break;
	default:
		put_uuid(v->uuid, out);
		break;
	}
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}

static int hex_digit(char c)
{
	const char *p = c ? strchr(hex, c) : NULL;
	return p ? (int)(p - hex) : -1;
}

int pl_parse_uuid(const char *p, const char *end, uint8_t u[16])
{
	if (end - p != 36)
		return -EINVAL;
	for (int i = 0, k = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (p[k++] != '-')
				return -EINVAL;
		}
		int hi = hex_digit(p[k]), lo = hex_digit(p[k + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		u[i] = (uint8_t)(hi << 4 | lo);
		k += 2;
	}
	return 0;
}

int pl_parse_sysctl(int id, const char *text, size_t len, struct pl_arena *a, struct pl_sysctl *v)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const struct pl_sysctl_def *d = &pl_sysctl_defs[id];
	if (len == 0 || text[len - 1] != '\n' || memchr(text, '\n', len - 1))
		return -EINVAL;
	const char *p = text, *end = text + len - 1;
	memset(v, 0, sizeof *v);
	switch (d->type) {
	case PL_SYSCTL_INT:
	case PL_SYSCTL_ULONG:
		for (;;) {
			int neg = d->type == PL_SYSCTL_INT && p < end && *p == '-';
			uint64_t x;
			if (v->n == PL_SYSCTL_MAX_NUMBERS || !(p = pl_scan_u64(p + neg, end, &x)) ||
			    (d->type == PL_SYSCTL_INT && x > (uint64_t)INT64_MAX + neg))
				return -EINVAL;
			v->v[v->n++] = neg ? 0 - x : x;
			if (p == end)
				break;
			if (*p++ != '\t')
				return -EINVAL;
		}
		if (v->n != d->n)
			return -EINVAL;
		break;
	case PL_SYSCTL_TEXT:
		if (!(v->text = pl_arena_strndup(a, p, (size_t)(end - p))))
			return -ENOMEM;
		break;
	default:
		if (pl_parse_uuid(p, end, v->uuid) < 0)
			return -EINVAL;
		break;
	}
	v->set = 1;
	return 0;
}

/* ------------------------------------------------------------------------
** A setting with no row: numbers where the kernel printed a vector (each
** as %lu or %d prints it: no sign but a '-', no leading zero, tabs
** between, a newline after), else text.
*/

/* One number at p as the kernel prints it; the end, or NULL. */
static const char *scan_printed(const char *p, const char *end, uint64_t *mag, int *neg)
{
	*neg = p < end && *p == '-';
	p += *neg;
	if (p == end || *p < '0' || *p > '9' || (*p == '0' && (*neg || (p + 1 < end && p[1] >= '0' &&
	                                                                p[1] <= '9'))))
		return NULL;
	p = pl_scan_u64(p, end, mag);
	if (p && *neg && *mag > (uint64_t)INT64_MAX + 1)
		return NULL;
	return p;
}

static int parse_numbers(const char *text, size_t len, struct pl_arena *a, struct pl_setting *v)
{
	uint64_t mags[PL_SETTING_MAX_NUMBERS];
	uint32_t n = 0;
	const char *p = text, *end = text + len - 1;
	if (len == 0 || text[len - 1] != '\n')
		return -EINVAL;
	for (;;) {
		int neg;
		if (n == PL_SETTING_MAX_NUMBERS || !(p = scan_printed(p, end, &mags[n], &neg)))
			return -EINVAL;
		if (neg)
			v->neg |= 1ull << n;
		n++;
		if (p == end)
			break;
		if (*p++ != '\t')
			return -EINVAL;
	}
	if (!(v->mag = pl_arena_alloc(a, n * sizeof *v->mag)))
		return -ENOMEM;
	memcpy(v->mag, mags, n * sizeof *v->mag);
	v->n = n;
	return 0;
}

int pl_parse_setting(const char *text, size_t len, struct pl_arena *a, struct pl_setting *v)
{
	memset(v, 0, sizeof *v);
	if (len > PL_SETTING_MAX_TEXT)
		return -EFBIG;
	int rc = parse_numbers(text, len, a, v);
	if (rc != -EINVAL)
		return rc;
	memset(v, 0, sizeof *v);
	v->newline = len && text[len - 1] == '\n';
	v->len = len - v->newline;
	if (!(v->text = pl_arena_strndup(a, text, v->len)))
		return -ENOMEM;
	return 0;
}

int pl_fmt_setting(const struct pl_setting *v, struct pl_buf *out)
{
	if (v->err)
		return v->err;
	if (!v->n) {
		pl_buf_add(out, v->text, v->len);
		if (v->newline)
			pl_buf_putc(out, '\n');
		return pl_buf_status(out);
	}
	for (uint32_t i = 0; i < v->n; i++) {
		if (i)
			pl_buf_putc(out, '\t');
		if ((v->neg >> i) & 1)
			pl_buf_putc(out, '-');
		pl_buf_u64(out, v->mag[i]);
	}
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}
