/*
** sys/ as the source has it: a layout's PL_K_SETTINGS directory turned,
** once per loaded tree, into static directories of every setting the
** source lists, so that lookup, listing and access treat them as they
** treat any layout entry (and the kernel may cache their names).
**
** A setting is named by its path under sys/.  One with a row in
** record/sysctl.h becomes its builtin (typed, written by the kernel's
** rules in a world); the machine's names and release their machine files;
** any other a PL_K_SETTING, read from the source by path.  The layout may
** hide a name (and what lies under it) and put its own entry in place of
** a setting, or where the source has none.
*/
#include "tree/builtin.h"
#include "tree/layout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "format/format.h"
#include "source/source.h"
#include "write/write.h"

struct item {
	const char *path;
	unsigned mode;             /* 0: its row's; S_IFDIR: a directory */
	int own;                   /* the layout's entry in its place, or -1 */
};

struct collect {
	struct pl_arena *a;
	struct item *v;
	size_t n, cap;
	const char *hidden;        /* sysctl names, a line each */
	int err;
};

/* Whether path is name (a sysctl name) or lies under it. */
static int under(const char *path, const char *name, size_t len)
{
	char p[256];
	if (len >= sizeof p)
		return 0;
	memcpy(p, name, len);
	p[len] = '\0';
	if (pl_setting_path(p, p, sizeof p) < 0)
		return 0;
	return strncmp(path, p, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

static int is_hidden(const char *hidden, const char *path)
{
	for (const char *h = hidden; h && *h;) {
		const char *nl = strchr(h, '\n');
		size_t len = nl ? (size_t)(nl - h) : strlen(h);
		if (len && under(path, h, len))
			return 1;
		h += len + (nl != NULL);
	}
	return 0;
}

static int push(struct collect *c, const char *path, unsigned mode, int own)
{
	c->v = pl_arena_grow(c->a, c->v, sizeof *c->v, &c->cap, c->n + 1);
	const char *copy = pl_arena_strdup(c->a, path);
	if (!c->v || !copy)
		return c->err = -ENOMEM;
	c->v[c->n++] = (struct item){ copy, mode, own };
	return 0;
}

static int add_setting(void *arg, const char *path, unsigned mode)
{
	struct collect *c = arg;
	return is_hidden(c->hidden, path) ? 0 : push(c, path, mode, -1);
}

/* The kernel's order within a directory (namecmp): bytes, then length;
** paths compare part by part. */
static int by_parts(const void *pa, const void *pb)
{
	const char *a = ((const struct item *)pa)->path, *b = ((const struct item *)pb)->path;
	for (;;) {
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
		int cmp = memcmp(a, b, la < lb ? la : lb);
		if (cmp)
			return cmp;
		if (la != lb)
			return la < lb ? -1 : 1;
		if (!a[la] || !b[lb]) /* a directory before what it holds */
			return !a[la] && !b[lb] ? 0 : !a[la] ? -1 : 1;
		a += la + 1;
		b += lb + 1;
	}
}

/* Part `depth` of path: its start and length; *last if nothing follows. */
static const char *part(const char *path, int depth, size_t *len, int *last)
{
	for (int i = 0; i < depth; i++)
		path = strchr(path, '/') + 1;
	*len = strcspn(path, "/");
	*last = path[*len] == '\0';
	return path;
}

struct build {
	const struct pl_layout *l;
	struct pl_source *src;
	const struct pl_entry *tmpl; /* the PL_K_SETTINGS entry: its scope, refs */
	struct pl_entry *e;
	size_t n, cap;
	struct pl_arena *a;
	int err;
};

/*
** e, of path[0, len) with permission bits mode: under sys/net, its path
** kept, and whether a reader's network namespace decides if it exists or
** its mode (pl_source_ops.setting_varies).
*/
static void net_name(struct build *b, struct pl_entry *e, const char *path, size_t len,
                     unsigned mode)
{
	char p[256];
	e->ns_path = NULL;
	e->ns_varies = 0;
	if (len < 3 || memcmp(path, "net", 3) != 0 || (len > 3 && path[3] != '/') || len >= sizeof p)
		return;
	memcpy(p, path, len);
	p[len] = '\0';
	if (!(e->ns_path = pl_arena_strdup(b->a, p)))
		b->err = -ENOMEM;
	e->ns_varies = b->src->ops->setting_varies && b->src->ops->setting_varies(b->src, p, mode);
}

/* The entry of setting it (a file of the directory being built). */
static struct pl_entry file_entry(struct build *b, const struct item *it, const char *name,
                                  size_t len)
{
	struct pl_entry e = it->own >= 0 ? b->l->entries[it->own] : *b->tmpl;
	if (it->own < 0) {
		int id = pl_sysctl_lookup_path(it->path);
		e.kind = PL_K_FILE;
		e.mode = (uint16_t)(it->mode ? it->mode : id >= 0 ? pl_sysctl_mode(id) : 0444);
		e.content = NULL;
		e.content_len = 0;
		if (strcmp(it->path, "kernel/osrelease") == 0)
			e.gen = PL_G_OSRELEASE;
		else if (strcmp(it->path, "kernel/ostype") == 0)
			e.gen = PL_G_OSTYPE;
		else if (id == PL_SYSCTL_HOSTNAME)
			e.gen = PL_G_HOSTNAME;
		else if (id == PL_SYSCTL_PID_MAX)
			e.gen = PL_G_PID_MAX;
		else if (id >= 0)
			e.gen = (uint16_t)(PL_G_SYSCTL_FIRST + id);
		else {
			e.kind = PL_K_SETTING;
			e.gen = PL_G_NONE;
			e.content = it->path;
			e.content_len = strlen(it->path);
		}
		e.first = e.n = e.nsubdirs = 0;
	}
	const char *copy = pl_arena_strndup(b->a, name, len);
	if (!copy)
		b->err = -ENOMEM;
	e.name = copy;
	e.len = (uint16_t)len;
	if (it->own < 0) /* the layout's own entry is every reader's */
		net_name(b, &e, it->path, strlen(it->path), e.mode);
	else
		e.ns_path = NULL, e.ns_varies = 0;
	return e;
}

static int reserve(struct build *b, size_t more)
{
	if (b->n + more > PL_LAYOUT_MAX_ENTRIES)
		return b->err = -E2BIG;
	if (b->n + more <= b->cap)
		return 0;
	size_t cap = b->cap * 2 > b->n + more ? b->cap * 2 : b->n + more;
	struct pl_entry *e = realloc(b->e, cap * sizeof *e);
	if (!e)
		return b->err = -ENOMEM;
	b->e = e;
	b->cap = cap;
	return 0;
}

/* Directory entry `dir` holds items [lo, hi), which share their first
** `depth` parts: its children, then each child directory's. */
static void build_dir(struct build *b, const struct item *v, size_t lo, size_t hi, int depth,
                      size_t dir)
{
	size_t count = 0, len, len2;
	int last, last2;
	for (size_t i = lo; i < hi; count++) {
		const char *p = part(v[i].path, depth, &len, &last);
		for (i++; i < hi; i++) {
			const char *q = part(v[i].path, depth, &len2, &last2);
			if (len2 != len || memcmp(p, q, len) != 0)
				break;
		}
	}
	if (reserve(b, count) < 0)
		return;
	size_t first = b->n;
	b->n += count;
	uint32_t subdirs = 0;
	for (size_t i = lo, k = first; i < hi; k++) {
		size_t start = i;
		const char *p = part(v[i].path, depth, &len, &last);
		for (i++; i < hi; i++) {
			const char *q = part(v[i].path, depth, &len2, &last2);
			if (len2 != len || memcmp(p, q, len) != 0)
				break;
		}
		if (last && i == start + 1 && !S_ISDIR(v[start].mode)) {
			b->e[k] = file_entry(b, &v[start], p, len);
			subdirs += b->e[k].kind == PL_K_DIR;
			continue;
		}
		struct pl_entry d = *b->tmpl;
		d.kind = PL_K_DIR;
		d.mode = 0555;
		d.one_link = 1;
		d.content = NULL;
		d.content_len = 0;
		d.gen = PL_G_NONE;
		if (!(d.name = pl_arena_strndup(b->a, p, len)))
			b->err = -ENOMEM;
		d.len = (uint16_t)len;
		net_name(b, &d, v[start].path, (size_t)(p - v[start].path) + len, d.mode);
		b->e[k] = d;
		subdirs++;
		/* the directory's own item, if named, holds nothing; a name that
		** is both a setting and a directory (only a layout's own entry
		** could make one): the directory wins */
		size_t from = last ? start + 1 : start;
		build_dir(b, v, from, i, depth + 1, k);
		if (b->err)
			return;
	}
	b->e[dir].first = (uint32_t)first;
	b->e[dir].n = (uint32_t)count;
	b->e[dir].nsubdirs = subdirs;
}

static void expand(struct build *b, struct pl_source *src, size_t at)
{
	const struct pl_entry *s = &b->l->entries[at];
	b->tmpl = s;
	struct collect c = { b->a, NULL, 0, 0, s->content, 0 };
	if (src->ops->each_setting) {
		int rc = src->ops->each_setting(src, add_setting, &c);
		if (rc < 0 && !c.err)
			c.err = rc;
	}
	/* the layout's own: in place of the source's, or added */
	for (uint32_t i = s->first; !c.err && i < s->first + s->n; i++) {
		char path[256];
		if (pl_setting_path(b->l->entries[i].name, path, sizeof path) < 0)
			continue;
		size_t j = 0;
		while (j < c.n && strcmp(c.v[j].path, path) != 0)
			j++;
		if (j < c.n)
			c.v[j].own = (int)i;
		else
			push(&c, path, 0, (int)i);
	}
	if (c.err) {
		b->err = c.err;
		return;
	}
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, by_parts);
	b->e[at].kind = PL_K_DIR;
	b->e[at].one_link = 1;
	b->e[at].content = NULL;
	b->e[at].content_len = 0;
	build_dir(b, c.v, 0, c.n, 0, at);
}

struct pl_layout *pl_layout_with_settings(const struct pl_layout *l, struct pl_source *src)
{
	struct pl_layout *out = calloc(1, sizeof *out);
	struct pl_arena *a = calloc(1, sizeof *a);
	struct build b = { l, src, NULL, NULL, 0, 0, a, 0 };
	if (!out || !a || reserve(&b, l->nentries ? l->nentries : 1) < 0) {
		free(out);
		free(a);
		free(b.e);
		return NULL;
	}
	memcpy(b.e, l->entries, l->nentries * sizeof *b.e);
	b.n = l->nentries;
	for (uint32_t i = 0; i < l->nentries && !b.err; i++)
		if (l->entries[i].kind == PL_K_SETTINGS && l->entries[i].scope == PL_SCOPE_ROOT)
			expand(&b, src, i);
	if (b.err) {
		free(b.e);
		pl_arena_free(a);
		free(a);
		free(out);
		return NULL;
	}
	*out = *l;
	out->entries = b.e;
	out->nentries = (uint32_t)b.n;
	out->strings = NULL; /* borrowed: l's */
	out->more = a;
	return out;
}
