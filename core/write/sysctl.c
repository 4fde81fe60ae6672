/*
** A world's sys/ settings, written by the kernel's rules (Linux 6.18):
** who may write them (fs/proc/proc_sysctl.c: proc_sys_permission and
** sysctl_perm at open, sysctl_perm again at each write), how a write's
** bytes become a value (kernel/sysctl.c: proc_dointvec_minmax,
** proc_douintvec_minmax, proc_doulongvec_minmax, proc_dostring with
** sysctl_writes_strict = 1, the default), and what each setting's own handler adds (the ranges of its
** table entry, Yama's CAP_SYS_PTRACE and lock at its maximum, ip_forward's
** CAP_NET_ADMIN, ip_local_port_range's order and privileged-port floor,
** core_pattern's coredump-socket form).  A refused or malformed write
** changes nothing and answers the kernel's errno; the new value is kept
** by the source's update_sysctl, in one transaction.
**
** A host's settings are not written here: the kernel decides (host.c).
**
** The world is one machine: its network, user and pid namespaces, whose
** settings net.*, user.* and kernel.pid_max are, are the initial ones,
** owned by the top user namespace, so a capability "over" them is one
** the writer holds in the top namespace.  A writer counts as being in the
** world's initial mount namespace (core_pattern's "@" form).
*/
#include "write/write.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "record/machine.h"
#include "write/kstrto.h"

enum { MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4 };

/* How the kernel's handler takes a write. */
enum handler {
	H_INT,        /* proc_dointvec_minmax (proc_dointvec: no bounds) */
	H_UINT,       /* proc_douintvec_minmax: one value, the whole count */
	H_ULONG,      /* proc_doulongvec_minmax */
	H_STRING,     /* proc_dostring (proc_do_uts_string copies in and out) */
	H_NONE,       /* a read-only entry: no write reaches a handler */
};

/* The table's root, whose permissions op turns the entry's mode into
** what sysctl_perm tests. */
enum root {
	R_SYSCTL,     /* the global table: the entry's mode as it is */
	R_NET,        /* net_ctl_permissions: CAP_NET_ADMIN over the netns */
	R_USER,       /* set_permissions: CAP_SYS_RESOURCE over the userns */
	R_PID,        /* pid_table_root_permissions */
};

/* What a handler checks or does besides parsing. */
enum extra {
	X_NONE,
	X_YAMA,       /* yama_dointvec_minmax: capable(CAP_SYS_PTRACE); the
	                 maximum, once set, is also the minimum */
	X_FORWARD,    /* devinet_sysctl_forward: CAP_NET_ADMIN over the netns */
	X_PORT_RANGE, /* ipv4_local_port_range: low <= high, low >= the first
	                 unprivileged port */
	X_COREDUMP,   /* proc_dostring_coredump: check_coredump_socket */
	X_PID_MAX,    /* the minimum follows the machine's cpus (pid_idr_init) */
};

struct rule {
	uint16_t mode;          /* the table entry's */
	uint8_t handler, root, extra;
	uint8_t has_min, has_max;
	int64_t min, max;       /* H_INT: ints; H_ULONG: as unsigned longs */
	unsigned maxlen;        /* H_STRING: the buffer, its NUL included */
};

#define RO { .mode = 0444, .handler = H_NONE }
#define INTVEC(rt, x) { .mode = 0644, .handler = H_INT, .root = rt, .extra = x }
#define MINMAX(rt, x, lo, hi) { .mode = 0644, .handler = H_INT, .root = rt, .extra = x, \
                                .has_min = 1, .has_max = 1, .min = lo, .max = hi }
#define MIN_ONLY(rt, lo) { .mode = 0644, .handler = H_INT, .root = rt, .has_min = 1, .min = lo }
#define ULONG(rt, lo, hi) { .mode = 0644, .handler = H_ULONG, .root = rt, \
                            .has_min = 1, .has_max = 1, .min = lo, .max = hi }
#define STRING(len, x) { .mode = 0644, .handler = H_STRING, .extra = x, .maxlen = len }

