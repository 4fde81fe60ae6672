/*
** kernfs: lookup, getattr, readlink, open/read and readdir of the tree.
**
** An inode number says what it is, as procfs's do:
**
**   63        42 41        20 19                 0
**   +-----------+------------+-------------------+
**   |   tgid    |    tid     |       slot        |
**   +-----------+------------+-------------------+
**
** tgid 0 is the /proc root level: slot 1 is the root itself, slot i+2 is
** layout entry i.  With a tgid, slot 0 is the task's directory
** (/proc/<tgid>, or /proc/<tgid>/task/<tid> when tid != 0), slot i+2 is
** layout entry i inside it, and slots with bit 19 set are fd/N (bit 0
** clear) and fdinfo/N (bit 0 set).  pid_max is at most 2^22, so tgid and
** tid fit; fds at or above 2^18 are not shown.
*/
#include "tree/tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "access/access.h"
#include "format/format.h"
#include "tree/builtin.h"
#include "record/scratch.h"

#define SLOT_BITS 20
#define TID_BITS 22
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define TID_MASK ((1u << TID_BITS) - 1)
#define FD_BIT (1u << (SLOT_BITS - 1))
#define FD_MAX (1 << (SLOT_BITS - 2))
#define ROOT_SLOT 1

/* Readdir offsets: ".", "..", entries at index + 3, pids past PID_OFF. */
#define PID_OFF (1ull << 32)

struct node {
	pl_pid tgid, tid;          /* tid 0: thread-group level */
	uint32_t slot;
};

static uint64_t make_ino(pl_pid tgid, pl_pid tid, uint32_t slot)
{
	return ((uint64_t)tgid << (TID_BITS + SLOT_BITS)) |
	       ((uint64_t)tid << SLOT_BITS) | slot;
}

static struct node decode(uint64_t ino)
{
	struct node n;
	n.slot = (uint32_t)(ino & SLOT_MASK);
	n.tid = (pl_pid)((ino >> SLOT_BITS) & TID_MASK);
	n.tgid = (pl_pid)(ino >> (TID_BITS + SLOT_BITS));
	return n;
}

static int is_fd_slot(uint32_t slot) { return (slot & FD_BIT) != 0; }
static int fd_of(uint32_t slot) { return (int)((slot & ~FD_BIT) >> 1); }
static int is_fdinfo(uint32_t slot) { return slot & 1; }

static const struct pl_entry *entry_of(const struct pl_tree *k, uint32_t slot)
{
	if (slot < 2 || is_fd_slot(slot) || slot - 2 >= k->layout->nentries)
		return NULL;
	return &k->layout->entries[slot - 2];
}

/* The facts of the task a node belongs to, in the worker's scratch. */
static int load_task(struct pl_tree *k, struct node n, unsigned want, struct pl_task **out)
{
	return pl_builtin_load(k->src, n.tgid, n.tid, want, out);
}

/* ------------------------------------------------------------------------
** attributes
*/

static uint32_t type_bits(const struct pl_entry *e)
{
	switch (e->kind) {
	case PL_K_DIR: case PL_K_TASKDIR: case PL_K_FDDIR: case PL_K_FDINFODIR:
		return S_IFDIR;
	case PL_K_LINK: case PL_K_SYMLINK:
		return S_IFLNK;
	default:
		return S_IFREG;
	}
}

static void fill_attr(struct pl_attr *a, uint64_t ino, uint32_t mode, uint32_t nlink,
                      uint32_t uid, uint32_t gid)
{
	a->ino = ino;
	a->mode = mode;
	a->nlink = nlink;
	a->uid = uid;
	a->gid = gid;
	a->size = 0;
	a->cache = PL_CACHE_NONE;
}

static int attr_root_level(struct pl_tree *k, struct node n, struct pl_attr *a)
{
	uint64_t ino = make_ino(0, 0, n.slot);
	if (n.slot == ROOT_SLOT) {
		fill_attr(a, ino, S_IFDIR | 0555, 2 + k->layout->root_n, 0, 0);
		a->cache = PL_CACHE_ALL;
		return 0;
	}
	const struct pl_entry *e = entry_of(k, n.slot);
	if (!e || e->scope != PL_SCOPE_ROOT)
		return -ENOENT;
	uint32_t type = type_bits(e);
	fill_attr(a, ino, type | e->mode, type == S_IFDIR ? 2 + e->nsubdirs : 1, 0, 0);
	a->cache = PL_CACHE_ALL;
	return 0;
}

