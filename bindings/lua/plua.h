/*
** plua: the Lua side of proclua.  decl.c records declarations, compile.c
** freezes a declared layout into a struct pl_layout, runtime.c keeps the
** daemon's Lua states and the threads Lua file calls run on (state.c: one
** state, its time and memory limits and errors).
*/
#ifndef PLUA_H
#define PLUA_H

#include <stddef.h>

#include "lua.h"

#include "record/buf.h"
#include "tree/tree.h"
#include "tree/layout.h"
#include "source/source.h"

#define PLUA_DECL_MT "proclua.decl"
#define PLUA_LAYOUT_MT "proclua.layout"
#define PLUA_TASK_MT "proclua.task"

int luaopen_proclua(lua_State *L);

/* tree.c: p.tree; stock.c: require "proclua.stock", preloaded.  Each adds
** itself to the module table on the stack top. */
void plua_tree_register(lua_State *L);
void plua_stock_register(lua_State *L);

/* decl.c: add the declaration functions to the table on the stack top. */
void plua_decl_register(lua_State *L);
int plua_is(lua_State *L, int idx, const char *mt);

/* Raise an error whose message is exactly the formatted text (luaL_error
** would put the running function's caller in front; these messages name
** the declaring line themselves). */
int plua_raise(lua_State *L, const char *fmt, ...);

/* A declaration's fields, checked (see plua_check_decl).  The strings
** point into the declaration's table. */
struct plua_decl {
	const char *name;
	size_t len;
	int kind, mode, only;  /* enum pl_kind, mode bits, enum pl_only */
	int gen;               /* PL_K_FILE, PL_K_LINK: a builtin a layout may name */
	const char *where;     /* "file:line:" of the declaring call, or `at` */
};
/* Check that the value at idx (entry #i of list `what`) is a declaration
** whose every field the compiled tables can take, and fill d; else raise
** an error naming the declaring line (`at`, "file:line:", when the
** declaration does not say).  A declaration is a table a script can
** change after p.file made it, so compile.c checks again. */
void plua_check_decl(lua_State *L, int idx, const char *what, lua_Integer i, const char *at,
                     struct plua_decl *d);
/* Check every entry of the list at idx (plua_check_decl) and that no two
** that can share a directory share a name.  at: "file:line:" for errors
** no declaration can name; NULL: the line that called the running C
** function. */
void plua_check_entries(lua_State *L, int idx, const char *what, const char *at);

/* "did you mean": the candidate nearest to `name`, offered when within
** edit distance 2 of it or when one is a prefix of the other (environment,
** environ); names longer than 64 bytes are never offered. */
struct plua_near {
	const char *name;
	char best[65];
	int dist;
};
void plua_near_init(struct plua_near *n, const char *name);
void plua_near_try(struct plua_near *n, const char *cand);
/* " (did you mean 'X'?)", or "" when nothing is near. */
const char *plua_near_hint(const struct plua_near *n, char *buf, size_t len);

/* compile.c: freeze the layout object at idx (raises a Lua error naming
** the declaring line on a bad tree).  Lua files become registry refs. */
struct pl_layout *plua_compile(lua_State *L, int idx);

/* runtime.c */
struct plua;
struct plua_limits {
	double load_seconds;   /* the layout script's load phase */
	double call_seconds;   /* one Lua file's function */
};
/*
** Load a world script (if `world`; *src then becomes the world's model,
** owned by the runtime) and a layout script, into every Lua state the
** layout needs.  On failure returns NULL with a message ("FILE:LINE: ...")
** in err.
*/
struct plua *plua_open(const char *script, const char *world, struct pl_source **src,
                       const struct plua_limits *lim, char *err, size_t errlen);
/* The same, with the stock layout (a path to proc.lua) on the module path,
** so that a layout can `require "proc"` and edit it.  On failure *failed
** says which script failed: "world" or "layout". */
struct plua *plua_open_with(const char *script, const char *world, const char *stock,
                            struct pl_source **src, const struct plua_limits *lim,
                            char *err, size_t errlen, const char **failed);
const struct pl_layout *plua_layout(const struct plua *p);
/* pl_lua_read_fn: run Lua file `ref` with (task, caller); its content, or
** -errno for nil and an errno name it returned; -EIO on error or timeout
** (logged), also when it is stuck in C: answered by the time limit. */
int plua_read(void *ctx, int ref, pl_pid tgid, pl_pid tid, struct pl_caller *reader,
              struct pl_buf *out);
/* pl_lua_write_fn: run write function `wref` with (task, bytes, offset,
** caller); its count, or -errno for an errno name it returned; nil is the
** whole count; -EIO on error, timeout or another result (logged). */
ssize_t plua_write(void *ctx, int wref, pl_pid tgid, pl_pid tid, const char *buf, size_t len,
                   uint64_t off, struct pl_caller *writer);
void plua_close(struct plua *p);
/* The layout's view = { root =, select = }: 1 if declared (root 0 if none). */
int plua_view(const struct plua *p, pl_pid *root, int *has_select);
/* pl_pidview_select_fn: the layout's view.select(task) for a task of the
** source the layout was loaded for (a failing select chooses nothing). */
int plua_select(void *ctx, pl_pid pid);

/* capture.c: `proclua capture [--proc DIR] PID...`; argv[0] is "capture". */
int plua_capture(int argc, char **argv);

/* Where errors are logged (stderr by default). */
extern void (*plua_log)(const char *fmt, ...);

#endif
