/*
** sys/net per network namespace (see netsys.h).
**
** The names of a namespace are learnt by walking /proc/sys/net in it,
** which only a process in it can: a child of the daemon (child.h) enters
** it (or, for a new one, makes it) and writes each path as a line.
**
** What a namespace has changes with its interfaces (each has a directory
** under ipv4/conf, ipv4/neigh, ipv6/conf, ipv6/neigh): its names are kept
** with the list of its interfaces, read from a task's net/dev, and learnt
** again when that list changes.  Each kept namespace is held by an fd, so
** its inode number is not reused while kept.
*/
#include "source/netsys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "format/scan.h"
#include "source/child.h"
#include "source/nslink.h"

#define CACHE_SIZE 8
#define CHILD_TIMEOUT_MS 5000
#define MAX_DEPTH 12 /* deeper than any table the kernel registers */
#define PATH_CAP 512

/* A namespace's paths under sys/ with their modes, sorted for bsearch. */
struct name {
	const char *path;
	unsigned mode;             /* S_IFDIR or S_IFREG, and permission bits */
};

struct names {
	char *blob;                /* the child's lines, each ended by '\0' */
	struct name *v;
	size_t n;
};

struct entry {
	int fd;                    /* -1: empty */
	uint64_t ino;
	uint64_t ifaces;           /* a hash of its interfaces' names */
	struct names names;
};

struct pl_netsys {
	int proc_fd;
	uint64_t own_ino;          /* the daemon's namespace; 0: unknown */
	pthread_mutex_t lock;
	int fresh_state;           /* 0 not yet, 1 learnt, -1 could not */
	struct names fresh;        /* a new namespace's */
	struct entry cache[CACHE_SIZE];
	unsigned victim;
};

static void names_free(struct names *n)
{
	free(n->blob);
	free(n->v);
	memset(n, 0, sizeof *n);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct name *)a)->path, ((const struct name *)b)->path);
}

/* path's entry in n, or NULL. */
static const struct name *names_find(const struct names *n, const char *path)
{
	struct name key = { path, 0 };
	return n->n ? bsearch(&key, n->v, n->n, sizeof *n->v, by_path) : NULL;
}

