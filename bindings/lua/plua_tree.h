/*
** p.tree: the /proc tree without FUSE, for specs (tree.c: the object, its
** methods and the path walk; tree_caller.c: the caller a method is asked
** for; tree_lua.c: the layout's Lua files and view select, run in the
** state that declared them).  Private to those files.
*/
#ifndef PLUA_TREE_H
#define PLUA_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "lua.h"

#include "access/access.h"
#include "record/buf.h"
#include "tree/tree.h"
#include "plua_state.h"

#define PLUA_TREE_MT "proclua.tree"

/* The tree object's user values. */
enum {
	TREE_UV_WORLD = 1,         /* the world object served, keeping its model */
	TREE_UV_FILE_TASKS,        /* the metatable of task objects for Lua files */
	TREE_UV_SELECT_TASKS,      /* ... and for a view's select */
	TREE_NUV = TREE_UV_SELECT_TASKS
};

struct plua_tree {
	struct pl_tree k;
	struct pl_layout *layout;  /* compiled in the declaring state: refs in its registry */
	struct pl_layout *served;  /* the layout with the source's settings in sys/ */
	struct pl_source *host;    /* owned: the host source, when no world is served */
	struct pl_source *view;    /* owned: the layout's pid view, or NULL */
	struct pl_source *inner;   /* the world's model or the host: what pids name */
	int select_ref;            /* the view's select, or LUA_NOREF */
	/* Task objects: a Lua file's load from the tree's source (the view's
	** numbers), a select's from the inner source (which it chooses from). */
	struct plua_env file_env, select_env;
	struct plua_state *file_tasks, *select_tasks;
	/* While a method runs: the calling thread, whose stack index 1 is this
	** tree; NULL otherwise (a Lua file then is not run). */
	lua_State *L;
	struct pl_buf lua_error;   /* why a Lua file failed ("file:line: ..."), or empty */
	struct pl_buf out;         /* a method's result, before it is pushed */
	struct pl_buf path, next;  /* the walk: what is left of the path, and the next */
	struct pl_buf link;        /* ... and a link's target */
};

/* tree_caller.c: the caller of a method, from the optional table at stack
** index arg (raises a Lua error naming arg on a bad one).  Its groups are
** kept in a userdata left on the stack, which must stay there while the
** caller is used. */
void plua_tree_caller(lua_State *L, struct plua_tree *t, int arg, struct pl_caller *c);

/* tree_lua.c: pl_lua_read_fn, pl_lua_write_fn and pl_pidview_select_fn for
** a tree (ctx: the struct plua_tree). */
int plua_tree_lua_read(void *ctx, int ref, pl_pid tgid, pl_pid tid, struct pl_caller *reader,
                       struct pl_buf *out);
ssize_t plua_tree_lua_write(void *ctx, int wref, pl_pid tgid, pl_pid tid, const char *buf,
                            size_t len, uint64_t off, struct pl_caller *writer);
int plua_tree_select(void *ctx, pl_pid pid);

/* stock.c: the stock layout (scripts/proc.lua as built in), returned. */
int luaopen_proclua_stock(lua_State *L);

#endif
