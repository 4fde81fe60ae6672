/*
** The daemon's Lua state: a load phase that runs the layout script once
** and compiles what it returns, and a run phase that only calls the stored
** functions of Lua files.  Both run under a time limit enforced by a count
** hook; a script that overstays is stopped with an error it cannot catch
** (the hook then fires on every instruction, as Redis does for SCRIPT KILL).
** Errors become -EIO for the reader and one log line naming file:line.
**
** One state serves the daemon; FUSE worker threads take `lock` around a
** Lua call.  Builtin files never come here.
*/
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "plua.h"
#include "plua_facts.h"

struct plua {
	lua_State *L;
	pthread_mutex_t lock;
	struct pl_layout *layout;
	struct pl_source *src;
	struct plua_limits lim;
	struct timespec deadline;
	int timed_out;
	int has_view;              /* the layout declared view = {...} */
	pl_pid view_root;
	int view_select;           /* registry ref, or LUA_NOREF */
	struct pl_task *scratch;   /* a task object's group loads land here */
	struct pl_arena arena;     /* ... and their strings and lists */
	size_t mem_used;           /* bytes the Lua state holds */
	size_t mem_limit;          /* at most this many (0: no limit) */
	int mem_refused;           /* the limit refused a block since the last arm() */
};

static void log_stderr(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void (*plua_log)(const char *fmt, ...) = log_stderr;

static const char RUNTIME_KEY = 'r'; /* registry: light userdata -> struct plua */
static const char WORLD_KEY = 'w';   /* registry: the mounted world object */

static struct plua *runtime_of(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &RUNTIME_KEY);
	struct plua *p = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return p;
}

/* ------------------------------------------------------------------------
** the memory limit: every block of the Lua state is counted, and one that
** would take it past mem_limit is refused, which Lua turns into a memory
** error (after a full collection, tried first) that a pcall cannot outlive:
** the call or the load fails, and the state stays usable.
*/

#define DEFAULT_MEMORY_MB 256

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct plua *p = ud;
	if (!ptr)
		osize = 0; /* then osize is the kind of object, not a size */
	if (nsize == 0) {
		free(ptr);
		p->mem_used -= osize;
		return NULL;
	}
	if (p->mem_limit && nsize > osize && nsize - osize > p->mem_limit - p->mem_used) {
		p->mem_refused = 1;
		return NULL;
	}
	void *q = realloc(ptr, nsize);
	if (q)
		p->mem_used = p->mem_used - osize + nsize;
	return q;
}

static int panic(lua_State *L)
{
	fprintf(stderr, "proclua: lua panic: %s\n", lua_tostring(L, -1));
	return 0; /* abort() follows */
}

/* PROCLUA_LUA_MEMORY_MB: the limit in MiB (0: none); -1 if not a number. */
static int memory_limit(size_t *bytes)
{
	const char *v = getenv("PROCLUA_LUA_MEMORY_MB");
	unsigned long long mb = DEFAULT_MEMORY_MB;
	if (v && *v) {
		char *end;
		errno = 0;
		mb = strtoull(v, &end, 10);
		if (errno || *end || *v == '-' || mb > SIZE_MAX / (1024 * 1024))
			return -1;
	}
	*bytes = (size_t)mb * 1024 * 1024;
	return 0;
}

/* The message of a failed protected call or load (rc), for `file`. */
static void call_error(struct plua *p, int rc, const char *file, char *err, size_t errlen)
{
	if (rc == LUA_ERRMEM && p->mem_refused)
		snprintf(err, errlen, "%s: Lua memory limit exceeded (%zu MiB; PROCLUA_LUA_MEMORY_MB "
		         "sets it)", file, p->mem_limit / (1024 * 1024));
	else if (rc == LUA_ERRMEM)
		snprintf(err, errlen, "%s: out of memory", file);
	else
		snprintf(err, errlen, "%s", lua_tostring(p->L, -1));
}

/* ------------------------------------------------------------------------
** time limits
*/

