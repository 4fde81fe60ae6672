/*
** Worlds: p.world { tasks = {...}, machine = {...} } declares synthetic
** tasks and builds them at once into a sealed pl_model, which the world
** object owns; its methods read that model as a mount would and change it
** (zombify, vanish).  world_task.c builds each task's record,
** world_memory.c its address space, world_machine.c the machine's files,
** world_net.c the network namespaces' files, world_timens.c the time
** namespaces' offsets.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "tree/builtin.h"
#include "plua_facts.h"
#include "world_build.h"

int plua_world_has(lua_State *L, int idx, const char *key)
{
	int present = lua_getfield(L, idx, key) != LUA_TNIL;
	lua_pop(L, 1);
	return present;
}

uint64_t plua_world_int_at(struct world_build *wb, int idx, const char *what)
{
	lua_State *L = wb->L;
	if (lua_isinteger(L, idx))
		return (uint64_t)lua_tointeger(L, idx);
	if (lua_type(L, idx) == LUA_TSTRING) {
		char *end;
		const char *s = lua_tostring(L, idx);
		uint64_t v = strtoull(s, &end, 0);
		if (!*end && end != s)
			return v;
	}
	luaL_error(L, "%s: %s must be an integer", wb->who, what);
	return 0;
}

uint64_t plua_world_int_field(struct world_build *wb, int idx, const char *key, uint64_t dflt)
{
	lua_getfield(wb->L, idx, key);
	uint64_t v = lua_isnil(wb->L, -1) ? dflt : plua_world_int_at(wb, -1, key);
	lua_pop(wb->L, 1);
	return v;
}

static pl_pid pid_of(struct world_build *wb, int idx, const char *key)
{
	lua_getfield(wb->L, idx, key);
	lua_Integer v = lua_isinteger(wb->L, -1) ? lua_tointeger(wb->L, -1) : 0;
	lua_pop(wb->L, 1);
	if (v < 1 || v > 4194304)
		luaL_error(wb->L, "world: every task needs %s = 1 .. 4194304", key);
	return (pl_pid)v;
}

static pl_pid lowest_pid(lua_State *L, int tasks, lua_Integer n)
{
	pl_pid low = 0;
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, tasks, i);
		lua_getfield(L, -1, "pid");
		pl_pid pid = (pl_pid)lua_tointeger(L, -1);
		if (!low || pid < low)
			low = pid;
		lua_pop(L, 2);
	}
	return low;
}

/* Whether a threads list names the leader itself. */
static int leader_listed(struct world_build *wb, int threads, lua_Integer k, pl_pid pid)
{
	for (lua_Integer j = 1; j <= k; j++) {
		lua_geti(wb->L, threads, j);
		lua_getfield(wb->L, -1, "tid");
		int same = lua_tointeger(wb->L, -1) == pid;
		lua_pop(wb->L, 2);
		if (same)
			return 1;
	}
	return 0;
}

/* A world object: its model, and whether the object frees it.  The world
** a daemon mounts is taken from its object by the runtime, which shares the
** one model among its Lua states (each gets a borrowing object). */
struct world_obj {
	struct pl_model *m;
	int owns;
};

static int world_gc(lua_State *L)
{
	struct world_obj *w = luaL_checkudata(L, 1, PLUA_WORLD_MT);
	if (w->owns)
		pl_model_free(w->m);
	w->m = NULL;
	return 0;
}

/* A new world object owning m (NULL: none yet). */
static struct world_obj *new_world(lua_State *L, struct pl_model *m, int owns)
{
	struct world_obj *w = lua_newuserdatauv(L, sizeof *w, 0);
	w->m = m;
	w->owns = owns;
	luaL_setmetatable(L, PLUA_WORLD_MT);
	return w;
}

