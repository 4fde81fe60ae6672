/*
** map_files/: a link per region of the task's address space that maps a
** file, named "start-end" as "%lx" prints them, leading to that file
** (Linux's proc_map_files_lookup, proc_map_files_readdir and
** map_files_get_link), as the reference kernel (6.18) orders its checks:
** a lookup reads the name before it asks for the address space.
**
** The names and which regions have a file come from the task's maps
** facts; what the maps text does not say comes from the source
** (load_map_file): a host's kernel gives each link's target raw (maps
** escapes a newline) and its mode bits, the mapped file's f_mode.  For a
** world's region the link is made here: the declared name, unescaped; read
** always (mmap needs a file opened for reading), write where the region is
** a shared writable mapping (which needs a file opened for writing).
**
** A link's inode is the index of its region (node.h).  Its name is never
** cached (PL_CACHE_NONE: the directory is not everyone's to search), so
** every walk looks the name up again and finds the region's index anew.
*/
#include "tree/node.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "record/scratch.h"

/* A region the kernel gives a vm_file: maps prints its device and inode,
** or its path. */
static int maps_a_file(const struct pl_region *r)
{
	return r->inode || r->dev_major || r->dev_minor || (r->name && r->name[0] == '/');
}

/*
** One address of a name as Linux's dname_to_vma_addr reads it: hex digits
** of either case, none at all read as 0, no leading zero before another
** digit, within 64 bits.  The end of what was read, or NULL.
*/
static const char *parse_addr(const char *s, int last, uint64_t *v)
{
	if (s[0] == '0' && (last ? s[1] != '\0' : s[1] != '-'))
		return NULL;
	uint64_t n = 0;
	for (; isxdigit((unsigned char)*s); s++) {
		int d = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
		if (n >> 60)
			return NULL;
		n = n << 4 | (uint64_t)d;
	}
	*v = n;
	return s;
}

static int parse_name(const char *name, uint64_t *start, uint64_t *end)
{
	const char *s = parse_addr(name, 0, start);
	if (!s || *s != '-')
		return 0;
	s = parse_addr(s + 1, 1, end);
	return s && *s == '\0';
}

/*
** mm_access(task, PTRACE_MODE_READ_FSCREDS), as lookup and readdir ask it:
** a task without an address space (a zombie, a kernel thread) is ESRCH
** with no check made, else the caller needs ptrace read access or, as the
** reference kernel (6.18) lets it, to be perfmon_capable (CAP_PERFMON or
** CAP_SYS_ADMIN in the initial namespace); else EACCES.
*/
int tree_mapfiles_allowed(struct pl_tree *k, struct pl_caller *c, struct node dir)
{
	struct pl_task *t;
	int rc = load_task(k, dir, PL_F_STATUS | PL_F_OWNER, &t);
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	if (!t->has_mm)
		return -ESRCH;
	if (pl_ptrace_may_access(c, k->src, t, PL_PTRACE_READ))
		return 0;
	return pl_caller_capable(c, PL_CAP_PERFMON) || pl_caller_capable(c, PL_CAP_SYS_ADMIN) ? 0 : -EACCES;
}

/* proc_fd_access_allowed, readlink's: ptrace read access, else EACCES. */
static int readlink_allowed(struct pl_tree *k, struct pl_caller *c, struct node n)
{
	int permitted;
	int rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, PL_G_FDINFO, &permitted);
	return rc == -ESRCH ? -ENOENT : rc;
}

/* The task's regions, in the worker's scratch (with its owner). */
static int load_regions(struct pl_tree *k, struct node n, struct pl_task **t)
{
	int rc = load_task(k, n, PL_F_OWNER | PL_F_MAPS, t);
	return rc == -ESRCH ? -ENOENT : rc;
}

/* The link of region r: the source's, or made from the region. */
static int map_file(struct pl_tree *k, struct node n, const struct pl_region *r,
                    struct pl_map_file *out)
{
	struct pl_arena *a = &pl_scratch()->arena;
	if (k->src->ops->load_map_file) {
		int rc = k->src->ops->load_map_file(k->src, n.tgid, n.tid, r->start, r->end, a, out);
		if (rc != -ENOSYS)
			return rc == -ESRCH ? -ENOENT : rc;
	}
	out->f_mode = 1 | (r->perms[1] == 'w' && r->perms[3] == 's' ? 2 : 0);
	const char *name = r->name ? r->name : "";
	size_t len = strlen(name);
	char *raw = pl_arena_alloc(a, len + 1);
	if (!raw)
		return -ENOMEM;
	size_t j = 0;
	for (size_t i = 0; i < len; i++) { /* maps' only escape: "\012" for a newline */
		if (strncmp(name + i, "\\012", 4) == 0) {
			raw[j++] = '\n';
			i += 3;
		} else {
			raw[j++] = name[i];
		}
	}
	raw[j] = '\0';
	out->target = raw;
	return 0;
}