static int past(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static void stop_hook(lua_State *L, lua_Debug *ar)
{
	struct plua *p = runtime_of(L);
	if (!p->timed_out && !past(&p->deadline))
		return;
	if (!p->timed_out) {
		p->timed_out = 1;
		/* From now on every instruction raises: a pcall in the script
		** cannot swallow the stop. */
		lua_sethook(L, stop_hook, LUA_MASKCOUNT, 1);
	}
	lua_getinfo(L, "Sl", ar);
	luaL_error(L, "%s:%d: script stopped: time limit exceeded", ar->short_src, ar->currentline);
}

static void arm(struct plua *p, double seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &p->deadline);
	long long ns = (long long)(seconds * 1e9) + p->deadline.tv_nsec;
	p->deadline.tv_sec += (time_t)(ns / 1000000000);
	p->deadline.tv_nsec = (long)(ns % 1000000000);
	p->timed_out = 0;
	p->mem_refused = 0;
	lua_sethook(p->L, stop_hook, LUA_MASKCOUNT, 10000);
}

static void disarm(struct plua *p)
{
	lua_sethook(p->L, NULL, 0, 0);
}

/* Message handler: keep the error's own "file:line:" and make it a string. */
static int msghandler(lua_State *L)
{
	if (!lua_isstring(L, 1)) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			return 1;
		lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	return 1;
}

static int protected_call(struct plua *p, int nargs, int nres, double seconds)
{
	lua_State *L = p->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, msghandler);
	lua_insert(L, base);
	arm(p, seconds);
	int rc = lua_pcall(L, nargs, nres, base);
	disarm(p);
	lua_remove(L, base);
	return rc;
}

/* ------------------------------------------------------------------------
** task objects given to Lua files: (tgid, tid), and every fact of the table
** in facts.c, loaded on first use one PL_F_* group at a time.  A host load
** is a /proc read (stat ~7.5 us, status ~12 us), far more than the Lua call
** itself, so a file that reads only stat's fields must not pay for status
** too; and a group is loaded at most once per task object (once per call).
*/

/* A task object is made for every call, so it stays small enough for
** malloc's fast bins (a bigger one made pid-only calls ~10% slower): the
** facts live in its user values, made at the first load.  They are values
** copied out, not a struct pl_task (3 kB), since a script may keep the
** object beyond its call: integers in a block (user value 1) indexed as
** the table, strings and lists in a table (user value 2). */
struct task_ud {
	pl_pid tgid, tid;
	unsigned have;                 /* groups whose integers are in the block */
};

/* The object's user value n (1: block, 2: table), made on first use. */
static void *user_value(lua_State *L, int n)
{
	if (lua_getiuservalue(L, 1, n) == LUA_TNIL) {
		lua_pop(L, 1);
		if (n == 1)
			lua_newuserdatauv(L, plua_nfacts * sizeof(uint64_t), 0);
		else
			lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setiuservalue(L, 1, n);
	}
	return lua_touserdata(L, -1);
}

/* Load one group into the runtime's scratch record; copy out its integers
** and strings (stat's comm and state come together).  The task object is
** at stack index 1.  Runs under p->lock (every Lua call does), which
** guards the scratch; *t is valid until the next load. */
static int load_group(lua_State *L, struct plua *p, struct task_ud *u, unsigned group,
                      const struct pl_task **out)
{
	struct pl_task *t = p->scratch;
	pl_arena_reset(&p->arena);
	memset(t, 0, sizeof *t);
	int rc = p->src->ops->load(p->src, u->tgid, u->tid, group, &p->arena, t);
	if (rc < 0)
		return rc;
	uint64_t *val = user_value(L, 1);
	user_value(L, 2);
	for (size_t i = 0; i < plua_nfacts; i++) {
		const struct plua_fact *f = &plua_facts[i];
		if (f->group != group || f->type == PLUA_LIST)
			continue;
		if (plua_fact_is_integer(f))
			val[i] = plua_fact_bits(f, t);
		else if (plua_fact_push(L, f, t))
			lua_setfield(L, -2, f->name);
	}
	lua_pop(L, 2);
	u->have |= group;
	*out = t;
	return 0;
}

