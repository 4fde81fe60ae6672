/*
** The builtin generators: Linux's per-task table, minus the tree shape
** (which the layout declares).  Each line says what facts a file needs and
** what check guards it; the functions below only format.
*/
#include "tree/builtin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/net.h"
#include "record/scratch.h"
#include "write/write.h"

static int g_statm(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_statm(g->task, o); }
static int g_comm(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_comm(g->task, o); }
static int g_io(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_io(g->task, o); }
static int g_limits(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_limits(g->task, o); }
static int g_cgroup(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_cgroup(g->task, o); }
static int g_maps(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_maps(g->task, o); }
static int g_smaps(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_smaps(g->task, o); }
static int g_rollup(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_smaps_rollup(g->task, o); }
static int g_mounts(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_mounts(g->task, o); }
static int g_mountstats(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_mountstats(g->task, o); }
static int g_ksm_merging_pages(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_ksm_merging_pages(g->task, o); }
static int g_ksm_stat(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_ksm_stat(g->task, o); }
static int g_arch_status(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_arch_status(g->task, o); }
static int g_timers(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_timers(g->task, o); }
static int g_mountinfo(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_mountinfo(g->task, o); }
static int g_setgroups(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_setgroups(g->task, o); }
static int g_auxv(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_auxv(g->task, o); }
static int g_oom_score(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_oom_score(g->task, o); }
static int g_oom_adj(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_oom_score_adj(g->task, o); }
static int g_coredump(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_coredump_filter(g->task, o); }
static int g_children(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_children(g->task, o); }
static int g_timens(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_timens_offsets(g->task, o); }
static int g_numa_maps(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_numa_maps(g->task, o); }

/* a / b rounded toward minus infinity (b > 0) */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/*
** A task reading its own stat, status or wchan runs while it reads: the
** kernel shows it R, not blocked anywhere (wchan 0, stat's wchan flag 0),
** where the host shows the reader asleep in the mount's request.  And
** stat's starttime is in the reader's time namespace.  The task as such a
** reader sees it: a copy, or the task itself.
*/
static const struct pl_task *as_read(const struct pl_gen_ctx *g, struct pl_task **copy)
{
	*copy = NULL;
	if (!g->reader_runs && !g->boot_shift_ns)
		return g->task;
	if (!(*copy = malloc(sizeof **copy)))
		return NULL;
	**copy = *g->task;
	if (g->reader_runs) {
		(*copy)->state = 'R';
		(*copy)->wchan_flag = 0;
		(*copy)->wchan = "0";
	}
	/* the kernel adds the offset to the start in ns, as u64 (a task
	** that started before a negative offset wraps), then makes clock
	** ticks (USER_HZ 100): exact for a shift of whole hundredths, as
	** unshare --boottime sets whole seconds; else within a tick */
	uint64_t start_ns = g->task->starttime * 10000000 + (uint64_t)g->boot_shift_ns;
	(*copy)->starttime = start_ns / 10000000;
	return *copy;
}

static int g_stat(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	struct pl_task *copy;
	const struct pl_task *t = as_read(g, &copy);
	int rc = t ? pl_fmt_stat(t, g->permitted, o) : -ENOMEM;
	free(copy);
	return rc;
}

static int g_wchan(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	struct pl_task *copy;
	const struct pl_task *t = as_read(g, &copy);
	int rc = t ? pl_fmt_wchan(t, g->permitted, o) : -ENOMEM;
	free(copy);
	return rc;
}

/*
** status names ids as the reader's namespace does (from_kuid_munged);
** an unmapped id prints as the overflow id.
*/
static int g_status(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	const struct pl_idview *v = g->ids;
	if (!v && !g->reader_runs)
		return pl_fmt_status(g->task, o);
	struct pl_task *t = malloc(sizeof *t);
	uint32_t *groups = malloc((g->task->ngroups ? g->task->ngroups : 1) * sizeof *groups);
	int rc = -ENOMEM;
	if (t && groups) {
		*t = *g->task;
		if (g->reader_runs)
			t->state = 'R';
		for (int i = 0; v && i < 4; i++) {
			t->cred.uid[i] = pl_idview_map(v->uid, v->nuid, t->cred.uid[i], v->overflow_uid);
			t->cred.gid[i] = pl_idview_map(v->gid, v->ngid, t->cred.gid[i], v->overflow_gid);
		}
		for (size_t i = 0; v && i < t->ngroups; i++)
			groups[i] = pl_idview_map(v->gid, v->ngid, t->groups[i], v->overflow_gid);
		if (v)
			t->groups = groups;
		rc = pl_fmt_status(t, o);
	}
	free(groups);
	free(t);
	return rc;
}

/*
** uid_map and gid_map show lower ids in the reader's namespace, or, for a
** reader inside the map's own namespace, in its parent's (uid_m_show);
** an unmapped lower id prints as (u32)-1.  A parent below the top is not
** known to the daemon by its maps: such lower ids print as the top names
** them.
*/
static int idmap_for_reader(const struct pl_gen_ctx *g, const struct pl_idmap_extent *e, size_t n,
                            const struct pl_idmap_extent *view, size_t nview, struct pl_buf *o)
{
	struct pl_userns_chain ns;
	if (!g->ids || g->src->ops->userns(g->src, g->tgid, g->tid, &ns) < 0 ||
	    (ns.n > 0 && ns.ns[0].ino == g->ids->ns))
		return pl_fmt_idmap(e, n, o);
	struct pl_idmap_extent *mine = malloc((n ? n : 1) * sizeof *mine);
	if (!mine)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		mine[i] = e[i];
		mine[i].lower_first = pl_idview_map(view, nview, e[i].lower_first, UINT32_MAX);
	}
	int rc = pl_fmt_idmap(mine, n, o);
	free(mine);
	return rc;
}

static int g_uid_map(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	const struct pl_idview *v = g->ids;
	return idmap_for_reader(g, g->task->uid_map, g->task->nuid_map, v ? v->uid : NULL,
	                        v ? v->nuid : 0, o);
}

static int g_gid_map(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	const struct pl_idview *v = g->ids;
	return idmap_for_reader(g, g->task->gid_map, g->task->ngid_map, v ? v->gid : NULL,
	                        v ? v->ngid : 0, o);
}

/* projid_m_show: as uid_map, through the reader's namespace's projid_map. */
static int g_projid_map(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	const struct pl_idview *v = g->ids;
	return idmap_for_reader(g, g->task->projid_map, g->task->nprojid_map,
	                        v ? v->projid : NULL, v ? v->nprojid : 0, o);
}

static ssize_t read_task_mem(void *arg, uint64_t addr, void *buf, size_t len)
{
	const struct pl_gen_ctx *g = arg;
	return g->src->ops->read_mem(g->src, g->tgid, addr, buf, len);
}

