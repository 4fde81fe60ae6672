/*
** machine.locks of a world: the file locks /proc/locks lists, as records
**   { kind = "POSIX", type = "WRITE", pid = 7, dev = "08:01", ino = 1234,
**     start = 0, ["end"] = "EOF" }
** or as the kernel's text; by default none.  A record's line is made by
** the formatter and the whole list read back by the parser, so a world
** holds only what the kernel could show.
*/
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "plua.h"
#include "world_build.h"

static const char *const lock_keys[] = {
	"id", "depth", "kind", "mode", "type", "pid", "dev", "ino", "start", "end", NULL
};

/* Which of names (a NULL-ended list) the string field key is; dflt when absent. */
static int one_of(lua_State *L, int rec, int i, const char *key, const char *const *names, int dflt)
{
	int t = lua_getfield(L, rec, key);
	const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 1);
	if (t == LUA_TNIL && dflt >= 0)
		return dflt;
	for (int k = 0; s && names[k]; k++)
		if (strcmp(s, names[k]) == 0)
			return k;
	return luaL_error(L, "world machine: locks[%d].%s must be one of %s%s%s...", i, key, names[0],
	                  names[1] ? ", " : "", names[1] ? names[1] : "");
}

static int64_t int_field(lua_State *L, int rec, int i, const char *key, int64_t dflt, int64_t lo,
                         int64_t hi)
{
	int t = lua_getfield(L, rec, key);
	int ok = 0;
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	lua_pop(L, 1);
	if (t == LUA_TNIL)
		return dflt;
	if (t != LUA_TNUMBER || !ok || v < lo || v > hi)
		luaL_error(L, "world machine: locks[%d].%s must be an integer from %I to %I", i, key,
		           (lua_Integer)lo, (lua_Integer)hi);
	return (int64_t)v;
}

static void check_keys(lua_State *L, int rec, int i)
{
	lua_pushnil(L);
	while (lua_next(L, rec)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
		int known = 0;
		for (int j = 0; lock_keys[j] && !known; j++)
			known = strcmp(k, lock_keys[j]) == 0;
		if (!known)
			luaL_error(L, "world machine: locks[%d] has no field '%s'", i, k);
	}
}

/* "08:01": the device's major and minor in hex, as the file prints them. */
static void read_dev(lua_State *L, int rec, int i, struct pl_file_lock *l)
{
	int t = lua_getfield(L, rec, "dev");
	const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 1);
	if (t == LUA_TNIL)
		return;
	unsigned major = 0, minor = 0;
	int n = -1;
	if (!s || sscanf(s, "%x:%x%n", &major, &minor, &n) != 2 || s[n] || major > 0xfff ||
	    minor > 0xfffff)
		luaL_error(L, "world machine: locks[%d].dev must be \"major:minor\" in hex, as \"08:01\"", i);
	l->has_inode = 1;
	l->dev_major = major;
	l->dev_minor = minor;
	l->ino = (uint64_t)int_field(L, rec, i, "ino", 0, 0, INT64_MAX);
}

static void read_lock(lua_State *L, int rec, int i, int64_t *last_id, struct pl_file_lock *l)
{
	static const char *const kinds[] = { "POSIX", "ACCESS", "OFDLCK", "FLOCK", "LEASE", "DELEG",
	                                     "UNKNOWN", NULL };
	static const char *const modes[] = { "ADVISORY", "*NOINODE*", "ACTIVE", "BREAKING", "BREAKER",
	                                     "UNKNOWN", NULL };
	static const char *const types[] = { "READ", "WRITE", "UNLCK", NULL };
	check_keys(L, rec, i);
	memset(l, 0, sizeof *l);
	l->kind = (uint8_t)one_of(L, rec, i, "kind", kinds, -1);
	l->type = (uint8_t)one_of(L, rec, i, "type", types, -1);
	read_dev(L, rec, i, l);
	int dflt_mode = l->kind == PL_LOCK_LEASE || l->kind == PL_LOCK_DELEG ? PL_LOCK_ACTIVE
	              : l->kind == PL_LOCK_UNKNOWN ? PL_LOCK_MODE_UNKNOWN
	              : l->kind == PL_LOCK_FLOCK || l->has_inode ? PL_LOCK_ADVISORY : PL_LOCK_NOINODE;
	l->mode = (uint8_t)one_of(L, rec, i, "mode", modes, dflt_mode);
	l->depth = (uint32_t)int_field(L, rec, i, "depth", 0, 0, 64);
	/* a waiter shares its holder's number; holders count up */
	l->id = int_field(L, rec, i, "id", l->depth ? *last_id : *last_id + 1, 1, INT64_MAX);
	*last_id = l->id;
	if (l->kind == PL_LOCK_OFDLCK)
		l->pid = (int32_t)int_field(L, rec, i, "pid", -1, -1, -1);
	else if (lua_getfield(L, rec, "pid") == LUA_TNIL)
		luaL_error(L, "world machine: locks[%d] needs the owner's pid", i);
	else
		l->pid = (int32_t)int_field(L, rec, i, "pid", 0, INT32_MIN, INT32_MAX);
	lua_settop(L, rec);
	l->start = int_field(L, rec, i, "start", 0, 0, INT64_MAX);
	l->end = -1;
	if (lua_getfield(L, rec, "end") == LUA_TSTRING && strcmp(lua_tostring(L, -1), "EOF") == 0)
		lua_pop(L, 1);
	else {
		lua_pop(L, 1);
		l->end = int_field(L, rec, i, "end", -1, l->start, INT64_MAX);
	}
}

void plua_world_read_locks(struct world_build *wb, int idx, struct pl_machine *m)
{
	lua_State *L = wb->L;
	int t = lua_getfield(L, idx, "locks");
	int list = lua_gettop(L);
	if (t == LUA_TNIL) {
		m->locks = NULL;
		m->nlocks = 0;
		m->have |= PL_M_LOCKS;
		lua_pop(L, 1);
		return;
	}
	if (t != LUA_TSTRING && t != LUA_TTABLE)
		luaL_error(L, "world machine: locks must be a list of locks or the kernel's text");
	if (t == LUA_TTABLE) {
		lua_Integer n = luaL_len(L, list);
		int64_t last_id = 0;
		lua_pushliteral(L, "");
		for (lua_Integer i = 1; i <= n; i++) {
			struct pl_file_lock l;
			if (lua_geti(L, list, i) != LUA_TTABLE)
				luaL_error(L, "world machine: locks[%d] must be a table", (int)i);
			read_lock(L, lua_gettop(L), (int)i, &last_id, &l);
			lua_pop(L, 1);
			struct pl_machine one = { .locks = &l, .nlocks = 1 };
			struct pl_buf b = PL_BUF_INIT;
			int rc = pl_fmt_locks(&one, &b);
			if (rc == 0)
				lua_pushlstring(L, b.data, b.len);
			pl_buf_free(&b);
			if (rc < 0)
				luaL_error(L, "world machine: out of memory");
			lua_concat(L, 2);
		}
	}
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	wb->a->fail_line = 0;
	if (pl_parse_locks(text, len, wb->a, m) < 0) {
		if (t == LUA_TTABLE && wb->a->fail_line)
			luaL_error(L, "world machine: locks[%d] is no lock the kernel would show (a waiter "
			           "follows its holder, at most one level deeper)", (int)wb->a->fail_line);
		luaL_error(L, "world machine: locks is not text the kernel would print");
	}
	lua_settop(L, list - 1);
}
