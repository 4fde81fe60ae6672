/*
** What the magic links of ns/ and fd/ lead to.
**
** In Linux, following /proc/<pid>/ns/net or /proc/<pid>/fd/3 jumps to the
** object itself (nd_jump_link): stat(2) through the link shows the
** namespace's or the pipe's own inode, which lsns and lsof match by
** number.  Through FUSE a link is only its text, and a target that is no
** path ("net:[4026531840]", "pipe:[123]", "socket:[456]",
** "anon_inode:[eventfd]") is resolved by the kernel as a relative path
** inside the link's own directory: a lookup of that name in ns/ or fd/.
** Such a lookup is answered here with a node whose attributes are the
** object's (its st_ino, type, mode, owner and times; st_dev is the mount's
** for every node of a FUSE mount), found the way the link would be
** followed and with the same decision for the caller (the directory's
** search permission, then the ptrace check readlink makes).  A name no
** link of the directory names is ENOENT, as in Linux.
**
** Which fd: the kernel reads the link (READLINK) just before it looks up
** its target in the same walk, so each caller's last fd link read is
** remembered and tried first; a miss (the name looked up directly, or the
** memo taken by another caller of the same slot) searches the task's fds.
**
** Opening what a link leads to: a namespace opens as a file whose reads
** fail as nsfs's do (EINVAL), not as the namespace (setns refuses it);
** an anonymous inode (no type FUSE can give: it is shown as a regular
** file) fails ENXIO, as Linux's open of one does; a socket is a socket
** inode, which the kernel itself refuses (ENXIO).  A pipe is a FIFO to
** others, whose open the kernel makes on the FUSE inode itself, not on
** the pipe.  A process's own pipes (its own fd/, so /dev/fd/N,
** /dev/stdin, bash's <(...)) are shown to it as regular files instead,
** opened by the daemon on the real pipe once the caller may open it as
** the kernel would let it (the pipe inode's mode bits), and relayed:
** reads and writes go through the daemon's own open of the pipe.
**
** In a world, a caller's own fd/ lists its real open files from the
** host, so that /dev/stdout is its own standard output, not the world's
** declared one.  Its own is the fd/ of the task it is to the world (its
** self) when reached through the self link: the kernel reads that link
** (READLINK) at every walk through it, and the names after it, which the
** kernel caches for a world, do not reach the daemon; so each caller's
** reading of self is remembered until it reads another link or opens a
** file, for a second at most, and a lookup or listing in its self task's
** fd/ meanwhile is its own (and stays so while it reads its own links,
** through a handle on that fd/, say).  The name of the self task in the
** root is never cached, so that a walk to it by number (/proc/1/fd) is
** seen and ends the memo: that way the task's fd/ is the world's, as a
** tool listing every task (lsof) must see it.
*/
#include "tree/node.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record/scratch.h"

/* ------------------------------------------------------------------------
** what each caller's walk just went through: the last fd link it read
** (and whether that was its own, in a world), and in a world whether it
** came through self
*/

#define MEMO_SLOTS 256
#define SELF_WALK_NS 1000000000ll /* a walk through self takes microseconds */

static struct memo {
	pl_pid caller;
	int fd, fd_own;
	int64_t self_at;           /* when it read self (CLOCK_MONOTONIC ns); 0: not */
	int self_fresh;            /* read self, its task's name not yet looked up */
} memo[MEMO_SLOTS];
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* The caller's slot, taken over from whoever held it; memo_lock held. */
static struct memo *slot(pl_pid caller)
{
	struct memo *m = &memo[(unsigned)caller % MEMO_SLOTS];
	if (m->caller != caller)
		*m = (struct memo){ caller, -1, 0, 0, 0 };
	return m;
}