/* stat's address fields are 0 when the task has no mm (zombie, kthread). */
static const struct pl_mm *task_mm(const struct pl_task *t)
{
	return t->mm.env_end ? &t->mm : NULL;
}

/*
** Where the kernel refuses the daemon a task's memory, the kernel's own
** file is the fact: cmdline, which Linux shows everyone (stat then masks
** the addresses it is built from: an mm, vsize > 0, without a stack
** address), and environ, which needs only ptrace READ where the daemon's
** copy-in needs ATTACH.
*/
static int masked(const struct pl_task *t)
{
	return t->vsize && !t->mm.start_stack && !t->mm.env_end;
}

static int kernel_text(const struct pl_gen_ctx *g, uint64_t group, struct pl_buf *o)
{
	struct pl_task *own = calloc(1, sizeof *own);
	struct pl_scratch *s = pl_scratch();
	int rc = -ENOMEM;
	if (own && s && (rc = g->src->ops->load(g->src, g->tgid, g->tid, group, &s->arena, own)) == 0) {
		if (group == PL_F_CMDLINE && own->cmdline_text)
			pl_buf_add(o, own->cmdline_text, own->cmdline_len);
		else if (group == PL_F_ENVIRON && own->environ_text)
			pl_buf_add(o, own->environ_text, own->environ_len);
		rc = pl_buf_status(o);
	}
	free(own);
	return rc;
}

static int refused(int rc)
{
	return rc == -EACCES || rc == -EPERM;
}

static int g_cmdline(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	if (masked(g->task))
		return kernel_text(g, PL_F_CMDLINE, o);
	size_t start = o->len;
	int rc = pl_fmt_cmdline(task_mm(g->task), read_task_mem, (void *)g, o);
	if (!refused(rc))
		return rc;
	o->len = start;
	return kernel_text(g, PL_F_CMDLINE, o);
}

static int g_environ(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	if (masked(g->task))
		return kernel_text(g, PL_F_ENVIRON, o);
	size_t start = o->len;
	int rc = pl_fmt_environ(task_mm(g->task), read_task_mem, (void *)g, o);
	if (!refused(rc))
		return rc;
	o->len = start;
	return kernel_text(g, PL_F_ENVIRON, o);
}

static int g_oom_adj_legacy(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_oom_adj(g->task, o); }
static int g_sessionid(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_sessionid(g->task, o); }
static int g_schedstat(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_schedstat(g->task, o); }
static int g_autogroup(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_autogroup(g->task, o); }
static int g_cpuset(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_cpuset(g->task, o); }

/* sched: the kernel's lines, or for a record without them (a world's task
** that declares none) lines made from its scheduler facts, loaded then */
static int g_sched(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	if (g->task->sched_comm)
		return pl_fmt_sched(g->task, o);
	struct pl_task *t = calloc(1, sizeof *t);
	struct pl_scratch *s = pl_scratch();
	int rc = t && s ? g->src->ops->load(g->src, g->tgid, g->tid,
	                                    PL_F_SCHED | PL_F_STAT | PL_F_STATUS | PL_F_SCHEDSTAT,
	                                    &s->arena, t)
	                : -ENOMEM;
	if (rc == 0)
		rc = pl_fmt_sched(t, o);
	free(t);
	return rc;
}

/* loginuid is shown as the reader's namespace names it (from_kuid on the
** opener's namespace): an id it does not map prints as (u32)-1. */
static int g_loginuid(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	const struct pl_idview *v = g->ids;
	if (!v || g->task->loginuid == UINT32_MAX)
		return pl_fmt_loginuid(g->task, o);
	struct pl_task *t = malloc(sizeof *t);
	if (!t)
		return -ENOMEM;
	*t = *g->task;
	t->loginuid = pl_idview_map(v->uid, v->nuid, t->loginuid, UINT32_MAX);
	int rc = pl_fmt_loginuid(t, o);
	free(t);
	return rc;
}

/* Files the kernel may refuse the daemon itself: its errno reaches the reader. */
#define REFUSABLE_FMT(name, err, fn) \
	static int name(const struct pl_gen_ctx *g, struct pl_buf *o) \
	{ return g->task->err ? -(int)g->task->err : fn(g->task, o); }
REFUSABLE_FMT(g_personality, personality_err, pl_fmt_personality)
REFUSABLE_FMT(g_timerslack, timerslack_err, pl_fmt_timerslack_ns)
REFUSABLE_FMT(g_stack, stack_err, pl_fmt_stack)
REFUSABLE_FMT(g_syscall, syscall_err, pl_fmt_syscall)

#define ATTR_FMT(i) \
	static int g_attr_##i(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_attr(g->task, i, o); }
ATTR_FMT(0) ATTR_FMT(1) ATTR_FMT(2) ATTR_FMT(3) ATTR_FMT(4) ATTR_FMT(5)
_Static_assert(PL_ATTR_COUNT == 6, "a formatter for each file of attr/");

/* uptime and stat's btime as a reader in another time namespace sees
** them; exact for a shift of whole hundredths (uptime) and seconds (btime) */
static int g_uptime(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	if (!g->boot_shift_ns)
		return pl_fmt_uptime(g->machine, o);
	struct pl_machine m = *g->machine;
	int64_t up = (int64_t)m.uptime_cs + floor_div(g->boot_shift_ns, 10000000);
	m.uptime_cs = up < 0 ? 0 : (uint64_t)up;
	return pl_fmt_uptime(&m, o);
}

static int g_system_stat(const struct pl_gen_ctx *g, struct pl_buf *o)
{
	if (!g->boot_shift_ns)
		return pl_fmt_machine_stat(g->machine, o);
	struct pl_machine m = *g->machine;
	m.btime = (uint64_t)((int64_t)m.btime - floor_div(g->boot_shift_ns, 1000000000));
	return pl_fmt_machine_stat(&m, o);
}

#define MACHINE_FMT(name, fn) \
	static int name(const struct pl_gen_ctx *g, struct pl_buf *o) { return fn(g->machine, o); }
