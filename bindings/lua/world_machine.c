/*
** machine = { ... } of a world: the top-level files.  Each may be given as
** the kernel's text (meminfo = [[...]]) or by its few numbers; what is left
** out takes the values of a small idle machine.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "record/machine.h"
#include "plua.h"
#include "world_build.h"

static const char *const machine_keys[] = {
	"cpus", "uptime", "idle", "loadavg", "running", "mem_total_kb", "mem_free_kb", "meminfo",
	"stat", "ctxt", "btime", "processes", "cpuinfo", "filesystems", "osrelease", "ostype",
	"hostname", "version", "pid_max", "last_pid", NULL
};

/* A key no field reads is a mistake (mem_total = ..., cpu = 4). */
static void check_keys(struct world_build *wb, int idx)
{
	lua_State *L = wb->L;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "world machine: keys are names, not %s", luaL_typename(L, -1));
		const char *k = lua_tostring(L, -1);
		int known = 0;
		struct plua_near near;
		plua_near_init(&near, k);
		for (int i = 0; machine_keys[i] && !known; i++) {
			known = strcmp(machine_keys[i], k) == 0;
			plua_near_try(&near, machine_keys[i]);
		}
		if (!known) {
			char hint[96];
			luaL_error(L, "world machine: unknown field '%s'%s", k,
			           plua_near_hint(&near, hint, sizeof hint));
		}
	}
}

/* An integer field within [lo, hi]. */
static uint64_t int_in(struct world_build *wb, int idx, const char *key, uint64_t dflt,
                       int64_t lo, int64_t hi)
{
	lua_getfield(wb->L, idx, key);
	int given = !lua_isnil(wb->L, -1);
	int ok = 0;
	lua_Integer v = lua_tointegerx(wb->L, -1, &ok);
	lua_pop(wb->L, 1);
	if (!given)
		return dflt;
	if (!ok || v < lo || v > hi)
		luaL_error(wb->L, "world machine: %s must be an integer from %I to %I", key,
		           (lua_Integer)lo, (lua_Integer)hi);
	return (uint64_t)v;
}

static void machine_text(struct world_build *wb, const char *what, const char *text, size_t len,
                         pl_machine_parser parse, struct pl_machine *m)
{
	if (parse(text, len, wb->a, m) < 0)
		luaL_error(wb->L, "world machine: %s is not text the kernel would print", what);
}

/* A field given as text, or NULL to build the default. */
static const char *opt_text(struct world_build *wb, int idx, const char *key, size_t *len)
{
	const char *s = NULL;
	if (lua_getfield(wb->L, idx, key) == LUA_TSTRING)
		s = lua_tolstring(wb->L, -1, len);
	lua_pop(wb->L, 1);
	return s;
}

/* Seconds as a number ("1234.56" or 1234.56) into hundredths. */
static uint64_t hundredths(struct world_build *wb, int idx, const char *key, uint64_t dflt)
{
	lua_getfield(wb->L, idx, key);
	uint64_t v = dflt;
	if (!lua_isnil(wb->L, -1)) {
		int ok;
		lua_Number x = lua_tonumberx(wb->L, -1, &ok);
		/* NaN fails both comparisons; 1e12 s is 30,000 years */
		if (!ok || !(x >= 0 && x <= 1e12))
			luaL_error(wb->L, "world machine: %s must be a number of seconds from 0 to 1e12",
			           key);
		v = (uint64_t)(x * 100 + 0.5);
	}
	lua_pop(wb->L, 1);
	return v;
}

