/*
** pl_task: the facts of one task, as the kernel keeps them.
**
** Every per-task file is formatted from this record by a pure function
** (core/fmt_*.c); a source (host or model) fills it.  The host source parses
** the host kernel's files into these fields, the model source copies them
** from a world.  Fields are grouped by the PL_F_* bit that guarantees them:
** a generator asks the source for the groups it needs and may read only
** those.  Lists and strings point into the request's arena (or into the
** model's own storage), never into the formatter's output.
**
** Units follow the kernel's: memory counters in pages, times in clock ticks,
** signal and capability sets as 64-bit masks.
*/
#ifndef PL_TASK_H
#define PL_TASK_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t pl_pid;

/* Fact groups a generator can ask for. */
enum {
	PL_F_STAT     = 1u << 0,  /* identity, state, counters of stat */
	PL_F_STATUS   = 1u << 1,  /* creds, mm counters, signals, caps, ... */
	PL_F_IO       = 1u << 2,
	PL_F_LIMITS   = 1u << 3,
	PL_F_CGROUP   = 1u << 4,
	PL_F_MAPS     = 1u << 5,  /* regions without smaps counters */
	PL_F_SMAPS    = 1u << 6,  /* regions with smaps counters */
	PL_F_ROLLUP   = 1u << 7,
	PL_F_MOUNTS   = 1u << 8,
	PL_F_IDMAP    = 1u << 9,  /* uid_map, gid_map, projid_map, setgroups */
	PL_F_AUXV     = 1u << 10,
	PL_F_OOM      = 1u << 11, /* oom_score, oom_score_adj, coredump_filter */
	PL_F_WCHAN    = 1u << 12,
	PL_F_LINKS    = 1u << 13, /* exe, cwd, root */
	PL_F_NS       = 1u << 14,
	PL_F_FDS      = 1u << 15, /* fd numbers, link targets, open modes */
	PL_F_THREADS  = 1u << 16,
	PL_F_CHILDREN = 1u << 17,
	PL_F_OWNER    = 1u << 18, /* euid/egid, dumpable, has_mm */
	PL_F_CMDLINE  = 1u << 19, /* the kernel's own cmdline, where memory is refused */
	PL_F_ENVIRON  = 1u << 20, /* the kernel's own environ, likewise */
	PL_F_AUDIT    = 1u << 21, /* loginuid, sessionid */
	PL_F_PERSONALITY = 1u << 22,
	PL_F_TIMERSLACK = 1u << 23,
	PL_F_SCHEDSTAT = 1u << 24,
	PL_F_AUTOGROUP = 1u << 25,
	PL_F_CPUSET   = 1u << 26,
	PL_F_ATTR     = 1u << 27, /* attr/: what the security module shows */
	PL_F_STACK    = 1u << 28,
	PL_F_SYSCALL  = 1u << 29,
	PL_F_SCHED    = 1u << 30, /* sched: the scheduler's debug lines */
};
/* Past int's range, so no enumerators: a mask of groups is a uint64_t */
#define PL_F_KSM    ((uint64_t)1 << 31) /* ksm_stat, ksm_merging_pages */
#define PL_F_ARCH   ((uint64_t)1 << 32) /* arch_status */
#define PL_F_TIMERS ((uint64_t)1 << 33) /* timers */
#define PL_F_TIMENS ((uint64_t)1 << 34) /* timens_offsets */
/* (bits from 40 on: taken far from the last, so that bits other files
** take meanwhile do not meet these) */
#define PL_F_NUMA   ((uint64_t)1 << 40) /* numa_maps */

#define PL_COMM_MAX 64 /* stat prints "%.64s" */

struct pl_cred {
	uint32_t uid[4]; /* real, effective, saved, fs */
	uint32_t gid[4];
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
};

/* Process memory counters (mm), in pages unless said otherwise. */
struct pl_mm {
	uint64_t total_vm, hiwater_vm;  /* VmSize, VmPeak */
	uint64_t locked_vm, pinned_vm;  /* VmLck, VmPin */
	uint64_t hiwater_rss;           /* VmHWM */
	uint64_t rss;                   /* anon + file + shmem (stat field 24) */
	uint64_t rss_anon, rss_file, rss_shmem;
	uint64_t data_vm, stack_vm, exec_vm; /* VmData, VmStk, exec_vm */
	uint64_t vm_exe_kb, vm_lib_kb;  /* VmExe, VmLib as Linux computes them */
	uint64_t pte_kb;                /* VmPTE */
	uint64_t pmd_kb;                /* VmPMD: printed by 4.0 to 4.14 only */
	uint64_t swap;                  /* VmSwap */
	uint64_t hugetlb_kb;            /* HugetlbPages */
	uint64_t start_code, end_code, start_stack;
	/* statm's text pages where the code range above is stat's masked one
	** (the kernel refused the daemon ptrace READ: 1 and 1); 0: from it */
	uint64_t code_pages;
	uint64_t start_data, end_data, start_brk;
	uint64_t arg_start, arg_end, env_start, env_end;
};