void tree_object_note_fd(pl_pid caller, int fd, int own)
{
	if (caller <= 0)
		return;
	pthread_mutex_lock(&memo_lock);
	struct memo *m = slot(caller);
	m->fd = fd;
	m->fd_own = own;
	/* a link other than self: the walk is elsewhere, unless it is one of
	** its own fd/ (read through a handle on that directory, say) */
	m->self_at = own ? now_ns() : 0;
	m->self_fresh = 0;
	pthread_mutex_unlock(&memo_lock);
}

void tree_object_note_self(pl_pid caller, int through)
{
	if (caller <= 0)
		return;
	pthread_mutex_lock(&memo_lock);
	struct memo *m = &memo[(unsigned)caller % MEMO_SLOTS];
	if (through) {
		m = slot(caller);
		m->self_at = now_ns();
		m->self_fresh = 1;
	} else if (m->caller == caller) {
		m->self_at = 0;
	}
	pthread_mutex_unlock(&memo_lock);
}

void tree_object_note_self_name(pl_pid caller)
{
	if (caller <= 0)
		return;
	pthread_mutex_lock(&memo_lock);
	struct memo *m = &memo[(unsigned)caller % MEMO_SLOTS];
	if (m->caller == caller) {
		if (!m->self_fresh) /* by its number, not through self */
			m->self_at = 0;
		m->self_fresh = 0;
	}
	pthread_mutex_unlock(&memo_lock);
}

static int memo_fd(pl_pid caller, int *own)
{
	int fd = -1;
	*own = 0;
	pthread_mutex_lock(&memo_lock);
	if (caller > 0 && memo[(unsigned)caller % MEMO_SLOTS].caller == caller) {
		fd = memo[(unsigned)caller % MEMO_SLOTS].fd;
		*own = memo[(unsigned)caller % MEMO_SLOTS].fd_own;
	}
	pthread_mutex_unlock(&memo_lock);
	return fd;
}

static int came_through_self(pl_pid caller)
{
	int64_t at = 0;
	pthread_mutex_lock(&memo_lock);
	if (caller > 0 && memo[(unsigned)caller % MEMO_SLOTS].caller == caller)
		at = memo[(unsigned)caller % MEMO_SLOTS].self_at;
	pthread_mutex_unlock(&memo_lock);
	return at && now_ns() - at < SELF_WALK_NS;
}

/* ------------------------------------------------------------------------
** objects
*/

/* The object of task (tgid, tid)'s ns link `ns` (or, ns < 0, of fd/fd) of
** src, while the link names `target` (NULL: any object). */
static int stat_object(struct pl_source *src, pl_pid tgid, pl_pid tid,
                       int ns, int fd, const char *target, struct pl_object *obj)
{
	char link[32];
	if (ns >= 0)
		snprintf(link, sizeof link, "ns/%s", pl_ns_names[ns]);
	else
		snprintf(link, sizeof link, "fd/%d", fd);
	if (src->ops->stat_link) {
		int rc = src->ops->stat_link(src, tgid, tid, link, target, obj);
		if (rc != -ENOSYS)
			return rc;
	}
	/* a world's: made from what its facts name */
	struct pl_task *t;
	if (ns >= 0) {
		int rc = pl_builtin_load(src, tgid, tid, PL_F_NS, &t);
		if (rc < 0)
			return rc;
		if (!t->ns_ino[ns])
			return -ENOENT;
		char name[64];
		snprintf(name, sizeof name, "%s:[%llu]", pl_ns_types[ns], (unsigned long long)t->ns_ino[ns]);
		if (target && strcmp(name, target) != 0)
			return -ENOENT;
		return pl_object_of_name(name, 0, 0, 0, obj);
	}
	/* the owner first: loading facts resets the scratch arena */
	int rc = pl_builtin_load(src, tgid, tid, PL_F_STATUS, &t);
	if (rc < 0)
		return rc;
	uint32_t uid = t->cred.uid[3], gid = t->cred.gid[3];
	struct pl_arena *a = &pl_scratch()->arena;
	struct pl_fd f;
	if ((rc = pl_source_load_fd(src, tgid, tid, fd, a, &f)) < 0)
		return rc;
	if (!f.target)
		return -f.err;
	if (target ? strcmp(f.target, target) != 0 : !pl_link_names_object(f.target))
		return -ENOENT;
	struct pl_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	uint64_t anon_ino = 0;
	if (src->ops->load_fdinfo && src->ops->load_fdinfo(src, tgid, tid, fd, a, &fi) == 0)
		anon_ino = fi.ino;
	return pl_object_of_name(f.target, anon_ino, uid, gid, obj);
}

