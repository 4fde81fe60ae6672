/*
** iomem and ioports: kernel/resource.c's r_show, the resource tree in
** preorder, a line a resource: two spaces a level below the root, start
** and end in hex (at least 4 digits for ioports, whose root ends at
** 0xffff, 8 for iomem), " : " and its name.  The addresses are shown only
** to an opener holding CAP_SYS_ADMIN in the initial user namespace
** (file_ns_capable on the file's credentials); anyone else reads zeros.
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "format/scan.h"

static void put_resource(const struct pl_resource *r, int width, int shows, struct pl_buf *out)
{
	pl_buf_printf(out, "%*s%0*" PRIx64 "-%0*" PRIx64 " : %s\n", (int)r->depth * 2, "", width,
	              shows ? r->start : 0, width, shows ? r->end : 0, r->name);
}

static int fmt_tree(const struct pl_resource *r, size_t n, int width, int shows, struct pl_buf *out)
{
	for (size_t i = 0; i < n; i++)
		put_resource(&r[i], width, shows, out);
	return pl_buf_status(out);
}

int pl_fmt_iomem(const struct pl_machine *m, int shows_addrs, struct pl_buf *out)
{
	return fmt_tree(m->iomem, m->niomem, 8, shows_addrs, out);
}

int pl_fmt_ioports(const struct pl_machine *m, int shows_addrs, struct pl_buf *out)
{
	return fmt_tree(m->ioports, m->nioports, 4, shows_addrs, out);
}

static const char *scan_hex(const char *p, const char *end, uint64_t *v)
{
	const char *s = p;
	*v = 0;
	for (; p < end; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			break;
		if (*v >> 60)
			return NULL;
		*v = *v << 4 | (uint64_t)d;
	}
	return p == s ? NULL : p;
}

static int resource_line(struct pl_arena *a, const char *line, const char *nl,
                         struct pl_resource *r, int width, uint32_t prev_depth, int first)
{
	memset(r, 0, sizeof *r);
	const char *p = line;
	while (p < nl && *p == ' ')
		p++;
	size_t indent = (size_t)(p - line);
	/* a child is one level below its parent at most */
	if (indent % 2 || (first ? indent != 0 : indent / 2 > prev_depth + 1))
		return -EINVAL;
	r->depth = (uint32_t)(indent / 2);
	if (!(p = scan_hex(p, nl, &r->start)) || p >= nl || *p++ != '-' ||
	    !(p = scan_hex(p, nl, &r->end)) || nl - p < 3 || memcmp(p, " : ", 3) != 0)
		return -EINVAL;
	p += 3;
	if (!(r->name = pl_arena_strndup(a, p, (size_t)(nl - p))))
		return -ENOMEM;
	/* the line must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	put_resource(r, width, 1, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

static int parse_tree(const char *text, size_t len, struct pl_arena *a, int width,
                      const struct pl_resource **out, size_t *nout)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	size_t cap = 0;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	struct pl_resource *v = cap ? pl_arena_alloc(a, cap * sizeof *v) : NULL;
	if (cap && !v)
		return -ENOMEM;
	const char *p = text, *end = text + len;
	size_t n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return pl_parse_fail(a, text, p);
		int rc = resource_line(a, p, nl, &v[n], width, n ? v[n - 1].depth : 0, n == 0);
		if (rc < 0)
			return rc == -EINVAL ? pl_parse_fail(a, text, p) : rc;
		n++;
		p = nl + 1;
	}
	*out = v;
	*nout = n;
	return 0;
}

int pl_parse_iomem(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	int rc = parse_tree(text, len, a, 8, &m->iomem, &m->niomem);
	if (rc == 0)
		m->have |= PL_M_RESOURCES;
	return rc;
}

int pl_parse_ioports(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	int rc = parse_tree(text, len, a, 4, &m->ioports, &m->nioports);
	if (rc == 0)
		m->have |= PL_M_RESOURCES;
	return rc;
}