/* p.world { tasks = { {pid = 1, ...}, ... } }: builds the model at once, so a
** mistake is reported at the line of this call. */
static int world_decl(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	struct world_obj *owner = new_world(L, NULL, 1);
	struct world_build wb = { L, pl_model_new(), NULL, "world", NULL, NULL };
	if (!wb.m)
		return luaL_error(L, "out of memory");
	owner->m = wb.m; /* freed by __gc if anything below raises */
	wb.a = pl_model_arena(wb.m);
	if (lua_getfield(L, 1, "tasks") != LUA_TTABLE)
		return luaL_error(L, "p.world: tasks = { {pid = 1, ...}, ... } is required");
	int tasks = lua_gettop(L);
	/* every task and thread needs a pid of its own: at most PID_MAX_LIMIT */
	lua_Integer n = (lua_Integer)plua_list_len(L, tasks, 4194304, "p.world", "tasks");
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, tasks, i);
		int task = lua_gettop(L);
		luaL_checktype(L, task, LUA_TTABLE);
		pl_pid pid = pid_of(&wb, task, "pid");
		struct pl_task *t = plua_world_add_task(&wb, task, 0, pid, pid);
		if (lua_getfield(L, task, "threads") == LUA_TTABLE) {
			int threads = lua_gettop(L);
			lua_Integer k = (lua_Integer)plua_list_len(L, threads, 4194304, wb.who, "threads");
			if (!plua_world_has(L, task, "num_threads"))
				t->num_threads = (int32_t)(k + 1 - leader_listed(&wb, threads, k, pid));
			for (lua_Integer j = 1; j <= k; j++) {
				lua_geti(L, threads, j);
				int th = lua_gettop(L);
				if (pid_of(&wb, th, "tid") == pid) {
					/* the leader as a thread: the task's own table then
					** describes the whole group, this one task/<pid>/ */
					if (!pl_model_group_view(wb.m, pid))
						return luaL_error(L, "out of memory");
					snprintf(wb.who, sizeof wb.who, "world task %d", (int)pid);
					plua_world_apply(&wb, th, t);
					lua_pop(L, 1);
					continue;
				}
				struct pl_task *tt = plua_world_add_task(&wb, th, task, pid,
				                                         pid_of(&wb, th, "tid"));
				tt->mm = t->mm; /* threads share their leader's mm */
				if (!plua_world_has(L, th, "num_threads"))
					tt->num_threads = t->num_threads;
				lua_pop(L, 1);
			}
		} else if (!plua_world_has(L, task, "num_threads")) {
			t->num_threads = 1;
		}
		lua_settop(L, task - 1);
	}
	if (lua_getfield(L, 1, "machine") == LUA_TTABLE || lua_isnil(L, -1)) {
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			lua_newtable(L);
		}
		plua_world_read_machine(&wb, lua_gettop(L), pl_model_machine(wb.m));
	} else {
		return luaL_error(L, "p.world: machine must be a table");
	}
	lua_pop(L, 1);
	/* net: the network namespaces' files (world_net.c) */
	if (lua_getfield(L, 1, "net") == LUA_TTABLE)
		plua_world_read_net(&wb, lua_gettop(L));
	else if (lua_isnil(L, -1))
		plua_world_read_net(&wb, 0);
	else
		return luaL_error(L, "p.world: net must be a table");
	lua_pop(L, 1);
	/* timens: the time namespaces' offsets (world_timens.c) */
	if (lua_getfield(L, 1, "timens") == LUA_TTABLE)
		plua_world_read_timens(&wb, lua_gettop(L));
	else if (!lua_isnil(L, -1))
		return luaL_error(L, "p.world: timens must be a table");
	lua_pop(L, 1);
	/* self: the task outside callers are shown as; default the lowest pid,
	** self = false for none */
	if (lua_getfield(L, 1, "self") == LUA_TBOOLEAN && !lua_toboolean(L, -1))
		pl_model_machine(wb.m)->self_pid = 0;
	else if (!lua_isnil(L, -1))
		pl_model_machine(wb.m)->self_pid = (int32_t)plua_world_int_at(&wb, -1, "self");
	else
		pl_model_machine(wb.m)->self_pid = lowest_pid(L, tasks, n);
	lua_pop(L, 1);
	char err[160];
	if (pl_model_seal(wb.m, err, sizeof err) < 0)
		return luaL_error(L, "world: %s", err);
	pl_pid self = pl_model_machine(wb.m)->self_pid;
	struct pl_source *src = pl_model_source(wb.m);
	if (self && src->ops->task_exists(src, self, self) < 0)
		return luaL_error(L, "p.world: self = %d names no task of the world", (int)self);
	for (lua_Integer i = 1; i <= n; i++) { /* exited but not reaped */
		lua_geti(L, tasks, i);
		int task = lua_gettop(L);
		if (lua_getfield(L, task, "zombie") == LUA_TBOOLEAN && lua_toboolean(L, -1))
			pl_model_zombify(wb.m, pid_of(&wb, task, "pid"));
		lua_settop(L, tasks);
	}
	lua_settop(L, 2);
	return 1;
}

