/*
** Task facts <-> Lua tables.  One descriptor table names every scalar fact
** of struct pl_task; reading a world's task and writing a captured one both
** walk it, so the two can never disagree about a field's name or type.
** List facts (maps, mounts, limits, cgroups, id maps) travel as the kernel's
** own text and go through the core's parsers, so a world can paste a file
** it saw and a capture can print what it read.
*/
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "plua_facts.h"

enum ftype { F_U64, F_I64, F_U32, F_I32, F_STR, F_COMM, F_CHAR };

struct field {
	const char *name;
	size_t off;
	uint8_t type;
};

#define T(f) offsetof(struct pl_task, f)
#define U64(n, f) { n, T(f), F_U64 }
#define I64(n, f) { n, T(f), F_I64 }
#define U32(n, f) { n, T(f), F_U32 }
#define I32(n, f) { n, T(f), F_I32 }
#define STR(n, f) { n, T(f), F_STR }

static const struct field fields[] = {
	{ "comm", T(comm), F_COMM }, { "state", T(state), F_CHAR },
	I32("ppid", ppid), I32("pgrp", pgrp), I32("session", session), I32("tpgid", tpgid),
	I32("tty_nr", tty_nr), U32("flags", flags),
	U64("minflt", minflt), U64("cminflt", cminflt), U64("majflt", majflt), U64("cmajflt", cmajflt),
	U64("utime", utime), U64("stime", stime), I64("cutime", cutime), I64("cstime", cstime),
	I32("priority", priority), I32("nice", nice), I32("num_threads", num_threads),
	U64("starttime", starttime), U64("vsize", vsize), U64("rsslim", rsslim),
	U64("kstkesp", kstkesp), U64("kstkeip", kstkeip),
	U64("sig_pending", sig_pending), U64("sig_blocked", sig_blocked),
	U64("sig_ignored", sig_ignored), U64("sig_caught", sig_caught),
	U64("wchan_flag", wchan_flag), I32("exit_signal", exit_signal), I32("processor", processor),
	U32("rt_priority", rt_priority), U32("policy", policy), U64("blkio_ticks", blkio_ticks),
	U64("guest_time", guest_time), I64("cguest_time", cguest_time), I32("exit_code", exit_code),
	/* mm */
	U64("total_vm", mm.total_vm), U64("hiwater_vm", mm.hiwater_vm), U64("locked_vm", mm.locked_vm),
	U64("pinned_vm", mm.pinned_vm), U64("hiwater_rss", mm.hiwater_rss), U64("rss", mm.rss),
	U64("rss_anon", mm.rss_anon), U64("rss_file", mm.rss_file), U64("rss_shmem", mm.rss_shmem),
	U64("data_vm", mm.data_vm), U64("stack_vm", mm.stack_vm), U64("exec_vm", mm.exec_vm),
	U64("vm_exe_kb", mm.vm_exe_kb), U64("vm_lib_kb", mm.vm_lib_kb), U64("pte_kb", mm.pte_kb),
	U64("swap", mm.swap), U64("hugetlb_kb", mm.hugetlb_kb),
	U64("start_code", mm.start_code), U64("end_code", mm.end_code), U64("start_stack", mm.start_stack),
	U64("start_data", mm.start_data), U64("end_data", mm.end_data), U64("start_brk", mm.start_brk),
	U64("arg_start", mm.arg_start), U64("arg_end", mm.arg_end),
	U64("env_start", mm.env_start), U64("env_end", mm.env_end),
	/* status */
	I32("umask", umask), I32("ngid", ngid), I32("tracer_pid", tracer_pid), U32("fd_size", fd_size),
	I32("kthread", kthread), I32("has_mm", has_mm), I32("core_dumping", core_dumping),
	I32("thp_enabled", thp_enabled), U64("untag_mask", untag_mask),
	U32("sigq_count", sigq_count), U32("sigq_limit", sigq_limit), U64("shd_pending", shd_pending),
	I32("no_new_privs", no_new_privs), I32("seccomp_mode", seccomp_mode),
	I32("seccomp_filters", seccomp_filters),
	STR("spec_store_bypass", spec_store_bypass), STR("spec_indirect_branch", spec_indirect_branch),
	U64("nvcsw", nvcsw), U64("nivcsw", nivcsw), STR("arch_lines", arch_lines),
	U64("cap_inh", cred.cap_inh), U64("cap_prm", cred.cap_prm), U64("cap_eff", cred.cap_eff),
	U64("cap_bnd", cred.cap_bnd), U64("cap_amb", cred.cap_amb),
	/* io */
	U64("rchar", io_rchar), U64("wchar", io_wchar), U64("syscr", io_syscr), U64("syscw", io_syscw),
	U64("read_bytes", io_read_bytes), U64("write_bytes", io_write_bytes),
	U64("cancelled_write_bytes", io_cancelled_write_bytes),
	/* oom, wchan, links, owner */
	U32("oom_score", oom_score), I32("oom_score_adj", oom_score_adj),
	U32("coredump_filter", coredump_filter), STR("wchan", wchan),
	STR("exe", exe), STR("cwd", cwd), STR("root", root),
	I32("dumpable", dumpable), I32("setgroups_allowed", setgroups_allowed),
	{ NULL, 0, 0 }
};

