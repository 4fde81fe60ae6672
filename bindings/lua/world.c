/*
** Worlds: p.world { tasks = {...} } declares synthetic tasks, and
** plua_world_build turns the declaration into a sealed pl_model.
**
** A task is a table of facts named as the kernel names them (see facts.c
** for the scalars); everything left out gets the default a freshly exec'd
** process would show, so { pid = 1, argv = {"init"} } is a whole task.
** Threads inherit their leader's facts and override what they list.
** argv and env are placed in the task's simulated address space as execve
** leaves them; mem/unmap then write bytes or punch holes, so a world can
** build states no live system produces on demand.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "tree/builtin.h"
#include "record/machine.h"
#include "plua.h"
#include "plua_facts.h"
#include "world_build.h"

#define PAGE 4096ull

/* What a task shows before the world says otherwise. */
static const char default_limits[] =
	"Limit                     Soft Limit           Hard Limit           Units     \n"
	"Max cpu time              unlimited            unlimited            seconds   \n"
	"Max file size             unlimited            unlimited            bytes     \n"
	"Max data size             unlimited            unlimited            bytes     \n"
	"Max stack size            8388608              unlimited            bytes     \n"
	"Max core file size        0                    unlimited            bytes     \n"
	"Max resident set          unlimited            unlimited            bytes     \n"
	"Max processes             63432                63432                processes \n"
	"Max open files            1024                 524288               files     \n"
	"Max locked memory         8388608              8388608              bytes     \n"
	"Max address space         unlimited            unlimited            bytes     \n"
	"Max file locks            unlimited            unlimited            locks     \n"
	"Max pending signals       63432                63432                signals   \n"
	"Max msgqueue size         819200               819200               bytes     \n"
	"Max nice priority         0                    0                    \n"
	"Max realtime priority     0                    0                    \n"
	"Max realtime timeout      unlimited            unlimited            us        \n";
static const char default_mountinfo[] = "1 1 0:1 / / rw,relatime shared:1 - rootfs rootfs rw\n";
static const char default_idmap[] = "         0          0 4294967295\n";
static const uint64_t default_ns[PL_NS_COUNT] = {
	4026531840u, 4026531838u, 4026531839u, 4026531836u, 4026531836u,
	4026531837u, 4026531841u, 4026531835u, 4026531834u, 4026531834u,
};

static void set_bitmap(struct pl_bitmap *b, uint32_t nbits, uint32_t nset)
{
	memset(b, 0, sizeof *b);
	b->nbits = nbits;
	for (uint32_t i = 0; i < nset && i < nbits; i++)
		b->w[i / 64] |= 1ull << (i % 64);
}

static void defaults(struct pl_task *t, pl_pid tgid, pl_pid tid)
{
	t->state = 'S';
	t->pgrp = t->session = tgid;
	t->tpgid = -1;
	t->flags = 0x400000; /* PF_RANDOMIZE, as after execve */
	t->priority = 20;
	t->exit_signal = tid == tgid ? 17 : -1;
	t->rsslim = UINT64_MAX;
	t->umask = 022;
	t->fd_size = 64;
	t->has_mm = 1;
	t->thp_enabled = 1;
	t->untag_mask = UINT64_MAX;
	t->sigq_limit = 63432;
	t->spec_store_bypass = "not vulnerable";
	t->spec_indirect_branch = "not affected";
	t->arch_lines = "";
	t->wchan = "0";
	t->exe = NULL;
	t->cwd = t->root = "/";
	t->dumpable = 1;
	t->coredump_filter = 0x33;
	t->setgroups_allowed = 1;
	t->cred.cap_bnd = 0x1ffffffffffull;
	memcpy(t->ns_ino, default_ns, sizeof default_ns);
	set_bitmap(&t->cpus_allowed, 1, 1);
	set_bitmap(&t->mems_allowed, 1024, 1);
}

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

