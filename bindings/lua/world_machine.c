/*
** machine = { ... } of a world: the top-level files.  Each may be given as
** the kernel's text (meminfo = [[...]]) or by its few numbers; what is left
** out takes the values of a small idle machine.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
	"hostname", "version", "pid_max", "last_pid", "vmstat", "swaps", "partitions", "diskstats",
	"interrupts", "softirqs", "cgroups", "cmdline", "pressure", "sysctl", "rates", "locks",
	"tty_drivers",
	"sysvipc", "slabinfo", "buddyinfo", "devices", "misc", "consoles", "execdomains", "crypto",
	"zoneinfo", "pagetypeinfo", "iomem", "ioports", "kallsyms", "kptr_restrict", NULL
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

static uint64_t row_sum(const struct pl_irq_row *r)
{
	uint64_t sum = 0;
	for (size_t k = 0; k < r->ncount; k++)
		sum += r->count[k];
	return sum;
}

/* /proc/stat's "intr": every interrupt counted, then each numbered irq's
** count by its number (show_all_irqs), up to the highest. */
static void put_intr(struct pl_buf *b, const struct pl_machine *m)
{
	uint64_t total = 0;
	long top = -1;
	for (size_t i = 0; i < m->nirqs; i++) {
		total += row_sum(&m->irqs[i]);
		char *end;
		long irq = strtol(m->irqs[i].label, &end, 10);
		if (!*end && irq > top && irq < 65536)
			top = irq;
	}
	pl_buf_printf(b, "intr %llu", (unsigned long long)total);
	for (long n = 0; n <= top; n++) {
		uint64_t c = 0;
		for (size_t i = 0; i < m->nirqs; i++) {
			char *end;
			if (strtol(m->irqs[i].label, &end, 10) == n && !*end)
				c = row_sum(&m->irqs[i]);
		}
		pl_buf_printf(b, " %llu", (unsigned long long)c);
	}
	pl_buf_putc(b, '\n');
}

/* /proc/stat's "softirq": the total, then each softirq's over the cpus. */
static void put_softirq(struct pl_buf *b, const struct pl_machine *m)
{
	uint64_t total = 0;
	for (size_t i = 0; i < m->nsoftirqs; i++)
		total += row_sum(&m->softirqs[i]);
	pl_buf_printf(b, "softirq %llu", (unsigned long long)total);
	for (size_t i = 0; i < m->nsoftirqs; i++)
		pl_buf_printf(b, " %llu", (unsigned long long)row_sum(&m->softirqs[i]));
	pl_buf_putc(b, '\n');
}

/* A meminfo value (kB) by name, 0 when the machine's meminfo has none. */
static uint64_t mem_kb(const struct pl_machine *m, const char *name)
{
	for (size_t i = 0; i < m->nmem; i++)
		if (strcmp(m->mem[i].name, name) == 0)
			return m->mem[i].value;
	return 0;
}

/* The disks' sectors read (field 3) or written (field 7), in KiB. */
static uint64_t disk_kb(const struct pl_machine *m, int field)
{
	uint64_t sectors = 0;
	for (size_t i = 0; i < m->ndisks; i++)
		if (m->disks[i].nstat > field)
			sectors += m->disks[i].stat[field];
	return sectors / 2;
}

