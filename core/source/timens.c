/*
** The host's time namespaces (see timens.h).
**
** A namespace's offsets are fixed once a task has entered it (the kernel
** refuses timens_offsets writes then), and a reader is always in the one
** it entered, so they are cached by the namespace's inode number.  Each
** entry holds an fd on its namespace: while it does, the namespace lives
** and its number is not reused (the kernel hands a freed one out again at
** once).  Most readers share the daemon's namespace: a readlink tells.
**
** The offsets are read from a task's timens_offsets, which shows its
** namespace for children; that is the one it runs in except between an
** unshare(CLONE_NEWTIME) and its next fork or exec.  Then a child of the
** daemon (child.h) enters the namespace and reads its own.
*/
#include "source/timens.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/scan.h"
#include "source/child.h"
#include "source/nslink.h"

#define CACHE_SIZE 16
#define CHILD_TIMEOUT_MS 2000

struct entry {
	int fd;                    /* -1: empty */
	uint64_t ino;
	int64_t boot_ns;
};

static struct entry cache[CACHE_SIZE];
static unsigned next_victim;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint64_t own_ino;           /* the daemon's namespace; 0: no time namespaces */
static int64_t own_boot_ns;

/* The CLOCK_BOOTTIME offset in timens_offsets text, in ns. */
static int parse_boot(const char *text, int64_t *ns)
{
	const char *line = strstr(text, "boottime ");
	long long sec;
	long nsec;
	if (!line || sscanf(line, "boottime %lld %ld", &sec, &nsec) != 2)
		return -EIO;
	/* the kernel takes |sec| up to KTIME_SEC_MAX: keep the sum in range */
	sec = sec > 9000000000LL ? 9000000000LL : sec < -9000000000LL ? -9000000000LL : sec;
	*ns = (int64_t)sec * 1000000000 + nsec;
	return 0;
}

/* Namespace ino's offsets from task `task` ("self", a pid) of dirfd, where
** the task runs in it and shows it for its children too. */
static int task_offsets(int dirfd, const char *task, uint64_t ino, int64_t *ns)
{
	char path[64], text[128];
	uint64_t now = 0, children = 0;
	snprintf(path, sizeof path, "%s/ns/time_for_children", task);
	if (pl_ns_link_ino(dirfd, path, "time", &children) < 0 || children != ino)
		return -EAGAIN;
	snprintf(path, sizeof path, "%s/timens_offsets", task);
	if (pl_read_small(dirfd, path, text, sizeof text) < 0)
		return -EAGAIN;
	/* still both, so the text was that namespace's */
	snprintf(path, sizeof path, "%s/ns/time", task);
	if (pl_ns_link_ino(dirfd, path, "time", &now) < 0 || now != ino)
		return -EAGAIN;
	snprintf(path, sizeof path, "%s/ns/time_for_children", task);
	if (pl_ns_link_ino(dirfd, path, "time", &children) < 0 || children != ino)
		return -EAGAIN;
	return parse_boot(text, ns);
}

/* In the child: enter the namespace and write its offsets. */
struct enter_arg {
	int dirfd, nsfd;
	const char *self_offsets;  /* timens_offsets of "self", from dirfd */
};

static int enter_and_read(void *arg, int out)
{
	const struct enter_arg *e = arg;
	char text[128];
	if (setns(e->nsfd, CLONE_NEWTIME) != 0)
		return -1;
	int fd = openat(e->dirfd, e->self_offsets, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text);
	return n > 0 ? pl_child_write(out, text, (size_t)n) : -1;
}

/* The offsets of the namespace nsfd holds, read by a child that enters it
** (setns sets both its namespaces). */
static int child_offsets(int dirfd, const char *self_offsets, int nsfd, int64_t *ns)
{
	struct enter_arg arg = { dirfd, nsfd, self_offsets };
	char *text;
	size_t len;
	int rc = pl_child_run(enter_and_read, &arg, CHILD_TIMEOUT_MS, &text, &len);
	if (rc < 0)
		return rc;
	rc = parse_boot(text, ns);
	free(text);
	return rc;
}

static void init(void)
{
	for (int i = 0; i < CACHE_SIZE; i++)
		cache[i].fd = -1;
	uint64_t ino = 0;
	if (pl_ns_link_ino(AT_FDCWD, "/proc/self/ns/time", "time", &ino) < 0)
		return;
	int64_t off = 0;
	if (task_offsets(AT_FDCWD, "/proc/self", ino, &off) < 0) {
		int fd = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
		int dirfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || dirfd < 0 || child_offsets(dirfd, "self/timens_offsets", fd, &off) < 0)
			off = 0;
		if (fd >= 0)
			close(fd);
		if (dirfd >= 0)
			close(dirfd);
	}
	own_ino = ino;
	own_boot_ns = off;
}

static int cached(uint64_t ino, int64_t *ns)
{
	int hit = 0;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < CACHE_SIZE && !hit; i++)
		if (cache[i].fd >= 0 && cache[i].ino == ino) {
			*ns = cache[i].boot_ns;
			hit = 1;
		}
	pthread_mutex_unlock(&lock);
	return hit;
}

/* Keep fd (taken) and the offset (a full cache drops its oldest entry). */
static void remember(int fd, uint64_t ino, int64_t ns)
{
	pthread_mutex_lock(&lock);
	struct entry *e = &cache[next_victim++ % CACHE_SIZE];
	if (e->fd >= 0)
		close(e->fd);
	e->fd = fd;
	e->ino = ino;
	e->boot_ns = ns;
	pthread_mutex_unlock(&lock);
}

int pl_timens_boot_shift(int proc_fd, pl_pid tid, int64_t *ns)
{
	pthread_once(&once, init);
	*ns = 0;
	if (!own_ino)
		return 0;
	int dirfd = proc_fd < 0 ? AT_FDCWD : proc_fd;
	char task[32], path[64];
	snprintf(task, sizeof task, proc_fd < 0 ? "/proc/%d" : "%d", (int)tid);
	snprintf(path, sizeof path, "%s/ns/time", task);
	uint64_t ino = 0;
	int rc = pl_ns_link_ino(dirfd, path, "time", &ino);
	if (rc == -ENOENT)
		return -ESRCH;
	if (rc < 0 || ino == own_ino) /* refused the daemon: taken as its own */
		return 0;
	int64_t off;
	if (cached(ino, &off)) {
		*ns = off - own_boot_ns;
		return 0;
	}
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : 0;
	if (fstat(fd, &st) < 0 || st.st_ino != ino || /* it moved: the next read asks again */
	    (task_offsets(dirfd, task, ino, &off) < 0 &&
	     child_offsets(dirfd, proc_fd < 0 ? "/proc/self/timens_offsets" : "self/timens_offsets", fd, &off) < 0)) {
		close(fd);
		return 0;
	}
	remember(fd, ino, off);
	*ns = off - own_boot_ns;
	return 0;
}
