/*
** A p.tree's Lua files and view select, run in the Lua state that declared
** them, on the thread of the method that asked (a read that opens a Lua
** file calls its function before the read returns).
**
** Why not the daemon's runtime (runtime.c): its states load the layout
** from a script, and a layout given as a table exists only in the state
** that built it; and for a spec, a function that runs in the spec's own
** state can be stepped through, counted by a coverage tool and seen in its
** errors.  So here a function runs unrestricted and without a time limit
** (the daemon gives it a restricted environment and a limit); what it
** returns means what it means to the daemon (state.c's run_read and
** run_write): a read's string or number is the content, anything else or
** an error is EIO; a write's nil is the whole count, a count from 0 to the
** bytes given is that count, an errno name ("EINVAL") that error, anything
** else or an error EIO.  The message of an EIO goes back with the method's
** result.
**
** Nothing raises through the core: every call is protected, since the
** core may hold locks and memory while it asks.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "plua.h"
#include "plua_tree.h"

/* One call, handed to the protected function. */
struct call {
	struct plua_tree *t;
	int ref;
	pl_pid tgid, tid;
	const char *bytes;         /* a write's */
	size_t len;
	uint64_t off;
	const struct pl_caller *caller; /* the reader or the writer */
	int writes;
	ssize_t result;            /* read: 0 or -errno; write: count or -errno; select: 0/1 */
	struct pl_buf *out;        /* a read's content */
};

/* The errno a write function named; 0 if the name is none. */
static int errno_named(const char *name)
{
	if (!strcmp(name, "EWOULDBLOCK"))
		return EWOULDBLOCK;
	if (!strcmp(name, "ENOTSUP"))
		return ENOTSUP;
	for (int e = 1; e < 256; e++) { /* Linux's errnos are below 134 */
		const char *n = strerrorname_np(e);
		if (n && !strcmp(n, name))
			return e;
	}
	return 0;
}

/* "FILE:LINE" of the function on the stack top (left there). */
static const char *defined_at(lua_State *L, char *buf, size_t len)
{
	lua_Debug ar;
	lua_pushvalue(L, -1);
	if (lua_getinfo(L, ">S", &ar))
		snprintf(buf, len, "%s:%d", ar.short_src, ar.linedefined);
	else
		snprintf(buf, len, "?");
	return buf;
}

/* Under pcall: (call, task metatable, function). */
static int run(lua_State *L)
{
	struct call *c = lua_touserdata(L, 1);
	char where[LUA_IDSIZE + 16];
	defined_at(L, where, sizeof where);
	plua_task_push(L, 2, c->tgid, c->tid);
	if (c->writes) {
		lua_pushlstring(L, c->bytes ? c->bytes : "", c->len);
		lua_pushinteger(L, (lua_Integer)c->off);
		plua_push_caller(L, c->caller);
		lua_call(L, 4, 1);
		int is_int = 0;
		lua_Integer count = lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, &is_int) : 0;
		if (lua_isnil(L, -1))
			c->result = (ssize_t)c->len;
		else if (is_int && count >= 0 && (lua_Unsigned)count <= c->len)
			c->result = (ssize_t)count;
		else if (lua_type(L, -1) == LUA_TSTRING && errno_named(lua_tostring(L, -1)))
			c->result = -errno_named(lua_tostring(L, -1));
		else if (lua_type(L, -1) == LUA_TSTRING)
			return luaL_error(L, "%s: function returned \"%s\", not an errno name such as "
			                  "\"EINVAL\"", where, lua_tostring(L, -1));
		else if (lua_type(L, -1) == LUA_TNUMBER)
			return luaL_error(L, "%s: function returned %s, not a count from 0 to %I", where,
			                  lua_tostring(L, -1), (lua_Integer)c->len);
		else
			return luaL_error(L, "%s: function returned %s, not a count, an errno name or nil",
			                  where, luaL_typename(L, -1));
		return 0;
	}
	if (!c->out) { /* a select */
		lua_call(L, 1, 1);
		c->result = lua_toboolean(L, -1);
		return 0;
	}
	plua_push_caller(L, c->caller);
	lua_call(L, 2, 2);
	if (lua_isnil(L, -2) && lua_type(L, -1) == LUA_TSTRING && errno_named(lua_tostring(L, -1))) {
		c->result = -errno_named(lua_tostring(L, -1)); /* nil, "EACCES": refused */
		return 0;
	}
	lua_pop(L, 1);
	int type = lua_type(L, -1);
	if (type != LUA_TSTRING && type != LUA_TNUMBER)
		return luaL_error(L, "%s: function returned %s, not a string", where,
		                  luaL_typename(L, -1));
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	pl_buf_add(c->out, s, len);
	c->result = pl_buf_status(c->out);
	return 0;
}