/* The node of an object: its attributes, with a type FUSE can give (an
** anonymous inode has none: a regular file), and a caller's own pipe a
** regular file, which the daemon relays. */
static void object_attr(const struct pl_object *obj, uint64_t ino, int relay, struct pl_attr *a)
{
	memset(a, 0, sizeof *a);
	uint32_t type = obj->mode & S_IFMT;
	if (relay || !(S_ISREG(type) || S_ISFIFO(type) || S_ISSOCK(type) || S_ISCHR(type) ||
	               S_ISBLK(type) || S_ISDIR(type) || S_ISLNK(type)))
		type = S_IFREG;
	a->ino = ino;
	a->shown_ino = obj->ino;
	a->mode = type | (obj->mode & 07777);
	a->nlink = obj->nlink;
	a->uid = obj->uid;
	a->gid = obj->gid;
	a->size = obj->size;
	a->blksize = obj->blksize;
	a->cache = PL_CACHE_OBJECT;
	a->has_times = obj->has_times;
	a->atime = obj->atime, a->atime_ns = obj->atime_ns;
	a->mtime = obj->mtime, a->mtime_ns = obj->mtime_ns;
	a->ctime = obj->ctime, a->ctime_ns = obj->ctime_ns;
}

/* Whose tasks an object node of `kind` names: a world's callers' own are
** the host's. */
static struct pl_source *source_of(struct pl_tree *k, int kind)
{
	return k->host && (kind == OBJ_OWN_FD || kind == OBJ_OWN_LINK) ? k->host : k->src;
}

/* The (tgid, tid) an object node's pid names in src: a thread id names the
** thread's own files, a group's leader the group's. */
static int task_of(struct pl_source *src, pl_pid pid, pl_pid *tgid, pl_pid *tid)
{
	pl_pid g;
	int rc = src->ops->tgid_of(src, pid, &g);
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	*tgid = g;
	*tid = g == pid ? 0 : pid;
	return 0;
}

/* The pid an object node of directory `dir`'s task carries. */
static pl_pid pid_of(struct node dir)
{
	return dir.tid ? dir.tid : dir.tgid;
}

/*
** In a world, the host pid of the caller when the fd/ of task directory
** `dir` is its own (the world task it is, reached through self in this
** walk), else 0: that fd/ holds the caller's real open files.  Reached by
** its number (/proc/1/fd), the task's fd/ is the world's.
*/
pl_pid tree_object_own_fds(struct pl_tree *k, struct pl_caller *c, struct node dir)
{
	pl_pid me, me_tid;
	if (!k->host || !came_through_self(c->pid) || tree_caller_in_tree(k, c, &me, &me_tid) < 0 ||
	    me != dir.tgid)
		return 0;
	return c->tgid > 0 ? c->tgid : 0;
}

/* Whether the caller is the task of directory dir's own thread group. */
static int own_task(struct pl_tree *k, struct pl_caller *c, struct node dir)
{
	pl_pid me, me_tid;
	return tree_caller_in_tree(k, c, &me, &me_tid) == 0 && me == dir.tgid;
}

/* ------------------------------------------------------------------------
** lookup
*/

