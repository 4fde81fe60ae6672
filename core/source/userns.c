/*
** The host's user namespaces, from nsfs (see userns.h).
**
** Resolving a namespace's chain costs an ioctl pair per level; callers and
** targets come from few namespaces, so chains are cached by inode number.
** Each entry holds an fd on its namespace: while it does, the namespace
** (and, through it, every ancestor) lives, so its inode number is not
** reused and a stat that answers that number means that namespace.
*/
#include "source/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_SIZE 64

struct entry {
	int fd;                    /* -1: empty */
	struct pl_userns_chain chain;
};

static struct entry cache[CACHE_SIZE];
static unsigned next_victim;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint64_t top_ino;

/* The ids the top names: the `first` and `count` columns of its own maps. */
struct top_map {
	size_t n;                  /* 0: unread, taken as every id but (u32)-1 */
	struct { uint32_t first, count; } e[PL_IDMAP_MAX_EXTENTS];
};
static struct top_map top_maps[3]; /* uid_map, gid_map, projid_map */

/* One "%10u %10u %10u\n" line per extent, as uid_m_show prints them. */
static void read_top_map(const char *path, struct top_map *m)
{
	char text[PL_IDMAP_MAX_EXTENTS * 33 + 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	size_t len = 0;
	ssize_t r;
	while (len < sizeof text - 1 && (r = read(fd, text + len, sizeof text - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	text[len] = '\0';
	const char *p = text;
	unsigned first, lower, count;
	int used;
	while (m->n < PL_IDMAP_MAX_EXTENTS &&
	       sscanf(p, "%u %u %u\n%n", &first, &lower, &count, &used) == 3) {
		m->e[m->n].first = first;
		m->e[m->n].count = count;
		m->n++;
		p += used;
	}
}

static void init(void)
{
	struct stat st;
	for (int i = 0; i < CACHE_SIZE; i++)
		cache[i].fd = -1;
	if (stat("/proc/self/ns/user", &st) == 0)
		top_ino = st.st_ino;
	read_top_map("/proc/self/uid_map", &top_maps[0]);
	read_top_map("/proc/self/gid_map", &top_maps[1]);
	read_top_map("/proc/self/projid_map", &top_maps[2]);
}

int pl_userns_top_names(int kind, uint32_t id, uint32_t count)
{
	pthread_once(&once, init);
	const struct top_map *m = &top_maps[kind >= 0 && kind <= 2 ? kind : 0];
	uint32_t last = id + count - 1;
	if (m->n == 0)
		return id <= last && last != UINT32_MAX;
	for (size_t i = 0; i < m->n; i++) {
		uint32_t lo = m->e[i].first, hi = m->e[i].first + m->e[i].count - 1;
		if (id >= lo && id <= hi && last >= lo && last <= hi)
			return 1;
	}
	return 0;
}

uint64_t pl_userns_top(void)
{
	pthread_once(&once, init);
	return top_ino;
}

static int cached(uint64_t ino, struct pl_userns_chain *out)
{
	int hit = 0;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < CACHE_SIZE && !hit; i++)
		if (cache[i].fd >= 0 && cache[i].chain.ns[0].ino == ino) {
			*out = cache[i].chain;
			hit = 1;
		}
	pthread_mutex_unlock(&lock);
	return hit;
}

/* Keep the chain with a dup of fd (a full cache drops its oldest entry). */
static void remember(int fd, const struct pl_userns_chain *c)
{
	int kept = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (kept < 0)
		return;
	pthread_mutex_lock(&lock);
	struct entry *e = &cache[next_victim++ % CACHE_SIZE];
	if (e->fd >= 0)
		close(e->fd);
	e->fd = kept;
	e->chain = *c;
	pthread_mutex_unlock(&lock);
}

static int resolve(int fd, struct pl_userns_chain *out, int depth)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (cached(st.st_ino, out))
		return 0;
	uid_t owner = 0;
	if (ioctl(fd, NS_GET_OWNER_UID, &owner) < 0)
		return -errno;
	int pfd = ioctl(fd, NS_GET_PARENT);
	if (pfd < 0 && errno != EPERM)
		return -errno;
	out->n = 0;
	if (pfd >= 0) { /* EPERM: the top of what the daemon can see */
		int rc = depth + 1 < PL_USERNS_LEVELS ? resolve(pfd, out, depth + 1) : -ELOOP;
		close(pfd);
		if (rc < 0)
			return rc;
	}
	if (out->n >= PL_USERNS_LEVELS)
		return -ELOOP;
	memmove(&out->ns[1], &out->ns[0], (size_t)out->n * sizeof out->ns[0]);
	out->ns[0].ino = st.st_ino;
	out->ns[0].owner = owner;
	out->n++;
	remember(fd, out);
	return 0;
}

int pl_userns_of_fd(int fd, struct pl_userns_chain *out)
{
	pthread_once(&once, init);
	int rc = resolve(fd, out, 0);
	if (rc < 0)
		out->n = 0;
	return rc;
}

int pl_userns_of_tid(int proc_fd, pl_pid tid, struct pl_userns_chain *out)
{
	pthread_once(&once, init);
	char path[48], link[64];
	snprintf(path, sizeof path, proc_fd < 0 ? "/proc/%d/ns/user" : "%d/ns/user", (int)tid);
	if (proc_fd < 0)
		proc_fd = AT_FDCWD;
	out->n = 0;
	/* the link's text names a known namespace without opening it (a
	** readlink costs less than half a stat through nsfs) */
	ssize_t n = readlinkat(proc_fd, path, link, sizeof link - 1);
	if (n < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	link[n] = '\0';
	unsigned long long ino;
	if (sscanf(link, "user:[%llu]", &ino) == 1 && cached(ino, out))
		return 0;
	int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	int rc = pl_userns_of_fd(fd, out);
	close(fd);
	return rc;
}

void pl_userns_declared(uint64_t ino, uint32_t owner, struct pl_userns_chain *out)
{
	uint64_t top = pl_userns_top();
	out->n = 0;
	if (ino != top) {
		out->ns[0].ino = ino;
		out->ns[0].owner = owner;
		out->n = 1;
	}
	out->ns[out->n].ino = top;
	out->ns[out->n].owner = 0;
	out->n++;
}
