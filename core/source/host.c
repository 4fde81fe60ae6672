/*
** The host source: facts of live processes, parsed from the host kernel's
** per-pid files; memory copied in with process_vm_readv (pread on the
** host's mem file when that is refused).  Every file is read once per
** load into a per-thread buffer and parsed there; only what the parsers
** keep is copied into the request's arena.
**
** The hot requests (a task's owner, whether it exists, its stat and
** status) are answered first from kept fds (pl_hostfd.h), which avoid
** the path walk and the open/close; whenever the cache does not answer,
** the path-based code below does, so it stays the reference.
*/
#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "record/buf.h"
#include "format/format.h"
#include "source/hostfd.h"
#include "source/hostnet.h"
#include "source/hostsys.h"
#include "source/netsys.h"
#include "source/timens.h"
#include "record/machine.h"
#include "record/scratch.h"
#include "record/sysctl.h"
#include "source/source.h"

struct host_source {
	struct pl_source base;
	int root_fd;             /* the host's /proc */
	struct pl_hostfd *fds;   /* kept fds of recent tasks; NULL: none */
	struct pl_netsys *netsys; /* sys/net per reader's namespace; NULL: as the daemon's */
	/* Each sys/ setting's fd, opened at its first read and kept (fd + 1;
	** 0: not yet): a setting counting open files (fs/file-nr) then
	** counts the daemon's handle in the kernel's reading too, and a
	** read costs one pread. */
	_Atomic int sysctl_fd[PL_SYSCTL_COUNT];
};

static struct host_source *host(struct pl_source *s)
{
	return (struct host_source *)s;
}

/* The task's directory relative to the host /proc: "tgid" or "tgid/task/tid". */
static void task_dir(char *out, size_t n, pl_pid tgid, pl_pid tid)
{
	if (tid == 0)
		snprintf(out, n, "%d", (int)tgid);
	else
		snprintf(out, n, "%d/task/%d", (int)tgid, (int)tid);
}

/* A vanished task shows as ENOENT on the host; callers want ESRCH. */
static int gone(int err)
{
	return err == ENOENT ? -ESRCH : -err;
}

/*
** Read dir/name whole into the thread's buffer (NUL-terminated).  procfs
** files report size 0, so read until EOF.
*/
/* The whole of an open file into the per-thread buffer: from where it
** stands, or (kept fds) from offset 0 by pread. */
#define READ_CHUNK_MAX (1u << 20)
static int read_fd(int fd, bool from_start, const char **text, size_t *len)
{
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	struct pl_buf *readbuf = &s->read;
	pl_buf_reset(readbuf);
	for (;;) {
		char *w = pl_buf_reserve(readbuf, 4096);
		if (!w)
			return -ENOMEM;
		size_t room = readbuf->cap - readbuf->len - 1;
		/* a sys/ handler refuses a read of KMALLOC_MAX_SIZE (4 MiB) or
		** more with ENOMEM, and the buffer grows to the largest file read
		** (kallsyms: 5 MiB) */
		if (room > READ_CHUNK_MAX)
			room = READ_CHUNK_MAX;
		ssize_t n = from_start ? pread(fd, w, room, (off_t)readbuf->len) : read(fd, w, room);
		if (n < 0)
			return gone(errno);
		if (n == 0)
			break;
		readbuf->len += (size_t)n;
	}
	readbuf->data[readbuf->len] = '\0';
	*text = readbuf->data;
	*len = readbuf->len;
	return 0;
}

