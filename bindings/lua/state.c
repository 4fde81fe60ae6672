/*
** One Lua state of the daemon (see plua_state.h): its allocator, counted
** against the runtime's memory budget; the time limit, a count hook that
** stops a script past its deadline with an error it cannot catch (the hook
** then fires on every instruction, as Redis does for SCRIPT KILL); the
** task objects Lua files get; the restricted environment; loading the
** world or the layout into it; and running one call.  Errors become -EIO
** for the reader and one log line naming file:line.
**
** A state is used by one thread at a time (runtime.c sees to it); what
** states share is in struct plua_env, read-only once the first state has
** loaded, and the budget, which is atomic.
*/
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "tree/builtin.h"
#include "plua_facts.h"
#include "plua_state.h"

static const char STATE_KEY = 's'; /* registry: light userdata -> struct plua_state */
static const char WORLD_KEY = 'w'; /* registry: the mounted world object */

static struct plua_state *state_of(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &STATE_KEY);
	struct plua_state *s = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return s;
}

/* ------------------------------------------------------------------------
** the memory limit: every block of every state of the runtime is counted
** in one budget, and one that would take it past the limit is refused,
** which Lua turns into a memory error (after a full collection of that
** state, tried first) that a pcall cannot outlive: the call or the load
** fails, and the state stays usable.
*/

static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct plua_state *s = ud;
	struct plua_budget *b = &s->env->budget;
	if (!ptr)
		osize = 0; /* then osize is the kind of object, not a size */
	if (nsize == 0) {
		free(ptr);
		atomic_fetch_sub_explicit(&b->used, osize, memory_order_relaxed);
		return NULL;
	}
	size_t grow = nsize > osize ? nsize - osize : 0;
	if (grow && b->limit) {
		size_t used = atomic_load_explicit(&b->used, memory_order_relaxed);
		do {
			if (grow > b->limit - used) { /* used never passes the limit */
				s->mem_refused = 1;
				return NULL;
			}
		} while (!atomic_compare_exchange_weak_explicit(&b->used, &used, used + grow,
		                                                memory_order_relaxed,
		                                                memory_order_relaxed));
	} else if (grow) {
		atomic_fetch_add_explicit(&b->used, grow, memory_order_relaxed);
	}
	void *q = realloc(ptr, nsize);
	if (!q)
		atomic_fetch_sub_explicit(&b->used, grow, memory_order_relaxed);
	else if (!grow)
		atomic_fetch_sub_explicit(&b->used, osize - nsize, memory_order_relaxed);
	return q;
}

static int panic(lua_State *L)
{
	fprintf(stderr, "proclua: lua panic: %s\n", lua_tostring(L, -1));
	return 0; /* abort() follows */
}

/* The message of a failed protected call or load (rc), for `file`. */
static void call_error(struct plua_state *s, int rc, const char *file, char *err, size_t errlen)
{
	if (rc == LUA_ERRMEM && s->mem_refused)
		snprintf(err, errlen, "%s: Lua memory limit exceeded (%zu MiB; PROCLUA_LUA_MEMORY_MB "
		         "sets it)", file, s->env->budget.limit / (1024 * 1024));
	else if (rc == LUA_ERRMEM)
		snprintf(err, errlen, "%s: out of memory", file);
	else
		snprintf(err, errlen, "%s", lua_tostring(s->L, -1));
}

/* ------------------------------------------------------------------------
** time limits
*/

void plua_time_after(struct timespec *t, double seconds)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	long long ns = (long long)(seconds * 1e9) + t->tv_nsec;
	t->tv_sec += (time_t)(ns / 1000000000);
	t->tv_nsec = (long)(ns % 1000000000);
}

