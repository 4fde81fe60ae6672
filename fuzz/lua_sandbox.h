/*
** The layout and world targets run arbitrary Lua as proclua does (the
** restricted environment of runtime.c, its memory and time limits), on a
** machine where the fuzzer may be root.  What the restricted environment
** still allows a script and a fuzzer must not be let do at random, it
** takes away here: changing files (os.remove, os.rename, io.open for
** writing, io.output), and waiting on a terminal or a pipe (io.read,
** io.lines and io.input without a file; stdin is /dev/null besides).
** Reading files stays.
**
** luaL_openlibs is the hook: runtime.c calls it for every state it makes,
** and this definition, in the program, comes before liblua's.
*/
#ifndef PL_FUZZ_LUA_SANDBOX_H
#define PL_FUZZ_LUA_SANDBOX_H

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static int sandbox_denied(lua_State *L)
{
	return luaL_error(L, "%s is not available in the fuzz harness",
	                  lua_tostring(L, lua_upvalueindex(1)));
}

/* io.open(name [, mode]) for reading only. */
static int sandbox_open(lua_State *L)
{
	const char *mode = luaL_optstring(L, 2, "r");
	if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0)
		return luaL_error(L, "io.open for writing is not available in the fuzz harness");
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

static void sandbox_deny(lua_State *L, const char *lib, const char *name)
{
	lua_getglobal(L, lib);
	lua_pushfstring(L, "%s.%s", lib, name);
	lua_pushcclosure(L, sandbox_denied, 1);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

void luaL_openlibs(lua_State *L)
{
	static void (*real)(lua_State *);
	if (!real && !(real = (void (*)(lua_State *))dlsym(RTLD_NEXT, "luaL_openlibs"))) {
		fprintf(stderr, "fuzz: liblua's luaL_openlibs not found\n");
		abort();
	}
	real(L);
	static const char *const os_denied[] = { "remove", "rename", "tmpname", "setlocale", NULL };
	static const char *const io_denied[] = { "output", "input", "read", "lines", "write",
	                                         "tmpfile", NULL };
	for (int i = 0; os_denied[i]; i++)
		sandbox_deny(L, "os", os_denied[i]);
	for (int i = 0; io_denied[i]; i++)
		sandbox_deny(L, "io", io_denied[i]);
	lua_getglobal(L, "io");
	lua_getfield(L, -1, "open");
	lua_pushcclosure(L, sandbox_open, 1);
	lua_setfield(L, -2, "open");
	lua_pop(L, 1);
}

static char sandbox_path[] = "/tmp/proclua-fuzz-XXXXXX";

/* The files a target wrote there, removed at exit: every name it uses. */
static const char *const sandbox_files[] = { "layout.lua", "world.lua", NULL };

static void sandbox_clean(void)
{
	char path[sizeof sandbox_path + 32];
	for (int i = 0; sandbox_files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", sandbox_path, sandbox_files[i]);
		unlink(path);
	}
	rmdir(sandbox_path);
}

/* A private directory for the scripts a target writes, stdin from
** /dev/null, and a Lua memory limit of 64 MiB rather than 256 (unless
** PROCLUA_LUA_MEMORY_MB says): a script that allocates without bound then
** reaches it in well under the load's time limit, even under ASan. */
static const char *sandbox_dir(void)
{
	static int made;
	if (!made) {
		setenv("PROCLUA_LUA_MEMORY_MB", "64", 0);
		if (!mkdtemp(sandbox_path) || !freopen("/dev/null", "r", stdin)) {
			perror("fuzz: setup");
			abort();
		}
		atexit(sandbox_clean);
		made = 1;
	}
	return sandbox_path;
}

/* Write bytes to path, whole. */
static void sandbox_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

#endif
