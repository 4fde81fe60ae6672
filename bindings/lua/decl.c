/*
** The declaration half of the `proclua` module: p.file, p.stub, p.link,
** p.symlink, p.dir and p.layout.  Declarations only record; they check
** their arguments at once, so a mistake is reported at the script line
** that made it, and p.layout checks the tree (duplicate names).  The
** result is compiled into C tables by compile.c.
**
** A declaration is a table { kind=, name=, mode=, gen=, content=, only=,
** fn=, wfn=, children=, where= } with the metatable DECL_MT; `where` ("file:line:")
** lets later checks point at the declaring line.
*/
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "tree/builtin.h"
#include "tree/layout.h"
#include "plua.h"

static void new_decl(lua_State *L, int kind, const char *name)
{
	lua_createtable(L, 0, 8);
	luaL_setmetatable(L, PLUA_DECL_MT);
	lua_pushinteger(L, kind);
	lua_setfield(L, -2, "kind");
	lua_pushstring(L, name);
	lua_setfield(L, -2, "name");
	luaL_where(L, 1); /* the script line that declared it */
	lua_setfield(L, -2, "where");
}

/* What is wrong with an entry's name, or NULL: one path component. */
static const char *name_problem(const char *name, size_t len)
{
	if (len == 0 || len > 255)
		return "name must have 1 to 255 bytes";
	if (memchr(name, '/', len) || memchr(name, '\0', len))
		return "name must not contain '/' or NUL";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "name must not be '.' or '..'";
	return NULL;
}

static const char *check_name(lua_State *L, int arg)
{
	size_t len;
	const char *name = luaL_checklstring(L, arg, &len);
	const char *why = name_problem(name, len);
	luaL_argcheck(L, why == NULL, arg, why);
	return name;
}

/*
** Modes are strings of octal digits ("0444"): Lua has no octal literals,
** and 0444 written as a number is decimal 444, a different mode.
*/
static int check_mode(lua_State *L, int arg)
{
	if (lua_type(L, arg) == LUA_TNUMBER)
		return luaL_argerror(L, arg,
		    "mode must be a string of octal digits such as \"0444\" "
		    "(Lua has no octal literals: 0444 is decimal 444)");
	size_t len;
	const char *s = luaL_checklstring(L, arg, &len);
	int mode = 0;
	luaL_argcheck(L, len > 0 && len <= 5, arg, "mode must be octal digits such as \"0444\"");
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '7')
			return luaL_argerror(L, arg, "mode must be octal digits such as \"0444\"");
		mode = mode * 8 + (s[i] - '0');
	}
	luaL_argcheck(L, mode <= 0777, arg, "mode must be at most \"0777\"");
	return mode;
}

/* opts.only: "tgid" (only /proc/<pid>/), "tid" (only task/<tid>/). */
static int check_only(lua_State *L, int arg)
{
	if (lua_isnoneornil(L, arg))
		return PL_ONLY_BOTH;
	luaL_checktype(L, arg, LUA_TTABLE);
	lua_getfield(L, arg, "only");
	int only = PL_ONLY_BOTH;
	if (!lua_isnil(L, -1)) {
		static const char *const names[] = { "both", "tgid", "tid", NULL };
		const char *s = lua_tostring(L, -1);
		int i = 0;
		while (s && names[i] && strcmp(names[i], s) != 0)
			i++;
		if (!s || !names[i])
			return luaL_argerror(L, arg, "only must be \"tgid\" or \"tid\"");
		only = i;
	}
	lua_pop(L, 1);
	return only;
}

static void set_int(lua_State *L, const char *field, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, field);
}

/* The declaration on the stack top keeps argument idx as `field`. */
static void set_arg(lua_State *L, const char *field, int idx)
{
	lua_pushvalue(L, idx);
	lua_setfield(L, -2, field);
}

/* Every entry's mode and `only`, then the declaration is the result. */
static int finish_decl(lua_State *L, int mode, int only)
{
	set_int(L, "mode", mode);
	set_int(L, "only", only);
	return 1;
}

