/*
** The caller a p.tree method is asked for: a table { uid, gid, groups,
** caps, pid }, declared whole (nothing of it is read from the host), or
** by default root with every capability.
**
**   uid, gid   its ids (every one of real, effective, saved and filesystem);
**              gid defaults to uid, uid to 0
**   groups     its supplementary groups, a list of gids (default none)
**   caps       its effective and permitted capabilities: a list of names
**              ("CAP_SYS_PTRACE", as capabilities(7) spells them), an integer
**              mask (bit n: capability n), or "all"; by default every one
**              when uid is 0 (what exec gives root), else none
**   pid        the task it is, named as the served source numbers its tasks
**              (a world's pid, or the host's): `self` is that task, and the
**              checks that ask whether it is the target's thread group see
**              it.  By default, over a world none (the world's self stands
**              for it, as for a host process reading a mounted world), over
**              the host this process.
**
** The caller lives in the top user namespace: capabilities count wherever
** the kernel would count those of a process of the initial namespace.
*/
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "lauxlib.h"
#include "lua.h"

#include "plua.h"
#include "plua_facts.h"
#include "plua_tree.h"
#include "plua_state.h"

#define NCAPS ((size_t)plua_cap_count())
#define ALL_CAPS ((UINT64_C(1) << NCAPS) - 1) /* a root process's CapEff */
#define MAX_GROUPS 65536                       /* Linux's NGROUPS_MAX */


static uint32_t id_field(lua_State *L, int arg, const char *key, uint32_t dflt)
{
	lua_getfield(L, arg, key);
	int is_int;
	lua_Integer v = lua_tointegerx(L, -1, &is_int);
	int absent = lua_isnil(L, -1);
	lua_pop(L, 1);
	if (absent)
		return dflt;
	if (!is_int || v < 0 || v > 4294967294)
		luaL_argerror(L, arg, lua_pushfstring(L, "caller.%s must be an integer from 0 to "
		                                      "4294967294", key));
	return (uint32_t)v;
}

static uint64_t cap_named(lua_State *L, int arg, const char *name)
{
	struct plua_near near;
	plua_near_init(&near, name);
	for (size_t i = 0; i < NCAPS; i++) {
		if (strcmp(plua_cap_name((int)i), name) == 0)
			return UINT64_C(1) << i;
		plua_near_try(&near, plua_cap_name((int)i));
	}
	char hint[96];
	luaL_argerror(L, arg, lua_pushfstring(L, "caller.caps: unknown capability '%s'%s", name,
	                                      plua_near_hint(&near, hint, sizeof hint)));
	return 0;
}