int plua_time_past(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static void stop_hook(lua_State *L, lua_Debug *ar)
{
	struct plua_state *s = state_of(L);
	/* the hook runs between instructions: no C function of the script's is running */
	plua_watch_clear(s->watch);
	if (!s->timed_out && !plua_time_past(&s->deadline))
		return;
	if (!s->timed_out) {
		s->timed_out = 1;
		/* From now on every instruction raises: a pcall in the script
		** cannot swallow the stop. */
		lua_sethook(L, stop_hook, LUA_MASKCOUNT, 1);
	}
	lua_getinfo(L, "Sl", ar);
	luaL_error(L, "%s:%d: script stopped: time limit exceeded", ar->short_src, ar->currentline);
}

static void arm(struct plua_state *s, const struct timespec *deadline)
{
	s->deadline = *deadline;
	s->timed_out = 0;
	s->mem_refused = 0;
	plua_watch_clear(s->watch);
	lua_sethook(s->L, stop_hook, LUA_MASKCOUNT, 10000);
}

static void disarm(struct plua_state *s)
{
	lua_sethook(s->L, NULL, 0, 0);
	plua_watch_clear(s->watch);
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

static int protected_call(struct plua_state *s, int nargs, int nres,
                          const struct timespec *deadline)
{
	lua_State *L = s->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, msghandler);
	lua_insert(L, base);
	arm(s, deadline);
	int rc = lua_pcall(L, nargs, nres, base);
	disarm(s);
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
	uint64_t have;                 /* groups whose integers are in the block */
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

/* Load one group into the state's scratch record; copy out its integers
** and strings (stat's comm and state come together).  The task object is
** at stack index 1.  The state's scratch is its own (one call at a time);
** *t is valid until the next load.  A call set aside at its time limit
** loads nothing more: it stops here. */
static int load_group(lua_State *L, struct plua_state *s, struct task_ud *u, uint64_t group,
                      const struct pl_task **out)
{
	if (atomic_load_explicit(&s->set_aside, memory_order_relaxed))
		return luaL_error(L, "script stopped: time limit exceeded");
	struct pl_task *t = s->scratch;
	pl_arena_reset(&s->arena);
	memset(t, 0, sizeof *t);
	struct pl_source *src = s->env->src;
	int rc = src->ops->load(src, u->tgid, u->tid, group, &s->arena, t);
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

static const char *errno_name(int e);

/* What builtin gen of the task shows the reader of the running call, into
** the state's buffer; 0 or -errno.  Raises when no call is running (a
** view's select, the load phase: no one reads). */
static int read_builtin(lua_State *L, struct plua_state *s, const struct task_ud *u, int gen,
                        struct pl_buf *out)
{
	if (!s->running)
		return luaL_error(L, "task:read needs a reader: it works in a file's function, "
		                  "not in a view's select or while the layout loads");
	if (atomic_load_explicit(&s->set_aside, memory_order_relaxed))
		return luaL_error(L, "script stopped: time limit exceeded");
	pl_buf_reset(out);
	int rc = pl_builtin_read(s->env->src, &s->running->caller, u->tgid, u->tid, gen, out);
	return rc < 0 ? rc : pl_buf_status(out);
}

/* task:read(name): the builtin file or link `name` (a generator's name, as
** p.file and p.link take them) as the reader of the running call would
** read it through the mount: its bytes, or nil and an errno name
** ("EACCES", "ESRCH", ...).  Upvalue 1: the state. */
static int task_read(lua_State *L)
{
	struct plua_state *s = lua_touserdata(L, lua_upvalueindex(1));
	struct task_ud *u = lua_touserdata(L, 1);
	if (!u || !lua_getmetatable(L, 1) || !lua_rawequal(L, -1, lua_upvalueindex(2)))
		return luaL_typeerror(L, 1, "task object");
	lua_pop(L, 1);
	const char *name = luaL_checkstring(L, 2);
	int gen = pl_builtin_lookup(name, 0);
	if (gen == PL_G_NONE)
		gen = pl_builtin_lookup(name, 1);
	if (gen == PL_G_NONE)
		return luaL_argerror(L, 2, lua_pushfstring(L, "no builtin file or link '%s'", name));
	if (gen == PL_G_MEM)
		return luaL_argerror(L, 2, "mem has no content of its own: it is the task's memory");
	if (!u->tgid && !pl_builtins[gen].mneed)
		return luaL_argerror(L, 2, "a root-level file's task object has no task files");
	int rc = read_builtin(L, s, u, gen, &s->read_buf);
	if (rc < 0) {
		lua_pushnil(L);
		lua_pushstring(L, errno_name(-rc));
		return 2;
	}
	lua_pushlstring(L, s->read_buf.data ? s->read_buf.data : "", s->read_buf.len);
	return 1;
}

/* task.argv, task.environ: cmdline's or environ's strings as a list, as
** the reader may read them; nil when refused. */
static int push_strings(lua_State *L, struct plua_state *s, const struct task_ud *u, int gen)
{
	if (read_builtin(L, s, u, gen, &s->read_buf) < 0)
		return 0;
	lua_newtable(L);
	const char *p = s->read_buf.data, *end = p + s->read_buf.len;
	for (lua_Integer i = 1; p && p < end; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
		lua_pushlstring(L, p, len);
		lua_rawseti(L, -2, i);
		p += len + 1;
	}
	return 1;
}

/* __index, a closure: upvalue 1 maps a fact's name to its index in
** plua_facts (pid, tgid, tid to -1, -1, -2; argv, environ to -3, -4) and
** a method's name to its function, upvalue 2 is the state, upvalue 3 the
** metatable (compared directly: luaL_checkudata would look its name up at
** every access).  An unknown name is nil and loads nothing. */
static int task_index(lua_State *L)
{
	lua_settop(L, 2);
	struct task_ud *u = lua_touserdata(L, 1);
	if (!u || !lua_getmetatable(L, 1) || !lua_rawequal(L, -1, lua_upvalueindex(3)))
		return luaL_typeerror(L, 1, PLUA_TASK_MT);
	lua_pop(L, 1);
	int type = lua_rawget(L, lua_upvalueindex(1));
	if (type == LUA_TFUNCTION)
		return 1;
	if (type != LUA_TNUMBER)
		return 0;
	lua_Integer i = lua_tointeger(L, 2);
	if (i < 0 && i >= -2) {
		lua_pushinteger(L, i == -1 || !u->tid ? u->tgid : u->tid);
		return 1;
	}
	if (u->tgid == 0)
		return 0; /* a root-level file: no task */
	if (i < 0)
		return push_strings(L, lua_touserdata(L, lua_upvalueindex(2)), u,
		                    i == -3 ? PL_G_CMDLINE : PL_G_ENVIRON);
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

/* Fill the metatable of task objects on the stack top, whose objects load
** from s; with `keep` (an absolute stack index; 0: none), its __index keeps
** that value alive. */
static void fill_task_metatable(lua_State *L, struct plua_state *s, int keep)
{
	lua_createtable(L, 0, (int)plua_nfacts + 6);
	for (size_t i = 0; i < plua_nfacts; i++) {
		lua_pushinteger(L, (lua_Integer)i);
		lua_setfield(L, -2, plua_facts[i].name);
	}
	static const struct { const char *name; int index; } ids[] = {
		{ "pid", -1 }, { "tgid", -1 }, { "tid", -2 }, { "argv", -3 }, { "environ", -4 },
	};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		lua_pushinteger(L, ids[i].index);
		lua_setfield(L, -2, ids[i].name);
	}
	lua_pushlightuserdata(L, s);
	lua_pushvalue(L, -3); /* the metatable, its objects' mark */
	lua_pushcclosure(L, task_read, 2);
	lua_setfield(L, -2, "read");
	lua_pushlightuserdata(L, s);
	lua_pushvalue(L, -3);
	if (keep)
		lua_pushvalue(L, keep);
	lua_pushcclosure(L, task_index, keep ? 4 : 3);
	lua_setfield(L, -2, "__index");
}

/* The metatable of task objects, made once per state. */
static void new_task_metatable(lua_State *L, struct plua_state *s)
{
	luaL_newmetatable(L, PLUA_TASK_MT);
	fill_task_metatable(L, s, 0);
	lua_pop(L, 1);
}

static struct task_ud *new_task(lua_State *L, pl_pid tgid, pl_pid tid)
{
	struct task_ud *u = lua_newuserdatauv(L, sizeof *u, 2);
	u->tgid = tgid;
	u->tid = tid;
	u->have = 0;
	return u;
}

static void push_task(lua_State *L, pl_pid tgid, pl_pid tid)
{
	new_task(L, tgid, tid);
	luaL_setmetatable(L, PLUA_TASK_MT);
}

void plua_task_push(lua_State *L, int mt, pl_pid tgid, pl_pid tid)
{
	mt = lua_absindex(L, mt);
	new_task(L, tgid, tid);
	lua_pushvalue(L, mt);
	lua_setmetatable(L, -2);
}

struct plua_state *plua_state_borrow(lua_State *L, struct plua_env *env)
{
	struct plua_state *s = calloc(1, sizeof *s);
	if (!s || !(s->scratch = malloc(sizeof *s->scratch))) {
		free(s);
		return NULL;
	}
	s->L = L;
	s->env = env;
	s->select_ref = LUA_NOREF;
	atomic_init(&s->set_aside, 0);
	return s;
}

void plua_task_metatable(lua_State *L, struct plua_state *s, int keep)
{
	keep = keep ? lua_absindex(L, keep) : 0;
	lua_newtable(L);
	fill_task_metatable(L, s, keep);
}

void plua_state_unborrow(struct plua_state *s)
{
	if (!s)
		return;
	pl_arena_free(&s->arena);
	pl_buf_free(&s->read_buf);
	free(s->scratch);
	free(s);
}

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

/* ------------------------------------------------------------------------
** making a state, and loading the world or the layout into it
*/

/* p.mounted_world(): the world this daemon serves, or nil (serving the host). */
static int mounted_world(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &WORLD_KEY);
	return 1;
}

/* Everything a state has before its script runs; under pcall, since any of
** it can meet the memory budget. */
static int setup(lua_State *L)
{
	struct plua_state *s = lua_touserdata(L, 1);
	int for_world = lua_toboolean(L, 2);
	const struct plua_env *env = s->env;
	luaL_openlibs(L);
	if (!env->unrestricted)
		restrict_env(L);
	plua_watch_install(L, s->watch);
	lua_pushlightuserdata(L, s);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &STATE_KEY);
	new_task_metatable(L, s);
	luaL_requiref(L, "proclua", luaopen_proclua, 0);
	lua_pushcfunction(L, mounted_world);
	lua_setfield(L, -2, "mounted_world");
	lua_pop(L, 1);
	if (env->model) {
		plua_world_push_borrowed(L, env->model);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &WORLD_KEY);
	}
	/* the module path: the stock layout for require "proc", then modules
	** beside the world, then beside the layout, each searched first */
	if (env->stock)
		set_path(L, env->stock);
	if (env->world)
		set_path(L, env->world);
	if (!for_world)
		set_path(L, env->script);
	return 0;
}

