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

/*
** Static directories may nest this deep.  Counting walks them
** recursively; procfs's own tree is a few levels deep, and a path
** through 64 directories is already far past anything a /proc reader
** would walk.
*/
#define MAX_DEPTH 64

struct count {
	uint32_t n;
	int onpath;    /* stack index: set of the directories being counted */
	const char *at; /* the layout's "file:line:" */
};

/*
** Count the entries of a list and, recursively, of its directories,
** checking every declaration on the way (compile.c trusts nothing that a
** script could have changed since p.layout checked it).  A directory
** inside itself, through any number of levels, would recurse for ever.
*/
static void count_entries(lua_State *L, struct count *c, int list, const char *what, int depth)
{
	luaL_checkstack(L, 8, "compiling the layout");
	plua_check_entries(L, list, what, c->at);
	lua_Integer len = luaL_len(L, list);
	for (lua_Integer i = 1; i <= len; i++) {
		struct plua_decl d;
		lua_geti(L, list, i);
		int decl = lua_gettop(L);
		plua_check_decl(L, decl, what, i, c->at, &d);
		if (++c->n > PL_LAYOUT_MAX_ENTRIES)
			plua_raise(L, "%sthe layout has more than %d entries", d.where,
			           PL_LAYOUT_MAX_ENTRIES);
		if (d.kind == PL_K_DIR || d.kind == PL_K_SETTINGS) {
			if (depth >= MAX_DEPTH)
				plua_raise(L, "%s'%s': directories nest deeper than %d", d.where, d.name,
				           MAX_DEPTH);
			lua_pushvalue(L, decl);
			if (lua_rawget(L, c->onpath) != LUA_TNIL)
				plua_raise(L, "%sdirectory '%s' contains itself", d.where, d.name);
			lua_pop(L, 1);
			lua_pushvalue(L, decl);
			lua_pushboolean(L, 1);
			lua_rawset(L, c->onpath);
			lua_pushliteral(L, "children");
			lua_rawget(L, decl);
			count_entries(L, c, lua_gettop(L), "dir", depth + 1);
			lua_pop(L, 1);
			lua_pushvalue(L, decl);
			lua_pushnil(L);
			lua_rawset(L, c->onpath);
		}
		lua_pop(L, 1);
	}
}

static size_t add_string(struct build *b, const char *s, size_t len)
{
	size_t off = b->strings->len;
	pl_buf_add(b->strings, s, len);
	pl_buf_putc(b->strings, '\0');
	return off;
}

static void fail_at(lua_State *L, const struct plua_decl *d, const char *msg)
{
	plua_raise(L, "%s'%s' %s", d->where, d->name, msg);
}

/* The builtins that need a task may not sit at the root, and the other way round. */
static void check_scope(lua_State *L, const struct plua_decl *d, const struct pl_entry *e)
{
	int root_only = e->kind == PL_K_LINK && (e->gen == PL_G_SELF || e->gen == PL_G_THREAD_SELF);
	int machine = e->kind == PL_K_FILE && pl_builtins[e->gen].mneed;
	root_only |= machine;
	int task_only = (e->kind == PL_K_FILE && !machine) || e->kind == PL_K_TASKDIR || e->kind == PL_K_FDDIR ||
	                e->kind == PL_K_FDINFODIR || e->kind == PL_K_MAPFILESDIR || e->kind == PL_K_NETIFACEDIR ||
	                (e->kind == PL_K_LINK && !root_only);
	if (e->scope == PL_SCOPE_ROOT && task_only)
		fail_at(L, d, "needs a task: declare it in the task list");
	root_only |= e->kind == PL_K_SETTINGS;
	if (e->scope == PL_SCOPE_TASK && root_only)
		fail_at(L, d, "belongs at the root of the tree, not in the task list");
	if (e->scope == PL_SCOPE_ROOT && e->only != PL_ONLY_BOTH)
		fail_at(L, d, "only= applies to task entries");
}