#define PID_MAX_LIMIT (4 * 1024 * 1024)  /* 64-bit: PID_MAX_LIMIT */
#define RESERVED_PIDS 300
#define PIDS_PER_CPU_MIN 8
#define MAX_THREADS 0x3fffffff           /* FUTEX_TID_MASK */
#define NR_OPEN_MAX (INT_MAX & -64)      /* sysctl_nr_open_max, 64-bit */
#define CORENAME_MAX_SIZE 128
#define NEW_UTS_LEN 64
#define UNIX_PATH_MAX 108
#define PROT_SOCK 1024                   /* net.ipv4.ip_unprivileged_port_start */
#define PAGE_SIZE 4096
#define KMALLOC_MAX_SIZE (4u << 20)      /* 1 << (MAX_PAGE_ORDER + PAGE_SHIFT) */
#define TMPBUFLEN 22

static const struct rule rules[PL_SYSCTL_COUNT] = {
	[PL_SYSCTL_CAP_LAST_CAP] = RO,
	[PL_SYSCTL_CORE_PATTERN] = STRING(CORENAME_MAX_SIZE, X_COREDUMP),
	[PL_SYSCTL_HOSTNAME] = STRING(NEW_UTS_LEN + 1, X_NONE),
	[PL_SYSCTL_NGROUPS_MAX] = RO,
	[PL_SYSCTL_PERF_EVENT_PARANOID] = INTVEC(R_SYSCTL, X_NONE),
	[PL_SYSCTL_PID_MAX] = MINMAX(R_PID, X_PID_MAX, RESERVED_PIDS + 1, PID_MAX_LIMIT),
	[PL_SYSCTL_THREADS_MAX] = MINMAX(R_SYSCTL, X_NONE, 1, MAX_THREADS),
	[PL_SYSCTL_BOOT_ID] = RO,
	[PL_SYSCTL_ENTROPY_AVAIL] = RO,
	[PL_SYSCTL_POOLSIZE] = RO,
	[PL_SYSCTL_RANDOM_UUID] = RO,
	[PL_SYSCTL_PTRACE_SCOPE] = MINMAX(R_SYSCTL, X_YAMA, 0, 3),
	[PL_SYSCTL_FILE_MAX] = ULONG(R_SYSCTL, 0, LONG_MAX),
	[PL_SYSCTL_FILE_NR] = RO,
	[PL_SYSCTL_INOTIFY_MAX_USER_INSTANCES] = ULONG(R_SYSCTL, 0, INT_MAX),
	[PL_SYSCTL_INOTIFY_MAX_USER_WATCHES] = ULONG(R_SYSCTL, 0, INT_MAX),
	[PL_SYSCTL_NR_OPEN] = { .mode = 0644, .handler = H_UINT, .has_min = 1, .has_max = 1,
	                        .min = 64, .max = NR_OPEN_MAX },
	[PL_SYSCTL_SOMAXCONN] = MIN_ONLY(R_NET, 0),
	[PL_SYSCTL_IP_FORWARD] = INTVEC(R_NET, X_FORWARD),
	[PL_SYSCTL_IP_LOCAL_PORT_RANGE] = MINMAX(R_NET, X_PORT_RANGE, 1, 65535),
	[PL_SYSCTL_MAX_USER_NAMESPACES] = { .mode = 0644, .handler = H_ULONG, .root = R_USER,
	                                    .has_min = 1, .has_max = 1, .min = 0, .max = INT_MAX },
	[PL_SYSCTL_MAX_MAP_COUNT] = MIN_ONLY(R_SYSCTL, 0),
	[PL_SYSCTL_OVERCOMMIT_MEMORY] = MINMAX(R_SYSCTL, X_NONE, 0, 2),
	[PL_SYSCTL_SWAPPINESS] = MINMAX(R_SYSCTL, X_NONE, 0, 200),
};

/* ------------------------------------------------------------------------
** Who may: sysctl_perm.
*/

/* in_egroup_p(GLOBAL_ROOT_GID): the effective gid or a supplementary
** group (the supplementary list is read with the fsgid's, which is the
** effective gid unless setfsgid made it otherwise). */
static int in_root_egroup(struct pl_caller *c)
{
	return c->egid == 0 || pl_caller_in_group(c, 0);
}

