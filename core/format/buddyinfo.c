/*
** buddyinfo: mm/vmstat.c's frag_show_print, a line a populated zone of
** each node: "Node N, zone NAME" (the name in 8 columns) and the count of
** free blocks of each order, 6 columns and a space each.
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "format/scan.h"

static void put_zone(const struct pl_buddy_zone *z, struct pl_buf *out)
{
	pl_buf_printf(out, "Node %" PRId32 ", zone %8s ", z->node, z->zone);
	for (int i = 0; i < z->norders; i++)
		pl_buf_printf(out, "%6" PRIu64 " ", z->free[i]);
	pl_buf_putc(out, '\n');
}

int pl_fmt_buddyinfo(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nbuddy; i++)
		put_zone(&m->buddy[i], out);
	return pl_buf_status(out);
}

static int zone_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_buddy_zone *z = elem;
	memset(z, 0, sizeof *z);
	const char *p = line;
	uint64_t v;
	if (nl - p < 5 || memcmp(p, "Node ", 5) != 0 || !(p = pl_scan_u64(p + 5, nl, &v)) ||
	    v > INT32_MAX)
		return -EINVAL;
	z->node = (int32_t)v;
	if (nl - p < 7 || memcmp(p, ", zone ", 7) != 0)
		return -EINVAL;
	p += 7;
	while (p < nl && *p == ' ')
		p++;
	const char *e = p;
	while (e < nl && *e != ' ')
		e++;
	if (e == p || !(z->zone = pl_arena_strndup(a, p, (size_t)(e - p))))
		return e == p ? -EINVAL : -ENOMEM;
	p = e;
	while (p < nl) {
		while (p < nl && *p == ' ')
			p++;
		if (p == nl)
			break;
		if (z->norders == PL_BUDDY_ORDERS || !(p = pl_scan_u64(p, nl, &z->free[z->norders])))
			return -EINVAL;
		z->norders++;
	}
	/* the line must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	put_zone(z, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

int pl_parse_buddyinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_buddy_zone), zone_line, &v, &n);
	if (rc < 0)
		return rc;
	m->buddy = v;
	m->nbuddy = n;
	m->have |= PL_M_BUDDYINFO;
	return 0;
}
