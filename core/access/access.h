/*
** The access layer: who the caller is, and the permission decisions made
** for it as the kernel makes them.  The daemon usually runs as root; it
** must never lend that to a caller (no confused deputy).
**
**   caller.c      the caller's facts, read on demand from the host, and the
**                 capabilities it holds in a user namespace (cap_capable),
**                 and its credentials whole for acting as it (pl_creds)
**   permission.c  generic_permission: mode bits and the DAC capabilities
**   ptrace.c      ptrace_may_access (commoncap, Yama), task_dump_owner
**
** A request's caller is a process of the host (FUSE names it by its tid in
** the daemon's pid namespace), so its facts come from the host's /proc.  A
** caller the daemon cannot name (tid 0: outside the daemon's pid
** namespace) or whose facts cannot be read holds no capability anywhere:
** it gets what anyone gets, never the daemon's rights.  An in-process
** caller (a spec's, through p.tree) is declared whole instead, and nothing
** of it is read from the host.
*/
#ifndef PL_ACCESS_H
#define PL_ACCESS_H

#include <stdint.h>

#include "record/task.h"
#include "source/source.h"

#define PL_CAP_DAC_OVERRIDE 1
#define PL_CAP_DAC_READ_SEARCH 2
#define PL_CAP_SETGID 6
#define PL_CAP_SETUID 7
#define PL_CAP_NET_ADMIN 12
#define PL_CAP_SYS_PTRACE 19
#define PL_CAP_SYS_ADMIN 21
#define PL_CAP_SYS_NICE 23
#define PL_CAP_SYS_RESOURCE 24
#define PL_CAP_SYS_TIME 25
#define PL_CAP_SETFCAP 31
#define PL_CAP_SYSLOG 34
#define PL_CAP_PERFMON 38

enum { PL_MAY_EXEC = 1, PL_MAY_WRITE = 2, PL_MAY_READ = 4 };

/* Ptrace modes, as Linux's PTRACE_MODE_READ / _ATTACH with FSCREDS. */
enum pl_ptrace_mode { PL_PTRACE_NONE, PL_PTRACE_READ, PL_PTRACE_ATTACH };

/* What of the caller has been read (each at most once per request). */
enum {
	PL_CALLER_CAPS   = 1u << 0, /* cap_eff, cap_prm */
	PL_CALLER_STATUS = 1u << 1, /* tgid, ns_tgid, euid, egid */
	PL_CALLER_USERNS = 1u << 2, /* userns */
	PL_CALLER_ROOT   = 1u << 3, /* stands for no process: passes every check */
	PL_CALLER_DECLARED = 1u << 4, /* declared whole (pl_caller_init_declared) */
};

/*
** The requesting process.  A request carries only its tid, fsuid and
** fsgid; the rest is filled on demand.
*/
struct pl_caller {
	pl_pid pid, tgid;          /* tid from the request, and its group */
	pl_pid ns_tgid;            /* the group's pid in the caller's own pid namespace */
	uint32_t uid, gid;         /* fsuid, fsgid */
	uint32_t euid;             /* cap_capable's owner rule compares it */
	uint32_t egid;             /* an unprivileged gid_map may map only it */
	uint64_t cap_eff, cap_prm; /* relative to its own user namespace */
	struct pl_userns_chain userns; /* n == 0: unknown */
	unsigned have;             /* PL_CALLER_* */
	/* A declared caller's supplementary groups (the declarer's memory,
	** which must outlive every use of the caller and its copies). */
	const uint32_t *groups;
	size_t ngroups;
};

/* caller.c: a caller as a request names it. */
void pl_caller_init(struct pl_caller *c, pl_pid tid, uint32_t fsuid, uint32_t fsgid);
/* A reader that passes every check: root of the top namespace holding
** every capability, for in-process callers (specs, world:format) that stand
** for no process. */
void pl_caller_init_root(struct pl_caller *c);
/* A caller declared whole, for in-process callers that stand for a task
** of the tree or for no process (tid 0): thread tid of group tgid, every
** uid uid and every gid gid, its groups, and `caps` as its effective and
** permitted sets, in the top user namespace.  Nothing of it is read from
** the host, and every check is made on these facts as for a process
** holding them. */
void pl_caller_init_declared(struct pl_caller *c, pl_pid tid, pl_pid tgid, uint32_t uid,
                             uint32_t gid, const uint32_t *groups, size_t ngroups,
                             uint64_t caps);
