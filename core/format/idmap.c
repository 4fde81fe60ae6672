/*
** uid_map, gid_map, projid_map and setgroups: Linux's uid_m_show /
** gid_m_show / projid_m_show,
** map_write's parser and proc_setgroups_show (kernel/user_namespace.c).
**
** Read side: one "%10u %10u %10u\n" line per extent.  Every u32 fits in ten
** digits, so each line is exactly 33 bytes, which the read-back parser
** insists on.  The order is the kernel's storage order: as written for up
** to 5 extents, sorted by first id beyond that (sort_idmaps); the lower id
** is already translated into the reader's view by whoever filled the task.
*/
#include "format/format.h"
#include "format/scan.h"

#include <errno.h>
#include <string.h>

#define LINE_LEN 33 /* "%10u %10u %10u\n" */

/* "%10u": right-aligned in ten columns, padded with spaces. */
static void put_u32_10(char *p, uint32_t v)
{
	int i = 10;
	do {
		p[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memset(p, ' ', (size_t)i);
}

int pl_fmt_idmap(const struct pl_idmap_extent *e, size_t n, struct pl_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char *w = pl_buf_reserve(out, LINE_LEN);
		if (!w)
			break;
		put_u32_10(w, e[i].first);
		w[10] = ' ';
		put_u32_10(w + 11, e[i].lower_first);
		w[21] = ' ';
		put_u32_10(w + 22, e[i].count);
		w[32] = '\n';
		out->len += LINE_LEN;
	}
	return pl_buf_status(out);
}

/* One "%10u" field: spaces, then at least one digit, value within u32. */
static int get_u32_10(const char *p, uint32_t *v)
{
	int i = 0;
	while (i < 10 && p[i] == ' ')
		i++;
	if (i == 10)
		return -EINVAL;
	uint64_t x = 0;
	for (; i < 10; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -EINVAL;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	if (x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

static int parse_line(const char *p, struct pl_idmap_extent *e)
{
	if (p[10] != ' ' || p[21] != ' ' || p[32] != '\n')
		return -EINVAL;
	if (get_u32_10(p, &e->first) || get_u32_10(p + 11, &e->lower_first) ||
	    get_u32_10(p + 22, &e->count))
		return -EINVAL;
	return 0;
}

int pl_parse_idmap(const char *text, size_t len, struct pl_arena *a,
                   const struct pl_idmap_extent **out, size_t *n)
{
	size_t k = len / LINE_LEN;
	for (size_t i = 0; i < k; i++) /* every line a whole LINE_LEN */
		if (text[i * LINE_LEN + LINE_LEN - 1] != '\n')
			return pl_parse_fail(a, text, text + i * LINE_LEN);
	if (len % LINE_LEN)
		return pl_parse_fail(a, text, text + k * LINE_LEN);
	struct pl_idmap_extent *v = NULL;
	if (k && !(v = pl_arena_alloc(a, k * sizeof *v)))
		return -ENOMEM;
	for (size_t i = 0; i < k; i++)
		if (parse_line(text + i * LINE_LEN, &v[i]))
			return pl_parse_fail(a, text, text + i * LINE_LEN);
	*out = v;
	*n = k;
	return 0;
}

/* uid_map, gid_map and projid_map (projid_m_show) of a task: PL_F_IDMAP */
int pl_fmt_uid_map(const struct pl_task *t, struct pl_buf *out)
{
	return pl_fmt_idmap(t->uid_map, t->nuid_map, out);
}

int pl_fmt_gid_map(const struct pl_task *t, struct pl_buf *out)
{
	return pl_fmt_idmap(t->gid_map, t->ngid_map, out);
}

int pl_fmt_projid_map(const struct pl_task *t, struct pl_buf *out)
{
	return pl_fmt_idmap(t->projid_map, t->nprojid_map, out);
}

int pl_parse_projid_map(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	return pl_parse_idmap(text, len, a, &t->projid_map, &t->nprojid_map);
}

int pl_parse_uid_map(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	return pl_parse_idmap(text, len, a, &t->uid_map, &t->nuid_map);
}

int pl_parse_gid_map(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	return pl_parse_idmap(text, len, a, &t->gid_map, &t->ngid_map);
}

/* setgroups: PL_F_IDMAP */
int pl_fmt_setgroups(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_puts(out, t->setgroups_allowed ? "allow\n" : "deny\n");
	return pl_buf_status(out);
}

int pl_parse_setgroups(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (len == 6 && memcmp(text, "allow\n", 6) == 0)
		t->setgroups_allowed = 1;
	else if (len == 5 && memcmp(text, "deny\n", 5) == 0)
		t->setgroups_allowed = 0;
	else
		return pl_parse_fail(a, text, text);
	return 0;
}

/*
** {====================================================================
** Write side: map_write's parser
** =====================================================================
*/

/* The kernel's isspace: its Latin-1 ctype table also counts NBSP (0xa0). */
static int kspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

/* A line [p, e); reading at e yields the NUL that ends the kernel's string. */
struct cursor {
	const char *p, *e;
};

static unsigned char cur(const struct cursor *c)
{
	return c->p < c->e ? (unsigned char)*c->p : 0;
}

static void skip_spaces(struct cursor *c)
{
	while (kspace(cur(c)))
		c->p++;
}

/*
** simple_strtoul(p, &p, 10) stored into a u32: no sign, no prefix, as many
** digits as there are, the value silently kept modulo 2^32.
*/
static uint32_t strtou32(struct cursor *c)
{
	uint32_t v = 0;
	for (unsigned char d; (d = cur(c)) >= '0' && d <= '9'; c->p++)
		v = v * 10u + (uint32_t)(d - '0');
	return v;
}

/* "first lower count": each number after skip_spaces, then a space (or,
** after count, the end), then nothing but spaces. */
static int parse_write_line(struct cursor c, struct pl_idmap_extent *x)
{
	skip_spaces(&c);
	x->first = strtou32(&c);
	if (!kspace(cur(&c)))
		return -EINVAL;
	skip_spaces(&c);
	x->lower_first = strtou32(&c);
	if (!kspace(cur(&c)))
		return -EINVAL;
	skip_spaces(&c);
	x->count = strtou32(&c);
	if (cur(&c) && !kspace(cur(&c)))
		return -EINVAL;
	skip_spaces(&c);
	return cur(&c) ? -EINVAL : 0;
}

/* Ranges [a, a+n-1] and [b, b+m-1], computed in u32 as the kernel does. */
static int ranges_meet(uint32_t a, uint32_t n, uint32_t b, uint32_t m)
{
	return a <= b + m - 1 && a + n - 1 >= b;
}

static int extent_ok(const struct pl_idmap_extent *x, const struct pl_idmap_extent *prev,
                     size_t nprev)
{
	if (x->first == UINT32_MAX || x->lower_first == UINT32_MAX)
		return 0;
	/* count 0, or a range that wraps past 2^32 */
	if (x->first + x->count <= x->first ||
	    x->lower_first + x->count <= x->lower_first)
		return 0;
	for (size_t i = 0; i < nprev; i++)
		if (ranges_meet(prev[i].first, prev[i].count, x->first, x->count) ||
		    ranges_meet(prev[i].lower_first, prev[i].count, x->lower_first, x->count))
			return 0;
	return 1;
}

/*
** The text of one write(2) to uid_map or gid_map, as map_write parses it
** (linux-semantics §(c) step 5).  The caller has made the earlier checks
** (offset 0, len < page size, map not yet written, CAP_SYS_ADMIN).  Lines
** end at '\n'; a final '\n' or a NUL ends the input; an empty line, junk,
** an id of 4294967295, a count of 0, a wrapping or overlapping range, more
** than min(max, 340) lines, or no line at all is -EINVAL.  Extents come
** out in input order, lower ids as written (in the parent's terms).
*/
int pl_idmap_parse_write(const char *buf, size_t len, struct pl_idmap_extent *out,
                         size_t max, size_t *n)
{
	size_t limit = max < PL_IDMAP_MAX_EXTENTS ? max : PL_IDMAP_MAX_EXTENTS;
	const char *end = buf + strnlen(buf, len);
	const char *p = buf;
	size_t k = 0;
	if (!limit)
		return -EINVAL;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : NULL;
		if (next == end)
			next = NULL;
		struct pl_idmap_extent x;
		struct cursor c = { p, nl ? nl : end };
		if (parse_write_line(c, &x) || !extent_ok(&x, out, k))
			return -EINVAL;
		if (k + 1 == limit && next)
			return -EINVAL;
		out[k++] = x;
		if (!next)
			break;
		p = next;
	}
	*n = k;
	return 0;
}

/* }==================================================================== */
