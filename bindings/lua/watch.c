/*
** What a Lua state is doing in C, for the message about a call stuck past
** its time limit.  The time limit's hook runs only between Lua
** instructions, so a call inside one C function (a pattern match that
** backtracks for minutes, a read from a pipe nobody writes) never meets
** it; runtime.c then answers the caller from another thread, which must
** not touch the running state.  So the standard library functions that can
** take that long are wrapped: the wrapper notes its name and the Lua line
** that called it (under a mutex: the other thread reads it), calls the
** original, and clears the note.  An error raised inside leaves the note
** until the hook next runs (it clears it: a hook runs only in Lua code) or
** the next wrapped call: the message may then name a function that has
** already returned, never a wrong line for the one that has not.
**
** The original is called in the wrapper's own frame (no lua_call), so its
** argument errors still name it ("bad argument #1 to 'find'").  That needs
** a function without upvalues; iterators, which have them, are wrapped by
** a closure that calls them.  The cost is about 50 ns a call (a getinfo
** and two uncontended locks), against 50 ns for the cheapest string.find.
*/
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "plua_state.h"

void plua_watch_init(struct plua_watch *w)
{
	pthread_mutex_init(&w->lock, NULL);
	w->fn = NULL;
	w->src[0] = '\0';
	w->line = 0;
}

void plua_watch_enter(struct plua_watch *w, lua_State *L, const char *fn)
{
	lua_Debug ar;
	int known = lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar);
	pthread_mutex_lock(&w->lock);
	w->fn = fn;
	if (known) {
		memcpy(w->src, ar.short_src, sizeof w->src);
		w->line = ar.currentline;
	} else {
		w->src[0] = '\0';
		w->line = 0;
	}
	pthread_mutex_unlock(&w->lock);
}

void plua_watch_clear(struct plua_watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->fn = NULL;
	pthread_mutex_unlock(&w->lock);
}

int plua_watch_read(struct plua_watch *w, char *fn, size_t fnlen, char *where, size_t wlen)
{
	pthread_mutex_lock(&w->lock);
	int known = w->fn != NULL;
	if (known) {
		snprintf(fn, fnlen, "%s", w->fn);
		if (w->src[0] && w->line > 0)
			snprintf(where, wlen, "%.*s:%d", (int)sizeof w->src, w->src, w->line);
		else
			snprintf(where, wlen, "?");
	}
	pthread_mutex_unlock(&w->lock);
	return known;
}

/* The functions wrapped: library, name, whether it returns an iterator to
** wrap too (the first result). */
static const struct watched {
	const char *lib, *name, *full;
	int iterator;
} watched[] = {
	{ "string", "find", "string.find", 0 },
	{ "string", "match", "string.match", 0 },
	{ "string", "gmatch", "string.gmatch", 1 },
	{ "string", "gsub", "string.gsub", 0 },
	{ "string", "rep", "string.rep", 0 },
	{ "table", "concat", "table.concat", 0 },
	{ "table", "sort", "table.sort", 0 },
	{ "io", "open", "io.open", 0 },
	{ "io", "read", "io.read", 0 },
	{ "io", "write", "io.write", 0 },
	{ "io", "lines", "io.lines", 1 },
	{ "io", "popen", "io.popen", 0 },
	{ "os", "execute", "os.execute", 0 },
	{ NULL, "dofile", "dofile", 0 },
	{ "FILE*", "read", "file:read", 0 },
	{ "FILE*", "write", "file:write", 0 },
	{ "FILE*", "lines", "file:lines", 1 },
};

/* An iterator: upvalue 1 the original, 2 the watch, 3 the name. */
static int watched_iterator(lua_State *L)
{
	struct plua_watch *w = lua_touserdata(L, lua_upvalueindex(2));
	const char *name = lua_touserdata(L, lua_upvalueindex(3));
	int n = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	plua_watch_enter(w, L, name);
	lua_call(L, n, LUA_MULTRET);
	plua_watch_clear(w);
	return lua_gettop(L);
}

/* A library function: upvalue 1 a userdata holding the original, 2 the
** watch, 3 its entry in `watched`. */
static int watched_function(lua_State *L)
{
	lua_CFunction f = *(lua_CFunction *)lua_touserdata(L, lua_upvalueindex(1));
	struct plua_watch *w = lua_touserdata(L, lua_upvalueindex(2));
	const struct watched *what = lua_touserdata(L, lua_upvalueindex(3));
	plua_watch_enter(w, L, what->full);
	int n = f(L);
	plua_watch_clear(w);
	if (what->iterator && n > 0 && lua_type(L, lua_gettop(L) - n + 1) == LUA_TFUNCTION) {
		int first = lua_gettop(L) - n + 1;
		lua_pushvalue(L, first);
		lua_pushlightuserdata(L, w);
		lua_pushlightuserdata(L, (void *)what->full);
		lua_pushcclosure(L, watched_iterator, 3);
		lua_replace(L, first);
	}
	return n;
}

/* Replace t[name] (t on the stack top) by its watched wrapper. */
static void wrap(lua_State *L, struct plua_watch *w, const struct watched *what)
{
	lua_getfield(L, -1, what->name);
	lua_CFunction f = lua_tocfunction(L, -1);
	int upvalues = lua_getupvalue(L, -1, 1) != NULL;
	if (upvalues)
		lua_pop(L, 1);
	lua_pop(L, 1);
	if (!f || upvalues) /* not a plain C function (a restriction replaced it) */
		return;
	*(lua_CFunction *)lua_newuserdatauv(L, sizeof f, 0) = f;
	lua_pushlightuserdata(L, w);
	lua_pushlightuserdata(L, (void *)what);
	lua_pushcclosure(L, watched_function, 3);
	lua_setfield(L, -2, what->name);
}

/* Push the table `lib` names: a global library, the globals (NULL), or the
** methods of files ("FILE*"); something else when there is none. */
static void push_lib(lua_State *L, const char *lib)
{
	if (!lib) {
		lua_pushglobaltable(L);
	} else if (strcmp(lib, "FILE*") == 0) {
		if (luaL_getmetatable(L, LUA_FILEHANDLE) == LUA_TTABLE) {
			lua_getfield(L, -1, "__index");
			lua_remove(L, -2);
		}
	} else {
		lua_getglobal(L, lib);
	}
}

void plua_watch_install(lua_State *L, struct plua_watch *w)
{
	for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++) {
		push_lib(L, watched[i].lib);
		if (lua_istable(L, -1))
			wrap(L, w, &watched[i]);
		lua_pop(L, 1);
	}
}