/* opts.write: a Lua file's write function, or nil; pushes it. */
static void check_write(lua_State *L, int arg, int lua_file)
{
	if (lua_isnoneornil(L, arg)) {
		lua_pushnil(L);
		return;
	}
	lua_getfield(L, arg, "write");
	if (lua_isnil(L, -1))
		return;
	if (!lua_isfunction(L, -1))
		luaL_argerror(L, arg, "write must be a function(task, bytes, offset, caller)");
	if (!lua_file)
		luaL_argerror(L, arg, "write= needs a Lua function file: a builtin file "
		              "takes the writes Linux's does");
}

/* A function file guarded by a check function: upvalue 1 the check, 2 the
** content function.  The check says true (go on), false or nil (EACCES)
** or an errno name; the content function then runs as if alone. */
static int checked_read(lua_State *L)
{
	lua_settop(L, 2); /* task, caller */
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_call(L, 2, 1);
	if (lua_type(L, -1) == LUA_TSTRING) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2; /* nil, "EPERM" */
	}
	if (!lua_toboolean(L, -1)) {
		lua_pushnil(L);
		lua_pushliteral(L, "EACCES");
		return 2;
	}
	lua_pop(L, 1);
	lua_pushvalue(L, lua_upvalueindex(2));
	lua_insert(L, 1);
	lua_call(L, 2, LUA_MULTRET);
	return lua_gettop(L);
}

/* opts.check of a function file: Linux's check of a builtin it stands
** for ("ptrace_read": environ's, "ptrace_attach": mem's), made by the C
** core before the function runs; or a function(task, caller) deciding.
** A function replaces the content function (argument 3) by the guarded
** one.  The builtin whose check is made, or PL_G_NONE. */
static int check_check(lua_State *L, int arg, int lua_file)
{
	if (lua_isnoneornil(L, arg))
		return PL_G_NONE;
	int type = lua_getfield(L, arg, "check");
	if (type == LUA_TNIL) {
		lua_pop(L, 1);
		return PL_G_NONE;
	}
	if (!lua_file)
		luaL_argerror(L, arg, "check= needs a Lua function file: a builtin file "
		              "makes the check Linux's does");
	if (type == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		lua_pushcclosure(L, checked_read, 2);
		lua_replace(L, 3);
		lua_pop(L, 1);
		return PL_G_NONE;
	}
	static const char *const names[] = { "ptrace_read", "ptrace_attach", NULL };
	static const int stands_for[] = { PL_G_ENVIRON, PL_G_MEM };
	const char *s = lua_tostring(L, -1);
	int i = 0;
	while (type == LUA_TSTRING && names[i] && strcmp(names[i], s) != 0)
		i++;
	if (type != LUA_TSTRING || !names[i])
		luaL_argerror(L, arg, "check must be \"ptrace_read\", \"ptrace_attach\" "
		              "or a function(task, caller)");
	lua_pop(L, 1);
	return stands_for[i];
}

/* p.file(name, mode, generator [, opts]): generator is a builtin's name or
** a function(task, caller) returning the file's content; opts.write, for a
** Lua function file, a function(task, bytes, offset, caller) taking
** writes; opts.check, the check its open makes (check_check). */
static int decl_file(lua_State *L)
{
	const char *name = check_name(L, 1);
	int mode = check_mode(L, 2);
	int only = check_only(L, 4);
	int lua_file = lua_type(L, 3) == LUA_TFUNCTION;
	int check = check_check(L, 4, lua_file);
	check_write(L, 4, lua_file);
	int wfn = lua_gettop(L);
	if (lua_file) {
		new_decl(L, PL_K_LUA, name);
		set_arg(L, "fn", 3);
		set_arg(L, "wfn", wfn);
		if (check != PL_G_NONE)
			set_int(L, "check", check);
	} else {
		const char *gen = luaL_checkstring(L, 3);
		int id = pl_builtin_lookup(gen, 0);
		if (id == PL_G_NONE)
			return luaL_argerror(L, 3, lua_pushfstring(L, "unknown file generator '%s'", gen));
		new_decl(L, PL_K_FILE, name);
		set_int(L, "gen", id);
	}
	return finish_decl(L, mode, only);
}

