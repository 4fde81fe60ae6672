/*
** ptrace_may_access (kernel/ptrace.c, security/commoncap.c) for the caller,
** and task_dump_owner (fs/proc/base.c).
*/
#include "access/access.h"

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

int pl_ptrace_may_access(struct pl_caller *c, const struct pl_task *t, int mode)
{
	(void)mode; /* without Yama, READ and ATTACH differ only in audit */
	if (c->pid == t->tgid)
		return 1;
	if (!same_ids(c, &t->cred) && !pl_caller_has_ptrace_cap(c))
		return same_group(c, t);
	/* A non-dumpable mm hides the task even from its own user. */
	if (t->has_mm && t->dumpable != 1 && !pl_caller_has_ptrace_cap(c))
		return same_group(c, t);
	/* commoncap: the caller's effective set must cover the target's
	** permitted set, unless it holds CAP_SYS_PTRACE. */
	if (t->cred.cap_prm == 0)
		return 1;
	if (pl_caller_caps(c) < 0)
		return 0;
	if ((t->cred.cap_prm & ~c->cap_eff) == 0 || pl_caller_has_ptrace_cap(c))
		return 1;
	return same_group(c, t);
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