struct plua_state *plua_state_new(struct plua_env *env, struct plua_watch *watch, int for_world)
{
	struct plua_state *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->env = env;
	s->watch = watch;
	s->select_ref = LUA_NOREF;
	atomic_init(&s->set_aside, 0);
	if (!(s->scratch = malloc(sizeof *s->scratch)) || !(s->L = lua_newstate(budget_alloc, s))) {
		free(s->scratch);
		free(s);
		return NULL;
	}
	lua_atpanic(s->L, panic);
	lua_pushcfunction(s->L, setup);
	lua_pushlightuserdata(s->L, s);
	lua_pushboolean(s->L, for_world);
	if (lua_pcall(s->L, 2, 0, 0) != LUA_OK) {
		plua_state_free(s);
		return NULL;
	}
	return s;
}

void plua_state_free(struct plua_state *s)
{
	if (!s)
		return;
	if (s->L)
		lua_close(s->L);
	pl_arena_free(&s->arena);
	pl_buf_free(&s->read_buf);
	free(s->scratch);
	free(s->refs);
	free(s);
}

int plua_state_load_world(struct plua_state *s, const struct timespec *deadline,
                          char *err, size_t errlen)
{
	lua_State *L = s->L;
	const char *world = s->env->world;
	int rc = luaL_loadfilex(L, world, "t");
	if (rc == LUA_OK)
		rc = protected_call(s, 0, 1, deadline);
	if (rc != LUA_OK) {
		call_error(s, rc, world, err, errlen);
		lua_settop(L, 0);
		return -1;
	}
	struct pl_model *m = plua_world_take(L, -1);
	if (!m) {
		snprintf(err, errlen, "%s: the script returned %s; a world script must return "
		         "p.world { tasks = {...} }", world, plua_world_model(L, -1) ?
		         "a world it does not own" : luaL_typename(L, -1));
		lua_settop(L, 0);
		return -1;
	}
	lua_settop(L, 0);
	s->env->model = m;
	s->env->src = pl_model_source(m);
	return 0;
}

