/*
** The builtin files a layout can name: Linux's per-task table as data.
**
** Each builtin says which fact groups it needs, which ptrace check Linux
** makes before the caller may open (or readlink) it, and how to format it.
** Every producer of a builtin file (the tree behind the mount, a world's
** format method, a Lua file's task:read) goes through the functions at the
** end: the decision for the caller, then the content as that caller sees it.
*/
#ifndef PL_BUILTIN_H
#define PL_BUILTIN_H

#include "access/access.h"
#include "format/format.h"
#include "record/buf.h"
#include "record/net.h"
#include "source/source.h"

struct pl_write;

enum pl_gen_id {
	PL_G_NONE,
	/* files */
	PL_G_AUXV, PL_G_CMDLINE, PL_G_ENVIRON, PL_G_COMM, PL_G_UID_MAP,
	PL_G_GID_MAP, PL_G_SETGROUPS, PL_G_MEM, PL_G_MAPS, PL_G_SMAPS,
	PL_G_SMAPS_ROLLUP, PL_G_STAT, PL_G_STATM, PL_G_STATUS, PL_G_IO,
	PL_G_LIMITS, PL_G_CGROUP, PL_G_OOM_SCORE, PL_G_OOM_SCORE_ADJ,
	PL_G_COREDUMP_FILTER, PL_G_WCHAN, PL_G_MOUNTS, PL_G_MOUNTINFO,
	PL_G_CHILDREN,
	PL_G_LOGINUID, PL_G_SESSIONID, PL_G_PERSONALITY, PL_G_OOM_ADJ, PL_G_TIMERSLACK_NS,
	PL_G_SCHEDSTAT, PL_G_AUTOGROUP, PL_G_CPUSET,
	PL_G_ATTR_FIRST, /* + PL_ATTR_*: the files of attr/ */
	PL_G_STACK = PL_G_ATTR_FIRST + PL_ATTR_COUNT, PL_G_SYSCALL, PL_G_SCHED,
	PL_G_MOUNTSTATS, PL_G_KSM_MERGING_PAGES, PL_G_KSM_STAT, PL_G_ARCH_STATUS, PL_G_TIMERS,
	/* links */
	PL_G_EXE, PL_G_CWD, PL_G_ROOT,
	PL_G_NS_FIRST, /* + PL_NS_* */
	/* not nameable in a layout: the checks of fd/N links and fdinfo/ */
	PL_G_FD_LINK = PL_G_NS_FIRST + PL_NS_COUNT, PL_G_FDINFO,
	/* not a generator: task/ itself, as a task's absent entry */
	PL_G_TASK_DIR,
	/* not a generator: net/ (its files, PL_G_NET_FIRST on, are one
	** absent entry: a task has its namespace's files or none) */
	PL_G_NET_DIR,
	/* the top level's links: no task's entries, so past the absent bits */
	PL_G_SELF, PL_G_THREAD_SELF,
	/* per-task files past the absent bits: each is absent by another's bit
	** (pl_builtin_absent_bit) */
	PL_G_TIMENS_OFFSETS,
	/* projid_map, numa_maps, clear_refs, pagemap: each by mem's bit */
	PL_G_PROJID_MAP, PL_G_NUMA_MAPS, PL_G_CLEAR_REFS, PL_G_PAGEMAP,
	/* machine-wide files of the top level (after every per-task id: those
	** are the bits of a task's absent mask) */
	PL_G_UPTIME, PL_G_LOADAVG, PL_G_MEMINFO, PL_G_SYSTEM_STAT, PL_G_CPUINFO,
	PL_G_VERSION, PL_G_FILESYSTEMS, PL_G_PID_MAX, PL_G_OSRELEASE, PL_G_OSTYPE,
	PL_G_HOSTNAME, PL_G_VMSTAT, PL_G_SWAPS, PL_G_PARTITIONS, PL_G_DISKSTATS,
	PL_G_INTERRUPTS, PL_G_SOFTIRQS, PL_G_CGROUPS, PL_G_BOOT_CMDLINE, PL_G_PSI_CPU,
	PL_G_PSI_MEMORY, PL_G_PSI_IO, PL_G_LOCKS, PL_G_TTY_DRIVERS,
	PL_G_SYSVIPC_SHM, PL_G_SYSVIPC_MSG, PL_G_SYSVIPC_SEM, PL_G_SLABINFO, PL_G_BUDDYINFO,
	PL_G_DEVICES, PL_G_MISC, PL_G_CONSOLES, PL_G_EXECDOMAINS, PL_G_CRYPTO, PL_G_ZONEINFO, PL_G_PAGETYPEINFO,
	PL_G_IOMEM, PL_G_IOPORTS, PL_G_KALLSYMS,
	/* net/'s files (+ PL_NET_*, record/net.h): a task's, named "net_" and
	** the file's name; they need the task's network namespace, not its
	** facts, so they are no bits of its absent mask but PL_G_NET_DIR */
	PL_G_NET_FIRST,
	PL_G_SYSCTL_FIRST = PL_G_NET_FIRST + PL_NET_COUNT, /* + PL_SYSCTL_*: named by their sysctl names */
	PL_G_COUNT = PL_G_SYSCTL_FIRST + PL_SYSCTL_COUNT
};
_Static_assert(PL_G_TASK_DIR < 64 && PL_G_NET_DIR < 64,
               "a task's absent entries are a 64-bit mask of per-task builtin ids");

