/*
** A world's time namespaces: timens = { [ino] = { monotonic = { sec, nsec },
** boottime = { sec, nsec } }, ... }, the offsets of the namespace that
** tasks name by inode in ns.time / ns.time_for_children (timens_offsets
** shows a task's namespace for children's).  A clock left out, and every
** namespace not declared, is 0 0, as a new namespace starts.  The values
** are ones the kernel could hold: seconds within +-KTIME_SEC_MAX,
** nanoseconds in [0, 1e9); the initial namespace's are 0 0.
*/
#include <string.h>

#include "lauxlib.h"

#include "world_build.h"

#define KTIME_SEC_MAX (INT64_MAX / 1000000000)

static const char *const clocks[PL_TIMENS_COUNT] = { "monotonic", "boottime" };

static void read_offset(lua_State *L, int ns, uint64_t ino, int c, struct pl_timens_offset *o)
{
	int t = lua_getfield(L, ns, clocks[c]);
	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	if (t != LUA_TTABLE)
		luaL_error(L, "world timens %I: %s is { seconds, nanoseconds }", (lua_Integer)ino, clocks[c]);
	int isnum[2];
	lua_geti(L, -1, 1);
	lua_geti(L, -2, 2);
	lua_Integer sec = lua_tointegerx(L, -2, &isnum[0]);
	lua_Integer nsec = lua_isnil(L, -1) ? 0 : lua_tointegerx(L, -1, &isnum[1]);
	if (lua_isnil(L, -1))
		isnum[1] = 1;
	if (!isnum[0] || !isnum[1] || sec > KTIME_SEC_MAX || sec < -KTIME_SEC_MAX || nsec < 0 ||
	    nsec >= 1000000000)
		luaL_error(L, "world timens %I: %s is { seconds (within +-%I), nanoseconds (0 to 999999999) }",
		           (lua_Integer)ino, clocks[c], (lua_Integer)KTIME_SEC_MAX);
	lua_pop(L, 3);
	o->sec = sec;
	o->nsec = nsec;
}

void plua_world_read_timens(struct world_build *wb, int idx)
{
	lua_State *L = wb->L;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) <= 0 || !lua_istable(L, -1))
			luaL_error(L, "world timens: keys are namespace inodes, values tables of offsets");
		uint64_t ino = (uint64_t)lua_tointeger(L, -2);
		int ns = lua_gettop(L);
		lua_pushnil(L);
		while (lua_next(L, ns)) {
			lua_pop(L, 1);
			const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
			if (strcmp(k, clocks[0]) != 0 && strcmp(k, clocks[1]) != 0)
				luaL_error(L, "world timens %I: its clocks are monotonic and boottime",
				           (lua_Integer)ino);
		}
		struct pl_timens_offset off[PL_TIMENS_COUNT] = { { 0, 0 }, { 0, 0 } };
		for (int c = 0; c < PL_TIMENS_COUNT; c++)
			read_offset(L, ns, ino, c, &off[c]);
		if (ino == PL_TIMENS_INIT_INO && (off[0].sec || off[0].nsec || off[1].sec || off[1].nsec))
			luaL_error(L, "world timens %I: the initial time namespace's offsets are 0 0",
			           (lua_Integer)ino);
		if (pl_model_timens(wb->m, ino, off) < 0)
			luaL_error(L, "out of memory");
		lua_pop(L, 1);
	}
}