/* Where two compiled layouts differ (NULL: nowhere); *at the entry. */
static const char *layout_differs(const struct pl_layout *a, const struct pl_layout *b,
                                  uint32_t *at)
{
	*at = 0;
	if (a->nentries != b->nentries || a->root_first != b->root_first ||
	    a->root_n != b->root_n || a->task_first != b->task_first || a->task_n != b->task_n ||
	    a->task_links[0] != b->task_links[0] || a->task_links[1] != b->task_links[1])
		return "a different number of entries";
	for (uint32_t i = 0; i < a->nentries; i++) {
		const struct pl_entry *x = &a->entries[i], *y = &b->entries[i];
		*at = i;
		if (x->len != y->len || memcmp(x->name, y->name, x->len) != 0)
			return "another name";
		if (x->kind != y->kind || x->mode != y->mode || x->only != y->only ||
		    x->scope != y->scope || x->gen != y->gen || x->first != y->first ||
		    x->n != y->n || x->nsubdirs != y->nsubdirs || x->check != y->check)
			return "another kind, mode or place";
		if (x->content_len != y->content_len ||
		    (x->content_len && memcmp(x->content, y->content, x->content_len) != 0))
			return "another content";
		if ((x->ref == LUA_NOREF) != (y->ref == LUA_NOREF) || (x->wref == 0) != (y->wref == 0))
			return "a function where there was none, or none where there was one";
	}
	return NULL;
}