/*
** vmstat of an idle machine, in the kernel's order, its page counts those
** meminfo shows (pages of 4 KiB), pgpgin/pgpgout the disks' traffic and
** swap traffic none; given as a table, it sets counters by name.
*/
static void read_vmstat(struct world_build *wb, int idx, struct pl_machine *m)
{
	size_t len;
	const char *text = opt_text(wb, idx, "vmstat", &len);
	if (text) {
		machine_text(wb, "vmstat", text, len, pl_parse_vmstat, m);
		return;
	}
	struct pl_buf b = PL_BUF_INIT;
	/* the LRU lists as meminfo splits them; a meminfo that gives only
	** Active and Inactive has its page cache (Cached + Buffers) on them,
	** inactive first, and anonymous memory in the rest */
	uint64_t ia = mem_kb(m, "Inactive(anon)"), aa = mem_kb(m, "Active(anon)");
	uint64_t ifl = mem_kb(m, "Inactive(file)"), af = mem_kb(m, "Active(file)");
	uint64_t anon = mem_kb(m, "AnonPages");
	if (!ia && !aa && !ifl && !af) {
		uint64_t active = mem_kb(m, "Active"), inactive = mem_kb(m, "Inactive");
		uint64_t cache = mem_kb(m, "Cached") + mem_kb(m, "Buffers");
		ifl = cache < inactive ? cache : inactive;
		af = cache - ifl < active ? cache - ifl : active;
		ia = inactive - ifl;
		aa = active - af;
		if (!anon)
			anon = ia + aa;
	}
	const struct { const char *name; uint64_t v; } c[] = {
		{ "nr_free_pages", mem_kb(m, "MemFree") / 4 },
		{ "nr_zone_inactive_anon", ia / 4 },
		{ "nr_zone_active_anon", aa / 4 },
		{ "nr_zone_inactive_file", ifl / 4 },
		{ "nr_zone_active_file", af / 4 },
		{ "nr_zone_unevictable", mem_kb(m, "Unevictable") / 4 },
		{ "nr_mlock", mem_kb(m, "Mlocked") / 4 },
		{ "nr_inactive_anon", ia / 4 },
		{ "nr_active_anon", aa / 4 },
		{ "nr_inactive_file", ifl / 4 },
		{ "nr_active_file", af / 4 },
		{ "nr_unevictable", mem_kb(m, "Unevictable") / 4 },
		{ "nr_slab_reclaimable", mem_kb(m, "SReclaimable") / 4 },
		{ "nr_slab_unreclaimable", mem_kb(m, "SUnreclaim") / 4 },
		{ "nr_anon_pages", anon / 4 },
		{ "nr_mapped", mem_kb(m, "Mapped") / 4 },
		{ "nr_file_pages", (mem_kb(m, "Cached") + mem_kb(m, "Buffers") + mem_kb(m, "SwapCached")) / 4 },
		{ "nr_dirty", mem_kb(m, "Dirty") / 4 },
		{ "nr_writeback", mem_kb(m, "Writeback") / 4 },
		{ "nr_shmem", mem_kb(m, "Shmem") / 4 },
		{ "nr_kernel_stack", mem_kb(m, "KernelStack") },
		{ "nr_page_table_pages", mem_kb(m, "PageTables") / 4 },
		{ "nr_swapcached", mem_kb(m, "SwapCached") / 4 },
		{ "pgpgin", disk_kb(m, 2) },
		{ "pgpgout", disk_kb(m, 6) },
		{ "pswpin", 0 },
		{ "pswpout", 0 },
		{ "pgfault", m->uptime_cs * 10 },
		{ "pgmajfault", 1000 },
	};
	int type = lua_getfield(wb->L, idx, "vmstat");
	if (type != LUA_TNIL && type != LUA_TTABLE)
		luaL_error(wb->L, "world machine: vmstat must be counters by name or the kernel's text");
	uint64_t v[sizeof c / sizeof c[0]];
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		v[i] = c[i].v;
	if (type == LUA_TTABLE) {
		int t = lua_gettop(wb->L);
		lua_pushnil(wb->L);
		while (lua_next(wb->L, t)) {
			const char *k = lua_type(wb->L, -2) == LUA_TSTRING ? lua_tostring(wb->L, -2) : "?";
			size_t i = 0;
			while (i < sizeof c / sizeof c[0] && strcmp(c[i].name, k) != 0)
				i++;
			int ok;
			lua_Integer x = lua_tointegerx(wb->L, -1, &ok);
			if (i == sizeof c / sizeof c[0])
				luaL_error(wb->L, "world machine: vmstat has no counter '%s' (give the kernel's text "
				           "for others)", k);
			if (!ok || x < 0)
				luaL_error(wb->L, "world machine: vmstat.%s must be an integer from 0", k);
			v[i] = (uint64_t)x;
			lua_pop(wb->L, 1);
		}
	}
	lua_pop(wb->L, 1);
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		pl_buf_printf(&b, "%s %llu\n", c[i].name, (unsigned long long)v[i]);
	/* into the arena first: nothing to free if the parse unwinds */
	char *made = pl_buf_status(&b) == 0 ? pl_arena_strndup(wb->a, b.data, b.len) : NULL;
	size_t made_len = b.len;
	pl_buf_free(&b);
	if (!made)
		luaL_error(wb->L, "world machine: out of memory");
	machine_text(wb, "vmstat", made, made_len, pl_parse_vmstat, m);
}