static int spread(int bits)
{
	return bits << 6 | bits << 3 | bits;
}

/* The mode sysctl_perm tests for c: the entry's, through its root's
** permissions op, the world's namespaces being the top's. */
static int root_mode(const struct rule *r, int mode, struct pl_caller *c)
{
	switch (r->root) {
	case R_NET:
		return pl_caller_capable(c, PL_CAP_NET_ADMIN) ? spread((mode >> 6) & 7) : mode;
	case R_USER:
		return spread(pl_caller_capable(c, PL_CAP_SYS_RESOURCE) ? (mode >> 6) & 7 : mode & 04);
	case R_PID:
		if (pl_caller_capable(c, PL_CAP_SYS_ADMIN) || c->euid == 0)
			return spread((mode >> 6) & 7);
		return spread(in_root_egroup(c) ? (mode >> 3) & 7 : mode & 04);
	default:
		return mode;
	}
}

/* test_perm: the owner's bits for an effective uid of 0, the group's for a
** member of group 0, no capability. */
static int test_perm(int mode, int op, struct pl_caller *c)
{
	if (c->euid == 0)
		mode >>= 6;
	else if (in_root_egroup(c))
		mode >>= 3;
	return (op & ~mode & 7) == 0 ? 0 : -EACCES;
}

static int sysctl_perm(const struct rule *r, int mode, int op, struct pl_caller *c)
{
	/* the effective ids; a caller whose status cannot be read (no process
	** the daemon can name, or one gone) is judged by the ids its request
	** carries, as a stranger, never as root by default */
	if (pl_caller_load(c) < 0 && !(c->have & PL_CALLER_ROOT)) {
		c->euid = c->uid;
		c->egid = c->gid;
	}
	return test_perm(root_mode(r, mode, c), op, c);
}

int pl_sysctl_permission(struct pl_source *src, struct pl_caller *c, int id, unsigned layout_mode,
                         int mask)
{
	const struct rule *r = &rules[id];
	if (mask & MAY_EXEC) /* executable files are not allowed under /proc/sys */
		return -EACCES;
	/* readable by every class: no root's permissions op takes reading
	** away, so no need to know who asks */
	if (mask == MAY_READ && (r->mode & layout_mode & 0444) == 0444)
		return 0;
	/* the host's kernel judges its own opens for writing (host.c opens the
	** file as the caller), unless the layout takes away what the kernel's
	** entry grants */
	if (src->ops->open_host_file && (mask & MAY_WRITE) && !(r->mode & ~layout_mode))
		return 0;
	return sysctl_perm(r, r->mode & layout_mode, mask, c);
}

/* ------------------------------------------------------------------------
** How bytes become numbers: proc_get_long and __do_proc_dointvec's loop.
*/

static void skip_spaces(const char **p, size_t *left)
{
	while (*left && pl_kisspace((unsigned char)**p)) {
		(*p)++;
		(*left)--;
	}
}

/*
** proc_get_long: an optional '-' (when more follows), a digit, then the
** number in the base its prefix says, from at most TMPBUFLEN - 1 bytes; a
** number that fills them all is refused (it could go on), and so is one
** followed by anything but a space, a tab or a newline.
*/
static int get_long(const char **buf, size_t *size, unsigned long long *val, int *neg)
{
	char tmp[TMPBUFLEN];
	size_t len = *size;
	if (len == 0)
		return -EINVAL;
	if (len > TMPBUFLEN - 1)
		len = TMPBUFLEN - 1;
	memcpy(tmp, *buf, len);
	tmp[len] = '\0';
	const char *p = tmp;
	*neg = *p == '-' && *size > 1;
	p += *neg;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	int overflow;
	size_t n = pl_kparse_integer(p, 0, val, &overflow);
	if (overflow)
		return -EINVAL;
	p += n;
	len = (size_t)(p - tmp);
	if (len == TMPBUFLEN - 1)
		return -EINVAL;
	if (len < *size && !memchr(" \t\n", *p, 3))
		return -EINVAL;
	*buf += len;
	*size -= len;
	return 0;
}

