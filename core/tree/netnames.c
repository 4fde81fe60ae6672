/*
** sys/net names only a reader's network namespace has: an interface the
** daemon's namespace lacks has its directories under ipv4/conf,
** ipv4/neigh, ipv6/conf and ipv6/neigh in the reader's, and Linux shows
** them to it.  The layout's names are the daemon's (settings.c), so these
** are found in the reader's namespace (pl_source_ops.setting_list and
** setting_seen) at each lookup and listing, and each is given an entry of
** its own, numbered for the tree's life: its inode is tgid 0, tid 0, slot
** FD_BIT | number (a slot no root-level entry uses).  A directory's entry
** holds no children (its names are the reader's); a file's is a
** PL_K_SETTING of its path, read and written in the reader's namespace as
** any sys/net setting is.  Such names are asked for at every walk.
*/
#include "tree/node.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 256
#define CHUNKS 256             /* at most 65,536 names in a tree's life */

struct tree_netnames {
	pthread_mutex_t lock;      /* taken to add one */
	struct pl_arena arena;     /* their names and paths */
	struct pl_entry *chunk[CHUNKS];
	_Atomic uint32_t n;        /* published after the entry is whole */
};

static struct tree_netnames *names_of(struct pl_tree *k)
{
	struct tree_netnames *t = atomic_load(&k->netnames);
	if (t)
		return t;
	struct tree_netnames *fresh = calloc(1, sizeof *fresh);
	if (!fresh)
		return NULL;
	pthread_mutex_init(&fresh->lock, NULL);
	if (atomic_compare_exchange_strong(&k->netnames, &t, fresh))
		return fresh;
	pthread_mutex_destroy(&fresh->lock);
	free(fresh);
	return t;
}

const struct pl_entry *tree_netname(const struct pl_tree *k, uint32_t id)
{
	struct tree_netnames *t = atomic_load(&((struct pl_tree *)k)->netnames);
	if (!t || id >= atomic_load_explicit(&t->n, memory_order_acquire))
		return NULL;
	return &t->chunk[id / CHUNK][id % CHUNK];
}

/* The number of path's entry (made now if new): a directory or a setting. */
static int intern(struct pl_tree *k, const char *path, unsigned mode, uint32_t *id)
{
	struct tree_netnames *t = names_of(k);
	if (!t)
		return -ENOMEM;
	pthread_mutex_lock(&t->lock);
	uint32_t n = atomic_load(&t->n);
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(t->chunk[i / CHUNK][i % CHUNK].ns_path, path) == 0) {
			pthread_mutex_unlock(&t->lock);
			*id = i;
			return 0;
		}
	int rc = -ENOSPC;
	if (n < CHUNK * CHUNKS && (t->chunk[n / CHUNK] ||
	                           (t->chunk[n / CHUNK] = calloc(CHUNK, sizeof **t->chunk)))) {
		struct pl_entry *e = &t->chunk[n / CHUNK][n % CHUNK];
		const char *copy = pl_arena_strdup(&t->arena, path);
		rc = -ENOMEM;
		if (copy) {
			const char *name = strrchr(copy, '/') + 1;
			memset(e, 0, sizeof *e);
			e->name = name;
			e->len = (uint16_t)strlen(name);
			e->scope = PL_SCOPE_ROOT;
			e->only = PL_ONLY_BOTH;
			e->gen = PL_G_NONE;
			e->check = PL_G_NONE;
			e->mode = (uint16_t)(mode & 0777);
			e->kind = S_ISDIR(mode) ? PL_K_DIR : PL_K_SETTING;
			e->one_link = 1;
			e->content = S_ISDIR(mode) ? NULL : copy;
			e->content_len = S_ISDIR(mode) ? 0 : strlen(copy);
			e->ns_path = copy;
			e->ns_varies = 1;
			atomic_store_explicit(&t->n, n + 1, memory_order_release);
			*id = n;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int tree_netname_lookup(struct pl_tree *k, struct pl_caller *c, const struct pl_entry *parent,
                        const char *name, uint64_t *ino)
{
	char path[256];
	unsigned mode;
	pl_pid reader = tree_caller_source_tid(k, c);
	if (!parent->ns_path || reader <= 0 || !k->src->ops->setting_seen ||
	    (size_t)snprintf(path, sizeof path, "%s/%s", parent->ns_path, name) >= sizeof path)
		return -ENOENT;
	if (k->src->ops->setting_seen(k->src, reader, path, &mode) <= 0 || !mode)
		return -ENOENT; /* absent, or the daemon's own namespace: its names */
	uint32_t id;
	int rc = intern(k, path, mode, &id);
	if (rc < 0)
		return rc;
	*ino = make_ino(0, 0, FD_BIT | id);
	return 0;
}

struct extra {
	struct pl_tree *k;
	const struct pl_entry *parent;
	char (*names)[256];
	unsigned *modes;
	size_t n, cap;
	int err;
};

static void collect(void *arg, const char *name, unsigned mode)
{
	struct extra *x = arg;
	const struct pl_layout *l = x->k->layout;
	if (pl_layout_find(l, x->parent->first, x->parent->n, name, strlen(name), 0) >= 0)
		return; /* a name of the layout: listed as such */
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		char (*names)[256] = realloc(x->names, cap * sizeof *names);
		unsigned *modes = names ? realloc(x->modes, cap * sizeof *modes) : NULL;
		if (names)
			x->names = names;
		if (modes)
			x->modes = modes;
		if (!names || !modes) {
			x->err = -ENOMEM;
			return;
		}
		x->cap = cap;
	}
	if (strlen(name) >= sizeof x->names[0])
		return;
	strcpy(x->names[x->n], name);
	x->modes[x->n++] = mode;
}

int tree_netnames_list(struct pl_tree *k, pl_pid reader, const struct pl_entry *parent,
                       void (*add)(void *arg, uint64_t ino, unsigned mode, const char *name),
                       void *arg)
{
	if (!parent->ns_path || reader <= 0 || !k->src->ops->setting_list)
		return 0;
	/* found under the source's lock, made entries after it */
	struct extra x = { k, parent, NULL, NULL, 0, 0, 0 };
	int rc = k->src->ops->setting_list(k->src, reader, parent->ns_path, collect, &x);
	for (size_t i = 0; rc == 0 && !x.err && i < x.n; i++) {
		char path[512];
		uint32_t id;
		snprintf(path, sizeof path, "%s/%s", parent->ns_path, x.names[i]);
		if ((rc = intern(k, path, x.modes[i], &id)) == 0)
			add(arg, make_ino(0, 0, FD_BIT | id), x.modes[i], x.names[i]);
	}
	free(x.names);
	free(x.modes);
	return rc < 0 ? rc : x.err;
}

void pl_tree_free_made(struct pl_tree *k)
{
	struct tree_netnames *t = atomic_exchange(&k->netnames, NULL);
	if (!t)
		return;
	for (int i = 0; i < CHUNKS; i++)
		free(t->chunk[i]);
	pl_arena_free(&t->arena);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
