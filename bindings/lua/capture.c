/*
** proclua capture [--proc DIR [--fill]] PID... : write a world that
** reproduces live processes (or a saved /proc tree, capture_saved.c) as
** Lua on stdout.
**
** Facts of live processes are loaded through the host source, the same
** parsers the mount uses; list facts are written back as the kernel's text
** via the core's formatters, and memory as the bytes of the argv and
** environment areas.  Mounting the result serves the captured files byte
** for byte.
**
** Exit status: 0 when every pid was captured (and, for a saved tree, every
** saved file is served as saved: files the tree lacks are reported and
** absent, not errors); 1 when a pid could not be captured at all (the
** others are still written); 3 when every pid was, but a saved file could
** not be parsed or would not be served as saved (each reported with its
** path and line); 2 for a usage error.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "format/format.h"
#include "format/net.h"
#include "capture.h"
#include "plua.h"
#include "plua_facts.h"

/* Lua text for a value: the serializer is Lua's own %q. */
static const char serializer[] =
	"local function key(k) return k:match('^[%a_][%w_]*$') and k or ('[%q]'):format(k) end\n"
	"local function ser(v, ind)\n"
	"  if type(v) ~= 'table' then return (type(v) == 'string') and ('%q'):format(v):gsub('\\\\\\n', '\\\\n') or tostring(v) end\n"
	"  local flat = #v > 0 and next(v, #v) == nil\n"
	"  for i = 1, #v do flat = flat and type(v[i]) ~= 'table' end\n"
	"  if flat then local s = {} for i = 1, #v do s[i] = ser(v[i], ind) end return '{' .. table.concat(s, ', ') .. '}' end\n"
	"  local out, keys = {'{\\n'}, {}\n"
	"  for k in pairs(v) do if type(k) == 'string' then keys[#keys + 1] = k end end\n"
	"  table.sort(keys)\n"
	"  for i = 1, #v do out[#out + 1] = ind .. '  ' .. ser(v[i], ind .. '  ') .. ',\\n' end\n"
	"  local ints = {}\n"
	"  for k in pairs(v) do if math.type(k) == 'integer' and (k < 1 or k > #v) then ints[#ints + 1] = k end end\n"
	"  table.sort(ints)\n"
	"  for _, k in ipairs(ints) do out[#out + 1] = ind .. '  [' .. k .. '] = ' .. ser(v[k], ind .. '  ') .. ',\\n' end\n"
	"  for _, k in ipairs(keys) do out[#out + 1] = ind .. '  ' .. key(k) .. ' = ' .. ser(v[k], ind .. '  ') .. ',\\n' end\n"
	"  return table.concat(out) .. ind .. '}'\n"
	"end\n"
	"return ser\n";

