/*
** Directories of the tree: listed at the first read from offset 0, with
** offsets that stay valid across the listing (names are layout indexes,
** pids and fds, not positions; a sys/net directory holding names of its
** opener's own namespace numbers them by position, fixed at the listing).
*/
#include "tree/node.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t dtype(const struct pl_entry *e)
{
	uint32_t t = pl_entry_type(e);
	return t == S_IFDIR ? DT_DIR : t == S_IFLNK ? DT_LNK : DT_REG;
}

struct lister {
	struct pl_dir *d;
	size_t cap;
	int err;
	struct pl_tree *k;
	unsigned nets, have_nets;  /* net/ files listed, and those the task has */
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
                        uint32_t n, pl_pid tgid, pl_pid tid, uint64_t absent)
{
	for (uint32_t i = first; i < first + n; i++) {
		const struct pl_entry *e = &l->entries[i];
		if (tgid && (!pl_entry_visible(e, tid != 0) || tree_entry_absent(l, e, absent)))
			continue;
		unsigned mode;
		if (!tgid && !tree_entry_seen(ls->k, ls->d->reader, e, &mode))
			continue;
		/* a net/ file its namespace has not (a kernel without IPv6) */
		int net = tgid && e->kind == PL_K_FILE ? pl_builtin_net_file(e->gen) : -1;
		if (net >= 0) {
			uint32_t uid, gid;
			struct pl_source *src = ls->k->src;
			ls->nets++;
			if (!src->ops->stat_net || src->ops->stat_net(src, tgid, tid, net, &uid, &gid) < 0)
				continue;
			ls->have_nets++;
		}
		add_ent(ls, make_ino(tgid, tid, i + 2), i - first + 3, dtype(e), e->name);
	}
}

static void add_reader_name(void *arg, uint64_t ino, unsigned mode, const char *name)
{
	struct lister *ls = arg;
	add_ent(ls, ino, 0, S_ISDIR(mode) ? DT_DIR : DT_REG, name);
}

/* The kernel's order of names in a sysctl directory (namecmp): their
** bytes, then the shorter first. */
static int by_namecmp(const void *pa, const void *pb)
{
	const char *a = ((const struct pl_dirent *)pa)->name, *b = ((const struct pl_dirent *)pb)->name;
	size_t la = strlen(a), lb = strlen(b);
	int cmp = memcmp(a, b, la < lb ? la : lb);
	return cmp ? cmp : la < lb ? -1 : la > lb;
}