struct pl_model *plua_world_model(lua_State *L, int idx)
{
	struct world_obj *w = luaL_testudata(L, idx, PLUA_WORLD_MT);
	return w ? w->m : NULL;
}

struct pl_model *plua_world_take(lua_State *L, int idx)
{
	struct world_obj *w = luaL_testudata(L, idx, PLUA_WORLD_MT);
	if (!w || !w->owns)
		return NULL;
	w->owns = 0;
	return w->m;
}

void plua_world_push_borrowed(lua_State *L, struct pl_model *m)
{
	new_world(L, m, 0);
}

static struct pl_model *check_world(lua_State *L, int idx)
{
	return ((struct world_obj *)luaL_checkudata(L, idx, PLUA_WORLD_MT))->m;
}

static int push_result(lua_State *L, int rc, const struct pl_buf *out)
{
	if (rc == 0) {
		lua_pushlstring(L, out->data ? out->data : "", out->len);
		return 1;
	}
	lua_pushnil(L);
	lua_pushstring(L, strerror(-rc));
	lua_pushinteger(L, -rc);
	return 3;
}

/* world:format(name, pid [, tid [, permitted]]) -> bytes | nil, message, errno
** A builtin file of one task (or of the machine), made in-process by the
** path a mount serves it through, for a reader who may (permitted, the
** default) or may not ptrace the task. */
static int world_format(lua_State *L)
{
	struct pl_model *m = check_world(L, 1);
	const char *name = luaL_checkstring(L, 2);
	int gen = pl_builtin_lookup(name, 0);
	if (gen == PL_G_NONE || gen == PL_G_MEM)
		return luaL_argerror(L, 2, "not a builtin file generator");
	pl_pid tgid = pl_builtins[gen].mneed ? 0 : (pl_pid)luaL_checkinteger(L, 3);
	pl_pid tid = (pl_pid)luaL_optinteger(L, 4, 0);
	struct pl_source *src = pl_model_source(m);
	struct pl_caller root;
	pl_caller_init_root(&root);
	int permitted;
	int rc = pl_builtin_decide(src, &root, tgid, tid, gen, &permitted);
	struct pl_buf out = PL_BUF_INIT;
	if (rc == 0) {
		permitted = lua_isnoneornil(L, 5) || lua_toboolean(L, 5);
		rc = pl_builtin_format(src, tgid, tid, gen, permitted, NULL, &out);
	}
	int n = push_result(L, rc, &out);
	pl_buf_free(&out);
	return n;
}

/* world:read_mem(pid, addr, len) -> bytes | nil, message, errno */
static int world_read_mem(lua_State *L)
{
	struct pl_model *m = check_world(L, 1);
	pl_pid tgid = (pl_pid)luaL_checkinteger(L, 2);
	uint64_t addr = (uint64_t)luaL_checkinteger(L, 3);
	size_t len = (size_t)luaL_checkinteger(L, 4);
	luaL_argcheck(L, len <= (1u << 24), 4, "at most 16 MiB");
	struct pl_source *src = pl_model_source(m);
	luaL_Buffer b;
	char *p = luaL_buffinitsize(L, &b, len);
	ssize_t n = src->ops->read_mem(src, tgid, addr, p, len);
	if (n < 0) {
		lua_pushnil(L);
		lua_pushstring(L, strerror((int)-n));
		lua_pushinteger(L, -n);
		return 3;
	}
	luaL_pushresultsize(&b, (size_t)n);
	return 1;
}

static int world_zombify(lua_State *L)
{
	int rc = pl_model_zombify(check_world(L, 1), (pl_pid)luaL_checkinteger(L, 2));
	lua_pushboolean(L, rc == 0);
	return 1;
}

static int world_vanish(lua_State *L)
{
	int rc = pl_model_vanish(check_world(L, 1), (pl_pid)luaL_checkinteger(L, 2));
	lua_pushboolean(L, rc == 0);
	return 1;
}

static const luaL_Reg world_methods[] = {
	{ "format", world_format },
	{ "read_mem", world_read_mem },
	{ "zombify", world_zombify },
	{ "vanish", world_vanish },
	{ NULL, NULL }
};

void plua_world_register(lua_State *L)
{
	if (luaL_newmetatable(L, PLUA_WORLD_MT)) {
		lua_pushcfunction(L, world_gc);
		lua_setfield(L, -2, "__gc");
		luaL_newlib(L, world_methods);
		lua_setfield(L, -2, "__index");
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, world_decl);
	lua_setfield(L, -2, "world");
}
