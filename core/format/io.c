/*
** io: Linux's do_io_accounting (fs/proc/base.c) and its inverse.  The
** ptrace check that guards the file is the tree's; this is only the text.
*/
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

struct io_line {
	const char *key;   /* with its ": " */
	uint8_t klen;
	uint16_t off;
};

#define IO(key, member) { key ": ", sizeof key + 1, offsetof(struct pl_task, member) }

static const struct io_line io_lines[] = {
	IO("rchar", io_rchar),
	IO("wchar", io_wchar),
	IO("syscr", io_syscr),
	IO("syscw", io_syscw),
	IO("read_bytes", io_read_bytes),
	IO("write_bytes", io_write_bytes),
	IO("cancelled_write_bytes", io_cancelled_write_bytes),
};

#undef IO

#define NIO (sizeof io_lines / sizeof io_lines[0])

static uint64_t *io_field(struct pl_task *t, const struct io_line *l)
{
	return (uint64_t *)((char *)t + l->off);
}

/* PL_F_IO: seven "key: %llu" lines. */
int pl_fmt_io(const struct pl_task *t, struct pl_buf *out)
{
	for (size_t i = 0; i < NIO; i++) {
		const struct io_line *l = &io_lines[i];
		pl_buf_add(out, l->key, l->klen);
		pl_buf_u64(out, *(const uint64_t *)((const char *)t + l->off));
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

/* One "key: value\n" line that must be io_lines[i]; NULL if not. */
static const char *parse_io_line(const char *p, const char *end,
                                 const struct io_line *l, uint64_t *v)
{
	if ((size_t)(end - p) < l->klen || memcmp(p, l->key, l->klen))
		return NULL;
	p = pl_scan_u64(p + l->klen, end, v);
	if (!p || p == end || *p != '\n')
		return NULL;
	return p + 1;
}

/* Fill PL_F_IO from the host's io: the same seven lines, in order. */
int pl_parse_io(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = text, *end = text + len;
	for (size_t i = 0; i < NIO; i++) {
		const char *line = p;
		p = parse_io_line(p, end, &io_lines[i], io_field(t, &io_lines[i]));
		if (!p)
			return pl_parse_fail(a, text, line);
	}
	if (p != end)
		return pl_parse_fail(a, text, p);
	t->have |= PL_F_IO;
	return 0;
}