/* fd/N of a world's caller's own: its real link, from the host. */
static int own_link_attr(struct pl_tree *k, pl_pid host_pid, int fd, struct pl_attr *out)
{
	struct pl_task *t;
	int rc = pl_builtin_load(k->host, host_pid, 0, PL_F_OWNER, &t);
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	uint32_t uid, gid;
	pl_task_owner(t, 0700, 0, &uid, &gid);
	struct pl_fd f;
	rc = pl_source_load_fd(k->host, host_pid, 0, fd, &pl_scratch()->arena, &f);
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	memset(out, 0, sizeof *out);
	out->ino = make_obj_ino(host_pid, OBJ_OWN_LINK, fd);
	out->mode = S_IFLNK | ((f.f_mode & 1) ? 0500 : 0) | ((f.f_mode & 2) ? 0300 : 0);
	out->nlink = 1;
	out->uid = uid;
	out->gid = gid;
	out->size = 64;
	out->cache = PL_CACHE_OBJECT; /* as fd/N's: never held open */
	return 0;
}

int tree_object_lookup_own_fd(struct pl_tree *k, pl_pid host_pid, int fd, struct pl_attr *out)
{
	return own_link_attr(k, host_pid, fd, out);
}

int tree_object_lookup_fd(struct pl_tree *k, struct pl_caller *c, struct node dir,
                          const char *name, struct pl_attr *out)
{
	if (!pl_link_names_object(name))
		return -ENOENT;
	/* in a world, its own when the link it just read was its own */
	int fd_own, fd = memo_fd(c->pid, &fd_own);
	pl_pid me, me_tid;
	pl_pid host_pid = k->host && fd_own && tree_caller_in_tree(k, c, &me, &me_tid) == 0 &&
	                  me == dir.tgid ? c->tgid : 0;
	int own = host_pid || (!k->host && own_task(k, c, dir));
	struct pl_source *src = host_pid ? k->host : k->src;
	pl_pid tgid = host_pid ? host_pid : dir.tgid, tid = host_pid ? 0 : dir.tid;
	/* the check readlink makes (a process passes it for its own) */
	int permitted, rc;
	if (!host_pid && (rc = pl_builtin_decide(src, c, tgid, tid, PL_G_FD_LINK, &permitted)) < 0)
		return rc;
	struct pl_object obj;
	rc = fd >= 0 ? stat_object(src, tgid, tid, -1, fd, name, &obj) : -ENOENT;
	if (rc == -ENOENT) { /* not the fd last read: the first that names it */
		struct pl_task *t;
		if ((rc = pl_builtin_load(src, tgid, tid, PL_F_FDS, &t)) < 0)
			return rc == -ESRCH ? -ENOENT : rc;
		int found = -1;
		for (size_t i = 0; i < t->nfds && found < 0; i++)
			if (t->fds[i].fd < FD_MAX && t->fds[i].target && strcmp(t->fds[i].target, name) == 0)
				found = t->fds[i].fd;
		fd = found;
		rc = fd >= 0 ? stat_object(src, tgid, tid, -1, fd, name, &obj) : -ENOENT;
	}
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	int kind = own ? OBJ_OWN_FD : OBJ_FD;
	object_attr(&obj, make_obj_ino(host_pid ? host_pid : pid_of(dir), kind, fd),
	            own && S_ISFIFO(obj.mode), out);
	return 0;
}

int tree_object_lookup_ns(struct pl_tree *k, struct pl_caller *c, struct node dir,
                          uint32_t first, uint32_t n, const char *name, struct pl_attr *out)
{
	if (!pl_link_names_object(name))
		return -ENOENT;
	const struct pl_layout *l = k->layout;
	int denied = 0;
	for (uint32_t i = first; i < first + n; i++) {
		const struct pl_entry *e = &l->entries[i];
		int ns = e->gen - PL_G_NS_FIRST;
		if (e->kind != PL_K_LINK || ns < 0 || ns >= PL_NS_COUNT ||
		    !pl_entry_visible(e, dir.tid != 0))
			continue;
		size_t tl = strlen(pl_ns_types[ns]);
		if (strncmp(name, pl_ns_types[ns], tl) != 0 || name[tl] != ':')
			continue;
		int permitted;
		int rc = pl_builtin_decide(k->src, c, dir.tgid, dir.tid, e->gen, &permitted);
		if (rc < 0) {
			denied = rc;
			continue;
		}
		struct pl_object obj;
		rc = stat_object(k->src, dir.tgid, dir.tid, ns, -1, name, &obj);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc == -ESRCH ? -ENOENT : rc;
		object_attr(&obj, make_obj_ino(pid_of(dir), OBJ_NS, ns), 0, out);
		return 0;
	}
	return denied ? denied : -ENOENT;
}