static int attr_task_level(struct pl_tree *k, struct node n, struct pl_attr *a)
{
	int fd_link = is_fd_slot(n.slot) && !is_fdinfo(n.slot);
	struct pl_task *t;
	int rc = load_task(k, n, fd_link ? PL_F_FDS | PL_F_OWNER : PL_F_OWNER, &t);
	if (rc < 0)
		return rc;
	uint64_t ino = make_ino(n.tgid, n.tid, n.slot);
	uint32_t uid, gid;
	/* a source that announces its changes lets the kernel keep what it
	** learns until told (kernfs's user drops it then); else a task may
	** vanish or change owner at any moment, as procfs revalidates */
	int fixed = k->src->announces_changes;
	if (n.slot == 0) {
		pl_task_owner(t, 0555, 1, &uid, &gid);
		fill_attr(a, ino, S_IFDIR | 0555, 2 + k->layout->task_nsubdirs, uid, gid);
		a->cache = fixed ? PL_CACHE_ALL : PL_CACHE_NONE;
		return 0;
	}
	if (is_fd_slot(n.slot)) {
		/* A link's mode bits are the open file's: r-x for read, -wx for write. */
		uint32_t mode = S_IFREG | 0444;
		if (fd_link) {
			const struct pl_fd *f = NULL;
			for (size_t i = 0; i < t->nfds && !f; i++)
				if (t->fds[i].fd == fd_of(n.slot))
					f = &t->fds[i];
			if (!f)
				return -ENOENT;
			mode = S_IFLNK | ((f->f_mode & 1) ? 0500 : 0) | ((f->f_mode & 2) ? 0300 : 0);
		}
		pl_task_owner(t, mode & 07777, 0, &uid, &gid);
		fill_attr(a, ino, mode, 1, uid, gid);
		if (S_ISLNK(mode))
			a->size = 64; /* as proc_fd_link's inodes report */
		return 0;
	}
	const struct pl_entry *e = entry_of(k, n.slot);
	if (!e || e->scope != PL_SCOPE_TASK)
		return -ENOENT;
	uint32_t type = type_bits(e);
	pl_task_owner(t, e->mode, type == S_IFDIR, &uid, &gid);
	fill_attr(a, ino, type | e->mode, type == S_IFDIR ? 2 + e->nsubdirs : 1, uid, gid);
	a->cache = fixed ? PL_CACHE_ALL : PL_CACHE_NAME;
	return 0;
}

void pl_tree_each_task_ino(const struct pl_tree *k, pl_pid tgid, pl_pid tid,
                          void (*cb)(void *arg, uint64_t ino), void *arg)
{
	for (uint32_t slot = 0; slot < k->layout->nentries + 2; slot++) {
		if (slot == ROOT_SLOT)
			continue;
		const struct pl_entry *e = entry_of(k, slot);
		if (slot && (!e || e->scope != PL_SCOPE_TASK))
			continue;
		if (tid == tgid) /* the leader: /proc/<tgid>/ and task/<tgid>/ */
			cb(arg, make_ino(tgid, 0, slot));
		cb(arg, make_ino(tgid, tid, slot));
		if (tid != tgid) /* a thread's hidden /proc/<tid>/ */
			cb(arg, make_ino(tid, 0, slot));
	}
}

int pl_tree_getattr(struct pl_tree *k, uint64_t ino, struct pl_attr *out)
{
	struct node n = decode(ino);
	return n.tgid ? attr_task_level(k, n, out) : attr_root_level(k, n, out);
}

static int caller_tgid(struct pl_caller *c, pl_pid *tgid)
{
	if (c->pid <= 0)
		return -ENOENT;
	int rc = pl_caller_load(c);
	if (rc < 0)
		return -ENOENT;
	*tgid = c->tgid;
	return 0;
}

/*
** Who the caller is in this tree: its own pids for the host, renumbered in
** a view, the world's self task for a world that does not contain it.
*/
static int caller_in_tree(struct pl_tree *k, struct pl_caller *c, pl_pid *tgid, pl_pid *tid)
{
	int rc = caller_tgid(c, tgid);
	*tid = c->pid;
	if (rc == 0 && k->src->ops->map_host_pid) {
		pl_pid host_tid = *tid;
		rc = k->src->ops->map_host_pid(k->src, *tgid, tgid);
		if (rc == 0 && k->src->ops->map_host_pid(k->src, host_tid, tid) < 0)
			*tid = *tgid;
	} else if (rc == 0 && k->src->ops->task_exists(k->src, *tgid, *tgid) < 0) {
		rc = -ENOENT;
	}
	if (rc < 0 && k->self_fallback) {
		*tgid = *tid = k->self_fallback;
		rc = 0;
	}
	return rc;
}