/* __index, a closure: upvalue 1 maps a fact's name to its index in
** plua_facts (pid, tgid, tid to -1, -1, -2), upvalue 2 is the runtime,
** upvalue 3 the metatable (compared directly: luaL_checkudata would look
** its name up at every access).  An unknown name is nil and loads nothing. */
static int task_index(lua_State *L)
{
	lua_settop(L, 2);
	struct task_ud *u = lua_touserdata(L, 1);
	if (!u || !lua_getmetatable(L, 1) || !lua_rawequal(L, -1, lua_upvalueindex(3)))
		return luaL_typeerror(L, 1, PLUA_TASK_MT);
	lua_pop(L, 1);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNUMBER)
		return 0;
	lua_Integer i = lua_tointeger(L, 2);
	if (i < 0) {
		lua_pushinteger(L, i == -1 || !u->tid ? u->tgid : u->tid);
		return 1;
	}
	if (u->tgid == 0)
		return 0; /* a root-level file: no task */
	const struct plua_fact *f = &plua_facts[i];
	const struct pl_task *t = NULL;
	int rc;
	if (plua_fact_is_integer(f)) {
		if (!(u->have & f->group) &&
		    (rc = load_group(L, lua_touserdata(L, lua_upvalueindex(2)), u, f->group, &t)) < 0)
			goto failed;
		const uint64_t *val = user_value(L, 1);
		plua_fact_push_bits(L, f, val[i]);
		return 1;
	}
	user_value(L, 2);
	if (lua_getfield(L, -1, f->name) != LUA_TNIL || (f->type != PLUA_LIST && (u->have & f->group)))
		return 1;
	lua_pop(L, 2);
	if ((rc = load_group(L, lua_touserdata(L, lua_upvalueindex(2)), u, f->group, &t)) < 0)
		goto failed;
	if (f->type != PLUA_LIST) {
		user_value(L, 2);
		lua_getfield(L, -1, f->name);
		return 1;
	}
	if (!plua_fact_push(L, f, t))
		return 0;
	user_value(L, 2);
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, f->name); /* lists too are read once per object */
	lua_pop(L, 1);
	return 1;
failed: /* level 1: the line of the script that asked */
	return luaL_error(L, "task %d: %s", (int)u->tgid, strerror(-rc));
}

/* The metatable of task objects, made once per state. */
static void new_task_metatable(struct plua *p)
{
	lua_State *L = p->L;
	luaL_newmetatable(L, PLUA_TASK_MT);
	lua_createtable(L, 0, (int)plua_nfacts + 3);
	for (size_t i = 0; i < plua_nfacts; i++) {
		lua_pushinteger(L, (lua_Integer)i);
		lua_setfield(L, -2, plua_facts[i].name);
	}
	static const char *const ids[] = { "pid", "tgid", "tid" };
	for (int i = 0; i < 3; i++) {
		lua_pushinteger(L, i < 2 ? -1 : -2);
		lua_setfield(L, -2, ids[i]);
	}
	lua_pushlightuserdata(L, p);
	lua_pushvalue(L, -3);
	lua_pushcclosure(L, task_index, 3);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
}

static void push_task(lua_State *L, pl_pid tgid, pl_pid tid)
{
	struct task_ud *u = lua_newuserdatauv(L, sizeof *u, 2);
	u->tgid = tgid;
	u->tid = tid;
	u->have = 0;
	luaL_setmetatable(L, PLUA_TASK_MT);
}
/* ------------------------------------------------------------------------
** load and run
*/

/* ------------------------------------------------------------------------
** the restricted environment (PROCLUA_UNRESTRICTED=1 lifts it): a layout,
** world or Lua file may not end the daemon, run programs, load C code or
** reach into the VM.  Reading files (io.open, io.lines), os.getenv, os.time
** and the like stay, and so does require of Lua modules beside the script
** and of "proclua" (preloaded) and "proc" (the stock layout).
*/

