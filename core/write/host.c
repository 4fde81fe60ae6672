/*
** A host task's file, written by the kernel.
**
** The daemon runs as root; a write through the mount may do only what the
** kernel lets the caller do.  So the real file is opened by a short-lived
** child process holding the opener's credentials whole, and written by
** one holding the writer's: the kernel makes every check it makes (the
** mode bits at open, the ptrace and namespace checks of the open and write
** methods, the capability a value needs) for them, and its count or errno
** goes back to the caller unchanged.  Linux judges an open by the
** opener's credentials and a write by the writer's (`current`) and by the
** opener's kept with the file (f_cred): the child that writes is `current`,
** the fd it writes through carries the opener's child's f_cred.
**
** The credentials are the caller's as pl_caller_creds reads them: real,
** effective, saved and filesystem ids, supplementary groups, the
** inheritable, permitted and effective capabilities, and the user
** namespace.  Securebits, no_new_privs, seccomp and the bounding and
** ambient sets are not taken: they change what exec and later credential
** changes do, not what an open or a write is allowed.  Neither is the
** caller's LSM label (AppArmor, SELinux): the child keeps the daemon's.
**
** A caller whose credentials are the daemon's own (root of the top
** namespace with every capability, as most of the daemon's root callers
** are) needs no child: the daemon opens and writes itself, with exactly
** those credentials.  comm always takes a child: the daemon writing its
** own comm would rename itself where Linux refuses the caller (below).
**
** A sys/ setting (no task) is opened and written the same way, and in
** the caller's namespaces as well: Linux finds a net.* setting in the
** network namespace of the process that opens it, kernel.pid_max in its
** pid namespace and user.* in its user namespace, and kernel.hostname
** is the UTS namespace's of the process that writes.  So the child enters
** the opener's network, UTS and pid namespaces (the pid namespace by a
** second fork: setns gives it to children only) before it takes the
** credentials and user namespace, and the child that writes enters the
** writer's UTS namespace: a write lands where the caller's own would, and
** is judged there (net_ctl_permissions, set_permissions and
** pid_table_root_permissions ask for capabilities over the namespace that
** holds the setting).  A caller the daemon cannot name (outside its pid
** namespace) is a stranger in the daemon's own namespaces.
**
** mem is opened by the daemon: the ptrace ATTACH check Linux's mem_open
** makes was made for the opener by the tree (pl_builtin_decide, before
** the open for writing goes on), and Linux's mem_rw checks nothing of the
** writer: it writes the address space the open took.  The daemon's fd is
** the pin's own (pl_pin with PL_PIN_MM_WRITE), opened before that
** decision: an exec between the two leaves the fd on the old address
** space, which then takes no more writes, so the decision can never cover
** an address space that came after it.
*/
#include "write/write.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* 32-bit ABIs keep 16-bit ids under the old names. */
#ifdef SYS_setresuid32
#define NR_SETGROUPS SYS_setgroups32
#define NR_SETRESUID SYS_setresuid32
#define NR_SETRESGID SYS_setresgid32
#define NR_SETFSUID SYS_setfsuid32
#define NR_SETFSGID SYS_setfsgid32
#else
#define NR_SETGROUPS SYS_setgroups
#define NR_SETRESUID SYS_setresuid
#define NR_SETRESGID SYS_setresgid
#define NR_SETFSUID SYS_setfsuid
#define NR_SETFSGID SYS_setfsgid
#endif

/* ------------------------------------------------------------------------
** Capabilities, raw (the child calls nothing but system calls).
*/

struct capsets {
	uint64_t inh, prm, eff;
};

static int get_caps(struct capsets *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	return 0;
}

static int set_caps(const struct capsets *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)c->eff, (uint32_t)c->prm, (uint32_t)c->inh },
		{ (uint32_t)(c->eff >> 32), (uint32_t)(c->prm >> 32), (uint32_t)(c->inh >> 32) },
	};
	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* ------------------------------------------------------------------------
** The daemon's own credentials, read once: a caller holding exactly these
** is served by the daemon itself.
*/