/* ------------------------------------------------------------------------
** mode bits, checked here (the mount does not use default_permissions:
** the kernel would ask for the attributes of every node on every walk)
*/

/* A node's mode when it is known without I/O; -1 for fd links (their mode
** follows the open file). */
static int node_mode(const struct pl_tree *k, struct node n, uint32_t *mode)
{
	if ((n.tgid == 0 && n.slot == ROOT_SLOT) || (n.tgid && n.slot == 0)) {
		*mode = 0555;
		return 0;
	}
	const struct pl_entry *e = entry_of(k, n.slot);
	if (!e)
		return -1;
	*mode = e->mode;
	return 0;
}

/* Whether everyone may: then the owner does not matter, and no I/O is done. */
static int anyone_may(const struct pl_tree *k, struct node n, int mask)
{
	uint32_t mode;
	return node_mode(k, n, &mode) == 0 && pl_dac_fast(mode, mask);
}

/* The check against the node's owner, which may need the task's facts. */
static int access_by_owner(struct pl_tree *k, struct pl_caller *c, uint64_t ino, int mask)
{
	struct pl_attr a;
	int rc = pl_tree_getattr(k, ino, &a);
	if (rc < 0)
		return rc;
	return pl_dac_permission(c, a.mode & 07777, a.uid, a.gid, S_ISDIR(a.mode), mask);
}

int pl_tree_access(struct pl_tree *k, struct pl_caller *c, uint64_t ino, int mask)
{
	return anyone_may(k, decode(ino), mask) ? 0 : access_by_owner(k, c, ino, mask);
}

/* ------------------------------------------------------------------------
** lookup
*/

static int parse_pid(const char *name, pl_pid *pid)
{
	char *end;
	long v = strtol(name, &end, 10);
	if (*end || end == name || name[0] == '0' || name[0] == '+' || v <= 0 || v > TID_MASK)
		return 0;
	*pid = (pl_pid)v;
	return 1;
}

/* fdinfo/ itself asks for ptrace read access (proc_fdinfo_permission). */
static int fdinfo_dir_allowed(struct pl_tree *k, struct pl_caller *c, struct node n)
{
	int permitted;
	return pl_builtin_decide(k->src, c, n.tgid, n.tid, PL_G_FDINFO, &permitted);
}

static int lookup_fd(struct pl_tree *k, struct pl_caller *c, struct node dir, int info,
                     const char *name, struct pl_attr *out)
{
	pl_pid fd;
	if (!parse_pid(name, &fd) && strcmp(name, "0") != 0)
		return -ENOENT;
	if (strcmp(name, "0") == 0)
		fd = 0;
	if (fd >= FD_MAX)
		return -ENOENT;
	int rc;
	if (info && (rc = fdinfo_dir_allowed(k, c, dir)) < 0)
		return rc;
	struct pl_task *t;
	rc = load_task(k, dir, PL_F_FDS, &t);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < t->nfds; i++)
		if (t->fds[i].fd == fd) {
			uint32_t slot = FD_BIT | ((uint32_t)fd << 1) | (info ? 1 : 0);
			return attr_task_level(k, (struct node){ dir.tgid, dir.tid, slot }, out);
		}
	return -ENOENT;
}

