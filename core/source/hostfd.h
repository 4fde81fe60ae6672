/*
** pl_hostfd: kept-open fds of host tasks, for the host source.
**
** Looking up /proc/<pid> costs a path walk, and asking whether the task
** lives costs another; a kept directory fd names the task instance at
** once: its stat and status are opened by one name from it, and fstat of
** the directory (and fstatat of its stat)
** gives the owners the kernel computes at that moment.  The host source
** asks this cache first and falls back to its path-based code whenever the
** cache does not answer: a cache that is full, busy, disabled or unsure
** never fails a request, it only makes it slower.
**
** An entry belongs to one task *instance*: the fds it keeps pin the
** kernel's struct pid of the task it was opened on, not the number, so a
** pid reused by a new process can never be answered from an old entry
** (see hostfd.c for why each answer is exact).
**
** Thread-safe: a set of slots is locked only around taking and putting back
** fds; no lock is held across a read.  No allocation after pl_hostfd_new.
*/
#ifndef PL_HOSTFD_H
#define PL_HOSTFD_H

#include <stdint.h>

#include "record/buf.h"
#include "record/task.h"

/* The files read through an entry: single-record seq_files (single_open),
** whose one read returns the whole content when it fits. */
enum { PL_HF_STAT, PL_HF_STATUS, PL_HF_NFILES };

struct pl_hostfd;
struct pl_hostfd_slot;

/* A held entry; s == NULL: nothing held, use the path. */
struct pl_hostfd_ref {
	struct pl_hostfd_slot *s;
};

/*
** A cache for the procfs at root_fd (borrowed, not closed); NULL when it
** cannot help (not a procfs, no fds to spare, PROCLUA_HOSTFD=0), which
** callers treat as "always use the path".  May raise RLIMIT_NOFILE's soft
** limit towards the hard one to make room for its fds (see hostfd.c).
*/
struct pl_hostfd *pl_hostfd_new(int root_fd);

/* Whether this process numbers pids (pidfd_open's, the proc connector's)
** as the procfs at root_fd does. */
int pl_host_same_pid_ns(int root_fd);
void pl_hostfd_free(struct pl_hostfd *c);

/*
** Hold the entry of task tid of tgid (tid 0: the thread-group directory
** /proc/<tgid>; else /proc/<tgid>/task/<tid>), opening it if absent.
** Returns 0 (r->s set), 1 (not cached: use the path), or -ESRCH (the
** task's directory does not exist: the answer a path would give).  Every
** 0 must be matched by pl_hostfd_put.
*/
int pl_hostfd_get(struct pl_hostfd *c, pl_pid tgid, pl_pid tid, struct pl_hostfd_ref *r);
void pl_hostfd_put(struct pl_hostfd_ref *r);

/* The following return 0 when they answered, -1 when the caller must ask
** the path instead (and the entry is dropped if the task looks gone). */

/* File `file` (PL_HF_*) whole into out, NUL-terminated (len excludes it). */
int pl_hostfd_read(struct pl_hostfd_ref *r, int file, struct pl_buf *out);
/* The owner of the task's 0555 directory (euid/egid) and of its other
** entries (task_dump_owner: the stat file's owner). */
int pl_hostfd_owner(struct pl_hostfd_ref *r, uint32_t *dir_uid, uint32_t *dir_gid,
                    uint32_t *file_uid, uint32_t *file_gid);
/* The task is not reaped (a zombie is alive: procfs still serves it). */
int pl_hostfd_alive(struct pl_hostfd_ref *r);
/* A new fd on the task instance (a pidfd, or its /proc directory) that
** pidfd_send_signal(fd, 0) asks liveness of, or -1. */
int pl_hostfd_pin(struct pl_hostfd_ref *r);

#endif
