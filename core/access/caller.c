/*
** The caller's facts, read on demand: a request names only the caller's
** tid, fsuid and fsgid, and most decisions need nothing more.  What it
** holds is judged where the kernel judges it: a capability counts in the
** caller's own user namespace and those below it (cap_capable), never in
** the daemon's.
*/
#include "access/access.h"
#include "format/format.h"
#include "format/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/stat.h>
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
	pl_userns_declared(pl_userns_top(), 0, &c->userns);
	c->have = PL_CALLER_ROOT | PL_CALLER_CAPS | PL_CALLER_USERNS;
}

void pl_caller_init_declared(struct pl_caller *c, pl_pid tid, pl_pid tgid, uint32_t uid,
                             uint32_t gid, const uint32_t *groups, size_t ngroups,
                             uint64_t caps)
{
	pl_caller_init(c, tid, uid, gid);
	c->tgid = c->ns_tgid = tgid;
	c->euid = uid;
	c->egid = gid;
	c->cap_eff = c->cap_prm = caps;
	pl_userns_declared(pl_userns_top(), 0, &c->userns);
	c->groups = groups;
	c->ngroups = ngroups;
	c->have = PL_CALLER_DECLARED | PL_CALLER_CAPS | PL_CALLER_STATUS | PL_CALLER_USERNS;
}

static const char *field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? p + strlen(key) : NULL;
}

/* capget answers for any thread, from the kernel's own record: cheaper and
** fresher than reading the caller's status.  A caller without a pid holds
** nothing (capget of pid 0 would be the daemon's own). */
int pl_caller_caps(struct pl_caller *c)
{
	if (c->have & PL_CALLER_CAPS)
		return 0;
	c->have |= PL_CALLER_CAPS;
	if (c->pid <= 0)
		return -ESRCH;
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, c->pid };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	c->cap_eff = data[0].effective | (uint64_t)data[1].effective << 32;
	c->cap_prm = data[0].permitted | (uint64_t)data[1].permitted << 32;
	return 0;
}

int pl_caller_load(struct pl_caller *c)
{
	if (c->have & PL_CALLER_STATUS)
		return c->tgid ? 0 : -ESRCH;
	c->have |= PL_CALLER_STATUS;
	if (c->pid <= 0)
		return -ESRCH;
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)c->pid);
	ssize_t n = pl_read_small(AT_FDCWD, path, text, sizeof text);
	if (n <= 0)
		return n < 0 ? (int)n : -ESRCH;
	const char *tg = field(text, "\nTgid:\t");
	const char *uid = field(text, "\nUid:\t");
	const char *gid = field(text, "\nGid:\t");
	if (!tg || !uid || !gid)
		return -EIO;
	char *end;
	strtoul(uid, &end, 10); /* real, then effective */
	c->euid = (uint32_t)strtoul(end, NULL, 10);
	strtoul(gid, &end, 10);
	c->egid = (uint32_t)strtoul(end, NULL, 10);
	c->tgid = (pl_pid)strtol(tg, NULL, 10);
	/* NStgid ends with the caller's pid in its own namespace */
	c->ns_tgid = c->tgid;
	const char *ns = field(text, "\nNStgid:\t");
	while (ns && *ns && *ns != '\n') {
		long v = strtol(ns, &end, 10);
		if (end == ns)
			break;
		c->ns_tgid = (pl_pid)v;
		ns = end + (*end == '\t');
	}
	return 0;
}

int pl_caller_load_userns(struct pl_caller *c)
{
	if (c->have & PL_CALLER_USERNS)
		return c->userns.n ? 0 : -ESRCH;
	c->have |= PL_CALLER_USERNS;
	if (c->pid <= 0)
		return -ESRCH;
	return pl_userns_of_tid(-1, c->pid, &c->userns);
}