/* A bitmap as %*pb / %*pbl print it (Cpus_allowed, Mems_allowed). */
/* 4096 bits: nr_cpu_ids and MAX_NUMNODES (1024) of any machine short of the
** very largest; a record is kept per task of a world, so its size counts. */
#define PL_CPUMASK_WORDS 64
struct pl_bitmap {
	uint32_t nbits;
	uint64_t w[PL_CPUMASK_WORDS];
};

/* A time namespace's offset of one clock (struct timespec64). */
struct pl_timens_offset {
	int64_t sec, nsec;
};
enum { PL_TIMENS_MONOTONIC, PL_TIMENS_BOOTTIME, PL_TIMENS_COUNT };

/* A memory region: one line of maps, one block of smaps. */
struct pl_region {
	uint64_t start, end, pgoff;  /* pgoff in bytes, as maps prints it */
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	char perms[5];               /* "rwxp" */
	const char *name;            /* already escaped as maps prints it, or "" */
	/* smaps only: */
	const uint64_t *kb;          /* PL_SMAPS_NFIELDS values, in kB */
	uint32_t thp_eligible;
	int32_t protection_key;      /* -1: line absent */
	const char *vmflags;         /* "rd wr mr mw me ac " */
	/* The lines of its smaps block as an older kernel printed them: [0]
	** is their count, then PL_SM_* and PL_SMK_* ids in order; NULL: as
	** this kernel prints them. */
	const uint8_t *smaps_keys;
};

/* smaps fields after the header line, in Linux's order (up to Locked). */
enum {
	PL_SM_SIZE, PL_SM_KERNELPAGESIZE, PL_SM_MMUPAGESIZE, PL_SM_RSS, PL_SM_PSS,
	PL_SM_PSS_DIRTY, PL_SM_SHARED_CLEAN, PL_SM_SHARED_DIRTY,
	PL_SM_PRIVATE_CLEAN, PL_SM_PRIVATE_DIRTY, PL_SM_REFERENCED,
	PL_SM_ANONYMOUS, PL_SM_KSM, PL_SM_LAZYFREE, PL_SM_ANONHUGEPAGES,
	PL_SM_SHMEMPMDMAPPED, PL_SM_FILEPMDMAPPED, PL_SM_SHARED_HUGETLB,
	PL_SM_PRIVATE_HUGETLB, PL_SM_SWAP, PL_SM_SWAPPSS, PL_SM_LOCKED,
	PL_SMAPS_NFIELDS
};
/* The other lines of an smaps block, for a region's smaps_keys. */
enum {
	PL_SMK_THP = PL_SMAPS_NFIELDS, /* "THPeligible:    %8u" (6.x) */
	PL_SMK_THP_UNPADDED,           /* "THPeligible:    %d" (5.0 to 6.x) */
	PL_SMK_PKEY,                   /* ProtectionKey */
	PL_SMK_VMFLAGS,                /* VmFlags (3.8 and later) */
	PL_SMK_COUNT
};

/* smaps_rollup: header range plus its own counters (summed before rounding). */
enum {
	PL_RU_RSS, PL_RU_PSS, PL_RU_PSS_DIRTY, PL_RU_PSS_ANON, PL_RU_PSS_FILE,
	PL_RU_PSS_SHMEM, PL_RU_SHARED_CLEAN, PL_RU_SHARED_DIRTY,
	PL_RU_PRIVATE_CLEAN, PL_RU_PRIVATE_DIRTY, PL_RU_REFERENCED,
	PL_RU_ANONYMOUS, PL_RU_KSM, PL_RU_LAZYFREE, PL_RU_ANONHUGEPAGES,
	PL_RU_SHMEMPMDMAPPED, PL_RU_FILEPMDMAPPED, PL_RU_SHARED_HUGETLB,
	PL_RU_PRIVATE_HUGETLB, PL_RU_SWAP, PL_RU_SWAPPSS, PL_RU_LOCKED,
	PL_ROLLUP_NFIELDS
};
struct pl_rollup {
	uint64_t start, end;         /* first vma start, last vma end */
	uint64_t kb[PL_ROLLUP_NFIELDS];
	/* The counter lines an older kernel printed ([0] their count, then
	** PL_RU_* ids in order); NULL: this kernel's. */
	const uint8_t *keys;
};