static struct {
	uint32_t uid[4], gid[4];
	struct capsets caps;
	gid_t *groups;
	int ngroups;
	int ok;
} me;
static pthread_once_t me_once = PTHREAD_ONCE_INIT;

static void read_me(void)
{
	uid_t u[3];
	gid_t g[3];
	if (getresuid(&u[0], &u[1], &u[2]) < 0 || getresgid(&g[0], &g[1], &g[2]) < 0 ||
	    get_caps(&me.caps) < 0)
		return;
	for (int i = 0; i < 3; i++) {
		me.uid[i] = u[i];
		me.gid[i] = g[i];
	}
	me.uid[3] = (uint32_t)syscall(NR_SETFSUID, -1); /* an invalid id: answers the current */
	me.gid[3] = (uint32_t)syscall(NR_SETFSGID, -1);
	int n = getgroups(0, NULL);
	if (n < 0 || !(me.groups = calloc((size_t)n + 1, sizeof *me.groups)) ||
	    (n = getgroups(n, me.groups)) < 0)
		return;
	me.ngroups = n;
	me.ok = 1;
}

/* ------------------------------------------------------------------------
** The caller's namespaces that hold sys/ settings, where they are not the
** daemon's own (-1: the daemon's).
*/

struct nsfds {
	int net, uts, pid, ipc;
};

#define NS_NONE { -1, -1, -1, -1 }

static void nsfds_close(struct nsfds *ns)
{
	int *fd[4] = { &ns->net, &ns->uts, &ns->pid, &ns->ipc };
	for (int i = 0; i < 4; i++)
		if (*fd[i] >= 0) {
			close(*fd[i]);
			*fd[i] = -1;
		}
}