static int lookup_in(struct pl_tree *k, struct pl_caller *c, struct node dir,
                     const struct pl_entry *parent, const char *name, struct pl_attr *out)
{
	const struct pl_layout *l = k->layout;
	size_t len = strlen(name);
	if (!parent) { /* a task's own directory */
		int i = pl_layout_find(l, l->task_first, l->task_n, name, len, dir.tid != 0);
		if (i < 0)
			return -ENOENT;
		return attr_task_level(k, (struct node){ dir.tgid, dir.tid, (uint32_t)i + 2 }, out);
	}
	switch (parent->kind) {
	case PL_K_DIR: {
		int i = pl_layout_find(l, parent->first, parent->n, name, len, dir.tid != 0);
		if (i < 0)
			return -ENOENT;
		struct node n = { dir.tgid, dir.tid, (uint32_t)i + 2 };
		return n.tgid ? attr_task_level(k, n, out) : attr_root_level(k, n, out);
	}
	case PL_K_TASKDIR: {
		pl_pid tid;
		if (!parse_pid(name, &tid))
			return -ENOENT;
		int rc = k->src->ops->task_exists(k->src, dir.tgid, tid);
		if (rc < 0)
			return rc == -ESRCH ? -ENOENT : rc;
		return attr_task_level(k, (struct node){ dir.tgid, tid, 0 }, out);
	}
	case PL_K_FDDIR:
	case PL_K_FDINFODIR:
		return lookup_fd(k, c, dir, parent->kind == PL_K_FDINFODIR, name, out);
	default:
		return -ENOTDIR;
	}
}

static int lookup_node(struct pl_tree *k, struct pl_caller *c, struct node dir,
                       const char *name, struct pl_attr *out)
{
	const struct pl_layout *l = k->layout;
	if (dir.tgid == 0) {
		if (dir.slot == ROOT_SLOT) {
			int i = pl_layout_find(l, l->root_first, l->root_n, name, strlen(name), 0);
			if (i >= 0)
				return attr_root_level(k, (struct node){ 0, 0, (uint32_t)i + 2 }, out);
			pl_pid pid, me, me_tid;
			if (!parse_pid(name, &pid))
				return -ENOENT;
			int rc = k->src->ops->task_exists(k->src, pid, pid);
			/* a caller looking up its own pid (procps does), as the
			** daemon's namespace or its own numbers it, from a view or
			** a world finds itself as the tree shows it */
			int mine = 0;
			if (rc == -ESRCH && caller_tgid(c, &me) == 0 &&
			    (me == pid || c->ns_tgid == pid) && caller_in_tree(k, c, &me, &me_tid) == 0)
				rc = 0, pid = me, mine = 1;
			if (rc < 0)
				return rc == -ESRCH ? -ENOENT : rc;
			rc = attr_task_level(k, (struct node){ pid, 0, 0 }, out);
			if (mine) /* the name means this task to this caller only */
				out->cache = PL_CACHE_NONE;
			return rc;
		}
		const struct pl_entry *e = entry_of(k, dir.slot);
		return e ? lookup_in(k, c, dir, e, name, out) : -ENOENT;
	}
	if (dir.slot == 0)
		return lookup_in(k, c, dir, NULL, name, out);
	const struct pl_entry *e = entry_of(k, dir.slot);
	if (!e)
		return -ENOTDIR;
	return lookup_in(k, c, dir, e, name, out);
}

int pl_tree_lookup(struct pl_tree *k, struct pl_caller *c, uint64_t parent,
                  const char *name, struct pl_attr *out)
{
	struct node dir = decode(parent);
	int anyone_may_search = anyone_may(k, dir, PL_MAY_EXEC);
	int denied = anyone_may_search ? 0 : access_by_owner(k, c, parent, PL_MAY_EXEC);
	if (denied)
		return denied;
	int rc = lookup_node(k, c, dir, name, out);
	/* The kernel walks cached entries without asking again, for any caller:
	** what lies behind a directory not everyone may search is not cached. */
	if (rc == 0 && !anyone_may_search)
		out->cache = PL_CACHE_NONE;
	return rc;
}

/* ------------------------------------------------------------------------
** links
*/

/* The caller's access to task n through builtin gen, then the facts it needs. */
static int load_checked(struct pl_tree *k, struct pl_caller *c, struct node n,
                        int gen, struct pl_task **t)
{
	int permitted;
	int rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, gen, &permitted);
	return rc < 0 ? rc : load_task(k, n, pl_builtins[gen].need, t);
}

static int readlink_builtin(struct pl_tree *k, struct pl_caller *c, struct node n,
                            int gen, struct pl_buf *out)
{
	if (gen == PL_G_SELF || gen == PL_G_THREAD_SELF) {
		pl_pid tgid, tid;
		int rc = caller_in_tree(k, c, &tgid, &tid);
		if (rc < 0)
			return rc;
		if (gen == PL_G_SELF)
			pl_buf_printf(out, "%d", (int)tgid);
		else
			pl_buf_printf(out, "%d/task/%d", (int)tgid, (int)tid);
		return pl_buf_status(out);
	}
	return pl_builtin_read(k->src, c, n.tgid, n.tid, gen, out);
}