/* Bind this state's compiled layout `mine` to the served one: every Lua
** file's function and write function by the served refs.  The first state
** also notes where each function is defined, for messages.  0, or -1 when
** out of memory. */
static int bind_layout(lua_State *L, struct plua_state *s, const struct pl_layout *served,
                       const struct pl_layout *mine)
{
	struct plua_env *env = s->env;
	int top = 0;
	for (uint32_t i = 0; i < served->nentries; i++) {
		if (served->entries[i].ref > top)
			top = served->entries[i].ref;
		if (served->entries[i].wref > top)
			top = served->entries[i].wref;
	}
	s->nrefs = (size_t)top + 1;
	if (!(s->refs = malloc(s->nrefs * sizeof *s->refs)))
		return -1;
	int first = !env->fn_where;
	if (first) {
		if (!(env->fn_where = calloc(s->nrefs, sizeof *env->fn_where)))
			return -1;
		env->nrefs = s->nrefs;
		for (size_t i = 0; i < s->nrefs; i++)
			strcpy(env->fn_where[i], "?");
	}
	for (size_t i = 0; i < s->nrefs; i++)
		s->refs[i] = LUA_NOREF;
	for (uint32_t i = 0; i < served->nentries; i++) {
		const struct pl_entry *e = &served->entries[i], *m = &mine->entries[i];
		int from[2] = { e->ref, e->wref }, to[2] = { m->ref, m->wref };
		for (int k = 0; k < 2; k++) {
			if (from[k] <= 0) /* LUA_NOREF, or no write function */
				continue;
			s->refs[from[k]] = to[k];
			lua_Debug ar;
			if (!first)
				continue;
			lua_rawgeti(L, LUA_REGISTRYINDEX, to[k]);
			if (lua_getinfo(L, ">S", &ar)) /* pops the function */
				snprintf(env->fn_where[from[k]], sizeof env->fn_where[from[k]], "%s:%d",
				         ar.short_src, ar.linedefined);
		}
	}
	return 0;
}

