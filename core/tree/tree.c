/*
** The tree: attributes, the caller's access by mode bits, and lookup, as
** inode arithmetic over a layout and a source (node.h says what an inode
** number holds).  Links and files are in file.c, directories in dir.c.
*/
#include "tree/node.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "access/access.h"
#include "tree/builtin.h"
#include "record/scratch.h"
#include "write/write.h"

/* ------------------------------------------------------------------------
** attributes
*/

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
	a->shown_ino = 0;
	a->blksize = 0;
	a->has_times = 0;
}

/*
** Whether a write may leave the kernel a size of its own for a file: its
** FUSE client sets a written file's size to the end of the write and asks
** again only for a stat that wants the size, so stat -c %F would say
** "regular file" of a procfs file, whose size is always 0.  Such a file's
** attributes are asked for at each stat (PL_CACHE_NAME).
*/
static int written_size(uint32_t type, uint32_t mode)
{
	return type == S_IFREG && (mode & 0222);
}

/* A node of the root's static entries as caller c (NULL: as the daemon)
** finds it: a sys/net name is its network namespace's. */
static int attr_root_level(struct pl_tree *k, struct pl_caller *c, struct node n, struct pl_attr *a)
{
	uint64_t ino = make_ino(0, 0, n.slot);
	if (n.slot == ROOT_SLOT) {
		fill_attr(a, ino, S_IFDIR | 0555, 2 + k->layout->root_n, 0, 0);
		a->cache = PL_CACHE_ALL;
		return 0;
	}
	const struct pl_entry *e = root_entry(k, n);
	if (!e || e->scope != PL_SCOPE_ROOT)
		return -ENOENT;
	unsigned mode = 0;
	if (c && e->ns_varies && !tree_entry_seen(k, tree_caller_source_tid(k, c), e, &mode))
		return -ENOENT;
	if (!c && is_fd_slot(n.slot)) /* a reader's own name: no reader, no name */
		return -ENOENT;
	uint32_t type = pl_entry_type(e);
	uint32_t nlink = type != S_IFDIR ? 1 : e->one_link ? (e->n || is_fd_slot(n.slot) ? 1 : 2)
	                                                   : 2 + e->nsubdirs;
	fill_attr(a, ino, type | (mode ? mode & 0777 : e->mode), nlink, 0, 0);
	/* a name some readers lack is looked up at each walk, and answered
	** for the one walking */
	a->cache = e->ns_varies ? PL_CACHE_NONE : written_size(type, e->mode) ? PL_CACHE_NAME : PL_CACHE_ALL;
	return 0;
}

int tree_entry_absent(const struct pl_layout *l, const struct pl_entry *e, uint64_t absent)
{
	if (!absent)
		return 0;
	switch (e->kind) {
	case PL_K_FILE: case PL_K_LINK: {
		int bit = pl_builtin_absent_bit(e->gen);
		return bit >= 0 && ((absent >> bit) & 1);
	}
	case PL_K_FDDIR:
		return (absent >> PL_G_FD_LINK) & 1;
	case PL_K_FDINFODIR:
		return (absent >> PL_G_FDINFO) & 1;
	case PL_K_MAPFILESDIR:
		return (absent >> PL_G_NONE) & 1;
	case PL_K_NETIFACEDIR:
		return (absent >> PL_G_NET_DIR) & 1;
	case PL_K_TASKDIR:
		return (absent >> PL_G_TASK_DIR) & 1;
	case PL_K_DIR: { /* what a layout adds itself (stubs, Lua files) stays */
		int builtins = 0;
		for (uint32_t i = e->first; i < e->first + e->n; i++) {
			const struct pl_entry *c = &l->entries[i];
			int builtin = c->kind != PL_K_STUB && c->kind != PL_K_LUA && c->kind != PL_K_SYMLINK;
			if (!builtin || !tree_entry_absent(l, c, absent))
				return 0;
			builtins++;
		}
		return builtins > 0;
	}
	default:
		return 0;
	}
}

