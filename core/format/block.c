/*
** partitions and diskstats: block/genhd.c show_partition and
** diskstats_show.  partitions: a header and a blank line, then "major
** minor #blocks name" in fixed widths; diskstats: "major minor name" and
** the device's counters (17 since Linux 5.5).
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

static const char parts_header[] = "major minor  #blocks  name\n\n";

int pl_fmt_partitions(const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_puts(out, parts_header);
	for (size_t i = 0; i < m->nparts; i++) {
		const struct pl_block_dev *d = &m->parts[i];
		pl_buf_printf(out, "%4u  %7u %10llu %s\n", d->major, d->minor,
		              (unsigned long long)d->blocks, d->name);
	}
	return pl_buf_status(out);
}

int pl_fmt_diskstats(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->ndisks; i++) {
		const struct pl_block_dev *d = &m->disks[i];
		pl_buf_printf(out, "%4u %7u %s", d->major, d->minor, d->name);
		for (unsigned k = 0; k < d->nstat; k++) {
			pl_buf_putc(out, ' ');
			pl_buf_u64(out, d->stat[k]);
		}
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

/* A number right-aligned in `width` columns (wider if it needs to be). */
static const char *scan_padded(const char *p, const char *end, unsigned width, uint64_t *v)
{
	const char *s = p;
	while (p < end && *p == ' ')
		p++;
	const char *q = pl_scan_u64(p, end, v);
	if (!q || (q - s != (long)width && (p != s || q - p < (long)width)) || (*p == '0' && q - p > 1))
		return NULL;
	return q;
}

static const char *scan_dev(const char *p, const char *end, unsigned wmaj, unsigned gap,
                            unsigned wmin, struct pl_block_dev *d)
{
	uint64_t maj, min;
	if (!(p = scan_padded(p, end, wmaj, &maj)) || maj > UINT32_MAX || end - p < gap)
		return NULL;
	for (unsigned i = 0; i + 1 < gap; i++)
		if (*p++ != ' ')
			return NULL;
	if (!(p = scan_padded(p, end, wmin, &min)) || min > UINT32_MAX)
		return NULL;
	d->major = (uint32_t)maj;
	d->minor = (uint32_t)min;
	return p;
}

static int name_to_end(struct pl_arena *a, const char *p, const char *nl, const char **name)
{
	if (p >= nl || memchr(p, ' ', (size_t)(nl - p)))
		return -EINVAL;
	*name = pl_arena_strndup(a, p, (size_t)(nl - p));
	return *name ? 0 : -ENOMEM;
}

static int part_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_block_dev *d = elem;
	const char *p = scan_dev(line, nl, 4, 3, 7, d);
	if (!p || p == nl || *p != ' ' || !(p = scan_padded(p + 1, nl, 10, &d->blocks)) || p == nl ||
	    *p++ != ' ')
		return -EINVAL;
	return name_to_end(a, p, nl, &d->name);
}

int pl_parse_partitions(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	size_t h = sizeof parts_header - 1;
	if (len < h || memcmp(text, parts_header, h) != 0)
		return -EINVAL;
	void *v;
	size_t n;
	int rc = pl_parse_lines(text + h, len - h, a, sizeof(struct pl_block_dev), part_line, &v, &n);
	if (rc < 0)
		return rc;
	m->parts = v;
	m->nparts = n;
	m->have |= PL_M_PARTITIONS;
	return 0;
}

static int disk_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_block_dev *d = elem;
	const char *p = scan_dev(line, nl, 4, 2, 7, d);
	if (!p || p == nl || *p++ != ' ')
		return -EINVAL;
	const char *sp = memchr(p, ' ', (size_t)(nl - p));
	if (!sp || sp == p)
		return -EINVAL;
	if (!(d->name = pl_arena_strndup(a, p, (size_t)(sp - p))))
		return -ENOMEM;
	for (p = sp; p < nl;) {
		if (*p != ' ' || d->nstat == PL_DISK_FIELDS ||
		    !(p = pl_scan_u64(p + 1, nl, &d->stat[d->nstat++])))
			return -EINVAL;
	}
	return d->nstat ? 0 : -EINVAL;
}

int pl_parse_diskstats(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_block_dev), disk_line, &v, &n);
	if (rc < 0)
		return rc;
	m->disks = v;
	m->ndisks = n;
	m->have |= PL_M_DISKSTATS;
	return 0;
}