/* pressure = { cpu = text, memory = text, io = text } (a resource left out
** idle), or false: a kernel without PSI */
static void read_pressure(struct world_build *wb, int idx, struct pl_machine *m)
{
	static const char idle[] = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
	                           "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
	static const struct { const char *name; unsigned bit; pl_machine_parser parse; } res[] = {
		{ "cpu", PL_M_PSI_CPU, pl_parse_psi_cpu },
		{ "memory", PL_M_PSI_MEMORY, pl_parse_psi_memory },
		{ "io", PL_M_PSI_IO, pl_parse_psi_io },
	};
	lua_State *L = wb->L;
	int type = lua_getfield(L, idx, "pressure");
	if (type == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		return;
	}
	if (type != LUA_TNIL && type != LUA_TTABLE)
		luaL_error(L, "world machine: pressure must be a table of cpu, memory and io texts, or false");
	if (type == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
			if (strcmp(k, "cpu") && strcmp(k, "memory") && strcmp(k, "io"))
				luaL_error(L, "world machine: pressure has cpu, memory and io, not '%s'", k);
			lua_pop(L, 1);
		}
	}
	for (size_t i = 0; i < sizeof res / sizeof res[0]; i++) {
		const char *text = idle;
		size_t len = sizeof idle - 1;
		if (type == LUA_TTABLE && lua_getfield(L, -1, res[i].name) != LUA_TNIL) {
			if (!lua_isstring(L, -1) || lua_isnumber(L, -1))
				luaL_error(L, "world machine: pressure.%s must be the kernel's text", res[i].name);
			text = lua_tolstring(L, -1, &len);
		}
		char what[32];
		snprintf(what, sizeof what, "pressure.%s", res[i].name);
		machine_text(wb, what, text, len, res[i].parse, m);
		if (type == LUA_TTABLE)
			lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* One line of text without a newline (hostname, version, cmdline). */
static const char *line_text(struct world_build *wb, int idx, const char *key, const char *dflt)
{
	size_t len;
	const char *s = opt_text(wb, idx, key, &len);
	if (s && (memchr(s, '\n', len) || strlen(s) != len))
		luaL_error(wb->L, "world machine: %s is one line, without a newline", key);
	return pl_arena_strdup(wb->a, s ? s : dflt);
}

/* rates = { user = 150, system = 30, ... }: the clock runs; each field of
** /proc/stat's cpu lines gains that many ticks a second over all cpus, and
** idle what is left of cpus * 100 (USER_HZ). */
static void read_rates(struct world_build *wb, int idx, uint32_t ncpu, struct pl_machine *m)
{
	static const char *const fields[PL_CPU_FIELDS] = {
		"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice",
	};
	lua_State *L = wb->L;
	if (lua_getfield(L, idx, "rates") == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "world machine: rates must be a table such as { user = 150, system = 30 }");
	int t = lua_gettop(L);
	uint64_t *r = pl_arena_alloc(wb->a, PL_CPU_FIELDS * sizeof *r);
	if (!r)
		luaL_error(L, "world machine: out of memory");
	uint64_t busy = 0, all = (uint64_t)ncpu * 100;
	for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		int f = 0;
		while (f < PL_CPU_FIELDS && strcmp(fields[f], k) != 0)
			f++;
		if (f == PL_CPU_FIELDS || f == 3)
			luaL_error(L, "world machine: rates.%s is no cpu field (user, nice, system, iowait, "
			           "irq, softirq, steal, guest, guest_nice; idle is what is left)", k);
		int ok;
		lua_Integer v = lua_tointegerx(L, -1, &ok);
		if (!ok || v < 0 || (uint64_t)v > all)
			luaL_error(L, "world machine: rates.%s must be ticks a second from 0 to cpus * 100 (%I)",
			           k, (lua_Integer)all);
		r[f] = (uint64_t)v;
		if (f != 8 && f != 9) /* guest time is counted in user time too */
			busy += (uint64_t)v;
	}
	lua_pop(L, 1);
	if (busy > all)
		luaL_error(L, "world machine: rates add up to %I ticks a second, more than cpus * 100 (%I)",
		           (lua_Integer)busy, (lua_Integer)all);
	r[3] = all - busy;
	m->cpu_rates = r;
}

