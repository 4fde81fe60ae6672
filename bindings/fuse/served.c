/*
** What a mount serves: the host's tasks or those a world script declares,
** seen through a pid view if one is asked for, laid out by the Lua layout.
** Loading comes first and mounts nothing, so that a broken layout is
** reported (file:line) before anything is mounted, and --check can stop
** there.
*/
#include "pl_fuse.h"

#include <limits.h>
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

int pl_served_load(struct pl_served *s, const struct pl_options *opt)
{
	char stock_buf[PATH_MAX], err[1024];
	memset(s, 0, sizeof *s);
	const char *stock = default_layout(stock_buf, sizeof stock_buf);
	const char *layout = opt->layout ? opt->layout : stock;

	/* The host source also serves a world's callers their own facts. */
	s->host = pl_host_source_new("/proc");
	if (!s->host) {
		perror("proclua: /proc");
		return -1;
	}
	s->source = s->host;
	struct plua_limits lim = { .load_seconds = 5.0, .call_seconds = 1.0 };
	const char *failed;
	s->lua = plua_open_with(layout, opt->world, stock, &s->source, &lim, err, sizeof err,
	                        &failed);
	if (!s->lua) {
		fprintf(stderr, "proclua: %s error: %s\n", failed, err);
		return -1;
	}
	return 0;
}

/* The task a world names as the one its outside callers (host processes)
** are, through a view over it if any; 0: none. */
static pl_pid outside_self(struct pl_source *src)
{
	struct pl_machine m;
	struct pl_arena a = PL_ARENA_INIT;
	memset(&m, 0, sizeof m);
	pl_pid self = 0;
	if (src->ops->load_machine(src, 0, &a, &m) == 0)
		self = m.self_pid;
	pl_arena_free(&a);
	return self;
}

int pl_served_make_tree(struct pl_served *s, int cmdline_view_root)
{
	int world = s->source != s->host;
	/* A pid view: --view-root, or the layout's view = { root =, select = } */
	pl_pid view_root;
	int has_select, has_view = plua_view(s->lua, &view_root, &has_select);
	if (cmdline_view_root > 0)
		view_root = cmdline_view_root, has_view = 1;
	if (has_view) {
		s->view = pl_pidview_new(s->source, view_root, has_select ? plua_select : NULL, s->lua);
		if (!s->view) {
			perror("proclua: view");
			return -1;
		}
		s->source = s->view;
	}
	s->tree = (struct pl_tree){
		.layout = plua_layout(s->lua),
		.src = s->source,
		.mtime = (int64_t)time(NULL),
		.lua_read = plua_read,
		.lua_write = plua_write,
		.lua_ctx = s->lua,
	};
	if (s->source != s->host)
		s->tree.self_fallback = outside_self(s->source);
	if (world) /* a world's callers' own open files are real ones */
		s->tree.host = s->host;
	return 0;
}

void pl_served_free(struct pl_served *s)
{
	if (s->view)
		s->view->ops->destroy(s->view);
	plua_close(s->lua);
	if (s->host)
		s->host->ops->destroy(s->host);
}
