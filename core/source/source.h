/*
** pl_source: where tasks come from.  The host source reads the live
** machine; the model source serves a world declared in Lua; a pid view
** shows a subtree of another source, renumbered.  The tree and the builtin
** files see only this interface.
**
** All functions return 0 (or a count) on success and -errno on failure;
** -ESRCH means the task is gone.
*/
#ifndef PL_SOURCE_H
#define PL_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "record/arena.h"
#include "record/machine.h"
#include "record/object.h"
#include "record/net.h"
#include "record/sysctl.h"
#include "record/task.h"
#include "source/userns.h"

struct pl_source;

/*
** What an open file holds of its task, as Linux's handles do: the task it
** was opened on (never a later one under the same number) and, for the
** files that pin one, its address space as of the open.
*/
struct pl_pin {
	pl_pid tgid, tid;          /* as the source that made it numbers them */
	int task_fd, mm_fd;        /* a host source's; -1 when none */
	int mm_err;                /* why mm_fd is -1: the kernel refused the daemon */
};

#define PL_PIN_NONE { 0, 0, -1, -1, 0 }

/* What a pin holds (pl_source_ops.pin's `mm`): the task only, its address
** space too, or the address space opened for writing as well (a host
** source's mem fd, which a write through the mount then goes through). */
enum { PL_PIN_TASK = 0, PL_PIN_MM = 1, PL_PIN_MM_WRITE = 2 };

/* Called with each pid in ascending order; return non-zero to stop. */
typedef int (*pl_pid_cb)(void *arg, pl_pid pid);

/* A change to a task's facts (see pl_source_ops.update): a count to keep
** what it changed, or -errno to change nothing. */
typedef ssize_t (*pl_update_fn)(void *arg, struct pl_task *t);

/* A change to one sys/ setting (see pl_source_ops.update_sysctl): a
** count to keep the new value, or -errno to change nothing.  A new text
** may point into the caller's memory: the source copies it. */
typedef ssize_t (*pl_sysctl_update_fn)(void *arg, struct pl_sysctl *v);

/* Opens a host file for a writer (see pl_source_ops.open_host_file): an
** fd, or -errno as the kernel gave it. */
typedef int (*pl_open_fn)(void *arg, int dirfd, const char *path, int flags);