/* Under pcall: (state, layout object, script name).  Compile the layout;
** the first state's becomes the one served, any later one must be the
** same. */
static int load_layout(lua_State *L)
{
	struct plua_state *s = lua_touserdata(L, 1);
	struct plua_env *env = s->env;
	const char *script = lua_tostring(L, 3);
	if (!plua_is(L, 2, PLUA_LAYOUT_MT))
		return luaL_error(L, "%s: the script returned %s; a layout script must return "
		                  "p.layout { root = {...}, task = {...} }", script, luaL_typename(L, 2));
	struct pl_layout *mine = plua_compile(L, 2);
	int has_view = 0, has_select = 0;
	pl_pid view_root = 0;
	if (lua_getfield(L, 2, "view") == LUA_TTABLE) {
		lua_getfield(L, -1, "root");
		view_root = (pl_pid)lua_tointeger(L, -1);
		lua_pop(L, 1);
		if (lua_getfield(L, -1, "select") == LUA_TFUNCTION) {
			lua_Debug ar;
			lua_pushvalue(L, -1);
			if (!env->layout && lua_getinfo(L, ">S", &ar)) /* pops the copy */
				snprintf(env->select_where, sizeof env->select_where, "%s:%d",
				         ar.short_src, ar.linedefined);
			else if (env->layout)
				lua_pop(L, 1);
			s->select_ref = luaL_ref(L, LUA_REGISTRYINDEX);
			has_select = 1;
		} else {
			lua_pop(L, 1);
		}
		has_view = 1;
	}
	lua_pop(L, 1);
	int writes = 0, functions = has_select;
	for (uint32_t i = 0; i < mine->nentries; i++) {
		writes |= mine->entries[i].wref != 0;
		functions |= mine->entries[i].ref != LUA_NOREF;
	}
	int shared = lua_getfield(L, 2, "shared") == LUA_TBOOLEAN ? lua_toboolean(L, -1) : writes;
	lua_pop(L, 1);
	if (!env->layout) {
		env->layout = mine;
		env->has_view = has_view;
		env->view_root = view_root;
		env->has_select = has_select;
		env->shared = shared;
		env->has_functions = functions;
	} else {
		uint32_t at;
		const char *why = layout_differs(env->layout, mine, &at);
		if (!why && (has_view != env->has_view || view_root != env->view_root ||
		             has_select != env->has_select || shared != env->shared))
			why = "another view or sharing";
		if (why) {
			char name[64];
			snprintf(name, sizeof name, "%.*s", at < mine->nentries ? (int)mine->entries[at].len : 0,
			         at < mine->nentries ? mine->entries[at].name : "");
			pl_layout_free(mine);
			return luaL_error(L, "%s: the layout script declared another layout when run again "
			                  "(%s at entry %d '%s'); each Lua state the daemon keeps runs it, "
			                  "so it must declare the same layout every time", script, why,
			                  (int)at, name);
		}
	}
	int rc = bind_layout(L, s, env->layout, mine);
	if (mine != env->layout)
		pl_layout_free(mine);
	if (rc < 0)
		return luaL_error(L, "out of memory");
	return 0;
}

int plua_state_load_layout(struct plua_state *s, const struct timespec *deadline,
                           char *err, size_t errlen)
{
	lua_State *L = s->L;
	const char *script = s->env->script;
	int rc = luaL_loadfilex(L, script, "t");
	if (rc == LUA_OK)
		rc = protected_call(s, 0, 1, deadline);
	if (rc == LUA_OK) {
		/* compile under pcall too: a bad tree raises at its declaring line */
		lua_pushcfunction(L, load_layout);
		lua_pushlightuserdata(L, s);
		lua_rotate(L, -3, 2);
		lua_pushstring(L, script);
		rc = protected_call(s, 3, 0, deadline);
	}
	if (rc != LUA_OK) {
		call_error(s, rc, script, err, errlen);
		lua_settop(L, 0);
		return -1;
	}
	lua_settop(L, 0);
	/* The load phase is over: hand its garbage back before serving, so
	** what the state keeps is what it serves. */
	lua_gc(L, LUA_GCCOLLECT);
	return 0;
}

const char *plua_state_fn_where(const struct plua_state *s, int ref)
{
	return plua_env_fn_where(s->env, ref);
}

const char *plua_env_fn_where(const struct plua_env *env, int ref)
{
	return ref >= 0 && (size_t)ref < env->nrefs && env->fn_where ? env->fn_where[ref] : "?";
}

/* ------------------------------------------------------------------------
** calls
*/

/* The function of served ref `ref` pushed; 0 if this state has none. */
static int push_fn(struct plua_state *s, int ref)
{
	if (ref < 0 || (size_t)ref >= s->nrefs || s->refs[ref] == LUA_NOREF)
		return 0;
	lua_rawgeti(s->L, LUA_REGISTRYINDEX, s->refs[ref]);
	return 1;
}

/* A Lua file's function failed (rc, not LUA_OK): the message names the
** script's file and line; the reader or writer gets EIO. */
static int call_failed(struct plua_state *s, int rc, struct plua_call *c)
{
	lua_State *L = s->L;
	if (rc == LUA_ERRMEM) {
		/* the stack is gone: name the function's line */
		char msg[LUA_IDSIZE + 112];
		call_error(s, rc, plua_state_fn_where(s, c->ref), msg, sizeof msg);
		pl_buf_puts(&c->msg, msg);
		lua_settop(L, 0);
		lua_gc(L, LUA_GCCOLLECT); /* hand back what it built */
	} else {
		pl_buf_puts(&c->msg, lua_tostring(L, -1));
	}
	return -EIO;
}

