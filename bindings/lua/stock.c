/*
** The stock layout as a module: require "proclua.stock" returns what
** scripts/proc.lua returns, wherever require "proclua" works.  Its text is
** built into the module (stock_embed.cmake makes stock_lua.c from it), so
** it needs no Lua path: the stock interpreter finds it as proclua.so's
** luaopen_proclua_stock (Lua's all-in-one loader), and luaopen_proclua
** preloads it for states that have the module by other means (the daemon).
*/
#include <stddef.h>

#include "lauxlib.h"
#include "lua.h"

#include "plua.h"
#include "plua_tree.h"

extern const char plua_stock_source[];
extern const size_t plua_stock_len;

int luaopen_proclua_stock(lua_State *L)
{
	if (luaL_loadbufferx(L, plua_stock_source, plua_stock_len, "@proc.lua", "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 1);
	return 1;
}

void plua_stock_register(lua_State *L)
{
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
	if (lua_getfield(L, -1, "proclua.stock") == LUA_TNIL) {
		lua_pushcfunction(L, luaopen_proclua_stock);
		lua_setfield(L, -3, "proclua.stock");
	}
	lua_pop(L, 2);
}