MACHINE_FMT(g_loadavg, pl_fmt_loadavg)
MACHINE_FMT(g_meminfo, pl_fmt_meminfo)
MACHINE_FMT(g_cpuinfo, pl_fmt_cpuinfo)
MACHINE_FMT(g_version, pl_fmt_version)
MACHINE_FMT(g_filesystems, pl_fmt_filesystems)
MACHINE_FMT(g_pid_max, pl_fmt_pid_max)
MACHINE_FMT(g_osrelease, pl_fmt_osrelease)
MACHINE_FMT(g_ostype, pl_fmt_ostype)
MACHINE_FMT(g_hostname, pl_fmt_hostname)
MACHINE_FMT(g_vmstat, pl_fmt_vmstat)
MACHINE_FMT(g_swaps, pl_fmt_swaps)
MACHINE_FMT(g_partitions, pl_fmt_partitions)
MACHINE_FMT(g_diskstats, pl_fmt_diskstats)
MACHINE_FMT(g_interrupts, pl_fmt_interrupts)
MACHINE_FMT(g_softirqs, pl_fmt_softirqs)
MACHINE_FMT(g_cgroups, pl_fmt_cgroups)
MACHINE_FMT(g_boot_cmdline, pl_fmt_boot_cmdline)
MACHINE_FMT(g_locks, pl_fmt_locks)
MACHINE_FMT(g_tty_drivers, pl_fmt_tty_drivers)
/* sysvipc/: the objects' ids as the reader's user namespace names them
** (a world's reader; a host reader in a namespace of its own reads the
** kernel's, tree/machine_as.c) */
static int sysvipc_as(const struct pl_gen_ctx *g, int kind, struct pl_buf *o)
{
	static int (*const fmt[PL_IPC_KINDS])(const struct pl_machine *, struct pl_buf *) = {
		pl_fmt_sysvipc_shm, pl_fmt_sysvipc_msg, pl_fmt_sysvipc_sem
	};
	const struct pl_idview *v = g->ids;
	size_t n = g->machine->nipc[kind];
	if (!v || !n)
		return fmt[kind](g->machine, o);
	struct pl_ipc_obj *objs = malloc(n * sizeof *objs);
	if (!objs)
		return -ENOMEM;
	memcpy(objs, g->machine->ipc[kind], n * sizeof *objs);
	for (size_t i = 0; i < n; i++) {
		objs[i].uid = pl_idview_map(v->uid, v->nuid, objs[i].uid, v->overflow_uid);
		objs[i].cuid = pl_idview_map(v->uid, v->nuid, objs[i].cuid, v->overflow_uid);
		objs[i].gid = pl_idview_map(v->gid, v->ngid, objs[i].gid, v->overflow_gid);
		objs[i].cgid = pl_idview_map(v->gid, v->ngid, objs[i].cgid, v->overflow_gid);
	}
	struct pl_machine m = *g->machine;
	m.ipc[kind] = objs;
	int rc = fmt[kind](&m, o);
	free(objs);
	return rc;
}
static int g_sysvipc_shm(const struct pl_gen_ctx *g, struct pl_buf *o) { return sysvipc_as(g, PL_IPC_SHM, o); }
static int g_sysvipc_msg(const struct pl_gen_ctx *g, struct pl_buf *o) { return sysvipc_as(g, PL_IPC_MSG, o); }
static int g_sysvipc_sem(const struct pl_gen_ctx *g, struct pl_buf *o) { return sysvipc_as(g, PL_IPC_SEM, o); }
MACHINE_FMT(g_slabinfo, pl_fmt_slabinfo)
MACHINE_FMT(g_buddyinfo, pl_fmt_buddyinfo)
MACHINE_FMT(g_devices, pl_fmt_devices)
MACHINE_FMT(g_misc, pl_fmt_misc)
MACHINE_FMT(g_consoles, pl_fmt_consoles)
MACHINE_FMT(g_execdomains, pl_fmt_execdomains)
MACHINE_FMT(g_crypto, pl_fmt_crypto)
MACHINE_FMT(g_zoneinfo, pl_fmt_zoneinfo)
MACHINE_FMT(g_pagetypeinfo, pl_fmt_pagetypeinfo)
/* addresses only for a permitted opener (pl_builtin_decide) */
static int g_iomem(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_iomem(g->machine, g->permitted, o); }
static int g_ioports(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_ioports(g->machine, g->permitted, o); }
static int g_kallsyms(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_kallsyms(g->machine, g->permitted, o); }
static int g_psi_cpu(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_psi(&g->machine->psi_cpu, o); }
static int g_psi_memory(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_psi(&g->machine->psi_memory, o); }
static int g_psi_io(const struct pl_gen_ctx *g, struct pl_buf *o) { return pl_fmt_psi(&g->machine->psi_io, o); }

/* No target: ENOENT, or the errno the kernel refused the daemon with. */
static int put_link(const char *target, int err, struct pl_buf *o)
{
	if (!target)
		return err ? -err : -ENOENT;
	pl_buf_puts(o, target);
	return 0;
}

static int g_exe(const struct pl_gen_ctx *g, struct pl_buf *o) { return put_link(g->task->exe, g->task->links_err[0], o); }
static int g_cwd(const struct pl_gen_ctx *g, struct pl_buf *o) { return put_link(g->task->cwd, g->task->links_err[1], o); }
static int g_root(const struct pl_gen_ctx *g, struct pl_buf *o) { return put_link(g->task->root, g->task->links_err[2], o); }

#define FILE_(id, nm, nd, chk, fl, fn) \
	[id] = { .name = nm, .need = nd, .check = chk, .flags = fl, .fmt = fn }
/* A file a write can change, and the rule a world's task is written by. */
#define WFILE_(id, nm, nd, chk, fl, fn, wr, wopen) \
	[id] = { .name = nm, .need = nd, .check = chk, .flags = fl, .fmt = fn, \
	         .write = wr, .open_write = wopen }
#define LINK_(id, nm, nd, chk, fn) \
	[id] = { .name = nm, .need = nd, .check = chk, .flags = PL_B_LINK, .fmt = fn }
#define NS_(i, nm) LINK_(PL_G_NS_FIRST + i, "ns_" nm, PL_F_NS, PL_PTRACE_READ, NULL)
#define MACHINE_(id, nm, mnd, fn) [id] = { .name = nm, .mneed = mnd, .fmt = fn }
/* One that shows the boot clock: in the reader's time namespace. */
#define MACHINE_CLOCK_(id, nm, mnd, fn) \
	[id] = { .name = nm, .mneed = mnd, .fmt = fn, .flags = PL_B_BOOTTIME }
/* A sys/ setting: named as sysctl names it, formatted by its type; a
** world's is written by the kernel's rules for it (a host's, by its kernel). */
#define SYSCTL_(id, nm, type, n) \
	[PL_G_SYSCTL_FIRST + PL_SYSCTL_##id] = { .name = nm, .mneed = PL_M_SYSCTL, \
	                                         .write = pl_write_sysctl },
/* A machine file that is also a setting (hostname, pid_max): written as it. */
#define WMACHINE_(id, nm, mnd, fn) [id] = { .name = nm, .mneed = mnd, .fmt = fn, \
                                            .write = pl_write_sysctl }

