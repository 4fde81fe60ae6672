/*
** The counting files of a world's machine: interrupts, softirqs,
** diskstats and partitions.  Each may be given as the kernel's text; the
** default is a small idle machine with one virtio disk, its counts
** growing with the uptime.  /proc/stat's intr and softirq lines and
** vmstat's paging counters are derived from these (world_machine.c).
*/
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "plua.h"
#include "world_build.h"

static const char *opt_text(struct world_build *wb, int idx, const char *key, size_t *len)
{
	const char *s = NULL;
	int type = lua_getfield(wb->L, idx, key);
	if (type == LUA_TSTRING)
		s = lua_tolstring(wb->L, -1, len);
	else if (type != LUA_TNIL)
		luaL_error(wb->L, "world machine: %s must be the kernel's text", key);
	lua_pop(wb->L, 1);
	return s;
}

static void parse(struct world_build *wb, const char *what, const char *text, size_t len,
                  pl_machine_parser fn, struct pl_machine *m)
{
	if (fn(text, len, wb->a, m) < 0)
		luaL_error(wb->L, "world machine: %s is not text the kernel would print", what);
}

/* A default built in b: moved into the arena and b freed before it is
** parsed, so that no buffer is left behind if an error unwinds. */
static void parse_built(struct world_build *wb, const char *what, struct pl_buf *b,
                        pl_machine_parser fn, struct pl_machine *m)
{
	char *text = pl_buf_status(b) == 0 ? pl_arena_strndup(wb->a, b->data, b->len) : NULL;
	size_t len = b->len;
	pl_buf_free(b);
	if (!text)
		luaL_error(wb->L, "world machine: out of memory");
	parse(wb, what, text, len, fn, m);
}

static void cpu_header(struct pl_buf *b, int indent, uint32_t ncpu)
{
	pl_buf_printf(b, "%*s", indent, "");
	for (uint32_t i = 0; i < ncpu; i++)
		pl_buf_printf(b, "CPU%-8u", i);
	pl_buf_putc(b, '\n');
}

/* A row of counts: cpu0 gets first, every other cpu rest. */
static void row(struct pl_buf *b, int width, const char *label, uint32_t ncpu, uint64_t first,
                uint64_t rest, const char *desc)
{
	pl_buf_printf(b, "%*s:", width, label);
	for (uint32_t i = 0; i < ncpu; i++)
		pl_buf_printf(b, " %10llu", (unsigned long long)(i ? rest : first));
	pl_buf_puts(b, desc);
	pl_buf_putc(b, '\n');
}

/* The disk's counters: reads, merges, sectors, ms; the same for writes;
** in flight, busy ms, queue ms; discards (none); flushes (none). */
#define DISK_SECTORS_READ 2000000
#define DISK_SECTORS_WRITTEN 1000000
#define DISK_IOS 20000

void plua_world_read_devices(struct world_build *wb, int idx, uint32_t ncpu, struct pl_machine *m)
{
	size_t len;
	const char *text;
	uint64_t secs = m->uptime_cs / 100;
	struct pl_buf b = PL_BUF_INIT;

	if ((text = opt_text(wb, idx, "interrupts", &len))) {
		parse(wb, "interrupts", text, len, pl_parse_interrupts, m);
	} else {
		/* the legacy timer and keyboard at boot, then local timer ticks
		** (tickless idle: about 100 a second) and a few reschedules */
		cpu_header(&b, 11, ncpu);
		row(&b, 3, "0", ncpu, 40, 0, "  IO-APIC   2-edge      timer");
		row(&b, 3, "1", ncpu, 9, 0, "  IO-APIC   1-edge      i8042");
		row(&b, 3, "NMI", ncpu, 0, 0, "   Non-maskable interrupts");
		row(&b, 3, "LOC", ncpu, secs * 100, secs * 100, "   Local timer interrupts");
		row(&b, 3, "RES", ncpu, secs * 10, secs * 10, "   Rescheduling interrupts");
		row(&b, 3, "ERR", 1, 0, 0, "");
		row(&b, 3, "MIS", 1, 0, 0, "");
		parse_built(wb, "interrupts", &b, pl_parse_interrupts, m);
	}
	if ((text = opt_text(wb, idx, "softirqs", &len))) {
		parse(wb, "softirqs", text, len, pl_parse_softirqs, m);
	} else {
		static const char *const names[] = { "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK",
		                                     "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU" };
		cpu_header(&b, 20, ncpu);
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			uint64_t n = !strcmp(names[i], "TIMER") ? secs * 10 : !strcmp(names[i], "SCHED") ? secs * 20 :
			             !strcmp(names[i], "RCU") ? secs * 30 : 0;
			/* the disk's completions run on cpu0 */
			row(&b, 12, names[i], ncpu, n + (!strcmp(names[i], "BLOCK") ? DISK_IOS : 0), n, "");
		}
		parse_built(wb, "softirqs", &b, pl_parse_softirqs, m);
	}
	if ((text = opt_text(wb, idx, "diskstats", &len))) {
		parse(wb, "diskstats", text, len, pl_parse_diskstats, m);
	} else {
		pl_buf_printf(&b, " 254       0 vda %u 300 %u 6000 %u 900 %u 9000 0 12000 15000 0 0 0 0 0 0\n",
		              DISK_IOS * 3 / 5, DISK_SECTORS_READ, DISK_IOS * 2 / 5, DISK_SECTORS_WRITTEN);
		parse_built(wb, "diskstats", &b, pl_parse_diskstats, m);
	}
	if ((text = opt_text(wb, idx, "partitions", &len))) {
		parse(wb, "partitions", text, len, pl_parse_partitions, m);
	} else {
		static const char parts[] = "major minor  #blocks  name\n\n 254        0   20971520 vda\n";
		parse(wb, "partitions", parts, sizeof parts - 1, pl_parse_partitions, m);
	}
}