/* Its capabilities (capget), its status (thread group, euid), its user
** namespace: 0 or -errno. */
int pl_caller_caps(struct pl_caller *c);
int pl_caller_load(struct pl_caller *c);
int pl_caller_load_userns(struct pl_caller *c);
/* gid is the caller's fsgid or one of its supplementary groups. */
int pl_caller_in_group(struct pl_caller *c, uint32_t gid);
/* ns_capable: the caller holds `cap` in the namespace at the head of
** `target` (cap_capable's walk: its own namespace and those it owns). */
int pl_caller_ns_capable(struct pl_caller *c, const struct pl_userns_chain *target, int cap);
/* capable: `cap` in the top namespace, over everything. */
int pl_caller_capable(struct pl_caller *c, int cap);
/* capable_wrt_inode_uidgid: `cap` in the caller's own namespace, over an
** inode whose owner and group are mapped in it. */
int pl_caller_capable_wrt(struct pl_caller *c, int cap, uint32_t uid, uint32_t gid);
/* The caller's names for ids (from_kuid): 1 and *out filled when its user
** namespace is below the top, 0 when it names ids as the top does. */
int pl_caller_idview(struct pl_caller *c, struct pl_idview *out);
/* The same view's projid_map, into out->projid (after pl_caller_idview
** said 1; nothing mapped where it cannot be read). */
void pl_caller_idview_projid(struct pl_caller *c, struct pl_idview *out);
/* An id of the top as the view names it; unmapped: `unmapped`. */
uint32_t pl_idview_map(const struct pl_idmap_extent *e, size_t n, uint32_t id, uint32_t unmapped);
/* CAP_SYS_PTRACE in the top namespace: every ptrace check but Yama's
** scope 3 passes, so the target's facts need not be read. */
int pl_caller_ptraces_all(struct pl_caller *c, int mode);

/*
** The caller's credentials whole, for a process that is to act as the
** caller (core/write/host.c): ids as the daemon's user namespace names
** them (as kernel ids, when that is the initial one), its supplementary
** groups, its capability sets (relative to its own user namespace) and
** that namespace.
*/
struct pl_creds {
	uint32_t uid[4], gid[4];   /* real, effective, saved, filesystem */
	uint32_t *groups;          /* supplementary groups (malloc'd; NULL when none) */
	size_t ngroups;
	uint64_t cap_inh, cap_prm, cap_eff;
	int userns_fd;             /* its user namespace; -1: the daemon's own */
	int self;                  /* a caller standing for no process: this one's own */
};

/* Read them for caller c (release with pl_creds_release): 0 or -errno
** (-ESRCH: the caller is gone).  A caller the daemon cannot name gets its
** fsuid and fsgid for every id, no group, no capability, the daemon's
** user namespace: a stranger. */
int pl_caller_creds(struct pl_caller *c, struct pl_creds *out);
void pl_creds_release(struct pl_creds *cr);

/* permission.c: the mode grants mask to owner, group and others alike, so
** no need to know who asks. */
int pl_dac_fast(uint32_t mode, int mask);
/* Linux's generic_permission for the caller on an inode of mode/uid/gid:
** 0 or -EACCES (loads the caller's groups or capabilities only if needed). */
int pl_dac_permission(struct pl_caller *c, uint32_t mode, uint32_t uid, uint32_t gid,
                      int is_dir, int mask);

/*
** ptrace.c: Linux's __ptrace_may_access with FSCREDS, for `c` looking at
** task `t` (needs PL_F_STATUS and PL_F_OWNER) of source `src`.  `mode` is
** enum pl_ptrace_mode.  1 if permitted, 0 if not; loads the caller's facts
** and the task's user namespace only when the decision depends on them.
*/
int pl_ptrace_may_access(struct pl_caller *c, struct pl_source *src, const struct pl_task *t,
                         int mode);
/* task_dump_owner: the owner of a per-task entry of `mode` (needs PL_F_OWNER). */
void pl_task_owner(const struct pl_task *t, unsigned mode, int is_dir,
                   uint32_t *uid, uint32_t *gid);

#endif
