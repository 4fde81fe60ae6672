/*
** The caller's facts, read on demand: a request names only the caller's
** tid, fsuid and fsgid, and most decisions need nothing more.
*/
#include "access/access.h"
#include "format/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

void pl_caller_init(struct pl_caller *c, pl_pid tid, uint32_t fsuid, uint32_t fsgid)
{
	memset(c, 0, sizeof *c);
	c->pid = tid;
	c->uid = fsuid;
	c->gid = fsgid;
}

void pl_caller_init_root(struct pl_caller *c)
{
	pl_caller_init(c, 0, 0, 0);
	c->cap_eff = c->cap_prm = ~(uint64_t)0;
	c->have_caps = 1;
}

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

int pl_caller_load(struct pl_caller *c)
{
	if (c->have_tgid)
		return 0;
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)c->pid);
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
** reads too): needed only when a mode's group bits decide. */
int pl_caller_in_group(struct pl_caller *c, uint32_t gid)
{
	if (c->gid == gid)
		return 1;
	char path[64], text[8192];
	snprintf(path, sizeof path, "/proc/%d/status", (int)c->pid);
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

int pl_caller_has_cap(struct pl_caller *c, int cap)
{
	return pl_caller_caps(c) == 0 && ((c->cap_eff >> cap) & 1);
}

int pl_caller_has_ptrace_cap(struct pl_caller *c)
{
	return pl_caller_caps(c) == 0 && ((c->cap_eff >> PL_CAP_SYS_PTRACE) & 1);
}