/* A mount as mountinfo describes it; mounts is derived from the same record. */
struct pl_mount {
	uint32_t id, parent_id, dev_major, dev_minor;
	const char *root, *mountpoint;  /* escaped as the kernel prints them */
	const char *mnt_opts;            /* "rw,nosuid,relatime": mount flags */
	const char *optional;            /* "shared:1 master:2" or "" */
	const char *fstype, *source;     /* source already escaped */
	const char *super_opts;          /* "rw,size=..." : sb ro/rw, sb flags, fs options */
};

struct pl_cgroup {
	uint32_t hierarchy;
	const char *controllers, *path;
};

struct pl_idmap_extent {
	uint32_t first, lower_first, count;
};

/* numa_maps: one line per vma (show_numa_map). */
enum { PL_NUMA_NONE, PL_NUMA_FILE, PL_NUMA_HEAP, PL_NUMA_STACK };
struct pl_numa_node {
	uint32_t node;
	uint64_t pages;
};
struct pl_numa_region {
	uint64_t start;
	const char *policy;          /* mpol_to_str's text: "default", "bind:0-1", ... */
	const char *file;            /* PL_NUMA_FILE: the path escaped as numa_maps
	                                prints it (" \t\n=" in octal) */
	uint8_t where;               /* PL_NUMA_* */
	uint8_t huge;                /* a hugetlb vma */
	/* the walk's counts; pages 0: none printed */
	uint64_t pages, anon, dirty, mapmax, swapcache, active, writeback;
	const struct pl_numa_node *nodes; /* by node, ascending */
	size_t nnodes;
	uint64_t kernelpagesize_kb;
};

/*
** How a reader in a user namespace below the top names ids: that
** namespace's maps (their lower ids as the top names them) and the ids an
** unmapped one prints as (overflowuid/overflowgid).
*/
#define PL_IDMAP_MAX_EXTENTS 340 /* UID_GID_MAP_MAX_EXTENTS */
struct pl_idview {
	uint64_t ns;               /* the namespace's inode number */
	uint32_t overflow_uid, overflow_gid;
	size_t nuid, ngid;
	struct pl_idmap_extent uid[PL_IDMAP_MAX_EXTENTS], gid[PL_IDMAP_MAX_EXTENTS];
	/* the namespace's projid_map: read only for a reader of projid_map */
	size_t nprojid;
	struct pl_idmap_extent projid[PL_IDMAP_MAX_EXTENTS];
};

/* coredump_filter of a task without mm (the kernel's filter has 9 bits). */
#define PL_COREDUMP_FILTER_NONE UINT32_MAX

struct pl_rlimit {
	uint64_t cur, max; /* UINT64_MAX is RLIM_INFINITY */
};
#define PL_RLIM_NLIMITS 16

struct pl_fd {
	int32_t fd;
	uint32_t f_mode;     /* FMODE_READ 1 | FMODE_WRITE 2: the link's mode bits */
	const char *target;  /* readlink of fd/N; NULL: refused with `err` */
	int32_t err;
};

/* A link of map_files/: the file its region maps, as the link shows it. */
struct pl_map_file {
	uint32_t f_mode;     /* the mapped file's FMODE_READ 1 | FMODE_WRITE 2 */
	const char *target;  /* its path, raw (d_path: " (deleted)" when unlinked) */
};

/* One fdinfo file: the common lines, then the type-specific tail as the
** kernel's file type prints it (eventfd, epoll, inotify, ...). */
struct pl_fdinfo {
	uint64_t pos;
	uint32_t flags;      /* printed %#o style as 0%o */
	uint32_t mnt_id;
	uint64_t ino;
	const char *extra;   /* lines after ino:, or "" */
	/* lines an older kernel did not print: mnt_id before 3.15, ino before 5.14 */
	uint8_t no_mnt_id, no_ino;
};

/* The files of attr/, in Linux's order (attr_dir_stuff). */
enum {
	PL_ATTR_CURRENT, PL_ATTR_PREV, PL_ATTR_EXEC, PL_ATTR_FSCREATE, PL_ATTR_KEYCREATE,
	PL_ATTR_SOCKCREATE, PL_ATTR_COUNT
};
extern const char *const pl_attr_names[PL_ATTR_COUNT]; /* "current", ... */