static int unavailable(lua_State *L)
{
	return luaL_error(L, "%s is not available to proclua scripts "
	                  "(PROCLUA_UNRESTRICTED=1 allows it)", lua_tostring(L, lua_upvalueindex(1)));
}

/* Replace lib.name (the table on the stack top) by a function that raises. */
static void deny(lua_State *L, const char *lib, const char *name)
{
	lua_pushfstring(L, "%s.%s", lib, name);
	lua_pushcclosure(L, unavailable, 1);
	lua_setfield(L, -2, name);
}

/* debug.anything: the error at the line that asks for it. */
static int debug_index(lua_State *L)
{
	return luaL_error(L, "debug.%s is not available to proclua scripts "
	                  "(PROCLUA_UNRESTRICTED=1 allows it)", luaL_optstring(L, 2, "?"));
}

/* load and loadfile (upvalue 1), text chunks only: a crafted binary chunk
** can crash the VM.  The mode argument is overridden; env is passed on only
** when given (a nil env would empty the chunk's _ENV). */
static int text_only(lua_State *L)
{
	int mode_at = lua_tointeger(L, lua_upvalueindex(2)); /* load: 3, loadfile: 2 */
	int nargs = lua_gettop(L) > mode_at ? lua_gettop(L) : mode_at;
	lua_settop(L, nargs);
	lua_pushliteral(L, "t");
	lua_replace(L, mode_at);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, nargs, LUA_MULTRET);
	return lua_gettop(L);
}

static void text_chunks_only(lua_State *L, const char *name, int mode_at)
{
	lua_getglobal(L, name);
	lua_pushinteger(L, mode_at);
	lua_pushcclosure(L, text_only, 2);
	lua_setglobal(L, name);
}

static void restrict_env(lua_State *L)
{
	text_chunks_only(L, "load", 3);
	text_chunks_only(L, "loadfile", 2);
	lua_getglobal(L, "os");
	deny(L, "os", "exit");
	deny(L, "os", "execute");
	lua_pop(L, 1);
	lua_getglobal(L, "io");
	deny(L, "io", "popen");
	lua_pop(L, 1);
	lua_getglobal(L, "package");
	deny(L, "package", "loadlib");
	lua_pushliteral(L, "");
	lua_setfield(L, -2, "cpath");
	/* keep the preload and Lua searchers; drop the C and all-in-one ones */
	lua_getfield(L, -1, "searchers");
	for (lua_Integer i = luaL_len(L, -1); i > 2; i--) {
		lua_pushnil(L);
		lua_rawseti(L, -2, i);
	}
	lua_pop(L, 1);
	/* debug and require "debug": a table that raises on every field */
	lua_getfield(L, -1, "loaded");
	lua_newtable(L);
	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, debug_index);
	lua_setfield(L, -2, "__index");
	lua_pushliteral(L, "proclua: the debug library is not available");
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "debug");
	lua_setglobal(L, "debug");
	lua_pop(L, 2);
}

static int unrestricted(void)
{
	const char *v = getenv("PROCLUA_UNRESTRICTED");
	return v && !strcmp(v, "1");
}

/* Let the layout require modules beside it and in the stock scripts/. */
static void set_path(lua_State *L, const char *script)
{
	const char *slash = strrchr(script, '/');
	int dirlen = slash ? (int)(slash - script) : 1;
	const char *dir = slash ? script : ".";
	lua_getglobal(L, "package");
	lua_pushlstring(L, dir, (size_t)dirlen);
	lua_getfield(L, -2, "path");
	lua_pushfstring(L, "%s/?.lua;%s", lua_tostring(L, -2), lua_tostring(L, -1));
	lua_setfield(L, -4, "path");
	lua_pop(L, 3);
}

