/*
** hostfd: the host source's kept-fd cache.  See pl_hostfd.h for the
** interface; this comment says why its answers are the kernel's.
**
** What an entry keeps, for the task directory D (/proc/<tgid> for the
** thread-group view, /proc/<tgid>/task/<tid> for a thread):
**
**   dirfd   D opened O_RDONLY: the base for the entry's opens (stat and
**           status, opened and closed at each read: a one-name walk), and
**           fstat gives D's owner (pid_getattr: task_dump_owner for a
**           0555 directory, i.e. euid/egid, computed at each fstat);
**           fstatat of D/stat gives task_dump_owner for any other mode,
**           the owner every other entry shows.
**   sigfd   what liveness is asked of with pidfd_send_signal(fd, 0): for
**           a thread-group entry, dirfd itself (the kernel accepts a
**           /proc/<tgid> directory fd as a pidfd); for a thread, a pidfd
**           opened with PIDFD_THREAD (Linux 6.9+, and only when the procfs
**           numbers pids as this process sees them); -1 when neither
**           works, and then owner and liveness are not answered here.
**
** Only the directory is kept: the daemon's own fd table is read through
** the mount by every tool that lists fds (lsof, ss -p, psutil), once per
** daemon thread, so each fd kept costs them several round trips; a kept
** seq_file would save a read only its open and close.
**
** Why a kept fd never answers for another task: an open procfs inode pins
** the struct pid it was made for, and the kernel looks the task up through
** that struct pid at every read and getattr.  A new process that reuses
** the number gets a new struct pid, so an old entry can only ever describe
** the old task, or nothing once it is reaped.  And once a struct pid has
** lost its task it never gets one again (exec's de_thread moves the
** leader's struct pid from the old leader to the exec'ing thread without a
** gap), so "reaped" is final, which the checks below rely on.
**
** Each answer, for a task that is reaped while its entry is kept:
**
**   read    a file opened through a reaped task's directory fails with
**           ENOENT or ESRCH (pid_revalidate, proc_single_show find no
**           task): the entry is dropped and
**           the caller reads the path once, which finds the new process
**           of that number, or nothing (ENOENT, which it reports as ESRCH).
**           A zombie still reads, as it does through the path.
**   owner   fstat of a reaped task's directories does not fail: it says
**           uid 0, gid 0.  So the two fstats (D/stat, then dirfd) are
**           followed by a liveness check when the second said 0/0: if the
**           task is alive after both, it was alive during both and both
**           answers are the live task's.  A second answer other than 0/0
**           proves the task was alive at that fstat, hence at the first.
**           (The directory's euid/egid goes second: a user's task shows
**           them even when it is not dumpable, so only tasks running as
**           root pay for the check.)
**   alive   pidfd_send_signal(sigfd, 0) fails with ESRCH exactly when
**           the struct pid has no task (reaped); a zombie or a task we may
**           not signal (EPERM) is alive, as its /proc directory exists.
**           When the entry is reaped, the caller asks the path, which
**           finds a new process of the same number if there is one.
**
** A thread's pidfd is opened by number, so it must be shown to name the
** same task as the directory: it is opened first, the directory second,
** and the pidfd is then checked alive.  Alive then means its struct pid
** held the number throughout, so the directory's lookup found that same
** struct pid.  (A thread-group entry needs no such care: its dirfd is its
** own pidfd.)
**
** Concurrency: a set's mutex guards its slots' keys, users counts and fd
** fields, and is held only while they are read or written, never across a
** syscall (fds taken out of a slot are closed after unlocking).  While a
** slot's users > 0 its entry cannot be replaced or closed, so dirfd and
** sigfd may be used unlocked.
**
** Size: SLOTS_MAX entries (slots), in sets of WAYS chosen by a hash of
** (tgid, tid), each holding at most FDS_PER_SLOT fds: at most 32 * 2 =
** 64 fds (a thread-group entry keeps one), for which the soft
** RLIMIT_NOFILE is raised if needed (fd_budget_slots); the cache shrinks,
** or is off, when the hard limit leaves no room.  Few entries: a kept
** directory saves a request one name of its walk, and ps or top over a
** hundred tasks measured the same with 32, 128 or no entries (bench/links-
** results.md), while lsof, ss -p and psutil read the daemon's fd table
** through the mount once per daemon thread.  Each kept fd pins a struct
** pid and proc inodes, not the task: a reaped task's entry costs little,
** and stays until its slot is wanted by another task or its pid is asked
** for again.
** A task that is not cached takes its set's empty slot, else the least
** recently used one no request is using; when all are in use, the task is
** served through the path.  (Sets, not one slot per hash: a hundred tasks
** in 256 direct-mapped slots collide enough that a ps pass would reopen a
** quarter of them every time.)  For more tasks than slots, see admit().
*/
#include "source/hostfd.h"
#include "format/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* include/uapi/linux/pidfd.h, Linux 6.9 */
#endif

