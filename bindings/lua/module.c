/*
** luaopen_proclua: the `proclua` module, for layout scripts inside the
** daemon and for specs in the stock lua5.4 interpreter.
**
**   p.file / p.stub / p.link / p.symlink / p.dir / p.layout   (decl.c)
**   p.compile(layout) -> list of { index, name, kind, mode, only, scope,
**                        parent }: the C table the daemon would serve
**   p.version
*/
#include "lauxlib.h"
#include "lua.h"

#include "pl_layout.h"
#include "plua.h"
#include "plua_facts.h"

#ifndef PROCLUA_VERSION
#define PROCLUA_VERSION "0.1.0"
#endif

static const char *const kind_names[] = {
	[PL_K_DIR] = "dir", [PL_K_FILE] = "file", [PL_K_STUB] = "stub",
	[PL_K_LUA] = "lua", [PL_K_LINK] = "link", [PL_K_SYMLINK] = "symlink",
	[PL_K_TASKDIR] = "taskdir", [PL_K_FDDIR] = "fddir", [PL_K_FDINFODIR] = "fdinfodir",
};
static const char *const only_names[] = { "both", "tgid", "tid" };

static void push_entry(lua_State *L, const struct pl_entry *e, uint32_t i, lua_Integer parent)
{
	lua_createtable(L, 0, 8);
	lua_pushinteger(L, i);
	lua_setfield(L, -2, "index");
	lua_pushlstring(L, e->name, e->len);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, kind_names[e->kind]);
	lua_setfield(L, -2, "kind");
	lua_pushfstring(L, "%04o", (int)e->mode);
	lua_setfield(L, -2, "mode");
	lua_pushstring(L, only_names[e->only]);
	lua_setfield(L, -2, "only");
	lua_pushstring(L, e->scope == PL_SCOPE_ROOT ? "root" : "task");
	lua_setfield(L, -2, "scope");
	lua_pushinteger(L, parent);
	lua_setfield(L, -2, "parent");
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

static const luaL_Reg module_funcs[] = {
	{ "compile", p_compile },
	{ NULL, NULL }
};

int luaopen_proclua(lua_State *L)
{
	luaL_newlib(L, module_funcs);
	plua_decl_register(L);
	plua_world_register(L);
	lua_pushliteral(L, PROCLUA_VERSION);
	lua_setfield(L, -2, "version");
	return 1;
}
