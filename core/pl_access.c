/*
** pl_access: ptrace_may_access and task_dump_owner for the caller.
*/
#include "pl_access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static const char *field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? p + strlen(key) : NULL;
}

int pl_caller_load(struct pl_caller *c, const char *proc_root)
{
	if (c->have_caps)
		return 0;
	char path[64], text[4096];
	snprintf(path, sizeof path, "%s/%d/status", proc_root, (int)c->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ESRCH;
	text[n] = '\0';
	const char *tg = field(text, "\nTgid:\t");
	const char *prm = field(text, "\nCapPrm:\t");
	const char *eff = field(text, "\nCapEff:\t");
	if (!tg || !prm || !eff)
		return -EIO;
	c->tgid = (pl_pid)strtol(tg, NULL, 10);
	c->cap_prm = strtoull(prm, NULL, 16);
	c->cap_eff = strtoull(eff, NULL, 16);
	c->have_caps = 1;
	return 0;
}

static int caller_has_ptrace_cap(struct pl_caller *c, const char *proc_root)
{
	if (pl_caller_load(c, proc_root) < 0)
		return 0;
	return (c->cap_eff >> PL_CAP_SYS_PTRACE) & 1;
}

static int same_ids(const struct pl_caller *c, const struct pl_cred *k)
{
	return c->uid == k->uid[0] && c->uid == k->uid[1] && c->uid == k->uid[2] &&
	       c->gid == k->gid[0] && c->gid == k->gid[1] && c->gid == k->gid[2];
}

/* Denials are final only once we know the caller is not a thread of the
** target's own group (the request names a tid, not its group). */
static int same_group(struct pl_caller *c, const char *proc_root, const struct pl_task *t)
{
	if (c->pid == t->tgid)
		return 1;
	return pl_caller_load(c, proc_root) == 0 && c->tgid == t->tgid;
}

int pl_ptrace_may_access(struct pl_caller *c, const char *proc_root,
                         const struct pl_task *t, int mode)
{
	(void)mode; /* without Yama, READ and ATTACH differ only in audit */
	if (c->pid == t->tgid)
		return 1;
	if (!same_ids(c, &t->cred) && !caller_has_ptrace_cap(c, proc_root))
		return same_group(c, proc_root, t);
	/* A non-dumpable mm hides the task even from its own user. */
	if (t->has_mm && t->dumpable != 1 && !caller_has_ptrace_cap(c, proc_root))
		return same_group(c, proc_root, t);
	/* commoncap: the caller's effective set must cover the target's
	** permitted set, unless it holds CAP_SYS_PTRACE. */
	if (t->cred.cap_prm == 0)
		return 1;
	if (pl_caller_load(c, proc_root) < 0)
		return 0;
	if ((t->cred.cap_prm & ~c->cap_eff) == 0 || caller_has_ptrace_cap(c, proc_root))
		return 1;
	return same_group(c, proc_root, t);
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