static uint64_t caps_field(lua_State *L, int arg, uint32_t uid)
{
	int type = lua_getfield(L, arg, "caps");
	uint64_t caps = 0;
	if (type == LUA_TNIL) {
		caps = uid == 0 ? ALL_CAPS : 0;
	} else if (type == LUA_TNUMBER && lua_isinteger(L, -1)) {
		caps = (uint64_t)lua_tointeger(L, -1);
	} else if (type == LUA_TSTRING && strcmp(lua_tostring(L, -1), "all") == 0) {
		caps = ALL_CAPS;
	} else if (type == LUA_TTABLE) {
		int list = lua_gettop(L);
		size_t n = plua_list_len(L, list, NCAPS * 4, "caller", "caps");
		for (size_t i = 1; i <= n; i++) {
			if (lua_geti(L, list, (lua_Integer)i) != LUA_TSTRING)
				luaL_argerror(L, arg, "caller.caps must list capability names such as "
				              "\"CAP_SYS_PTRACE\"");
			caps |= cap_named(L, arg, lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	} else {
		luaL_argerror(L, arg, "caller.caps must be a list of names such as "
		              "{ \"CAP_SYS_PTRACE\" }, a mask or \"all\"");
	}
	lua_pop(L, 1);
	return caps;
}

/* The groups, in a userdata pushed (and left) on the stack. */
static const uint32_t *groups_field(lua_State *L, int arg, size_t *n)
{
	*n = 0;
	if (lua_getfield(L, arg, "groups") == LUA_TNIL) {
		lua_pop(L, 1);
		lua_pushnil(L); /* what the stack holds does not depend on the table */
		return NULL;
	}
	if (!lua_istable(L, -1))
		luaL_argerror(L, arg, "caller.groups must be a list of gids");
	int list = lua_gettop(L);
	*n = plua_list_len(L, list, MAX_GROUPS, "caller", "groups");
	uint32_t *g = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *g, 0);
	for (size_t i = 0; i < *n; i++) {
		lua_geti(L, list, (lua_Integer)i + 1);
		int is_int;
		lua_Integer v = lua_tointegerx(L, -1, &is_int);
		if (!is_int || v < 0 || v > 4294967294)
			luaL_argerror(L, arg, "caller.groups must be a list of gids from 0 to 4294967294");
		g[i] = (uint32_t)v;
		lua_pop(L, 1);
	}
	lua_remove(L, list);
	return g;
}

static void check_keys(lua_State *L, int arg)
{
	static const char *const known[] = { "uid", "gid", "groups", "caps", "pid" };
	lua_pushnil(L);
	while (lua_next(L, arg)) {
		lua_pop(L, 1);
		int ok = 0;
		if (lua_type(L, -1) == LUA_TSTRING)
			for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
				ok |= strcmp(lua_tostring(L, -1), known[i]) == 0;
		if (!ok)
			luaL_argerror(L, arg, lua_pushfstring(L, "unknown caller field %s%s%s (expected "
			              "uid, gid, groups, caps, pid)", lua_type(L, -1) == LUA_TSTRING ?
			              "'" : "", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) :
			              luaL_typename(L, -1), lua_type(L, -1) == LUA_TSTRING ? "'" : ""));
	}
}

/* The task the caller is: its thread id and thread group, as the served
** source (before any view) numbers them. */
static void pid_field(lua_State *L, int arg, struct plua_tree *t, pl_pid *tid, pl_pid *tgid)
{
	int is_world = t->host == NULL;
	*tid = *tgid = 0;
	if (lua_getfield(L, arg, "pid") == LUA_TNIL) {
		lua_pop(L, 1);
		if (!is_world)
			*tid = *tgid = (pl_pid)getpid();
		return;
	}
	int is_int;
	lua_Integer v = lua_tointegerx(L, -1, &is_int);
	lua_pop(L, 1);
	if (!is_int || v < 1 || v > 4194304)
		luaL_argerror(L, arg, "caller.pid must be a pid from 1 to 4194304");
	*tid = (pl_pid)v;
	if (t->inner->ops->tgid_of(t->inner, *tid, tgid) < 0)
		luaL_argerror(L, arg, lua_pushfstring(L, "caller.pid %d is %s", (int)v, is_world
		              ? "no task of the world" : "no process of this machine"));
}

void plua_tree_caller(lua_State *L, struct plua_tree *t, int arg, struct pl_caller *c)
{
	pl_pid tid, tgid;
	if (lua_isnoneornil(L, arg)) {
		if (t->host)
			tid = tgid = (pl_pid)getpid();
		else
			tid = tgid = 0;
		pl_caller_init_declared(c, tid, tgid, 0, 0, NULL, 0, ALL_CAPS);
		lua_pushnil(L); /* in place of the groups */
		return;
	}
	luaL_argexpected(L, lua_istable(L, arg), arg, "caller table { uid, gid, groups, caps, pid }");
	arg = lua_absindex(L, arg);
	check_keys(L, arg);
	uint32_t uid = id_field(L, arg, "uid", 0);
	uint32_t gid = id_field(L, arg, "gid", uid);
	uint64_t caps = caps_field(L, arg, uid);
	pid_field(L, arg, t, &tid, &tgid);
	size_t ngroups;
	const uint32_t *groups = groups_field(L, arg, &ngroups);
	pl_caller_init_declared(c, tid, tgid, uid, gid, groups, ngroups, caps);
}