int pl_tree_readlink(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_buf *out)
{
	struct node n = decode(ino);
	if (n.tgid && is_fd_slot(n.slot)) {
		if (is_fdinfo(n.slot))
			return -EINVAL;
		struct pl_task *t;
		int rc = load_checked(k, c, n, PL_G_FD_LINK, &t);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < t->nfds; i++)
			if (t->fds[i].fd == fd_of(n.slot)) {
				pl_buf_puts(out, t->fds[i].target);
				return pl_buf_status(out);
			}
		return -ENOENT;
	}
	const struct pl_entry *e = entry_of(k, n.slot);
	if (!e)
		return -EINVAL;
	if (e->kind == PL_K_SYMLINK) {
		pl_buf_add(out, e->content, e->content_len);
		return pl_buf_status(out);
	}
	if (e->kind != PL_K_LINK)
		return -EINVAL;
	return readlink_builtin(k, c, n, e->gen, out);
}

/* ------------------------------------------------------------------------
** files
*/

static int new_file(struct pl_file **out, pl_pid tgid)
{
	struct pl_file *f = calloc(1, sizeof *f);
	if (!f)
		return -ENOMEM;
	f->tgid = tgid;
	*out = f;
	return 0;
}

/* Hand the formatted bytes to the handle: one copy, sized to fit. */
static int keep_snapshot(struct pl_file *f, const struct pl_buf *b)
{
	char *p = malloc(b->len ? b->len : 1);
	if (!p)
		return -ENOMEM;
	memcpy(p, b->data, b->len);
	f->data = p;
	f->len = b->len;
	return 0;
}

/* A file's content; permitted < 0: the access decision is still to make. */
static int generate(struct pl_tree *k, struct pl_caller *c, struct node n,
                    const struct pl_entry *e, int permitted, struct pl_buf *out)
{
	if (e->kind == PL_K_LUA) /* made at open only, where the task was just found */
		return k->lua_read ? k->lua_read(k->lua_ctx, e->ref, n.tgid, n.tid, out) : -EIO;
	int rc;
	if (permitted < 0 && (rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, e->gen, &permitted)) < 0)
		return rc;
	return pl_builtin_format(k->src, n.tgid, n.tid, e->gen, permitted, out);
}

static int open_fdinfo(struct pl_tree *k, struct pl_caller *c, struct node n,
                       struct pl_buf *out)
{
	int permitted;
	int rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, PL_G_FDINFO, &permitted);
	if (rc < 0)
		return rc;
	struct pl_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	rc = k->src->ops->load_fdinfo(k->src, n.tgid, n.tid, fd_of(n.slot), &pl_scratch()->arena, &fi);
	if (rc < 0)
		return rc;
	rc = pl_fmt_fdinfo(&fi, out);
	return rc < 0 ? rc : pl_buf_status(out);
}

/* Take the file's snapshot (once per handle). */
static int make(struct pl_tree *k, struct pl_file *f)
{
	struct node n = decode(f->ino);
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	struct pl_buf *gen_buf = &s->gen;
	pl_buf_reset(gen_buf);
	int rc = f->entry ? generate(k, &f->caller, n, f->entry, f->decided ? f->permitted : -1, gen_buf)
	                  : open_fdinfo(k, &f->caller, n, gen_buf);
	if (rc == -ESRCH && f->entry && f->entry->kind == PL_K_FILE &&
	    (pl_builtins[f->entry->gen].flags & PL_B_GONE_EOF)) {
		pl_buf_reset(gen_buf); /* its mm is gone: nothing left to read */
		rc = 0;
	}
	if (rc == 0)
		rc = keep_snapshot(f, gen_buf);
	if (rc == 0)
		f->made = 1;
	return rc;
}