/* Supplementary groups from the caller's status (what fuse_req_getgroups
** reads too): needed only when a mode's group bits decide. */
int pl_caller_in_group(struct pl_caller *c, uint32_t gid)
{
	if (c->gid == gid)
		return 1;
	if (c->have & PL_CALLER_DECLARED) {
		for (size_t i = 0; i < c->ngroups; i++)
			if (c->groups[i] == gid)
				return 1;
		return 0;
	}
	if (c->pid <= 0)
		return 0;
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

static int has_cap(struct pl_caller *c, int cap)
{
	return pl_caller_caps(c) == 0 && ((c->cap_eff >> cap) & 1);
}

int pl_caller_ns_capable(struct pl_caller *c, const struct pl_userns_chain *target, int cap)
{
	if (c->have & PL_CALLER_ROOT)
		return 1;
	if (target->n == 0 || pl_caller_load_userns(c) < 0)
		return 0;
	uint64_t mine = c->userns.ns[0].ino;
	int my_level = c->userns.n - 1;
	for (int i = 0; i < target->n; i++) {
		int level = target->n - 1 - i;
		if (target->ns[i].ino == mine)
			return has_cap(c, cap);
		if (level <= my_level)
			return 0;
		/* the owner of a namespace made in the caller's own holds every
		** capability in it and below */
		if (i + 1 < target->n && target->ns[i + 1].ino == mine &&
		    pl_caller_load(c) == 0 && target->ns[i].owner == c->euid)
			return 1;
	}
	return 0;
}

int pl_caller_capable(struct pl_caller *c, int cap)
{
	struct pl_userns_chain top;
	pl_userns_declared(pl_userns_top(), 0, &top);
	return pl_caller_ns_capable(c, &top, cap);
}

uint32_t pl_idview_map(const struct pl_idmap_extent *e, size_t n, uint32_t id, uint32_t unmapped)
{
	for (size_t i = 0; i < n; i++)
		if (id >= e[i].lower_first && id - e[i].lower_first < e[i].count)
			return e[i].first + (id - e[i].lower_first);
	return unmapped;
}

static int read_map(struct pl_caller *c, const char *file, struct pl_idmap_extent *e, size_t *n)
{
	char path[64], text[PL_IDMAP_MAX_EXTENTS * 33 + 1];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)c->pid, file);
	ssize_t len = pl_read_small(AT_FDCWD, path, text, sizeof text);
	if (len < 0)
		return (int)len;
	struct pl_arena a = PL_ARENA_INIT;
	const struct pl_idmap_extent *v;
	int rc = pl_parse_idmap(text, (size_t)len, &a, &v, n);
	if (rc == 0 && *n > 0 && *n <= PL_IDMAP_MAX_EXTENTS) /* an empty map has no array */
		memcpy(e, v, *n * sizeof *e);
	pl_arena_free(&a);
	return rc;
}

static uint32_t overflow_id(const char *path)
{
	char text[16];
	return pl_read_small(AT_FDCWD, path, text, sizeof text) > 0 ? (uint32_t)atol(text) : 65534;
}

int pl_caller_idview(struct pl_caller *c, struct pl_idview *out)
{
	if ((c->have & PL_CALLER_ROOT) || pl_caller_load_userns(c) < 0 || c->userns.n <= 1)
		return 0;
	if (read_map(c, "uid_map", out->uid, &out->nuid) < 0 ||
	    read_map(c, "gid_map", out->gid, &out->ngid) < 0)
		out->nuid = out->ngid = 0; /* nothing maps: every id is the overflow id */
	out->ns = c->userns.ns[0].ino;
	out->overflow_uid = overflow_id("/proc/sys/kernel/overflowuid");
	out->overflow_gid = overflow_id("/proc/sys/kernel/overflowgid");
	return 1;
}

void pl_caller_idview_projid(struct pl_caller *c, struct pl_idview *out)
{
	if (read_map(c, "projid_map", out->projid, &out->nprojid) < 0)
		out->nprojid = 0;
}

int pl_caller_capable_wrt(struct pl_caller *c, int cap, uint32_t uid, uint32_t gid)
{
	if (c->have & PL_CALLER_ROOT)
		return 1;
	if (!has_cap(c, cap) || pl_caller_load_userns(c) < 0)
		return 0;
	struct pl_idview *v = malloc(sizeof *v);
	if (!v)
		return 0;
	int mapped = !pl_caller_idview(c, v) || /* the top maps every id */
	             (pl_idview_map(v->uid, v->nuid, uid, UINT32_MAX) != UINT32_MAX &&
	              pl_idview_map(v->gid, v->ngid, gid, UINT32_MAX) != UINT32_MAX);
	free(v);
	return mapped;
}

/* ------------------------------------------------------------------------
** The caller's credentials whole (pl_creds).
*/

/* A file of the task whole (a status's Groups: line may be long):
** malloc'd and NUL-terminated, or NULL with *err set. */
static char *read_whole(int dirfd, const char *name, int *err)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *text = malloc(cap);
	while (text) {
		if (cap - len < 1024) {
			char *more = realloc(text, cap * 2);
			if (!more)
				break;
			text = more;
			cap *= 2;
		}
		ssize_t n = read(fd, text + len, cap - len - 1);
		if (n <= 0) {
			if (n == 0) {
				text[len] = '\0';
				close(fd);
				return text;
			}
			*err = errno;
			close(fd);
			free(text);
			return NULL;
		}
		len += (size_t)n;
	}
	*err = ENOMEM;
	close(fd);
	free(text);
	return NULL;
}