/* A net/ file: its namespace's, fixed at open (seq_open_net pins the
** namespace; the text is made whole for each reader), uids named as the
** opener's namespace names them where it prints them. */
#define NET_(f, nm, fl) \
	[PL_G_NET_FIRST + PL_NET_##f] = { .name = "net_" nm, .flags = PL_B_AT_OPEN | (fl) }
#define IDS PL_B_NAMES_IDS

#define NONE PL_PTRACE_NONE
#define READ PL_PTRACE_READ
#define ATTACH PL_PTRACE_ATTACH
/* An attr/ file: open to all (proc_pid_attr_open's check is only for the
** writes), the security module's answer at read. */
#define ATTR_(i, nm) WFILE_(PL_G_ATTR_FIRST + i, "attr_" nm, PL_F_ATTR, NONE, 0, g_attr_##i, \
                            pl_write_attr, NULL)

const struct pl_builtin pl_builtins[PL_G_COUNT] = {
	FILE_(PL_G_AUXV, "auxv", PL_F_AUXV, READ, PL_B_MM_OPEN | PL_B_MM_ESRCH | PL_B_AT_OPEN, g_auxv),
	FILE_(PL_G_CMDLINE, "cmdline", PL_F_STAT, NONE, 0, g_cmdline),
	FILE_(PL_G_ENVIRON, "environ", PL_F_STAT, READ, PL_B_MM_OPEN | PL_B_MM_ESRCH | PL_B_GONE_EOF, g_environ),
	WFILE_(PL_G_COMM, "comm", PL_F_STAT, NONE, 0, g_comm, pl_write_comm, NULL),
	WFILE_(PL_G_UID_MAP, "uid_map", PL_F_IDMAP, NONE, PL_B_AT_OPEN | PL_B_NAMES_IDS, g_uid_map,
	       pl_write_uid_map, NULL),
	WFILE_(PL_G_GID_MAP, "gid_map", PL_F_IDMAP, NONE, PL_B_AT_OPEN | PL_B_NAMES_IDS, g_gid_map,
	       pl_write_gid_map, NULL),
	WFILE_(PL_G_SETGROUPS, "setgroups", PL_F_IDMAP, NONE, PL_B_AT_OPEN, g_setgroups,
	       pl_write_setgroups, pl_write_open_setgroups),
	WFILE_(PL_G_MEM, "mem", PL_F_STAT, PL_PTRACE_ATTACH, PL_B_MM_OPEN | PL_B_MM_ESRCH, NULL,
	       pl_write_mem, NULL),
	FILE_(PL_G_MAPS, "maps", PL_F_MAPS, READ, PL_B_MM_OPEN | PL_B_MM_SKIP, g_maps),
	FILE_(PL_G_SMAPS, "smaps", PL_F_SMAPS, READ, PL_B_MM_OPEN | PL_B_MM_SKIP, g_smaps),
	FILE_(PL_G_SMAPS_ROLLUP, "smaps_rollup", PL_F_ROLLUP, READ,
	      PL_B_MM_OPEN | PL_B_MM_ESRCH | PL_B_MM_GONE_ESRCH, g_rollup),
	FILE_(PL_G_STAT, "stat", PL_F_STAT, NONE, PL_B_MASKS | PL_B_SHOWS_RUNNING | PL_B_BOOTTIME, g_stat),
	FILE_(PL_G_STATM, "statm", PL_F_STAT | PL_F_STATUS, NONE, 0, g_statm),
	FILE_(PL_G_STATUS, "status", PL_F_STATUS, NONE, PL_B_NAMES_IDS | PL_B_SHOWS_RUNNING, g_status),
	FILE_(PL_G_IO, "io", PL_F_IO, READ, PL_B_CHECKS_AT_READ, g_io),
	FILE_(PL_G_LIMITS, "limits", PL_F_LIMITS, NONE, 0, g_limits),
	FILE_(PL_G_CGROUP, "cgroup", PL_F_CGROUP, NONE, 0, g_cgroup),
	FILE_(PL_G_OOM_SCORE, "oom_score", PL_F_OOM, NONE, 0, g_oom_score),
	WFILE_(PL_G_OOM_SCORE_ADJ, "oom_score_adj", PL_F_OOM, NONE, 0, g_oom_adj,
	       pl_write_oom_score_adj, NULL),
	WFILE_(PL_G_COREDUMP_FILTER, "coredump_filter", PL_F_OOM, NONE, 0, g_coredump,
	       pl_write_coredump_filter, NULL),
	FILE_(PL_G_WCHAN, "wchan", PL_F_WCHAN, NONE, PL_B_MASKS | PL_B_SHOWS_RUNNING, g_wchan),
	FILE_(PL_G_MOUNTS, "mounts", PL_F_MOUNTS, NONE, PL_B_AT_OPEN, g_mounts),
	FILE_(PL_G_MOUNTINFO, "mountinfo", PL_F_MOUNTS, NONE, PL_B_AT_OPEN, g_mountinfo),
	FILE_(PL_G_CHILDREN, "children", PL_F_CHILDREN, NONE, 0, g_children),
	WFILE_(PL_G_LOGINUID, "loginuid", PL_F_AUDIT, NONE, PL_B_NAMES_IDS, g_loginuid,
	       pl_write_loginuid, NULL),
	FILE_(PL_G_SESSIONID, "sessionid", PL_F_AUDIT, NONE, 0, g_sessionid),
	/* lock_trace: PTRACE_MODE_ATTACH_FSCREDS at read, EPERM */
	FILE_(PL_G_PERSONALITY, "personality", PL_F_PERSONALITY, ATTACH, PL_B_EPERM, g_personality),
	WFILE_(PL_G_OOM_ADJ, "oom_adj", PL_F_OOM, NONE, 0, g_oom_adj_legacy, pl_write_oom_adj, NULL),
	WFILE_(PL_G_TIMERSLACK_NS, "timerslack_ns", PL_F_TIMERSLACK, NONE, PL_B_SELF_OR_NICE,
	       g_timerslack, pl_write_timerslack_ns, NULL),
	FILE_(PL_G_SCHEDSTAT, "schedstat", PL_F_SCHEDSTAT, NONE, 0, g_schedstat),
	WFILE_(PL_G_AUTOGROUP, "autogroup", PL_F_AUTOGROUP, NONE, 0, g_autogroup,
	       pl_write_autogroup, NULL),
	FILE_(PL_G_CPUSET, "cpuset", PL_F_CPUSET, NONE, 0, g_cpuset),
	ATTR_(0, "current"), ATTR_(1, "prev"), ATTR_(2, "exec"), ATTR_(3, "fscreate"),
	ATTR_(4, "keycreate"), ATTR_(5, "sockcreate"),
	FILE_(PL_G_STACK, "stack", PL_F_STACK, ATTACH, PL_B_EPERM | PL_B_ADMIN, g_stack),
	FILE_(PL_G_SYSCALL, "syscall", PL_F_SYSCALL, ATTACH, PL_B_EPERM, g_syscall),
	WFILE_(PL_G_SCHED, "sched", PL_F_SCHED, NONE, 0, g_sched, pl_write_sched, NULL),
	/* mounts_open_common: no ptrace check (the mode, 0400, is the guard) */
	FILE_(PL_G_MOUNTSTATS, "mountstats", PL_F_MOUNTS, NONE, PL_B_AT_OPEN, g_mountstats),
	/* ONE() files: no check but the mode (0400) */
	FILE_(PL_G_KSM_MERGING_PAGES, "ksm_merging_pages", PL_F_KSM, NONE, 0, g_ksm_merging_pages),
	FILE_(PL_G_KSM_STAT, "ksm_stat", PL_F_KSM, NONE, 0, g_ksm_stat),
	FILE_(PL_G_ARCH_STATUS, "arch_status", PL_F_ARCH, NONE, 0, g_arch_status),
	/* 0444, but the host kernel (6.18) refuses the open with EACCES to a
	** reader that may not ptrace (READ) the task, as environ's open does */
	FILE_(PL_G_TIMERS, "timers", PL_F_TIMERS, READ, PL_B_CHECK_OPEN, g_timers),
	/* no check but the mode (0644); a write needs CAP_SYS_TIME for the opener */
	WFILE_(PL_G_TIMENS_OFFSETS, "timens_offsets", PL_F_TIMENS, NONE, PL_B_WRITE_STAYS, g_timens,
	       pl_write_timens_offsets, NULL),
	/* proc_projid_map_open: no check but the mode (0644); a write asks
	** no capability, only where the opener stands */
	WFILE_(PL_G_PROJID_MAP, "projid_map", PL_F_IDMAP, NONE, PL_B_AT_OPEN | PL_B_NAMES_IDS,
	       g_projid_map, pl_write_projid_map, NULL),
	/* proc_numa_maps_open is maps' open: mm_access, ptrace READ */
	FILE_(PL_G_NUMA_MAPS, "numa_maps", PL_F_NUMA, READ, PL_B_MM_OPEN | PL_B_MM_SKIP, g_numa_maps),
	/* 0200, no check but the mode; no read method (EINVAL at read) */
	WFILE_(PL_G_CLEAR_REFS, "clear_refs", 0, NONE, 0, NULL, pl_write_clear_refs, NULL),
	/* pagemap_open: proc_mem_open, ptrace READ, no mm ESRCH; read at
	** offsets (tree/pagemap.c), never made whole */
	FILE_(PL_G_PAGEMAP, "pagemap", 0, READ, PL_B_MM_OPEN | PL_B_MM_ESRCH, NULL),
	MACHINE_CLOCK_(PL_G_UPTIME, "uptime", PL_M_UPTIME, g_uptime),
	MACHINE_(PL_G_LOADAVG, "loadavg", PL_M_LOADAVG, g_loadavg),
	MACHINE_(PL_G_MEMINFO, "meminfo", PL_M_MEMINFO, g_meminfo),
	MACHINE_CLOCK_(PL_G_SYSTEM_STAT, "system_stat", PL_M_STAT, g_system_stat),
	MACHINE_(PL_G_CPUINFO, "cpuinfo", PL_M_CPUINFO, g_cpuinfo),
	MACHINE_(PL_G_VERSION, "version", PL_M_VERSION, g_version),
	MACHINE_(PL_G_FILESYSTEMS, "filesystems", PL_M_FILESYSTEMS, g_filesystems),
	WMACHINE_(PL_G_PID_MAX, "pid_max", PL_M_SYSKERNEL, g_pid_max),
	MACHINE_(PL_G_OSRELEASE, "osrelease", PL_M_SYSKERNEL, g_osrelease),
	MACHINE_(PL_G_OSTYPE, "ostype", PL_M_SYSKERNEL, g_ostype),
	WMACHINE_(PL_G_HOSTNAME, "hostname", PL_M_SYSKERNEL, g_hostname),
	MACHINE_(PL_G_VMSTAT, "vmstat", PL_M_VMSTAT, g_vmstat),
	MACHINE_(PL_G_SWAPS, "swaps", PL_M_SWAPS, g_swaps),
	MACHINE_(PL_G_PARTITIONS, "partitions", PL_M_PARTITIONS, g_partitions),
	MACHINE_(PL_G_DISKSTATS, "diskstats", PL_M_DISKSTATS, g_diskstats),
	MACHINE_(PL_G_INTERRUPTS, "interrupts", PL_M_INTERRUPTS, g_interrupts),
	MACHINE_(PL_G_SOFTIRQS, "softirqs", PL_M_SOFTIRQS, g_softirqs),
	MACHINE_(PL_G_CGROUPS, "cgroups", PL_M_CGROUPS, g_cgroups),
	/* the top-level cmdline; "cmdline" is the task's */
	MACHINE_(PL_G_BOOT_CMDLINE, "boot_cmdline", PL_M_CMDLINE, g_boot_cmdline),
	MACHINE_(PL_G_PSI_CPU, "pressure_cpu", PL_M_PSI_CPU, g_psi_cpu),
	MACHINE_(PL_G_PSI_MEMORY, "pressure_memory", PL_M_PSI_MEMORY, g_psi_memory),
	MACHINE_(PL_G_PSI_IO, "pressure_io", PL_M_PSI_IO, g_psi_io),
	MACHINE_(PL_G_LOCKS, "locks", PL_M_LOCKS, g_locks),
	MACHINE_(PL_G_TTY_DRIVERS, "tty_drivers", PL_M_TTY_DRIVERS, g_tty_drivers),
	[PL_G_SYSVIPC_SHM] = { .name = "sysvipc_shm", .mneed = PL_M_SYSVIPC, .flags = IDS,
	                       .fmt = g_sysvipc_shm },
	[PL_G_SYSVIPC_MSG] = { .name = "sysvipc_msg", .mneed = PL_M_SYSVIPC, .flags = IDS,
	                       .fmt = g_sysvipc_msg },
	[PL_G_SYSVIPC_SEM] = { .name = "sysvipc_sem", .mneed = PL_M_SYSVIPC, .flags = IDS,
	                       .fmt = g_sysvipc_sem },
	MACHINE_(PL_G_SLABINFO, "slabinfo", PL_M_SLABINFO, g_slabinfo),
	MACHINE_(PL_G_BUDDYINFO, "buddyinfo", PL_M_BUDDYINFO, g_buddyinfo),
	MACHINE_(PL_G_DEVICES, "devices", PL_M_DEVTABLES, g_devices),
	MACHINE_(PL_G_MISC, "misc", PL_M_DEVTABLES, g_misc),
	MACHINE_(PL_G_CONSOLES, "consoles", PL_M_DEVTABLES, g_consoles),
	MACHINE_(PL_G_EXECDOMAINS, "execdomains", PL_M_DEVTABLES, g_execdomains),
	MACHINE_(PL_G_CRYPTO, "crypto", PL_M_CRYPTO, g_crypto),
	MACHINE_(PL_G_ZONEINFO, "zoneinfo", PL_M_ZONEINFO, g_zoneinfo),
	MACHINE_(PL_G_PAGETYPEINFO, "pagetypeinfo", PL_M_PAGETYPEINFO, g_pagetypeinfo),
	MACHINE_(PL_G_IOMEM, "iomem", PL_M_RESOURCES, g_iomem),
	MACHINE_(PL_G_IOPORTS, "ioports", PL_M_RESOURCES, g_ioports),
	MACHINE_(PL_G_KALLSYMS, "kallsyms", PL_M_KALLSYMS, g_kallsyms),
	NET_(ARP, "arp", 0), NET_(DEV, "dev", 0), NET_(RAW, "raw", IDS), NET_(TCP, "tcp", IDS),
	NET_(UDP, "udp", IDS), NET_(IGMP, "igmp", 0), NET_(RAW6, "raw6", IDS),
	NET_(SNMP, "snmp", 0), NET_(TCP6, "tcp6", IDS), NET_(UDP6, "udp6", IDS),
	NET_(UNIX, "unix", 0), NET_(ROUTE, "route", 0), NET_(SNMP6, "snmp6", 0),
	NET_(PACKET, "packet", IDS), NET_(NETLINK, "netlink", 0), NET_(NETSTAT, "netstat", 0),
	NET_(UDPLITE, "udplite", IDS), NET_(IF_INET6, "if_inet6", 0),
	NET_(SOCKSTAT, "sockstat", 0), NET_(UDPLITE6, "udplite6", IDS),
	NET_(DEV_MCAST, "dev_mcast", 0), NET_(PROTOCOLS, "protocols", 0),
	NET_(SOCKSTAT6, "sockstat6", 0), NET_(IPV6_ROUTE, "ipv6_route", 0),
	NET_(ICMP, "icmp", IDS), NET_(ICMP6, "icmp6", IDS), NET_(IGMP6, "igmp6", 0),
	NET_(PTYPE, "ptype", 0), NET_(PSCHED, "psched", 0), NET_(ANYCAST6, "anycast6", 0),
	NET_(FIB_TRIE, "fib_trie", 0), NET_(MCFILTER, "mcfilter", 0),
	NET_(MCFILTER6, "mcfilter6", 0), NET_(RT6_STATS, "rt6_stats", 0),
	NET_(XFRM_STAT, "xfrm_stat", 0), NET_(SOFTNET_STAT, "softnet_stat", 0),
	NET_(IP_TABLES_NAMES, "ip_tables_names", 0), NET_(ARP_TABLES_NAMES, "arp_tables_names", 0),
	NET_(IP6_TABLES_NAMES, "ip6_tables_names", 0),
	NET_(IP_TABLES_MATCHES, "ip_tables_matches", 0),
	NET_(IP_TABLES_TARGETS, "ip_tables_targets", 0),
	NET_(ARP_TABLES_MATCHES, "arp_tables_matches", 0),
	NET_(ARP_TABLES_TARGETS, "arp_tables_targets", 0),
	NET_(IP6_TABLES_MATCHES, "ip6_tables_matches", 0),
	NET_(IP6_TABLES_TARGETS, "ip6_tables_targets", 0),
	/* stat/'s files, named with '_' for the '/' */
	NET_(STAT_RT_CACHE, "stat_rt_cache", 0), NET_(STAT_SYNPROXY, "stat_synproxy", 0),
	NET_(STAT_ARP_CACHE, "stat_arp_cache", 0), NET_(STAT_NDISC_CACHE, "stat_ndisc_cache", 0),
	NET_(STAT_NF_CONNTRACK, "stat_nf_conntrack", 0),
	NET_(RT_CACHE, "rt_cache", 0), NET_(CONNECTOR, "connector", 0),
	NET_(FIB_TRIESTAT, "fib_triestat", 0), NET_(NF_LOG, "netfilter_nf_log", 0),
	PL_SYSCTLS(SYSCTL_)
	LINK_(PL_G_EXE, "exe", PL_F_LINKS, READ, g_exe),
	LINK_(PL_G_CWD, "cwd", PL_F_LINKS, READ, g_cwd),
	LINK_(PL_G_ROOT, "root", PL_F_LINKS, READ, g_root),
	NS_(PL_NS_NET, "net"), NS_(PL_NS_UTS, "uts"), NS_(PL_NS_IPC, "ipc"),
	NS_(PL_NS_PID, "pid"), NS_(PL_NS_PID_FOR_CHILDREN, "pid_for_children"),
	NS_(PL_NS_USER, "user"), NS_(PL_NS_MNT, "mnt"), NS_(PL_NS_CGROUP, "cgroup"),
	NS_(PL_NS_TIME, "time"), NS_(PL_NS_TIME_FOR_CHILDREN, "time_for_children"),
	LINK_(PL_G_SELF, "self", 0, NONE, NULL),
	LINK_(PL_G_THREAD_SELF, "thread_self", 0, NONE, NULL),
	/* proc_fd_access_allowed, proc_fdinfo_permission: PTRACE_MODE_READ */
	LINK_(PL_G_FD_LINK, NULL, PL_F_FDS, READ, NULL),
	FILE_(PL_G_FDINFO, NULL, 0, READ, 0, NULL),
};

