/*
** machine = { ... } of a world: the top-level files.  Each may be given as
** the kernel's text (meminfo = [[...]]) or by its few numbers; what is left
** out takes the values of a small idle machine.
*/
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "record/machine.h"
#include "world_build.h"

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
		if (!ok || x < 0)
			luaL_error(wb->L, "world machine: %s must be a number of seconds", key);
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
	uint32_t ncpu = (uint32_t)plua_world_int_field(wb, idx, "cpus", 1);
	if (ncpu < 1 || ncpu > 4096)
		luaL_error(L, "world machine: cpus must be 1 to 4096");

	if ((text = opt_text(wb, idx, "uptime", &len)) && strchr(text, ' ')) {
		machine_text(wb, "uptime", text, len, pl_parse_uptime, m);
	} else {
		m->uptime_cs = hundredths(wb, idx, "uptime", 100000);
		m->idle_cs = hundredths(wb, idx, "idle", m->uptime_cs * ncpu * 9 / 10);
	}
	if ((text = opt_text(wb, idx, "loadavg", &len))) {
		machine_text(wb, "loadavg", text, len, pl_parse_loadavg, m);
	} else {
		if (lua_getfield(L, idx, "loadavg") == LUA_TTABLE)
			for (int i = 0; i < 3; i++) {
				lua_geti(L, -1, i + 1);
				m->load_x100[i] = (uint64_t)(lua_tonumber(L, -1) * 100 + 0.5);
				lua_pop(L, 1);
			}
		lua_pop(L, 1);
		m->nr_running = (uint32_t)plua_world_int_field(wb, idx, "running", 1);
	}
	uint64_t total_kb = plua_world_int_field(wb, idx, "mem_total_kb", 2097152);
	if (!(text = opt_text(wb, idx, "meminfo", &len))) {
		uint64_t free_kb = plua_world_int_field(wb, idx, "mem_free_kb", total_kb / 2);
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
		              (unsigned long long)plua_world_int_field(wb, idx, "ctxt", 100000),
		              (unsigned long long)plua_world_int_field(wb, idx, "btime", 1700000000),
		              (unsigned long long)plua_world_int_field(wb, idx, "processes", 1000),
		              (unsigned)plua_world_int_field(wb, idx, "running", 1));
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
	m->pid_max = (uint32_t)plua_world_int_field(wb, idx, "pid_max", 4194304);
	m->last_pid = (int32_t)plua_world_int_field(wb, idx, "last_pid", 0);
}
