/*
** The FUSE low-level operations: each turns one request into one tree
** call and sends exactly one reply.  The caller's identity comes from
** fuse_req_ctx and travels into every permission decision.  A request on
** an inode works in the generation current when it came; one on an open
** handle in the generation that opened it (served.c).
**
** Timeouts follow what can change (see entry_ttl below).
*/

#include "pl_fuse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree/tree.h"

static struct pl_generation *enter(fuse_req_t req)
{
	return pl_served_enter(fuse_req_userdata(req));
}

static struct pl_tree *file_tree(const struct pl_file *f)
{
	return &((struct pl_generation *)f->owner)->tree;
}

/*
** Node ids.  The tree's inode numbers put the tgid in the high bits (node.h),
** and the kernel hashes a FUSE inode by its node id in a way that keeps
** mostly the low bits: a world of 100,000 tasks then fills few hash chains
** and every lookup walks a long one.  So the node id is the inode number
** mixed by a bijection (an odd multiplier, then folding the high half into
** the low), with 1, the root's id in both, kept in place by swapping it
** with whatever would have mapped there.  st_ino stays the inode number.
*/
#define NODE_MUL 0x9E3779B97F4A7C15ull
#define NODE_MUL_INV 0xF1DE83E19937733Dull /* NODE_MUL * NODE_MUL_INV == 1 mod 2^64 */

static uint64_t mix(uint64_t x)
{
	x *= NODE_MUL;
	return x ^ (x >> 32);
}

static uint64_t unmix(uint64_t y)
{
	y ^= y >> 32; /* its own inverse */
	return y * NODE_MUL_INV;
}

fuse_ino_t pl_fuse_node(uint64_t ino)
{
	if (ino == FUSE_ROOT_ID)
		return FUSE_ROOT_ID;
	uint64_t n = mix(ino);
	return n == FUSE_ROOT_ID ? mix(FUSE_ROOT_ID) : n;
}

static uint64_t ino_of(fuse_ino_t node)
{
	if (node == FUSE_ROOT_ID)
		return FUSE_ROOT_ID;
	uint64_t i = unmix(node);
	return i == FUSE_ROOT_ID ? unmix(FUSE_ROOT_ID) : i;
}

static struct pl_caller caller_of(fuse_req_t req)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct pl_caller c;
	pl_caller_init(&c, (pl_pid)ctx->pid, ctx->uid, ctx->gid);
	return c;
}

static void to_stat(const struct pl_tree *k, const struct pl_attr *a, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_ino = a->shown_ino ? a->shown_ino : a->ino;
	st->st_mode = a->mode;
	st->st_nlink = a->nlink;
	st->st_uid = a->uid;
	st->st_gid = a->gid;
	st->st_size = (off_t)a->size;
	st->st_blksize = a->blksize ? a->blksize : 1024;
	st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = k->mtime;
	if (a->has_times) { /* an object's own (what a magic link leads to) */
		st->st_atim = (struct timespec){ a->atime, a->atime_ns };
		st->st_mtim = (struct timespec){ a->mtime, a->mtime_ns };
		st->st_ctim = (struct timespec){ a->ctime, a->ctime_ns };
	}
}

/*
** Timeouts, by what can change: a task's directory and its fds may vanish
** or change owner at any moment, so the kernel must ask again each time, as
** procfs revalidates; a name inside a task always leads to the same inode
** (inode numbers encode it), so the name may be cached but not its owner;
** the root and its static entries are fixed while mounted, and so are a
** world's tasks until it announces a change, when notify.c drops them: those
** are kept a day (the kernel's dcache still reclaims them under pressure).
** What a magic link leads to is looked up at every walk, which brings its
** attributes anew; they are kept a second, so a stat right after the walk
** costs no second round trip.  A host task's directory, while the kernel
** tells the daemon of exits, is named as a name inside a task is: exits.c
** drops the name when the task exits.
*/
static const double entry_ttl[] = { [PL_CACHE_NONE] = 0, [PL_CACHE_NAME] = 60, [PL_CACHE_ALL] = 86400,
                                    [PL_CACHE_OBJECT] = 0, [PL_CACHE_TASK] = 60 };
static const double attr_ttl[] = { [PL_CACHE_NONE] = 0, [PL_CACHE_NAME] = 0, [PL_CACHE_ALL] = 86400,
                                   [PL_CACHE_OBJECT] = 1, [PL_CACHE_TASK] = 0 };