int pl_builtin_sysctl(int gen)
{
	if (gen == PL_G_HOSTNAME)
		return PL_SYSCTL_HOSTNAME;
	if (gen == PL_G_PID_MAX)
		return PL_SYSCTL_PID_MAX;
	if (gen >= PL_G_SYSCTL_FIRST && gen < PL_G_SYSCTL_FIRST + PL_SYSCTL_COUNT)
		return gen - PL_G_SYSCTL_FIRST;
	return -1;
}

int pl_builtin_lookup(const char *name, int want_link)
{
	for (int i = 1; i < PL_G_COUNT; i++)
		if (pl_builtins[i].name && !!(pl_builtins[i].flags & PL_B_LINK) == !!want_link &&
		    strcmp(pl_builtins[i].name, name) == 0)
			return i;
	return PL_G_NONE;
}

static int task_entry(int g)
{
	const struct pl_builtin *b = &pl_builtins[g];
	return b->name && !b->mneed && g != PL_G_SELF && g != PL_G_THREAD_SELF &&
	       pl_builtin_net_file(g) < 0;
}

int pl_builtin_absent_bit(int gen)
{
	if (pl_builtin_net_file(gen) >= 0)
		return PL_G_NET_DIR;
	if (gen == PL_G_FD_LINK || gen == PL_G_FDINFO || gen == PL_G_TASK_DIR || gen == PL_G_NET_DIR)
		return gen;
	/* a kernel with time namespaces (CONFIG_TIME_NS) has both */
	if (gen == PL_G_TIMENS_OFFSETS)
		return PL_G_NS_FIRST + PL_NS_TIME_FOR_CHILDREN;
	/* The mask has no bit to spare for these: each is absent with mem,
	** which every kernel since 2.6.25 has beside them (projid_map and
	** numa_maps need CONFIG_USER_NS and CONFIG_NUMA too: a world of a
	** kernel without them that keeps mem shows them all the same) and
	** which a tree saved without them most likely lacks as well. */
	if (gen == PL_G_PROJID_MAP || gen == PL_G_NUMA_MAPS || gen == PL_G_CLEAR_REFS ||
	    gen == PL_G_PAGEMAP)
		return PL_G_MEM;
	return gen > PL_G_NONE && gen < PL_G_TASK_DIR && task_entry(gen) ? gen : -1;
}