/* One value of a vector, checked as its conv function checks it: 0, or
** -EINVAL with nothing stored. */
typedef int (*conv_fn)(const struct rule *r, const int64_t *min, int neg, unsigned long long x,
                       uint64_t *out);

/* do_proc_dointvec_conv, then do_proc_dointvec_minmax_conv's bounds */
static int conv_int(const struct rule *r, const int64_t *min, int neg, unsigned long long x,
                    uint64_t *out)
{
	if (x > (unsigned long long)INT_MAX + neg)
		return -EINVAL;
	int64_t v = neg ? -(int64_t)x : (int64_t)x;
	if ((r->has_min && v < *min) || (r->has_max && v > r->max))
		return -EINVAL;
	*out = (uint64_t)v;
	return 0;
}

/* __do_proc_doulongvec_minmax: no sign, then the bounds */
static int conv_ulong(const struct rule *r, const int64_t *min, int neg, unsigned long long x,
                      uint64_t *out)
{
	if (neg || (r->has_min && x < (uint64_t)*min) || (r->has_max && x > (uint64_t)r->max))
		return -EINVAL;
	*out = x;
	return 0;
}

/*
** The write loop both vectors share: values separated by whitespace, at
** most n, each converted in turn into vals; the count the kernel reports
** is what the parse took (trailing whitespace included), of the first
** page; a write at a nonzero offset is taken whole and ignored.  A write
** that converted no value is EINVAL.
*/
static ssize_t parse_vector(const struct rule *r, const int64_t *min, conv_fn conv, unsigned n,
                            const char *buf, size_t count, uint64_t off, uint64_t *vals)
{
	if (count == 0)
		return 0;
	if (off) /* proc_first_pos_non_zero_ignore, SYSCTL_WRITES_STRICT */
		return (ssize_t)count;
	size_t left = count < PAGE_SIZE - 1 ? count : PAGE_SIZE - 1;
	const char *p = buf;
	int err = 0, first = 1;
	for (unsigned i = 0; left && i < n; i++, first = 0) {
		skip_spaces(&p, &left);
		if (!left)
			break;
		unsigned long long x;
		int neg;
		if ((err = get_long(&p, &left, &x, &neg)) < 0)
			break;
		if (conv(r, min, neg, x, &vals[i]) < 0) {
			err = -EINVAL;
			break;
		}
	}
	if (!err && left)
		skip_spaces(&p, &left);
	if (first)
		return err ? err : -EINVAL;
	return err ? err : (ssize_t)(count - left);
}

/*
** do_proc_douintvec_w: one unsigned value, its bounds (an int's range),
** whatever follows it after whitespace ignored; the count is the whole
** write's.  (The kernel leaves the file position where it was after such
** a write; through FUSE the position moves by the count, as for any
** write, so a second write(2) on the handle is one at an offset here.)
*/
static ssize_t parse_uint(const struct rule *r, const char *buf, size_t count, uint64_t off,
                          uint64_t *val)
{
	if (count == 0 || off)
		return (ssize_t)count;
	size_t left = count < PAGE_SIZE - 1 ? count : PAGE_SIZE - 1;
	const char *p = buf;
	skip_spaces(&p, &left);
	unsigned long long x;
	int neg;
	if (!left || get_long(&p, &left, &x, &neg) < 0 || neg || x > UINT_MAX ||
	    (r->has_min && x < (uint64_t)r->min) || (r->has_max && x > (uint64_t)r->max))
		return -EINVAL;
	*val = x;
	return (ssize_t)count;
}

/* ------------------------------------------------------------------------
** Strings: _proc_do_string, and core_pattern's check.
*/

/* name_contains_dotdot: ".." as a component */
static int contains_dotdot(const char *s)
{
	size_t n = strlen(s);
	return strcmp(s, "..") == 0 || strncmp(s, "../", 3) == 0 || strstr(s, "/../") ||
	       (n >= 3 && strcmp(s + n - 3, "/..") == 0);
}