void plua_world_read_machine(struct world_build *wb, int idx, struct pl_machine *m)
{
	lua_State *L = wb->L;
	char buf[4096];
	size_t len;
	const char *text;
	check_keys(wb, idx);
	uint32_t ncpu = (uint32_t)int_in(wb, idx, "cpus", 1, 1, 4096);

	if ((text = opt_text(wb, idx, "uptime", &len)) && strchr(text, ' ')) {
		machine_text(wb, "uptime", text, len, pl_parse_uptime, m);
	} else {
		m->uptime_cs = hundredths(wb, idx, "uptime", 100000);
		m->idle_cs = hundredths(wb, idx, "idle", m->uptime_cs * ncpu * 9 / 10);
	}
	if ((text = opt_text(wb, idx, "loadavg", &len))) {
		machine_text(wb, "loadavg", text, len, pl_parse_loadavg, m);
	} else {
		int type = lua_getfield(L, idx, "loadavg");
		if (type != LUA_TNIL && (type != LUA_TTABLE || luaL_len(L, -1) != 3))
			luaL_error(L, "world machine: loadavg must be three numbers or the kernel's text");
		for (int i = 0; type == LUA_TTABLE && i < 3; i++) {
			lua_geti(L, -1, i + 1);
			int ok;
			lua_Number x = lua_tonumberx(L, -1, &ok);
			if (!ok || !(x >= 0 && x <= 1e9))
				luaL_error(L, "world machine: loadavg[%d] must be a number from 0 to 1e9",
				           i + 1);
			m->load_x100[i] = (uint64_t)(x * 100 + 0.5);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		m->nr_running = (uint32_t)int_in(wb, idx, "running", 1, 0, UINT32_MAX);
	}
	/* 2^50 kB: an exabyte, and far from overflowing the sums below */
	uint64_t total_kb = int_in(wb, idx, "mem_total_kb", 2097152, 1, 1ll << 50);
	if (!(text = opt_text(wb, idx, "meminfo", &len))) {
		uint64_t free_kb = int_in(wb, idx, "mem_free_kb", total_kb / 2, 0, (int64_t)total_kb);
		len = (size_t)snprintf(buf, sizeof buf,
			"MemTotal:       %8llu kB\nMemFree:        %8llu kB\nMemAvailable:   %8llu kB\n"
			"Buffers:        %8llu kB\nCached:         %8llu kB\nSwapCached:            0 kB\n"
			"Active:         %8llu kB\nInactive:       %8llu kB\nShmem:          %8llu kB\n"
			"SReclaimable:   %8llu kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n",
			(unsigned long long)total_kb, (unsigned long long)free_kb,
			(unsigned long long)(free_kb + total_kb / 8), (unsigned long long)(total_kb / 64),
			(unsigned long long)(total_kb / 8), (unsigned long long)(total_kb / 4),
			(unsigned long long)(total_kb / 8), (unsigned long long)(total_kb / 256),
			(unsigned long long)(total_kb / 64));
		text = buf;
	}
	machine_text(wb, "meminfo", text, len, pl_parse_meminfo, m);
	if ((text = opt_text(wb, idx, "stat", &len))) {
		machine_text(wb, "stat", text, len, pl_parse_machine_stat, m);
	} else {
		/* idle machine: the cpu lines share the uptime, mostly idle */
		struct pl_buf b = PL_BUF_INIT;
		uint64_t ticks = m->uptime_cs; /* USER_HZ 100: hundredths are ticks */
		pl_buf_printf(&b, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n", (unsigned long long)(ticks * ncpu / 20),
		              (unsigned long long)(ticks * ncpu / 20), (unsigned long long)(ticks * ncpu * 9 / 10));
		for (uint32_t i = 0; i < ncpu; i++)
			pl_buf_printf(&b, "cpu%u %llu 0 %llu %llu 0 0 0 0 0 0\n", i, (unsigned long long)(ticks / 20),
			              (unsigned long long)(ticks / 20), (unsigned long long)(ticks * 9 / 10));
		pl_buf_printf(&b, "intr 0\nctxt %llu\nbtime %llu\nprocesses %llu\nprocs_running %u\n"
		              "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		              (unsigned long long)int_in(wb, idx, "ctxt", 100000, 0, INT64_MAX),
		              (unsigned long long)int_in(wb, idx, "btime", 1700000000, 0, INT64_MAX),
		              (unsigned long long)int_in(wb, idx, "processes", 1000, 0, INT64_MAX),
		              (unsigned)int_in(wb, idx, "running", 1, 0, UINT32_MAX));
		if (pl_buf_status(&b) == 0)
			machine_text(wb, "stat", b.data, b.len, pl_parse_machine_stat, m);
		pl_buf_free(&b);
	}
	if ((text = opt_text(wb, idx, "cpuinfo", &len))) {
		machine_text(wb, "cpuinfo", text, len, pl_parse_cpuinfo, m);
	} else {
		struct pl_buf b = PL_BUF_INIT;
		for (uint32_t i = 0; i < ncpu; i++)
			pl_buf_printf(&b, "processor\t: %u\nvendor_id\t: ProcluaVirtual\ncpu family\t: 6\n"
			              "model\t\t: 1\nmodel name\t: proclua virtual CPU\nstepping\t: 1\n"
			              "cpu MHz\t\t: 2000.000\ncache size\t: 1024 KB\nphysical id\t: 0\n"
			              "siblings\t: %u\ncore id\t\t: %u\ncpu cores\t: %u\nfpu\t\t: yes\n"
			              "flags\t\t: fpu tsc\nbogomips\t: 4000.00\n"
			              "address sizes\t: 48 bits physical, 48 bits virtual\npower management:\n\n",
			              i, ncpu, i, ncpu);
		if (pl_buf_status(&b) == 0)
			machine_text(wb, "cpuinfo", b.data, b.len, pl_parse_cpuinfo, m);
		pl_buf_free(&b);
	}
	static const char default_fs[] = "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevpts\n"
	                                 "nodev\tcgroup2\nnodev\toverlay\n\text4\n";
	if (!(text = opt_text(wb, idx, "filesystems", &len))) {
		text = default_fs;
		len = sizeof default_fs - 1;
	}
	machine_text(wb, "filesystems", text, len, pl_parse_filesystems, m);
	const char *osrelease = opt_text(wb, idx, "osrelease", &len);
	m->osrelease = pl_arena_strdup(wb->a, osrelease ? osrelease : "6.1.0-proclua");
	const char *ostype = opt_text(wb, idx, "ostype", &len);
	m->ostype = pl_arena_strdup(wb->a, ostype ? ostype : "Linux");
	const char *hostname = opt_text(wb, idx, "hostname", &len);
	m->hostname = pl_arena_strdup(wb->a, hostname ? hostname : "world");
	const char *version = opt_text(wb, idx, "version", &len);
	if (!version) {
		snprintf(buf, sizeof buf, "Linux version %s (proclua@world) (gcc) #1 SMP PREEMPT_DYNAMIC",
		         m->osrelease);
		version = buf;
	}
	m->version = pl_arena_strdup(wb->a, version);
	/* the kernel's bounds: above the reserved pids, up to PID_MAX_LIMIT */
	m->pid_max = (uint32_t)int_in(wb, idx, "pid_max", 4194304, 301, 4194304);
	m->last_pid = (int32_t)int_in(wb, idx, "last_pid", 0, 0, (int64_t)m->pid_max - 1);
}