/* One attr/ file: the bytes the security module gives (an SELinux context
** ends with its NUL), or the errno a read fails with (EINVAL: no module
** answers, as on a kernel without one). */
struct pl_lsm_attr {
	const char *text;
	uint32_t len;
	int32_t err;
};

/* One line of sched after its header: "key : value" as
** "%-45s:%21s\n" prints it, or (value NULL) a line of other shape
** ("current_node=0, numa_group_id=0"), without its newline. */
struct pl_sched_line {
	const char *key, *value;
};

/* One POSIX timer of the process (timers), newest first, as show_timer
** prints it. */
enum { PL_SIGEV_SIGNAL = 0, PL_SIGEV_NONE = 1, PL_SIGEV_THREAD = 2, PL_SIGEV_THREAD_ID = 4 };
struct pl_posix_timer {
	int32_t id, signo;
	uint64_t value;            /* si_value.sival_ptr, printed raw (%px) */
	int32_t notify;            /* PL_SIGEV_*: SIGNAL, NONE, THREAD, or SIGNAL | THREAD_ID */
	pl_pid pid;                /* whom it notifies, as the reader's pid namespace numbers it */
	int32_t clock;             /* its clockid (negative: a cpu-time clock) */
};

/* Namespace links of ns/, in Linux's order. */
enum {
	PL_NS_NET, PL_NS_UTS, PL_NS_IPC, PL_NS_PID, PL_NS_PID_FOR_CHILDREN,
	PL_NS_USER, PL_NS_MNT, PL_NS_CGROUP, PL_NS_TIME, PL_NS_TIME_FOR_CHILDREN,
	PL_NS_COUNT
};
extern const char *const pl_ns_names[PL_NS_COUNT];   /* "net", "uts", ... */
extern const char *const pl_ns_types[PL_NS_COUNT];   /* "net", "uts", ..., "pid", ..., "time" */

#define PL_NSPID_MAX 32 /* nesting depth of pid namespaces (MAX_PID_NS_LEVEL) */

/* A status line no mainline kernel prints (a vendor's: RHEL's "Utrace:",
** 2.6's "SleepAVG:"), kept verbatim with the place it stood at. */
struct pl_status_extra {
	uint8_t before;            /* the index of the known line it came before */
	const char *line;          /* "Utrace:\t0", without its newline */
};

/* A world task's activity: what each counter gains a second since the
** world was loaded (utime and stime in clock ticks, USER_HZ = 100 a second
** of CPU), so that tools sampling twice (top, psutil's cpu_percent) see it
** busy.  Applied where the counters are loaded (model.c). */
struct pl_rates {
	uint64_t utime, stime, minflt, majflt, nvcsw, nivcsw;
	uint64_t io_rchar, io_wchar, io_syscr, io_syscw, io_read_bytes, io_write_bytes;
};

struct pl_task {
	uint64_t have;             /* PL_F_* groups filled */
	pl_pid tgid, tid;

	/* PL_F_STAT (and the identity part of PL_F_STATUS) */
	char comm[PL_COMM_MAX + 1];
	char state;                /* 'R', 'S', ... */
	/* How many fields the kernel's stat printed: 52 since Linux 3.5;
	** 47 (3.3, 3.4), 44 (2.6.24 to 3.2), 42 or 41 before.  0 reads as 52. */
	uint8_t stat_fields;
	pl_pid ppid, pgrp, session, tpgid;
	int32_t tty_nr;
	uint32_t flags;            /* PF_* */
	uint64_t minflt, cminflt, majflt, cmajflt;
	uint64_t utime, stime;
	int64_t cutime, cstime;
	int32_t priority, nice;
	int32_t num_threads;
	uint64_t starttime;        /* clock ticks after boot */
	uint64_t vsize;            /* bytes (stat field 23) */
	uint64_t rsslim;
	uint64_t kstkesp, kstkeip;
	uint64_t sig_pending, sig_blocked, sig_ignored, sig_caught; /* stat 31-34 */
	uint64_t wchan_flag;       /* stat field 35: 0 or 1 */
	int32_t exit_signal;
	int32_t processor;
	uint32_t rt_priority, policy;
	uint64_t blkio_ticks, guest_time;
	int64_t cguest_time;
	int32_t exit_code;
	struct pl_mm mm;           /* stat fills the address fields and rss */

