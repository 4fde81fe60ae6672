/*
** Freeze a declared layout into one pl_layout: the entries of every
** directory contiguous (root list, then the task list, then each static
** directory's children, breadth first), names and contents in one block.
** Temporary storage lives in Lua userdata, so an error raised halfway
** leaks nothing.
*/
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "tree/builtin.h"
#include "plua.h"

struct build {
	struct pl_entry *e;       /* userdata; names hold offsets until the end */
	uint32_t n, cap;
	struct pl_buf *strings;  /* in a userdata whose __gc frees it */
	int decls;                /* stack index: decl of entry i at [i + 1] */
};

static int strbuf_gc(lua_State *L)
{
	pl_buf_free(lua_touserdata(L, 1));
	return 0;
}

static struct pl_buf *new_strbuf(lua_State *L)
{
	struct pl_buf *sb = lua_newuserdatauv(L, sizeof *sb, 0);
	*sb = (struct pl_buf)PL_BUF_INIT;
	if (luaL_newmetatable(L, "proclua.strbuf")) {
		lua_pushcfunction(L, strbuf_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return sb;
}

static uint32_t count_entries(lua_State *L, int list)
{
	uint32_t n = 0;
	lua_Integer len = luaL_len(L, list);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_geti(L, list, i);
		n++;
		if (lua_getfield(L, -1, "children") == LUA_TTABLE)
			n += count_entries(L, lua_gettop(L));
		lua_pop(L, 2);
	}
	return n;
}

static size_t add_string(struct build *b, const char *s, size_t len)
{
	size_t off = b->strings->len;
	pl_buf_add(b->strings, s, len);
	pl_buf_putc(b->strings, '\0');
	return off;
}

static lua_Integer int_field(lua_State *L, int idx, const char *k)
{
	lua_getfield(L, idx, k);
	lua_Integer v = lua_tointeger(L, -1);
	lua_pop(L, 1);
	return v;
}

static void fail_at(lua_State *L, int decl, const char *msg, const char *name)
{
	lua_getfield(L, decl, "where");
	lua_pushfstring(L, "%s'%s' %s", lua_tostring(L, -1), name, msg);
	lua_error(L);
}

/* The builtins that need a task may not sit at the root, and the other way round. */
static void check_scope(lua_State *L, int decl, const struct pl_entry *e, const char *name)
{
	int root_only = e->kind == PL_K_LINK && (e->gen == PL_G_SELF || e->gen == PL_G_THREAD_SELF);
	int machine = e->kind == PL_K_FILE && pl_builtins[e->gen].mneed;
	root_only |= machine;
	int task_only = (e->kind == PL_K_FILE && !machine) || e->kind == PL_K_TASKDIR || e->kind == PL_K_FDDIR ||
	                e->kind == PL_K_FDINFODIR || (e->kind == PL_K_LINK && !root_only);
	if (e->scope == PL_SCOPE_ROOT && task_only)
		fail_at(L, decl, "needs a task: declare it in the task list", name);
	if (e->scope == PL_SCOPE_TASK && root_only)
		fail_at(L, decl, "belongs at the root of the tree, not in the task list", name);
	if (e->scope == PL_SCOPE_ROOT && e->only != PL_ONLY_BOTH)
		fail_at(L, decl, "only= applies to task entries", name);
}

/* Append the declaration on the stack top as entry b->n (pops it). */
static void put(lua_State *L, struct build *b, int scope)
{
	int decl = lua_gettop(L);
	struct pl_entry *e = &b->e[b->n];
	size_t len;
	lua_getfield(L, decl, "name");
	const char *name = lua_tolstring(L, -1, &len);
	memset(e, 0, sizeof *e);
	e->name = (const char *)(uintptr_t)add_string(b, name, len);
	e->len = (uint16_t)len;
	e->kind = (uint8_t)int_field(L, decl, "kind");
	e->mode = (uint16_t)int_field(L, decl, "mode");
	e->only = (uint8_t)int_field(L, decl, "only");
	e->gen = (uint16_t)int_field(L, decl, "gen");
	e->scope = (uint8_t)scope;
	e->ref = LUA_NOREF;
	check_scope(L, decl, e, name);
	lua_pop(L, 1); /* name */
	if (lua_getfield(L, decl, "content") == LUA_TSTRING) {
		const char *c = lua_tolstring(L, -1, &len);
		e->content = (const char *)(uintptr_t)add_string(b, c, len);
		e->content_len = len;
	}
	lua_pop(L, 1);
	if (lua_getfield(L, decl, "fn") == LUA_TFUNCTION)
		e->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_pop(L, 1);
	lua_rawseti(L, b->decls, (lua_Integer)++b->n); /* keep the decl for its children */
}

static uint32_t put_list(lua_State *L, struct build *b, int list, int scope, uint32_t *nsubdirs)
{
	uint32_t first = b->n;
	lua_Integer len = luaL_len(L, list);
	*nsubdirs = 0;
	for (lua_Integer i = 1; i <= len; i++) {
		lua_geti(L, list, i);
		put(L, b, scope);
		uint8_t k = b->e[b->n - 1].kind;
		*nsubdirs += k == PL_K_DIR || k == PL_K_TASKDIR || k == PL_K_FDDIR || k == PL_K_FDINFODIR;
	}
	return first;
}

struct pl_layout *plua_compile(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (!plua_is(L, idx, PLUA_LAYOUT_MT))
		luaL_error(L, "a layout script must return p.layout { root = {...}, task = {...} }");
	lua_getfield(L, idx, "root");
	lua_getfield(L, idx, "task");
	int root = lua_absindex(L, -2), task = lua_absindex(L, -1);
	uint32_t total = count_entries(L, root) + count_entries(L, task);

	struct build b = { 0 };
	b.cap = total;
	b.e = lua_newuserdatauv(L, (total ? total : 1) * sizeof *b.e, 0);
	lua_createtable(L, (int)total, 0);
	b.decls = lua_gettop(L);
	b.strings = new_strbuf(L);

	struct pl_layout lay = { 0 };
	uint32_t unused;
	lay.root_first = put_list(L, &b, root, PL_SCOPE_ROOT, &unused);
	lay.root_n = b.n - lay.root_first;
	lay.task_first = put_list(L, &b, task, PL_SCOPE_TASK, &lay.task_nsubdirs);
	lay.task_n = b.n - lay.task_first;
	for (uint32_t i = 0; i < b.n; i++) { /* breadth first: the array is the queue */
		if (b.e[i].kind != PL_K_DIR)
			continue;
		lua_rawgeti(L, b.decls, (lua_Integer)i + 1);
		lua_getfield(L, -1, "children");
		b.e[i].first = put_list(L, &b, lua_gettop(L), b.e[i].scope, &b.e[i].nsubdirs);
		b.e[i].n = b.n - b.e[i].first;
		lua_pop(L, 2); /* children, decl */
	}
	if (pl_buf_status(b.strings) < 0)
		luaL_error(L, "out of memory compiling the layout");
	size_t slen = b.strings->len;
	const char *s = b.strings->data;

	struct pl_layout *out = calloc(1, sizeof *out);
	struct pl_entry *entries = malloc((b.n ? b.n : 1) * sizeof *entries);
	char *blob = malloc(slen ? slen : 1);
	if (!out || !entries || !blob) {
		free(out);
		free(entries);
		free(blob);
		luaL_error(L, "out of memory compiling the layout");
	}
	memcpy(blob, s, slen);
	memcpy(entries, b.e, b.n * sizeof *entries);
	for (uint32_t i = 0; i < b.n; i++) {
		entries[i].name = blob + (uintptr_t)entries[i].name;
		if (entries[i].content)
			entries[i].content = blob + (uintptr_t)entries[i].content;
	}
	*out = lay;
	out->entries = entries;
	out->nentries = b.n;
	out->strings = blob;
	lua_pop(L, 5); /* root, task, entries, decls, strings */
	return out;
}
