/*
** machine.tty_drivers of a world: /proc/tty/drivers, as records
**   { driver = "serial", name = "ttyS", major = 4, minor = 64, minors = 4,
**     type = "serial" }
** or as the kernel's text.  By default the drivers of a plain Debian VM
** (console, vt, ptys and four 8250 ports: Debian's kernel registers
** CONFIG_SERIAL_8250_RUNTIME_UARTS=4), the table procps reads to name
** the tty of a task's tty_nr.
*/
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "plua.h"
#include "world_build.h"

static const char debian_vm[] =
	"/dev/tty             /dev/tty        5       0 system:/dev/tty\n"
	"/dev/console         /dev/console    5       1 system:console\n"
	"/dev/ptmx            /dev/ptmx       5       2 system\n"
	"/dev/vc/0            /dev/vc/0       4       0 system:vtmaster\n"
	"serial               /dev/ttyS       4 64-67 serial\n"
	"pty_slave            /dev/pts      136 0-1048575 pty:slave\n"
	"pty_master           /dev/ptm      128 0-1048575 pty:master\n"
	"unknown              /dev/tty        4 1-63 console\n";

static const char *const driver_keys[] = { "driver", "name", "major", "minor", "minors", "type", NULL };

static const char *str_field(lua_State *L, int rec, int i, const char *key, const char *dflt)
{
	int t = lua_getfield(L, rec, key);
	const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : dflt;
	lua_pop(L, 1);    /* the record keeps the string */
	if (!s || (t != LUA_TSTRING && t != LUA_TNIL) || !*s || strpbrk(s, " \n"))
		luaL_error(L, "world machine: tty_drivers[%d].%s must be a word", i, key);
	return s;
}

static uint32_t int_field(lua_State *L, int rec, int i, const char *key, int64_t dflt, int64_t lo,
                          int64_t hi)
{
	int t = lua_getfield(L, rec, key);
	int ok = 0;
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	lua_pop(L, 1);
	if (t == LUA_TNIL && dflt >= 0)
		return (uint32_t)dflt;
	if (t != LUA_TNUMBER || !ok || v < lo || v > hi)
		luaL_error(L, "world machine: tty_drivers[%d].%s must be an integer from %I to %I", i, key,
		           (lua_Integer)lo, (lua_Integer)hi);
	return (uint32_t)v;
}

static void read_driver(lua_State *L, int rec, int i, struct pl_tty_driver *d)
{
	lua_pushnil(L);
	while (lua_next(L, rec)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
		int known = 0;
		for (int j = 0; driver_keys[j] && !known; j++)
			known = strcmp(k, driver_keys[j]) == 0;
		if (!known)
			luaL_error(L, "world machine: tty_drivers[%d] has no field '%s'", i, k);
	}
	memset(d, 0, sizeof *d);
	d->driver = str_field(L, rec, i, "driver", "unknown");
	d->name = str_field(L, rec, i, "name", NULL);
	d->type = str_field(L, rec, i, "type", NULL);
	/* dev_t: 12 bits of major, 20 of minor */
	d->major = int_field(L, rec, i, "major", -1, 0, 4095);
	d->minor = int_field(L, rec, i, "minor", 0, 0, 1048575);
	uint32_t minors = int_field(L, rec, i, "minors", 1, 1, 1048576 - (int64_t)d->minor);
	d->ranged = minors > 1;
	d->minor_last = d->minor + minors - 1;
}

void plua_world_read_tty_drivers(struct world_build *wb, int idx, struct pl_machine *m)
{
	lua_State *L = wb->L;
	int t = lua_getfield(L, idx, "tty_drivers");
	int list = lua_gettop(L);
	if (t == LUA_TNIL)
		lua_pushstring(L, debian_vm);
	else if (t == LUA_TTABLE) {
		lua_Integer n = luaL_len(L, list);
		lua_pushliteral(L, "");
		for (lua_Integer i = 1; i <= n; i++) {
			struct pl_tty_driver d;
			if (lua_geti(L, list, i) != LUA_TTABLE)
				luaL_error(L, "world machine: tty_drivers[%d] must be a table", (int)i);
			read_driver(L, lua_gettop(L), (int)i, &d);
			struct pl_machine one = { .tty_drivers = &d, .ntty_drivers = 1 };
			struct pl_buf b = PL_BUF_INIT;
			int rc = pl_fmt_tty_drivers(&one, &b);
			if (rc == 0)
				lua_pushlstring(L, b.data, b.len);
			pl_buf_free(&b);
			if (rc < 0)
				luaL_error(L, "world machine: out of memory");
			lua_remove(L, -2);    /* the record */
			lua_concat(L, 2);
		}
	} else if (t != LUA_TSTRING)
		luaL_error(L, "world machine: tty_drivers must be a list of drivers or the kernel's text");
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	wb->a->fail_line = 0;
	if (pl_parse_tty_drivers(text, len, wb->a, m) < 0) {
		if (t == LUA_TTABLE && wb->a->fail_line)
			luaL_error(L, "world machine: tty_drivers[%d] is no driver the kernel would show "
			           "(a type it names)", (int)wb->a->fail_line);
		luaL_error(L, "world machine: tty_drivers is not text the kernel would print");
	}
	lua_settop(L, list - 1);
}
