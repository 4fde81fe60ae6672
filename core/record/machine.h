/*
** The machine record: the machine-wide facts of /proc's top level (uptime,
** loadavg, meminfo, stat, cpuinfo, version, filesystems, sys/kernel files).
** As for tasks, the host source parses the kernel's text into it, a world
** declares it, and both are served by format/machine.c.
*/
#ifndef PL_MACHINE_H
#define PL_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "record/arena.h"

enum {
	PL_M_UPTIME      = 1u << 0,
	PL_M_LOADAVG     = 1u << 1,
	PL_M_MEMINFO     = 1u << 2,
	PL_M_STAT        = 1u << 3,
	PL_M_CPUINFO     = 1u << 4,
	PL_M_VERSION     = 1u << 5,
	PL_M_FILESYSTEMS = 1u << 6,
	PL_M_SYSKERNEL   = 1u << 7,
};

struct pl_meminfo_line {
	const char *name;          /* "MemTotal" */
	uint64_t value;            /* kB when kb, else a count */
	int kb;
};

#define PL_CPU_FIELDS 10       /* user nice system idle iowait irq softirq steal guest guest_nice */
struct pl_cpu_times {
	int32_t cpu;               /* -1: the "cpu" total line */
	uint64_t t[PL_CPU_FIELDS];
};

struct pl_cpuinfo_field {
	const char *key, *value;   /* value "" prints "key:" alone */
	int end_of_cpu;            /* a blank line follows */
};

struct pl_fs_type {
	const char *name;
	int nodev;
};

struct pl_machine {
	unsigned have;
	/* PL_M_UPTIME: hundredths of a second */
	uint64_t uptime_cs, idle_cs;
	/* PL_M_LOADAVG: hundredths */
	uint64_t load_x100[3];
	uint32_t nr_running, nr_threads;
	int32_t last_pid;
	/* PL_M_MEMINFO */
	const struct pl_meminfo_line *mem;
	size_t nmem;
	/* PL_M_STAT */
	const struct pl_cpu_times *cpus;   /* the total first */
	size_t ncpus;
	uint64_t intr_total;
	const uint64_t *intr;
	size_t nintr;
	uint64_t ctxt, btime, processes;
	uint32_t procs_running, procs_blocked;
	uint64_t softirq_total;
	const uint64_t *softirq;
	size_t nsoftirq;
	/* PL_M_CPUINFO */
	const struct pl_cpuinfo_field *cpuinfo;
	size_t ncpuinfo;
	/* PL_M_VERSION: the whole line without its newline */
	const char *version;
	/* PL_M_FILESYSTEMS */
	const struct pl_fs_type *fs;
	size_t nfs;
	/* a world's task that callers outside it see as "self" (0: none) */
	int32_t self_pid;
	/* PL_M_SYSKERNEL */
	uint32_t pid_max;
	const char *osrelease, *ostype, *hostname;
};

#endif
