/*
** The write layer: what a write through the mount does.
**
** A host task's file is written by the kernel, never by the daemon's
** rights: host.c opens the real file as the opener (a short-lived process
** holding the opener's credentials and user namespace, so the kernel makes
** its open-time checks for them) and writes it as the writer, and the
** caller gets the kernel's count or errno.
**
** A world's task is written by the kernel's rules, implemented here, one
** file per family, each a second implementation checked against the
** kernel by differential specs:
**
**   idmap.c    uid_map, gid_map (map_write), setgroups
**   oom.c      oom_score_adj and oom_adj (and the oom_score that follows)
**   audit.c    loginuid
**   sched.c    timerslack_ns, autogroup, sched
**   attr.c     the files of attr/
**   comm.c     comm
**   coredump.c coredump_filter
**   mem.c      mem
**   timens.c   timens_offsets (the offsets of a time namespace)
**   sysctl.c   the sys/ settings (the machine's, no task)
**
** A rule parses and checks first, then changes the task through the
** source's update (one transaction under the source's lock), so a
** rejected write changes nothing and a reader sees the old or the new
** state, never a mix.
*/
#ifndef PL_WRITE_H
#define PL_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "access/access.h"
#include "source/source.h"

/* One write (or, with buf NULL, the open for writing) of a world task's file. */
struct pl_write {
	struct pl_source *src;
	pl_pid tgid, tid;          /* tid 0: /proc/<tgid>/<file>, else task/<tid>/<file> */
	const struct pl_pin *pin;  /* the task (and for mem, the address space) opened */
	struct pl_caller *writer;  /* the process writing (Linux's current) */
	struct pl_caller *opener;  /* who opened the handle, as it was then (f_cred) */
	pl_pid writer_tgid;        /* the writer's own thread group here (self); 0: none */
	pl_pid writer_tid;         /* and its thread (the group's leader for a world's self) */
	const char *buf;
	size_t len;
	uint64_t off;              /* the file position (mem: the address) */
	int sysctl;                /* pl_write_sysctl: the setting (record/sysctl.h) */
};

/* A rule: the count written, or -errno with nothing changed. */
typedef ssize_t (*pl_write_rule)(const struct pl_write *w);
/* An open-time check for writing (Linux's open method): 0 or -errno. */
typedef int (*pl_write_open_rule)(const struct pl_write *w);

ssize_t pl_write_uid_map(const struct pl_write *w);
ssize_t pl_write_gid_map(const struct pl_write *w);
int pl_write_open_setgroups(const struct pl_write *w);
ssize_t pl_write_setgroups(const struct pl_write *w);
ssize_t pl_write_oom_score_adj(const struct pl_write *w);
ssize_t pl_write_oom_adj(const struct pl_write *w);
ssize_t pl_write_loginuid(const struct pl_write *w);
ssize_t pl_write_timerslack_ns(const struct pl_write *w);
ssize_t pl_write_autogroup(const struct pl_write *w);
ssize_t pl_write_sched(const struct pl_write *w);
ssize_t pl_write_attr(const struct pl_write *w);
ssize_t pl_write_comm(const struct pl_write *w);
ssize_t pl_write_coredump_filter(const struct pl_write *w);
ssize_t pl_write_mem(const struct pl_write *w);
ssize_t pl_write_timens_offsets(const struct pl_write *w);

/*
** sysctl.c.  A world's sys/ setting w->sysctl (w->tgid 0, no pin): the
** kernel's sysctl_perm for the writer, then the setting's handler.
*/
ssize_t pl_write_sysctl(const struct pl_write *w);
/* proc_sys_permission for caller c on setting id, served with the
** layout's mode: the kernel's entry's mode, narrowed by the layout's,
** through its table's permissions op, then test_perm; 0 or -EACCES.  A
** host's opens for writing are left to its kernel (0) unless the layout
** narrows the entry's mode. */
int pl_sysctl_permission(struct pl_source *src, struct pl_caller *c, int id, unsigned layout_mode,
                         int mask);
/* The mode of the kernel's table entry for setting id. */
unsigned pl_sysctl_mode(int id);
/* A setting with no row, at path under sys/ with the kernel's mode
** `mode` (the host's, as its table has it; a world's declared ones are
** 0444): pl_sysctl_permission's rule, its table's root told by the path. */
int pl_setting_permission(struct pl_source *src, struct pl_caller *c, const char *path,
                          unsigned mode, int mask);
/* The namespace (PL_SYSCTL_NS_*) that keeps a setting at path under sys/. */
int pl_setting_namespace(const char *path);
/* The setting's path under /proc ("sys/vm/swappiness"). */
int pl_sysctl_path(int id, char *buf, size_t len);
/* The namespace a setting is kept in: Linux shows a process the one of
** its own namespace of that kind. */
enum { PL_SYSCTL_NS_NONE, PL_SYSCTL_NS_NET, PL_SYSCTL_NS_UTS, PL_SYSCTL_NS_PID,
       PL_SYSCTL_NS_USER, PL_SYSCTL_NS_IPC };
int pl_sysctl_namespace(int id);

/*
** host.c.  The pinned host task's file `name`, opened with `flags`
** (O_WRONLY or O_RDWR, perhaps O_TRUNC; O_RDONLY for pagemap, whose
** check and frame numbers the kernel decides for the opener) as `opener`
** would open it: an fd,
** or the kernel's -errno.  With p NULL, `name` is a sys/ setting's path
** under /proc, opened in the opener's namespaces too (host.c).  mem is the pin's own fd (PL_PIN_MM_WRITE): the
** ptrace check Linux makes at its open was made for the opener already,
** and after it a write to mem checks nothing more.
*/
int pl_write_host_open(struct pl_source *src, const struct pl_pin *p, const char *name,
                       int flags, struct pl_caller *opener);
/* Write through fd, opened by pl_write_host_open for pinned task p (NULL:
** a sys/ setting), as `writer` would: the kernel's count or -errno.  (comm of a writer's own
** thread group: -EOPNOTSUPP, see host.c.) */
ssize_t pl_write_host(const struct pl_pin *p, int fd, const char *name,
                      struct pl_caller *writer, const char *buf, size_t len, uint64_t off);

/*
** host.c.  A host's sys/ setting (path under /proc) as `reader` reads it
** when the namespace that keeps it (PL_SYSCTL_NS_*) is one of the
** reader's own: read in a child holding the reader's credentials and
** namespaces, into buf (the bytes, or -errno).  -EAGAIN where the reader
** shares that namespace with the daemon, which reads it the cheap way.
*/
ssize_t pl_host_read_setting(struct pl_source *src, const char *path, int ns_kind,
                             struct pl_caller *reader, char *buf, size_t cap);

/* idmap.c: projid_map (map_write with no capability asked) */
ssize_t pl_write_projid_map(const struct pl_write *w);
/* clear_refs.c */
ssize_t pl_write_clear_refs(const struct pl_write *w);

/*
** host.c.  A machine-wide file under /proc (path) that the kernel makes
** for its opener's IPC, pid and user namespaces (sysvipc/), opened as
** `reader` in its namespaces with its credentials: the fd, whose reads
** the kernel makes as for the reader; -errno; -EAGAIN where the reader
** shares those namespaces with the daemon, which reads its own.
*/
int pl_host_open_as_reader(struct pl_source *src, const char *path, struct pl_caller *reader);

#endif