/* Whether directory entry e holds a net/ file. */
static int holds_net_files(const struct pl_layout *l, const struct pl_entry *e)
{
	if (e->kind == PL_K_NETIFACEDIR)
		return 1;
	for (uint32_t i = e->first; e->kind == PL_K_DIR && i < e->first + e->n; i++)
		if (l->entries[i].kind == PL_K_FILE && pl_builtin_net_file(l->entries[i].gen) >= 0)
			return 1;
	return 0;
}

/* A directory inside net/ (stat/, dev_snmp6/): the namespace's, owned by
** the root of its user namespace as the files are, where net/ itself is
** the task's. */
static int net_subdir(const struct pl_layout *l, const struct pl_entry *e)
{
	if (pl_entry_type(e) != S_IFDIR || !holds_net_files(l, e))
		return 0;
	uint32_t idx = (uint32_t)(e - l->entries);
	for (uint32_t i = 0; i < l->nentries; i++) {
		const struct pl_entry *p = &l->entries[i];
		if (p->kind == PL_K_DIR && idx >= p->first && idx < p->first + p->n)
			return holds_net_files(l, p);
	}
	return 0;
}

/* A task directory's links: 2 and one per directory its table shows, as
** proc_pid_instantiate and proc_task_instantiate count theirs (a thread's
** has no task/ or map_files/). */
static int attr_task_level(struct pl_tree *k, struct node n, struct pl_attr *a, uint64_t *absent)
{
	int fd_link = is_fd_slot(n.slot) && !is_fdinfo(n.slot);
	struct pl_task *t;
	int rc = load_task(k, n, PL_F_OWNER, &t);
	if (rc < 0)
		return rc;
	if (absent)
		*absent = t->absent;
	uint64_t ino = make_ino(n.tgid, n.tid, n.slot);
	uint32_t uid, gid;
	/* a source that announces its changes lets the kernel keep what it
	** learns until told (the front end drops it then); else a task may
	** vanish or change owner at any moment, as procfs revalidates */
	int fixed = k->src->announces_changes;
	if (n.slot == 0) {
		pl_task_owner(t, 0555, 1, &uid, &gid);
		fill_attr(a, ino, S_IFDIR | 0555, k->layout->task_links[n.tid != 0], uid, gid);
		a->cache = fixed ? PL_CACHE_ALL : PL_CACHE_NONE;
		return 0;
	}
	if (is_mapf_slot(n.slot))
		return tree_mapfiles_getattr(k, n, a);
	if (is_iface_slot(n.slot))
		return (t->absent >> PL_G_NET_DIR) & 1 ? -ENOENT : tree_ifaces_getattr(k, n, a);
	if (is_fd_slot(n.slot)) {
		if ((t->absent >> (is_fdinfo(n.slot) ? PL_G_FDINFO : PL_G_FD_LINK)) & 1)
			return -ENOENT;
		/* A link's mode bits are the open file's: r-x for read, -wx for write. */
		uint32_t mode = S_IFREG | 0444;
		if (fd_link) {
			struct pl_fd f;
			rc = pl_source_load_fd(k->src, n.tgid, n.tid, fd_of(n.slot), &pl_scratch()->arena, &f);
			if (rc < 0)
				return rc == -ESRCH ? -ENOENT : rc;
			mode = S_IFLNK | ((f.f_mode & 1) ? 0500 : 0) | ((f.f_mode & 2) ? 0300 : 0);
		}
		pl_task_owner(t, mode & 07777, 0, &uid, &gid);
		fill_attr(a, ino, mode, 1, uid, gid);
		if (S_ISLNK(mode)) {
			a->size = 64; /* as proc_fd_link's inodes report */
			/* never held open: its attributes come anew with each walk */
			a->cache = PL_CACHE_OBJECT;
		}
		return 0;
	}
	const struct pl_entry *e = entry_of(k, n.slot);
	if (!e || e->scope != PL_SCOPE_TASK || tree_entry_absent(k->layout, e, t->absent))
		return -ENOENT;
	uint32_t type = pl_entry_type(e);
	int net = e->kind == PL_K_FILE ? pl_builtin_net_file(e->gen) : -1;
	if (net < 0 && net_subdir(k->layout, e))
		net = PL_NET_DEV; /* every namespace has it: its owner is the namespace's */
	if (net >= 0) { /* the namespace's file, owned by root of its user namespace */
		rc = k->src->ops->stat_net ? k->src->ops->stat_net(k->src, n.tgid, n.tid, net, &uid, &gid)
		                           : -ENOENT;
		if (rc < 0)
			return rc;
	} else {
		pl_task_owner(t, e->mode, type == S_IFDIR, &uid, &gid);
	}
	fill_attr(a, ino, type | e->mode, type == S_IFDIR ? 2 + e->nsubdirs : 1, uid, gid);
	a->cache = fixed && !written_size(type, e->mode) ? PL_CACHE_ALL : PL_CACHE_NAME;
	return 0;
}