static void *at(struct pl_task *t, const struct field *f)
{
	return (char *)t + f->off;
}

/* Integers may be written as Lua integers or as strings ("0x1f", "077"),
** which is how 64-bit masks above 2^63 survive. */
static int to_u64(lua_State *L, int idx, uint64_t *out)
{
	if (lua_isinteger(L, idx)) {
		*out = (uint64_t)lua_tointeger(L, idx);
		return 1;
	}
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tostring(L, idx);
		char *end;
		int neg = s[0] == '-';
		errno = 0;
		uint64_t v = strtoull(neg ? s + 1 : s, &end, 0);
		if (*end || end == s || errno)
			return 0;
		*out = neg ? (uint64_t)0 - v : v;
		return 1;
	}
	return 0;
}

static int set_field(lua_State *L, int idx, struct pl_task *t, const struct field *f,
                     struct pl_arena *a, const char *who)
{
	uint64_t v = 0;
	switch (f->type) {
	case F_STR: {
		const char *s = lua_tostring(L, idx);
		if (lua_type(L, idx) != LUA_TSTRING)
			return luaL_error(L, "%s: field '%s' must be a string", who, f->name);
		*(const char **)at(t, f) = pl_arena_strdup(a, s);
		return 0;
	}
	case F_COMM: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		if (lua_type(L, idx) != LUA_TSTRING)
			return luaL_error(L, "%s: field 'comm' must be a string", who);
		memset(t->comm, 0, sizeof t->comm);
		memcpy(t->comm, s, len < PL_COMM_MAX ? len : PL_COMM_MAX);
		return 0;
	}
	case F_CHAR: {
		const char *s = lua_tostring(L, idx);
		if (lua_type(L, idx) != LUA_TSTRING || strlen(s) != 1 || !strchr("RSDTtXZPIWKx", s[0]))
			return luaL_error(L, "%s: field '%s' must be one state letter (R S D T t X Z P I)",
			                  who, f->name);
		t->state = s[0];
		return 0;
	}
	default:
		if (!to_u64(L, idx, &v))
			return luaL_error(L, "%s: field '%s' must be an integer", who, f->name);
	}
	switch (f->type) {
	case F_U64: case F_I64: *(uint64_t *)at(t, f) = v; break;
	case F_U32: case F_I32: *(uint32_t *)at(t, f) = (uint32_t)v; break;
	}
	return 0;
}

int plua_facts_scalar(lua_State *L, int idx, const char *key, struct pl_task *t,
                      struct pl_arena *a, const char *who)
{
	for (const struct field *f = fields; f->name; f++)
		if (strcmp(f->name, key) == 0) {
			set_field(L, idx, t, f, a, who);
			return 1;
		}
	return 0;
}

/* A capture writes every scalar fact, numbers in the form that reads back. */
void plua_facts_push(lua_State *L, const struct pl_task *t)
{
	for (const struct field *f = fields; f->name; f++) {
		const void *p = (const char *)t + f->off;
		switch (f->type) {
		case F_STR: {
			const char *s = *(const char *const *)p;
			if (!s)
				continue;
			lua_pushstring(L, s);
			break;
		}
		case F_COMM: lua_pushstring(L, t->comm); break;
		case F_CHAR: lua_pushlstring(L, &t->state, 1); break;
		case F_U64: {
			uint64_t v = *(const uint64_t *)p;
			if (v > (uint64_t)INT64_MAX) { /* beyond a Lua integer: hex text */
				char hex[24];
				snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)v);
				lua_pushstring(L, hex);
			} else {
				lua_pushinteger(L, (lua_Integer)v);
			}
			break;
		}
		case F_I64: lua_pushinteger(L, (lua_Integer) * (const int64_t *)p); break;
		case F_U32: lua_pushinteger(L, (lua_Integer) * (const uint32_t *)p); break;
		case F_I32: lua_pushinteger(L, (lua_Integer) * (const int32_t *)p); break;
		}
		lua_setfield(L, -2, f->name);
	}
}