/*
** Content is made where Linux makes it: files that pin an mm or a namespace
** at open (auxv, mounts, id maps) and Lua files are snapshotted at open;
** the others (seq_files) at the first read, so a task reaped in between
** reads as ESRCH (or, for environ, end of file).  Checks happen at open.
*/
int pl_tree_open(struct pl_tree *k, struct pl_caller *c, uint64_t ino, int flags,
                struct pl_file **out)
{
	struct node n = decode(ino);
	int acc = flags & O_ACCMODE;
	int rc = pl_tree_access(k, c, ino, acc == O_RDONLY ? PL_MAY_READ : acc == O_WRONLY ? PL_MAY_WRITE
	                                      : PL_MAY_READ | PL_MAY_WRITE);
	if (rc < 0)
		return rc;
	/* Writes arrive with a later issue; until then, refuse as for an
	** unprivileged writer. */
	if (acc != O_RDONLY)
		return -EACCES;
	const struct pl_entry *e = NULL;
	if (!(n.tgid && is_fd_slot(n.slot))) {
		e = entry_of(k, n.slot);
		if (!e || (n.tgid == 0) != (e->scope == PL_SCOPE_ROOT))
			return -ENOENT;
		if (type_bits(e) != S_IFREG)
			return -EISDIR;
	}
	struct pl_file *f;
	rc = new_file(&f, n.tgid);
	if (rc < 0)
		return rc;
	f->ino = ino;
	f->caller = *c;
	f->entry = e;
	const struct pl_builtin *b = e && e->kind == PL_K_FILE ? &pl_builtins[e->gen] : NULL;
	if (e && e->kind == PL_K_STUB) {
		f->data = e->content;
		f->len = e->content_len;
		f->borrowed = 1;
		f->made = 1;
	} else if (n.tgid && !(rc = k->src->ops->task_exists(k->src, n.tgid, n.tid ? n.tid : n.tgid)) &&
	           b && !b->mneed) { /* checks happen at open; content may wait */
		rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, e->gen, &f->permitted);
		f->decided = 1;
		f->is_mem = e->gen == PL_G_MEM;
		f->made = f->is_mem;
	}
	if (rc == 0 && !f->made && (!b || (b->flags & PL_B_AT_OPEN) || b->mneed))
		rc = make(k, f);
	if (rc < 0) {
		free(f);
		return rc;
	}
	*out = f;
	return 0;
}

ssize_t pl_tree_read(struct pl_tree *k, struct pl_file *f, uint64_t off, size_t size,
                    char *buf, const char **data)
{
	if (f->is_mem) {
		/* Linux's mem_rw: an unreadable first page is EIO, a later one
		** ends the read short; a task without mm reads as empty. */
		ssize_t n = k->src->ops->read_mem(k->src, f->tgid, off, buf, size);
		if (n == -EFAULT)
			n = -EIO;
		*data = buf;
		return n;
	}
	if (!f->made) {
		int rc = make(k, f);
		if (rc < 0)
			return rc;
	}
	if (off >= f->len)
		return 0;
	if (size > f->len - off)
		size = f->len - off;
	*data = f->data + off;
	return (ssize_t)size;
}

void pl_tree_release(struct pl_file *f)
{
	if (!f)
		return;
	if (!f->borrowed)
		free((void *)f->data);
	free(f);
}

/* ------------------------------------------------------------------------
** directories
*/

static uint32_t dtype(const struct pl_entry *e)
{
	uint32_t t = type_bits(e);
	return t == S_IFDIR ? DT_DIR : t == S_IFLNK ? DT_LNK : DT_REG;
}

struct lister {
	struct pl_dir *d;
	size_t cap;
	int err;
};

static void add_ent(struct lister *ls, uint64_t ino, uint64_t next_off, uint32_t type,
                    const char *name)
{
	struct pl_dir *d = ls->d;
	if (ls->err)
		return;
	d->ents = pl_arena_grow(&d->arena, d->ents, sizeof *d->ents, &ls->cap, d->n + 1);
	const char *copy = pl_arena_strdup(&d->arena, name);
	if (!d->ents || !copy) {
		ls->err = -ENOMEM;
		return;
	}
	d->ents[d->n++] = (struct pl_dirent){ ino, next_off, type, copy };
}

static void add_entries(struct lister *ls, const struct pl_layout *l, uint32_t first,
                        uint32_t n, pl_pid tgid, pl_pid tid)
{
	for (uint32_t i = first; i < first + n; i++) {
		const struct pl_entry *e = &l->entries[i];
		if (tgid && !pl_entry_visible(e, tid != 0))
			continue;
		add_ent(ls, make_ino(tgid, tid, i + 2), i - first + 3, dtype(e), e->name);
	}
}

struct pid_lister {
	struct lister *ls;
	uint64_t base;             /* offset of pid 0 */
	pl_pid tgid;               /* 0: list /proc/<pid>; else task/<tid> */
};