/* A file of net/: which (PL_NET_*), or -1. */
static inline int pl_builtin_net_file(int gen)
{
	return gen >= PL_G_NET_FIRST && gen < PL_G_NET_FIRST + PL_NET_COUNT ? gen - PL_G_NET_FIRST : -1;
}

/*
** A task's absent entries (pl_task.absent): bit g for builtin g, fd/ and
** fdinfo/ by PL_G_FD_LINK and PL_G_FDINFO, task/ by PL_G_TASK_DIR, net/
** and its files by PL_G_NET_DIR, map_files/ by PL_G_NONE's bit (no
** builtin's: map_files/ has no generator).  Names as the task's directory
** has them: a file or link ("maps", "exe", "ns/net", "attr/current"), "ns"
** (every ns link), "attr" (every attr/ file), "fd", "fdinfo", "task",
** "net", "map_files".  The bits of a name, 0 for none; the name of bit g
** into buf, NULL for none.
*/
uint64_t pl_builtin_absent_bits(const char *name);
const char *pl_builtin_absent_name(int g, char *buf, size_t len);
/* The bit of a task's absent mask that builtin gen is missing by, or -1. */
int pl_builtin_absent_bit(int gen);

/* What a builtin's formatter is given. */
struct pl_gen_ctx {
	struct pl_source *src;
	pl_pid tgid, tid;          /* tid 0: the thread-group file */
	const struct pl_task *task;
	int permitted;             /* the reader passes ptrace READ (masked fields) */
	const struct pl_idview *ids; /* the reader's names for ids; NULL: the top's */
	const struct pl_machine *machine; /* for the top-level files */
	int reader_runs;           /* the reader is the task shown: it runs (R) while it reads */
	int64_t boot_shift_ns;     /* the reader's boot clock less the facts' (PL_B_BOOTTIME) */
};

/* What of the reader shapes what a builtin shows it (pl_gen_ctx's part). */
struct pl_reader {
	int permitted;               /* passes ptrace READ (masked fields) */
	const struct pl_idview *ids; /* its names for ids; NULL: the top's */
	int runs;                    /* it is the task shown (pl_builtin_reader_is) */
	int64_t boot_shift_ns;       /* its time namespace's boot clock less the facts' */
};

