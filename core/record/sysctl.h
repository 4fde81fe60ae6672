/*
** The sys/ settings proclua serves: a subset of the kernel's sysctl tree,
** chosen as the settings common programs read at start (see the list) and
** `sysctl NAME` shows.  Each is a typed fact: numbers, a line of text or a
** UUID, parsed from the host kernel's file and formatted back as
** proc_dointvec, proc_doulongvec_minmax, proc_dostring and proc_do_uuid do.
*/
#ifndef PL_SYSCTL_H
#define PL_SYSCTL_H

#include <stdint.h>

enum pl_sysctl_type {
	PL_SYSCTL_INT,        /* signed, tab-separated: proc_dointvec */
	PL_SYSCTL_ULONG,      /* unsigned, tab-separated: proc_doulongvec_minmax */
	PL_SYSCTL_TEXT,       /* one line: proc_dostring */
	PL_SYSCTL_UUID,       /* fixed for the boot: boot_id */
	PL_SYSCTL_FRESH_UUID, /* a new random (version 4) UUID each read: uuid */
};

/*
** X(ID, sysctl name, type, how many numbers) -- the name's dots are the
** path's slashes under sys/.  Who reads each:
**   cap_last_cap: libcap, systemd, container runtimes (the capability bound)
**   threads-max, max_user_namespaces: systemd (TasksMax), bwrap, podman
**   ngroups_max: glibc's sysconf(_SC_NGROUPS_MAX), getconf
**   perf_event_paranoid: perf, rr, bcc     core_pattern: apport, systemd-coredump
**   random/{boot_id,uuid,entropy_avail,poolsize}: systemd, journalctl,
**     scripts wanting an id, node_exporter
**   yama/ptrace_scope: gdb, strace (where the kernel has Yama)
**   overcommit_memory: glibc's malloc, Redis   max_map_count: Elasticsearch, JVMs
**   swappiness, file-max, file-nr: node_exporter, monitoring agents
**   nr_open: systemd, containerd (raising RLIMIT_NOFILE)
**   inotify/max_user_{watches,instances}: file watchers (VS Code, webpack)
**   somaxconn: Go's net package, Redis, nginx's checks
**   ip_local_port_range, ip_forward: Kubernetes, Docker, Envoy
**   hostname, pid_max: also served as the machine's facts ("hostname",
**     "pid_max" builtins); these rows name the same values as settings,
**     so a write reaches them as it reaches any other
** The types are the kernel's handlers' (inotify's and user.*'s limits are
** longs: proc_doulongvec_minmax).
*/
#define PL_SYSCTLS(X) \
	X(CAP_LAST_CAP, "kernel.cap_last_cap", PL_SYSCTL_INT, 1) \
	X(CORE_PATTERN, "kernel.core_pattern", PL_SYSCTL_TEXT, 0) \
	X(HOSTNAME, "kernel.hostname", PL_SYSCTL_TEXT, 0) \
	X(NGROUPS_MAX, "kernel.ngroups_max", PL_SYSCTL_INT, 1) \
	X(PERF_EVENT_PARANOID, "kernel.perf_event_paranoid", PL_SYSCTL_INT, 1) \
	X(PID_MAX, "kernel.pid_max", PL_SYSCTL_INT, 1) \
	X(THREADS_MAX, "kernel.threads-max", PL_SYSCTL_INT, 1) \
	X(BOOT_ID, "kernel.random.boot_id", PL_SYSCTL_UUID, 0) \
	X(ENTROPY_AVAIL, "kernel.random.entropy_avail", PL_SYSCTL_INT, 1) \
	X(POOLSIZE, "kernel.random.poolsize", PL_SYSCTL_INT, 1) \
	X(RANDOM_UUID, "kernel.random.uuid", PL_SYSCTL_FRESH_UUID, 0) \
	X(PTRACE_SCOPE, "kernel.yama.ptrace_scope", PL_SYSCTL_INT, 1) \
	X(FILE_MAX, "fs.file-max", PL_SYSCTL_ULONG, 1) \
	X(FILE_NR, "fs.file-nr", PL_SYSCTL_ULONG, 3) \
	X(INOTIFY_MAX_USER_INSTANCES, "fs.inotify.max_user_instances", PL_SYSCTL_ULONG, 1) \
	X(INOTIFY_MAX_USER_WATCHES, "fs.inotify.max_user_watches", PL_SYSCTL_ULONG, 1) \
	X(NR_OPEN, "fs.nr_open", PL_SYSCTL_INT, 1) \
	X(SOMAXCONN, "net.core.somaxconn", PL_SYSCTL_INT, 1) \
	X(IP_FORWARD, "net.ipv4.ip_forward", PL_SYSCTL_INT, 1) \
	X(IP_LOCAL_PORT_RANGE, "net.ipv4.ip_local_port_range", PL_SYSCTL_INT, 2) \
	X(MAX_USER_NAMESPACES, "user.max_user_namespaces", PL_SYSCTL_ULONG, 1) \
	X(MAX_MAP_COUNT, "vm.max_map_count", PL_SYSCTL_INT, 1) \
	X(OVERCOMMIT_MEMORY, "vm.overcommit_memory", PL_SYSCTL_INT, 1) \
	X(SWAPPINESS, "vm.swappiness", PL_SYSCTL_INT, 1)

