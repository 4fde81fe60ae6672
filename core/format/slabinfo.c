/*
** slabinfo (mode 0400): mm/slab_common.c's slab_show, version 2.1: a
** header, then a line a cache.  SLUB keeps no per-cpu tunables nor shared
** caches, so its three tunables and sharedavail are 0; the counts move
** between reads.
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "format/scan.h"

static const char header[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	" : tunables <limit> <batchcount> <sharedfactor>"
	" : slabdata <active_slabs> <num_slabs> <sharedavail>\n";

static void put_slab(const struct pl_slab *s, struct pl_buf *out)
{
	pl_buf_printf(out,
	              "%-17s %6" PRIu64 " %6" PRIu64 " %6" PRIu32 " %4" PRIu32 " %4" PRId32
	              " : tunables %4" PRIu32 " %4" PRIu32 " %4" PRIu32
	              " : slabdata %6" PRIu64 " %6" PRIu64 " %6" PRIu64 "\n",
	              s->name, s->active_objs, s->num_objs, s->objsize, s->objperslab, s->pagesperslab,
	              s->limit, s->batchcount, s->sharedfactor, s->active_slabs, s->num_slabs,
	              s->sharedavail);
}

int pl_fmt_slabinfo(const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_puts(out, header);
	for (size_t i = 0; i < m->nslabs; i++)
		put_slab(&m->slabs[i], out);
	return pl_buf_status(out);
}

/* The next space-separated word of [*p, end): its start, *len its length. */
static const char *next_word(const char **p, const char *end, size_t *len)
{
	const char *s = *p;
	while (s < end && *s == ' ')
		s++;
	const char *e = s;
	while (e < end && *e != ' ')
		e++;
	*p = e;
	*len = (size_t)(e - s);
	return s;
}

static int number(const char **p, const char *end, uint64_t max, uint64_t *v)
{
	size_t len;
	const char *w = next_word(p, end, &len);
	return len && pl_scan_u64(w, w + len, v) == w + len && *v <= max ? 0 : -EINVAL;
}

static int literal(const char **p, const char *end, const char *want)
{
	size_t len;
	const char *w = next_word(p, end, &len);
	return len == strlen(want) && memcmp(w, want, len) == 0 ? 0 : -EINVAL;
}

static int slab_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_slab *s = elem;
	memset(s, 0, sizeof *s);
	const char *p = line;
	size_t len;
	const char *w = next_word(&p, nl, &len);
	if (!len)
		return -EINVAL;
	if (!(s->name = pl_arena_strndup(a, w, len)))
		return -ENOMEM;
	uint64_t v[11];
	int rc = 0;
	for (int i = 0; rc == 0 && i < 5; i++)
		rc = number(&p, nl, i < 2 ? UINT64_MAX : i == 4 ? INT32_MAX : UINT32_MAX, &v[i]);
	if (rc == 0)
		rc = literal(&p, nl, ":") || literal(&p, nl, "tunables") ? -EINVAL : 0;
	for (int i = 5; rc == 0 && i < 8; i++)
		rc = number(&p, nl, UINT32_MAX, &v[i]);
	if (rc == 0)
		rc = literal(&p, nl, ":") || literal(&p, nl, "slabdata") ? -EINVAL : 0;
	for (int i = 8; rc == 0 && i < 11; i++)
		rc = number(&p, nl, UINT64_MAX, &v[i]);
	if (rc < 0)
		return rc;
	s->active_objs = v[0];
	s->num_objs = v[1];
	s->objsize = (uint32_t)v[2];
	s->objperslab = (uint32_t)v[3];
	s->pagesperslab = (int32_t)v[4];
	s->limit = (uint32_t)v[5];
	s->batchcount = (uint32_t)v[6];
	s->sharedfactor = (uint32_t)v[7];
	s->active_slabs = v[8];
	s->num_slabs = v[9];
	s->sharedavail = v[10];
	/* the line must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	put_slab(s, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

int pl_parse_slabinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	size_t hl = sizeof header - 1;
	if (len < hl || memcmp(text, header, hl) != 0)
		return pl_parse_fail(a, text, text);
	void *v;
	size_t n;
	int rc = pl_parse_lines(text + hl, len - hl, a, sizeof(struct pl_slab), slab_line, &v, &n);
	if (rc == -EINVAL && a->fail_line)
		a->fail_line += 2;    /* counted from the file's first line */
	if (rc < 0)
		return rc;
	m->slabs = v;
	m->nslabs = n;
	m->have |= PL_M_SLABINFO;
	return 0;
}