static int add_pid(void *arg, pl_pid pid)
{
	struct pid_lister *pl = arg;
	char name[16];
	snprintf(name, sizeof name, "%d", (int)pid);
	uint64_t ino = pl->tgid ? make_ino(pl->tgid, pid, 0) : make_ino(pid, 0, 0);
	add_ent(pl->ls, ino, pl->base + (uint64_t)pid + 1, DT_DIR, name);
	return pl->ls->err != 0;
}

static int list_dir(struct pl_tree *k, struct pl_dir *d)
{
	struct node n = decode(d->ino);
	const struct pl_layout *l = k->layout;
	struct lister ls = { d, 0, 0 };
	add_ent(&ls, d->ino, 1, DT_DIR, ".");
	add_ent(&ls, n.tgid ? make_ino(n.tgid, 0, 0) : PL_ROOT_INO, 2, DT_DIR, "..");
	if (n.tgid == 0 && n.slot == ROOT_SLOT) {
		add_entries(&ls, l, l->root_first, l->root_n, 0, 0);
		struct pid_lister pl = { &ls, PID_OFF, 0 };
		int rc = k->src->ops->each_tgid(k->src, 1, add_pid, &pl);
		return rc < 0 ? rc : ls.err;
	}
	if (n.tgid && n.slot == 0) {
		add_entries(&ls, l, l->task_first, l->task_n, n.tgid, n.tid);
		return ls.err;
	}
	const struct pl_entry *e = entry_of(k, n.slot);
	if (!e || type_bits(e) != S_IFDIR)
		return -ENOTDIR;
	struct pl_task *t;
	int rc;
	switch (e->kind) {
	case PL_K_DIR:
		add_entries(&ls, l, e->first, e->n, n.tgid, n.tid);
		return ls.err;
	case PL_K_TASKDIR:
		if ((rc = load_task(k, n, PL_F_THREADS, &t)) < 0)
			return rc;
		for (size_t i = 0; i < t->nthreads; i++) {
			char name[16];
			snprintf(name, sizeof name, "%d", (int)t->threads[i]);
			add_ent(&ls, make_ino(n.tgid, t->threads[i], 0), i + 3, DT_DIR, name);
		}
		return ls.err;
	case PL_K_FDDIR:
	case PL_K_FDINFODIR:
		if ((rc = load_task(k, n, PL_F_FDS, &t)) < 0)
			return rc;
		for (size_t i = 0; i < t->nfds; i++) {
			int fd = t->fds[i].fd;
			if (fd >= FD_MAX)
				continue;
			char name[16];
			snprintf(name, sizeof name, "%d", fd);
			int info = e->kind == PL_K_FDINFODIR;
			uint32_t slot = FD_BIT | ((uint32_t)fd << 1) | (uint32_t)info;
			add_ent(&ls, make_ino(n.tgid, n.tid, slot), (uint64_t)fd + 3,
			        info ? DT_REG : DT_LNK, name);
		}
		return ls.err;
	default:
		return -ENOTDIR;
	}
}

int pl_tree_opendir(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_dir **out)
{
	struct pl_attr a;
	int rc = pl_tree_getattr(k, ino, &a);
	if (rc < 0)
		return rc;
	if (!S_ISDIR(a.mode))
		return -ENOTDIR;
	if ((rc = pl_dac_permission(c, a.mode & 07777, a.uid, a.gid, 1, PL_MAY_READ)) < 0)
		return rc;
	struct node n = decode(ino);
	const struct pl_entry *e = n.tgid ? entry_of(k, n.slot) : NULL;
	if (e && e->kind == PL_K_FDINFODIR && (rc = fdinfo_dir_allowed(k, c, n)) < 0)
		return rc;
	struct pl_dir *d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->ino = ino;
	*out = d;
	return 0;
}

int pl_tree_readdir(struct pl_tree *k, struct pl_dir *d, uint64_t off,
                    const struct pl_dirent **first, size_t *count)
{
	if (off == 0 || !d->listed) { /* a rewind lists afresh, as procfs would */
		pl_arena_reset(&d->arena);
		d->ents = NULL;
		d->n = 0;
		int rc = list_dir(k, d);
		if (rc < 0)
			return rc;
		d->listed = 1;
	}
	/* Entries are in increasing next_off order: find the first past off. */
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->ents[mid].next_off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = d->ents + lo;
	*count = d->n - lo;
	return 0;
}

void pl_tree_releasedir(struct pl_dir *d)
{
	if (!d)
		return;
	pl_arena_free(&d->arena);
	free(d);
}