#define SLOTS_MAX 32
#define WAYS 4                          /* slots per set */
#define SLOTS_MIN (2 * WAYS)
#define FDS_PER_SLOT 2                  /* dirfd, a thread's pidfd */
#define FD_RESERVE 1024                 /* left to the rest of the process */

static const char *const file_names[PL_HF_NFILES] = { "stat", "status" };

struct entry {
	int dirfd, pidfd, sigfd;
};

struct hf_set;

struct pl_hostfd_slot {
	struct hf_set *set;               /* whose lock guards this slot */
	pl_pid tgid, tid;                 /* key; tgid 0: empty */
	unsigned users;                   /* held references */
	int doomed;                       /* task gone: empty it when users drops to 0 */
	uint32_t used;                    /* set->clock at the last hit: LRU */
	uint32_t hits;                    /* since it was opened */
	struct entry e;
};

struct hf_set {
	alignas(64) pthread_mutex_t lock; /* sets do not share cache lines */
	uint32_t clock;
	struct pl_hostfd_slot slot[WAYS];
};

struct pl_hostfd {
	int root_fd;
	unsigned nsets, shift;
	int thread_pidfd;                 /* PIDFD_THREAD pidfds name our procfs's tasks */
	atomic_uint waste;                /* share of recent evictions that were of no use, of 1024 */
	atomic_uint misses;               /* counts the misses while thrashing */
	struct hf_set *sets;
};

static void entry_init(struct entry *e)
{
	e->dirfd = e->pidfd = e->sigfd = -1;
}

static void entry_close(struct entry *e)
{
	/* sigfd is dirfd or pidfd, never a descriptor of its own */
	if (e->dirfd >= 0)
		close(e->dirfd);
	if (e->pidfd >= 0)
		close(e->pidfd);
	entry_init(e);
}

/* 0: alive (zombies and tasks we may not signal included), else -errno. */
static int signal0(int fd)
{
	if (syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) == 0)
		return 0;
	return errno == EPERM ? 0 : -errno;
}

/* Fibonacci hashing: consecutive pids (a ps scan) land in distinct sets. */
static unsigned set_of(const struct pl_hostfd *c, pl_pid tgid, pl_pid tid)
{
	uint32_t h = (uint32_t)tgid * 0x9E3779B1u + (uint32_t)tid * 0x85EBCA77u;
	return h >> c->shift;
}

static int is_gone(int err)
{
	return err == ESRCH || err == ENOENT;
}

/* ------------------------------------------------------------------------
** creation
*/

/*
** How many entries the fd limit allows.  The cache wants FD_RESERVE fds
** left for everything else; when the soft limit is short of that plus the
** cache's budget, it is raised towards the hard limit (only as far as
** needed).  With no room to gain, a quarter of the existing limit is used.
*/
static unsigned fd_budget_slots(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	rlim_t need = FD_RESERVE + (rlim_t)SLOTS_MAX * FDS_PER_SLOT;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return SLOTS_MAX;
	rlim_t cur = rl.rlim_cur;
	rl.rlim_cur = (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need) ? need : rl.rlim_max;
	if (rl.rlim_cur > cur && setrlimit(RLIMIT_NOFILE, &rl) == 0)
		cur = rl.rlim_cur;
	rlim_t room = cur > 2 * FD_RESERVE ? cur - FD_RESERVE : cur / 4;
	rlim_t slots = room / FDS_PER_SLOT;
	return slots > SLOTS_MAX ? SLOTS_MAX : (unsigned)slots;
}