uint64_t pl_builtin_absent_bits(const char *name)
{
	static const struct { const char *name; int gen; } dirs[] = {
		{ "fd", PL_G_FD_LINK }, { "fdinfo", PL_G_FDINFO }, { "task", PL_G_TASK_DIR },
		{ "net", PL_G_NET_DIR }, { "map_files", PL_G_NONE },
	};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strcmp(name, dirs[i].name) == 0)
			return 1ull << dirs[i].gen;
	uint64_t ns = 0;
	for (int i = 0; i < PL_NS_COUNT; i++)
		ns |= 1ull << (PL_G_NS_FIRST + i);
	if (strcmp(name, "ns") == 0)
		return ns;
	if (strcmp(name, "attr") == 0)
		return ((1ull << PL_ATTR_COUNT) - 1) << PL_G_ATTR_FIRST;
	char buf[40];
	for (int g = 1; g <= PL_G_TASK_DIR; g++)
		if (task_entry(g) && strcmp(pl_builtin_absent_name(g, buf, sizeof buf), name) == 0)
			return 1ull << g;
	return 0;
}

const char *pl_builtin_absent_name(int g, char *buf, size_t len)
{
	if (g == PL_G_FD_LINK)
		return "fd";
	if (g == PL_G_FDINFO)
		return "fdinfo";
	if (g == PL_G_TASK_DIR)
		return "task";
	if (g == PL_G_NET_DIR)
		return "net";
	if (g == PL_G_NONE)
		return "map_files";
	if (g <= PL_G_NONE || g >= PL_G_COUNT || !task_entry(g))
		return NULL;
	if (g >= PL_G_NS_FIRST && g < PL_G_NS_FIRST + PL_NS_COUNT) {
		snprintf(buf, len, "ns/%s", pl_ns_names[g - PL_G_NS_FIRST]);
		return buf;
	}
	if (g >= PL_G_ATTR_FIRST && g < PL_G_ATTR_FIRST + PL_ATTR_COUNT) {
		snprintf(buf, len, "attr/%s", pl_attr_names[g - PL_G_ATTR_FIRST]);
		return buf;
	}
	return pl_builtins[g].name;
}

