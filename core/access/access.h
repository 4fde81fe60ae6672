/*
** The access layer: who the caller is, and the permission decisions made
** for it as the kernel makes them.  The daemon usually runs as root; it
** must never lend that to a caller (no confused deputy).
**
**   caller.c      the caller's facts, read on demand from the host
**   permission.c  generic_permission: mode bits and the DAC capabilities
**   ptrace.c      ptrace_may_access, and task_dump_owner (the owners of a
**                 task's entries)
**
** The caller is always a process of the host (FUSE names it by its tid in
** the daemon's pid namespace), so its facts come from the host's /proc.
*/
#ifndef PL_ACCESS_H
#define PL_ACCESS_H

#include <stdint.h>

#include "record/task.h"

#define PL_CAP_DAC_OVERRIDE 1
#define PL_CAP_DAC_READ_SEARCH 2
#define PL_CAP_SYS_PTRACE 19

enum { PL_MAY_EXEC = 1, PL_MAY_WRITE = 2, PL_MAY_READ = 4 };

/* Ptrace modes, as Linux's PTRACE_MODE_READ / _ATTACH with FSCREDS. */
enum pl_ptrace_mode { PL_PTRACE_NONE, PL_PTRACE_READ, PL_PTRACE_ATTACH };

/*
** The requesting process.  A request carries only its tid, fsuid and
** fsgid; the rest is filled on demand, at most once per request.
*/
struct pl_caller {
	pl_pid pid, tgid;          /* tid from the request, and its group */
	pl_pid ns_tgid;            /* the group's pid in the caller's own pid namespace */
	uint32_t uid, gid;         /* fsuid, fsgid */
	uint64_t cap_eff, cap_prm;
	int have_caps;             /* cap_* were read */
	int have_tgid;             /* tgid was read */
};

/* caller.c: a caller as a request names it. */
void pl_caller_init(struct pl_caller *c, pl_pid tid, uint32_t fsuid, uint32_t fsgid);
/* A reader that passes every check: root holding every capability, for
** in-process callers (specs, world:format) that stand for no process. */
void pl_caller_init_root(struct pl_caller *c);
/* Its capabilities (capget), its thread group (its status): 0 or -errno. */
int pl_caller_caps(struct pl_caller *c);
int pl_caller_load(struct pl_caller *c);
/* CAP_SYS_PTRACE in the caller's effective set: every ptrace check passes. */
int pl_caller_has_ptrace_cap(struct pl_caller *c);
int pl_caller_has_cap(struct pl_caller *c, int cap);
/* gid is the caller's fsgid or one of its supplementary groups. */
int pl_caller_in_group(struct pl_caller *c, uint32_t gid);

/* permission.c: the mode grants mask to owner, group and others alike, so
** no need to know who asks. */
int pl_dac_fast(uint32_t mode, int mask);
/* Linux's generic_permission for the caller on an inode of mode/uid/gid:
** 0 or -EACCES (loads the caller's groups or capabilities only if needed). */
int pl_dac_permission(struct pl_caller *c, uint32_t mode, uint32_t uid, uint32_t gid,
                      int is_dir, int mask);

/*
** ptrace.c: Linux's __ptrace_may_access with FSCREDS, for `c` looking at
** task `t` (needs PL_F_STATUS and PL_F_OWNER).  `mode` is enum
** pl_ptrace_mode.  1 if permitted, 0 if not; loads the caller's facts only
** when the decision depends on them.
*/
int pl_ptrace_may_access(struct pl_caller *c, const struct pl_task *t, int mode);
/* task_dump_owner: the owner of a per-task entry of `mode` (needs PL_F_OWNER). */
void pl_task_owner(const struct pl_task *t, unsigned mode, int is_dir,
                   uint32_t *uid, uint32_t *gid);

#endif