/* Its self/status lists NStgid from the procfs's pid namespace down to
** ours, so a single value means they are the same. */
int pl_host_same_pid_ns(int root_fd)
{
	char text[4096];
	if (pl_read_small(root_fd, "self/status", text, sizeof text) <= 0)
		return 0;
	const char *p = strstr(text, "\nNStgid:\t");
	if (!p)
		return 0;
	p += 9;
	size_t len = strcspn(p, "\n");
	return memchr(p, '\t', len) == NULL;
}

static int thread_pidfds_work(int root_fd)
{
	int fd = (int)syscall(SYS_pidfd_open, getpid(), PIDFD_THREAD);
	if (fd < 0)
		return 0; /* EINVAL before 6.9, ENOSYS before 5.3 */
	close(fd);
	return pl_host_same_pid_ns(root_fd);
}

struct pl_hostfd *pl_hostfd_new(int root_fd)
{
	const char *env = getenv("PROCLUA_HOSTFD");
	if (env && strcmp(env, "0") == 0)
		return NULL; /* switched off: every request takes the path */
	struct statfs sfs;
	if (fstatfs(root_fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return NULL; /* a saved tree (capture --proc) does not change */
	unsigned n = fd_budget_slots() / WAYS, bits = 0; /* sets */
	if (n * WAYS < SLOTS_MIN)
		return NULL;
	while ((2u << bits) <= n)
		bits++;
	struct pl_hostfd *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->root_fd = root_fd;
	c->nsets = 1u << bits;
	c->shift = 32 - bits; /* bits < 32: n is at most SLOTS_MAX / WAYS */
	c->thread_pidfd = thread_pidfds_work(root_fd);
	c->sets = aligned_alloc(alignof(struct hf_set), c->nsets * sizeof *c->sets);
	if (!c->sets) {
		free(c);
		return NULL;
	}
	memset(c->sets, 0, c->nsets * sizeof *c->sets);
	for (unsigned i = 0; i < c->nsets; i++) {
		pthread_mutex_init(&c->sets[i].lock, NULL);
		for (int w = 0; w < WAYS; w++) {
			c->sets[i].slot[w].set = &c->sets[i];
			entry_init(&c->sets[i].slot[w].e);
		}
	}
	return c;
}

void pl_hostfd_free(struct pl_hostfd *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->nsets; i++) {
		for (int w = 0; w < WAYS; w++)
			entry_close(&c->sets[i].slot[w].e);
		pthread_mutex_destroy(&c->sets[i].lock);
	}
	free(c->sets);
	free(c);
}

/* ------------------------------------------------------------------------
** entries
*/

/* Open a new entry's directory (and a thread's pidfd): 0, 1 (cannot be
** cached), or -ESRCH (the directory does not exist). */
static int entry_open(struct pl_hostfd *c, pl_pid tgid, pl_pid tid, struct entry *e)
{
	char dir[48];
	entry_init(e);
	if (tid == 0)
		snprintf(dir, sizeof dir, "%d", (int)tgid);
	else
		snprintf(dir, sizeof dir, "%d/task/%d", (int)tgid, (int)tid);
	/* the pidfd first: see the top of this file; without one, a thread
	** that should have had one is left to the path */
	if (tid && c->thread_pidfd) {
		e->pidfd = (int)syscall(SYS_pidfd_open, (pid_t)tid, PIDFD_THREAD); /* always close-on-exec */
		if (e->pidfd < 0)
			return 1;
	}
	e->dirfd = openat(c->root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (e->dirfd < 0) {
		int err = errno;
		entry_close(e);
		return is_gone(err) ? -ESRCH : 1;
	}
	e->sigfd = tid ? e->pidfd : e->dirfd;
	if (e->sigfd >= 0) {
		int rc = signal0(e->sigfd);
		if (rc == -ESRCH && !tid) {
			/* dirfd's own task died after the open: there was an instant,
			** within this call, when the pid named no task */
			entry_close(e);
			return -ESRCH;
		}
		if (rc < 0) {
			/* a thread's pidfd that died may have named another task than
			** the directory; a pidfd the kernel refuses (EINVAL: a pid
			** namespace it may not see) cannot tell liveness at all */
			if (tid) {
				entry_close(e);
				return 1;
			}
			e->sigfd = -1;
		}
	}
	return 0;
}

static void slot_lock(struct pl_hostfd_slot *s) { pthread_mutex_lock(&s->set->lock); }
static void slot_unlock(struct pl_hostfd_slot *s) { pthread_mutex_unlock(&s->set->lock); }

static int holds(const struct pl_hostfd_slot *s, pl_pid tgid, pl_pid tid)
{
	return s->tgid == tgid && s->tid == tid && !s->doomed;
}

/* Under the set's lock: the task's slot, counted as a hit, or NULL. */
static struct pl_hostfd_slot *find(struct hf_set *set, pl_pid tgid, pl_pid tid)
{
	for (int w = 0; w < WAYS; w++) {
		struct pl_hostfd_slot *s = &set->slot[w];
		if (holds(s, tgid, tid)) {
			s->users++;
			s->hits++;
			s->used = ++set->clock;
			return s;
		}
	}
	return NULL;
}

/* Under the set's lock: the slot a new entry may take (empty, else least
** recently used), or NULL when every slot is in use. */
static struct pl_hostfd_slot *victim(struct hf_set *set)
{
	struct pl_hostfd_slot *v = NULL;
	for (int w = 0; w < WAYS; w++) {
		struct pl_hostfd_slot *s = &set->slot[w];
		if (s->users)
			continue;
		if (s->tgid == 0)
			return s;
		if (!v || (uint32_t)(set->clock - s->used) > (uint32_t)(set->clock - v->used))
			v = s;
	}
	return v;
}

/*
** Thrashing.  When more tasks are asked for in turn than the cache holds,
** entries are evicted before they are used again, and an entry costs more
** to make (a directory, a liveness check) than the path-based answer
** it replaces: `ls -l /proc` over 700 tasks costs twice the path's work.
** So the cache watches its evictions: an entry evicted after fewer than
** WASTED_HITS uses was not worth opening.  `waste` follows the share of
** such evictions (an exponential average, of 1024; filling an empty slot
** counts as useful), and while it is above half, only one miss in
** THRASH_ADMIT opens an entry; the others take the path at its own cost.
** A ps pass, which asks for each task several times in a row, keeps its
** entries useful and is never throttled.  Each hit makes the average decay
** a little: once the tasks fit again, the sampled entries last, their hits
** outweigh the few evictions, and every miss is admitted again.
*/
#define WASTED_HITS 3
#define THRASH_ADMIT 32

static int admit(struct pl_hostfd *c)
{
	if (atomic_load_explicit(&c->waste, memory_order_relaxed) <= 512)
		return 1;
	return atomic_fetch_add_explicit(&c->misses, 1, memory_order_relaxed) % THRASH_ADMIT == 0;
}

/* Under the set's lock, as victim v is replaced.  Racing updates may lose
** one another's step: an estimate needs no more. */
static void count_eviction(struct pl_hostfd *c, const struct pl_hostfd_slot *v)
{
	unsigned w = atomic_load_explicit(&c->waste, memory_order_relaxed);
	if (v->tgid && v->hits < WASTED_HITS)
		w += (1024 - w) / 16;
	else
		w -= w / 16;
	atomic_store_explicit(&c->waste, w, memory_order_relaxed);
}

/* A hit: the cache is of use, so the average decays (which also ends a
** throttle whose evictions have stopped).  Written only while non-zero:
** in the steady state hits only read the shared line. */
static void count_hit(struct pl_hostfd *c)
{
	unsigned w = atomic_load_explicit(&c->waste, memory_order_relaxed);
	if (w)
		atomic_store_explicit(&c->waste, w - (w / 256 ? w / 256 : 1), memory_order_relaxed);
}

int pl_hostfd_get(struct pl_hostfd *c, pl_pid tgid, pl_pid tid, struct pl_hostfd_ref *r)
{
	r->s = NULL;
	if (!c || tgid <= 0 || tid < 0)
		return 1;
	struct hf_set *set = &c->sets[set_of(c, tgid, tid)];
	pthread_mutex_lock(&set->lock);
	struct pl_hostfd_slot *s = find(set, tgid, tid);
	int full = !s && !victim(set);
	pthread_mutex_unlock(&set->lock);
	if (s) {
		count_hit(c);
		r->s = s;
		return 0;
	}
	if (full)
		return 1; /* every slot of the set is in use: take the path */
	if (!admit(c))
		return 1; /* thrashing: the path costs less */

	/* Open outside the lock; someone may fill a slot meanwhile. */
	struct entry e, old;
	int rc = entry_open(c, tgid, tid, &e);
	if (rc)
		return rc;
	pthread_mutex_lock(&set->lock);
	if ((s = find(set, tgid, tid))) {
		old = e; /* ours is surplus */
	} else if ((s = victim(set))) {
		count_eviction(c, s);
		old = s->e;
		s->e = e;
		s->tgid = tgid;
		s->tid = tid;
		s->doomed = 0;
		s->users = 1;
		s->hits = 0;
		s->used = ++set->clock;
	} else {
		old = e;
	}
	pthread_mutex_unlock(&set->lock);
	entry_close(&old);
	r->s = s;
	return s ? 0 : 1;
}

void pl_hostfd_put(struct pl_hostfd_ref *r)
{
	struct pl_hostfd_slot *s = r->s;
	if (!s)
		return;
	struct entry old;
	entry_init(&old);
	slot_lock(s);
	if (--s->users == 0 && s->doomed) {
		old = s->e;
		entry_init(&s->e);
		s->tgid = s->tid = 0;
		s->doomed = 0;
	}
	slot_unlock(s);
	entry_close(&old);
	r->s = NULL;
}

/* The task looks gone: no new holder gets this entry; the last one
** empties it. */
static void doom(struct pl_hostfd_slot *s)
{
	slot_lock(s);
	s->doomed = 1;
	slot_unlock(s);
}

static int fail(struct pl_hostfd_slot *s, int err)
{
	if (is_gone(err))
		doom(s);
	return -1;
}

/* ------------------------------------------------------------------------
** answers
*/

int pl_hostfd_read(struct pl_hostfd_ref *r, int file, struct pl_buf *out)
{
	struct pl_hostfd_slot *s = r->s;
	int fd = openat(s->e.dirfd, file_names[file], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(s, errno);
	/*
	** stat and status are single_open files: a read returns the whole
	** record when it fits, so a short read is the end and no end-of-file
	** read is needed; a full one goes on from where it was.
	*/
	pl_buf_reset(out);
	for (;;) {
		char *w = pl_buf_reserve(out, 4096);
		if (!w) {
			close(fd);
			return -1; /* the path reports the ENOMEM */
		}
		size_t room = out->cap - out->len - 1;
		ssize_t n = read(fd, w, room);
		if (n < 0) {
			int err = errno;
			close(fd);
			return fail(s, err);
		}
		out->len += (size_t)n;
		if ((size_t)n < room)
			break;
	}
	close(fd);
	if (out->len == 0) /* never for these files: do not trust it */
		return -1;
	out->data[out->len] = '\0';
	return 0;
}

int pl_hostfd_alive(struct pl_hostfd_ref *r)
{
	struct pl_hostfd_slot *s = r->s;
	if (s->e.sigfd < 0)
		return -1;
	int rc = signal0(s->e.sigfd);
	return rc == 0 ? 0 : fail(s, -rc);
}

int pl_hostfd_pin(struct pl_hostfd_ref *r)
{
	int fd = r->s->e.sigfd;
	return fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

int pl_hostfd_owner(struct pl_hostfd_ref *r, uint32_t *dir_uid, uint32_t *dir_gid,
                    uint32_t *file_uid, uint32_t *file_gid)
{
	struct pl_hostfd_slot *s = r->s;
	if (s->e.sigfd < 0)
		return -1; /* owners of a reaped task would read as root */
	struct stat d, f;
	if (fstatat(s->e.dirfd, "stat", &f, 0) < 0 || fstat(s->e.dirfd, &d) < 0)
		return fail(s, errno);
	/* 0/0 is what a reaped task shows: believe it only of a live one */
	if (d.st_uid == 0 && d.st_gid == 0 && pl_hostfd_alive(r) < 0)
		return -1;
	*dir_uid = d.st_uid;
	*dir_gid = d.st_gid;
	*file_uid = f.st_uid;
	*file_gid = f.st_gid;
	return 0;
}
