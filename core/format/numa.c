/*
** numa_maps: Linux's show_numa_map (fs/proc/task_mmu.c), a line per vma:
** "%08lx" start, the policy as mpol_to_str prints it, then " file=PATH"
** (escaping space, tab, newline and '=' as octal), " heap" or " stack",
** " huge" for hugetlb, and, where the walk found pages, its counts: anon,
** dirty, mapped (all pages, when they are neither all anon nor all
** dirty), mapmax (over 1),
** swapcache, active (when fewer than all, not for hugetlb), writeback,
** N<node> per node, kernelpagesize_kB.  A count of 0 is not printed.
**
** A world's task that declares no numa_maps shows its regions as a
** one-node machine with the default policy would: from smaps' counters
** (Rss pages, Anonymous, Shared+Private dirty, all on node 0, all active,
** each page mapped once); a region without counters has no pages.
*/
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

static void put_count(struct pl_buf *out, const char *key, uint64_t v)
{
	pl_buf_putc(out, ' ');
	pl_buf_puts(out, key);
	pl_buf_putc(out, '=');
	pl_buf_u64(out, v);
}

static void fmt_region(const struct pl_numa_region *r, struct pl_buf *out)
{
	pl_buf_printf(out, "%08llx ", (unsigned long long)r->start);
	pl_buf_puts(out, r->policy);
	if (r->where == PL_NUMA_FILE) {
		pl_buf_puts(out, " file=");
		pl_buf_puts(out, r->file);
	} else if (r->where == PL_NUMA_HEAP) {
		pl_buf_puts(out, " heap");
	} else if (r->where == PL_NUMA_STACK) {
		pl_buf_puts(out, " stack");
	}
	if (r->huge)
		pl_buf_puts(out, " huge");
	if (r->pages) {
		if (r->anon)
			put_count(out, "anon", r->anon);
		if (r->dirty)
			put_count(out, "dirty", r->dirty);
		if (r->pages != r->anon && r->pages != r->dirty)
			put_count(out, "mapped", r->pages);
		if (r->mapmax > 1)
			put_count(out, "mapmax", r->mapmax);
		if (r->swapcache)
			put_count(out, "swapcache", r->swapcache);
		if (r->active < r->pages && !r->huge)
			put_count(out, "active", r->active);
		if (r->writeback)
			put_count(out, "writeback", r->writeback);
		for (size_t i = 0; i < r->nnodes; i++)
			if (r->nodes[i].pages) {
				pl_buf_printf(out, " N%u=", (unsigned)r->nodes[i].node);
				pl_buf_u64(out, r->nodes[i].pages);
			}
		put_count(out, "kernelpagesize_kB", r->kernelpagesize_kb);
	}
	pl_buf_putc(out, '\n');
}

/* A maps name (only '\n' escaped, as \012) as numa_maps' seq_path
** escapes it: space, tab and '=' too. */
static void put_numa_path(struct pl_buf *out, const char *name)
{
	for (const char *p = name; *p; p++) {
		if (*p == ' ')
			pl_buf_puts(out, "\\040");
		else if (*p == '\t')
			pl_buf_puts(out, "\\011");
		else if (*p == '=')
			pl_buf_puts(out, "\\075");
		else if (*p == '\n')
			pl_buf_puts(out, "\\012");
		else
			pl_buf_putc(out, *p);
	}
}

static void fmt_derived(const struct pl_region *g, struct pl_buf *out)
{
	pl_buf_printf(out, "%08llx default", (unsigned long long)g->start);
	const char *name = g->name ? g->name : "";
	if (name[0] == '/') {
		pl_buf_puts(out, " file=");
		put_numa_path(out, name);
	} else if (strcmp(name, "[heap]") == 0) {
		pl_buf_puts(out, " heap");
	} else if (strcmp(name, "[stack]") == 0) {
		pl_buf_puts(out, " stack");
	}
	uint64_t kps = g->kb ? g->kb[PL_SM_KERNELPAGESIZE] : 0;
	uint64_t pages = g->kb && kps ? g->kb[PL_SM_RSS] / kps : 0;
	if (pages) {
		uint64_t anon = g->kb[PL_SM_ANONYMOUS] / kps;
		uint64_t dirty = (g->kb[PL_SM_SHARED_DIRTY] + g->kb[PL_SM_PRIVATE_DIRTY]) / kps;
		if (anon)
			put_count(out, "anon", anon);
		if (dirty)
			put_count(out, "dirty", dirty);
		if (pages != anon && pages != dirty)
			put_count(out, "mapped", pages);
		put_count(out, "N0", pages);
		put_count(out, "kernelpagesize_kB", kps);
	}
	pl_buf_putc(out, '\n');
}

/* numa_maps: PL_F_NUMA (a world's undeclared: PL_F_SMAPS) */
int pl_fmt_numa_maps(const struct pl_task *t, struct pl_buf *out)
{
	if (t->numa_declared)
		for (size_t i = 0; i < t->nnuma; i++)
			fmt_region(&t->numa[i], out);
	else
		for (size_t i = 0; i < t->nregions; i++)
			fmt_derived(&t->regions[i], out);
	return pl_buf_status(out);
}