/* p.stub(name, mode, content [, opts]) */
static int decl_stub(lua_State *L)
{
	const char *name = check_name(L, 1);
	int mode = check_mode(L, 2);
	luaL_checkstring(L, 3);
	int only = check_only(L, 4);
	new_decl(L, PL_K_STUB, name);
	set_arg(L, "content", 3);
	return finish_decl(L, mode, only);
}

/* p.link(name, generator [, opts]): a builtin link (exe, cwd, ns_net, self...) */
static int decl_link(lua_State *L)
{
	const char *name = check_name(L, 1);
	const char *gen = luaL_checkstring(L, 2);
	int only = check_only(L, 3);
	int id = pl_builtin_lookup(gen, 1);
	if (id == PL_G_NONE)
		return luaL_argerror(L, 2, lua_pushfstring(L, "unknown link generator '%s'", gen));
	new_decl(L, PL_K_LINK, name);
	set_int(L, "gen", id);
	set_int(L, "mode", 0777);
	set_int(L, "only", only);
	return 1;
}

/* p.symlink(name, target [, opts]): a link with fixed target text */
static int decl_symlink(lua_State *L)
{
	const char *name = check_name(L, 1);
	size_t len;
	luaL_checklstring(L, 2, &len);
	luaL_argcheck(L, len > 0 && len < 4096, 2, "target must have 1 to 4095 bytes");
	int only = check_only(L, 3);
	new_decl(L, PL_K_SYMLINK, name);
	set_arg(L, "content", 2);
	set_int(L, "mode", 0777);
	set_int(L, "only", only);
	return 1;
}

int plua_is(lua_State *L, int idx, const char *mt)
{
	if (!lua_istable(L, idx) || !lua_getmetatable(L, idx))
		return 0;
	luaL_getmetatable(L, mt);
	int same = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return same;
}

/* p.dir(name, mode, children | "task" | "fd" | "fdinfo" | "map_files" | "dev_snmp6"
** [, opts]) */
static int decl_dir(lua_State *L)
{
	const char *name = check_name(L, 1);
	int mode = check_mode(L, 2);
	int only = check_only(L, 4);
	if (lua_type(L, 3) == LUA_TSTRING) {
		static const char *const gens[] = { "task", "fd", "fdinfo", "map_files", "dev_snmp6", NULL };
		static const int kinds[] = { PL_K_TASKDIR, PL_K_FDDIR, PL_K_FDINFODIR, PL_K_MAPFILESDIR,
		                             PL_K_NETIFACEDIR };
		int i = luaL_checkoption(L, 3, NULL, gens);
		new_decl(L, kinds[i], name);
	} else {
		luaL_checktype(L, 3, LUA_TTABLE);
		plua_check_entries(L, 3, "dir", NULL);
		new_decl(L, PL_K_DIR, name);
		set_arg(L, "children", 3);
	}
	return finish_decl(L, mode, only);
}