/* fds = { { fd = 0, target = "/dev/null", mode = "r", pos =, flags =, mnt_id =, ino = }, ... } */
static void read_fds(struct world_build *wb, int idx, struct pl_task *t)
{
	lua_State *L = wb->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = (size_t)luaL_len(L, idx);
	struct pl_fd *fds = pl_arena_alloc(wb->a, (n ? n : 1) * sizeof *fds);
	struct pl_model_fdinfo *fi = pl_arena_alloc(wb->a, (n ? n : 1) * sizeof *fi);
	for (size_t i = 0; i < n; i++) {
		lua_geti(L, idx, (lua_Integer)i + 1);
		int e = lua_gettop(L);
		luaL_checktype(L, e, LUA_TTABLE);
		fds[i].fd = (int32_t)plua_world_int_field(wb, e, "fd", i);
		lua_getfield(L, e, "target");
		fds[i].target = pl_arena_strdup(wb->a, luaL_optstring(L, -1, "/dev/null"));
		lua_getfield(L, e, "mode");
		const char *mode = luaL_optstring(L, -1, "r");
		fds[i].f_mode = (strchr(mode, 'r') ? 1u : 0u) | (strchr(mode, 'w') ? 2u : 0u);
		uint32_t acc = fds[i].f_mode == 3 ? 2 : fds[i].f_mode == 2 ? 1 : 0; /* O_RDWR, O_WRONLY */
		fi[i].fd = fds[i].fd;
		fi[i].info.pos = plua_world_int_field(wb, e, "pos", 0);
		fi[i].info.flags = (uint32_t)plua_world_int_field(wb, e, "flags", 0100000 | acc); /* O_LARGEFILE */
		fi[i].info.mnt_id = (uint32_t)plua_world_int_field(wb, e, "mnt_id", 1);
		fi[i].info.ino = plua_world_int_field(wb, e, "ino", 0);
		lua_getfield(L, e, "extra");
		fi[i].info.extra = pl_arena_strdup(wb->a, luaL_optstring(L, -1, ""));
		lua_pop(L, 4);
	}
	t->fds = fds;
	t->nfds = n;
	pl_model_set_fdinfo(wb->m, t->tid, fi, n);
}

/* Keys that shape the world rather than name a fact. */
static int structural(const char *k)
{
	static const char *const keys[] = { "pid", "tid", "threads", "argv", "env", "mem",
	                                     "unmap", "zombie", "cpus", NULL };
	for (int i = 0; keys[i]; i++)
		if (strcmp(keys[i], k) == 0)
			return 1;
	return 0;
}

/* One key of a task table: a fact of the table in facts.c, or a key the
** world loader places itself. */
static void apply_key(struct world_build *wb, const char *k, int v, struct pl_task *t)
{
	const struct plua_fact *f;
	struct plua_fact_ctx fc = { wb->L, wb->a, wb->who };
	if (structural(k))
		return;
	if (!strcmp(k, "fds"))
		read_fds(wb, v, t);
	else if ((f = plua_fact_find(k)) && (f->set || f->type != PLUA_LIST))
		plua_fact_set(&fc, f, v, t);
	else
		luaL_error(wb->L, "%s: unknown task field '%s'", wb->who, k);
}

/* Apply every key of the task table at idx to t: uid and gid first, since
** they set all four ids and euid, suid, ... then override one. */
static void apply(struct world_build *wb, int idx, struct pl_task *t)
{
	lua_State *L = wb->L;
	static const char *const first[] = { "uid", "gid" };
	for (int i = 0; i < 2; i++) {
		if (lua_getfield(L, idx, first[i]) != LUA_TNIL)
			apply_key(wb, first[i], lua_gettop(L), t);
		lua_pop(L, 1);
	}
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "%s: task fields are named (got a %s key)", wb->who, luaL_typename(L, -2));
		const char *k = lua_tostring(L, -2);
		if (strcmp(k, "uid") != 0 && strcmp(k, "gid") != 0)
			apply_key(wb, k, lua_gettop(L), t);
		lua_pop(L, 1);
	}
}

/* The lists a task shows when its world gives none, parsed once a world. */
static const struct pl_task *defaults_of(struct world_build *wb)
{
	if (wb->dflt)
		return wb->dflt;
	struct pl_task *d = pl_arena_alloc(wb->a, sizeof *d);
	struct pl_model_fdinfo *fi = pl_arena_alloc(wb->a, 3 * sizeof *fi);
	if (!d || !fi)
		luaL_error(wb->L, "out of memory");
	pl_parse_limits(default_limits, sizeof default_limits - 1, wb->a, d);
	pl_parse_mountinfo(default_mountinfo, sizeof default_mountinfo - 1, wb->a, d);
	pl_parse_cgroup("0::/\n", 5, wb->a, d);
	pl_parse_uid_map(default_idmap, sizeof default_idmap - 1, wb->a, d);
	pl_parse_gid_map(default_idmap, sizeof default_idmap - 1, wb->a, d);
	plua_world_default_regions(wb, d);
	for (int i = 0; i < 3; i++)
		fi[i] = (struct pl_model_fdinfo){ i, { 0, i ? 0100001u : 0100000u, 1, 4, "" } };
	wb->dflt_fdinfo = fi;
	return wb->dflt = d;
}

