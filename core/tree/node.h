/*
** The tree's inode numbers and the helpers its files share (tree.c:
** attributes, access and lookup; file.c: links and files; dir.c:
** directories).  Private to tree/.
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
#ifndef PL_TREE_NODE_H
#define PL_TREE_NODE_H

#include <sys/stat.h>

#include "tree/builtin.h"
#include "tree/tree.h"

#define SLOT_BITS 20
#define TID_BITS 22
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define TID_MASK ((1u << TID_BITS) - 1)
#define FD_BIT (1u << (SLOT_BITS - 1))
#define FD_MAX (1 << (SLOT_BITS - 2))
#define ROOT_SLOT 1
_Static_assert(PL_LAYOUT_MAX_ENTRIES + 2 <= FD_BIT, "layout entries' slots reach fd/N's");

/* Readdir offsets: ".", "..", entries at index + 3, pids past PID_OFF. */
#define PID_OFF (1ull << 32)

struct node {
	pl_pid tgid, tid;          /* tid 0: thread-group level */
	uint32_t slot;
};

static inline uint64_t make_ino(pl_pid tgid, pl_pid tid, uint32_t slot)
{
	return ((uint64_t)tgid << (TID_BITS + SLOT_BITS)) |
	       ((uint64_t)tid << SLOT_BITS) | slot;
}

static inline struct node decode(uint64_t ino)
{
	struct node n;
	n.slot = (uint32_t)(ino & SLOT_MASK);
	n.tid = (pl_pid)((ino >> SLOT_BITS) & TID_MASK);
	n.tgid = (pl_pid)(ino >> (TID_BITS + SLOT_BITS));
	return n;
}

static inline int is_fd_slot(uint32_t slot) { return (slot & FD_BIT) != 0; }
static inline int fd_of(uint32_t slot) { return (int)((slot & ~FD_BIT) >> 1); }
static inline int is_fdinfo(uint32_t slot) { return slot & 1; }

static inline const struct pl_entry *entry_of(const struct pl_tree *k, uint32_t slot)
{
	if (slot < 2 || is_fd_slot(slot) || slot - 2 >= k->layout->nentries)
		return NULL;
	return &k->layout->entries[slot - 2];
}

/* The facts of the task a node belongs to, in the worker's scratch. */
static inline int load_task(struct pl_tree *k, struct node n, unsigned want, struct pl_task **out)
{
	return pl_builtin_load(k->src, n.tgid, n.tid, want, out);
}

static inline uint32_t type_bits(const struct pl_entry *e)
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

/* budget.c: snapshot bytes held for an opener's uid; take: 1 if within
** the budget (and counted), 0 if not. */
#define PL_BUDGET_PER_UID (64u << 20)
#define PL_BUDGET_TOTAL (512u << 20)
int pl_budget_take(uint32_t uid, size_t n);
void pl_budget_give(uint32_t uid, size_t n);

/* tree.c: who the caller is in this tree (its pids, renumbered by a pid
** view, or a world's self task); 0 or -ENOENT. */
int tree_caller_in_tree(struct pl_tree *k, struct pl_caller *c, pl_pid *tgid, pl_pid *tid);
/* tree.c: whether entry e is missing from a task whose absent entries
** (pl_task.absent) are `absent`: a builtin named there, fd/, fdinfo/ or
** task/ named there, a static directory whose every builtin is missing. */
int tree_entry_absent(const struct pl_layout *l, const struct pl_entry *e, uint64_t absent);
/* tree.c: pl_tree_getattr, and the absent entries of the node's task (0 at
** the root level), loaded with its owner. */
int tree_getattr_absent(struct pl_tree *k, uint64_t ino, struct pl_attr *out, uint64_t *absent);
/* tree.c: fdinfo/ itself asks for ptrace read access (proc_fdinfo_permission). */
int tree_fdinfo_allowed(struct pl_tree *k, struct pl_caller *c, struct node n);

#endif
