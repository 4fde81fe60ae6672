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

struct pl_sysctl;
struct pl_named_setting;

enum {
	PL_M_UPTIME      = 1u << 0,
	PL_M_LOADAVG     = 1u << 1,
	PL_M_MEMINFO     = 1u << 2,
	PL_M_STAT        = 1u << 3,
	PL_M_CPUINFO     = 1u << 4,
	PL_M_VERSION     = 1u << 5,
	PL_M_FILESYSTEMS = 1u << 6,
	PL_M_SYSKERNEL   = 1u << 7,
	PL_M_VMSTAT      = 1u << 8,
	PL_M_SYSCTL      = 1u << 9,  /* one sys/ setting: load_sysctl, not load_machine */
	PL_M_SWAPS       = 1u << 10,
	PL_M_PARTITIONS  = 1u << 11,
	PL_M_DISKSTATS   = 1u << 12,
	PL_M_INTERRUPTS  = 1u << 13,
	PL_M_SOFTIRQS    = 1u << 14,
	PL_M_CGROUPS     = 1u << 15,
	PL_M_CMDLINE     = 1u << 16,
	PL_M_PSI_CPU     = 1u << 17,
	PL_M_PSI_MEMORY  = 1u << 18,
	PL_M_PSI_IO      = 1u << 19,
	PL_M_LOCKS       = 1u << 20,
	PL_M_TTY_DRIVERS = 1u << 21,
	/* machine files of issue 15's second part */
	PL_M_SYSVIPC     = 1u << 22,  /* sysvipc/shm, msg and sem, loaded together */
	PL_M_SLABINFO    = 1u << 23,
	PL_M_BUDDYINFO   = 1u << 24,
	PL_M_DEVTABLES   = 1u << 25,  /* devices, misc, consoles, execdomains */
	PL_M_CRYPTO      = 1u << 26,
	PL_M_ZONEINFO    = 1u << 27,
	PL_M_PAGETYPEINFO = 1u << 28,
	PL_M_RESOURCES   = 1u << 29,  /* iomem, ioports */
	PL_M_KALLSYMS    = 1u << 30,
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

/* "name value" lines (vmstat): the kernel's counters, in its order */
struct pl_counter {
	const char *name;
	uint64_t value;
};

/* swaps: one active swap area */
struct pl_swap {
	const char *path;          /* as the kernel names the file, unescaped */
	int partition;             /* a block device, else a file */
	uint64_t size_kb, used_kb;
	int32_t prio;
};

/* partitions and diskstats: one block device */
struct pl_block_dev {
	uint32_t major, minor;
	const char *name;
	uint64_t blocks;           /* partitions: 1 KiB blocks */
#define PL_DISK_FIELDS 17      /* diskstats since Linux 5.5 */
	uint64_t stat[PL_DISK_FIELDS];
	uint8_t nstat;             /* diskstats: how many the kernel printed */
};

/* interrupts and softirqs: a row of per-cpu counts */
struct pl_irq_row {
	const char *label;         /* "24", "NMI", "TIMER" */
	const uint64_t *count;
	size_t ncount;             /* one per cpu, or fewer (ERR, MIS: one) */
	const char *desc;          /* interrupts: the text after the counts, as
	                              the kernel composes it from chip, hwirq,
	                              trigger and the handlers' names */
};

/* cgroups: one controller */
struct pl_cgroup_subsys {
	const char *name;
	int32_t hierarchy, num_cgroups, enabled;
};

/* pressure/{cpu,memory,io}: some and full */
struct pl_psi_line {
	uint64_t avg_x100[3];      /* avg10, avg60, avg300 in hundredths of a percent */
	uint64_t total_us;
};
struct pl_psi {
	struct pl_psi_line some, full;
	int has_full;
};

/* locks: one lock, or a request blocked on one (fs/locks.c) */
enum { PL_LOCK_POSIX, PL_LOCK_ACCESS, PL_LOCK_OFDLCK, PL_LOCK_FLOCK, PL_LOCK_LEASE,
       PL_LOCK_DELEG, PL_LOCK_UNKNOWN };
enum { PL_LOCK_ADVISORY, PL_LOCK_NOINODE, PL_LOCK_ACTIVE, PL_LOCK_BREAKING, PL_LOCK_BREAKER,
       PL_LOCK_MODE_UNKNOWN };
enum { PL_LOCK_READ, PL_LOCK_WRITE, PL_LOCK_UNLCK };
struct pl_file_lock {
	int64_t id;                /* the holder's place in the kernel's list; its
	                              waiters repeat it */
	uint32_t depth;            /* 0: held; n: a request blocked n deep ("-> ") */
	uint8_t kind, mode, type;  /* PL_LOCK_* */
	int32_t pid;               /* as the reader's pid namespace sees the owner;
	                              -1 for OFD locks */
	int has_inode;             /* else "<none>:0" */
	uint32_t dev_major, dev_minor;
	uint64_t ino;
	int64_t start, end;        /* end -1: to EOF; the POSIX kinds only */
};

/* tty/drivers: one range of device numbers of a tty driver */
struct pl_tty_driver {
	const char *driver;        /* driver_name, or "unknown" */
	const char *name;          /* the device's name under /dev */
	uint32_t major, minor, minor_last;
	int ranged;                /* the driver has more than one minor: "first-last" */
	const char *type;          /* "system:/dev/tty", "serial", "pty:slave", "type:N.M" */
};

/* sysvipc/: one System V IPC object (ipc/{shm,msg,sem}.c's proc_show),
** its pids and ids as the reader's pid and user namespaces name them */
enum { PL_IPC_SHM, PL_IPC_MSG, PL_IPC_SEM, PL_IPC_KINDS };
struct pl_ipc_obj {
	int32_t key, id;
	uint32_t mode;             /* the permission bits and shm's SHM_DEST, SHM_LOCKED */
	uint64_t size;             /* shm: bytes; msg: bytes queued; sem: semaphores */
	uint64_t count;            /* shm: attaches; msg: messages queued */
	uint32_t pid[2];           /* shm: creator, last; msg: last sender, receiver */
	uint32_t uid, gid, cuid, cgid;
	uint64_t time[3];          /* shm: attach, detach, change; msg: send, receive,
	                              change; sem: operation, change */
	uint64_t rss, swap;        /* shm: bytes */
};

/* slabinfo: one cache (mm/slab_common.c cache_show, version 2.1) */
struct pl_slab {
	const char *name;
	uint64_t active_objs, num_objs;
	uint32_t objsize, objperslab;
	int32_t pagesperslab;
	uint32_t limit, batchcount, sharedfactor;
	uint64_t active_slabs, num_slabs, sharedavail;
};

/* buddyinfo: one zone's free blocks of each order */
#define PL_BUDDY_ORDERS 16
struct pl_buddy_zone {
	int32_t node;
	const char *zone;
	uint64_t free[PL_BUDDY_ORDERS];
	uint8_t norders;
};

/* zoneinfo: one zone of a node (mm/vmstat.c zoneinfo_show_print) */
struct pl_pageset {
	uint32_t cpu;
	const struct pl_counter *field;  /* count, high, batch, high_min, high_max */
	size_t nfield;
	int32_t threshold;               /* vm stats threshold */
};
struct pl_zone {
	int32_t node;
	const char *name;
	int has_node_stats;              /* the node's first populated zone: "per-node stats" */
	const struct pl_counter *node_stats;
	size_t nnode_stats;
	const struct pl_counter *pages;  /* free, boost, min, low, high, promo, spanned ... */
	size_t npages;
	const int64_t *protection;       /* lowmem_reserve */
	size_t nprotection;
	int populated;                   /* else nothing follows protection */
	const struct pl_counter *stats;  /* the zone's counters and its NUMA counters */
	size_t nstats;
	const struct pl_pageset *pagesets;
	size_t npagesets;
	uint32_t node_unreclaimable;
	uint64_t start_pfn;
};

/* pagetypeinfo: one node (mm/vmstat.c pagetypeinfo_show) */
#define PL_MIGRATE_TYPES 8
struct pl_pagetype_free {          /* a zone's free blocks of one migrate type */
	const char *zone, *type;
	uint64_t count[PL_BUDDY_ORDERS];
	uint32_t over;                 /* bit per order: ">" (counting stopped at 100000) */
};
struct pl_pagetype_blocks {        /* a zone's pageblocks of each migrate type */
	const char *zone;
	uint64_t count[PL_MIGRATE_TYPES];
};
struct pl_pagetype_node {
	int32_t node, block_order;
	uint64_t pages_per_block;
	uint32_t norders, ntypes;
	const char *types[PL_MIGRATE_TYPES];
	const struct pl_pagetype_free *free;
	size_t nfree;
	const struct pl_pagetype_blocks *blocks;
	size_t nblocks;
};

/* iomem, ioports: one resource of the tree (kernel/resource.c r_show) */
struct pl_resource {
	uint32_t depth;                /* 0: a child of the root */
	uint64_t start, end;
	const char *name;
};

/* kallsyms: one symbol (kernel/kallsyms.c s_show) */
struct pl_ksym {
	uint64_t addr;
	char type;                     /* 'T', 't', 'D' ... */
	const char *name;
	const char *module;            /* NULL: the kernel's own */
};

/* devices: a major of the character or block devices; misc: a minor of
** the misc device; consoles: a console; execdomains: a personality */
struct pl_dev_major {
	uint32_t major;
	const char *name;
	int block;                 /* listed under "Block devices:" */
};
struct pl_misc_dev {
	uint32_t minor;
	const char *name;
};
struct pl_console {
	const char *name;          /* with its index ("tty0", "ttyS0") */
	char rwu[4];               /* "RWU", each a letter or '-' */
	char flags[8];             /* "ECBNpba", each its letter or a space */
	int has_dev;               /* a tty: major:minor follows */
	uint32_t major, minor;
};
struct pl_execdomain {
	uint32_t first, last;
	const char *name, *module;
};

/* crypto: one algorithm, its "key : value" lines in the kernel's order */
struct pl_crypto_field {
	const char *key, *value;
};
struct pl_crypto_alg {
	const struct pl_crypto_field *field;
	size_t nfield;
};

struct pl_machine {
	unsigned have;
	/* PL_M_UPTIME: hundredths of a second */
	uint64_t uptime_cs, idle_cs;
	/* A world's clock: with cpu_rates, uptime and the cpu lines of stat
	** move on from their declared values as time passes, each cpu field
	** gaining cpu_rates[f] ticks a second (spread over the cpus); NULL:
	** they hold still. */
	const uint64_t *cpu_rates;
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
	/* PL_M_VMSTAT */
	const struct pl_counter *vmstat;
	size_t nvmstat;
	/* PL_M_SWAPS */
	const struct pl_swap *swaps;
	size_t nswaps;
	/* PL_M_PARTITIONS, PL_M_DISKSTATS: one list each, as the kernel lists them */
	const struct pl_block_dev *parts, *disks;
	size_t nparts, ndisks;
	/* PL_M_INTERRUPTS: the online cpus' numbers, the label column's width */
	const uint32_t *irq_cpus;
	size_t nirq_cpus;
	uint32_t irq_label_width;
	const struct pl_irq_row *irqs;
	size_t nirqs;
	/* PL_M_SOFTIRQS: the possible cpus' numbers */
	const uint32_t *softirq_cpus;
	size_t nsoftirq_cpus;
	const struct pl_irq_row *softirqs;
	size_t nsoftirqs;
	/* PL_M_CGROUPS */
	const struct pl_cgroup_subsys *cgroups;
	size_t ncgroups;
	/* PL_M_CMDLINE: the kernel's boot command line, without its newline */
	const char *boot_cmdline;
	/* PL_M_PSI_*: absent where the kernel has no PSI (have says) */
	struct pl_psi psi_cpu, psi_memory, psi_io;
	/* PL_M_LOCKS, as the kernel lists them */
	const struct pl_file_lock *locks;
	size_t nlocks;
	/* PL_M_TTY_DRIVERS */
	const struct pl_tty_driver *tty_drivers;
	size_t ntty_drivers;
	/* PL_M_SYSVIPC: shm, msg, sem */
	const struct pl_ipc_obj *ipc[PL_IPC_KINDS];
	size_t nipc[PL_IPC_KINDS];
	/* PL_M_SLABINFO */
	const struct pl_slab *slabs;
	size_t nslabs;
	/* PL_M_BUDDYINFO */
	const struct pl_buddy_zone *buddy;
	size_t nbuddy;
	/* PL_M_ZONEINFO */
	const struct pl_zone *zones;
	size_t nzones;
	/* PL_M_PAGETYPEINFO */
	const struct pl_pagetype_node *pagetype;
	size_t npagetype;
	/* PL_M_RESOURCES: the addresses as the daemon read them; a reader
	** without CAP_SYS_ADMIN in the top namespace is shown zeros */
	const struct pl_resource *iomem, *ioports;
	size_t niomem, nioports;
	/* PL_M_KALLSYMS: the addresses as the daemon read them, and the
	** settings that decide who sees them */
	const struct pl_ksym *ksyms;
	size_t nksyms;
	uint32_t kptr_restrict;
	int32_t perf_event_paranoid;
	/* PL_M_DEVTABLES */
	const struct pl_dev_major *dev_majors;
	size_t ndev_majors;
	const struct pl_misc_dev *misc;
	size_t nmisc;
	const struct pl_console *consoles;
	size_t nconsoles;
	const struct pl_execdomain *execdomains;
	size_t nexecdomains;
	/* PL_M_CRYPTO */
	const struct pl_crypto_alg *crypto;
	size_t ncrypto;
	/* the sys/ settings (sysctl.h) a world declares; the host reads each
	** on its own */
	struct pl_sysctl *sysctl;  /* PL_SYSCTL_COUNT, or NULL */
	/* and the settings it declares that have no row, read-only */
	const struct pl_named_setting *settings;
	size_t nsettings;
};

#endif