void plua_capture_drop_defaults(lua_State *L, const struct pl_task *t)
{
	static const char *const keys[] = { "stat_fields", "status_lines", "absent", "pmd_kb", "attr" };
	int no_lsm = 1; /* every attr/ file answers as a kernel without a module */
	for (int i = 0; i < PL_ATTR_COUNT; i++)
		no_lsm &= t->attr[i].err == EINVAL;
	int drop[] = {
		!t->stat_fields || t->stat_fields == 52,
		!t->status_lines || t->status_lines == pl_status_lines_default(t),
		!t->absent,
		!t->mm.pmd_kb,
		no_lsm,
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (drop[i]) {
			lua_pushnil(L);
			lua_setfield(L, -2, keys[i]);
		}
}

static const uint64_t SCALARS =
	PL_F_STAT | PL_F_STATUS | PL_F_IO | PL_F_OOM | PL_F_WCHAN | PL_F_LINKS |
	PL_F_OWNER | PL_F_NS | PL_F_AUXV | PL_F_IDMAP | PL_F_LIMITS | PL_F_CGROUP |
	PL_F_AUDIT | PL_F_PERSONALITY | PL_F_TIMERSLACK | PL_F_SCHEDSTAT |
	PL_F_AUTOGROUP | PL_F_CPUSET | PL_F_ATTR | PL_F_STACK | PL_F_SYSCALL | PL_F_SCHED | PL_F_KSM |
	PL_F_ARCH | PL_F_TIMERS;

static int push_task(lua_State *L, struct pl_source *src, pl_pid tgid, pl_pid tid)
{
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_task *t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	/* group by group: a zombie's kernel refuses some (auxv), answers the rest */
	int rc = src->ops->load(src, tgid, tid, PL_F_STAT | PL_F_STATUS | PL_F_OWNER, &a, t);
	for (int i = 0; rc == 0 && i < 64; i++) {
		uint64_t bit = (uint64_t)1 << i;
		if ((SCALARS & bit) && src->ops->load(src, tgid, tid, bit, &a, t) == -ESRCH &&
		    src->ops->task_exists(src, tgid, tid ? tid : tgid) < 0)
			rc = -ESRCH;
	}
	if (rc < 0) {
		free(t);
		pl_arena_free(&a);
		return rc;
	}
	lua_newtable(L);
	plua_facts_push(L, t, SCALARS);
	plua_capture_drop_defaults(L, t);
	lua_pushinteger(L, tid ? tid : tgid);
	lua_setfield(L, -2, tid ? "tid" : "pid");
	/* Groups of facts a zombie's kernel refuses: take each where it answers. */
	static const uint64_t lists[] = { PL_F_SMAPS, PL_F_ROLLUP, PL_F_MOUNTS };
	struct pl_task *u = calloc(1, sizeof *u);
	for (size_t i = 0; u && i < sizeof lists / sizeof lists[0]; i++) {
		memset(u, 0, sizeof *u);
		if (src->ops->load(src, tgid, tid, lists[i], &a, u) == 0)
			plua_facts_push(L, u, lists[i]);
	}
	free(u);
	free(t);
	pl_arena_free(&a);
	return 0;
}

/* The fds, their link targets and fdinfo. */
static void push_fds(lua_State *L, struct pl_source *src, pl_pid tgid)
{
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_task *t = calloc(1, sizeof *t);
	if (t && src->ops->load(src, tgid, 0, PL_F_FDS, &a, t) == 0) {
		lua_createtable(L, (int)t->nfds, 0);
		for (size_t i = 0; i < t->nfds; i++) {
			struct pl_fdinfo fi;
			memset(&fi, 0, sizeof fi);
			lua_createtable(L, 0, 8);
			lua_pushinteger(L, t->fds[i].fd);
			lua_setfield(L, -2, "fd");
			lua_pushstring(L, t->fds[i].target);
			lua_setfield(L, -2, "target");
			lua_pushstring(L, t->fds[i].f_mode == 3 ? "rw" : t->fds[i].f_mode == 2 ? "w" : "r");
			lua_setfield(L, -2, "mode");
			if (src->ops->load_fdinfo(src, tgid, 0, t->fds[i].fd, &a, &fi) == 0) {
				lua_pushinteger(L, (lua_Integer)fi.pos);
				lua_setfield(L, -2, "pos");
				lua_pushinteger(L, fi.flags);
				lua_setfield(L, -2, "flags");
				lua_pushinteger(L, fi.mnt_id);
				lua_setfield(L, -2, "mnt_id");
				lua_pushinteger(L, (lua_Integer)fi.ino);
				lua_setfield(L, -2, "ino");
				lua_pushstring(L, fi.extra ? fi.extra : "");
				lua_setfield(L, -2, "extra");
			}
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, "fds");
	}
	free(t);
	pl_arena_free(&a);
}

static void push_mem_range(lua_State *L, struct pl_source *src, pl_pid tgid,
                           uint64_t start, uint64_t end, int *n)
{
	if (end <= start || end - start > (64u << 20))
		return;
	size_t len = (size_t)(end - start);
	char *buf = malloc(len);
	ssize_t got = buf ? src->ops->read_mem(src, tgid, start, buf, len) : -ENOMEM;
	if (got > 0) {
		lua_createtable(L, 0, 2);
		lua_pushinteger(L, (lua_Integer)start);
		lua_setfield(L, -2, "addr");
		lua_pushlstring(L, buf, (size_t)got);
		lua_setfield(L, -2, "bytes");
		lua_rawseti(L, -2, ++*n);
	}
	free(buf);
}

/* The argv and environment areas, plus the first page from arg_start that
** a setproctitle'd cmdline reads. */
static void push_mem(lua_State *L, struct pl_source *src, pl_pid tgid)
{
	lua_getfield(L, -1, "arg_start");
	lua_getfield(L, -2, "arg_end");
	lua_getfield(L, -3, "env_start");
	lua_getfield(L, -4, "env_end");
	uint64_t as = (uint64_t)lua_tointeger(L, -4), ae = (uint64_t)lua_tointeger(L, -3);
	uint64_t es = (uint64_t)lua_tointeger(L, -2), ee = (uint64_t)lua_tointeger(L, -1);
	lua_pop(L, 4);
	int n = 0;
	lua_newtable(L);
	uint64_t page_end = as + 4096 > ae ? as + 4096 : ae;
	if (es >= as && es <= page_end) { /* one contiguous area: argv, env and the title page */
		push_mem_range(L, src, tgid, as, ee > page_end ? ee : page_end, &n);
		if (n == 0) /* the page past env is not mapped: take what is */
			push_mem_range(L, src, tgid, as, ee > ae ? ee : ae, &n);
	} else {
		push_mem_range(L, src, tgid, as, ae, &n);
		push_mem_range(L, src, tgid, es, ee, &n);
	}
	lua_setfield(L, -2, "mem");
}

static int capture_pid(lua_State *L, struct pl_source *src, pl_pid pid)
{
	int rc = push_task(L, src, pid, 0);
	if (rc < 0)
		return rc;
	lua_getfield(L, -1, "state");
	if (lua_tostring(L, -1)[0] == 'Z') {
		lua_pushboolean(L, 1);
		lua_setfield(L, -3, "zombie");
	}
	lua_pop(L, 1);
	push_fds(L, src, pid);
	push_mem(L, src, pid);
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_task th;
	memset(&th, 0, sizeof th);
	if (src->ops->load(src, pid, 0, PL_F_THREADS, &a, &th) == 0 && th.nthreads > 0) {
		lua_newtable(L);
		int k = 0;
		/* the leader too, even alone: its thread view differs from the
		** group's (a group stop's exit code, the group's io with its dead
		** threads' counters, times and faults summed over the threads) */
		for (size_t i = 0; i < th.nthreads; i++) {
			if (push_task(L, src, pid, th.threads[i]) == 0)
				lua_rawseti(L, -2, ++k);
		}
		lua_setfield(L, -2, "threads");
	}
	pl_arena_free(&a);
	return 0;
}

/* One network namespace's files as the kernel's text, from a task in it. */
static int push_netns(lua_State *L, struct pl_source *src, pl_pid pid)
{
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_buf text = PL_BUF_INIT;
	int files = 0;
	lua_newtable(L);
	for (int f = 0; f < PL_NET_COUNT && src->ops->load_net; f++) {
		struct pl_net net;
		memset(&net, 0, sizeof net);
		pl_buf_reset(&text);
		if (src->ops->load_net(src, pid, 0, f, &a, &net) < 0 ||
		    pl_fmt_net(f, &net, NULL, &text) < 0)
			continue;
		lua_pushlstring(L, text.data ? text.data : "", text.len);
		lua_setfield(L, -2, pl_net_names[f]);
		if (!files++ && (net.uid || net.gid)) {
			lua_pushinteger(L, net.uid);
			lua_setfield(L, -2, "uid");
			lua_pushinteger(L, net.gid);
			lua_setfield(L, -2, "gid");
		}
		pl_arena_reset(&a);
	}
	/* dev_snmp6 = { lo = "...", ... } */
	struct pl_net net;
	memset(&net, 0, sizeof net);
	if (files && src->ops->load_net_ifaces &&
	    src->ops->load_net_ifaces(src, pid, 0, NULL, &a, &net) == 0) {
		lua_newtable(L);
		for (size_t i = 0; i < net.nifaces; i++) {
			pl_buf_reset(&text);
			if (pl_fmt_dev_snmp6(&net.ifaces[i], &text) == 0) {
				lua_pushlstring(L, text.data ? text.data : "", text.len);
				lua_setfield(L, -2, net.ifaces[i].name);
			}
		}
		lua_setfield(L, -2, "dev_snmp6");
	}
	pl_buf_free(&text);
	pl_arena_free(&a);
	if (!files)
		lua_pop(L, 1);
	return files;
}

/* net = { [ino] = { tcp = "...", ... } }: each network namespace of the
** captured tasks, once, read through its first task. */
static int push_nets(lua_State *L, struct pl_source *src, int tasks, int n)
{
	lua_newtable(L);
	int nets = lua_gettop(L), any = 0;
	for (int i = 1; i <= n; i++) {
		lua_geti(L, tasks, i);
		lua_getfield(L, -1, "pid");
		pl_pid pid = (pl_pid)lua_tointeger(L, -1);
		lua_Integer ino = 0;
		if (lua_getfield(L, -2, "ns") == LUA_TTABLE && lua_getfield(L, -1, "net") == LUA_TNUMBER)
			ino = lua_tointeger(L, -1);
		lua_settop(L, nets);
		if (!ino) /* a zombie has no namespace */
			continue;
		int seen = lua_geti(L, nets, ino) != LUA_TNIL;
		lua_pop(L, 1);
		if (!seen && push_netns(L, src, pid)) {
			lua_seti(L, nets, ino);
			any = 1;
		}
	}
	if (!any)
		lua_pop(L, 1);
	return any;
}

static const char usage_text[] =
	"usage: proclua capture PID... > world.lua\n"
	"       proclua capture --proc DIR [--fill] PID... > world.lua\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

static int help(void)
{
	printf("%s\n"
	       "Write a world script (Lua, on standard output) whose tasks are the given\n"
	       "processes as they are now: every fact proclua serves, their threads each\n"
	       "as its own view, so that `proclua --world world.lua MNT` shows them as\n"
	       "the kernel did.\n\n"
	       "    --proc DIR   read a saved /proc tree at DIR instead of the live one\n"
	       "                 (a support bundle, a test fixture, an older kernel's\n"
	       "                 formats); a file it lacks is absent from the task, a file\n"
	       "                 it cannot parse is reported as DIR/PID/FILE:LINE\n"
	       "    --fill       with --proc: give the missing files a world's defaults\n"
	       "                 instead of leaving them absent\n"
	       "    -h, --help   this help\n\n"
	       "Exit status: 0 when every process was captured; 1 when one could not be\n"
	       "(the others are still written); 3 when a saved file could not be parsed\n"
	       "or would not be served as saved (each reported with its path and line);\n"
	       "2 for a usage error.\n", usage_text);
	return 0;
}

int plua_capture(int argc, char **argv)
{
	const char *root = NULL;
	int fill = 0, first = 1;
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "--help") == 0 || strcmp(argv[first], "-h") == 0)
			return help();
		if (strcmp(argv[first], "--proc") == 0 && first + 1 < argc)
			root = argv[++first];
		else if (strcmp(argv[first], "--fill") == 0)
			fill = 1;
		else
			return usage();
	}
	if (first >= argc || (fill && !root))
		return usage();
	struct pl_source *src = root ? NULL : pl_host_source_new("/proc");
	struct plua_saved *saved = root ? plua_saved_open(root, fill) : NULL;
	if (!src && !saved) {
		fprintf(stderr, "proclua capture: %s: %s\n", root ? root : "/proc", strerror(errno));
		return 1;
	}
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	if (luaL_loadstring(L, serializer) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
		fprintf(stderr, "proclua capture: %s\n", lua_tostring(L, -1));
		return 1;
	}
	int ser = lua_gettop(L);
	lua_newtable(L);
	int tasks = lua_gettop(L), n = 0, status = 0;
	for (int i = first; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		int bad = *end || end == argv[i] || pid <= 0 || pid > INT32_MAX;
		int rc = bad ? -EINVAL
		         : saved ? plua_saved_capture(L, saved, (pl_pid)pid)
		                 : capture_pid(L, src, (pl_pid)pid);
		if (rc < 0) {
			if (bad || !saved) /* a saved tree's reader said why */
				fprintf(stderr, "proclua capture: %s: %s\n", argv[i], strerror(-rc));
			status = 1;
			continue;
		}
		lua_rawseti(L, tasks, ++n);
	}
	/* the tasks' network namespaces, each once (a saved tree has none) */
	int has_net = src && push_nets(L, src, tasks, n);
	if (has_net) {
		lua_pushvalue(L, ser);
		lua_insert(L, -2);
		lua_pushliteral(L, "");
		lua_call(L, 2, 1);
	} else {
		lua_pushliteral(L, "");
	}
	const char *net = lua_tostring(L, -1);
	lua_pushvalue(L, ser);
	lua_pushvalue(L, tasks);
	lua_pushliteral(L, "");
	lua_call(L, 2, 1);
	lua_pushfstring(L, "-- captured by proclua %s from %s\nlocal p = require \"proclua\"\n"
	                   "return p.world {\ntasks = %s,\n%s%s%s}\n",
	                PROCLUA_VERSION, root ? root : "/proc", lua_tostring(L, -1),
	                has_net ? "net = " : "", net, has_net ? ",\n" : "");
	size_t len;
	const char *world = lua_tolstring(L, -1, &len);
	fwrite(world, 1, len, stdout);
	if (saved) {
		plua_saved_verify(L, saved, world, len);
		if (status == 0 && plua_saved_problems(saved))
			status = 3;
		plua_saved_close(saved);
	}
	lua_close(L);
	if (src)
		src->ops->destroy(src);
	return fflush(stdout) == 0 ? status : 1;
}