/* check_coredump_socket: a pattern naming a coredump socket ("@/path", or
** "@@/path" for the request protocol) names it by an absolute path short
** enough for a socket address, without "..". */
static int coredump_socket_ok(const char *pat)
{
	if (pat[0] != '@')
		return 1;
	const char *path = pat[1] == '@' ? pat + 2 : pat + 1;
	if (path[0] != '/')
		return 0;
	return strlen(path) < UNIX_PATH_MAX && !contains_dotdot(pat);
}

/*
** A strict write at off: it continues the string from off (never past its
** end), up to a NUL or a newline or the buffer's room, and ends it there;
** the whole count is reported whatever was taken.
*/
static ssize_t write_string(const struct rule *r, char *data, const char *buf, size_t count,
                            uint64_t off)
{
	if (count == 0)
		return 0;
	size_t len = strlen(data);
	if (len > r->maxlen - 1)
		len = r->maxlen - 1;
	if (off > len)
		return (ssize_t)count;
	len = (size_t)off;
	for (size_t i = 0; i < count && len < r->maxlen - 1; i++) {
		if (buf[i] == '\0' || buf[i] == '\n')
			break;
		data[len++] = buf[i];
	}
	data[len] = '\0';
	return (ssize_t)count;
}

/* ------------------------------------------------------------------------
** The write.
*/

struct change {
	const struct rule *r;
	const char *buf;
	size_t len;
	uint64_t off;
	int64_t min;                     /* the lower bound, as this write sees it */
	char text[CORENAME_MAX_SIZE + 1]; /* a string's new value */
};

/* Under the source's lock: the new value from the one there is. */
static ssize_t apply(void *arg, struct pl_sysctl *v)
{
	struct change *ch = arg;
	const struct rule *r = ch->r;
	if (r->handler == H_STRING) {
		snprintf(ch->text, r->maxlen, "%s", v->text ? v->text : "");
		ssize_t n = write_string(r, ch->text, ch->buf, ch->len, ch->off);
		if (n > 0 && r->extra == X_COREDUMP && !coredump_socket_ok(ch->text))
			return -EINVAL; /* the old pattern stays */
		v->text = ch->text;
		return n;
	}
	unsigned n = v->n ? v->n : 1;
	uint64_t vals[PL_SYSCTL_MAX_NUMBERS];
	memcpy(vals, v->v, sizeof vals);
	if (r->handler == H_UINT) {
		ssize_t count = parse_uint(r, ch->buf, ch->len, ch->off, &vals[0]);
		if (count > 0)
			memcpy(v->v, vals, sizeof vals);
		return count;
	}
	int64_t min = ch->min;
	/* Yama: once at its maximum, it stays there */
	if (r->extra == X_YAMA && (int64_t)v->v[0] == r->max)
		min = r->max;
	ssize_t count = parse_vector(r, &min, r->handler == H_INT ? conv_int : conv_ulong, n,
	                             ch->buf, ch->len, ch->off, vals);
	if (count < 0)
		return count;
	if (r->extra == X_PORT_RANGE &&
	    ((int64_t)vals[1] < (int64_t)vals[0] || (int64_t)vals[0] < PROT_SOCK))
		return -EINVAL;
	memcpy(v->v, vals, sizeof vals);
	return count;
}

/* pid_max's minimum: PIDS_PER_CPU_MIN a possible cpu, at least
** RESERVED_PIDS + 1. */
static int64_t pid_max_min(struct pl_source *src)
{
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_machine m;
	memset(&m, 0, sizeof m);
	int64_t min = RESERVED_PIDS + 1;
	if (src->ops->load_machine &&
	    src->ops->load_machine(src, PL_M_SOFTIRQS | PL_M_STAT, &a, &m) == 0) {
		size_t cpus = m.nsoftirq_cpus ? m.nsoftirq_cpus : m.ncpus ? m.ncpus - 1 : 0;
		if ((int64_t)cpus * PIDS_PER_CPU_MIN > min)
			min = (int64_t)cpus * PIDS_PER_CPU_MIN;
	}
	pl_arena_free(&a);
	return min;
}