struct pl_source_ops {
	const char *name; /* "host", "model" */
	/* Thread-group leaders with tgid >= from, ascending. */
	int (*each_tgid)(struct pl_source *s, pl_pid from, pl_pid_cb cb, void *arg);
	/* 0 if tid is a live thread of tgid (tid == tgid for the leader). */
	int (*task_exists)(struct pl_source *s, pl_pid tgid, pl_pid tid);
	/* tgid of a thread id; -ESRCH if unknown. */
	int (*tgid_of)(struct pl_source *s, pl_pid tid, pl_pid *tgid);
	/*
	** Fill the groups `want` (PL_F_*) of task tid in tgid.  tid == 0 asks for
	** the thread-group view (/proc/<tgid>/...), tid != 0 for
	** /proc/<tgid>/task/<tid>/....  Strings and lists go into `arena`.
	*/
	int (*load)(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t want,
	            struct pl_arena *arena, struct pl_task *t);
	int (*load_fdinfo)(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
	                   struct pl_arena *arena, struct pl_fdinfo *fi);
	/* One open file of the task, as PL_F_FDS lists it: 0, -ENOENT when fd
	** is not open, -ESRCH when the task is gone.  Optional (NULL: the
	** whole list is loaded and searched); a lookup of fd/N costs what one
	** fd costs, not what the task's every fd does. */
	int (*load_fd)(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
	               struct pl_arena *arena, struct pl_fd *out);
	/* Optional: the link of map_files/ naming region [start, end): 0,
	** -ENOENT when no region with a file spans exactly that, -ESRCH when
	** the task is gone, the kernel's -errno when it refused the daemon.
	** NULL (or -ENOSYS) for a source whose regions are declared: the
	** tree makes the link from the region (tree/mapfiles.c). */
	int (*load_map_file)(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t start,
	                     uint64_t end, struct pl_arena *arena, struct pl_map_file *out);
	/*
	** Copy len bytes of the task's memory at addr.  Returns the count copied,
	** short at the first unreadable byte; -EFAULT if nothing could be copied,
	** -ESRCH if the task is gone, 0 if it has no memory (zombie).
	*/
	ssize_t (*read_mem)(struct pl_source *s, pl_pid tgid, uint64_t addr,
	                    void *buf, size_t len);
	/*
	** Pin task tid of tgid (0: the leader), and with `mm` (PL_PIN_*) its
	** address space; 0 or -errno (-ESRCH: gone).  pin_check: 0 while the task and
	** the pinned address space live, 1 once the address space is gone (an
	** exec or the exit: it reads as empty), -ESRCH once the task is gone.
	** read_pinned copies from the pinned address space as read_mem does,
	** 0 (end) once it is gone.  Sources whose numbers are never reused
	** and whose tasks do not exec may leave these NULL.
	*/
	int (*pin)(struct pl_source *s, pl_pid tgid, pl_pid tid, int mm, struct pl_pin *out);
	int (*pin_check)(struct pl_source *s, const struct pl_pin *p);
	ssize_t (*read_pinned)(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
	                       void *buf, size_t len);
	void (*unpin)(struct pl_source *s, struct pl_pin *p);
	/*
	** Writes.  A world's tasks are changed here, by the rules of
	** core/write/: update runs fn on the facts `want` of task (tgid, tid;
	** 0: the group's view) under the source's write lock, so a reader
	** sees the facts before or after, never a mix.  What fn changed is
	** kept where Linux keeps it: id maps and setgroups in the task's user
	** namespace (every task in it), oom_score, oom_score_adj(_min) and
	** coredump_filter in its thread group, comm, loginuid, sessionid and
	** timerslack_ns in the thread, an autogroup's nice in every task of
	** that autogroup; other changes are dropped.  write_pinned copies into the pinned address
	** space: the count, short at the first unwritable byte, -EFAULT if
	** nothing could be written, 0 once it is gone.
	**
	** A host source's tasks are written by the kernel, not here:
	** open_host_file calls `how` with a directory fd and a path under it
	** naming the pinned task's own file `name`, and returns its fd (or
	** how's -errno), or -ESRCH if the task is no longer the pinned one.
	** With no pin (p NULL), `name` is a path under the host's /proc
	** ("sys/vm/swappiness"): a machine-wide file.
	** Each is NULL where a source's tasks are not written that way.
	*/
	ssize_t (*update)(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t want,
	                  pl_update_fn fn, void *arg);
	ssize_t (*write_pinned)(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
	                        const void *buf, size_t len);
	int (*open_host_file)(struct pl_source *s, const struct pl_pin *p, const char *name,
	                      int flags, pl_open_fn how, void *arg);
	/* Optional: the numbers of the task's open fds, ascending (what its
	** fd/ lists), without reading what each is: 0, -ESRCH when the task
	** is gone.  NULL: PL_F_FDS is loaded instead. */
	int (*list_fds)(struct pl_source *s, pl_pid tgid, pl_pid tid, struct pl_arena *arena,
	                int32_t **out, size_t *n);
	/*
	** Optional: what stat(2) following the task's link `link` ("fd/5",
	** "ns/net"; tid 0: the group's) shows, while the link's target is
	** still `target` (NULL: while it names an object, pl_link_names_object):
	** 0; -ENOENT when the link is gone or names something else by now; the kernel's -errno when it refused the daemon; -ESRCH
	** when the task is gone.  NULL (or -ENOSYS, from a view over such a
	** source) for a source whose links lead nowhere real: a world, whose
	** objects the tree makes from what the target names.
	*/
	int (*stat_link)(struct pl_source *s, pl_pid tgid, pl_pid tid, const char *link,
	                 const char *target, struct pl_object *out);
	/* Optional: the pid this source shows for a host process (a view
	** renumbers); NULL means the host pid itself, where it exists. */
	int (*map_host_pid)(struct pl_source *s, pl_pid host, pl_pid *out);
	/* The user namespace of the task's credentials, with its ancestors
	** (userns.h): what capabilities over the task are counted in. */
	int (*userns)(struct pl_source *s, pl_pid tgid, pl_pid tid, struct pl_userns_chain *out);
	/* Optional: how far the boot clock (CLOCK_BOOTTIME) of the time
	** namespace of thread tid runs from the one the source's facts
	** were read by, in ns: what the kernel adds to /proc/uptime and stat's
	** starttime, and takes from /proc/stat's btime, for a reader in that
	** namespace.  NULL: every reader's clock is the facts'. */
	int (*boottime_offset)(struct pl_source *s, pl_pid tid, int64_t *ns);
	/* Machine-wide facts of the top level: the groups `want` (PL_M_*). */
	int (*load_machine)(struct pl_source *s, unsigned want, struct pl_arena *arena,
	                    struct pl_machine *m);
	/* One sys/ setting (record/sysctl.h), or -ENOENT where the machine has
	** none; NULL: none at all. */
	int (*load_sysctl)(struct pl_source *s, int id, struct pl_arena *arena, struct pl_sysctl *out);
	/* A world's setting changed by a write (core/write/sysctl.c): fn runs
	** on a copy of its value under the source's write lock, and what it
	** made is kept if it returns a count, so a reader sees the old value
	** or the new, never a mix; -ENOENT where the machine has no such
	** setting.  NULL where the settings are not written this way (the
	** host's are the kernel's: open_host_file with no pin). */
	ssize_t (*update_sysctl)(struct pl_source *s, int id, pl_sysctl_update_fn fn, void *arg);
	/* Every sys/ setting the machine has, record/sysctl.h's rows among
	** them, by path under sys/ in the kernel's order; NULL: the rows only
	** (load_sysctl says which). */
	int (*each_setting)(struct pl_source *s, pl_setting_fn fn, void *arg);
	/* A setting with no row, by path: 0 and its value, or -ENOENT. */
	int (*load_setting)(struct pl_source *s, const char *path, struct pl_arena *arena,
	                    struct pl_setting *out);
	/*
	** Optional, where each_setting's names are those of the daemon's
	** network namespace: setting_varies says whether a reader's namespace
	** decides if path (under sys/, of permission bits mode here) exists or
	** its mode (1, asked once per tree load), setting_seen whether thread
	** tid finds it in its own (1, with *mode its type and permission bits
	** there or 0 for the same; or 0; -ESRCH when it is gone).  NULL: every reader
	** finds every name as the source lists it.
	*/
	int (*setting_varies)(struct pl_source *s, const char *path, unsigned mode);
	int (*setting_seen)(struct pl_source *s, pl_pid tid, const char *path, unsigned *mode);
	/* Optional: fn(arg, name, mode) for each name directly under sys/
	** directory dir in thread tid's namespace where that is not the one
	** each_setting lists (mode: S_IFDIR or S_IFREG, permission bits), in
	** strcmp order; fn must not call the source.  0, or -ESRCH. */
	int (*setting_list)(struct pl_source *s, pl_pid tid, const char *dir,
	                    void (*fn)(void *arg, const char *name, unsigned mode), void *arg);
	/*
	** The network namespace of task tid of tgid (0: the group's view):
	** load_net fills file f (PL_NET_*) of out, with the files' owner;
	** stat_net says only whether the task has file f and its owner.
	** -ENOENT where it has none (a zombie has no namespace; a kernel
	** may lack a file), -ESRCH once the task is gone.  NULL: no net/.
	*/
	int (*load_net)(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, struct pl_arena *arena,
	                struct pl_net *out);
	int (*stat_net)(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, uint32_t *uid,
	                uint32_t *gid);
	/* dev_snmp6/ of that namespace: out->ifaces, each IPv6 interface's
	** counters in the kernel's listing order (`only`: that interface
	** alone, -ENOENT without it), with the files' owner.  NULL: none. */
	int (*load_net_ifaces)(struct pl_source *s, pl_pid tgid, pl_pid tid, const char *only,
	                       struct pl_arena *arena, struct pl_net *out);
	void (*destroy)(struct pl_source *s);
};