/*
** p.sysctl(name, mode [, { hide = { NAME... }, files = { [NAME] = decl } }])
** sys/ as the source has it: every setting, named as sysctl names them
** (a NAME hides the setting or the directory of that name), with the
** layout's own declarations in place of the source's.  Each of `files`
** becomes a declaration named by its NAME (compile.c keeps it so,
** pl_layout_with_settings puts it where the NAME says).
*/
static int decl_sysctl(lua_State *L)
{
	const char *name = check_name(L, 1);
	int mode = check_mode(L, 2);
	luaL_checkstack(L, 8, "p.sysctl");
	if (!lua_isnoneornil(L, 3))
		luaL_checktype(L, 3, LUA_TTABLE);
	int type = lua_isnoneornil(L, 3) ? LUA_TNIL : lua_getfield(L, 3, "hide");
	if (type != LUA_TNIL && type != LUA_TTABLE)
		luaL_argerror(L, 3, "hide must be a list of sysctl names");
	int list = lua_gettop(L); /* the list, or nil */
	luaL_Buffer hidden;
	luaL_buffinit(L, &hidden);
	for (lua_Integer i = 1; type == LUA_TTABLE && i <= luaL_len(L, list); i++) {
		size_t len = 0;
		lua_geti(L, list, i);
		const char *h = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
		if (!h || len == 0 || len > 255 || memchr(h, '\n', len) || memchr(h, '\0', len))
			luaL_argerror(L, 3, "hide must be a list of sysctl names");
		lua_pop(L, 1); /* the list keeps the string */
		luaL_addlstring(&hidden, h, len);
		luaL_addchar(&hidden, '\n');
	}
	luaL_pushresult(&hidden);
	int hide = lua_gettop(L);
	lua_newtable(L); /* the files, each renamed to its sysctl name */
	int children = hide + 1;
	type = lua_isnoneornil(L, 3) ? LUA_TNIL : lua_getfield(L, 3, "files");
	if (type != LUA_TNIL && type != LUA_TTABLE)
		luaL_argerror(L, 3, "files must be a table { [\"kernel.hostname\"] = p.stub(...), ... }");
	if (type == LUA_TTABLE) {
		int files = lua_gettop(L);
		lua_Integer n = 0;
		lua_pushnil(L);
		while (lua_next(L, files)) {
			size_t len;
			const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &len) : NULL;
			const char *why = key ? name_problem(key, len) : "a sysctl name must be a string";
			if (why)
				luaL_argerror(L, 3, lua_pushfstring(L, "files: %s", why));
			if (!plua_is(L, -1, PLUA_DECL_MT))
				luaL_argerror(L, 3, lua_pushfstring(L, "files['%s'] is not a declaration", key));
			lua_newtable(L); /* a copy, named by the key */
			lua_pushnil(L);
			while (lua_next(L, -3)) {
				lua_pushvalue(L, -2);
				lua_insert(L, -2);
				lua_rawset(L, -4);
			}
			lua_pushvalue(L, -3);
			lua_setfield(L, -2, "name");
			luaL_setmetatable(L, PLUA_DECL_MT);
			lua_rawseti(L, children, ++n);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	plua_check_entries(L, children, "sysctl files", NULL);
	new_decl(L, PL_K_SETTINGS, name);
	set_arg(L, "children", children);
	set_arg(L, "content", hide);
	return finish_decl(L, mode, PL_ONLY_BOTH);
}

int plua_raise(lua_State *L, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	return lua_error(L);
}

/* Raise "WHERE'NAME': MESSAGE" (or "WHEREMESSAGE" without a name). */
static void decl_error(lua_State *L, const char *where, const char *name, const char *msg)
{
	if (name)
		plua_raise(L, "%s'%s': %s", where, name, msg);
	plua_raise(L, "%s%s", where, msg);
}

/* A generator id a layout may name for this kind (file or link). */
static int gen_ok(lua_Integer gen, int link)
{
	return gen > PL_G_NONE && gen < PL_G_COUNT && pl_builtins[gen].name &&
	       pl_builtin_lookup(pl_builtins[gen].name, link) == gen;
}

/*
** Fields are read raw: a script can reach a declaration's metatable with
** getmetatable and give it an __index, and no script code may run while
** a check holds pointers into a declaration.
*/
static int raw_field(lua_State *L, int idx, const char *k)
{
	lua_pushstring(L, k);
	return lua_rawget(L, idx);
}

/* The integer field k of the table at idx, if it is one in [lo, hi]. */
static int int_in(lua_State *L, int idx, const char *k, lua_Integer lo, lua_Integer hi, int *out)
{
	raw_field(L, idx, k);
	int ok = lua_isinteger(L, -1);
	lua_Integer v = lua_tointeger(L, -1);
	lua_pop(L, 1);
	if (!ok || v < lo || v > hi)
		return 0;
	*out = (int)v;
	return 1;
}

void plua_check_decl(lua_State *L, int idx, const char *what, lua_Integer i, const char *at,
                     struct plua_decl *d)
{
	idx = lua_absindex(L, idx);
	if (!plua_is(L, idx, PLUA_DECL_MT))
		plua_raise(L, "%s%s entry #%d is not a declaration (use p.file, p.stub, p.link, "
		           "p.symlink or p.dir)", at, what, (int)i);
	memset(d, 0, sizeof *d);
	d->where = raw_field(L, idx, "where") == LUA_TSTRING ? lua_tostring(L, -1) : at;
	lua_pop(L, 1);
	if (raw_field(L, idx, "name") != LUA_TSTRING)
		decl_error(L, d->where, NULL, "a declaration's name must be a string");
	d->name = lua_tolstring(L, -1, &d->len);
	lua_pop(L, 1);
	const char *why = name_problem(d->name, d->len);
	if (why)
		decl_error(L, d->where, NULL, why);
	/* PL_K_SETTING is made from the source's settings, never declared */
	if (!int_in(L, idx, "kind", PL_K_DIR, PL_K_NETIFACEDIR, &d->kind) || d->kind == PL_K_SETTING)
		decl_error(L, d->where, d->name, "field 'kind' is not a kind of entry "
		           "(was the declaration changed after it was made?)");
	if (!int_in(L, idx, "mode", 0, 0777, &d->mode))
		decl_error(L, d->where, d->name, "field 'mode' must be an integer from 0 to 0777");
	if (!int_in(L, idx, "only", PL_ONLY_BOTH, PL_ONLY_TID, &d->only))
		decl_error(L, d->where, d->name, "field 'only' must be 0 (both), 1 (tgid) or 2 (tid)");
	int wfn = raw_field(L, idx, "wfn");
	lua_pop(L, 1);
	if (wfn != LUA_TNIL && (wfn != LUA_TFUNCTION || d->kind != PL_K_LUA))
		decl_error(L, d->where, d->name, "field 'wfn' must be nil or, for a Lua function "
		           "file, its write function");
	size_t len = 0;
	switch (d->kind) {
	case PL_K_FILE:
	case PL_K_LINK:
		if (!int_in(L, idx, "gen", PL_G_NONE + 1, PL_G_COUNT - 1, &d->gen) ||
		    !gen_ok(d->gen, d->kind == PL_K_LINK))
			decl_error(L, d->where, d->name, d->kind == PL_K_LINK
			           ? "field 'gen' is not a link generator's id"
			           : "field 'gen' is not a file generator's id");
		break;
	case PL_K_STUB:
	case PL_K_SYMLINK:
		if (raw_field(L, idx, "content") != LUA_TSTRING)
			decl_error(L, d->where, d->name, "field 'content' must be a string");
		lua_tolstring(L, -1, &len);
		lua_pop(L, 1);
		if (d->kind == PL_K_SYMLINK && (len == 0 || len > 4095))
			decl_error(L, d->where, d->name, "a symlink's target must have 1 to 4095 bytes");
		break;
	case PL_K_LUA:
		if (raw_field(L, idx, "fn") != LUA_TFUNCTION)
			decl_error(L, d->where, d->name, "field 'fn' must be a function");
		lua_pop(L, 1);
		break;
	case PL_K_DIR:
	case PL_K_SETTINGS:
		if (raw_field(L, idx, "children") != LUA_TTABLE)
			decl_error(L, d->where, d->name, "field 'children' must be a list of declarations");
		lua_pop(L, 1);
		break;
	}
}

/*
** Every element of a list must be a declaration, and two entries that can
** appear in the same directory must not share a name.  Declarations are
** tables a script may change after declaring them, so their fields are
** checked here as well as where they were made.
*/
void plua_check_entries(lua_State *L, int idx, const char *what, const char *at)
{
	idx = lua_absindex(L, idx);
	luaL_checkstack(L, 8, "checking a layout");
	if (!at)
		luaL_where(L, 1); /* the script line that called p.dir or p.layout */
	else
		lua_pushstring(L, at);
	at = lua_tostring(L, -1); /* anchored on the stack until the end */
	lua_Integer n = luaL_len(L, idx);
	if (n < 0 || n > PL_LAYOUT_MAX_ENTRIES)
		plua_raise(L, "%s%s has %I entries; a layout has at most %d", at, what, n,
		           PL_LAYOUT_MAX_ENTRIES);
	for (lua_Integer i = 1; i <= n; i++) {
		struct plua_decl d, dj;
		lua_geti(L, idx, i);
		plua_check_decl(L, -1, what, i, at, &d);
		/* Anchor its name and where: lua_geti below may run a list's
		** __index, which could change the declaration. */
		lua_pushlstring(L, d.name, d.len);
		lua_pushstring(L, d.where);
		d.name = lua_tostring(L, -2);
		d.where = lua_tostring(L, -1);
		for (lua_Integer j = 1; j < i; j++) {
			lua_geti(L, idx, j);
			plua_check_decl(L, -1, what, j, at, &dj);
			int clash = dj.len == d.len && memcmp(dj.name, d.name, d.len) == 0 &&
			            (d.only == PL_ONLY_BOTH || dj.only == PL_ONLY_BOTH || d.only == dj.only);
			lua_pop(L, 1);
			if (clash)
				plua_raise(L, "%sduplicate entry '%s' in %s", d.where, d.name, what);
		}
		lua_pop(L, 3);
	}
	lua_pop(L, 1); /* at */
}

/* view = { root = PID, select = function(task) return bool end }: a pid view */
static void check_view(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx))
		luaL_error(L, "p.layout: view must be a table { root = PID, select = function(task) }");
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
		if (strcmp(k, "root") == 0) {
			if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1)
				luaL_error(L, "p.layout: view.root must be a pid (a positive integer)");
		} else if (strcmp(k, "select") == 0) {
			if (!lua_isfunction(L, -1))
				luaL_error(L, "p.layout: view.select must be a function(task)");
		} else {
			luaL_error(L, "p.layout: unknown view key '%s' (expected root, select)", k);
		}
		lua_pop(L, 1);
	}
}