/* Attributes of the link of region i of task t (proc_map_files_instantiate). */
static int link_attr(struct pl_tree *k, struct node n, const struct pl_task *t, size_t i,
                     struct pl_attr *out)
{
	struct pl_map_file mf;
	int rc = map_file(k, n, &t->regions[i], &mf);
	if (rc < 0)
		return rc;
	uint32_t mode = ((mf.f_mode & 1) ? 0400 : 0) | ((mf.f_mode & 2) ? 0200 : 0);
	memset(out, 0, sizeof *out);
	out->ino = make_ino(n.tgid, n.tid, mapf_slot(i));
	out->mode = S_IFLNK | mode;
	out->nlink = 1;
	pl_task_owner(t, mode, 0, &out->uid, &out->gid);
	out->size = 64; /* as proc_map_files_instantiate sets it */
	out->cache = PL_CACHE_NONE;
	return 0;
}

/* proc_map_files_lookup: the name, mm_access, the exact region (the
** task was found by the directory's own check, pl_tree_lookup's). */
int tree_mapfiles_lookup(struct pl_tree *k, struct pl_caller *c, struct node dir,
                         const char *name, struct pl_attr *out)
{
	uint64_t start, end;
	if (!parse_name(name, &start, &end))
		return -ENOENT;
	int rc = tree_mapfiles_allowed(k, c, dir);
	if (rc < 0)
		return rc;
	struct pl_task *t;
	if ((rc = load_regions(k, dir, &t)) < 0)
		return rc;
	for (size_t i = 0; i < t->nregions && i < MAPF_MAX; i++) {
		const struct pl_region *r = &t->regions[i];
		if (r->start == start && r->end == end)
			return maps_a_file(r) ? link_attr(k, dir, t, i, out) : -ENOENT;
	}
	return -ENOENT;
}

int tree_mapfiles_list(struct pl_tree *k, struct node dir,
                       void (*add)(void *arg, uint64_t ino, uint64_t off, const char *name),
                       void *arg)
{
	struct pl_task *t;
	int rc = load_regions(k, dir, &t);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < t->nregions && i < MAPF_MAX; i++) {
		const struct pl_region *r = &t->regions[i];
		if (!maps_a_file(r))
			continue;
		char name[40];
		snprintf(name, sizeof name, "%llx-%llx", (unsigned long long)r->start,
		         (unsigned long long)r->end);
		add(arg, make_ino(dir.tgid, dir.tid, mapf_slot(i)), (uint64_t)i + 3, name);
	}
	return 0;
}

/* Region i of the task, while it still maps a file. */
static int find_region(struct pl_tree *k, struct node n, struct pl_task **t)
{
	int rc = load_regions(k, n, t);
	if (rc < 0)
		return rc;
	size_t i = region_of(n.slot);
	return i < (*t)->nregions && maps_a_file(&(*t)->regions[i]) ? 0 : -ENOENT;
}

int tree_mapfiles_getattr(struct pl_tree *k, struct node n, struct pl_attr *out)
{
	struct pl_task *t;
	int rc = find_region(k, n, &t);
	return rc < 0 ? rc : link_attr(k, n, t, region_of(n.slot), out);
}

/*
** proc_pid_readlink: ptrace read access (EACCES), then the file.  Linux
** lets only CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the initial
** namespace follow the link (EPERM); a FUSE server is asked the same for a
** readlink and for a walk through the link, and readlink(2) is Linux's to
** anyone with ptrace read access, so that is what is given here.  A walk
** then resolves the path as the caller itself would.
*/
int tree_mapfiles_readlink(struct pl_tree *k, struct pl_caller *c, struct node n,
                           struct pl_buf *out)
{
	int rc = readlink_allowed(k, c, n);
	struct pl_task *t;
	if (rc < 0 || (rc = find_region(k, n, &t)) < 0)
		return rc;
	struct pl_map_file mf;
	if ((rc = map_file(k, n, &t->regions[region_of(n.slot)], &mf)) < 0)
		return rc;
	pl_buf_puts(out, mf.target);
	return pl_buf_status(out);
}