/* How a builtin behaves around its task's mm and lifetime, as Linux's does. */
enum {
	PL_B_LINK     = 1u << 0, /* a symlink, read with readlink */
	PL_B_MASKS    = 1u << 1, /* output depends on `permitted` (stat, wchan) */
	PL_B_MM_ESRCH = 1u << 2, /* proc_mem_open: no mm is ESRCH at open (environ, auxv, mem) */
	PL_B_MM_SKIP  = 1u << 3, /* no mm: no ptrace check, empty file (maps, smaps) */
	PL_B_AT_OPEN  = 1u << 4, /* content fixed at open (what it shows of the mm or
	                            namespace pinned at open never changes) */
	PL_B_GONE_EOF = 1u << 5, /* read after the task is reaped: end of file (environ) */
	PL_B_MM_OPEN  = 1u << 6, /* proc_mem_open: checked at open, where the kernel
	                            also lets a perfmon_capable opener read */
	PL_B_CHECKS_AT_READ = 1u << 7, /* the check is the reader's, at read (io) */
	PL_B_NAMES_IDS = 1u << 8,  /* ids shown as the reader's namespace names them */
	PL_B_MM_GONE_ESRCH = 1u << 9, /* its pinned mm gone, a read is ESRCH (smaps_rollup) */
	PL_B_EPERM    = 1u << 10, /* lock_trace: its ptrace check refuses with EPERM, at read */
	PL_B_ADMIN    = 1u << 11, /* first CAP_SYS_ADMIN in the top namespace, else EACCES (stack) */
	PL_B_SELF_OR_NICE = 1u << 12, /* the task itself, or CAP_SYS_NICE over it, else EPERM
	                                (timerslack_ns) */
	PL_B_SHOWS_RUNNING = 1u << 13, /* shows the task running when it reads its own
	                                  (stat, status, wchan) */
	PL_B_CHECK_OPEN = 1u << 14, /* checked at open, made at each read (timers) */
	PL_B_WRITE_STAYS = 1u << 15, /* its write leaves the file position at 0, where FUSE
	                                moves it by the count (timens_offsets) */
	PL_B_BOOTTIME = 1u << 16,  /* shows the boot clock in the reader's time namespace
	                              (uptime, stat's btime, a task's starttime) */
};

struct pl_builtin {
	const char *name;
	uint64_t need;             /* PL_F_* groups */
	unsigned mneed;            /* PL_M_* groups: a top-level file, no task */
	uint8_t check;             /* enum pl_ptrace_mode, at open/readlink */
	uint32_t flags;            /* PL_B_* */
	int (*fmt)(const struct pl_gen_ctx *g, struct pl_buf *out);
	/* Writable: how a world's task is written (a host task's file is
	** written by the kernel), and the check Linux's open makes first. */
	ssize_t (*write)(const struct pl_write *w);
	int (*open_write)(const struct pl_write *w);
};

extern const struct pl_builtin pl_builtins[PL_G_COUNT];

/* The sys/ setting (record/sysctl.h) builtin gen serves, or -1: the
** sysctl rows, and the machine files that are settings too (hostname,
** pid_max). */
int pl_builtin_sysctl(int gen);

/* Generator id for a name, or PL_G_NONE. */
int pl_builtin_lookup(const char *name, int want_link);

/*
** The facts `want` (PL_F_*) of task (tgid, tid) in the worker's scratch
** (reset first, so a warm worker does not allocate); valid until the next
** load on this thread.
*/
int pl_builtin_load(struct pl_source *src, pl_pid tgid, pl_pid tid, uint64_t want,
                    struct pl_task **out);

/*
** The decision Linux makes when caller c opens (or reads the link of)
** builtin `gen` of task (tgid, tid): mm_access's rules, then
** ptrace_may_access.  0 or -errno; *permitted says whether c passes ptrace
** READ, for the fields stat and wchan mask.  Loads the task's credentials
** only when the answer depends on them.
*/
int pl_builtin_decide(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid,
                      int gen, int *permitted);

/*
** The content of builtin `gen` (a file or a link) of task (tgid, tid), or of
** the machine for a top-level file, as a reader that was decided
** `permitted` and names ids by `ids` (NULL: as the top does) sees it:
** appended to out, 0 or -errno.  mem has no content.
*/
int pl_builtin_format(struct pl_source *src, pl_pid tgid, pl_pid tid, int gen, int permitted,
                      const struct pl_idview *ids, struct pl_buf *out);
/* How reader c names the ids of builtin gen, in the worker's scratch; NULL
** when gen shows none or c names them as the top does. */
const struct pl_idview *pl_builtin_ids(struct pl_caller *c, int gen);

/* The same, for reader r: what a task reads of itself while it runs, and
** times in the reader's time namespace. */
int pl_builtin_format_as(struct pl_source *src, pl_pid tgid, pl_pid tid, int gen,
                         const struct pl_reader *r, struct pl_buf *out);

/* Whether caller c is the task (tgid, tid) shows: the thread tid, or for
** the group's file (tid 0) its leader.  Never for a world's tasks, which
** are no process that could read. */
int pl_builtin_reader_is(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid);

/* Both, for caller c: what c reads from the builtin through a mount. */
int pl_builtin_read(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid,
                    int gen, struct pl_buf *out);

#endif
