/*
** pl_access: permission decisions made for the caller, as the kernel makes
** them.  The daemon usually runs as root; it must never lend that to a
** caller (no confused deputy).  Mode bits (generic_permission, with the
** owners task_dump_owner gives), ptrace_may_access, and ownership.
*/
#ifndef PL_ACCESS_H
#define PL_ACCESS_H

#include "pl_source.h"
#include "pl_task.h"

#define PL_CAP_DAC_OVERRIDE 1
#define PL_CAP_DAC_READ_SEARCH 2
#define PL_CAP_SYS_PTRACE 19

enum { PL_MAY_EXEC = 1, PL_MAY_WRITE = 2, PL_MAY_READ = 4 };

/* The mode grants mask to owner, group and others alike: no need to know who asks. */
int pl_dac_fast(uint32_t mode, int mask);
/* Linux's generic_permission for the caller on an inode of mode/uid/gid:
** 0 or -EACCES (loads the caller's groups or capabilities only if needed). */
int pl_dac_permission(struct pl_caller *c, const char *proc_root, uint32_t mode,
                      uint32_t uid, uint32_t gid, int is_dir, int mask);

/*
** The request carries only the caller's tid, fsuid and fsgid.  These fill
** the rest on demand (0 or -errno; each at most once per request): its
** capabilities (capget), its thread group (proc_root/<tid>/status).
*/
int pl_caller_caps(struct pl_caller *c);
int pl_caller_load(struct pl_caller *c, const char *proc_root);
/* CAP_SYS_PTRACE in the caller's effective set: every ptrace check passes. */
int pl_caller_has_ptrace_cap(struct pl_caller *c);

/*
** Linux's __ptrace_may_access with FSCREDS, for `c` looking at task `t`
** (needs PL_F_STATUS and PL_F_OWNER).  `mode` is enum pl_ptrace_mode.
** Returns 1 if permitted, 0 if not; loads the caller's facts only when the
** decision depends on them.
*/
int pl_ptrace_may_access(struct pl_caller *c, const char *proc_root,
                         const struct pl_task *t, int mode);

/* task_dump_owner: the owner of a per-task entry of `mode` (needs PL_F_OWNER). */
void pl_task_owner(const struct pl_task *t, unsigned mode, int is_dir,
                   uint32_t *uid, uint32_t *gid);

#endif