/* Call function `ref` (a registry ref of the tree's state) with task
** objects of the tree's user value `tasks`; -EIO with the tree's
** lua_error set when it fails. */
static ssize_t call(struct call *c, int tasks)
{
	struct plua_tree *t = c->t;
	lua_State *L = t->L;
	pl_buf_reset(&t->lua_error);
	if (!L || lua_touserdata(L, 1) != t) { /* not within one of its methods: nothing runs */
		pl_buf_puts(&t->lua_error, "p.tree: a Lua file was asked for outside a method");
		return -EIO;
	}
	if (!lua_checkstack(L, 8))
		return -ENOMEM;
	/* task:read in the function reads as this call's reader */
	struct plua_call running;
	memset(&running, 0, sizeof running);
	if (c->caller)
		running.caller = *c->caller;
	struct plua_state *tasks_state = tasks == TREE_UV_FILE_TASKS ? t->file_tasks : t->select_tasks;
	struct plua_call *was = tasks_state->running;
	tasks_state->running = c->caller ? &running : NULL;
	int top = lua_gettop(L);
	lua_pushcfunction(L, run);
	lua_pushlightuserdata(L, c);
	lua_getiuservalue(L, 1, tasks);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->ref);
	int rc = lua_pcall(L, 3, 0, 0);
	if (rc != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		pl_buf_puts(&t->lua_error, msg ? msg : "(error object is not a string)");
		c->result = -EIO;
	}
	lua_settop(L, top);
	tasks_state->running = was;
	return c->result;
}

int plua_tree_lua_read(void *ctx, int ref, pl_pid tgid, pl_pid tid, struct pl_caller *reader,
                       struct pl_buf *out)
{
	struct call c = { .t = ctx, .ref = ref, .tgid = tgid, .tid = tid, .out = out,
	                  .caller = reader };
	return (int)call(&c, TREE_UV_FILE_TASKS);
}

ssize_t plua_tree_lua_write(void *ctx, int wref, pl_pid tgid, pl_pid tid, const char *buf,
                            size_t len, uint64_t off, struct pl_caller *writer)
{
	struct call c = { .t = ctx, .ref = wref, .tgid = tgid, .tid = tid, .bytes = buf,
	                  .len = len, .off = off, .caller = writer, .writes = 1 };
	return call(&c, TREE_UV_FILE_TASKS);
}

/* A select that fails chooses nothing, as in the daemon, which logs it:
** here it goes to stderr, where the spec's output shows it. */
int plua_tree_select(void *ctx, pl_pid pid)
{
	struct plua_tree *t = ctx;
	struct call c = { .t = t, .ref = t->select_ref, .tgid = pid };
	if (call(&c, TREE_UV_SELECT_TASKS) < 0) {
		fprintf(stderr, "proclua: view select failed for task %d: %.*s\n", (int)pid,
		        (int)t->lua_error.len, t->lua_error.data ? t->lua_error.data : "");
		return 0;
	}
	return c.result != 0;
}