static int load_layout(lua_State *L)
{
	struct plua *p = lua_touserdata(L, 1);
	const char *script = lua_tostring(L, 3);
	if (!plua_is(L, 2, PLUA_LAYOUT_MT))
		return luaL_error(L, "%s: the script returned %s; a layout script must return "
		                  "p.layout { root = {...}, task = {...} }", script, luaL_typename(L, 2));
	p->layout = plua_compile(L, 2);
	if (lua_getfield(L, 2, "view") == LUA_TTABLE) {
		lua_getfield(L, -1, "root");
		p->view_root = (pl_pid)lua_tointeger(L, -1);
		lua_pop(L, 1);
		if (lua_getfield(L, -1, "select") == LUA_TFUNCTION)
			p->view_select = luaL_ref(L, LUA_REGISTRYINDEX);
		else
			lua_pop(L, 1);
		p->has_view = 1;
	}
	return 0;
}

/* p.mounted_world(): the world this daemon serves, or nil (serving the host). */
static int mounted_world(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &WORLD_KEY);
	return 1;
}

/* Run the world script; its world object stays in the registry, owning the model. */
static int load_world(struct plua *p, const char *world, char *err, size_t errlen)
{
	lua_State *L = p->L;
	int rc = luaL_loadfilex(L, world, "t");
	if (rc == LUA_OK)
		rc = protected_call(p, 0, 1, p->lim.load_seconds);
	if (rc != LUA_OK) {
		call_error(p, rc, world, err, errlen);
		return -1;
	}
	struct pl_model *m = plua_world_model(L, -1);
	if (!m) {
		snprintf(err, errlen, "%s: the script returned %s; a world script must return "
		         "p.world { tasks = {...} }", world, luaL_typename(L, -1));
		return -1;
	}
	lua_rawsetp(L, LUA_REGISTRYINDEX, &WORLD_KEY);
	p->src = pl_model_source(m);
	return 0;
}

struct plua *plua_open(const char *script, const char *world, struct pl_source **src,
                       const struct plua_limits *lim, char *err, size_t errlen)
{
	const char *failed;
	return plua_open_with(script, world, NULL, src, lim, err, errlen, &failed);
}

struct plua *plua_open_with(const char *script, const char *world, const char *stock,
                            struct pl_source **src, const struct plua_limits *lim,
                            char *err, size_t errlen, const char **failed)
{
	*failed = "layout";
	struct plua *p = calloc(1, sizeof *p);
	if (p && memory_limit(&p->mem_limit) < 0) {
		free(p);
		snprintf(err, errlen, "PROCLUA_LUA_MEMORY_MB=%s: not a number of MiB",
		         getenv("PROCLUA_LUA_MEMORY_MB"));
		return NULL;
	}
	if (!p || !(p->scratch = malloc(sizeof *p->scratch)) ||
	    !(p->L = lua_newstate(limited_alloc, p))) {
		if (p)
			free(p->scratch);
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lua_atpanic(p->L, panic);
	pthread_mutex_init(&p->lock, NULL);
	p->view_select = LUA_NOREF;
	p->src = *src;
	p->lim = *lim;
	lua_State *L = p->L;
	luaL_openlibs(L);
	if (!unrestricted())
		restrict_env(L);
	lua_pushlightuserdata(L, p);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &RUNTIME_KEY);
	new_task_metatable(p);
	luaL_requiref(L, "proclua", luaopen_proclua, 0);
	lua_pushcfunction(L, mounted_world);
	lua_setfield(L, -2, "mounted_world");
	lua_pop(L, 1);
	if (stock) /* require "proc" gives the stock layout to build on */
		set_path(L, stock);
	if (world) {
		set_path(L, world);
		if (load_world(p, world, err, errlen) < 0) {
			*failed = "world";
			plua_close(p);
			return NULL;
		}
		*src = p->src;
	}
	set_path(L, script);

	int rc = luaL_loadfilex(L, script, "t");
	if (rc == LUA_OK)
		rc = protected_call(p, 0, 1, lim->load_seconds);
	if (rc == LUA_OK) {
		/* compile under pcall too: a bad tree raises at its declaring line */
		lua_pushcfunction(L, load_layout);
		lua_pushlightuserdata(L, p);
		lua_rotate(L, -3, 2);
		lua_pushstring(L, script);
		rc = protected_call(p, 3, 0, lim->load_seconds);
	}
	if (rc != LUA_OK) {
		call_error(p, rc, script, err, errlen);
		plua_close(p);
		return NULL;
	}
	/* The load phase is over: hand its garbage (a world script's task
	** tables, which the model has copied) back before serving, so what
	** the daemon keeps is what it serves. */
	lua_gc(L, LUA_GCCOLLECT);
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	return p;
}