/* ------------------------------------------------------------------------
** attributes, links, handles
*/

int tree_object_getattr(struct pl_tree *k, struct node n, struct pl_attr *out)
{
	int kind = obj_kind(n), arg = obj_arg(n);
	struct pl_source *src = source_of(k, kind);
	if (kind == OBJ_OWN_LINK)
		return k->host ? own_link_attr(k, n.tid, arg, out) : -ENOENT;
	if (kind == OBJ_NS && arg >= PL_NS_COUNT)
		return -ENOENT;
	pl_pid tgid, tid;
	int rc = task_of(src, n.tid, &tgid, &tid);
	if (rc < 0)
		return rc;
	struct pl_object obj;
	rc = stat_object(src, tgid, tid, kind == OBJ_NS ? arg : -1, arg, NULL, &obj);
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	object_attr(&obj, make_ino(0, n.tid, n.slot), kind == OBJ_OWN_FD && S_ISFIFO(obj.mode), out);
	return 0;
}

int tree_object_readlink(struct pl_tree *k, struct pl_caller *c, struct node n, struct pl_buf *out)
{
	if (obj_kind(n) != OBJ_OWN_LINK || !k->host)
		return -EINVAL;
	/* a world's caller's own fd/N: reachable by it alone (lookups in its
	** fd/ are never cached), and read as the host's rule has it */
	int permitted;
	int rc = pl_builtin_decide(k->host, c, n.tid, 0, PL_G_FD_LINK, &permitted);
	struct pl_fd f;
	if (rc == 0)
		rc = pl_source_load_fd(k->host, n.tid, 0, obj_arg(n), &pl_scratch()->arena, &f);
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	if (!f.target)
		return -f.err;
	tree_object_note_fd(c->pid, obj_arg(n), 1);
	pl_buf_puts(out, f.target);
	return pl_buf_status(out);
}

/* How `flags` asks to use a file, as a PL_MAY_* mask. */
static int may_mask(int flags)
{
	int acc = flags & O_ACCMODE;
	return acc == O_RDONLY ? PL_MAY_READ : acc == O_WRONLY ? PL_MAY_WRITE : PL_MAY_READ | PL_MAY_WRITE;
}

/* The daemon's own open of the pipe a caller's fd names: how
** open_host_file opens it (non-blocking: a FIFO's open waits for a peer,
** and the relay never blocks a worker). */
static int open_pipe(void *arg, int dirfd, const char *path, int flags)
{
	(void)arg;
	int fd = openat(dirfd, path, flags);
	return fd < 0 ? -errno : fd;
}