/* Append the declaration on the stack top (entry #i of `what`) as entry
** b->n (pops it). */
static void put(lua_State *L, struct build *b, int scope, const char *what, lua_Integer i,
                const char *at)
{
	int decl = lua_gettop(L);
	struct plua_decl d;
	plua_check_decl(L, decl, what, i, at, &d);
	/* Only a list's __len or __index that answers differently from one
	** call to the next gets here: counting sized the array. */
	if (b->n >= b->cap)
		plua_raise(L, "%sthe layout changed while it was compiled", at);
	struct pl_entry *e = &b->e[b->n];
	memset(e, 0, sizeof *e);
	e->name = (const char *)(uintptr_t)add_string(b, d.name, d.len);
	e->len = (uint16_t)d.len;
	e->kind = (uint8_t)d.kind;
	e->mode = (uint16_t)d.mode;
	e->only = (uint8_t)d.only;
	e->gen = (uint16_t)d.gen;
	e->scope = (uint8_t)scope;
	e->ref = LUA_NOREF;
	check_scope(L, &d, e);
	lua_pushliteral(L, "content");
	if (lua_rawget(L, decl) == LUA_TSTRING &&
	    (e->kind == PL_K_STUB || e->kind == PL_K_SYMLINK || e->kind == PL_K_SETTINGS)) {
		size_t len;
		const char *c = lua_tolstring(L, -1, &len);
		e->content = (const char *)(uintptr_t)add_string(b, c, len);
		e->content_len = len;
	}
	lua_pop(L, 1);
	lua_pushliteral(L, "fn");
	if (lua_rawget(L, decl) == LUA_TFUNCTION && e->kind == PL_K_LUA)
		e->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_pop(L, 1);
	lua_pushliteral(L, "check");
	if (lua_rawget(L, decl) == LUA_TNUMBER && e->kind == PL_K_LUA) {
		lua_Integer g = lua_tointeger(L, -1);
		if (g == PL_G_ENVIRON || g == PL_G_MEM) /* what p.file gives: a tampered one is none */
			e->check = (uint16_t)g;
	}
	lua_pop(L, 1);
	lua_pushliteral(L, "wfn"); /* a registry ref is never 0, which means none */
	if (lua_rawget(L, decl) == LUA_TFUNCTION && e->kind == PL_K_LUA)
		e->wref = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_pop(L, 1);
	lua_rawseti(L, b->decls, (lua_Integer)++b->n); /* keep the decl for its children */
}

static uint32_t put_list(lua_State *L, struct build *b, int list, int scope, const char *what,
                         const char *at, uint32_t *nsubdirs)
{
	uint32_t first = b->n;
	lua_Integer len = luaL_len(L, list);
	*nsubdirs = 0;
	for (lua_Integer i = 1; i <= len; i++) {
		lua_geti(L, list, i);
		put(L, b, scope, what, i, at);
		uint8_t k = b->e[b->n - 1].kind;
		*nsubdirs += k == PL_K_DIR || k == PL_K_TASKDIR || k == PL_K_FDDIR || k == PL_K_FDINFODIR ||
		             k == PL_K_SETTINGS || k == PL_K_MAPFILESDIR || k == PL_K_NETIFACEDIR;
	}
	return first;
}

struct pl_layout *plua_compile(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (!plua_is(L, idx, PLUA_LAYOUT_MT))
		luaL_error(L, "a layout script must return p.layout { root = {...}, task = {...} }");
	luaL_checkstack(L, 16, "compiling the layout");
	/* Where p.layout was called: for errors no declaration can name. */
	lua_pushliteral(L, "where");
	if (lua_rawget(L, idx) != LUA_TSTRING) {
		lua_pop(L, 1);
		lua_pushliteral(L, "");
	}
	const char *at = lua_tostring(L, -1);
	static const char *const lists[] = { "root", "task" };
	for (int i = 0; i < 2; i++) {
		lua_pushstring(L, lists[i]);
		if (lua_rawget(L, idx) != LUA_TTABLE)
			plua_raise(L, "%sthe layout's %s must be a list of declarations", at, lists[i]);
	}
	int root = lua_absindex(L, -2), task = lua_absindex(L, -1);
	struct count c = { 0, 0, at };
	lua_newtable(L);
	c.onpath = lua_gettop(L);
	count_entries(L, &c, root, "root", 0);
	count_entries(L, &c, task, "task", 0);
	lua_pop(L, 1);
	uint32_t total = c.n;

	struct build b = { 0 };
	b.cap = total;
	b.e = lua_newuserdatauv(L, (total ? total : 1) * sizeof *b.e, 0);
	lua_createtable(L, (int)total, 0);
	b.decls = lua_gettop(L);
	b.strings = new_strbuf(L);

	struct pl_layout lay = { 0 };
	uint32_t unused;
	lay.root_first = put_list(L, &b, root, PL_SCOPE_ROOT, "root", at, &unused);
	lay.root_n = b.n - lay.root_first;
	lay.task_first = put_list(L, &b, task, PL_SCOPE_TASK, "task", at, &unused);
	lay.task_n = b.n - lay.task_first;
	for (uint32_t i = 0; i < b.n; i++) { /* breadth first: the array is the queue */
		if (b.e[i].kind != PL_K_DIR && b.e[i].kind != PL_K_SETTINGS)
			continue;
		lua_rawgeti(L, b.decls, (lua_Integer)i + 1);
		lua_pushliteral(L, "children");
		if (lua_rawget(L, -2) != LUA_TTABLE) /* checked by put; only a metamethod changes it */
			plua_raise(L, "%sthe layout changed while it was compiled", at);
		b.e[i].first = put_list(L, &b, lua_gettop(L), b.e[i].scope, "dir", at, &b.e[i].nsubdirs);
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
	/* An empty layout has no strings: its buffer's data is NULL, which
	** memcpy may not be given even for no bytes. */
	if (slen)
		memcpy(blob, s, slen);
	if (b.n)
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
	pl_layout_count_task_links(out);
	lua_pop(L, 6); /* where, root, task, entries, decls, strings */
	return out;
}