	/* PL_F_STATUS */
	/* Which lines status printed, bit i for line i of status.c's table,
	** where an older kernel printed fewer or others; 0: the lines this
	** kernel prints for the record (Umask with an fs, Vm* with an mm). */
	uint64_t status_lines;
	int32_t umask;             /* -1: task has no fs, no Umask line */
	pl_pid ngid, tracer_pid;
	struct pl_cred cred;
	uint32_t fd_size;
	const uint32_t *groups;
	size_t ngroups;
	pl_pid nstgid[PL_NSPID_MAX], nspid[PL_NSPID_MAX];
	pl_pid nspgid[PL_NSPID_MAX], nssid[PL_NSPID_MAX];
	int ns_levels;             /* how many values NStgid etc. print */
	int kthread;
	int has_mm;                /* the Vm* block is printed */
	int core_dumping;
	int thp_enabled;
	uint64_t untag_mask;
	uint32_t sigq_count, sigq_limit;
	uint64_t shd_pending;      /* ShdPnd; SigPnd is sig_pending */
	int no_new_privs;
	int seccomp_mode, seccomp_filters;
	const char *spec_store_bypass;      /* "vulnerable", ... */
	const char *spec_indirect_branch;   /* "always enabled", ... */
	struct pl_bitmap cpus_allowed, mems_allowed;
	uint64_t nvcsw, nivcsw;
	const char *arch_lines;    /* x86_Thread_features..., each ending '\n', or "" */
	const struct pl_status_extra *status_extra; /* in order; NULL: none */
	size_t nstatus_extra;

	/* PL_F_IO */
	uint64_t io_rchar, io_wchar, io_syscr, io_syscw;
	uint64_t io_read_bytes, io_write_bytes, io_cancelled_write_bytes;

	/* PL_F_LIMITS */
	struct pl_rlimit rlim[PL_RLIM_NLIMITS];

	/* PL_F_CGROUP */
	const struct pl_cgroup *cgroups;
	size_t ncgroups;

	/* PL_F_MAPS / PL_F_SMAPS */
	const struct pl_region *regions;
	size_t nregions;

	/* PL_F_ROLLUP */
	int has_rollup;            /* 0: no vmas, file reads empty */
	struct pl_rollup rollup;

	/* PL_F_MOUNTS */
	const struct pl_mount *mounts;
	size_t nmounts;
	int no_mnt_ns;             /* no nsproxy (zombie): mounts, mountinfo open EINVAL */

	/* PL_F_IDMAP */
	const struct pl_idmap_extent *uid_map, *gid_map;
	size_t nuid_map, ngid_map;
	int setgroups_allowed;
	/* projid_map: its lower ids as the top names them, like the others' */
	const struct pl_idmap_extent *projid_map;
	size_t nprojid_map;

	/* PL_F_AUXV: (type, value) pairs, up to and including AT_NULL */
	const uint64_t *auxv;
	size_t nauxv;              /* number of pairs */

	/* PL_F_OOM */
	uint32_t oom_score;
	int32_t oom_score_adj;
	int32_t oom_score_adj_min; /* the floor an unprivileged write may not go below */
	uint32_t coredump_filter;  /* PL_COREDUMP_FILTER_NONE: no mm, reads empty */

	/* PL_F_CMDLINE: cmdline as the kernel shows it to everyone, read from
	** its file when the daemon may not copy the task's memory in (stat then
	** masks the addresses cmdline is built from) */
	const char *cmdline_text;
	size_t cmdline_len;
	/* PL_F_ENVIRON: environ as the kernel shows it to the daemon, read
	** from its file when the daemon may not copy the memory in */
	const char *environ_text;
	size_t environ_len;

	/* PL_F_WCHAN */
	const char *wchan;         /* symbol name, or "0" */

	/* PL_F_LINKS: NULL when the link does not resolve: ENOENT, or the
	** errno in links_err ([0] exe, [1] cwd, [2] root) when the kernel refused
	** the daemon itself (a task even root may not ptrace) */
	const char *exe, *cwd, *root;
	uint8_t links_err[3];

	/* PL_F_NS: inode numbers; 0 when absent (ENOENT), or ns_err when the
	** kernel refused the daemon */
	uint64_t ns_ino[PL_NS_COUNT];
	int32_t ns_err;

	/* PL_F_FDS */
	const struct pl_fd *fds;
	size_t nfds;

	/* PL_F_THREADS: tids, in the kernel's list order */
	const pl_pid *threads;
	size_t nthreads;

