/*
** pl_gen: the builtin generators a layout can name.
**
** Each builtin says which fact groups it needs, which ptrace check Linux
** makes before the caller may open (or readlink) it, and how to format it.
** kernfs loads the facts, makes the check for the caller and calls `fmt`.
*/
#ifndef PL_GEN_H
#define PL_GEN_H

#include "pl_buf.h"
#include "pl_fmt.h"
#include "pl_source.h"

enum pl_gen_id {
	PL_G_NONE,
	/* files */
	PL_G_AUXV, PL_G_CMDLINE, PL_G_ENVIRON, PL_G_COMM, PL_G_UID_MAP,
	PL_G_GID_MAP, PL_G_SETGROUPS, PL_G_MEM, PL_G_MAPS, PL_G_SMAPS,
	PL_G_SMAPS_ROLLUP, PL_G_STAT, PL_G_STATM, PL_G_STATUS, PL_G_IO,
	PL_G_LIMITS, PL_G_CGROUP, PL_G_OOM_SCORE, PL_G_OOM_SCORE_ADJ,
	PL_G_COREDUMP_FILTER, PL_G_WCHAN, PL_G_MOUNTS, PL_G_MOUNTINFO,
	PL_G_CHILDREN,
	/* machine-wide files of the top level */
	PL_G_UPTIME, PL_G_LOADAVG, PL_G_MEMINFO, PL_G_SYSTEM_STAT, PL_G_CPUINFO,
	PL_G_VERSION, PL_G_FILESYSTEMS, PL_G_PID_MAX, PL_G_OSRELEASE, PL_G_OSTYPE,
	PL_G_HOSTNAME,
	/* links */
	PL_G_EXE, PL_G_CWD, PL_G_ROOT,
	PL_G_NS_FIRST, /* + PL_NS_* */
	PL_G_SELF = PL_G_NS_FIRST + PL_NS_COUNT, PL_G_THREAD_SELF,
	PL_G_COUNT
};

/* Ptrace modes, as Linux's PTRACE_MODE_READ / _ATTACH with FSCREDS. */
enum pl_ptrace_mode { PL_PTRACE_NONE, PL_PTRACE_READ, PL_PTRACE_ATTACH };

struct pl_gen_ctx {
	struct pl_source *src;
	pl_pid tgid, tid;          /* tid 0: the thread-group file */
	const struct pl_task *task;
	struct pl_view view;
	const struct pl_machine *machine; /* for the top-level files */
};

/* How a builtin behaves around its task's mm and lifetime, as Linux's does. */
enum {
	PL_B_LINK     = 1u << 0, /* a symlink, read with readlink */
	PL_B_MASKS    = 1u << 1, /* output depends on view.permitted (stat, wchan) */
	PL_B_MM_ESRCH = 1u << 2, /* proc_mem_open: no mm is ESRCH at open (environ, auxv, mem) */
	PL_B_MM_SKIP  = 1u << 3, /* no mm: no ptrace check, empty file (maps, smaps) */
	PL_B_AT_OPEN  = 1u << 4, /* content fixed at open (it pins an mm or namespace) */
	PL_B_GONE_EOF = 1u << 5, /* read after the task is reaped: end of file (environ) */
};

struct pl_builtin {
	const char *name;
	unsigned need;             /* PL_F_* groups */
	unsigned mneed;            /* PL_M_* groups: a top-level file, no task */
	uint8_t check;             /* enum pl_ptrace_mode, at open/readlink */
	uint8_t flags;             /* PL_B_* */
	int (*fmt)(const struct pl_gen_ctx *g, struct pl_buf *out);
};

extern const struct pl_builtin pl_builtins[PL_G_COUNT];

/* Generator id for a name, or PL_G_NONE. */
int pl_gen_lookup(const char *name, int want_link);

#endif