/* "KEY=" at [p, e): the value after it, or NULL. */
static const char *after(const char *p, const char *e, const char *key)
{
	size_t k = strlen(key);
	return (size_t)(e - p) > k && memcmp(p, key, k) == 0 ? p + k : NULL;
}

static int count_of(const char *v, const char *e, uint64_t *out)
{
	return pl_scan_u64(v, e, out) == e ? 0 : -EINVAL;
}

/* One line's words after the policy: a word at a time into r. */
static int parse_word(struct pl_arena *a, const char *p, const char *e, struct pl_numa_region *r,
                      struct pl_numa_node **nodes, size_t *cap)
{
	const char *v;
	if ((v = after(p, e, "file="))) {
		r->where = PL_NUMA_FILE;
		return (r->file = pl_arena_strndup(a, v, (size_t)(e - v))) ? 0 : -ENOMEM;
	}
	if ((size_t)(e - p) == 4 && memcmp(p, "heap", 4) == 0)
		return r->where = PL_NUMA_HEAP, 0;
	if ((size_t)(e - p) == 5 && memcmp(p, "stack", 5) == 0)
		return r->where = PL_NUMA_STACK, 0;
	if ((size_t)(e - p) == 4 && memcmp(p, "huge", 4) == 0)
		return r->huge = 1, 0;
	static const struct { const char *key; size_t off; } counts[] = {
		{ "anon=", offsetof(struct pl_numa_region, anon) },
		{ "dirty=", offsetof(struct pl_numa_region, dirty) },
		{ "mapped=", offsetof(struct pl_numa_region, pages) },
		{ "mapmax=", offsetof(struct pl_numa_region, mapmax) },
		{ "swapcache=", offsetof(struct pl_numa_region, swapcache) },
		{ "active=", offsetof(struct pl_numa_region, active) },
		{ "writeback=", offsetof(struct pl_numa_region, writeback) },
		{ "kernelpagesize_kB=", offsetof(struct pl_numa_region, kernelpagesize_kb) },
	};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		if ((v = after(p, e, counts[i].key)))
			return count_of(v, e, (uint64_t *)((char *)r + counts[i].off));
	if (e - p > 1 && *p == 'N') {
		uint64_t node, pages;
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (!eq || pl_scan_u64(p + 1, eq, &node) != eq || node > UINT32_MAX ||
		    count_of(eq + 1, e, &pages))
			return -EINVAL;
		struct pl_numa_node *n = pl_arena_grow(a, *nodes, sizeof **nodes, cap, r->nnodes + 1);
		if (!n)
			return -ENOMEM;
		*nodes = n;
		n[r->nnodes++] = (struct pl_numa_node){ (uint32_t)node, pages };
		r->nodes = n;
		return 0;
	}
	return -EINVAL;
}

static int parse_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_numa_region *r = elem;
	const char *p = line, *sp = memchr(p, ' ', (size_t)(nl - p));
	if (!sp || sp == p)
		return -EINVAL;
	uint64_t start = 0;
	for (; p < sp; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0 || start >> 60)
			return -EINVAL;
		start = start << 4 | (uint64_t)d;
	}
	r->start = start;
	p = sp + 1;
	const char *end = memchr(p, ' ', (size_t)(nl - p));
	if (!end)
		end = nl;
	if (end == p || !(r->policy = pl_arena_strndup(a, p, (size_t)(end - p))))
		return end == p ? -EINVAL : -ENOMEM;
	struct pl_numa_node *nodes = NULL;
	size_t cap = 0;
	int mapped_said = 0, active_said = 0;
	for (p = end; p < nl; p = end) {
		if (*p++ != ' ')
			return -EINVAL;
		end = memchr(p, ' ', (size_t)(nl - p));
		if (!end)
			end = nl;
		if (end == p)
			return -EINVAL;
		if (after(p, end, "mapped="))
			mapped_said = 1;
		if (after(p, end, "active="))
			active_said = 1;
		int rc = parse_word(a, p, end, r, &nodes, &cap);
		if (rc < 0)
			return rc;
	}
	/* what the line leaves out: mapped when every page is anon or every
	** page dirty (the larger count, as neither exceeds it), active when
	** every page is */
	if (!mapped_said)
		r->pages = r->anon > r->dirty ? r->anon : r->dirty;
	if (!r->kernelpagesize_kb && (r->anon || r->pages))
		return -EINVAL;
	if (!active_said)
		r->active = r->pages;
	return 0;
}

int pl_parse_numa_maps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	void *v = NULL;
	size_t n = 0;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_numa_region), parse_line, &v, &n);
	if (rc < 0)
		return rc;
	t->numa = v;
	t->nnuma = n;
	t->numa_declared = 1;
	return pl_parse_reprints(text, len, a, t, pl_fmt_numa_maps);
}