/* The function returned what it should not: the message names the
** function's line, with `why`. */
static int bad_result(struct plua_state *s, struct plua_call *c, const char *why)
{
	pl_buf_printf(&c->msg, "%s: function returned %s", plua_state_fn_where(s, c->ref), why);
	return -EIO;
}

static int errno_named(const char *name);

static void run_read(struct plua_state *s, struct plua_call *c)
{
	lua_State *L = s->L;
	push_task(L, c->tgid, c->tid);
	plua_push_caller(L, &c->caller);
	int rc = protected_call(s, 2, 2, &c->deadline);
	if (rc != LUA_OK) {
		c->result = call_failed(s, rc, c);
	} else if (lua_isnil(L, -2) && lua_type(L, -1) == LUA_TSTRING &&
	           errno_named(lua_tostring(L, -1))) { /* nil, "EACCES": refused */
		c->result = -errno_named(lua_tostring(L, -1));
	} else if (lua_type(L, -2) != LUA_TSTRING && lua_type(L, -2) != LUA_TNUMBER) {
		char why[96];
		if (lua_isnil(L, -2) && !lua_isnil(L, -1))
			snprintf(why, sizeof why, "nil and %s, not an errno name such as \"EACCES\"",
			         luaL_typename(L, -1));
		else
			snprintf(why, sizeof why, "%s, not a string", luaL_typename(L, -2));
		c->result = bad_result(s, c, why);
	} else {
		lua_pop(L, 1);
		size_t len;
		const char *str = lua_tolstring(L, -1, &len);
		pl_buf_add(&c->out, str, len);
		c->result = pl_buf_status(&c->out);
	}
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

static const char *errno_name(int e)
{
	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	return "EIO";
}

static int errno_named(const char *name)
{
	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].value;
	return 0;
}

static void run_write(struct plua_state *s, struct plua_call *c)
{
	lua_State *L = s->L;
	size_t len = c->bytes.len;
	push_task(L, c->tgid, c->tid);
	lua_pushlstring(L, c->bytes.data ? c->bytes.data : "", len);
	lua_pushinteger(L, (lua_Integer)c->off);
	plua_push_caller(L, &c->caller);
	int rc = protected_call(s, 4, 1, &c->deadline);
	int is_int = 0;
	lua_Integer count = rc == LUA_OK && lua_type(L, -1) == LUA_TNUMBER
	                    ? lua_tointegerx(L, -1, &is_int) : 0; /* 3.0 counts as 3 */
	if (rc != LUA_OK) {
		c->result = call_failed(s, rc, c);
	} else if (lua_isnil(L, -1)) {
		c->result = (ssize_t)len;
	} else if (is_int && count >= 0 && (lua_Unsigned)count <= len) {
		c->result = (ssize_t)count;
	} else if (lua_type(L, -1) == LUA_TSTRING && errno_named(lua_tostring(L, -1))) {
		c->result = -errno_named(lua_tostring(L, -1));
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
		c->result = bad_result(s, c, why);
	}
}

static void run_select(struct plua_state *s, struct plua_call *c)
{
	lua_State *L = s->L;
	push_task(L, c->tgid, 0);
	if (protected_call(s, 1, 1, &c->deadline) != LUA_OK) {
		pl_buf_puts(&c->msg, lua_tostring(L, -1));
		c->result = 0;
	} else {
		c->result = lua_toboolean(L, -1);
	}
}

void plua_state_run(struct plua_state *s, struct plua_call *c)
{
	lua_State *L = s->L;
	pl_buf_reset(&c->out);
	pl_buf_reset(&c->msg);
	int have = c->kind == PLUA_CALL_SELECT
	           ? (lua_rawgeti(L, LUA_REGISTRYINDEX, s->select_ref) == LUA_TFUNCTION)
	           : push_fn(s, c->ref);
	if (!have) { /* a ref the layout never gave: the tree's mistake */
		pl_buf_printf(&c->msg, "no Lua function %d", c->ref);
		c->result = c->kind == PLUA_CALL_SELECT ? 0 : -EIO;
	} else if (c->kind == PLUA_CALL_READ) {
		s->running = c;
		run_read(s, c);
	} else if (c->kind == PLUA_CALL_WRITE) {
		s->running = c;
		run_write(s, c);
	} else {
		run_select(s, c);
	}
	s->running = NULL;
	lua_settop(L, 0);
}