static void derive(struct world_build *wb, int idx, struct pl_task *t)
{
	lua_State *L = wb->L;
	if (!t->comm[0] || !t->exe) { /* execve names a task after argv[0]: comm is
	                                 ** its basename, 15 bytes at most */
		const char *name = "task";
		int top = lua_gettop(L);
		if (lua_getfield(L, idx, "argv") == LUA_TTABLE && lua_geti(L, -1, 1) == LUA_TSTRING)
			name = lua_tostring(L, -1);
		const char *slash = strrchr(name, '/');
		if (!t->comm[0])
			snprintf(t->comm, 16, "%s", slash ? slash + 1 : name);
		if (!t->exe && name[0] == '/')
			t->exe = pl_arena_strdup(wb->a, name);
		else if (!t->exe)
			t->exe = pl_arena_strdup(wb->a, "/usr/bin/task");
		lua_settop(L, top);
	}
	const struct pl_task *d = defaults_of(wb);
	if (!plua_world_has(L, idx, "limits"))
		memcpy(t->rlim, d->rlim, sizeof t->rlim);
	if (!plua_world_has(L, idx, "mountinfo"))
		t->mounts = d->mounts, t->nmounts = d->nmounts;
	if (!plua_world_has(L, idx, "cgroup"))
		t->cgroups = d->cgroups, t->ncgroups = d->ncgroups;
	if (!plua_world_has(L, idx, "uid_map"))
		t->uid_map = d->uid_map, t->nuid_map = d->nuid_map;
	if (!plua_world_has(L, idx, "gid_map"))
		t->gid_map = d->gid_map, t->ngid_map = d->ngid_map;
	if (!plua_world_has(L, idx, "maps") && !plua_world_has(L, idx, "smaps"))
		t->regions = d->regions, t->nregions = d->nregions;
	if (!plua_world_has(L, idx, "smaps_rollup") && t->nregions) {
		t->has_rollup = 1;
		t->rollup.start = t->regions[0].start;
		t->rollup.end = t->regions[t->nregions - 1].end;
	}
	if (!plua_world_has(L, idx, "total_vm"))
		for (size_t i = 0; i < t->nregions; i++)
			t->mm.total_vm += (t->regions[i].end - t->regions[i].start) / PAGE;
	if (!plua_world_has(L, idx, "hiwater_vm"))
		t->mm.hiwater_vm = t->mm.total_vm;
	if (!plua_world_has(L, idx, "rss"))
		t->mm.rss = t->mm.rss_anon + t->mm.rss_file + t->mm.rss_shmem;
	if (!plua_world_has(L, idx, "hiwater_rss"))
		t->mm.hiwater_rss = t->mm.rss;
	if (!plua_world_has(L, idx, "priority")) /* a normal task's prio: 120 + nice, printed less 100 */
		t->priority = 20 + t->nice;
	if (t->kthread) /* a kernel thread has no exe_file */
		t->exe = NULL;
	if (!plua_world_has(L, idx, "wchan_flag")) /* stat's field 35: 1 when not running */
		t->wchan_flag = t->state != 'R';
	if (!plua_world_has(L, idx, "vsize"))
		t->vsize = t->mm.total_vm * PAGE;
	if (!plua_world_has(L, idx, "cap_prm") && t->cred.uid[1] == 0) /* root holds the bounding set */
		t->cred.cap_prm = t->cred.cap_eff = t->cred.cap_bnd;
	t->euid = t->cred.uid[1];
	t->egid = t->cred.gid[1];
	if (!t->ns_levels) {
		t->ns_levels = 1;
		t->nstgid[0] = t->tgid;
		t->nspid[0] = t->tid;
	}
	for (int i = 0; i < t->ns_levels; i++) {
		if (!t->nstgid[i])
			t->nstgid[i] = t->tgid;
		t->nspgid[i] = t->pgrp;
		t->nssid[i] = t->session;
	}
	if (!plua_world_has(L, idx, "fds")) {
		static const struct pl_fd std[3] = { { 0, 1, "/dev/null" }, { 1, 2, "/dev/null" }, { 2, 2, "/dev/null" } };
		t->fds = std;
		t->nfds = 3;
		pl_model_set_fdinfo(wb->m, t->tid, wb->dflt_fdinfo, 3);
	}
	if (plua_world_has(L, idx, "cpus")) {
		uint32_t n = (uint32_t)plua_world_int_field(wb, idx, "cpus", 1);
		if (n < 1 || n > PL_CPUMASK_WORDS * 64)
			luaL_error(L, "%s: cpus must be 1 to %d", wb->who, PL_CPUMASK_WORDS * 64);
		set_bitmap(&t->cpus_allowed, n, n);
	}
}