/* p.layout { root = {...}, task = {...}, view = {...}, shared = bool }: what a
** layout script returns (shared: runtime.c) */
static int decl_layout(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		if (k && strcmp(k, "view") == 0) {
			check_view(L, -1);
			lua_pop(L, 1);
			continue;
		}
		if (k && strcmp(k, "shared") == 0) {
			if (!lua_isboolean(L, -1))
				return luaL_error(L, "p.layout: shared must be true or false");
			lua_pop(L, 1);
			continue;
		}
		if (!k || (strcmp(k, "root") != 0 && strcmp(k, "task") != 0))
			return luaL_error(L, "p.layout: unknown key '%s' (expected root, task, view, "
			                  "shared)", k ? k : luaL_typename(L, -2));
		luaL_checktype(L, -1, LUA_TTABLE);
		plua_check_entries(L, -1, k, NULL);
		lua_pop(L, 1);
	}
	lua_createtable(L, 0, 4);
	luaL_setmetatable(L, PLUA_LAYOUT_MT);
	luaL_where(L, 1); /* for errors compiling it that no declaration can name */
	lua_setfield(L, -2, "where");
	lua_getfield(L, 1, "view");
	lua_setfield(L, -2, "view");
	lua_getfield(L, 1, "shared");
	lua_setfield(L, -2, "shared");
	for (int i = 0; i < 2; i++) {
		const char *k = i ? "task" : "root";
		if (lua_getfield(L, 1, k) == LUA_TNIL) {
			lua_pop(L, 1);
			lua_newtable(L);
		}
		lua_setfield(L, -2, k);
	}
	return 1;
}