/* A request made through a path on a task that is gone: ENOENT when the
** kernel walked a name kept past the task's reap (pl_tree_walked_past_exit),
** else the tree's answer (ESRCH from a directory held open, and from a
** zombie's files that need its mm). */
static int walked(struct pl_generation *g, fuse_ino_t ino, int rc)
{
	return rc == -ESRCH && pl_tree_walked_past_exit(&g->tree, ino_of(ino)) ? -ENOENT : rc;
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct pl_caller c = caller_of(req);
	struct pl_attr a;
	struct pl_generation *g = enter(req);
	int rc = walked(g, parent, pl_tree_lookup(&g->tree, &c, ino_of(parent), name, &a));
	if (rc < 0) {
		fuse_reply_err(req, -rc);
	} else {
		struct fuse_entry_param e;
		memset(&e, 0, sizeof e);
		e.ino = pl_fuse_node(a.ino);
		e.entry_timeout = entry_ttl[a.cache];
		e.attr_timeout = attr_ttl[a.cache];
		to_stat(&g->tree, &a, &e.attr);
		fuse_reply_entry(req, &e);
	}
	pl_served_leave(g);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct pl_caller c = caller_of(req);
	struct pl_attr a;
	struct stat st;
	struct pl_generation *g = enter(req);
	int rc = pl_tree_getattr(&g->tree, &c, ino_of(ino), &a);
	if (!fi) /* an fstat of a file open before is no walk */
		rc = walked(g, ino, rc);
	if (rc < 0) {
		fuse_reply_err(req, -rc);
	} else {
		to_stat(&g->tree, &a, &st);
		fuse_reply_attr(req, &st, attr_ttl[a.cache]);
	}
	pl_served_leave(g);
}

/*
** procfs refuses chmod/chown of task entries with EPERM, and takes a size
** (an open with O_TRUNC, as a shell's `>` makes) without doing anything.
*/
static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
                       struct fuse_file_info *fi)
{
	(void)attr, (void)fi;
	const int times = FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW |
	                  FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME;
	if (!(to_set & FUSE_SET_ATTR_SIZE) || (to_set & ~(FUSE_SET_ATTR_SIZE | times)))
		return (void)fuse_reply_err(req, EPERM);
	struct pl_caller c = caller_of(req);
	struct pl_attr a;
	struct stat st;
	struct pl_generation *g = enter(req);
	int rc = pl_tree_truncate(&g->tree, &c, ino_of(ino));
	if (rc == 0)
		rc = pl_tree_getattr(&g->tree, &c, ino_of(ino), &a);
	if (rc < 0) {
		fuse_reply_err(req, -rc);
	} else {
		to_stat(&g->tree, &a, &st);
		fuse_reply_attr(req, &st, attr_ttl[a.cache]);
	}
	pl_served_leave(g);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct pl_caller c = caller_of(req);
	struct pl_buf *b = pl_tree_reply_buffer(256);
	if (!b)
		return (void)fuse_reply_err(req, ENOMEM);
	struct pl_generation *g = enter(req);
	int rc = walked(g, ino, pl_tree_readlink(&g->tree, &c, ino_of(ino), b));
	pl_served_leave(g);
	if (rc == 0) {
		pl_buf_putc(b, '\0');
		rc = pl_buf_status(b);
	}
	if (rc < 0)
		return (void)fuse_reply_err(req, -rc);
	fuse_reply_readlink(req, b->data);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct pl_caller c = caller_of(req);
	struct pl_file *f;
	struct pl_generation *g = enter(req); /* the handle's, until released */
	int rc = walked(g, ino, pl_tree_open(&g->tree, &c, ino_of(ino), fi->flags, &f));
	if (rc < 0) {
		pl_served_leave(g);
		return (void)fuse_reply_err(req, -rc);
	}
	f->owner = g;
	fi->fh = (uint64_t)(uintptr_t)f;
	fi->direct_io = 1; /* size 0 on stat, content from the snapshot */
	fi->keep_cache = 0;
	if (pl_tree_relay_fd(f) >= 0) /* a pipe: no offsets */
		fi->nonseekable = 1;
	if (fuse_reply_open(req, fi) == -ENOENT) { /* the opener was interrupted */
		pl_tree_release(&g->tree, f);
		pl_served_leave(g);
	}
	pl_tree_request_done();
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
	(void)ino;
	struct pl_file *f = (struct pl_file *)(uintptr_t)fi->fh;
	if (pl_tree_relay_fd(f) >= 0) /* a caller's own pipe: may wait for data */
		return pl_relay_read(req, f, size, fi->flags & O_NONBLOCK);
	struct pl_caller c = caller_of(req);
	/* a copy-in may block on another process's pages: a few at a time per
	** caller uid, the rest queued (a ring thread replies itself) */
	int admitted = 0;
	if (pl_tree_read_copies_in(f) && !pl_uring_thread()) {
		int rc = pl_slowlane_admit(req, file_tree(f), f, &c, (uint64_t)off, size, NULL);
		if (rc == 0)
			return;
		if (rc < 0)
			return (void)fuse_reply_err(req, -rc);
		admitted = 1;
	}
	struct pl_buf *b = pl_tree_reply_buffer(size);
	if (!b)
		return (void)fuse_reply_err(req, ENOMEM);
	const char *data;
	ssize_t n = pl_tree_read(file_tree(f), &c, f, (uint64_t)off, size, b->data, &data);
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_buf(req, data, (size_t)n);
	if (admitted)
		pl_slowlane_done(c.uid);
	pl_tree_request_done();
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                     struct fuse_file_info *fi)
{
	(void)ino;
	struct pl_file *f = (struct pl_file *)(uintptr_t)fi->fh;
	struct pl_caller c = caller_of(req);
	if (pl_tree_relay_fd(f) >= 0) /* a caller's own pipe: may wait for room */
		return pl_relay_write(req, f, &c, buf, size, fi->flags & O_NONBLOCK);
	/* a copy into another process's memory may block on its pages: as reads
	** that copy in, a few at a time per caller uid */
	int admitted = 0;
	if (pl_tree_write_copies_out(f) && !pl_uring_thread()) {
		int rc = pl_slowlane_admit(req, file_tree(f), f, &c, (uint64_t)off, size, buf);
		if (rc == 0)
			return;
		if (rc < 0)
			return (void)fuse_reply_err(req, -rc);
		admitted = 1;
	}
	ssize_t n = pl_tree_write(file_tree(f), &c, f, (uint64_t)off, buf, size);
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_write(req, (size_t)n);
	if (admitted)
		pl_slowlane_done(c.uid);
	pl_tree_request_done();
}