/* A change to the tasks: tid of group tgid (tid == tgid: the leader) vanished
** or changed its facts, e.g. became a zombie. */
typedef void (*pl_change_fn)(void *arg, pl_pid tgid, pl_pid tid);

struct pl_source {
	const struct pl_source_ops *ops;
	/*
	** Set by a source whose tasks change only in ways it announces through
	** `changed` (a world: facts are fixed until zombify or vanish).  Then
	** the front end may let the kernel cache task entries and attributes
	** and drop them when told.  The host's tasks change on their own.
	*/
	int announces_changes;
	pl_change_fn changed;      /* set by the front end; may be NULL */
	void *changed_arg;
};

/* The ops above, with their defaults for a source that leaves them out. */
int pl_source_pin(struct pl_source *s, pl_pid tgid, pl_pid tid, int mm, struct pl_pin *out);
int pl_source_pin_check(struct pl_source *s, const struct pl_pin *p);
/* The task a world names as the one its outside callers (host processes)
** are (its `self`, through a view over it if any); 0: none, and for the
** host. */
pl_pid pl_source_self(struct pl_source *s);
ssize_t pl_source_read_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                              void *buf, size_t len);
void pl_source_unpin(struct pl_source *s, struct pl_pin *p);
ssize_t pl_source_write_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                               const void *buf, size_t len);
int pl_source_load_fd(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
                      struct pl_arena *arena, struct pl_fd *out);

static inline void pl_source_announce(struct pl_source *s, pl_pid tgid, pl_pid tid)
{
	if (s->changed)
		s->changed(s->changed_arg, tgid, tid);
}

/* The live machine.  proc_root is normally "/proc". */
struct pl_source *pl_host_source_new(const char *proc_root);

#endif
