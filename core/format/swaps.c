/*
** swaps: mm/swapfile.c swap_show.  A header, then for each area its path
** (seq_file_path, escaping " \t\n\\" as \ooo) padded to 40 columns, the
** type, and the size, use and priority with their tabs.
*/
#include "format/format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/scan.h"

static const char header[] = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

static size_t put_escaped_path(const char *s, struct pl_buf *out)
{
	size_t n = 0;
	for (; *s; s++) {
		if (strchr(" \t\n\\", *s)) {
			pl_buf_printf(out, "\\%03o", (unsigned char)*s);
			n += 4;
		} else {
			pl_buf_putc(out, *s);
			n++;
		}
	}
	return n;
}

int pl_fmt_swaps(const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_puts(out, header);
	for (size_t i = 0; i < m->nswaps; i++) {
		const struct pl_swap *w = &m->swaps[i];
		size_t len = put_escaped_path(w->path, out);
		pl_buf_printf(out, "%*s%s\t%llu\t%s%llu\t%s%d\n", len < 40 ? (int)(40 - len) : 1, " ",
		              w->partition ? "partition" : "file\t", (unsigned long long)w->size_kb,
		              w->size_kb < 10000000 ? "\t" : "", (unsigned long long)w->used_kb,
		              w->used_kb < 10000000 ? "\t" : "", (int)w->prio);
	}
	return pl_buf_status(out);
}

/* The path up to its padding: \ooo back to the byte. */
static const char *scan_path(struct pl_arena *a, const char *p, const char *end, const char **path)
{
	char *s = pl_arena_alloc(a, (size_t)(end - p) + 1);
	size_t n = 0;
	if (!s)
		return NULL;
	for (; p < end && *p != ' '; p++) {
		if (*p == '\\' && end - p >= 4 && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			s[n++] = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
			p += 3;
		} else {
			s[n++] = *p;
		}
	}
	s[n] = '\0';
	*path = s;
	return p;
}

static int swap_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_swap *w = elem;
	const char *p = scan_path(a, line, nl, &w->path);
	if (!p)
		return -ENOMEM;
	size_t shown = (size_t)(p - line), pad = 0;
	for (; p < nl && *p == ' '; p++)
		pad++;
	/* the padding must be the one the formatter gives back */
	if (!shown || pad != (shown < 40 ? 40 - shown : 1))
		return -EINVAL;
	if (nl - p > 10 && memcmp(p, "partition\t", 10) == 0) {
		w->partition = 1;
		p += 10;
	} else if (nl - p > 6 && memcmp(p, "file\t\t", 6) == 0) {
		w->partition = 0;
		p += 6;
	} else {
		return -EINVAL;
	}
	if (!(p = pl_scan_u64(p, nl, &w->size_kb)) || *p++ != '\t')
		return -EINVAL;
	if (w->size_kb < 10000000 && *p++ != '\t')
		return -EINVAL;
	if (!(p = pl_scan_u64(p, nl, &w->used_kb)) || *p++ != '\t')
		return -EINVAL;
	if (w->used_kb < 10000000 && *p++ != '\t')
		return -EINVAL;
	char *q;
	long prio = strtol(p, &q, 10);
	if (q == p || q != nl || prio < INT32_MIN || prio > INT32_MAX)
		return -EINVAL;
	w->prio = (int32_t)prio;
	return 0;
}

int pl_parse_swaps(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	size_t h = sizeof header - 1;
	if (len < h || memcmp(text, header, h) != 0)
		return -EINVAL;
	void *v;
	size_t n;
	int rc = pl_parse_lines(text + h, len - h, a, sizeof(struct pl_swap), swap_line, &v, &n);
	if (rc < 0)
		return rc;
	m->swaps = v;
	m->nswaps = n;
	m->have |= PL_M_SWAPS;
	return 0;
}