/* ioctl(2): only an opened namespace has any (what it can answer with no
** data: object.c); every other file, as procfs's, ENOTTY. */
static void op_ioctl(fuse_req_t req, fuse_ino_t ino, unsigned int cmd, void *arg,
                     struct fuse_file_info *fi, unsigned flags, const void *in_buf,
                     size_t in_bufsz, size_t out_bufsz)
{
	(void)ino, (void)arg, (void)in_buf, (void)in_bufsz, (void)out_bufsz;
	if (flags & FUSE_IOCTL_DIR)
		return (void)fuse_reply_err(req, ENOTTY);
	struct pl_file *f = (struct pl_file *)(uintptr_t)fi->fh;
	int rc = pl_tree_ioctl(file_tree(f), f, cmd);
	if (rc < 0)
		return (void)fuse_reply_err(req, -rc);
	fuse_reply_ioctl(req, rc, NULL, 0);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	struct pl_file *f = (struct pl_file *)(uintptr_t)fi->fh;
	struct pl_generation *g = f->owner;
	pl_tree_release(&g->tree, f);
	pl_served_leave(g);
	fuse_reply_err(req, 0);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct pl_caller c = caller_of(req);
	struct pl_dir *d;
	struct pl_generation *g = enter(req); /* the handle's, until released */
	int rc = walked(g, ino, pl_tree_opendir(&g->tree, &c, ino_of(ino), &d));
	if (rc < 0) {
		pl_served_leave(g);
		return (void)fuse_reply_err(req, -rc);
	}
	d->owner = g;
	fi->fh = (uint64_t)(uintptr_t)d;
	if (fuse_reply_open(req, fi) == -ENOENT) {
		pl_tree_releasedir(d);
		pl_served_leave(g);
	}
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
	(void)ino;
	struct pl_dir *d = (struct pl_dir *)(uintptr_t)fi->fh;
	const struct pl_dirent *ents;
	size_t n;
	int rc = pl_tree_readdir(&((struct pl_generation *)d->owner)->tree, d, (uint64_t)off,
	                         &ents, &n);
	if (rc < 0)
		return (void)fuse_reply_err(req, -rc);
	struct pl_buf *b = pl_tree_reply_buffer(size);
	if (!b)
		return (void)fuse_reply_err(req, ENOMEM);
	char *dir_buf = b->data;
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		memset(&st, 0, sizeof st);
		st.st_ino = ents[i].ino;
		st.st_mode = ents[i].type << 12; /* DT_* is S_IF* >> 12 */
		size_t need = fuse_add_direntry(req, dir_buf + used, size - used, ents[i].name,
		                                &st, (off_t)ents[i].next_off);
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, dir_buf, used);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	struct pl_dir *d = (struct pl_dir *)(uintptr_t)fi->fh;
	struct pl_generation *g = d->owner;
	pl_tree_releasedir(d);
	pl_served_leave(g);
	fuse_reply_err(req, 0);
}

static void op_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct pl_caller c = caller_of(req);
	struct pl_attr a;
	struct pl_generation *g = enter(req);
	/* the node first: a directory everyone may search answers the check
	** without its task, which may be gone (proc_pid_permission: ESRCH;
	** ENOENT through a name kept past the reap) */
	int rc = walked(g, ino, pl_tree_getattr(&g->tree, &c, ino_of(ino), &a));
	if (rc == 0 && mask != F_OK)
		rc = walked(g, ino, pl_tree_access(&g->tree, &c, ino_of(ino), mask & 7));
	pl_served_leave(g);
	fuse_reply_err(req, -rc);
}

const struct fuse_lowlevel_ops pl_fuse_ops = {
	.access = op_access,
	.lookup = op_lookup,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readlink = op_readlink,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.release = op_release,
	.ioctl = op_ioctl,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_releasedir,
};
