/*
** ptrace_may_access (kernel/ptrace.c, security/commoncap.c,
** security/yama/yama_lsm.c) for the caller, and task_dump_owner
** (fs/proc/base.c).
**
** Capabilities count in the target's user namespace (ns_capable over the
** target's credentials, and over its mm's namespace for the dumpable
** rule), so a caller in a user namespace of its own holds none over the
** world outside it.  What cannot be seen from outside the kernel: an mm's
** user namespace (taken as the top when its root is the daemon's root,
** else the task's own), Yama's PR_SET_PTRACER exceptions (not granted),
** and other LSMs' decisions (not made).
*/
#include "access/access.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "format/scan.h"

static int same_ids(const struct pl_caller *c, const struct pl_cred *k)
{
	return c->uid == k->uid[0] && c->uid == k->uid[1] && c->uid == k->uid[2] &&
	       c->gid == k->gid[0] && c->gid == k->gid[1] && c->gid == k->gid[2];
}

/* Denials are final only once we know the caller is not a thread of the
** target's own group (the request names a tid, not its group). */
static int same_group(struct pl_caller *c, const struct pl_task *t)
{
	if (c->pid == t->tgid)
		return 1;
	/* The caller's thread lives while it asks: were it a thread of t's
	** group other than the leader, the group had more than one thread
	** when t was read.  This spares reading the caller's status (~10 µs)
	** for every single-threaded task an unprivileged ps looks at. */
	if (t->num_threads == 1)
		return 0;
	return pl_caller_load(c) == 0 && c->tgid == t->tgid;
}

/* kernel.yama.ptrace_scope; 0 where Yama is not active. */
static int yama_scope(void)
{
	char text[16];
	if (pl_read_small(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope", text, sizeof text) <= 0)
		return 0;
	return atoi(text);
}

int pl_caller_ptraces_all(struct pl_caller *c, int mode)
{
	if (c->have & PL_CALLER_ROOT)
		return 1;
	if (pl_caller_caps(c) < 0 || !((c->cap_eff >> PL_CAP_SYS_PTRACE) & 1) ||
	    pl_caller_load_userns(c) < 0 || c->userns.n != 1)
		return 0;
	return mode != PL_PTRACE_ATTACH || yama_scope() < 3;
}

/* The task's namespaces, read once a decision needs them. */
struct target {
	struct pl_source *src;
	const struct pl_task *t;
	struct pl_userns_chain ns;
	int have_ns;
};

static const struct pl_userns_chain *target_ns(struct target *g)
{
	if (!g->have_ns) {
		g->have_ns = 1;
		if (g->src->ops->userns(g->src, g->t->tgid, g->t->tid, &g->ns) < 0)
			g->ns.n = 0; /* unknown: no capability counts over it */
	}
	return &g->ns;
}

static int capable_over(struct pl_caller *c, struct target *g)
{
	return pl_caller_ns_capable(c, target_ns(g), PL_CAP_SYS_PTRACE);
}

/* The namespace of the task's mm, for the dumpable rule: an mm made
** non-dumpable shows its files as owned by that namespace's root. */
static int capable_over_mm(struct pl_caller *c, struct target *g)
{
	if (g->t->mm_root_uid != 0)
		return capable_over(c, g);
	struct pl_userns_chain top;
	pl_userns_declared(pl_userns_top(), 0, &top);
	return pl_caller_ns_capable(c, &top, PL_CAP_SYS_PTRACE);
}

/* Yama's relational scope: the caller is an ancestor of the task, or its
** tracer; PR_SET_PTRACER exceptions are not visible from outside. */
static int yama_relation(struct pl_caller *c, struct target *g)
{
	if (pl_caller_load(c) < 0)
		return 0;
	if (g->t->tracer_pid == c->tgid)
		return 1;
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_task *up = calloc(1, sizeof *up);
	pl_pid pid = g->t->tgid;
	int found = 0;
	for (int hops = 0; up && pid > 0 && hops < 4096 && !found; hops++) {
		memset(up, 0, sizeof *up);
		if (g->src->ops->load(g->src, pid, 0, PL_F_STAT, &a, up) < 0)
			break;
		pid = up->ppid;
		found = pid == c->tgid;
	}
	free(up);
	pl_arena_free(&a);
	return found;
}

static int yama_allows(struct pl_caller *c, struct target *g)
{
	switch (yama_scope()) {
	case 0: return 1;
	case 1: return yama_relation(c, g) || capable_over(c, g);
	case 2: return capable_over(c, g);
	default: return 0;
	}
}

int pl_ptrace_may_access(struct pl_caller *c, struct pl_source *src, const struct pl_task *t,
                         int mode)
{
	if (c->pid == t->tgid)
		return 1;
	if (pl_caller_ptraces_all(c, mode))
		return 1;
	struct target g = { src, t, { 0 }, 0 };
	if (!same_ids(c, &t->cred) && !capable_over(c, &g))
		return same_group(c, t);
	/* A non-dumpable mm hides the task even from its own user; a kernel
	** thread has no mm and was never dumpable. */
	if (t->has_mm ? t->dumpable != 1 && !capable_over_mm(c, &g) : t->kthread)
		return same_group(c, t);
	/* commoncap: in the task's own namespace the caller's effective set
	** must cover the task's permitted set; elsewhere, or short of it,
	** CAP_SYS_PTRACE over the task's namespace. */
	int covered = t->cred.cap_prm == 0 ||
	              (pl_caller_caps(c) == 0 && (t->cred.cap_prm & ~c->cap_eff) == 0);
	if (covered && pl_caller_load_userns(c) == 0 && target_ns(&g)->n &&
	    c->userns.ns[0].ino == g.ns.ns[0].ino)
		; /* subset in the same namespace */
	else if (!capable_over(c, &g))
		return same_group(c, t);
	if (mode == PL_PTRACE_ATTACH && !yama_allows(c, &g))
		return same_group(c, t);
	return 1;
}

void pl_task_owner(const struct pl_task *t, unsigned mode, int is_dir,
                   uint32_t *uid, uint32_t *gid)
{
	if (t->kthread) {
		*uid = *gid = 0;
		return;
	}
	*uid = t->euid;
	*gid = t->egid;
	if (is_dir && (mode & 07777) == 0555)
		return;
	if (!t->has_mm) {
		*uid = *gid = 0;
	} else if (t->dumpable != 1) {
		*uid = t->mm_root_uid;
		*gid = t->mm_root_gid;
	}
}