/* The four ids of a Uid: or Gid: line (real, effective, saved, fs). */
static int scan_ids(const char *text, const char *key, uint32_t ids[4])
{
	const char *p = field(text, key);
	for (int i = 0; i < 4; i++) {
		char *end;
		if (!p)
			return -EIO;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p)
			return -EIO;
		ids[i] = (uint32_t)v;
		p = end;
	}
	return 0;
}

static int scan_cap(const char *text, const char *key, uint64_t *out)
{
	const char *p = field(text, key);
	char *end;
	if (!p)
		return -EIO;
	*out = strtoull(p, &end, 16);
	return end == p ? -EIO : 0;
}

static int scan_groups(const char *text, struct pl_creds *cr)
{
	const char *g = field(text, "\nGroups:\t");
	if (!g)
		return -EIO;
	size_t n = 0;
	for (const char *p = g; *p && *p != '\n'; p++)
		if (*p >= '0' && *p <= '9' && (p == g || p[-1] == ' ' || p[-1] == '\t'))
			n++;
	if (n == 0)
		return 0;
	if (!(cr->groups = malloc(n * sizeof *cr->groups)))
		return -ENOMEM;
	while (cr->ngroups < n) {
		char *end;
		unsigned long v = strtoul(g, &end, 10);
		if (end == g)
			return -EIO;
		cr->groups[cr->ngroups++] = (uint32_t)v;
		g = end;
	}
	return 0;
}

/*
** Everything is read through the caller's /proc/<tid> directory, which
** names that task and no later one under its number: a lookup in it fails
** once the task is gone.  So the ids, groups, capabilities and namespace
** all are the caller's.  (A FUSE request's thread cannot be reaped under
** it anyway: once the daemon has read the request, its caller waits for
** the reply uninterruptibly.)  The request's fsuid and fsgid are the
** kernel's own record of the request; they stand over the status's.
*/
int pl_caller_creds(struct pl_caller *c, struct pl_creds *out)
{
	memset(out, 0, sizeof *out);
	out->userns_fd = -1;
	if (c->have & PL_CALLER_ROOT) {
		out->self = 1;
		return 0;
	}
	if (c->have & PL_CALLER_DECLARED) { /* in the top namespace, as declared */
		for (int i = 0; i < 4; i++) {
			out->uid[i] = c->uid;
			out->gid[i] = c->gid;
		}
		if (c->ngroups) {
			if (!(out->groups = malloc(c->ngroups * sizeof *out->groups)))
				return -ENOMEM;
			memcpy(out->groups, c->groups, c->ngroups * sizeof *out->groups);
			out->ngroups = c->ngroups;
		}
		out->cap_prm = out->cap_eff = c->cap_eff;
		return 0;
	}
	if (c->pid <= 0) { /* no process to read: a stranger */
		for (int i = 0; i < 4; i++) {
			out->uid[i] = c->uid;
			out->gid[i] = c->gid;
		}
		return 0;
	}
	char path[32];
	snprintf(path, sizeof path, "/proc/%d", (int)c->pid);
	int dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	int err = 0;
	char *text = read_whole(dir, "status", &err);
	int rc = text ? 0 : (err == ENOENT ? -ESRCH : -err);
	if (rc == 0)
		rc = scan_ids(text, "\nUid:", out->uid);
	if (rc == 0)
		rc = scan_ids(text, "\nGid:", out->gid);
	if (rc == 0)
		rc = scan_groups(text, out);
	if (rc == 0)
		rc = scan_cap(text, "\nCapInh:\t", &out->cap_inh);
	if (rc == 0)
		rc = scan_cap(text, "\nCapPrm:\t", &out->cap_prm);
	if (rc == 0)
		rc = scan_cap(text, "\nCapEff:\t", &out->cap_eff);
	free(text);
	if (rc == 0) {
		struct stat st;
		out->userns_fd = openat(dir, "ns/user", O_RDONLY | O_CLOEXEC);
		if (out->userns_fd < 0)
			rc = errno == ENOENT ? -ESRCH : -errno;
		else if (fstat(out->userns_fd, &st) < 0)
			rc = -errno;
		else if ((uint64_t)st.st_ino == pl_userns_top()) {
			close(out->userns_fd);
			out->userns_fd = -1;
		}
	}
	close(dir);
	out->uid[3] = c->uid;
	out->gid[3] = c->gid;
	if (rc < 0)
		pl_creds_release(out);
	return rc;
}

void pl_creds_release(struct pl_creds *cr)
{
	free(cr->groups);
	cr->groups = NULL;
	cr->ngroups = 0;
	if (cr->userns_fd >= 0)
		close(cr->userns_fd);
	cr->userns_fd = -1;
}