int pl_tree_walked_past_exit(struct pl_tree *k, uint64_t ino)
{
	struct node n = decode(ino);
	if (!k->exits || is_object(n) || !n.tgid)
		return 0;
	/* the thread's name in task/, or the process's in the root */
	if (n.tid && pl_exitwatch_pending(k->exits, n.tgid, n.tid) &&
	    k->src->ops->task_exists(k->src, n.tgid, n.tid) == -ESRCH)
		return 1;
	return pl_exitwatch_pending(k->exits, n.tgid, 0) &&
	       k->src->ops->task_exists(k->src, n.tgid, n.tgid) == -ESRCH;
}

uint64_t pl_tree_tasks_ino(const struct pl_tree *k, pl_pid tgid)
{
	const struct pl_layout *l = k->layout;
	for (uint32_t i = l->task_first; i < l->task_first + l->task_n; i++)
		if (l->entries[i].kind == PL_K_TASKDIR)
			return make_ino(tgid, 0, i + 2);
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

struct pid_list {
	pl_pid *v;
	size_t n, cap;
};

static int collect_pid(void *arg, pl_pid pid)
{
	struct pid_list *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		pl_pid *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return 1; /* stop: what was collected is still named */
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = pid;
	return 0;
}

static void name_task(pl_pid pid, void (*cb)(void *, const char *, size_t, uint64_t), void *arg)
{
	char name[16];
	int len = snprintf(name, sizeof name, "%d", (int)pid);
	cb(arg, name, (size_t)len, make_ino(pid, 0, 0));
}

void pl_tree_each_root_name(const struct pl_tree *k,
                            void (*cb)(void *arg, const char *name, size_t len, uint64_t ino),
                            void *arg)
{
	const struct pl_layout *l = k->layout;
	for (uint32_t i = l->root_first; i < l->root_first + l->root_n; i++)
		cb(arg, l->entries[i].name, l->entries[i].len, make_ino(0, 0, i + 2));
	/* the tasks listed first: a source may hold a lock while it lists */
	struct pid_list tgids = { NULL, 0, 0 };
	k->src->ops->each_tgid(k->src, 1, collect_pid, &tgids);
	for (size_t i = 0; i < tgids.n; i++) {
		name_task(tgids.v[i], cb, arg);
		struct pl_task *t;
		if (pl_builtin_load(k->src, tgids.v[i], 0, PL_F_THREADS, &t) < 0)
			continue;
		struct pid_list tids = { NULL, 0, 0 }; /* the scratch is reused below */
		for (size_t j = 0; j < t->nthreads; j++)
			if (t->threads[j] != tgids.v[i])
				collect_pid(&tids, t->threads[j]);
		for (size_t j = 0; j < tids.n; j++)
			name_task(tids.v[j], cb, arg);
		free(tids.v);
	}
	free(tgids.v);
}

int pl_tree_getattr(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_attr *out)
{
	struct node n = decode(ino);
	if (is_object(n))
		return tree_object_getattr(k, n, out);
	return n.tgid ? attr_task_level(k, n, out, NULL) : attr_root_level(k, c, n, out);
}

int tree_getattr_absent(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_attr *out,
                        uint64_t *absent)
{
	struct node n = decode(ino);
	*absent = 0;
	if (is_object(n))
		return tree_object_getattr(k, n, out);
	return n.tgid ? attr_task_level(k, n, out, absent) : attr_root_level(k, c, n, out);
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
int tree_caller_in_tree(struct pl_tree *k, struct pl_caller *c, pl_pid *tgid, pl_pid *tid)
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

/*
** The caller as a thread of the source, for what the source answers by
** the reader (its clock, its network namespace): the host thread itself
** (renumbered by a view), a world's self task or the task it is.  0 when
** there is none.
*/
pl_pid tree_caller_source_tid(struct pl_tree *k, struct pl_caller *c)
{
	struct pl_source *src = k->src;
	pl_pid tgid, tid = c->pid;
	if (src->ops->pin) /* host tasks: the caller is a host thread */
		return src->ops->map_host_pid && src->ops->map_host_pid(src, c->pid, &tid) < 0 ? 0 : tid;
	return tree_caller_in_tree(k, c, &tgid, &tid) < 0 ? 0 : tid;
}

int64_t tree_caller_boot_shift(struct pl_tree *k, struct pl_caller *c)
{
	int64_t ns = 0;
	if (!k->src->ops->boottime_offset)
		return 0;
	pl_pid tid = tree_caller_source_tid(k, c);
	if (tid <= 0 || k->src->ops->boottime_offset(k->src, tid, &ns) < 0)
		return 0;
	return ns;
}

int tree_entry_seen(struct pl_tree *k, pl_pid reader, const struct pl_entry *e, unsigned *mode)
{
	*mode = 0;
	if (!e->ns_varies || reader <= 0 || !k->src->ops->setting_seen)
		return 1;
	return k->src->ops->setting_seen(k->src, reader, e->ns_path, mode) != 0;
}

/* ------------------------------------------------------------------------
** mode bits, checked here (the mount does not use default_permissions:
** the kernel would ask for the attributes of every node on every walk)
*/

/* A node's mode when it is known without I/O; -1 for fd links (their mode
** follows the open file). */
static int node_mode(const struct pl_tree *k, struct node n, uint32_t *mode)
{
	if (is_object(n))
		return -1;
	if ((n.tgid == 0 && n.slot == ROOT_SLOT) || (n.tgid && n.slot == 0)) {
		*mode = 0555;
		return 0;
	}
	const struct pl_entry *e = is_fd_slot(n.slot) ? NULL : entry_of(k, n.slot);
	if (!e || e->ns_varies) /* a sys/net name: its mode is the reader's namespace's */
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
	int rc = pl_tree_getattr(k, c, ino, &a);
	if (rc < 0)
		return rc;
	return pl_dac_permission(c, a.mode & 07777, a.uid, a.gid, S_ISDIR(a.mode), mask);
}

/* The sys/ setting a node serves, or -1. */
static int node_sysctl(const struct pl_tree *k, struct node n)
{
	const struct pl_entry *e = root_entry(k, n);
	return e && e->kind == PL_K_FILE ? pl_builtin_sysctl(e->gen) : -1;
}

int pl_tree_access(struct pl_tree *k, struct pl_caller *c, uint64_t ino, int mask)
{
	struct node n = decode(ino);
	/* a setting is judged as proc_sys_permission judges it: the kernel's
	** mode for it (narrowed by the layout's), by effective ids, no
	** capability but those its table's root counts */
	int setting = node_sysctl(k, n);
	if (setting >= 0)
		return pl_sysctl_permission(k->src, c, setting, entry_of(k, n.slot)->mode, mask);
	const struct pl_entry *e = root_entry(k, n);
	if (e && e->kind == PL_K_SETTING) {
		struct pl_attr a; /* its mode as the caller's namespace shows it */
		int rc = e->ns_varies ? pl_tree_getattr(k, c, ino, &a) : 0;
		return rc < 0 ? rc : pl_setting_permission(k->src, c, e->content,
		                                           e->ns_varies ? a.mode & 0777 : e->mode, mask);
	}
	return anyone_may(k, n, mask) ? 0 : access_by_owner(k, c, ino, mask);
}

/* ------------------------------------------------------------------------
** lookup
*/

/*
** A pid or fd name as Linux's name_to_int reads it: decimal digits only (no
** sign, no space), no leading zero but "0" itself, and at most what an
** unsigned int holds less a margin.  1 and *v, or 0.
*/
static int name_to_int(const char *name, unsigned *v)
{
	size_t len = strlen(name);
	unsigned n = 0;
	if (len == 0 || (len > 1 && name[0] == '0'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(name[i] - '0');
		if (d > 9 || n >= (UINT_MAX - 9) / 10)
			return 0;
		n = n * 10 + d;
	}
	*v = n;
	return 1;
}

/* A pid name: name_to_int's, within what an inode number can hold. */
static int parse_pid(const char *name, pl_pid *pid)
{
	unsigned v;
	if (!name_to_int(name, &v) || v == 0 || v > TID_MASK)
		return 0;
	*pid = (pl_pid)v;
	return 1;
}

pl_pid tree_own_fd_dir(struct pl_tree *k, struct pl_caller *c, struct node n)
{
	const struct pl_entry *e = n.tgid && !is_object(n) ? entry_of(k, n.slot) : NULL;
	return e && e->kind == PL_K_FDDIR ? tree_object_own_fds(k, c, n) : 0;
}

int tree_fdinfo_allowed(struct pl_tree *k, struct pl_caller *c, struct node n)
{
	int permitted;
	return pl_builtin_decide(k->src, c, n.tgid, n.tid, PL_G_FDINFO, &permitted);
}

static int lookup_fd(struct pl_tree *k, struct pl_caller *c, struct node dir, int info,
                     const char *name, struct pl_attr *out)
{
	/* the directory's own check comes before the name, as the VFS makes
	** it before ->lookup */
	int rc;
	if (info && (rc = tree_fdinfo_allowed(k, c, dir)) < 0)
		return rc;
	unsigned fd;
	if (!info && !name_to_int(name, &fd)) /* what a link names: pipe:[N], ... */
		return tree_object_lookup_fd(k, c, dir, name, out);
	if (!name_to_int(name, &fd) || fd >= FD_MAX)
		return -ENOENT;
	pl_pid own = info ? 0 : tree_object_own_fds(k, c, dir);
	if (own) /* a world's caller's own fd/: its real files */
		return tree_object_lookup_own_fd(k, own, (int)fd, out);
	/* fd/N's attributes are found with the fd itself (fdinfo/N's with its
	** owner, once the fd is known to be open) */
	uint32_t slot = FD_BIT | ((uint32_t)fd << 1) | (info ? 1 : 0);
	struct node n = { dir.tgid, dir.tid, slot };
	if (!info)
		return attr_task_level(k, n, out, NULL);
	struct pl_fd f;
	rc = pl_source_load_fd(k->src, dir.tgid, dir.tid, (int)fd, &pl_scratch()->arena, &f);
	return rc < 0 ? rc : attr_task_level(k, n, out, NULL);
}

static int lookup_in(struct pl_tree *k, struct pl_caller *c, struct node dir,
                     const struct pl_entry *parent, const char *name, struct pl_attr *out)
{
	const struct pl_layout *l = k->layout;
	size_t len = strlen(name);
	if (!parent) { /* a task's own directory */
		int i = pl_layout_find(l, l->task_first, l->task_n, name, len, dir.tid != 0);
		if (i < 0) /* what an ns link here names */
			return tree_object_lookup_ns(k, c, dir, l->task_first, l->task_n, name, out);
		return attr_task_level(k, (struct node){ dir.tgid, dir.tid, (uint32_t)i + 2 }, out, NULL);
	}
	switch (parent->kind) {
	case PL_K_DIR: {
		int i = pl_layout_find(l, parent->first, parent->n, name, len, dir.tid != 0);
		if (i < 0 && dir.tgid) /* what an ns link here names */
			return tree_object_lookup_ns(k, c, dir, parent->first, parent->n, name, out);
		if (i < 0 && !dir.tgid) { /* a name only the caller's network namespace has */
			uint64_t ino;
			int rc = tree_netname_lookup(k, c, parent, name, &ino);
			return rc < 0 ? rc : attr_root_level(k, c, decode(ino), out);
		}
		if (i < 0)
			return -ENOENT;
		struct node n = { dir.tgid, dir.tid, (uint32_t)i + 2 };
		return n.tgid ? attr_task_level(k, n, out, NULL) : attr_root_level(k, c, n, out);
	}
	case PL_K_TASKDIR: {
		pl_pid tid;
		if (!parse_pid(name, &tid))
			return -ENOENT;
		int rc = k->src->ops->task_exists(k->src, dir.tgid, tid);
		if (rc < 0)
			return rc == -ESRCH ? -ENOENT : rc;
		rc = attr_task_level(k, (struct node){ dir.tgid, tid, 0 }, out, NULL);
		if (rc == 0 && out->cache == PL_CACHE_NONE && pl_exitwatch_may_cache(k->exits, dir.tgid, tid))
			out->cache = PL_CACHE_TASK;
		return rc;
	}
	case PL_K_FDDIR:
	case PL_K_FDINFODIR:
		return lookup_fd(k, c, dir, parent->kind == PL_K_FDINFODIR, name, out);
	case PL_K_MAPFILESDIR:
		return tree_mapfiles_lookup(k, c, dir, name, out);
	case PL_K_NETIFACEDIR:
		return tree_ifaces_lookup(k, dir, name, out);
	case PL_K_SETTINGS: /* not made into the source's settings: empty */
		return -ENOENT;
	default:
		return -ENOTDIR;
	}
}

static int lookup_node(struct pl_tree *k, struct pl_caller *c, struct node dir,
                       const char *name, struct pl_attr *out)
{
	const struct pl_layout *l = k->layout;
	if (is_object(dir))
		return -ENOTDIR;
	if (dir.tgid == 0) {
		if (dir.slot == ROOT_SLOT) {
			int i = pl_layout_find(l, l->root_first, l->root_n, name, strlen(name), 0);
			if (i >= 0)
				return attr_root_level(k, c, (struct node){ 0, 0, (uint32_t)i + 2 }, out);
			pl_pid pid, me, me_tid;
			if (!parse_pid(name, &pid))
				return -ENOENT;
			int rc = k->src->ops->task_exists(k->src, pid, pid);
			/* a caller looking up its own pid (procps does), as the
			** daemon's namespace or its own numbers it, from a view or
			** a world finds itself as the tree shows it */
			int mine = 0;
			if (rc == -ESRCH && caller_tgid(c, &me) == 0 &&
			    (me == pid || c->ns_tgid == pid) && tree_caller_in_tree(k, c, &me, &me_tid) == 0)
				rc = 0, pid = me, mine = 1;
			if (rc < 0)
				return rc == -ESRCH ? -ENOENT : rc;
			rc = attr_task_level(k, (struct node){ pid, 0, 0 }, out, NULL);
			if (rc == 0 && out->cache == PL_CACHE_NONE && !mine &&
			    pl_exitwatch_may_cache(k->exits, pid, 0))
				out->cache = PL_CACHE_TASK;
			if (mine) /* the name means this task to this caller only */
				out->cache = PL_CACHE_NONE;
			if (k->host && pid == k->self_fallback) { /* a world's self (object.c) */
				out->cache = PL_CACHE_NONE;
				tree_object_note_self_name(c->pid);
			}
			return rc;
		}
		const struct pl_entry *e = root_entry(k, dir);
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
	if (denied && tree_own_fd_dir(k, c, dir)) /* a world's caller's own fd/ */
		denied = 0;
	if (denied)
		return denied;
	int rc = lookup_node(k, c, dir, name, out);
	/* The kernel walks cached entries without asking again, for any caller:
	** what lies behind a directory not everyone may search is not cached
	** (an object's name never is; its attributes are the object's). */
	if (rc == 0 && !anyone_may_search && out->cache != PL_CACHE_OBJECT)
		out->cache = PL_CACHE_NONE;
	return rc;
}

struct pl_buf *pl_tree_reply_buffer(size_t n)
{
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return NULL;
	pl_buf_reset(&s->reply);
	return pl_buf_reserve(&s->reply, n) ? &s->reply : NULL;
}

void pl_tree_request_done(void)
{
	pl_scratch_trim(PL_TREE_SCRATCH_KEPT);
}
