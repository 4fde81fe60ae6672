/*
** luaopen_proclua: the `proclua` module, for layout scripts inside the
** daemon and for specs in the stock lua5.4 interpreter.
**
**   p.file / p.stub / p.link / p.symlink / p.dir / p.layout   (decl.c)
**   p.compile(layout) -> list of { index, name, kind, mode, only, scope,
**                        parent, writable }: the C table the daemon would
**                        serve (writable: a Lua file with a write function)
**   p.idmap_parse(text) / p.idmap_format(list): uid_map text, Linux's rules
**   p.world { ... } and world methods                           (world.c)
**   p.tree { layout = L, world = W }: the tree without FUSE     (tree.c)
**   require "proclua.stock": the stock layout                   (stock.c)
**   p.version
*/
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "tree/layout.h"
#include "plua.h"
#include "plua_facts.h"

static const char *const kind_names[] = {
	[PL_K_DIR] = "dir", [PL_K_FILE] = "file", [PL_K_STUB] = "stub",
	[PL_K_LUA] = "lua", [PL_K_LINK] = "link", [PL_K_SYMLINK] = "symlink",
	[PL_K_TASKDIR] = "taskdir", [PL_K_FDDIR] = "fddir", [PL_K_FDINFODIR] = "fdinfodir",
	[PL_K_SETTINGS] = "sysctl", [PL_K_SETTING] = "setting", [PL_K_MAPFILESDIR] = "mapfilesdir",
	[PL_K_NETIFACEDIR] = "netifacedir",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == PL_K_NETIFACEDIR + 1,
               "every kind of entry has a name");
static const char *const only_names[] = { "both", "tgid", "tid" };

static void push_entry(lua_State *L, const struct pl_entry *e, uint32_t i, lua_Integer parent)
{
	lua_createtable(L, 0, 9);
	lua_pushinteger(L, i);
	lua_setfield(L, -2, "index");
	lua_pushlstring(L, e->name, e->len);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, kind_names[e->kind]);
	lua_setfield(L, -2, "kind");
	char mode[8]; /* lua_pushfstring knows neither widths nor octal */
	snprintf(mode, sizeof mode, "%04o", (unsigned)e->mode);
	lua_pushstring(L, mode);
	lua_setfield(L, -2, "mode");
	lua_pushstring(L, only_names[e->only]);
	lua_setfield(L, -2, "only");
	lua_pushstring(L, e->scope == PL_SCOPE_ROOT ? "root" : "task");
	lua_setfield(L, -2, "scope");
	lua_pushinteger(L, parent);
	lua_setfield(L, -2, "parent");
	lua_pushboolean(L, e->wref != 0);
	lua_setfield(L, -2, "writable");
}

/* Compile in a scratch state-independent way and describe the result. */
static int p_compile(lua_State *L)
{
	struct pl_layout *l = plua_compile(L, 1);
	lua_createtable(L, (int)l->nentries, 0);
	for (uint32_t i = 0; i < l->nentries; i++) {
		lua_Integer parent = -1; /* -1: root list, -2: task list */
		if (i >= l->task_first && i < l->task_first + l->task_n)
			parent = -2;
		for (uint32_t j = 0; j < l->nentries; j++)
			if (l->entries[j].kind == PL_K_DIR && i >= l->entries[j].first &&
			    i < l->entries[j].first + l->entries[j].n)
				parent = j;
		push_entry(L, &l->entries[i], i, parent);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	pl_layout_free(l);
	return 1;
}

/* p.idmap_parse(text) -> { {first, lower, count}, ... } | nil, message, errno
** The text a writer gives uid_map/gid_map, checked by Linux's rules. */
static int p_idmap_parse(lua_State *L)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	struct pl_idmap_extent ext[PL_IDMAP_MAX_EXTENTS];
	size_t n;
	int rc = pl_idmap_parse_write(text, len, ext, PL_IDMAP_MAX_EXTENTS, &n);
	if (rc < 0) {
		lua_pushnil(L);
		lua_pushstring(L, strerror(-rc));
		lua_pushinteger(L, -rc);
		return 3;
	}
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 3, 0);
		lua_pushinteger(L, ext[i].first);
		lua_rawseti(L, -2, 1);
		lua_pushinteger(L, ext[i].lower_first);
		lua_rawseti(L, -2, 2);
		lua_pushinteger(L, ext[i].count);
		lua_rawseti(L, -2, 3);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* p.idmap_format({ {first, lower, count}, ... }) -> the text uid_map reads as */
static int p_idmap_format(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = luaL_len(L, 1);
	luaL_argcheck(L, n <= PL_IDMAP_MAX_EXTENTS, 1, "at most 340 extents");
	struct pl_idmap_extent ext[PL_IDMAP_MAX_EXTENTS];
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 1, i);
		uint32_t v[3];
		for (int k = 0; k < 3; k++) {
			lua_geti(L, -1, k + 1);
			v[k] = (uint32_t)luaL_checkinteger(L, -1);
			lua_pop(L, 1);
		}
		ext[i - 1] = (struct pl_idmap_extent){ v[0], v[1], v[2] };
		lua_pop(L, 1);
	}
	struct pl_buf b = PL_BUF_INIT;
	pl_fmt_idmap(ext, (size_t)n, &b);
	lua_pushlstring(L, b.data ? b.data : "", b.len);
	pl_buf_free(&b);
	return 1;
}

static const luaL_Reg module_funcs[] = {
	{ "compile", p_compile },
	{ "idmap_parse", p_idmap_parse },
	{ "idmap_format", p_idmap_format },
	{ NULL, NULL }
};

int luaopen_proclua(lua_State *L)
{
	luaL_newlib(L, module_funcs);
	plua_decl_register(L);
	plua_world_register(L);
	plua_tree_register(L);
	plua_stock_register(L);
	lua_pushliteral(L, PROCLUA_VERSION);
	lua_setfield(L, -2, "version");
	/* p.facts: the name of every task fact, in the table's order */
	lua_createtable(L, (int)plua_nfacts, 0);
	for (size_t i = 0; i < plua_nfacts; i++) {
		lua_pushstring(L, plua_facts[i].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "facts");
	return 1;
}