/* The caller's namespace `name` (ns/net ...), or -1 where it is the
** daemon's thread's own; -errno if it cannot be read. */
static int caller_ns(pl_pid tid, const char *name)
{
	char path[64];
	struct stat mine, theirs;
	snprintf(path, sizeof path, "/proc/thread-self/ns/%s", name);
	if (stat(path, &mine) < 0)
		return -errno;
	snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)tid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (fstat(fd, &theirs) < 0 || (theirs.st_ino == mine.st_ino && theirs.st_dev == mine.st_dev)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The namespaces of c that a sys/ setting's open (all four) or write
** (the UTS namespace: kernel.hostname is looked up at the write) takes
** place in.  A caller the daemon cannot name has none of its own. */
static int caller_nsfds(struct pl_caller *c, int opening, struct nsfds *out)
{
	*out = (struct nsfds)NS_NONE;
	if (c->pid <= 0)
		return 0;
	const char *names[4] = { "net", "uts", "pid", "ipc" };
	int *fds[4] = { &out->net, &out->uts, &out->pid, &out->ipc };
	for (int i = 0; i < 4; i++) {
		if (!opening && i != 1)
			continue;
		int fd = caller_ns(c->pid, names[i]);
		if (fd < -1) {
			nsfds_close(out);
			return fd;
		}
		*fds[i] = fd;
	}
	return 0;
}

static int is_me(const struct pl_creds *cr, const struct nsfds *ns)
{
	if (ns && (ns->net >= 0 || ns->uts >= 0 || ns->pid >= 0 || ns->ipc >= 0))
		return 0;
	if (cr->self)
		return 1;
	pthread_once(&me_once, read_me);
	if (!me.ok || cr->userns_fd >= 0 || memcmp(cr->uid, me.uid, sizeof me.uid) ||
	    memcmp(cr->gid, me.gid, sizeof me.gid) || cr->cap_inh != me.caps.inh ||
	    cr->cap_prm != me.caps.prm || cr->cap_eff != me.caps.eff ||
	    cr->ngroups != (size_t)me.ngroups)
		return 0;
	for (size_t i = 0; i < cr->ngroups; i++)
		if (cr->groups[i] != me.groups[i])
			return 0;
	return 1;
}

/* ------------------------------------------------------------------------
** The child.  Forked from a multithreaded daemon, it makes system calls
** only (no allocation, no lock, no stdio), and reports once.
*/

/*
** Take cr whole.  As root of the top namespace it sets the groups (a
** user namespace may deny setgroups to its own, not to the top), then
** the gids and, keeping its capabilities across the change of uid, the
** uids; with those capabilities raised again it sets the filesystem uid
** and enters the caller's user namespace (which wants CAP_SYS_ADMIN over
** it, and a single-threaded process: a forked one, never a CLONE_VM one).
** Entering gives every capability in that namespace; the caller's sets
** are then taken exactly.  Ids unmapped in the caller's namespace (one
** made by unshare -U whose maps are not written yet) are set while in the
** top, where every id is mapped, and kept as they are on entering.
*/
static int become(const struct pl_creds *cr)
{
	struct capsets now = { 0, 0, 0 }, want = { cr->cap_inh, cr->cap_prm, cr->cap_eff };
	if (syscall(NR_SETGROUPS, cr->ngroups, cr->groups) < 0 ||
	    syscall(NR_SETRESGID, cr->gid[0], cr->gid[1], cr->gid[2]) < 0)
		return -errno;
	syscall(NR_SETFSGID, cr->gid[3]);
	if ((uint32_t)syscall(NR_SETFSGID, -1) != cr->gid[3])
		return -EPERM;
	if (syscall(SYS_prctl, PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    syscall(NR_SETRESUID, cr->uid[0], cr->uid[1], cr->uid[2]) < 0)
		return -errno;
	int rc = get_caps(&now);
	if (rc < 0)
		return rc;
	now.eff = now.prm; /* the change of uid cleared the effective set */
	if ((rc = set_caps(&now)) < 0)
		return rc;
	syscall(NR_SETFSUID, cr->uid[3]);
	if ((uint32_t)syscall(NR_SETFSUID, -1) != cr->uid[3])
		return -EPERM;
	if (cr->userns_fd >= 0 && syscall(SYS_setns, cr->userns_fd, CLONE_NEWUSER) < 0)
		return -errno;
	rc = set_caps(&want);
	if (rc < 0 && cr->userns_fd < 0) {
		/* the daemon holds less than the caller: what of the caller's
		** it holds, never more */
		want.prm &= now.prm;
		want.eff &= want.prm;
		want.inh &= now.inh | now.prm;
		rc = set_caps(&want);
	}
	return rc;
}

/*
** A write at off, as the caller's write at its file position is.  A
** seq_file (comm, uid_map, gid_map, setgroups) takes no pwrite (ESPIPE):
** its position is set, then written at (the tree serializes the writes
** of one handle, as Linux's f_pos lock does).
*/
static long long write_at(int fd, const char *buf, size_t len, off_t off)
{
	long rc = syscall(SYS_pwrite64, fd, buf, len, off);
	if (rc < 0 && errno == ESPIPE) {
		rc = syscall(SYS_lseek, fd, off, SEEK_SET);
		if (rc >= 0)
			rc = syscall(SYS_write, fd, buf, len);
	}
	return rc < 0 ? -errno : rc;
}

/* What a child reads of a sys/ setting for its caller, at most: the
** longest setting's text is a page. */
#define READ_MAX 4096

struct job {
	const struct pl_creds *cr;
	const struct nsfds *ns;    /* namespaces to enter first; NULL: none */
	char *out;                 /* an open that reads: what was read, into out */
	size_t out_cap;
	/* an open of path under dirfd, or a write through fd */
	int dirfd;
	const char *path;
	int flags;
	int fd;
	const char *buf;
	size_t len;
	off_t off;
};

/* The result, a count or -errno, and len bytes of data; with pass_fd >=
** 0, that fd too (SCM_RIGHTS). */
static void report(int sock, long long result, int pass_fd, const void *data, size_t len)
{
	struct iovec iov[2] = { { &result, sizeof result }, { (void *)data, len } };
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	if (pass_fd >= 0) {
		msg.msg_control = u.space;
		msg.msg_controllen = sizeof u.space;
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		*(int *)(void *)CMSG_DATA(c) = pass_fd;
	}
	syscall(SYS_sendmsg, sock, &msg, MSG_NOSIGNAL);
}

/* Close every fd but the `n` of keep (ascending; negative ones skipped). */
static void close_all_but(const int *keep, int n)
{
	unsigned first = 0;
	for (int i = 0; i < n; i++) {
		if (keep[i] < 0 || (unsigned)keep[i] < first)
			continue;
		if ((unsigned)keep[i] > first)
			syscall(SYS_close_range, first, (unsigned)keep[i] - 1, 0);
		first = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, first, ~0u, 0);
}

static void sort_fds(int *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && v[k - 1] > v[k]; k--) {
			int t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
}

/*
** Enter the namespaces a sys/ setting lives in, as root of the top
** namespace still (setns wants CAP_SYS_ADMIN over each): the network and
** UTS namespaces at once, the pid namespace for the children only, so a
** grandchild does the rest and this child waits for it (and dies with
** it: the grandchild dies with this child, PR_SET_PDEATHSIG).  0 in the
** process that goes on, 1 in one that is done, -errno.
*/
static int enter_namespaces(const struct nsfds *ns)
{
	if (ns->net >= 0 && syscall(SYS_setns, ns->net, CLONE_NEWNET) < 0)
		return -errno;
	if (ns->uts >= 0 && syscall(SYS_setns, ns->uts, CLONE_NEWUTS) < 0)
		return -errno;
	if (ns->ipc >= 0 && syscall(SYS_setns, ns->ipc, CLONE_NEWIPC) < 0)
		return -errno;
	if (ns->pid < 0)
		return 0;
	if (syscall(SYS_setns, ns->pid, CLONE_NEWPID) < 0)
		return -errno;
	long pid = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid < 0)
		return -errno;
	if (pid == 0)
		return syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 ? -errno : 0;
	while (syscall(SYS_wait4, pid, NULL, 0, NULL) < 0 && errno == EINTR)
		;
	return 1;
}

/*
** The child holds only what it needs: its copy of the daemon's fds is
** closed (but the file it opens under or writes through, the caller's
** namespace and its socket), and it is not dumpable before its ids become
** the caller's (commit_creds makes it so anyway, fs.suid_dumpable 0 or 2
** provided): a caller may not ptrace it, read its memory (a copy of the
** daemon's) or take its fds.  It may signal it, being its owner: a stop
** costs the daemon the wait's bound, no more (run_child).
*/
static void child(const struct job *j, int sock)
{
	const struct nsfds none = NS_NONE, *ns = j->ns ? j->ns : &none;
	int keep[7] = { sock, j->path ? j->dirfd : j->fd, j->cr->userns_fd, ns->net, ns->uts, ns->pid,
	                ns->ipc };
	sort_fds(keep, 7);
	close_all_but(keep, 7);
	syscall(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
	long long rc = enter_namespaces(ns);
	if (rc > 0) /* its grandchild did the work */
		syscall(SYS_exit_group, 0);
	if (rc == 0 && !j->cr->self)
		rc = become(j->cr);
	if (rc == 0 && j->path && j->out) {
		char data[READ_MAX];
		long long n = 0;
		rc = syscall(SYS_openat, j->dirfd, j->path, j->flags, 0);
		while (rc >= 0 && n < (long long)sizeof data) {
			long got = syscall(SYS_read, (int)rc, data + n, sizeof data - (size_t)n);
			if (got < 0)
				n = -errno;
			if (got <= 0)
				break;
			n += got;
		}
		if (rc < 0)
			n = -errno;
		report(sock, n, -1, data, n > 0 ? (size_t)n : 0);
	} else if (rc == 0 && j->path) {
		rc = syscall(SYS_openat, j->dirfd, j->path, j->flags, 0);
		if (rc < 0)
			rc = -errno;
		report(sock, rc < 0 ? rc : 0, rc < 0 ? -1 : (int)rc, NULL, 0);
	} else if (rc == 0) {
		report(sock, write_at(j->fd, j->buf, j->len, j->off), -1, NULL, 0);
	} else {
		/* could not be the caller: refused, as a stranger */
		report(sock, -EACCES, -1, NULL, 0);
	}
	syscall(SYS_exit_group, 0);
}

/* How long a child may take: opening or writing a task's file takes no
** time to speak of; a child that has not answered by then was stopped
** (by its caller, who may signal it) and is ended. */
#define CHILD_TIMEOUT_MS 5000

/*
** fs.suid_dumpable 1 ("debug") leaves a process dumpable through changes
** of its ids: the child would be open to its caller's ptrace, with a copy
** of the daemon's memory.  No child then.
*/
static int children_safe(void)
{
	char text[8];
	int fd = open("/proc/sys/fs/suid_dumpable", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text);
	if (fd >= 0)
		close(fd);
	return n > 0 && (text[0] == '0' || text[0] == '2');
}

/*
** Run j in a child and collect its result (and, for an open, the fd).  The
** child is made by the raw clone system call, as fork makes it but
** without the C library's fork handlers (it runs no library code); every
** signal stays blocked in it, so none of the daemon's handlers runs there.
*/
static long long run_child(const struct job *j, int *fd_out)
{
	int sv[2];
	if (!children_safe())
		return -EACCES;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	long pid = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid == 0)
		child(j, sv[1]);
	int err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return -err;
	}
	long long result = -EIO; /* the child died without a word */
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov[2] = { { &result, sizeof result }, { j->out, j->out_cap } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = j->out ? 2 : 1,
	                      .msg_control = u.space, .msg_controllen = sizeof u.space };
	struct pollfd pfd = { sv[0], POLLIN, 0 };
	int ready;
	while ((ready = poll(&pfd, 1, CHILD_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	ssize_t n = -1;
	if (ready > 0) {
		while ((n = recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
			;
	} else {
		kill((pid_t)pid, SIGKILL); /* our own child, not reaped yet */
		result = -EINTR;
	}
	if (ready > 0 && (n < (ssize_t)sizeof result ||
	                  (result >= 0 && j->out ? n != (ssize_t)sizeof result + result
	                                         : n != (ssize_t)sizeof result)))
		result = -EIO;
	struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	int fd = -1;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		fd = *(int *)(void *)CMSG_DATA(c);
	close(sv[0]);
	while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (fd_out)
		*fd_out = fd;
	else if (fd >= 0)
		close(fd);
	return result;
}

/* ------------------------------------------------------------------------
** Opening and writing.
*/

/* Who opens: the credentials, and the namespaces (NULL: none) */
struct opener {
	const struct pl_creds *cr;
	const struct nsfds *ns;
};

static int open_as(void *arg, int dirfd, const char *path, int flags)
{
	const struct opener *o = arg;
	if (is_me(o->cr, o->ns)) {
		int fd = openat(dirfd, path, flags);
		return fd < 0 ? -errno : fd;
	}
	struct job j = { .cr = o->cr, .ns = o->ns, .dirfd = dirfd, .path = path, .flags = flags,
	                 .fd = -1 };
	int fd = -1;
	long long rc = run_child(&j, &fd);
	if (rc < 0 || fd < 0) {
		if (fd >= 0)
			close(fd);
		return rc < 0 ? (int)rc : -EIO;
	}
	return fd;
}

int pl_write_host_open(struct pl_source *src, const struct pl_pin *p, const char *name,
                       int flags, struct pl_caller *opener)
{
	if (p && strcmp(name, "mem") == 0) {
		/* the pin's own fd, opened for writing before the decision (above);
		** none: the daemon itself was refused the address space */
		if (p->mm_fd < 0)
			return -EACCES;
		int fd = fcntl(p->mm_fd, F_DUPFD_CLOEXEC, 0);
		return fd < 0 ? -errno : fd;
	}
	if (!src->ops->open_host_file)
		return -EACCES;
	struct pl_creds cr;
	int rc = pl_caller_creds(opener, &cr);
	if (rc < 0)
		return rc;
	/* the access mode, and O_TRUNC for what the kernel does with it (procfs's
	** setattr); the caller's other flags act on its own file, not this one */
	flags = (flags & (O_ACCMODE | O_TRUNC)) | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
	struct nsfds ns = NS_NONE;
	if (!p && (rc = caller_nsfds(opener, 1, &ns)) < 0) {
		pl_creds_release(&cr);
		return rc;
	}
	struct opener o = { &cr, p ? NULL : &ns };
	rc = src->ops->open_host_file(src, p, name, flags, open_as, &o);
	nsfds_close(&ns);
	pl_creds_release(&cr);
	return rc;
}

/*
** comm: Linux's comm_write renames the task only for a writer of its own
** thread group (same_thread_group(current, task)), which a child never is,
** and root has no other way to set another process's name (prctl's
** PR_SET_NAME names the caller itself; only ptrace could make the task
** rename itself).  So a writer of the task's own group, which the kernel
** would let rename it, gets EOPNOTSUPP: the write cannot be carried out,
** and is not pretended.  Any other writer gets what the kernel gives it
** (EINVAL), from a child as for every file.
*/
static int writes_own_comm(const struct pl_pin *p, const char *name, struct pl_caller *writer)
{
	return strcmp(name, "comm") == 0 && pl_caller_load(writer) == 0 && writer->tgid == p->tgid;
}

/* The writer is the task the file names (Linux's current == task): the
** thread, or for a thread group's file its leader. */
static int writer_is_task(const struct pl_pin *p, const struct pl_caller *writer)
{
	return writer->pid > 0 && writer->pid == (p->tid ? p->tid : p->tgid);
}

/*
** loginuid: proc_loginuid_write sets the loginuid of the writer itself
** (audit_set_loginuid works on current) and refuses anyone else (EPERM),
** which a child always is.  So the task writing its own gets EOPNOTSUPP,
** as for comm: the kernel would let it, the daemon cannot do it for it.
** It is written by a child always, so the daemon never sets its own.
**
** timerslack_ns: the task writing its own is asked nothing by the kernel
** (timerslack_ns_write checks CAP_SYS_NICE only of another writer), so the
** daemon writes it: what is set is what the task's own write would set.
*/
static int writes_own_loginuid(const struct pl_pin *p, const char *name,
                               const struct pl_caller *writer)
{
	return strcmp(name, "loginuid") == 0 && writer_is_task(p, writer);
}

/* attr/: proc_pid_attr_write takes only the task's own writes (the opener's
** mm its own, then current the task, EPERM and EACCES before), which a child
** never makes, and what a write then does is the security module's; so a
** writer of the task's own group gets EOPNOTSUPP, any other the kernel's
** refusal, from a child. */
static int writes_own_attr(const struct pl_pin *p, const char *name, struct pl_caller *writer)
{
	return strncmp(name, "attr/", 5) == 0 && pl_caller_load(writer) == 0 &&
	       writer->tgid == p->tgid;
}

static int sets_own_slack(const struct pl_pin *p, const char *name, const struct pl_caller *writer)
{
	return strcmp(name, "timerslack_ns") == 0 && writer_is_task(p, writer);
}

ssize_t pl_write_host(const struct pl_pin *p, int fd, const char *name,
                      struct pl_caller *writer, const char *buf, size_t len, uint64_t off)
{
	if (p && strcmp(name, "mem") == 0) {
		/* mem_rw: the count, short at the first page it cannot write, EIO
		** if that is the first, 0 once the address space is gone */
		ssize_t n = pwrite(fd, buf, len, (off_t)off);
		return n < 0 ? -errno : n;
	}
	if (p && (writes_own_comm(p, name, writer) || writes_own_loginuid(p, name, writer) ||
	          writes_own_attr(p, name, writer)))
		return -EOPNOTSUPP;
	if (p && sets_own_slack(p, name, writer)) {
		ssize_t n = (ssize_t)write_at(fd, buf, len, (off_t)off);
		return n;
	}
	struct pl_creds cr;
	int rc = pl_caller_creds(writer, &cr);
	if (rc < 0)
		return rc;
	struct nsfds ns = NS_NONE;
	if (!p && (rc = caller_nsfds(writer, 0, &ns)) < 0) {
		pl_creds_release(&cr);
		return rc;
	}
	ssize_t n;
	if (is_me(&cr, &ns) &&
	    !(p && (strcmp(name, "comm") == 0 || strcmp(name, "loginuid") == 0))) {
		n = (ssize_t)write_at(fd, buf, len, (off_t)off);
	} else {
		struct job j = { .cr = &cr, .ns = p ? NULL : &ns, .fd = fd, .buf = buf, .len = len,
		                 .off = (off_t)off };
		n = (ssize_t)run_child(&j, NULL);
	}
	nsfds_close(&ns);
	pl_creds_release(&cr);
	return n;
}

/* What a child needs to act as reader: its credentials and namespaces
** (both released by the caller on success); 0 or -errno. */
static int reader_creds(struct pl_caller *reader, struct pl_creds *cr, struct nsfds *ns)
{
	int rc = pl_caller_creds(reader, cr);
	if (rc < 0)
		return rc;
	*ns = (struct nsfds)NS_NONE;
	if ((rc = caller_nsfds(reader, 1, ns)) < 0)
		pl_creds_release(cr);
	return rc;
}

/* ------------------------------------------------------------------------
** Reading a sys/ setting as a caller in namespaces of its own sees it.
*/

struct reader {
	const struct pl_creds *cr;
	const struct nsfds *ns;
	char *buf;
	size_t cap;
};

static int read_as(void *arg, int dirfd, const char *path, int flags)
{
	const struct reader *r = arg;
	struct job j = { .cr = r->cr, .ns = r->ns, .dirfd = dirfd, .path = path, .flags = flags,
	                 .fd = -1, .out = r->buf, .out_cap = r->cap };
	long long n = run_child(&j, NULL);
	return n < 0 ? (int)n : (int)(n < (long long)r->cap ? n : (long long)r->cap);
}

ssize_t pl_host_read_setting(struct pl_source *src, const char *path, int ns_kind,
                             struct pl_caller *reader, char *buf, size_t cap)
{
	if (!src->ops->open_host_file || reader->pid <= 0 || ns_kind == PL_SYSCTL_NS_NONE)
		return -EAGAIN;
	/* most readers share the daemon's namespaces: one look says so */
	const char *kind = ns_kind == PL_SYSCTL_NS_NET ? "net" : ns_kind == PL_SYSCTL_NS_UTS ? "uts"
	                 : ns_kind == PL_SYSCTL_NS_PID ? "pid" : ns_kind == PL_SYSCTL_NS_IPC ? "ipc"
	                 : "user";
	int own = caller_ns(reader->pid, kind);
	if (own < -1)
		return own;
	if (own == -1)
		return -EAGAIN;
	close(own);
	struct pl_creds cr;
	struct nsfds ns;
	int rc = reader_creds(reader, &cr, &ns);
	if (rc < 0)
		return rc;
	struct reader r = { &cr, &ns, buf, cap < READ_MAX ? cap : READ_MAX };
	ssize_t n = src->ops->open_host_file(src, NULL, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW,
	                                     read_as, &r);
	nsfds_close(&ns);
	pl_creds_release(&cr);
	return n;
}

/* ------------------------------------------------------------------------
** Opening a machine-wide file the kernel makes for its opener's
** namespaces (sysvipc/: ipc/util.c's sysvipc_proc_open takes the opener's
** IPC and pid namespaces, and seq_user_ns its credentials' user
** namespace, which the kernel names ids in at each read).
*/

int pl_host_open_as_reader(struct pl_source *src, const char *path, struct pl_caller *reader)
{
	if (!src->ops->open_host_file || reader->pid <= 0)
		return -EAGAIN;
	static const char *const kinds[] = { "ipc", "pid", "user" };
	int shared = 1;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		int own = caller_ns(reader->pid, kinds[i]);
		if (own < -1)
			return own;
		if (own >= 0) {
			close(own);
			shared = 0;
		}
	}
	if (shared)
		return -EAGAIN;
	struct pl_creds cr;
	struct nsfds ns;
	int rc = reader_creds(reader, &cr, &ns);
	if (rc < 0)
		return rc;
	struct opener o = { &cr, &ns };
	rc = src->ops->open_host_file(src, NULL, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, open_as, &o);
	nsfds_close(&ns);
	pl_creds_release(&cr);
	return rc;
}