int tree_object_open(struct pl_tree *k, struct pl_caller *c, struct node n, int flags,
                     struct pl_file *f)
{
	struct pl_attr a;
	int rc = tree_object_getattr(k, n, &a);
	if (rc < 0)
		return rc;
	int kind = obj_kind(n);
	if (kind == OBJ_OWN_LINK)
		return -ELOOP;
	/* the object's own mode bits, as may_open checks them */
	if ((rc = pl_dac_permission(c, a.mode & 07777, a.uid, a.gid, 0, may_mask(flags))) < 0)
		return rc;
	if (kind == OBJ_NS) {
		f->object = PL_OBJECT_NS;
		f->made = 1;
		return 0;
	}
	if (kind != OBJ_OWN_FD || !S_ISREG(a.mode) || a.shown_ino == 0)
		return -ENXIO; /* an anonymous inode: Linux's open of one fails so */
	/* a caller's own pipe: the daemon's own open of it, checked to be the
	** same pipe (the fd may have changed since the lookup) */
	struct pl_source *src = source_of(k, kind);
	pl_pid tgid, tid;
	if ((rc = task_of(src, n.tid, &tgid, &tid)) < 0)
		return rc;
	if (!src->ops->open_host_file)
		return -ENXIO;
	/* the pin is the task's only while its fd is opened (it is the source's
	** own, a world's host one: the handle keeps none) */
	struct pl_pin pin;
	if ((rc = pl_source_pin(src, tgid, tid, PL_PIN_TASK, &pin)) < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	char name[32];
	snprintf(name, sizeof name, "fd/%d", obj_arg(n));
	int fd = src->ops->open_host_file(src, &pin, name,
	                                  (flags & O_ACCMODE) | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
	                                  open_pipe, NULL);
	pl_source_unpin(src, &pin);
	if (fd < 0)
		return fd == -ESRCH ? -ENOENT : fd;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode) || st.st_ino != a.shown_ino) {
		close(fd);
		return -ENOENT;
	}
	f->real_fd = fd;
	f->object = PL_OBJECT_RELAY;
	f->made = 1;
	return 0;
}

ssize_t tree_object_read(struct pl_file *f, char *buf, size_t size)
{
	if (f->object != PL_OBJECT_RELAY)
		return -EINVAL; /* nsfs has no read */
	ssize_t n = read(f->real_fd, buf, size);
	return n < 0 ? -errno : n;
}

ssize_t tree_object_write(struct pl_file *f, const char *buf, size_t len)
{
	if (f->object != PL_OBJECT_RELAY)
		return -EINVAL;
	ssize_t n = write(f->real_fd, buf, len);
	return n < 0 ? -errno : n;
}

/*
** ioctl(2) on an opened namespace (nsfs's ns_ioctl): NS_GET_NSTYPE is its
** CLONE_NEW* type.  NS_GET_USERNS and NS_GET_PARENT would hand the caller
** a new fd on another namespace, which no FUSE reply can: EPERM, what the
** kernel says of a namespace outside the caller's reach (lsns and other
** callers take it so and go on).  NS_GET_OWNER_UID writes through its
** argument, which a FUSE ioctl of its encoding (no size) cannot: ENOTTY
** for a user namespace, EINVAL for others as the kernel's.
*/
int tree_object_ioctl(const struct pl_file *f, unsigned cmd)
{
	static const int types[PL_NS_COUNT] = {
		[PL_NS_NET] = CLONE_NEWNET, [PL_NS_UTS] = CLONE_NEWUTS, [PL_NS_IPC] = CLONE_NEWIPC,
		[PL_NS_PID] = CLONE_NEWPID, [PL_NS_PID_FOR_CHILDREN] = CLONE_NEWPID,
		[PL_NS_USER] = CLONE_NEWUSER, [PL_NS_MNT] = CLONE_NEWNS,
		[PL_NS_CGROUP] = CLONE_NEWCGROUP, [PL_NS_TIME] = CLONE_NEWTIME,
		[PL_NS_TIME_FOR_CHILDREN] = CLONE_NEWTIME,
	};
	struct node n = decode(f->ino);
	if (f->object != PL_OBJECT_NS || obj_arg(n) >= PL_NS_COUNT)
		return -ENOTTY;
	int ns = obj_arg(n);
	switch (cmd) {
	case NS_GET_NSTYPE:
		return types[ns];
	case NS_GET_USERNS:
	case NS_GET_PARENT:
		return -EPERM;
	case NS_GET_OWNER_UID:
		return ns == PL_NS_USER ? -ENOTTY : -EINVAL;
	default:
		return -ENOTTY;
	}
}