const struct pl_layout *plua_layout(const struct plua *p)
{
	return p->layout;
}

/* A Lua file's function `ref` failed (rc, not LUA_OK): log it, naming the
** script's file and line; the reader or writer gets EIO. */
static int call_failed(struct plua *p, int rc, int ref)
{
	lua_State *L = p->L;
	if (rc == LUA_ERRMEM) {
		/* the stack is gone: name the function's line */
		lua_Debug ar;
		char where[LUA_IDSIZE + 16], msg[LUA_IDSIZE + 96];
		lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
		lua_getinfo(L, ">S", &ar);
		snprintf(where, sizeof where, "%s:%d", ar.short_src, ar.linedefined);
		call_error(p, rc, where, msg, sizeof msg);
		plua_log("proclua: lua file failed: %s", msg);
		lua_settop(L, 0);
		lua_gc(L, LUA_GCCOLLECT); /* hand back what it built */
	} else {
		plua_log("proclua: lua file failed: %s", lua_tostring(L, -1));
	}
	return -EIO;
}

/* The function `ref` returned what it should not (the value on the stack
** top): log it, naming the function's line, with `why`. */
static int bad_result(struct plua *p, int ref, const char *why)
{
	lua_State *L = p->L;
	lua_Debug ar;
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_getinfo(L, ">S", &ar);
	plua_log("proclua: lua file failed: %s:%d: function returned %s", ar.short_src,
	         ar.linedefined, why);
	return -EIO;
}

int plua_read(void *ctx, int ref, pl_pid tgid, pl_pid tid, struct pl_buf *out)
{
	struct plua *p = ctx;
	lua_State *L = p->L;
	int result = 0;
	pthread_mutex_lock(&p->lock);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	push_task(L, tgid, tid);
	int rc = protected_call(p, 1, 1, p->lim.call_seconds);
	if (rc != LUA_OK) {
		result = call_failed(p, rc, ref);
	} else if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER) {
		char why[64];
		snprintf(why, sizeof why, "%s, not a string", luaL_typename(L, -1));
		result = bad_result(p, ref, why);
	} else {
		size_t len;
		const char *s = lua_tolstring(L, -1, &len);
		pl_buf_add(out, s, len);
		result = pl_buf_status(out);
	}
	lua_settop(L, 0);
	pthread_mutex_unlock(&p->lock);
	return result;
}

/* The errno names a write function may return (the kernel's, as
** strerrorname_np gives them; aliases by their usual name). */
#define E(name) { #name, name }
static const struct { const char *name; int value; } errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
	E(EBADF), E(ECHILD), E(EAGAIN), E(EWOULDBLOCK), E(ENOMEM), E(EACCES), E(EFAULT),
	E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL),
	E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE),
	E(EROFS), E(EMLINK), E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG),
	E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ENODATA),
	E(ETIME), E(EOVERFLOW), E(EBADMSG), E(EILSEQ), E(EUSERS), E(EMSGSIZE),
	E(EOPNOTSUPP), E(ENOTSUP), E(EADDRINUSE), E(ENETDOWN), E(ECONNRESET), E(ENOBUFS),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EDQUOT),
	E(ECANCELED), E(ENOKEY), E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE),
};
#undef E

static int errno_named(const char *name)
{
	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].value;
	return 0;
}

