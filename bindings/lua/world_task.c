/*
** One task record of a world.  A task is a table of facts named as the
** kernel names them (the table in facts.c); everything left out gets the
** default a freshly exec'd process would show, so { pid = 1, argv =
** {"init"} } is a whole task.  Threads inherit their leader's facts and
** override what they list.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
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
	t->loginuid = t->sessionid = UINT32_MAX; /* never set by a login: AUDIT_*_UNSET */
	t->cpuset = "/";
	for (int i = 0; i < PL_ATTR_COUNT; i++) /* no security module answers */
		t->attr[i] = (struct pl_lsm_attr){ NULL, 0, EINVAL };
	t->stack = "";
}

static int cmp_fd(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* fds = { { fd = 0, target = "/dev/null", mode = "r", pos =, flags =, mnt_id =, ino = }, ... }
** (mnt_id = false, ino = false: fdinfo without that line, as before 3.15 and 5.14) */
static void read_fds(struct world_build *wb, int idx, struct pl_task *t)
{
	lua_State *L = wb->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	/* Linux's NR_OPEN: no process can hold more */
	size_t n = plua_list_len(L, idx, 1u << 20, wb->who, "fds");
	struct pl_fd *fds = pl_arena_alloc(wb->a, (n ? n : 1) * sizeof *fds);
	struct pl_model_fdinfo *fi = pl_arena_alloc(wb->a, (n ? n : 1) * sizeof *fi);
	if (!fds || !fi)
		luaL_error(L, "%s: out of memory", wb->who);
	for (size_t i = 0; i < n; i++) {
		lua_geti(L, idx, (lua_Integer)i + 1);
		int e = lua_gettop(L);
		luaL_checktype(L, e, LUA_TTABLE);
		int64_t fd = (int64_t)plua_world_int_field(wb, e, "fd", i);
		if (fd < 0 || fd >= (1 << 20)) /* NR_OPEN */
			luaL_error(L, "%s: fd %I is not 0 .. 1048575", wb->who, (lua_Integer)fd);
		fds[i].fd = (int32_t)fd;
		lua_getfield(L, e, "target");
		fds[i].target = pl_arena_strdup(wb->a, luaL_optstring(L, -1, "/dev/null"));
		fds[i].err = 0;
		lua_getfield(L, e, "mode");
		const char *mode = luaL_optstring(L, -1, "r");
		fds[i].f_mode = (strchr(mode, 'r') ? 1u : 0u) | (strchr(mode, 'w') ? 2u : 0u);
		uint32_t acc = fds[i].f_mode == 3 ? 2 : fds[i].f_mode == 2 ? 1 : 0; /* O_RDWR, O_WRONLY */
		fi[i].fd = fds[i].fd;
		fi[i].info.pos = plua_world_int_field(wb, e, "pos", 0);
		fi[i].info.flags = (uint32_t)plua_world_int_field(wb, e, "flags", 0100000 | acc); /* O_LARGEFILE */
		/* mnt_id = false, ino = false: an older kernel's fdinfo without the line */
		fi[i].info.no_mnt_id = lua_getfield(L, e, "mnt_id") == LUA_TBOOLEAN && !lua_toboolean(L, -1);
		fi[i].info.no_ino = lua_getfield(L, e, "ino") == LUA_TBOOLEAN && !lua_toboolean(L, -1);
		lua_pop(L, 2);
		if (!fi[i].info.no_mnt_id)
			fi[i].info.mnt_id = (uint32_t)plua_world_int_field(wb, e, "mnt_id", 1);
		if (!fi[i].info.no_ino)
			fi[i].info.ino = plua_world_int_field(wb, e, "ino", 0);
		lua_getfield(L, e, "extra");
		fi[i].info.extra = pl_arena_strdup(wb->a, luaL_optstring(L, -1, ""));
		lua_pop(L, 4);
	}
	/* an fd is one open file: a number names at most one */
	int32_t *seen = malloc((n ? n : 1) * sizeof *seen);
	if (!seen)
		luaL_error(L, "%s: out of memory", wb->who);
	for (size_t i = 0; i < n; i++)
		seen[i] = fds[i].fd;
	qsort(seen, n, sizeof *seen, cmp_fd);
	for (size_t i = 1; i < n; i++)
		if (seen[i - 1] == seen[i]) {
			int fd = seen[i];
			free(seen);
			luaL_error(L, "%s: fd %d declared twice", wb->who, fd);
		}
	free(seen);
	t->fds = fds;
	t->nfds = n;
	pl_model_set_fdinfo(wb->m, t->tid, fi, n);
}

/* Keys that shape the world rather than name a fact. */
static const char *const structural_keys[] = { "pid", "tid", "threads", "argv", "env", "mem",
                                               "unmap", "zombie", "cpus", "fds", NULL };

static int structural(const char *k)
{
	const char *const *keys = structural_keys;
	for (int i = 0; strcmp(keys[i], "fds"); i++)
		if (strcmp(keys[i], k) == 0)
			return 1;
	return 0;
}

static void unknown_key(struct world_build *wb, const char *k)
{
	struct plua_near near;
	char hint[96];
	plua_near_init(&near, k);
	for (int i = 0; structural_keys[i]; i++)
		plua_near_try(&near, structural_keys[i]);
	for (size_t i = 0; i < plua_nfacts; i++)
		if (plua_facts[i].set || plua_facts[i].type != PLUA_LIST)
			plua_near_try(&near, plua_facts[i].name);
	luaL_error(wb->L, "%s: unknown task field '%s'%s", wb->who, k,
	           plua_near_hint(&near, hint, sizeof hint));
}

/* A key the world loader reads itself must have its type, or a mistake
** (argv = "x", zombie = "yes") would be dropped without a word. */
static void check_structural(struct world_build *wb, const char *k, int v)
{
	int want = !strcmp(k, "zombie") ? LUA_TBOOLEAN
	         : (!strcmp(k, "pid") || !strcmp(k, "tid") || !strcmp(k, "cpus")) ? LUA_TNUMBER
	         : LUA_TTABLE;
	if (lua_type(wb->L, v) != want)
		luaL_error(wb->L, "%s: field '%s' must be %s (got a %s)", wb->who, k,
		           want == LUA_TBOOLEAN ? "true or false" : want == LUA_TNUMBER ? "an integer"
		                                                                     : "a table",
		           luaL_typename(wb->L, v));
}

/* One key of a task table: a fact of the table in facts.c, or a key the
** world loader places itself. */
static void apply_key(struct world_build *wb, const char *k, int v, struct pl_task *t)
{
	const struct plua_fact *f;
	struct plua_fact_ctx fc = { wb->L, wb->a, wb->who };
	if (structural(k)) {
		check_structural(wb, k, v);
		return;
	}
	if (!strcmp(k, "fds"))
		read_fds(wb, v, t);
	else if ((f = plua_fact_find(k)) && (f->set || f->type != PLUA_LIST))
		plua_fact_set(&fc, f, v, t);
	else
		unknown_key(wb, k);
}

/* Apply every key of the task table at idx to t: uid and gid first, since
** they set all four ids and euid, suid, ... then override one. */
void plua_world_apply(struct world_build *wb, int idx, struct pl_task *t)
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
	pl_parse_projid_map(default_idmap, sizeof default_idmap - 1, wb->a, d);
	plua_world_default_regions(wb, d);
	for (int i = 0; i < 3; i++)
		fi[i] = (struct pl_model_fdinfo){ i, { 0, i ? 0100001u : 0100000u, 1, 4, "", 0, 0 } };
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
	if (!plua_world_has(L, idx, "projid_map"))
		t->projid_map = d->projid_map, t->nprojid_map = d->nprojid_map;
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
		static const struct pl_fd std[3] = { { 0, 1, "/dev/null", 0 }, { 1, 2, "/dev/null", 0 },
		                                     { 2, 2, "/dev/null", 0 } };
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

/* The facts the scheduler and ptrace show, from the others, where neither
** the task's table nor (for a thread) its leader's says: run time from the
** cpu times (USER_HZ ticks of 10 ms), a run for each switch, no timer
** slack for a realtime or deadline task (6.x) (the debug file sched, not
** declared, is made from these at each read); the syscall "running" on a cpu, for a kernel thread its zeroed registers
** (nr 0), for another task none it is inside (-1). */
static void derive_sched_facts(struct world_build *wb, int task, int leader, struct pl_task *t)
{
	lua_State *L = wb->L;
#define HAS(key) (plua_world_has(L, task, key) || (leader && plua_world_has(L, leader, key)))
	if (!HAS("sum_exec_runtime"))
		t->sched_runtime = (t->utime + t->stime) * 10000000ull;
	if (!HAS("pcount"))
		t->sched_pcount = t->nvcsw + t->nivcsw;
	if (!HAS("timerslack_ns"))
		t->timerslack_ns = t->policy == 1 || t->policy == 2 || t->policy == 6 ? 0 : 50000;
	if (!HAS("syscall")) {
		t->syscall_running = t->state == 'R';
		t->syscall_nr = t->kthread || (t->flags & 0x00200000u) ? 0 : -1; /* PF_KTHREAD */
	}
#undef HAS
}

/* KSM's counts are the mm's: a task without one (a kernel thread, a
** zombie) reads ksm_stat empty.  The profit, where not declared, as Linux
** 6.18 reckons it (ksm_process_profit, mm/ksm.c): the pages merged or
** mapped to the zero page, less a 64-byte ksm_rmap_item for each page
** KSM scanned. */
static void derive_ksm_facts(struct world_build *wb, int task, int leader, struct pl_task *t)
{
	lua_State *L = wb->L;
	t->ksm_mm = t->has_mm && !t->kthread && t->state != 'Z' && t->state != 'X';
	if (!plua_world_has(L, task, "ksm_process_profit") &&
	    !(leader && plua_world_has(L, leader, "ksm_process_profit")))
		t->ksm_process_profit = (int64_t)((t->ksm_merging_pages + (uint64_t)t->ksm_zero_pages) * 4096 -
		                                  t->ksm_rmap_items * 64);
}

/* arch_status: a task declaring avx512_elapsed_ms has the line (a cpu with
** AVX512F), but a kernel thread, which has no AVX-512 state to show. */
static void derive_arch_facts(struct pl_task *t)
{
	if (t->kthread || (t->flags & 0x00200000u)) /* PF_KTHREAD */
		t->arch_avx512 = 0;
}

/* Build one record: defaults, then (for a thread) its leader's facts, then its own. */
struct pl_task *plua_world_add_task(struct world_build *wb, int task, int leader, pl_pid tgid,
                                    pl_pid tid)
{
	lua_State *L = wb->L;
	snprintf(wb->who, sizeof wb->who, "world task %d", (int)tid);
	struct pl_task *t = pl_model_add(wb->m, tgid, tid);
	if (!t)
		luaL_error(L, "%s: out of memory", wb->who);
	defaults(t, tgid, tid);
	if (leader)
		plua_world_apply(wb, leader, t);
	plua_world_apply(wb, task, t);
	if (leader && !plua_world_has(L, task, "exit_signal"))
		t->exit_signal = -1;
	derive(wb, leader ? leader : task, t);
	derive_sched_facts(wb, task, leader, t);
	derive_ksm_facts(wb, task, leader, t);
	derive_arch_facts(t);
	if (!leader)
		plua_world_place_memory(wb, task, t);
	return t;
}
