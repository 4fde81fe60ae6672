/*
** pl_access: ptrace_may_access and task_dump_owner for the caller.
*/
#include "pl_access.h"
#include "pl_text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>


static const char *field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? p + strlen(key) : NULL;
}

/* capget answers for any thread, from the kernel's own record: cheaper and
** fresher than reading the caller's status. */
int pl_caller_caps(struct pl_caller *c)
{
	if (c->have_caps)
		return 0;
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, c->pid };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	c->cap_eff = data[0].effective | (uint64_t)data[1].effective << 32;
	c->cap_prm = data[0].permitted | (uint64_t)data[1].permitted << 32;
	c->have_caps = 1;
	return 0;
}

int pl_caller_load(struct pl_caller *c, const char *proc_root)
{
	if (c->have_tgid)
		return 0;
	char path[64], text[4096];
	snprintf(path, sizeof path, "%s/%d/status", proc_root, (int)c->pid);
	ssize_t n = pl_read_small(AT_FDCWD, path, text, sizeof text);
	if (n <= 0)
		return n < 0 ? (int)n : -ESRCH;
	const char *tg = field(text, "\nTgid:\t");
	if (!tg)
		return -EIO;
	c->tgid = (pl_pid)strtol(tg, NULL, 10);
	/* NStgid ends with the caller's pid in its own namespace */
	c->ns_tgid = c->tgid;
	const char *ns = field(text, "\nNStgid:\t");
	while (ns && *ns && *ns != '\n') {
		char *end;
		long v = strtol(ns, &end, 10);
		if (end == ns)
			break;
		c->ns_tgid = (pl_pid)v;
		ns = end + (*end == '\t');
	}
	c->have_tgid = 1;
	return 0;
}

/* Supplementary groups from the caller's status (what fuse_req_getgroups
** reads too); needed only when a mode's group bits decide. */
static int caller_in_group(struct pl_caller *c, const char *proc_root, uint32_t gid)
{
	if (c->gid == gid)
		return 1;
	char path[64], text[8192];
	snprintf(path, sizeof path, "%s/%d/status", proc_root, (int)c->pid);
	if (pl_read_small(AT_FDCWD, path, text, sizeof text) <= 0)
		return 0;
	const char *g = field(text, "\nGroups:\t");
	while (g && *g && *g != '\n') {
		char *end;
		unsigned long v = strtoul(g, &end, 10);
		if (end == g)
			break;
		if (v == gid)
			return 1;
		g = end;
		while (*g == ' ')
			g++;
	}
	return 0;
}

static int has_cap(struct pl_caller *c, int cap)
{
	return pl_caller_caps(c) == 0 && ((c->cap_eff >> cap) & 1);
}

int pl_dac_fast(uint32_t mode, int mask)
{
	mask &= 7;
	return (mask & ~(mode & 7)) == 0 && (mask & ~((mode >> 3) & 7)) == 0 &&
	       (mask & ~((mode >> 6) & 7)) == 0;
}

int pl_dac_permission(struct pl_caller *c, const char *proc_root, uint32_t mode,
                      uint32_t uid, uint32_t gid, int is_dir, int mask)
{
	unsigned bits;
	mask &= 7;
	if (c->uid == uid)
		bits = (mode >> 6) & 7;
	else if (((mode >> 3) & 7) != (mode & 7) && caller_in_group(c, proc_root, gid))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	if ((mask & ~bits) == 0)
		return 0;
	/* capable_wrt_inode_uidgid: the DAC overrides */
	if (is_dir) {
		if (!(mask & PL_MAY_WRITE) && has_cap(c, PL_CAP_DAC_READ_SEARCH))
			return 0;
		return has_cap(c, PL_CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (has_cap(c, PL_CAP_DAC_OVERRIDE) && (!(mask & PL_MAY_EXEC) || (mode & 0111)))
		return 0;
	if (mask == PL_MAY_READ && has_cap(c, PL_CAP_DAC_READ_SEARCH))
		return 0;
	return -EACCES;
}

int pl_caller_has_ptrace_cap(struct pl_caller *c)
{
	return pl_caller_caps(c) == 0 && ((c->cap_eff >> PL_CAP_SYS_PTRACE) & 1);
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
	/* The caller's thread lives while it asks: were it a thread of t's
	** group other than the leader, the group had more than one thread
	** when t was read.  This spares reading the caller's status (~10 µs)
	** for every single-threaded task an unprivileged ps looks at. */
	if (t->num_threads == 1)
		return 0;
	return pl_caller_load(c, proc_root) == 0 && c->tgid == t->tgid;
}

int pl_ptrace_may_access(struct pl_caller *c, const char *proc_root,
                         const struct pl_task *t, int mode)
{
	(void)mode; /* without Yama, READ and ATTACH differ only in audit */
	if (c->pid == t->tgid)
		return 1;
	if (!same_ids(c, &t->cred) && !pl_caller_has_ptrace_cap(c))
		return same_group(c, proc_root, t);
	/* A non-dumpable mm hides the task even from its own user. */
	if (t->has_mm && t->dumpable != 1 && !pl_caller_has_ptrace_cap(c))
		return same_group(c, proc_root, t);
	/* commoncap: the caller's effective set must cover the target's
	** permitted set, unless it holds CAP_SYS_PTRACE. */
	if (t->cred.cap_prm == 0)
		return 1;
	if (pl_caller_caps(c) < 0)
		return 0;
	if ((t->cred.cap_prm & ~c->cap_eff) == 0 || pl_caller_has_ptrace_cap(c))
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
