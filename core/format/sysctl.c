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