/*
** A sys/net directory as its opener's network namespace has it: the
** layout's names it has (add_entries), and those only it has, in the
** kernel's order; offsets then follow that order.
*/
static int add_reader_names(struct lister *ls, const struct pl_entry *e)
{
	struct pl_dir *d = ls->d;
	size_t had = d->n;
	int rc = tree_netnames_list(ls->k, d->reader, e, add_reader_name, ls);
	if (rc < 0 || ls->err)
		return rc < 0 ? rc : ls->err;
	if (d->n == had)
		return 0;
	qsort(d->ents + 2, d->n - 2, sizeof *d->ents, by_namecmp);
	for (size_t i = 2; i < d->n; i++)
		d->ents[i].next_off = i + 1;
	return 0;
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

static void add_map_file(void *arg, uint64_t ino, uint64_t off, const char *name)
{
	add_ent(arg, ino, off, DT_LNK, name);
}

static void add_iface(void *arg, uint64_t ino, uint64_t off, const char *name)
{
	add_ent(arg, ino, off, DT_REG, name);
}

/* fd/N or fdinfo/N: its entry. */
static void add_fd(struct lister *ls, struct node n, int info, int fd)
{
	if (fd < 0 || fd >= FD_MAX)
		return;
	char name[16];
	snprintf(name, sizeof name, "%d", fd);
	uint32_t slot = FD_BIT | ((uint32_t)fd << 1) | (uint32_t)info;
	add_ent(ls, make_ino(n.tgid, n.tid, slot), (uint64_t)fd + 3, info ? DT_REG : DT_LNK, name);
}

static int list_dir(struct pl_tree *k, struct pl_dir *d)
{
	struct node n = decode(d->ino);
	const struct pl_layout *l = k->layout;
	struct lister ls = { d, 0, 0, k, 0, 0 };
	add_ent(&ls, d->ino, 1, DT_DIR, ".");
	add_ent(&ls, n.tgid ? make_ino(n.tgid, 0, 0) : PL_ROOT_INO, 2, DT_DIR, "..");
	if (n.tgid == 0 && n.slot == ROOT_SLOT) {
		add_entries(&ls, l, l->root_first, l->root_n, 0, 0, 0);
		struct pid_lister pl = { &ls, PID_OFF, 0 };
		int rc = k->src->ops->each_tgid(k->src, 1, add_pid, &pl);
		return rc < 0 ? rc : ls.err;
	}
	if (n.tgid && n.slot == 0) {
		add_entries(&ls, l, l->task_first, l->task_n, n.tgid, n.tid, d->absent);
		return ls.err;
	}
	const struct pl_entry *e = n.tgid ? entry_of(k, n.slot) : root_entry(k, n);
	if (!e || pl_entry_type(e) != S_IFDIR)
		return -ENOTDIR;
	struct pl_task *t;
	int rc;
	switch (e->kind) {
	case PL_K_DIR:
		add_entries(&ls, l, e->first, e->n, n.tgid, n.tid, d->absent);
		if (!n.tgid && e->ns_path && !ls.err)
			return add_reader_names(&ls, e);
		/* net/ of a task without a network namespace (a zombie):
		** proc_tgid_net_readdir's EINVAL */
		return ls.err ? ls.err : ls.nets && !ls.have_nets ? -EINVAL : 0;
	case PL_K_SETTINGS: /* not made into the source's settings: empty */
		return ls.err;
	case PL_K_MAPFILESDIR: /* the dots, then what the caller may see */
		if (d->denied)
			return d->denied == -ESRCH ? ls.err : 0;
		rc = tree_mapfiles_list(k, n, add_map_file, &ls);
		return rc < 0 ? rc : ls.err;
	case PL_K_NETIFACEDIR:
		rc = tree_ifaces_list(k, n, add_iface, &ls);
		return rc < 0 ? rc : ls.err;
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
		if (d->own_fds) { /* a world's caller's own: its real files */
			if ((rc = pl_builtin_load(k->host, d->own_fds, 0, PL_F_FDS, &t)) < 0)
				return rc;
			for (size_t i = 0; i < t->nfds; i++) {
				int fd = t->fds[i].fd;
				char name[16];
				snprintf(name, sizeof name, "%d", fd);
				if (fd < FD_MAX)
					add_ent(&ls, make_obj_ino(d->own_fds, OBJ_OWN_LINK, fd), (uint64_t)fd + 3,
					        DT_LNK, name);
			}
			return ls.err;
		}
		if (k->src->ops->list_fds) { /* the names alone, as the kernel lists them */
			int32_t *fds;
			size_t nfds;
			if ((rc = k->src->ops->list_fds(k->src, n.tgid, n.tid, &d->arena, &fds, &nfds)) < 0)
				return rc;
			for (size_t i = 0; i < nfds; i++)
				add_fd(&ls, n, e->kind == PL_K_FDINFODIR, fds[i]);
			return ls.err;
		}
		if ((rc = load_task(k, n, PL_F_FDS, &t)) < 0)
			return rc;
		for (size_t i = 0; i < t->nfds; i++)
			add_fd(&ls, n, e->kind == PL_K_FDINFODIR, t->fds[i].fd);
		return ls.err;
	default:
		return -ENOTDIR;
	}
}

int pl_tree_opendir(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_dir **out)
{
	struct pl_attr a;
	uint64_t absent;
	int rc = tree_getattr_absent(k, c, ino, &a, &absent);
	if (rc < 0)
		return rc;
	if (!S_ISDIR(a.mode))
		return -ENOTDIR;
	struct node n = decode(ino);
	pl_pid own_fds = tree_own_fd_dir(k, c, n);
	if (!own_fds && (rc = pl_dac_permission(c, a.mode & 07777, a.uid, a.gid, 1, PL_MAY_READ)) < 0)
		return rc;
	const struct pl_entry *e = n.tgid ? entry_of(k, n.slot) : NULL;
	if (e && e->kind == PL_K_FDINFODIR && (rc = tree_fdinfo_allowed(k, c, n)) < 0)
		return rc;
	/* map_files/ opens; its listing is refused past the dots, or empty
	** for a task without an address space (proc_map_files_readdir) */
	int denied = e && e->kind == PL_K_MAPFILESDIR ? tree_mapfiles_allowed(k, c, n) : 0;
	if (denied < 0 && denied != -EACCES && denied != -ESRCH)
		return denied;
	struct pl_dir *d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->denied = denied;
	d->ino = ino;
	/* only sys/ directories hold names a reader's namespace decides */
	if (!n.tgid && n.slot != ROOT_SLOT && k->src->ops->setting_seen)
		d->reader = tree_caller_source_tid(k, c);
	d->absent = absent;
	d->own_fds = own_fds;
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
	if (d->denied == -EACCES && off >= 2) /* the dots were given */
		return d->denied;
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