/* ------------------------------------------------------------------------
** "did you mean"
*/

#define NEAR_MAX 64 /* longer names are compared by prefix only */

/* Levenshtein distance of a and b (each at most NEAR_MAX bytes). */
static int distance(const char *a, size_t la, const char *b, size_t lb)
{
	int row[NEAR_MAX + 1];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

void plua_near_init(struct plua_near *n, const char *name)
{
	n->name = name;
	n->best[0] = '\0';
	n->dist = INT_MAX;
}

void plua_near_try(struct plua_near *n, const char *cand)
{
	size_t la = strlen(n->name), lb = strlen(cand);
	int d = INT_MAX;
	if (lb > NEAR_MAX)
		return;
	if (la <= NEAR_MAX)
		d = distance(n->name, la, cand, lb);
	if (d > 2) {
		/* a prefix: counted as just past any distance that is offered */
		size_t shorter = la < lb ? la : lb;
		if (shorter < 3 || strncmp(n->name, cand, shorter) != 0)
			return;
		d = 3;
	}
	if (d > 0 && d < n->dist) {
		memcpy(n->best, cand, lb + 1);
		n->dist = d;
	}
}

const char *plua_near_hint(const struct plua_near *n, char *buf, size_t len)
{
	if (!n->best[0])
		return "";
	snprintf(buf, len, " (did you mean '%s'?)", n->best);
	return buf;
}

/*
** p.edit(list, changes) -> a new list: each entry of `list` (a layout's
** root or task list, or a p.dir's children) whose name is a key of
** `changes` is replaced by that declaration, or dropped if it maps to
** false; new names in `changes` are not added (append them yourself).
** So a layout can be "the stock one, but": p.edit(stock.task, { environ = false }).
*/
static int decl_edit(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_Integer n = luaL_len(L, 1), k = 0;
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 1, i);
		if (!plua_is(L, -1, PLUA_DECL_MT))
			return luaL_error(L, "p.edit: entry #%d is not a declaration", (int)i);
		lua_getfield(L, -1, "name");
		lua_gettable(L, 2);
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1); /* keep the entry */
		} else if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) {
			lua_pop(L, 2); /* dropped */
			continue;
		} else if (plua_is(L, -1, PLUA_DECL_MT)) {
			lua_remove(L, -2); /* replaced */
		} else {
			return luaL_error(L, "p.edit: a change must be a declaration or false");
		}
		lua_rawseti(L, -2, ++k);
	}
	/* a change naming no entry is a mistake (a typo, or the wrong list) */
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			return luaL_error(L, "p.edit: a change's key must be an entry's name, not a %s",
			                  luaL_typename(L, -1));
		const char *name = lua_tostring(L, -1);
		struct plua_near near;
		plua_near_init(&near, name);
		int found = 0;
		for (lua_Integer i = 1; i <= n && !found; i++) {
			lua_geti(L, 1, i);
			lua_getfield(L, -1, "name");
			const char *have = lua_tostring(L, -1);
			if (have && !strcmp(have, name))
				found = 1;
			else if (have)
				plua_near_try(&near, have);
			lua_pop(L, 2); /* the list holds the name */
		}
		if (!found) {
			char hint[96];
			return luaL_error(L, "p.edit: the list has no entry named '%s'%s", name,
			                  plua_near_hint(&near, hint, sizeof hint));
		}
	}
	return 1;
}

static const luaL_Reg decl_funcs[] = {
	{ "edit", decl_edit },
	{ "file", decl_file },
	{ "stub", decl_stub },
	{ "link", decl_link },
	{ "symlink", decl_symlink },
	{ "dir", decl_dir },
	{ "sysctl", decl_sysctl },
	{ "layout", decl_layout },
	{ NULL, NULL }
};

void plua_decl_register(lua_State *L)
{
	luaL_newmetatable(L, PLUA_DECL_MT);
	lua_pushliteral(L, "proclua declaration");
	lua_setfield(L, -2, "__name");
	lua_pop(L, 1);
	luaL_newmetatable(L, PLUA_LAYOUT_MT);
	lua_pop(L, 1);
	luaL_setfuncs(L, decl_funcs, 0);
}