void plua_world_read_machine(struct world_build *wb, int idx, struct pl_machine *m)
{
	lua_State *L = wb->L;
	char buf[4096];
	size_t len;
	const char *text;
	check_keys(wb, idx);
	uint32_t ncpu = (uint32_t)int_in(wb, idx, "cpus", 1, 1, 4096);
	read_rates(wb, idx, ncpu, m);

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
	plua_world_read_devices(wb, idx, ncpu, m);
	if ((text = opt_text(wb, idx, "stat", &len))) {
		machine_text(wb, "stat", text, len, pl_parse_machine_stat, m);
	} else {
		/* idle machine: the cpu lines share the uptime, mostly idle; the
		** numbers checked before the buffer holds anything an error
		** would leave behind */
		uint64_t ctxt = int_in(wb, idx, "ctxt", 100000, 0, INT64_MAX);
		uint64_t btime = int_in(wb, idx, "btime", 1700000000, 0, INT64_MAX);
		uint64_t processes = int_in(wb, idx, "processes", 1000, 0, INT64_MAX);
		unsigned running = (unsigned)int_in(wb, idx, "running", 1, 0, UINT32_MAX);
		struct pl_buf b = PL_BUF_INIT;
		uint64_t ticks = m->uptime_cs; /* USER_HZ 100: hundredths are ticks */
		pl_buf_printf(&b, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n", (unsigned long long)(ticks * ncpu / 20),
		              (unsigned long long)(ticks * ncpu / 20), (unsigned long long)(ticks * ncpu * 9 / 10));
		for (uint32_t i = 0; i < ncpu; i++)
			pl_buf_printf(&b, "cpu%u %llu 0 %llu %llu 0 0 0 0 0 0\n", i, (unsigned long long)(ticks / 20),
			              (unsigned long long)(ticks / 20), (unsigned long long)(ticks * 9 / 10));
		put_intr(&b, m);
		pl_buf_printf(&b, "ctxt %llu\nbtime %llu\nprocesses %llu\nprocs_running %u\nprocs_blocked 0\n",
		              (unsigned long long)ctxt, (unsigned long long)btime,
		              (unsigned long long)processes, running);
		put_softirq(&b, m);
		char *made = pl_buf_status(&b) == 0 ? pl_arena_strndup(wb->a, b.data, b.len) : NULL;
		size_t made_len = b.len;
		pl_buf_free(&b);
		if (!made)
			luaL_error(L, "world machine: out of memory");
		machine_text(wb, "stat", made, made_len, pl_parse_machine_stat, m);
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
	read_vmstat(wb, idx, m);
	static const char no_swap[] = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
	if (!(text = opt_text(wb, idx, "swaps", &len))) {
		text = no_swap;
		len = sizeof no_swap - 1;
	}
	machine_text(wb, "swaps", text, len, pl_parse_swaps, m);
	/* cgroup v2 alone: every controller on the unified hierarchy (0),
	** which has the root cgroup */
	static const char v2_only[] = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		"cpuset\t0\t1\t1\ncpu\t0\t1\t1\ncpuacct\t0\t1\t1\nblkio\t0\t1\t1\nmemory\t0\t1\t1\n"
		"devices\t0\t1\t1\nfreezer\t0\t1\t1\nnet_cls\t0\t1\t1\nperf_event\t0\t1\t1\n"
		"net_prio\t0\t1\t1\nhugetlb\t0\t1\t1\npids\t0\t1\t1\nrdma\t0\t1\t1\nmisc\t0\t1\t1\n";
	if (!(text = opt_text(wb, idx, "cgroups", &len))) {
		text = v2_only;
		len = sizeof v2_only - 1;
	}
	machine_text(wb, "cgroups", text, len, pl_parse_cgroups, m);
	snprintf(buf, sizeof buf, "BOOT_IMAGE=/boot/vmlinuz-%s root=/dev/vda ro quiet", m->osrelease);
	m->boot_cmdline = line_text(wb, idx, "cmdline", buf);
	read_pressure(wb, idx, m);
	plua_world_read_locks(wb, idx, m);
	plua_world_read_tty_drivers(wb, idx, m);
	plua_world_read_sysctl(wb, idx, total_kb, m);
	plua_world_read_tables(wb, idx, m);
}