int pl_builtin_load(struct pl_source *src, pl_pid tgid, pl_pid tid, uint64_t want,
                    struct pl_task **out)
{
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	pl_arena_reset(&s->arena);
	memset(&s->task, 0, sizeof s->task);
	*out = &s->task;
	return src->ops->load(src, tgid, tid, want, &s->arena, &s->task);
}

int pl_builtin_reader_is(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid)
{
	pl_pid me = c->pid;
	if (me <= 0 || !src->ops->pin) /* a world's tasks are no host process */
		return 0;
	if (src->ops->map_host_pid && src->ops->map_host_pid(src, c->pid, &me) < 0)
		return 0;
	return me == (tid ? tid : tgid);
}

/* timerslack_ns: the task itself, or CAP_SYS_NICE in the namespace of its
** credentials (timerslack_ns_show: ns_capable on __task_cred(p)->user_ns),
** else EPERM; as Linux's, made at read. */
static int self_or_nice(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid)
{
	if (pl_builtin_reader_is(src, c, tgid, tid))
		return 0;
	struct pl_userns_chain ns;
	if (src->ops->userns(src, tgid, tid, &ns) < 0)
		ns.n = 0; /* unknown: no capability counts over it */
	return pl_caller_ns_capable(c, &ns, PL_CAP_SYS_NICE) ? 0 : -EPERM;
}

/*
** Whether c sees the kernel pointers (%pK) a net/ file prints where
** kernel.kptr_restrict is 1 (lib/vsprintf.c restricted_pointer):
** CAP_SYSLOG, with its effective ids its real ones (the request's fsuid
** and fsgid stand for those).
*/
static int sees_kernel_pointers(struct pl_caller *c)
{
	if (c->have & PL_CALLER_ROOT)
		return 1;
	return pl_caller_load(c) == 0 && c->euid == c->uid && c->egid == c->gid &&
	       pl_caller_capable(c, PL_CAP_SYSLOG);
}

/* A caller holding CAP_SYS_PTRACE passes every ptrace check, so the task's
** creds are loaded only when the answer depends on them.  A net/ file asks
** nothing of the reader but, for its pointers, `permitted` says whether it
** sees them. */
int pl_builtin_decide(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid,
                      int gen, int *permitted)
{
	const struct pl_builtin *b = &pl_builtins[gen];
	int net = pl_builtin_net_file(gen);
	if (net >= 0) {
		*permitted = !pl_net_shows_pointers(net) || sees_kernel_pointers(c);
		return 0;
	}
	int mm_rule = b->flags & (PL_B_MM_ESRCH | PL_B_MM_SKIP);
	int ptrace = b->check != PL_PTRACE_NONE || (b->flags & PL_B_MASKS);
	*permitted = 1;
	/* proc_pid_stack: root only (file_ns_capable over the top namespace),
	** before its ptrace check */
	if ((b->flags & PL_B_ADMIN) && !pl_caller_capable(c, PL_CAP_SYS_ADMIN))
		return -EACCES;
	if (b->flags & PL_B_SELF_OR_NICE)
		return self_or_nice(src, c, tgid, tid);
	/* iomem, ioports: r_show's file_ns_capable(CAP_SYS_ADMIN) over the top
	** namespace; kallsyms: kallsyms_show_value's CAP_SYSLOG there (the
	** formatter weighs it with kptr_restrict and perf_event_paranoid) */
	if (gen == PL_G_IOMEM || gen == PL_G_IOPORTS)
		*permitted = pl_caller_capable(c, PL_CAP_SYS_ADMIN);
	if (gen == PL_G_KALLSYMS)
		*permitted = pl_caller_capable(c, PL_CAP_SYSLOG);
	if (b->mneed || (!mm_rule && (!ptrace || pl_caller_ptraces_all(c, b->check))))
		return 0;
	struct pl_task *t;
	int rc = pl_builtin_load(src, tgid, tid, PL_F_STATUS | PL_F_OWNER, &t);
	if (rc < 0)
		return rc;
	if (!t->has_mm && (b->flags & PL_B_MM_ESRCH)) /* mm_access: no mm (zombie, kthread) */
		return -ESRCH;
	if ((!t->has_mm && (b->flags & PL_B_MM_SKIP)) || !ptrace) /* no mm: opens, reads empty */
		return 0;
	*permitted = pl_ptrace_may_access(c, src, t, b->check);
	/* proc_mem_open's reads are also open to a perfmon_capable opener
	** (CAP_PERFMON or CAP_SYS_ADMIN in the initial namespace), as the
	** reference kernel (6.18) grants them */
	if (!*permitted && (b->flags & PL_B_MM_OPEN) && b->check == PL_PTRACE_READ)
		*permitted = pl_caller_capable(c, PL_CAP_PERFMON) || pl_caller_capable(c, PL_CAP_SYS_ADMIN);
	if (b->check != PL_PTRACE_NONE && !*permitted)
		return (b->flags & PL_B_EPERM) ? -EPERM : -EACCES;
	return 0;
}