/* Build one record: defaults, then (for a thread) its leader's facts, then its own. */
static struct pl_task *add_task(struct world_build *wb, int task, int leader, pl_pid tgid, pl_pid tid)
{
	lua_State *L = wb->L;
	snprintf(wb->who, sizeof wb->who, "world task %d", (int)tid);
	struct pl_task *t = pl_model_add(wb->m, tgid, tid);
	if (!t)
		luaL_error(L, "%s: out of memory", wb->who);
	defaults(t, tgid, tid);
	if (leader)
		apply(wb, leader, t);
	apply(wb, task, t);
	if (leader && !plua_world_has(L, task, "exit_signal"))
		t->exit_signal = -1;
	derive(wb, leader ? leader : task, t);
	if (!leader)
		plua_world_place_memory(wb, task, t);
	return t;
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

static int world_gc(lua_State *L)
{
	struct pl_model **m = luaL_checkudata(L, 1, PLUA_WORLD_MT);
	pl_model_free(*m);
	*m = NULL;
	return 0;
}

/* A new, empty world object; it owns its model until taken. */
static struct pl_model **new_world(lua_State *L)
{
	struct pl_model **m = lua_newuserdatauv(L, sizeof *m, 0);
	*m = NULL;
	luaL_setmetatable(L, PLUA_WORLD_MT);
	return m;
}

static pl_pid lowest_pid(lua_State *L, int tasks)
{
	pl_pid low = 0;
	lua_Integer n = luaL_len(L, tasks);
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
static int leader_listed(struct world_build *wb, int threads, pl_pid pid)
{
	lua_Integer k = luaL_len(wb->L, threads);
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

/* p.world { tasks = { {pid = 1, ...}, ... } }: builds the model at once, so a
** mistake is reported at the line of this call. */
static int world_decl(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	struct pl_model **owner = new_world(L);
	struct world_build wb = { L, pl_model_new(), NULL, "world", NULL, NULL };
	if (!wb.m)
		return luaL_error(L, "out of memory");
	*owner = wb.m; /* freed by __gc if anything below raises */
	wb.a = pl_model_arena(wb.m);
	if (lua_getfield(L, 1, "tasks") != LUA_TTABLE)
		return luaL_error(L, "p.world: tasks = { {pid = 1, ...}, ... } is required");
	int tasks = lua_gettop(L);
	lua_Integer n = luaL_len(L, tasks);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, tasks, i);
		int task = lua_gettop(L);
		luaL_checktype(L, task, LUA_TTABLE);
		pl_pid pid = pid_of(&wb, task, "pid");
		struct pl_task *t = add_task(&wb, task, 0, pid, pid);
		if (lua_getfield(L, task, "threads") == LUA_TTABLE) {
			int threads = lua_gettop(L);
			lua_Integer k = luaL_len(L, threads);
			if (!plua_world_has(L, task, "num_threads"))
				t->num_threads = (int32_t)(k + 1 - leader_listed(&wb, threads, pid));
			for (lua_Integer j = 1; j <= k; j++) {
				lua_geti(L, threads, j);
				int th = lua_gettop(L);
				if (pid_of(&wb, th, "tid") == pid) {
					/* the leader as a thread: the task's own table then
					** describes the whole group, this one task/<pid>/ */
					if (!pl_model_group_view(wb.m, pid))
						return luaL_error(L, "out of memory");
					snprintf(wb.who, sizeof wb.who, "world task %d", (int)pid);
					apply(&wb, th, t);
					lua_pop(L, 1);
					continue;
				}
				struct pl_task *tt = add_task(&wb, th, task, pid, pid_of(&wb, th, "tid"));
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
	/* self: the task outside callers are shown as; default the lowest pid,
	** self = false for none */
	if (lua_getfield(L, 1, "self") == LUA_TBOOLEAN && !lua_toboolean(L, -1))
		pl_model_machine(wb.m)->self_pid = 0;
	else if (!lua_isnil(L, -1))
		pl_model_machine(wb.m)->self_pid = (int32_t)plua_world_int_at(&wb, -1, "self");
	else
		pl_model_machine(wb.m)->self_pid = lowest_pid(L, tasks);
	lua_pop(L, 1);
	char err[160];
	if (pl_model_seal(wb.m, err, sizeof err) < 0)
		return luaL_error(L, "world: %s", err);
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
	struct pl_model **m = luaL_testudata(L, idx, PLUA_WORLD_MT);
	return m ? *m : NULL;
}

static struct pl_model *check_world(lua_State *L, int idx)
{
	struct pl_model **m = luaL_checkudata(L, idx, PLUA_WORLD_MT);
	return *m;
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
		rc = pl_builtin_format(src, tgid, tid, gen, permitted, &out);
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