/* The writer, as a table: uid, gid (its fsuid, fsgid: whom the kernel
** checks files against), and where its status could be read pid, tid and
** euid; pids are the daemon's (the host's) numbers. */
static void push_caller(lua_State *L, const struct pl_caller *c)
{
	lua_createtable(L, 0, 5);
	lua_pushinteger(L, c->uid);
	lua_setfield(L, -2, "uid");
	lua_pushinteger(L, c->gid);
	lua_setfield(L, -2, "gid");
	if (c->tgid > 0) {
		lua_pushinteger(L, c->tgid);
		lua_setfield(L, -2, "pid");
		lua_pushinteger(L, c->pid);
		lua_setfield(L, -2, "tid");
		lua_pushinteger(L, c->euid);
		lua_setfield(L, -2, "euid");
	}
}

ssize_t plua_write(void *ctx, int wref, pl_pid tgid, pl_pid tid, const char *buf, size_t len,
                   uint64_t off, struct pl_caller *writer)
{
	struct plua *p = ctx;
	lua_State *L = p->L;
	ssize_t result;
	pl_caller_load(writer); /* reads the host's /proc: before the lock */
	pthread_mutex_lock(&p->lock);
	lua_rawgeti(L, LUA_REGISTRYINDEX, wref);
	push_task(L, tgid, tid);
	lua_pushlstring(L, buf, len);
	lua_pushinteger(L, (lua_Integer)off);
	push_caller(L, writer);
	int rc = protected_call(p, 4, 1, p->lim.call_seconds);
	int is_int = 0;
	lua_Integer count = rc == LUA_OK && lua_type(L, -1) == LUA_TNUMBER
	                    ? lua_tointegerx(L, -1, &is_int) : 0; /* 3.0 counts as 3 */
	if (rc != LUA_OK) {
		result = call_failed(p, rc, wref);
	} else if (lua_isnil(L, -1)) {
		result = (ssize_t)len;
	} else if (is_int && count >= 0 && (lua_Unsigned)count <= len) {
		result = (ssize_t)count;
	} else if (lua_type(L, -1) == LUA_TSTRING && errno_named(lua_tostring(L, -1))) {
		result = -errno_named(lua_tostring(L, -1));
	} else {
		char why[160];
		if (lua_type(L, -1) == LUA_TSTRING)
			snprintf(why, sizeof why, "\"%.40s\", not an errno name such as \"EINVAL\"",
			         lua_tostring(L, -1));
		else if (lua_type(L, -1) == LUA_TNUMBER)
			snprintf(why, sizeof why, "%s, not a count from 0 to %zu",
			         lua_tostring(L, -1), len);
		else
			snprintf(why, sizeof why, "%s, not a count, an errno name or nil",
			         luaL_typename(L, -1));
		result = bad_result(p, wref, why);
	}
	lua_settop(L, 0);
	pthread_mutex_unlock(&p->lock);
	return result;
}

int plua_view(const struct plua *p, pl_pid *root, int *has_select)
{
	*root = p->view_root;
	*has_select = p->view_select != LUA_NOREF;
	return p->has_view;
}

int plua_select(void *ctx, pl_pid pid)
{
	struct plua *p = ctx;
	lua_State *L = p->L;
	pthread_mutex_lock(&p->lock);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->view_select);
	push_task(L, pid, 0);
	int chosen = 0;
	if (protected_call(p, 1, 1, p->lim.call_seconds) != LUA_OK)
		plua_log("proclua: view select failed for task %d: %s", (int)pid, lua_tostring(L, -1));
	else
		chosen = lua_toboolean(L, -1);
	lua_settop(L, 0);
	pthread_mutex_unlock(&p->lock);
	return chosen;
}

void plua_close(struct plua *p)
{
	if (!p)
		return;
	lua_close(p->L);
	pthread_mutex_destroy(&p->lock);
	pl_layout_free(p->layout);
	pl_arena_free(&p->arena);
	free(p->scratch);
	free(p);
}