enum pl_sysctl_id {
#define PL_SYSCTL_ENUM(id, name, type, n) PL_SYSCTL_##id,
	PL_SYSCTLS(PL_SYSCTL_ENUM)
#undef PL_SYSCTL_ENUM
	PL_SYSCTL_COUNT
};

struct pl_sysctl_def {
	const char *name;          /* "kernel.cap_last_cap" */
	uint8_t type;              /* enum pl_sysctl_type */
	uint8_t n;                 /* numbers, for INT and ULONG */
};

extern const struct pl_sysctl_def pl_sysctl_defs[PL_SYSCTL_COUNT];

#define PL_SYSCTL_MAX_NUMBERS 4

/* One setting's value. */
struct pl_sysctl {
	uint8_t set;               /* 0: the machine has no such setting */
	uint8_t n;
	uint64_t v[PL_SYSCTL_MAX_NUMBERS]; /* INT: int64_t bits */
	const char *text;          /* TEXT, without the newline */
	uint8_t uuid[16];          /* UUID; FRESH_UUID when a world pins it */
};

/* The id of a sysctl name ("vm.overcommit_memory"), or -1. */
int pl_sysctl_lookup(const char *name);
/* The id of a setting by its path under sys/ ("vm/overcommit_memory"), or -1. */
int pl_sysctl_lookup_path(const char *path);

/*
** Every other setting of the machine (the kernel has some 1,300, and more
** per network interface): named by its path under sys/, which is sysctl's
** name with the separators swapped ("net/ipv4/conf/eth0.100/forwarding"
** is sysctl's net.ipv4.conf.eth0/100.forwarding).  Its value is what the
** kernel's handler prints: the numbers of the proc_do*vec handlers (a
** vector, tab-separated), or else text (proc_dostring and the rest).
*/
#define PL_SETTING_MAX_NUMBERS 64
#define PL_SETTING_MAX_TEXT 65536

struct pl_setting {
	int err;                   /* -errno: reading it fails so (stable_secret: EIO) */
	uint32_t n;                /* numbers; 0: text */
	uint64_t neg;              /* bit i: number i is negative */
	uint64_t *mag;             /* the numbers' magnitudes */
	const char *text;          /* text, without its last newline */
	size_t len;
	uint8_t newline;           /* the text ends with a newline */
};

/* A world's setting with no row. */
struct pl_named_setting {
	const char *path;
	struct pl_setting v;
};

/* Each setting a source has, by its path under sys/, with its mode (0:
** the mode record/sysctl.h's row says, for a setting that has one); a
** directory may be named too (S_IFDIR in mode), so an empty one is one. */
typedef int (*pl_setting_fn)(void *arg, const char *path, unsigned mode);

/* sysctl's name of a path under sys/ into buf (a '.' of the path is a
** '/' there, and each '/' a '.'), and back. */
int pl_setting_name(const char *path, char *buf, size_t len);
int pl_setting_path(const char *name, char *buf, size_t len);

#endif