static int read_file(struct host_source *h, const char *dir, const char *name,
                     const char **text, size_t *len)
{
	char path[160];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return -ENAMETOOLONG;
	int fd = openat(h->root_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gone(errno);
	int rc = read_fd(fd, false, text, len);
	close(fd);
	return rc;
}

/*
** A task's file: from the kept fd of the held entry when it answers, else
** by path.  The kept fd's bytes are a fresh open's (hostfd.c), and a task
** reaped since the entry was made reads by path, which finds the pid's
** new process if there is one.
*/
static int read_task_file(struct host_source *h, struct pl_hostfd_ref *ref, int kept,
                          const char *dir, const char *name, const char **text, size_t *len)
{
	if (ref && ref->s) {
		struct pl_scratch *s = pl_scratch();
		if (!s)
			return -ENOMEM;
		if (pl_hostfd_read(ref, kept, &s->read) == 0) {
			*text = s->read.data;
			*len = s->read.len;
			return 0;
		}
	}
	return read_file(h, dir, name, text, len);
}

static int parse_text(int rc, const char *text, size_t len, pl_task_parser parse,
                      struct pl_arena *a, struct pl_task *t)
{
	if (rc < 0)
		return rc;
	rc = parse(text, len, a, t);
	return rc == -EINVAL ? -EIO : rc; /* text we could not parse: our bug, not the caller's */
}

static int parse_file(struct host_source *h, const char *dir, const char *name,
                      pl_task_parser parse, struct pl_arena *a, struct pl_task *t)
{
	const char *text = NULL;
	size_t len = 0;
	int rc = read_file(h, dir, name, &text, &len);
	return parse_text(rc, text, len, parse, a, t);
}

static int parse_task_file(struct host_source *h, struct pl_hostfd_ref *ref, int kept,
                           const char *dir, const char *name, pl_task_parser parse,
                           struct pl_arena *a, struct pl_task *t)
{
	const char *text = NULL;
	size_t len = 0;
	int rc = read_task_file(h, ref, kept, dir, name, &text, &len);
	return parse_text(rc, text, len, parse, a, t);
}

static int read_u64(struct host_source *h, const char *dir, const char *name,
                    int base, int64_t *out)
{
	const char *text;
	size_t len;
	int rc = read_file(h, dir, name, &text, &len);
	if (rc < 0)
		return rc;
	char *end;
	errno = 0;
	*out = strtoll(text, &end, base);
	return (end == text || errno) ? -EINVAL : 0;
}

static int load_oom(struct host_source *h, const char *dir, struct pl_task *t, pl_pid tid)
{
	int64_t v;
	int rc = read_u64(h, dir, "oom_score", 10, &v);
	if (rc < 0)
		return rc;
	t->oom_score = (uint32_t)v;
	if ((rc = read_u64(h, dir, "oom_score_adj", 10, &v)) < 0)
		return rc;
	t->oom_score_adj = (int32_t)v;
	/* coredump_filter exists only in the thread-group directory, and
	** reads empty for a task without mm */
	if (tid == 0) {
		rc = read_u64(h, dir, "coredump_filter", 16, &v);
		if (rc < 0 && rc != -EINVAL)
			return rc;
		t->coredump_filter = rc == -EINVAL ? PL_COREDUMP_FILTER_NONE : (uint32_t)v;
	}
	return 0;
}

/* A file the kernel may refuse even the daemon (lock_trace's EPERM): the
** refusal is kept as the fact, for the tree to pass on to the reader. */
static int parse_refusable(struct host_source *h, const char *dir, const char *name,
                           pl_task_parser parse, struct pl_arena *a, struct pl_task *t,
                           uint8_t *err)
{
	const char *text = NULL;
	size_t len = 0;
	int rc = read_file(h, dir, name, &text, &len);
	*err = 0;
	if (rc == -EPERM || rc == -EACCES) {
		*err = (uint8_t)-rc;
		return 0;
	}
	return parse_text(rc, text, len, parse, a, t);
}

/* attr/: each file as the security module answers the daemon, its bytes
** or the errno its read fails with (EINVAL: no module). */
static int load_attr(struct host_source *h, const char *dir, struct pl_arena *a, struct pl_task *t)
{
	for (int i = 0; i < PL_ATTR_COUNT; i++) {
		char name[32];
		const char *text;
		size_t len;
		snprintf(name, sizeof name, "attr/%s", pl_attr_names[i]);
		int rc = read_file(h, dir, name, &text, &len);
		if (rc == -ESRCH)
			return rc;
		if (rc < 0)
			t->attr[i] = (struct pl_lsm_attr){ NULL, 0, -rc };
		else if ((rc = pl_parse_attr(i, text, len, a, t)) < 0)
			return rc;
	}
	return 0;
}

/* The facts of the task directory Linux has only for the thread group
** (autogroup, timerslack_ns): a thread's own are read from /proc/<tid>,
** which shows that thread. */
static void group_dir(char *out, size_t n, pl_pid tgid, pl_pid tid)
{
	snprintf(out, n, "%d", (int)(tid ? tid : tgid));
}

static const char *read_link(struct host_source *h, const char *dir, const char *name,
                             struct pl_arena *a, int *err)
{
	char path[96], target[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	ssize_t n = readlinkat(h->root_fd, path, target, sizeof target);
	if (n < 0) {
		*err = errno;
		return NULL;
	}
	*err = 0;
	return pl_arena_strndup(a, target, (size_t)n);
}

/* The kernel refused the daemon itself: passed on as the kernel's errno. */
static int refused(int err)
{
	return err == EACCES || err == EPERM;
}

static int load_links(struct host_source *h, const char *dir, struct pl_arena *a, struct pl_task *t)
{
	static const char *const names[3] = { "exe", "cwd", "root" };
	const char **links[3] = { &t->exe, &t->cwd, &t->root };
	for (int i = 0; i < 3; i++) {
		int err;
		*links[i] = read_link(h, dir, names[i], a, &err);
		if (i == 0 && err == ENOENT && faccessat(h->root_fd, dir, F_OK, 0) < 0)
			return -ESRCH;
		t->links_err[i] = refused(err) ? (uint8_t)err : 0;
	}
	return 0;
}

static int load_ns(struct host_source *h, const char *dir, struct pl_arena *a, struct pl_task *t)
{
	char nsdir[80];
	snprintf(nsdir, sizeof nsdir, "%s/ns", dir);
	t->ns_err = 0;
	for (int i = 0; i < PL_NS_COUNT; i++) {
		int err;
		const char *text = read_link(h, nsdir, pl_ns_names[i], a, &err);
		t->ns_ino[i] = 0;
		if (text)
			pl_parse_ns_link(text, &t->ns_ino[i]);
		else if (refused(err))
			t->ns_err = err;
	}
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pl_pid x = *(const pl_pid *)a, y = *(const pl_pid *)b;
	return (x > y) - (x < y);
}

/* Numeric entries of dir: pids (sorted ascending when asked) or fds (zero_ok). */
static int list_numeric(struct host_source *h, const char *dir, struct pl_arena *a,
                        pl_pid **out, size_t *n, int sort, int zero_ok)
{
	int fd = openat(h->root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return gone(errno);
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	pl_pid *v = NULL;
	size_t cap = 0, len = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || end == de->d_name || pid < 0 || (pid == 0 && !zero_ok))
			continue;
		v = pl_arena_grow(a, v, sizeof *v, &cap, len + 1);
		if (!v) {
			closedir(d);
			return -ENOMEM;
		}
		v[len++] = (pl_pid)pid;
	}
	closedir(d);
	if (sort && len > 1)
		qsort(v, len, sizeof *v, cmp_pid);
	*out = v;
	*n = len;
	return 0;
}

/* fd/N alone: its link and its mode, as load_fds has each. */
static int host_load_fd(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
                        struct pl_arena *a, struct pl_fd *out)
{
	struct host_source *h = host(s);
	char dir[64], name[16], path[96];
	task_dir(dir, sizeof dir, tgid, tid);
	snprintf(name, sizeof name, "%d", fd);
	char fddir[80];
	snprintf(fddir, sizeof fddir, "%s/fd", dir);
	int err;
	const char *target = read_link(h, fddir, name, a, &err);
	snprintf(path, sizeof path, "%s/%s", fddir, name);
	struct stat st;
	if ((!target && !refused(err)) || fstatat(h->root_fd, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (faccessat(h->root_fd, dir, F_OK, 0) < 0)
			return -ESRCH;
		return -ENOENT;
	}
	out->fd = fd;
	out->f_mode = ((st.st_mode & S_IRUSR) ? 1 : 0) | ((st.st_mode & S_IWUSR) ? 2 : 0);
	out->target = target;
	out->err = target ? 0 : err;
	return 0;
}

/*
** map_files/'s link of region [start, end), as the kernel shows it to the
** daemon: its target, and its mode bits (the mapped file's f_mode).  The
** kernel has the directory in /proc/<pid>/ only; a thread's own number
** names the same address space there.
*/
static int host_load_map_file(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t start,
                              uint64_t end, struct pl_arena *a, struct pl_map_file *out)
{
	struct host_source *h = host(s);
	char dir[32], path[96], target[PATH_MAX];
	snprintf(dir, sizeof dir, "%d", (int)(tid ? tid : tgid));
	snprintf(path, sizeof path, "%s/map_files/%llx-%llx", dir, (unsigned long long)start,
	         (unsigned long long)end);
	struct stat st;
	ssize_t n = -1;
	if (fstatat(h->root_fd, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
		n = readlinkat(h->root_fd, path, target, sizeof target);
	if (n < 0) {
		if (refused(errno))
			return -errno;
		return faccessat(h->root_fd, dir, F_OK, 0) < 0 ? -ESRCH : -ENOENT;
	}
	if ((size_t)n >= sizeof target)
		return -ENAMETOOLONG;
	out->f_mode = ((st.st_mode & S_IRUSR) ? 1 : 0) | ((st.st_mode & S_IWUSR) ? 2 : 0);
	out->target = pl_arena_strndup(a, target, (size_t)n);
	return out->target ? 0 : -ENOMEM;
}

/*
** A link's object (source.h): the link is read again and followed only
** while it names `target`; and followed with AT_STATX_DONT_SYNC, so that
** a link changed in between to a file of a network or FUSE filesystem
** gives what its inode holds without the daemon waiting on that
** filesystem's server.  (A pipe, socket, namespace or anonymous inode has
** nothing to sync.)
*/
static int host_stat_link(struct pl_source *s, pl_pid tgid, pl_pid tid, const char *link,
                          const char *target, struct pl_object *out)
{
	struct host_source *h = host(s);
	char dir[64], path[128], now[256];
	task_dir(dir, sizeof dir, tgid, tid);
	snprintf(path, sizeof path, "%s/%s", dir, link);
	ssize_t n = readlinkat(h->root_fd, path, now, sizeof now);
	if (n < 0) {
		if (refused(errno))
			return -errno;
		return faccessat(h->root_fd, dir, F_OK, 0) < 0 ? -ESRCH : -ENOENT;
	}
	if ((size_t)n >= sizeof now)
		return -ENOENT;
	now[n] = '\0';
	if (target ? strcmp(now, target) != 0 : !pl_link_names_object(now))
		return -ENOENT;
	struct statx stx;
	if (statx(h->root_fd, path, AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &stx) < 0)
		return refused(errno) ? -errno : -ENOENT;
	memset(out, 0, sizeof *out);
	out->ino = stx.stx_ino;
	out->mode = stx.stx_mode;
	out->nlink = stx.stx_nlink;
	out->uid = stx.stx_uid;
	out->gid = stx.stx_gid;
	out->size = stx.stx_size;
	out->blksize = stx.stx_blksize;
	out->has_times = 1;
	out->atime = stx.stx_atime.tv_sec;
	out->atime_ns = stx.stx_atime.tv_nsec;
	out->mtime = stx.stx_mtime.tv_sec;
	out->mtime_ns = stx.stx_mtime.tv_nsec;
	out->ctime = stx.stx_ctime.tv_sec;
	out->ctime_ns = stx.stx_ctime.tv_nsec;
	return 0;
}

/* fd/'s names alone: one listing, no link read (source.h). */
static int host_list_fds(struct pl_source *s, pl_pid tgid, pl_pid tid, struct pl_arena *a,
                         int32_t **out, size_t *n)
{
	char dir[64], fddir[80];
	task_dir(dir, sizeof dir, tgid, tid);
	snprintf(fddir, sizeof fddir, "%s/fd", dir);
	pl_pid *fds;
	int rc = list_numeric(host(s), fddir, a, &fds, n, 1, 1);
	if (rc < 0)
		return rc;
	_Static_assert(sizeof(pl_pid) == sizeof(int32_t), "fd numbers are listed as pids are");
	*out = (int32_t *)fds;
	return 0;
}

static int load_fds(struct host_source *h, const char *dir, struct pl_arena *a, struct pl_task *t)
{
	char fddir[80];
	snprintf(fddir, sizeof fddir, "%s/fd", dir);
	pl_pid *fdn;
	size_t n;
	int rc = list_numeric(h, fddir, a, &fdn, &n, 1, 1);
	if (rc < 0)
		return rc;
	struct pl_fd *fds = pl_arena_alloc(a, (n ? n : 1) * sizeof *fds);
	if (!fds)
		return -ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char name[16];
		struct stat st;
		int err;
		snprintf(name, sizeof name, "%d", (int)fdn[i]);
		const char *target = read_link(h, fddir, name, a, &err);
		char path[96];
		snprintf(path, sizeof path, "%s/%s", fddir, name);
		/* a link the daemon may not read is still listed, as the kernel
		** lists it to root; reading it fails as it failed for the daemon */
		if ((!target && !refused(err)) || fstatat(h->root_fd, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* closed meanwhile */
		fds[k].fd = fdn[i];
		fds[k].f_mode = ((st.st_mode & S_IRUSR) ? 1 : 0) | ((st.st_mode & S_IWUSR) ? 2 : 0);
		fds[k].target = target;
		fds[k].err = target ? 0 : err;
		k++;
	}
	t->fds = fds;
	t->nfds = k;
	return 0;
}

static int load_children(struct host_source *h, pl_pid tgid, pl_pid tid,
                         struct pl_arena *a, struct pl_task *t)
{
	char dir[64];
	const char *text;
	size_t len;
	task_dir(dir, sizeof dir, tgid, tid ? tid : tgid);
	if (tid == 0) /* children lives only in thread directories */
		snprintf(dir, sizeof dir, "%d/task/%d", (int)tgid, (int)tgid);
	int rc = read_file(h, dir, "children", &text, &len);
	if (rc < 0)
		return rc;
	size_t cap = 0, n = 0;
	pl_pid *v = NULL;
	for (const char *p = text; *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		v = pl_arena_grow(a, v, sizeof *v, &cap, n + 1);
		if (!v)
			return -ENOMEM;
		v[n++] = (pl_pid)pid;
		p = end;
	}
	t->children = v;
	t->nchildren = n;
	return 0;
}

/*
** Ownership as the host kernel computed it: a 0555 directory shows
** euid/egid, any other entry task_dump_owner's answer.  Whether that answer
** came from "not dumpable" or "no mm" the host does not say; status fills
** has_mm exactly when it is loaded too.
*/
static int load_owner(struct host_source *h, struct pl_hostfd_ref *ref, const char *dir,
                      struct pl_task *t)
{
	uint32_t duid, dgid, fuid, fgid;
	if (!ref->s || pl_hostfd_owner(ref, &duid, &dgid, &fuid, &fgid) < 0) {
		struct stat d, f;
		char path[96];
		if (fstatat(h->root_fd, dir, &d, 0) < 0)
			return gone(errno);
		snprintf(path, sizeof path, "%s/stat", dir);
		if (fstatat(h->root_fd, path, &f, 0) < 0)
			return gone(errno);
		duid = d.st_uid, dgid = d.st_gid, fuid = f.st_uid, fgid = f.st_gid;
	}
	t->euid = duid;
	t->egid = dgid;
	t->dumpable = (fuid == duid && fgid == dgid) ? 1 : 0;
	if (!(t->have & PL_F_STATUS))
		t->has_mm = 1;
	/* not dumpable: the owner is the root of the mm's user namespace */
	t->mm_root_uid = t->dumpable ? 0 : fuid;
	t->mm_root_gid = t->dumpable ? 0 : fgid;
	return 0;
}

/* A file's bytes, as they are, into the arena. */
static int read_text(struct host_source *h, const char *dir, const char *name,
                     struct pl_arena *a, const char **out, size_t *len)
{
	const char *text;
	int rc = read_file(h, dir, name, &text, len);
	char *copy = rc ? NULL : pl_arena_alloc(a, *len ? *len : 1);
	if (rc)
		return rc;
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, *len);
	*out = copy;
	return 0;
}

/* stat's code range masked for the daemon (it may not ptrace READ the
** task): statm, which everyone may read, still counts the code's pages. */
static int load_code_pages(struct host_source *h, const char *dir, struct pl_task *t)
{
	const char *text;
	size_t len;
	int rc = read_file(h, dir, "statm", &text, &len);
	if (rc < 0)
		return rc;
	unsigned long long v[4];
	if (sscanf(text, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]) == 4)
		t->mm.code_pages = v[3];
	return 0;
}

static int host_load(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t want,
                     struct pl_arena *a, struct pl_task *t)
{
	struct host_source *h = host(s);
	char dir[64];
	int rc = 0;
	task_dir(dir, sizeof dir, tgid, tid);
	t->tgid = tgid;
	t->tid = tid ? tid : tgid;

	/* the groups kept fds serve; others read by path */
	struct pl_hostfd_ref ref = { NULL };
	if (want & (PL_F_OWNER | PL_F_STAT | PL_F_STATUS))
		rc = pl_hostfd_get(h->fds, tgid, tid, &ref);
	if (rc > 0)
		rc = 0; /* not cached */
	if (!rc && (want & PL_F_OWNER))
		rc = load_owner(h, &ref, dir, t);
	if (!rc && (want & PL_F_STAT))
		rc = parse_task_file(h, &ref, PL_HF_STAT, dir, "stat", pl_parse_stat, a, t);
	if (!rc && (want & PL_F_STATUS))
		rc = parse_task_file(h, &ref, PL_HF_STATUS, dir, "status", pl_parse_status, a, t);
	pl_hostfd_put(&ref);
	if (!rc && (want & PL_F_STAT) && t->mm.start_code == 1 && t->mm.end_code == 1)
		rc = load_code_pages(h, dir, t);
	if (!rc && (want & PL_F_IO))
		rc = parse_file(h, dir, "io", pl_parse_io, a, t);
	if (!rc && (want & PL_F_LIMITS))
		rc = parse_file(h, dir, "limits", pl_parse_limits, a, t);
	if (!rc && (want & PL_F_CGROUP))
		rc = parse_file(h, dir, "cgroup", pl_parse_cgroup, a, t);
	if (!rc && (want & PL_F_SMAPS))
		rc = parse_file(h, dir, "smaps", pl_parse_smaps, a, t);
	else if (!rc && (want & PL_F_MAPS))
		rc = parse_file(h, dir, "maps", pl_parse_maps, a, t);
	if (!rc && (want & PL_F_ROLLUP))
		rc = parse_file(h, dir, "smaps_rollup", pl_parse_smaps_rollup, a, t);
	if (!rc && (want & PL_F_MOUNTS)) {
		rc = parse_file(h, dir, "mountinfo", pl_parse_mountinfo, a, t);
		if (rc == -EINVAL) { /* a zombie has no mount namespace */
			t->no_mnt_ns = 1;
			rc = 0;
		}
	}
	if (!rc && (want & PL_F_IDMAP)) {
		rc = parse_file(h, dir, "uid_map", pl_parse_uid_map, a, t);
		if (!rc)
			rc = parse_file(h, dir, "gid_map", pl_parse_gid_map, a, t);
		if (!rc)
			rc = parse_file(h, dir, "projid_map", pl_parse_projid_map, a, t);
		if (!rc)
			rc = parse_file(h, dir, "setgroups", pl_parse_setgroups, a, t);
	}
	if (!rc && (want & PL_F_AUXV)) {
		const char *data;
		size_t len;
		rc = read_file(h, dir, "auxv", &data, &len);
		if (!rc)
			rc = pl_parse_auxv(data, len, a, t);
	}
	if (!rc && (want & PL_F_OOM))
		rc = load_oom(h, dir, t, tid);
	if (!rc && (want & PL_F_CMDLINE))
		rc = read_text(h, dir, "cmdline", a, &t->cmdline_text, &t->cmdline_len);
	if (!rc && (want & PL_F_ENVIRON))
		rc = read_text(h, dir, "environ", a, &t->environ_text, &t->environ_len);
	if (!rc && (want & PL_F_WCHAN)) {
		const char *text;
		size_t len;
		rc = read_file(h, dir, "wchan", &text, &len);
		if (!rc)
			t->wchan = pl_arena_strndup(a, text, len);
	}
	if (!rc && (want & PL_F_AUDIT)) {
		rc = parse_file(h, dir, "loginuid", pl_parse_loginuid, a, t);
		if (!rc)
			rc = parse_file(h, dir, "sessionid", pl_parse_sessionid, a, t);
	}
	if (!rc && (want & PL_F_PERSONALITY))
		rc = parse_refusable(h, dir, "personality", pl_parse_personality, a, t,
		                     &t->personality_err);
	if (!rc && (want & (PL_F_TIMERSLACK | PL_F_AUTOGROUP))) {
		char gdir[32];
		group_dir(gdir, sizeof gdir, tgid, tid);
		if (want & PL_F_TIMERSLACK)
			rc = parse_refusable(h, gdir, "timerslack_ns", pl_parse_timerslack_ns, a, t,
			                     &t->timerslack_err);
		if (!rc && (want & PL_F_AUTOGROUP))
			rc = parse_file(h, gdir, "autogroup", pl_parse_autogroup, a, t);
	}
	if (!rc && (want & PL_F_SCHEDSTAT))
		rc = parse_file(h, dir, "schedstat", pl_parse_schedstat, a, t);
	if (!rc && (want & PL_F_CPUSET))
		rc = parse_file(h, dir, "cpuset", pl_parse_cpuset, a, t);
	if (!rc && (want & PL_F_ATTR))
		rc = load_attr(h, dir, a, t);
	if (!rc && (want & PL_F_STACK))
		rc = parse_refusable(h, dir, "stack", pl_parse_stack, a, t, &t->stack_err);
	if (!rc && (want & PL_F_SYSCALL))
		rc = parse_refusable(h, dir, "syscall", pl_parse_syscall, a, t, &t->syscall_err);
	if (!rc && (want & PL_F_SCHED))
		rc = parse_file(h, dir, "sched", pl_parse_sched, a, t);
	if (!rc && (want & PL_F_KSM))
		rc = parse_file(h, dir, "ksm_stat", pl_parse_ksm_stat, a, t);
	if (!rc && (want & PL_F_ARCH))
		rc = parse_file(h, dir, "arch_status", pl_parse_arch_status, a, t);
	if (!rc && (want & PL_F_NUMA))
		rc = parse_file(h, dir, "numa_maps", pl_parse_numa_maps, a, t);
	if (!rc && (want & PL_F_TIMERS))
		rc = parse_file(h, dir, "timers", pl_parse_timers, a, t);
	if (!rc && (want & PL_F_TIMENS)) { /* the thread group's directory only */
		char gdir[32];
		group_dir(gdir, sizeof gdir, tgid, tid);
		rc = parse_file(h, gdir, "timens_offsets", pl_parse_timens_offsets, a, t);
	}
	if (!rc && (want & PL_F_LINKS))
		rc = load_links(h, dir, a, t);
	if (!rc && (want & PL_F_NS))
		rc = load_ns(h, dir, a, t);
	if (!rc && (want & PL_F_FDS))
		rc = load_fds(h, dir, a, t);
	if (!rc && (want & PL_F_THREADS)) {
		char tdir[64];
		pl_pid *v;
		snprintf(tdir, sizeof tdir, "%d/task", (int)tgid);
		/* the kernel lists threads in thread-list order; keep it */
		rc = list_numeric(h, tdir, a, &v, &t->nthreads, 0, 0);
		t->threads = v;
	}
	if (!rc && (want & PL_F_CHILDREN))
		rc = load_children(h, tgid, tid, a, t);
	if (rc == 0)
		t->have |= want;
	return rc;
}

static int host_load_fdinfo(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
                            struct pl_arena *a, struct pl_fdinfo *fi)
{
	char dir[64], name[40];
	const char *text;
	size_t len;
	task_dir(dir, sizeof dir, tgid, tid);
	snprintf(name, sizeof name, "fdinfo/%d", fd);
	int rc = read_file(host(s), dir, name, &text, &len);
	if (rc == -ESRCH && faccessat(host(s)->root_fd, dir, F_OK, 0) == 0)
		rc = -ENOENT; /* the task lives; the fd is closed */
	return rc < 0 ? rc : pl_parse_fdinfo(text, len, a, fi);
}


static int host_each_tgid(struct pl_source *s, pl_pid from, pl_pid_cb cb, void *arg)
{
	struct host_source *h = host(s);
	struct pl_arena a = PL_ARENA_INIT;
	pl_pid *v;
	size_t n;
	int rc = list_numeric(h, ".", &a, &v, &n, 1, 0);
	if (rc == 0) {
		for (size_t i = 0; i < n; i++)
			if (v[i] >= from && cb(arg, v[i]))
				break;
	}
	pl_arena_free(&a);
	return rc;
}

static int host_task_exists(struct pl_source *s, pl_pid tgid, pl_pid tid)
{
	char dir[64];
	if (tid == tgid)
		tid = 0;
	struct pl_hostfd_ref ref;
	int rc = pl_hostfd_get(host(s)->fds, tgid, tid, &ref);
	if (rc == 0) {
		rc = pl_hostfd_alive(&ref);
		pl_hostfd_put(&ref);
		if (rc == 0)
			return 0;
	} else if (rc < 0) {
		return rc; /* its directory could not be found */
	}
	task_dir(dir, sizeof dir, tgid, tid);
	return faccessat(host(s)->root_fd, dir, F_OK, 0) < 0 ? gone(errno) : 0;
}

static int host_tgid_of(struct pl_source *s, pl_pid tid, pl_pid *tgid)
{
	char dir[32];
	const char *text;
	size_t len;
	snprintf(dir, sizeof dir, "%d", (int)tid);
	int rc = read_file(host(s), dir, "status", &text, &len);
	if (rc < 0)
		return rc;
	const char *p = strstr(text, "\nTgid:\t");
	if (!p)
		return -EIO;
	*tgid = (pl_pid)strtol(p + 7, NULL, 10);
	return 0;
}

#define PAGE 4096u
#define IOV_BATCH 64

/* Page-sized remote pieces: a fault then cuts the copy at a page, as
** access_remote_vm does, rather than losing a whole large iovec. */
static ssize_t vm_readv(pid_t pid, uint64_t addr, char *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		struct iovec local = { buf + done, 0 }, remote[IOV_BATCH];
		int k = 0;
		uint64_t a = addr + done;
		size_t left = len - done;
		while (k < IOV_BATCH && left) {
			size_t chunk = PAGE - (size_t)(a % PAGE);
			if (chunk > left)
				chunk = left;
			remote[k].iov_base = (void *)(uintptr_t)a;
			remote[k].iov_len = chunk;
			local.iov_len += chunk;
			a += chunk;
			left -= chunk;
			k++;
		}
		ssize_t n = process_vm_readv(pid, &local, 1, remote, (unsigned long)k, 0);
		if (n < 0) {
			if (done)
				break;
			return -errno;
		}
		done += (size_t)n;
		if ((size_t)n < local.iov_len)
			break;
	}
	return (ssize_t)done;
}

/* pread of an open mem file, as Linux's mem_rw serves it: a fault at the
** first byte is -EFAULT, a later one ends the count short, an address
** space that is gone reads 0. */
static ssize_t pread_mem(int fd, uint64_t addr, char *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(addr + done));
		if (n <= 0) {
			if (n < 0 && !done)
				return errno == EIO ? -EFAULT : -errno;
			break;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static ssize_t mem_pread(struct host_source *h, pl_pid tgid, uint64_t addr, char *buf, size_t len)
{
	char path[32];
	snprintf(path, sizeof path, "%d/mem", (int)tgid);
	int fd = openat(h->root_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gone(errno);
	ssize_t n = pread_mem(fd, addr, buf, len);
	close(fd);
	return n;
}

static ssize_t host_read_mem(struct pl_source *s, pl_pid tgid, uint64_t addr,
                             void *buf, size_t len)
{
	if (len == 0)
		return 0;
	ssize_t n = vm_readv(tgid, addr, buf, len);
	/* process_vm_readv names pids in the daemon's own pid namespace and
	** wants ptrace rights; /proc's mem names them as the tree does and
	** reads a zombie's (absent) mm as empty */
	if (n == -EPERM || n == -ENOSYS || n == -ESRCH)
		n = mem_pread(host(s), tgid, addr, buf, len);
	return n;
}

/*
** A pin holds the task's /proc directory, which names the task instance
** (a lookup in it fails once the task is reaped, whatever took its
** number), and for an address space the task's mem file, which holds the
** mm as Linux's proc_mem_open does: after an exec or the exit it reads 0.
*/
static int host_pin(struct pl_source *s, pl_pid tgid, pl_pid tid, int mm, struct pl_pin *out)
{
	struct host_source *h = host(s);
	char dir[64], path[80];
	if (tid == tgid)
		tid = 0;
	struct pl_hostfd_ref ref;
	if (pl_hostfd_get(h->fds, tgid, tid, &ref) == 0) { /* a kept fd: no path walk */
		out->task_fd = pl_hostfd_pin(&ref);
		pl_hostfd_put(&ref);
	}
	task_dir(dir, sizeof dir, tgid, tid);
	if (out->task_fd < 0)
		out->task_fd = openat(h->root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (out->task_fd < 0)
		return gone(errno);
	if (mm) {
		snprintf(path, sizeof path, "%s/mem", dir);
		out->mm_fd = openat(h->root_fd, path,
		                    (mm == PL_PIN_MM_WRITE ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		/* the kernel refused even the daemon ATTACH (a task root may not
		** ptrace): its mem refuses the opener as well, at the same open */
		if (out->mm_fd < 0 && refused(errno))
			out->mm_err = errno;
	}
	return 0;
}

static int host_pin_check(struct pl_source *s, const struct pl_pin *p)
{
	(void)s; /* the pin's fds say it all */
	if (p->task_fd < 0)
		return -ESRCH;
	/* a pidfd or a /proc/<tgid> directory answers pidfd_send_signal for a
	** task of the daemon's pid namespace; otherwise (a task/<tid>
	** directory, a task the daemon's namespace does not see, a task
	** reaped) a lookup in the directory says, failing once it is reaped */
	if (syscall(SYS_pidfd_send_signal, p->task_fd, 0, NULL, 0) < 0 && errno != EPERM &&
	    faccessat(p->task_fd, "stat", F_OK, 0) < 0)
		return -ESRCH;
	char c;
	return p->mm_fd >= 0 && pread(p->mm_fd, &c, 1, 0) == 0 ? 1 : 0;
}

static ssize_t host_read_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                                void *buf, size_t len)
{
	if (p->mm_fd < 0)
		return host_read_mem(s, p->tgid, addr, buf, len);
	return len ? pread_mem(p->mm_fd, addr, buf, len) : 0;
}

static void host_unpin(struct pl_source *s, struct pl_pin *p)
{
	(void)s;
	if (p->task_fd >= 0)
		close(p->task_fd);
	if (p->mm_fd >= 0)
		close(p->mm_fd);
}

/*
** The pinned task's own file, opened by `how` (as a writer would open it):
** the path names the task by number, so once opened the pin says whether
** that number still meant the pinned task.  No pin: a machine-wide file
** (a sys/ setting), named by its path.
*/
static int host_open_host_file(struct pl_source *s, const struct pl_pin *p, const char *name,
                               int flags, pl_open_fn how, void *arg)
{
	if (!p) /* a machine-wide file: its path under /proc */
		return how(arg, host(s)->root_fd, name, flags);
	char dir[64], path[96];
	task_dir(dir, sizeof dir, p->tgid, p->tid);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = how(arg, host(s)->root_fd, path, flags);
	if (host_pin_check(s, p) < 0) {
		if (fd >= 0)
			close(fd);
		return -ESRCH;
	}
	return fd;
}

/* One line of text without its newline, into the arena. */
static int read_line(struct host_source *h, const char *dir, const char *name,
                     struct pl_arena *a, const char **out)
{
	const char *text;
	size_t len;
	int rc = read_file(h, dir, name, &text, &len);
	if (rc < 0)
		return rc;
	if (len && text[len - 1] == '\n')
		len--;
	*out = pl_arena_strndup(a, text, len);
	return *out ? 0 : -ENOMEM;
}

static int host_userns(struct pl_source *s, pl_pid tgid, pl_pid tid, struct pl_userns_chain *out)
{
	return pl_userns_of_tid(host(s)->root_fd, tid ? tid : tgid, out);
}

static int host_boottime_offset(struct pl_source *s, pl_pid tid, int64_t *ns)
{
	return pl_timens_boot_shift(host(s)->root_fd, tid, ns);
}

/* A machine file is no task's: a kernel without it (no PSI, no swap
** support) answers ENOENT, which read_file takes for a task gone. */
static int machine_file(struct host_source *h, const char *dir, const char *name,
                        const char **text, size_t *len)
{
	int rc = read_file(h, dir, name, text, len);
	return rc == -ESRCH ? -ENOENT : rc;
}

/* The kept fd of a sys/ setting, its dots the path's slashes. */
static int sysctl_fd(struct host_source *h, int id)
{
	int kept = atomic_load(&h->sysctl_fd[id]);
	if (kept)
		return kept - 1;
	char path[96];
	int n = snprintf(path, sizeof path, "sys/%s", pl_sysctl_defs[id].name);
	if (n < 0 || (size_t)n >= sizeof path)
		return -ENAMETOOLONG;
	for (char *c = path + 4; *c; c++)
		if (*c == '.')
			*c = '/';
	int fd = openat(h->root_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	int none = 0;
	if (!atomic_compare_exchange_strong(&h->sysctl_fd[id], &none, fd + 1)) {
		close(fd);     /* another thread kept one first */
		return none - 1;
	}
	return fd;
}

static int host_load_sysctl(struct pl_source *s, int id, struct pl_arena *a, struct pl_sysctl *out)
{
	int fd = sysctl_fd(host(s), id);
	if (fd < 0)
		return fd;
	const char *text;
	size_t len;
	int rc = read_fd(fd, true, &text, &len);
	if (rc == -ESRCH)
		rc = -ENOENT;
	if (rc == 0 && pl_parse_sysctl(id, text, len, a, out) < 0)
		rc = -EIO;
	return rc;
}

static int host_each_setting(struct pl_source *s, pl_setting_fn fn, void *arg)
{
	return pl_hostsys_each(host(s)->root_fd, fn, arg);
}

static int host_load_setting(struct pl_source *s, const char *path, struct pl_arena *a,
                             struct pl_setting *out)
{
	return pl_hostsys_load(host(s)->root_fd, path, a, out);
}

static int host_setting_varies(struct pl_source *s, const char *path, unsigned mode)
{
	return host(s)->netsys ? pl_netsys_varies(host(s)->netsys, path, mode) : 0;
}

static int host_setting_seen(struct pl_source *s, pl_pid tid, const char *path, unsigned *mode)
{
	*mode = 0;
	return host(s)->netsys ? pl_netsys_seen(host(s)->netsys, tid, path, mode) : 1;
}

static int host_setting_list(struct pl_source *s, pl_pid tid, const char *dir,
                             void (*fn)(void *arg, const char *name, unsigned mode), void *arg)
{
	int rc = host(s)->netsys ? pl_netsys_list(host(s)->netsys, tid, dir, fn, arg) : 0;
	return rc < 0 ? rc : 0;
}

static int host_load_machine(struct pl_source *s, unsigned want, struct pl_arena *a,
                             struct pl_machine *m)
{
	static const struct { unsigned bit; const char *name; pl_machine_parser parse; } files[] = {
		{ PL_M_UPTIME, "uptime", pl_parse_uptime },
		{ PL_M_LOADAVG, "loadavg", pl_parse_loadavg },
		{ PL_M_MEMINFO, "meminfo", pl_parse_meminfo },
		{ PL_M_STAT, "stat", pl_parse_machine_stat },
		{ PL_M_CPUINFO, "cpuinfo", pl_parse_cpuinfo },
		{ PL_M_FILESYSTEMS, "filesystems", pl_parse_filesystems },
		{ PL_M_VMSTAT, "vmstat", pl_parse_vmstat },
		{ PL_M_SWAPS, "swaps", pl_parse_swaps },
		{ PL_M_PARTITIONS, "partitions", pl_parse_partitions },
		{ PL_M_DISKSTATS, "diskstats", pl_parse_diskstats },
		{ PL_M_INTERRUPTS, "interrupts", pl_parse_interrupts },
		{ PL_M_SOFTIRQS, "softirqs", pl_parse_softirqs },
		{ PL_M_CGROUPS, "cgroups", pl_parse_cgroups },
		{ PL_M_CMDLINE, "cmdline", pl_parse_boot_cmdline },
		{ PL_M_PSI_CPU, "pressure/cpu", pl_parse_psi_cpu },
		{ PL_M_PSI_MEMORY, "pressure/memory", pl_parse_psi_memory },
		{ PL_M_PSI_IO, "pressure/io", pl_parse_psi_io },
		{ PL_M_LOCKS, "locks", pl_parse_locks },
		{ PL_M_TTY_DRIVERS, "tty/drivers", pl_parse_tty_drivers },
		{ PL_M_SYSVIPC, "sysvipc/shm", pl_parse_sysvipc_shm },
		{ PL_M_SYSVIPC, "sysvipc/msg", pl_parse_sysvipc_msg },
		{ PL_M_SYSVIPC, "sysvipc/sem", pl_parse_sysvipc_sem },
		{ PL_M_SLABINFO, "slabinfo", pl_parse_slabinfo },
		{ PL_M_BUDDYINFO, "buddyinfo", pl_parse_buddyinfo },
		{ PL_M_DEVTABLES, "devices", pl_parse_devices },
		{ PL_M_DEVTABLES, "misc", pl_parse_misc },
		{ PL_M_DEVTABLES, "consoles", pl_parse_consoles },
		{ PL_M_DEVTABLES, "execdomains", pl_parse_execdomains },
		{ PL_M_CRYPTO, "crypto", pl_parse_crypto },
		{ PL_M_ZONEINFO, "zoneinfo", pl_parse_zoneinfo },
		{ PL_M_PAGETYPEINFO, "pagetypeinfo", pl_parse_pagetypeinfo },
		{ PL_M_RESOURCES, "iomem", pl_parse_iomem },
		{ PL_M_RESOURCES, "ioports", pl_parse_ioports },
		{ PL_M_KALLSYMS, "kallsyms", pl_parse_kallsyms },
	};
	struct host_source *h = host(s);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof files / sizeof files[0]; i++) {
		if (!(want & files[i].bit))
			continue;
		const char *text;
		size_t len;
		rc = machine_file(h, ".", files[i].name, &text, &len);
		if (rc == 0 && files[i].parse(text, len, a, m) < 0)
			rc = -EIO;
	}
	if (rc == 0 && (want & PL_M_VERSION))
		rc = read_line(h, ".", "version", a, &m->version);
	if (rc == 0 && (want & PL_M_SYSKERNEL)) {
		const char *pid_max;
		rc = read_line(h, "sys/kernel", "pid_max", a, &pid_max);
		if (rc == 0)
			m->pid_max = (uint32_t)strtoul(pid_max, NULL, 10);
		if (rc == 0)
			rc = read_line(h, "sys/kernel", "osrelease", a, &m->osrelease);
		if (rc == 0)
			rc = read_line(h, "sys/kernel", "ostype", a, &m->ostype);
		if (rc == 0)
			rc = read_line(h, "sys/kernel", "hostname", a, &m->hostname);
	}
	if (rc == 0 && (want & PL_M_KALLSYMS)) {
		/* who sees the addresses (format/kallsyms.c) */
		const char *kr, *paranoid;
		rc = read_line(h, "sys/kernel", "kptr_restrict", a, &kr);
		if (rc == 0)
			rc = read_line(h, "sys/kernel", "perf_event_paranoid", a, &paranoid);
		if (rc == 0) {
			m->kptr_restrict = (uint32_t)strtoul(kr, NULL, 10);
			m->perf_event_paranoid = (int32_t)strtol(paranoid, NULL, 10);
		}
	}
	if (rc == 0)
		m->have |= want;
	return rc;
}

static int host_load_net(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, struct pl_arena *a,
                         struct pl_net *out)
{
	char dir[64];
	task_dir(dir, sizeof dir, tgid, tid);
	return pl_hostnet_load(host(s)->root_fd, dir, f, a, out);
}

static int host_stat_net(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, uint32_t *uid,
                         uint32_t *gid)
{
	char dir[64];
	task_dir(dir, sizeof dir, tgid, tid);
	return pl_hostnet_stat(host(s)->root_fd, dir, f, uid, gid);
}

static int host_load_net_ifaces(struct pl_source *s, pl_pid tgid, pl_pid tid, const char *only,
                                struct pl_arena *a, struct pl_net *out)
{
	char dir[64];
	task_dir(dir, sizeof dir, tgid, tid);
	return pl_hostnet_ifaces(host(s)->root_fd, dir, only, a, out);
}

static void host_destroy(struct pl_source *s)
{
	pl_hostfd_free(host(s)->fds);
	pl_netsys_free(host(s)->netsys);
	for (int id = 0; id < PL_SYSCTL_COUNT; id++)
		if (host(s)->sysctl_fd[id])
			close(host(s)->sysctl_fd[id] - 1);
	close(host(s)->root_fd);
	free(s);
}

static const struct pl_source_ops host_ops = {
	.name = "host",
	.each_tgid = host_each_tgid,
	.task_exists = host_task_exists,
	.tgid_of = host_tgid_of,
	.load = host_load,
	.load_fdinfo = host_load_fdinfo,
	.load_fd = host_load_fd,
	.load_map_file = host_load_map_file,
	.list_fds = host_list_fds,
	.stat_link = host_stat_link,
	.read_mem = host_read_mem,
	.pin = host_pin,
	.pin_check = host_pin_check,
	.read_pinned = host_read_pinned,
	.unpin = host_unpin,
	.open_host_file = host_open_host_file,
	.userns = host_userns,
	.boottime_offset = host_boottime_offset,
	.load_machine = host_load_machine,
	.load_sysctl = host_load_sysctl,
	.each_setting = host_each_setting,
	.load_setting = host_load_setting,
	.setting_varies = host_setting_varies,
	.setting_seen = host_setting_seen,
	.setting_list = host_setting_list,
	.load_net = host_load_net,
	.stat_net = host_stat_net,
	.load_net_ifaces = host_load_net_ifaces,
	.destroy = host_destroy,
};

struct pl_source *pl_host_source_new(const char *proc_root)
{
	struct host_source *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->root_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->root_fd < 0) {
		free(h);
		return NULL;
	}
	h->fds = pl_hostfd_new(h->root_fd);
	h->netsys = pl_netsys_new(h->root_fd);
	h->base.ops = &host_ops;
	return &h->base;
}
