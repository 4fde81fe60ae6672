/*
** sys/net per network namespace (see netsys.h).
**
** The names of a namespace are learnt by walking /proc/sys/net in it,
** which only a process in it can: a child of the daemon enters it (or, for
** a new one, makes it) and writes each path as a line down a pipe.  The
** child is made by the raw clone system call with every signal blocked
** and runs only system calls (no allocation: the daemon's other threads
** may hold the allocator's locks at the clone).
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
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CACHE_SIZE 8
#define CHILD_TIMEOUT_MS 5000
#define MAX_DEPTH 12 /* deeper than any table the kernel registers */
#define PATH_CAP 512

/* A namespace's paths under sys/ with their modes, sorted for bsearch. */
struct name {
	const char *path;
	unsigned mode;             /* permission bits */
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

/* The inode number a namespace link names ("net:[N]"). */
static int link_ino(int dirfd, const char *path, uint64_t *ino)
{
	char link[64];
	ssize_t n = readlinkat(dirfd, path, link, sizeof link - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	unsigned long long v;
	if (sscanf(link, "net:[%llu]", &v) != 1)
		return -EIO;
	*ino = v;
	return 0;
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

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

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
			/* "MMM path\n": its permission bits in octal, path[0] a
			** line's first byte after them */
			memcpy(path + at, name, len);
			path[at + len] = '\n';
			char mode[4] = { (char)('0' + ((st.st_mode >> 6) & 7)), (char)('0' + ((st.st_mode >> 3) & 7)),
			                 (char)('0' + (st.st_mode & 7)), ' ' };
			if (write_all(out, mode, 4) < 0 || write_all(out, path, at + len + 1) < 0)
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

/* Read the child's lines until it closes the pipe (bounded in time). */
static int read_lines(int fd, char **out, size_t *len)
{
	size_t cap = 64 << 10, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int ready = poll(&pfd, 1, CHILD_TIMEOUT_MS);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			break;
		if (n == cap) {
			char *more = realloc(buf, cap * 2 + 1);
			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			buf[n] = '\0';
			*out = buf;
			*len = n;
			return r == 0 ? 0 : -EIO;
		}
		n += (size_t)r;
	}
	free(buf);
	return -EIO;
}

/*
** The paths under sys/ of the namespace nsfd holds (-1: a new one), as
** a child that enters (or makes) it finds them.
*/
static int learn(int proc_fd, int nsfd, struct names *out)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	long pid = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid == 0) {
		close(p[0]);
		int ok = (nsfd >= 0 ? setns(nsfd, CLONE_NEWNET) : unshare(CLONE_NEWNET)) == 0;
		int dir = ok ? openat(proc_fd, "sys/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		char path[PATH_CAP] = "net/";
		ok = dir >= 0 && child_walk(dir, path, 4, 0, p[1]) == 0;
		syscall(SYS_exit_group, ok ? 0 : 1);
	}
	int err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -err;
	}
	char *text = NULL;
	size_t len = 0;
	int rc = read_lines(p[0], &text, &len);
	if (rc < 0)
		kill((pid_t)pid, SIGKILL); /* our own child, not reaped yet */
	close(p[0]);
	int status = 0;
	while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = -EIO;
	if (rc < 0) {
		free(text);
		return rc;
	}
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
		if (nl - line < 5) { /* no "MMM " before a path: not the child's */
			free(v);
			free(text);
			return -EIO;
		}
		v[k].mode = (unsigned)(((line[0] - '0') << 6) | ((line[1] - '0') << 3) | (line[2] - '0'));
		v[k].path = line + 4;
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
	int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	ssize_t n = read(fd, text, sizeof text - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	text[n] = '\0';
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
	if (link_ino(proc_fd, "self/ns/net", &ns->own_ino) < 0)
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
	int varies = ns->fresh_state == 1 && (!n || n->mode != (mode & 0777));
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

/* Whether names has path, and its mode. */
static int found(const struct names *names, const char *path, unsigned *mode)
{
	const struct name *n = names_find(names, path);
	if (n)
		*mode = n->mode;
	return n != NULL;
}

int pl_netsys_seen(struct pl_netsys *ns, pl_pid tid, const char *path, unsigned *mode)
{
	char link[48];
	snprintf(link, sizeof link, "%d/ns/net", (int)tid);
	uint64_t ino = 0, ifaces = 0;
	*mode = 0;
	int rc = link_ino(ns->proc_fd, link, &ino);
	if (rc == -ENOENT)
		return -ESRCH;
	if (rc < 0 || ino == ns->own_ino) /* refused the daemon: as its own */
		return 1;
	if ((rc = interfaces(ns->proc_fd, tid, &ifaces)) < 0)
		return rc == -ESRCH ? rc : 1;
	pthread_mutex_lock(&ns->lock);
	struct entry *e = kept(ns, ino, ifaces);
	int seen = e ? found(&e->names, path, mode) : -1;
	pthread_mutex_unlock(&ns->lock);
	if (seen >= 0)
		return seen;
	int fd = openat(ns->proc_fd, link, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : 1;
	struct stat st;
	struct names names;
	if (fstat(fd, &st) < 0 || st.st_ino != ino || learn(ns->proc_fd, fd, &names) < 0) {
		close(fd); /* moved on, or not to be entered: every name */
		return 1;
	}
	pthread_mutex_lock(&ns->lock);
	e = NULL;
	for (int i = 0; i < CACHE_SIZE && !e; i++)
		if (ns->cache[i].fd >= 0 && ns->cache[i].ino == ino)
			e = &ns->cache[i];
	if (!e)
		e = &ns->cache[ns->victim++ % CACHE_SIZE];
	if (e->fd >= 0)
		close(e->fd);
	names_free(&e->names);
	*e = (struct entry){ fd, ino, ifaces, names };
	seen = found(&e->names, path, mode);
	pthread_mutex_unlock(&ns->lock);
	return seen;
}
