/*
** What a mount serves: the host's tasks or those a world script declares,
** seen through a pid view if one is asked for, laid out by the Lua layout.
** Loading comes first and mounts nothing, so that a broken layout is
** reported (file:line) before anything is mounted, and --check can stop
** there.
**
** A reload loads the scripts again into a new generation while the old
** one serves, then makes it current with one pointer store.  A request
** takes a reference on the generation it found current, checking after
** that it still is (else it takes the new one): so a generation whose
** count has dropped to zero after it was retired is never used again,
** and its layout, Lua states and world can go.  The struct itself stays
** (a request may be about to count on it) until the mount ends.
*/
#include "pl_fuse.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "source/pidview.h"
#include "plua.h"

/* The stock layout: next to the program's install prefix, or the source tree
** it was built from; never the current directory. */
static const char *default_layout(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			int n = snprintf(buf, len, "%s/../share/proclua/proc.lua", exe);
			if (n > 0 && (size_t)n < len && access(buf, R_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, len, "%s/scripts/proc.lua", PROCLUA_SOURCE_DIR);
	return buf;
}

static void free_contents(struct pl_generation *g)
{
	pl_tree_free_made(&g->tree);
	if (g->view)
		g->view->ops->destroy(g->view);
	plua_close(g->lua);
	g->view = NULL;
	g->lua = NULL;
}

/* A generation of the scripts s names: NULL with why in err, and in
** *failed which script failed ("world", "layout", or "view"). */
static struct pl_generation *load(struct pl_served *s, char *err, size_t errlen,
                                  const char **failed)
{
	struct pl_generation *g = calloc(1, sizeof *g);
	if (!g) {
		snprintf(err, errlen, "out of memory");
		*failed = "layout";
		return NULL;
	}
	struct plua_limits lim = { .load_seconds = 5.0, .call_seconds = 1.0 };
	g->source = s->host;
	g->lua = plua_open_with(s->layout, s->world, s->stock, &g->source, &lim, err, errlen,
	                        failed);
	if (!g->lua) {
		free(g);
		return NULL;
	}
	int world = g->source != s->host;
	/* A pid view: --view-root, or the layout's view = { root =, select = } */
	pl_pid view_root;
	int has_select, has_view = plua_view(g->lua, &view_root, &has_select);
	if (s->view_root > 0)
		view_root = s->view_root, has_view = 1;
	if (has_view) {
		g->view = pl_pidview_new(g->source, view_root, has_select ? plua_select : NULL, g->lua);
		if (!g->view) {
			snprintf(err, errlen, "%s", strerror(errno));
			*failed = "view";
			free_contents(g);
			free(g);
			return NULL;
		}
		g->source = g->view;
	}
	g->tree = (struct pl_tree){
		.layout = plua_layout(g->lua),
		.src = g->source,
		.mtime = (int64_t)time(NULL),
		.lua_read = plua_read,
		.lua_write = plua_write,
		.lua_ctx = g->lua,
	};
	if (g->source != s->host)
		g->tree.self_fallback = pl_source_self(g->source);
	if (world) /* a world's callers' own open files are real ones */
		g->tree.host = s->host;
	if (g->source == s->host)
		g->tree.exits = s->exits;
	if (g->source->announces_changes) {
		g->source->changed = s->changed;
		g->source->changed_arg = s->changed_arg;
	}
	atomic_init(&g->refs, 1); /* current */
	return g;
}

int pl_served_load(struct pl_served *s, const struct pl_options *opt)
{
	char stock_buf[PATH_MAX], err[1024];
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->reload_lock, NULL);
	const char *stock = default_layout(stock_buf, sizeof stock_buf);
	s->stock = strdup(stock);
	s->layout = strdup(opt->layout ? opt->layout : stock);
	s->world = opt->world ? strdup(opt->world) : NULL;
	s->view_root = opt->view_root > 0 ? opt->view_root : 0;
	if (!s->stock || !s->layout || (opt->world && !s->world)) {
		perror("proclua");
		return -1;
	}
	/* The host source also serves a world's callers their own facts. */
	s->host = pl_host_source_new("/proc");
	if (!s->host) {
		perror("proclua: /proc");
		return -1;
	}
	const char *failed;
	struct pl_generation *g = load(s, err, sizeof err, &failed);
	if (!g) {
		fprintf(stderr, "proclua: %s error: %s\n", failed, err);
		return -1;
	}
	atomic_store(&s->current, g);
	return 0;
}

struct pl_generation *pl_served_enter(struct pl_served *s)
{
	for (;;) {
		struct pl_generation *g = atomic_load(&s->current);
		atomic_fetch_add(&g->refs, 1);
		if (atomic_load(&s->current) == g)
			return g;
		pl_served_leave(g); /* replaced meanwhile: it may be going */
	}
}

void pl_served_leave(struct pl_generation *g)
{
	int none = 0;
	if (atomic_fetch_sub(&g->refs, 1) == 1 && atomic_compare_exchange_strong(&g->freed, &none, 1))
		free_contents(g);
}

int pl_served_reload(struct pl_served *s, struct pl_generation **old, char *err, size_t errlen)
{
	pthread_mutex_lock(&s->reload_lock);
	const char *failed;
	char why[1024];
	struct pl_generation *g = load(s, why, sizeof why, &failed);
	if (!g) {
		pthread_mutex_unlock(&s->reload_lock);
		snprintf(err, errlen, "%s error: %s", failed, why);
		return -1;
	}
	/* only a reload replaces the current one, and this holds the lock: its
	** reference for being current is ours now, handed to the caller */
	struct pl_generation *was = atomic_load(&s->current);
	g->older = was;
	atomic_store(&s->current, g);
	pthread_mutex_unlock(&s->reload_lock);
	*old = was;
	return 0;
}

void pl_served_free(struct pl_served *s)
{
	struct pl_generation *g = atomic_load(&s->current);
	while (g) {
		struct pl_generation *older = g->older;
		if (!atomic_load(&g->freed))
			free_contents(g);
		free(g);
		g = older;
	}
	if (s->host)
		s->host->ops->destroy(s->host);
	free(s->layout);
	free(s->world);
	free(s->stock);
	pthread_mutex_destroy(&s->reload_lock);
}
