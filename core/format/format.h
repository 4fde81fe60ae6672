/*
** The format layer: one file per /proc file family, each a formatter and
** the parser of the host kernel's text for it.
**
** A formatter is pure: facts in, bytes appended to `out`, 0 or -errno back.
** It reads only the PL_F_* (or PL_M_*) groups its comment names.  A parser
** is the formatter's inverse: it fills those groups of a record (strings and
** lists into the arena) and returns 0 or -EINVAL, always with the signature
**
**     int pl_parse_X(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
**
** (or struct pl_machine *m for the top level), so the host source, a world
** and a capture can each keep one table of (name, parser).  The host source
** parses, the model source fills records directly, and both are served by
** the same formatters, so the host kernel is the formatters' oracle.
**
** stat and wchan print some fields only to a reader that passes
** ptrace_may_access (READ_FSCREDS): `permitted` is that decision, made by
** the access layer for the caller.
*/
#ifndef PL_FORMAT_H
#define PL_FORMAT_H

#include <stddef.h>
#include <sys/types.h>

#include "record/arena.h"
#include "record/buf.h"
#include "record/machine.h"
#include "record/object.h"
#include "record/sysctl.h"
#include "record/task.h"

/* A parser of the host kernel's text for a task's file. */
typedef int (*pl_task_parser)(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* A parser of the host kernel's text for a top-level file. */
typedef int (*pl_machine_parser)(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* stat.c: PL_F_STAT; stat_fields says how many fields to print (an older
** kernel's stat), and a parse accepts those counts */
int pl_fmt_stat(const struct pl_task *t, int permitted, struct pl_buf *out);
int pl_parse_stat(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* statm.c: PL_F_STATUS (mm counters) + PL_F_STAT (code range); has_mm.
** Its parser fills only what stat and status, parsed first, did not give
** (a saved tree with statm but not status, or a status older than 4.5
** without the RssFile split). */
int pl_fmt_statm(const struct pl_task *t, struct pl_buf *out);
int pl_parse_statm(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* status.c: PL_F_STATUS */
int pl_fmt_status(const struct pl_task *t, struct pl_buf *out);
int pl_parse_status(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* The lines status prints for t by this kernel's rules (status_lines 0),
** as status_lines bits; and the lines by name, for a world: a line's key,
** or "Groups (a space after each)" for the older form of Groups, which
** prints nothing for an empty list.  Name NULL past the last line; bit 0
** for a name no line has. */
uint64_t pl_status_lines_default(const struct pl_task *t);
const char *pl_status_line_name(unsigned i);
uint64_t pl_status_line_bit(const char *name);

/* bitmap.c: Cpus_allowed-style bitmaps (%*pb), for worlds and captures */
int pl_parse_bitmap(const char *text, size_t len, struct pl_bitmap *m);
int pl_fmt_bitmap(const struct pl_bitmap *m, struct pl_buf *out);

/* comm.c: PL_F_STAT */
int pl_fmt_comm(const struct pl_task *t, struct pl_buf *out);
int pl_parse_comm(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* io.c: PL_F_IO */
int pl_fmt_io(const struct pl_task *t, struct pl_buf *out);
int pl_parse_io(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* limits.c: PL_F_LIMITS */
int pl_fmt_limits(const struct pl_task *t, struct pl_buf *out);
int pl_parse_limits(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* cgroup.c: PL_F_CGROUP */
int pl_fmt_cgroup(const struct pl_task *t, struct pl_buf *out);
int pl_parse_cgroup(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* maps.c: PL_F_MAPS, PL_F_SMAPS, PL_F_ROLLUP */
int pl_fmt_maps(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_smaps(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_smaps_rollup(const struct pl_task *t, struct pl_buf *out);
int pl_parse_maps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_parse_smaps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_parse_smaps_rollup(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* mounts.c: PL_F_MOUNTS */
int pl_fmt_mounts(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_mountinfo(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_mountstats(const struct pl_task *t, struct pl_buf *out);
int pl_parse_mountinfo(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* idmap.c: PL_F_IDMAP */
int pl_fmt_uid_map(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_gid_map(const struct pl_task *t, struct pl_buf *out);
int pl_parse_uid_map(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_parse_gid_map(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* A list of extents, as either map prints it. */
int pl_fmt_idmap(const struct pl_idmap_extent *e, size_t n, struct pl_buf *out);
int pl_parse_idmap(const char *text, size_t len, struct pl_arena *a,
                   const struct pl_idmap_extent **out, size_t *n);
int pl_fmt_setgroups(const struct pl_task *t, struct pl_buf *out);
int pl_parse_setgroups(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* A write(2) to uid_map/gid_map parsed as map_write does: 0, or -EINVAL. */
int pl_idmap_parse_write(const char *buf, size_t len, struct pl_idmap_extent *out,
                         size_t max, size_t *n);

/* auxv.c: PL_F_AUXV (binary: native-endian unsigned longs) */
int pl_fmt_auxv(const struct pl_task *t, struct pl_buf *out);
int pl_parse_auxv(const char *data, size_t len, struct pl_arena *a, struct pl_task *t);

/* oom.c: PL_F_OOM */
int pl_fmt_oom_score(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_oom_score_adj(const struct pl_task *t, struct pl_buf *out);
int pl_parse_oom_score(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_parse_oom_score_adj(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* coredump_filter.c: PL_F_OOM (empty text: a task without mm) */
int pl_fmt_coredump_filter(const struct pl_task *t, struct pl_buf *out);
int pl_parse_coredump_filter(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* wchan.c: PL_F_WCHAN */
int pl_fmt_wchan(const struct pl_task *t, int permitted, struct pl_buf *out);
int pl_parse_wchan(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* oom.c: oom_adj, the legacy scale of oom_score_adj (PL_F_OOM) */
int pl_fmt_oom_adj(const struct pl_task *t, struct pl_buf *out);
int pl_parse_oom_adj(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* audit.c: PL_F_AUDIT */
int pl_fmt_loginuid(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_sessionid(const struct pl_task *t, struct pl_buf *out);
int pl_parse_loginuid(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_parse_sessionid(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* sched.c: PL_F_SCHEDSTAT, PL_F_TIMERSLACK, PL_F_AUTOGROUP, PL_F_SCHED (and
** for a record without the kernel's sched lines, sched_comm NULL, the lines
** made from PL_F_STAT, PL_F_STATUS and PL_F_SCHEDSTAT) */
int pl_fmt_schedstat(const struct pl_task *t, struct pl_buf *out);
int pl_parse_schedstat(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_fmt_timerslack_ns(const struct pl_task *t, struct pl_buf *out);
int pl_parse_timerslack_ns(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_fmt_autogroup(const struct pl_task *t, struct pl_buf *out);
int pl_parse_autogroup(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_fmt_sched(const struct pl_task *t, struct pl_buf *out);
int pl_parse_sched(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* trace.c: PL_F_PERSONALITY, PL_F_STACK, PL_F_SYSCALL */
int pl_fmt_personality(const struct pl_task *t, struct pl_buf *out);
int pl_parse_personality(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_fmt_stack(const struct pl_task *t, struct pl_buf *out);
int pl_parse_stack(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_fmt_syscall(const struct pl_task *t, struct pl_buf *out);
int pl_parse_syscall(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* attr.c: PL_F_ATTR, file i (PL_ATTR_*) of attr/ */
int pl_fmt_attr(const struct pl_task *t, int i, struct pl_buf *out);
int pl_parse_attr(int i, const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* cgroup.c: cpuset (PL_F_CPUSET) */
int pl_fmt_cpuset(const struct pl_task *t, struct pl_buf *out);
int pl_parse_cpuset(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* ksm.c: PL_F_KSM; ksm_merging_pages' facts come with ksm_stat's */
int pl_fmt_ksm_stat(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_ksm_merging_pages(const struct pl_task *t, struct pl_buf *out);
int pl_parse_ksm_stat(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* timers.c: PL_F_TIMERS */
int pl_fmt_timers(const struct pl_task *t, struct pl_buf *out);
int pl_parse_timers(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
/* A notify kind's name ("signal", "none", "thread"), or NULL */
const char *pl_timer_notify_name(int32_t notify);

/* timens.c: PL_F_TIMENS */
int pl_fmt_timens_offsets(const struct pl_task *t, struct pl_buf *out);
int pl_parse_timens_offsets(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* arch.c: PL_F_ARCH */
int pl_fmt_arch_status(const struct pl_task *t, struct pl_buf *out);
int pl_parse_arch_status(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* children.c: PL_F_CHILDREN */
int pl_fmt_children(const struct pl_task *t, struct pl_buf *out);

/* fdinfo.c */
int pl_fmt_fdinfo(const struct pl_fdinfo *fi, struct pl_buf *out);
int pl_parse_fdinfo(const char *text, size_t len, struct pl_arena *a, struct pl_fdinfo *fi);

/*
** object.c: a magic link's target that is no path but the name of the
** object it leads to (record/object.h).  pl_link_names_object: whether a
** target is such a name, which the kernel resolves, through FUSE, as a
** relative path inside the link's own directory (a name with no '/', not
** "." or "..").  pl_object_of_name: the object such a name declares, as
** Linux's filesystems make it, for a world: "pipe:[N]" (a FIFO 0600, inode
** N), "socket:[N]" (0777), a namespace "type:[N]" (a regular file 0444 of
** root's), "anon_inode:..." (0600, no type; inode `anon_ino`); pipes and
** sockets owned by uid/gid (their creator).  -ENOENT for anything else.
*/
int pl_link_names_object(const char *target);
int pl_object_of_name(const char *name, uint64_t anon_ino, uint32_t uid, uint32_t gid,
                      struct pl_object *out);

/*
** cmdline.c: Linux's get_mm_cmdline and environ_read over a memory reader.
** `rd` copies task memory as pl_source_ops.read_mem does.  mm == NULL means
** the task has no mm (zombie, kernel thread): empty output.  A fault ends
** cmdline short and empties environ (the kernel drops a whole environ read
** on a fault); only reader errors other than -EFAULT/-EIO are returned.
*/
typedef ssize_t (*pl_mem_read_fn)(void *arg, uint64_t addr, void *buf, size_t len);
int pl_fmt_cmdline(const struct pl_mm *mm, pl_mem_read_fn rd, void *arg, struct pl_buf *out);
int pl_fmt_environ(const struct pl_mm *mm, pl_mem_read_fn rd, void *arg, struct pl_buf *out);

/* ns.c: ns link text "net:[4026531840]" */
int pl_fmt_ns_link(int ns, uint64_t ino, struct pl_buf *out);
/* "net:[4026531840]" -> ino; -EINVAL if the text is not that shape */
int pl_parse_ns_link(const char *text, uint64_t *ino);

/* machine.c: the top-level files, from PL_M_* groups */
int pl_fmt_uptime(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_uptime(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_loadavg(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_loadavg(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_meminfo(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_meminfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_machine_stat(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_machine_stat(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_cpuinfo(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_cpuinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_version(const struct pl_machine *m, struct pl_buf *out);
int pl_fmt_filesystems(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_filesystems(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
/* sys/kernel/{pid_max,osrelease,ostype,hostname}: "value\n" */
int pl_fmt_pid_max(const struct pl_machine *m, struct pl_buf *out);
int pl_fmt_osrelease(const struct pl_machine *m, struct pl_buf *out);
int pl_fmt_ostype(const struct pl_machine *m, struct pl_buf *out);
int pl_fmt_hostname(const struct pl_machine *m, struct pl_buf *out);
/* the top-level cmdline: the boot command line */
int pl_fmt_boot_cmdline(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_boot_cmdline(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* vmstat.c: PL_M_VMSTAT */
int pl_fmt_vmstat(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_vmstat(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* swaps.c: PL_M_SWAPS */
int pl_fmt_swaps(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_swaps(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* block.c: PL_M_PARTITIONS, PL_M_DISKSTATS */
int pl_fmt_partitions(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_partitions(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_diskstats(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_diskstats(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* irq.c: PL_M_INTERRUPTS, PL_M_SOFTIRQS */
int pl_fmt_interrupts(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_interrupts(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_softirqs(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_softirqs(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* locks.c: PL_M_LOCKS */
int pl_fmt_locks(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_locks(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* tty_drivers.c: PL_M_TTY_DRIVERS */
int pl_fmt_tty_drivers(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_tty_drivers(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* cgroups.c: PL_M_CGROUPS */
int pl_fmt_cgroups(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_cgroups(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* pressure.c: PL_M_PSI_* -- one resource's file */
int pl_fmt_psi(const struct pl_psi *p, struct pl_buf *out);
int pl_parse_psi(const char *text, size_t len, struct pl_psi *out);
int pl_parse_psi_cpu(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_parse_psi_memory(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_parse_psi_io(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* sysctl.c: one sys/ setting (record/sysctl.h) */
int pl_fmt_sysctl(int id, const struct pl_sysctl *v, struct pl_buf *out);
int pl_parse_sysctl(int id, const char *text, size_t len, struct pl_arena *a, struct pl_sysctl *v);
/* "8-4-4-4-12" lower-case hex [p, end) into 16 bytes */
int pl_parse_uuid(const char *p, const char *end, uint8_t u[16]);
/* sysctl.c: a setting with no row (record/sysctl.h's pl_setting): the
** kernel's bytes parsed as numbers where they are a vector, else text;
** printed back as its handler prints it. */
int pl_parse_setting(const char *text, size_t len, struct pl_arena *a, struct pl_setting *v);
int pl_fmt_setting(const struct pl_setting *v, struct pl_buf *out);

/* idmap.c: projid_map, PL_F_IDMAP (as uid_map) */
int pl_fmt_projid_map(const struct pl_task *t, struct pl_buf *out);
int pl_parse_projid_map(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* numa.c: PL_F_NUMA (a world's task declaring none: its regions) */
int pl_fmt_numa_maps(const struct pl_task *t, struct pl_buf *out);
int pl_parse_numa_maps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* pagemap.c: one page's entry taken apart (pl_parse_pagemap_entry: -EINVAL
** for a bit no kernel sets) and put together; entries as the file holds
** them (8 bytes, little-endian); the entries a read of count bytes at off
** gets below task_size (-EINVAL: off or count not a multiple of 8). */
#define PL_PAGEMAP_ENTRY 8
#define PL_PAGEMAP_PAGE 4096
#define PL_PAGEMAP_TASK_SIZE 0x7ffffffff000ull /* x86-64's TASK_SIZE_MAX, 4 levels */
struct pl_pagemap_entry {
	uint8_t present, swapped, file_shared, guard, uffd_wp, exclusive, soft_dirty;
	uint64_t frame;              /* bits 0-54: the frame, or swap type and offset */
};
int pl_parse_pagemap_entry(uint64_t raw, struct pl_pagemap_entry *e);
uint64_t pl_fmt_pagemap_entry(const struct pl_pagemap_entry *e);
void pl_put_pagemap_entry(uint64_t v, unsigned char out[8]);
uint64_t pl_get_pagemap_entry(const unsigned char in[8]);
int pl_pagemap_span(uint64_t off, size_t count, uint64_t task_size, size_t *entries);

/* sysvipc.c: PL_M_SYSVIPC (shm, msg, sem) */
int pl_fmt_sysvipc_shm(const struct pl_machine *m, struct pl_buf *out);
int pl_fmt_sysvipc_msg(const struct pl_machine *m, struct pl_buf *out);
int pl_fmt_sysvipc_sem(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_sysvipc_shm(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_parse_sysvipc_msg(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_parse_sysvipc_sem(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* slabinfo.c: PL_M_SLABINFO */
int pl_fmt_slabinfo(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_slabinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* buddyinfo.c: PL_M_BUDDYINFO */
int pl_fmt_buddyinfo(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_buddyinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* devtables.c: PL_M_DEVTABLES (devices, misc, consoles, execdomains) */
int pl_fmt_devices(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_devices(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_misc(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_misc(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_consoles(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_consoles(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_fmt_execdomains(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_execdomains(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* crypto.c: PL_M_CRYPTO */
int pl_fmt_crypto(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_crypto(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* zoneinfo.c: PL_M_ZONEINFO */
int pl_fmt_zoneinfo(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_zoneinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* pagetypeinfo.c: PL_M_PAGETYPEINFO */
int pl_fmt_pagetypeinfo(const struct pl_machine *m, struct pl_buf *out);
int pl_parse_pagetypeinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* resources.c: PL_M_RESOURCES; shows_addrs: the reader's opener may see
** the addresses (CAP_SYS_ADMIN in the top namespace), else zeros */
int pl_fmt_iomem(const struct pl_machine *m, int shows_addrs, struct pl_buf *out);
int pl_fmt_ioports(const struct pl_machine *m, int shows_addrs, struct pl_buf *out);
int pl_parse_iomem(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);
int pl_parse_ioports(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

/* kallsyms.c: PL_M_KALLSYMS; syslog: the opener holds CAP_SYSLOG in the
** top namespace (kptr_restrict and perf_event_paranoid decide the rest) */
int pl_fmt_kallsyms(const struct pl_machine *m, int syslog, struct pl_buf *out);
int pl_parse_kallsyms(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m);

#endif