/* A sys/ setting: loaded on its own, one file on the host. */
static int format_sysctl(struct pl_source *src, int id, struct pl_arena *a, struct pl_buf *out)
{
	struct pl_sysctl v;
	memset(&v, 0, sizeof v);
	int rc = src->ops->load_sysctl ? src->ops->load_sysctl(src, id, a, &v) : -ENOENT;
	return rc < 0 ? rc : pl_fmt_sysctl(id, &v, out);
}

static int format_machine(struct pl_source *src, const struct pl_builtin *b,
                          const struct pl_reader *r, struct pl_buf *out)
{
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	pl_arena_reset(&s->arena);
	if (b->mneed == PL_M_SYSCTL)
		return format_sysctl(src, (int)(b - pl_builtins) - PL_G_SYSCTL_FIRST, &s->arena, out);
	memset(&s->machine, 0, sizeof s->machine);
	int rc = src->ops->load_machine(src, b->mneed, &s->arena, &s->machine);
	if (rc < 0)
		return rc;
	/* permitted: iomem, ioports and kallsyms show their addresses
	** (pl_builtin_decide); ids: sysvipc/'s names for ids */
	struct pl_gen_ctx g = { src, 0, 0, NULL, r->permitted, r->ids, &s->machine, 0,
	                        (b->flags & PL_B_BOOTTIME) ? r->boot_shift_ns : 0 };
	return b->fmt(&g, out);
}

/* A net/ file of the task's namespace; pointers hidden from a reader not
** `permitted` where kptr_restrict is 1 (at 2 the kernel hid them from the
** daemon too). */
static int format_net(struct pl_source *src, pl_pid tgid, pl_pid tid, int f, int permitted,
                      const struct pl_idview *ids, struct pl_buf *out)
{
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	if (!src->ops->load_net)
		return -ENOENT;
	pl_arena_reset(&s->arena);
	struct pl_net net;
	memset(&net, 0, sizeof net);
	int rc = src->ops->load_net(src, tgid, tid, f, &s->arena, &net);
	if (rc < 0)
		return rc;
	struct pl_net_view v = { ids, permitted || net.kptr_restrict != 1 };
	return pl_fmt_net(f, &net, &v, out);
}

/* ns links print the namespace's inode; the other links are the task's. */
static int format_ns_link(const struct pl_task *t, int gen, struct pl_buf *out)
{
	int ns = gen - PL_G_NS_FIRST;
	if (!t->ns_ino[ns])
		return t->ns_err ? -t->ns_err : -ENOENT;
	return pl_fmt_ns_link(ns, t->ns_ino[ns], out);
}

const struct pl_idview *pl_builtin_ids(struct pl_caller *c, int gen)
{
	struct pl_scratch *s;
	if (!(pl_builtins[gen].flags & PL_B_NAMES_IDS) || !(s = pl_scratch()))
		return NULL;
	if (!pl_caller_idview(c, &s->ids))
		return NULL;
	if (gen == PL_G_PROJID_MAP)
		pl_caller_idview_projid(c, &s->ids);
	return &s->ids;
}

int pl_builtin_format(struct pl_source *src, pl_pid tgid, pl_pid tid, int gen, int permitted,
                      const struct pl_idview *ids, struct pl_buf *out)
{
	struct pl_reader r = { permitted, ids, 0, 0 };
	return pl_builtin_format_as(src, tgid, tid, gen, &r, out);
}

int pl_builtin_format_as(struct pl_source *src, pl_pid tgid, pl_pid tid, int gen,
                         const struct pl_reader *r, struct pl_buf *out)
{
	const struct pl_builtin *b = &pl_builtins[gen];
	int rc;
	if (pl_builtin_net_file(gen) >= 0) {
		rc = format_net(src, tgid, tid, pl_builtin_net_file(gen), r->permitted, r->ids, out);
		return rc < 0 ? rc : pl_buf_status(out);
	}
	if (b->mneed) {
		rc = format_machine(src, b, r, out);
		return rc < 0 ? rc : pl_buf_status(out);
	}
	int ns_link = gen >= PL_G_NS_FIRST && gen < PL_G_NS_FIRST + PL_NS_COUNT;
	if (!b->fmt && !ns_link)
		return -EINVAL;
	struct pl_task *t;
	if ((rc = pl_builtin_load(src, tgid, tid, b->need, &t)) < 0)
		return rc;
	if (ns_link) {
		rc = format_ns_link(t, gen, out);
	} else {
		struct pl_gen_ctx g = { src, tgid, tid, t, r->permitted, r->ids, NULL,
		                        r->runs && (b->flags & PL_B_SHOWS_RUNNING),
		                        (b->flags & PL_B_BOOTTIME) ? r->boot_shift_ns : 0 };
		rc = b->fmt(&g, out);
	}
	return rc < 0 ? rc : pl_buf_status(out);
}

int pl_builtin_read(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid,
                    int gen, struct pl_buf *out)
{
	int permitted;
	int rc = pl_builtin_decide(src, c, tgid, tid, gen, &permitted);
	if (rc < 0)
		return rc;
	struct pl_reader r = { permitted, pl_builtin_ids(c, gen), 0, 0 };
	r.runs = (pl_builtins[gen].flags & PL_B_SHOWS_RUNNING) && pl_builtin_reader_is(src, c, tgid, tid);
	return pl_builtin_format_as(src, tgid, tid, gen, &r, out);
}