/* ------------------------------------------------------------------------
** the child's walk
*/

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Each entry below dirfd, path[0, at) its prefix, as a line to out. */
static int child_walk(int dirfd, char *path, size_t at, int depth, int out)
{
	char buf[2048];
	long n;
	while ((n = syscall(SYS_getdents64, dirfd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(void *)(buf + off);
			off += d->d_reclen;
			const char *name = d->d_name;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			size_t len = strlen(name);
			struct stat st;
			if (at + len + 2 > PATH_CAP || fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			/* "TMMM path\n": 'd' for a directory (else '-'), its
			** permission bits in octal, then its path */
			memcpy(path + at, name, len);
			path[at + len] = '\n';
			char mode[5] = { S_ISDIR(st.st_mode) ? 'd' : '-', (char)('0' + ((st.st_mode >> 6) & 7)),
			                 (char)('0' + ((st.st_mode >> 3) & 7)), (char)('0' + (st.st_mode & 7)), ' ' };
			if (pl_child_write(out, mode, 5) < 0 || pl_child_write(out, path, at + len + 1) < 0)
				return -1;
			if (d->d_type != DT_DIR || depth >= MAX_DEPTH)
				continue;
			path[at + len] = '\0';
			int sub = openat(dirfd, path + at, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (sub < 0)
				continue;
			path[at + len] = '/';
			int rc = child_walk(sub, path, at + len + 1, depth + 1, out);
			close(sub);
			if (rc < 0)
				return rc;
		}
	}
	return n < 0 ? -1 : 0;
}

/* In the child: enter (or make) the namespace and walk its sys/net. */
struct walk_arg {
	int proc_fd, nsfd;         /* nsfd -1: a new namespace */
};

static int enter_and_walk(void *arg, int out)
{
	const struct walk_arg *w = arg;
	if ((w->nsfd >= 0 ? setns(w->nsfd, CLONE_NEWNET) : unshare(CLONE_NEWNET)) != 0)
		return -1;
	int dir = openat(w->proc_fd, "sys/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char path[PATH_CAP] = "net/";
	return dir >= 0 ? child_walk(dir, path, 4, 0, out) : -1;
}

/*
** The paths under sys/ of the namespace nsfd holds (-1: a new one), as
** a child that enters (or makes) it finds them.
*/
static int learn(int proc_fd, int nsfd, struct names *out)
{
	struct walk_arg arg = { proc_fd, nsfd };
	char *text;
	size_t len;
	int rc = pl_child_run(enter_and_walk, &arg, CHILD_TIMEOUT_MS, &text, &len);
	if (rc < 0)
		return rc;
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += text[i] == '\n';
	struct name *v = malloc((count ? count : 1) * sizeof *v);
	if (!v) {
		free(text);
		return -ENOMEM;
	}
	size_t k = 0;
	for (char *line = text; k < count; k++) {
		char *nl = strchr(line, '\n');
		*nl = '\0';
		if (nl - line < 6) { /* no "TMMM " before a path: not the child's */
			free(v);
			free(text);
			return -EIO;
		}
		v[k].mode = (line[0] == 'd' ? S_IFDIR : S_IFREG) |
		            (unsigned)(((line[1] - '0') << 6) | ((line[2] - '0') << 3) | (line[3] - '0'));
		v[k].path = line + 5;
		line = nl + 1;
	}
	qsort(v, count, sizeof *v, by_path);
	*out = (struct names){ text, v, count };
	return 0;
}

/* ------------------------------------------------------------------------
** what a reader finds
*/

/* A hash of the interfaces task tid's net/dev lists (FNV-1a). */
static int interfaces(int proc_fd, pl_pid tid, uint64_t *hash)
{
	char path[48], text[16384];
	snprintf(path, sizeof path, "%d/net/dev", (int)tid);
	ssize_t n = pl_read_small(proc_fd, path, text, sizeof text);
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	uint64_t h = 1469598103934665603ull;
	const char *line = strchr(text, '\n');
	line = line ? strchr(line + 1, '\n') : NULL; /* two lines of headings */
	while (line && *++line) {
		const char *colon = strchr(line, ':'), *nl = strchr(line, '\n');
		if (!colon || (nl && colon > nl))
			break;
		for (const char *c = line; c < colon; c++)
			if (*c != ' ')
				h = (h ^ (unsigned char)*c) * 1099511628211ull;
		h = (h ^ '\n') * 1099511628211ull;
		line = nl;
	}
	*hash = h;
	return 0;
}

struct pl_netsys *pl_netsys_new(int proc_fd)
{
	struct pl_netsys *ns = calloc(1, sizeof *ns);
	if (!ns)
		return NULL;
	ns->proc_fd = proc_fd;
	pthread_mutex_init(&ns->lock, NULL);
	for (int i = 0; i < CACHE_SIZE; i++)
		ns->cache[i].fd = -1;
	if (pl_ns_link_ino(proc_fd, "self/ns/net", "net", &ns->own_ino) < 0)
		ns->own_ino = 0;
	return ns;
}

void pl_netsys_free(struct pl_netsys *ns)
{
	if (!ns)
		return;
	for (int i = 0; i < CACHE_SIZE; i++) {
		if (ns->cache[i].fd >= 0)
			close(ns->cache[i].fd);
		names_free(&ns->cache[i].names);
	}
	names_free(&ns->fresh);
	pthread_mutex_destroy(&ns->lock);
	free(ns);
}

int pl_netsys_varies(struct pl_netsys *ns, const char *path, unsigned mode)
{
	if (strncmp(path, "net/", 4) != 0 || !ns->own_ino)
		return 0;
	pthread_mutex_lock(&ns->lock);
	if (ns->fresh_state == 0)
		ns->fresh_state = learn(ns->proc_fd, -1, &ns->fresh) == 0 ? 1 : -1;
	const struct name *n = ns->fresh_state == 1 ? names_find(&ns->fresh, path) : NULL;
	int varies = ns->fresh_state == 1 && (!n || (n->mode & 0777) != (mode & 0777));
	pthread_mutex_unlock(&ns->lock);
	return varies;
}

/* The kept entry of namespace ino whose interfaces hash to ifaces, or NULL. */
static struct entry *kept(struct pl_netsys *ns, uint64_t ino, uint64_t ifaces)
{
	for (int i = 0; i < CACHE_SIZE; i++)
		if (ns->cache[i].fd >= 0 && ns->cache[i].ino == ino && ns->cache[i].ifaces == ifaces)
			return &ns->cache[i];
	return NULL;
}

/*
** Run fn on the names of thread tid's network namespace, under the lock:
** 1 after it ran, 0 where that is the daemon's namespace or one it may
** not enter (it did not run), -ESRCH when the thread is gone.
*/
static int with_names(struct pl_netsys *ns, pl_pid tid,
                      void (*fn)(const struct names *names, void *arg), void *arg)
{
	char link[48];
	snprintf(link, sizeof link, "%d/ns/net", (int)tid);
	uint64_t ino = 0, ifaces = 0;
	int rc = pl_ns_link_ino(ns->proc_fd, link, "net", &ino);
	if (rc == -ENOENT)
		return -ESRCH;
	if (rc < 0 || ino == ns->own_ino) /* refused the daemon: as its own */
		return 0;
	if ((rc = interfaces(ns->proc_fd, tid, &ifaces)) < 0)
		return rc == -ESRCH ? rc : 0;
	pthread_mutex_lock(&ns->lock);
	struct entry *e = kept(ns, ino, ifaces);
	if (e)
		fn(&e->names, arg);
	pthread_mutex_unlock(&ns->lock);
	if (e)
		return 1;
	int fd = openat(ns->proc_fd, link, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : 0;
	struct stat st;
	struct names names;
	if (fstat(fd, &st) < 0 || st.st_ino != ino || learn(ns->proc_fd, fd, &names) < 0) {
		close(fd); /* moved on, or not to be entered */
		return 0;
	}
	pthread_mutex_lock(&ns->lock);
	for (int i = 0; i < CACHE_SIZE && !e; i++)
		if (ns->cache[i].fd >= 0 && ns->cache[i].ino == ino)
			e = &ns->cache[i];
	if (!e)
		e = &ns->cache[ns->victim++ % CACHE_SIZE];
	if (e->fd >= 0)
		close(e->fd);
	names_free(&e->names);
	*e = (struct entry){ fd, ino, ifaces, names };
	fn(&e->names, arg);
	pthread_mutex_unlock(&ns->lock);
	return 1;
}

struct seen_arg {
	const char *path;
	unsigned mode;
	int found;
};

static void seen_in(const struct names *names, void *arg)
{
	struct seen_arg *a = arg;
	const struct name *n = names_find(names, a->path);
	a->found = n != NULL;
	a->mode = n ? n->mode : 0;
}

int pl_netsys_seen(struct pl_netsys *ns, pl_pid tid, const char *path, unsigned *mode)
{
	struct seen_arg a = { path, 0, 1 };
	int rc = with_names(ns, tid, seen_in, &a);
	*mode = a.mode;
	return rc < 0 ? rc : a.found;
}

struct list_arg {
	const char *dir;
	size_t len;
	pl_netsys_name_fn fn;
	void *arg;
};

/* The names directly under dir: those after "dir/" in strcmp order with
** no further '/'. */
static void list_in(const struct names *names, void *arg)
{
	struct list_arg *a = arg;
	size_t lo = 0, hi = names->n;
	while (lo < hi) { /* the first path not below "dir/" */
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strncmp(names->v[mid].path, a->dir, a->len);
		if (cmp < 0 || (cmp == 0 && names->v[mid].path[a->len] < '/'))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < names->n; i++) {
		const char *p = names->v[i].path;
		if (strncmp(p, a->dir, a->len) != 0 || p[a->len] != '/')
			break;
		if (!strchr(p + a->len + 1, '/'))
			a->fn(a->arg, p + a->len + 1, names->v[i].mode);
	}
}

int pl_netsys_list(struct pl_netsys *ns, pl_pid tid, const char *dir, pl_netsys_name_fn fn,
                   void *arg)
{
	struct list_arg a = { dir, strlen(dir), fn, arg };
	return with_names(ns, tid, list_in, &a);
}