	/* PL_F_CHILDREN (of this thread) */
	const pl_pid *children;
	size_t nchildren;

	/* PL_F_OWNER */
	uint32_t euid, egid;       /* owner of 0555 directories */
	int dumpable;              /* 0 none, 1 user, 2 root (SUID_DUMP_*) */
	uint32_t mm_root_uid, mm_root_gid; /* uid/gid 0 of mm->user_ns */
	/* Entries of the task's directory it does not have, as the tree's
	** builtin ids name them (bit g: builtin g, tree/builtin.h): a world's
	** task saved with some files only.  Loaded with the owner, which the
	** tree asks for at every lookup, so it costs nothing; 0 for the host. */
	uint64_t absent;
	/* A world's: what its counters gain a second; NULL (the host's: none) */
	const struct pl_rates *rates;

	/* PL_F_AUDIT: the audit ids; (u32)-1 when unset (AUDIT_UID_UNSET,
	** AUDIT_SID_UNSET) */
	uint32_t loginuid, sessionid;

	/* The errno the kernel refused the daemon a file with (lock_trace's
	** EPERM for a task even root may not ptrace); 0: read. */
	uint8_t personality_err, stack_err, syscall_err, timerslack_err;

	/* PL_F_PERSONALITY */
	uint32_t personality;

	/* PL_F_TIMERSLACK: the task's timer slack, in ns */
	uint64_t timerslack_ns;

	/* PL_F_SCHEDSTAT: sum_exec_runtime and run_delay (ns), pcount (the
	** times it ran on a cpu) */
	uint64_t sched_runtime, sched_run_delay, sched_pcount;

	/* PL_F_AUTOGROUP: its autogroup (id 0: the root group, the file
	** reads empty) and that group's nice */
	int64_t autogroup_id;
	int32_t autogroup_nice;

	/* PL_F_CPUSET: the path of its cpuset, as the reader's cgroup
	** namespace names it */
	const char *cpuset;

	/* PL_F_ATTR */
	struct pl_lsm_attr attr[PL_ATTR_COUNT];

	/* PL_F_STACK: the kernel stack, "[<0>] sym+0x../0x..\n" lines */
	const char *stack;

	/* PL_F_SYSCALL: the system call the task is blocked in: its number
	** (-1: none) and arguments, its user stack and instruction pointers;
	** or running */
	int syscall_running;
	int64_t syscall_nr;
	uint64_t syscall_args[6], syscall_sp, syscall_pc;

	/* PL_F_KSM: what KSM counts for the task's mm (mm->ksm_*); ksm_mm 0:
	** no mm (a kernel thread, a zombie), both files read empty */
	int ksm_mm;
	uint64_t ksm_rmap_items, ksm_merging_pages;
	int64_t ksm_zero_pages, ksm_process_profit;
	int32_t ksm_merge_any, ksm_mergeable; /* MMF_VM_MERGE_ANY; a VM_MERGEABLE vma */

	/* PL_F_TIMERS: the process's POSIX timers */
	const struct pl_posix_timer *timers;
	size_t ntimers;

	/* PL_F_ARCH: arch_status (x86): whether it has its AVX-512 line (a
	** cpu with AVX512F, a task not a kernel thread) and the milliseconds
	** since the task last used AVX-512 (-1: never), as at the read */
	int32_t arch_avx512;
	int64_t avx512_elapsed_ms;

	/* PL_F_SCHED: the header's comm and thread count, then the lines */
	const char *sched_comm;
	int32_t sched_threads;
	const struct pl_sched_line *sched_lines;
	size_t nsched_lines;

	/* PL_F_TIMENS: the offsets of the task's time namespace for children
	** ([PL_TIMENS_MONOTONIC], [PL_TIMENS_BOOTTIME]), as the kernel keeps
	** them (a timespec64: nsec a long, negative if a write made it so);
	** timens_none: the task has no namespaces (a zombie), the file reads
	** empty.  timens_frozen: a task has entered that namespace (or it is
	** the initial one), so its offsets can no longer be written; a
	** world's, loaded for a write (the host's kernel decides its own). */
	struct pl_timens_offset timens[PL_TIMENS_COUNT];
	int32_t timens_none, timens_frozen;

	/* PL_F_NUMA: numa_maps, a line per vma.  A world's task that declares
	** none (numa_declared 0) shows its regions (PL_F_MAPS/SMAPS) as a
	** machine of one node with the default policy shows them. */
	const struct pl_numa_region *numa;
	size_t nnuma;
	int32_t numa_declared;
};

#endif