ssize_t pl_write_sysctl(const struct pl_write *w)
{
	const struct rule *r = &rules[w->sysctl];
	/* proc_sys_call_handler: the writer passes sysctl_perm too (a handle
	** opened by another may not be written by anyone) */
	if (sysctl_perm(r, r->mode, MAY_WRITE, w->writer) < 0)
		return -EPERM;
	if (r->handler == H_NONE)
		return -EINVAL;
	if (w->len >= KMALLOC_MAX_SIZE)
		return -ENOMEM;
	/* the handlers' own checks, before they parse */
	if (r->extra == X_YAMA && !pl_caller_capable(w->writer, PL_CAP_SYS_PTRACE))
		return -EPERM;
	if (r->extra == X_FORWARD && !pl_caller_capable(w->writer, PL_CAP_NET_ADMIN))
		return -EPERM;
	if (!w->src->ops->update_sysctl)
		return -EINVAL;
	struct change ch = { .r = r, .buf = w->buf, .len = w->len, .off = w->off, .min = r->min };
	if (r->extra == X_PID_MAX)
		ch.min = pid_max_min(w->src);
	return w->src->ops->update_sysctl(w->src, w->sysctl, apply, &ch);
}

unsigned pl_sysctl_mode(int id)
{
	return rules[id].mode;
}

/* The table a setting with no row is registered in, by where it is: the
** per-namespace roots' settings are under net/ and user/, and the pid
** namespace's are two of kernel/. */
static int root_of(const char *path)
{
	if (strncmp(path, "net/", 4) == 0)
		return R_NET;
	if (strncmp(path, "user/", 5) == 0)
		return R_USER;
	if (strcmp(path, "kernel/ns_last_pid") == 0 || strcmp(path, "kernel/pid_max") == 0)
		return R_PID;
	return R_SYSCTL;
}

int pl_setting_permission(struct pl_source *src, struct pl_caller *c, const char *path,
                          unsigned mode, int mask)
{
	if (mask & MAY_EXEC)
		return -EACCES;
	if (mask == MAY_READ && (mode & 0444) == 0444)
		return 0;
	/* the host's kernel judges its own opens for writing */
	if (src->ops->open_host_file && (mask & MAY_WRITE))
		return 0;
	struct rule r = { .mode = (uint16_t)mode, .root = (uint8_t)root_of(path) };
	return sysctl_perm(&r, (int)mode, mask, c);
}

int pl_setting_namespace(const char *path)
{
	switch (root_of(path)) {
	case R_NET:
		return PL_SYSCTL_NS_NET;
	case R_USER:
		return PL_SYSCTL_NS_USER;
	case R_PID:
		return PL_SYSCTL_NS_PID;
	default:
		break;
	}
	if (strcmp(path, "kernel/hostname") == 0 || strcmp(path, "kernel/domainname") == 0)
		return PL_SYSCTL_NS_UTS;
	/* ipc/ipc_sysctl.c's and ipc/mq_sysctl.c's tables, one set per IPC namespace */
	static const char *const ipc[] = {
		"kernel/shmmax", "kernel/shmall", "kernel/shmmni", "kernel/shm_rmid_forced",
		"kernel/msgmax", "kernel/msgmni", "kernel/auto_msgmni", "kernel/msgmnb", "kernel/sem",
		"kernel/sem_next_id", "kernel/msg_next_id", "kernel/shm_next_id",
	};
	for (size_t i = 0; i < sizeof ipc / sizeof ipc[0]; i++)
		if (strcmp(path, ipc[i]) == 0)
			return PL_SYSCTL_NS_IPC;
	return strncmp(path, "fs/mqueue/", 10) == 0 ? PL_SYSCTL_NS_IPC : PL_SYSCTL_NS_NONE;
}

int pl_sysctl_namespace(int id)
{
	char path[96];
	return pl_setting_path(pl_sysctl_defs[id].name, path, sizeof path) < 0 ? PL_SYSCTL_NS_NONE
	       : pl_setting_namespace(path);
}

int pl_sysctl_path(int id, char *buf, size_t len)
{
	int n = snprintf(buf, len, "sys/%s", pl_sysctl_defs[id].name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	for (char *c = buf + 4; *c; c++)
		if (*c == '.')
			*c = '/';
	return 0;
}
