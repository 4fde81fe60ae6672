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
** layout entry i inside it, slots with bit 19 set are fd/N (bit 0
** clear) and fdinfo/N (bit 0 set), and slots with bit 18 set (19 clear)
** are map_files/ links, by the index of their region in the task's maps
** (found again in the maps at each request: a name there is never
** cached), and slots with bit 17 set (18 and 19 clear) are the files of
** net/dev_snmp6/, by their interface's index.  pid_max is at most 2^22, so
** tgid and tid fit; fds at or above 2^18 are not shown, nor regions past
** the 2^18th (vm.max_map_count is 65530 by default), nor interfaces whose
** index reaches 2^17.
**
** tgid 0 with a tid names what a link of task `tid` (a thread id names the
** thread's own files, as /proc/<tid>/ does) leads to: the object a magic
** link of ns/ or fd/ stands for (object.c).  The slot's top two bits say
** which, the other 18 which link:
**
**   OBJ_NS      ns link `slot & OBJ_ARG` (PL_NS_*): the namespace
**   OBJ_FD      fd/N: the open file, as anyone sees it (a pipe is a FIFO)
**   OBJ_OWN_FD  fd/N as its own process opens it: a pipe is read and
**               written through the daemon (a regular file)
**   OBJ_OWN_LINK  in a world, a caller's own fd/N: tid is its host pid
**               (OBJ_OWN_FD then too), read from the host
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
#define MAPF_BIT (1u << (SLOT_BITS - 2))
#define MAPF_MAX (1 << (SLOT_BITS - 2))
#define IFACE_BIT (1u << (SLOT_BITS - 3))
#define IFACE_MAX (1u << (SLOT_BITS - 3))
#define ROOT_SLOT 1
_Static_assert(PL_LAYOUT_MAX_ENTRIES + 2 <= IFACE_BIT, "layout entries' slots reach dev_snmp6/'s");

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

#define OBJ_SHIFT (SLOT_BITS - 2)
#define OBJ_ARG ((1u << OBJ_SHIFT) - 1)
enum { OBJ_NS, OBJ_FD, OBJ_OWN_FD, OBJ_OWN_LINK };
_Static_assert(FD_MAX - 1 <= OBJ_ARG, "an fd fits an object slot");

static inline int is_object(struct node n) { return n.tgid == 0 && n.tid != 0; }
static inline int obj_kind(struct node n) { return (int)(n.slot >> OBJ_SHIFT); }
static inline int obj_arg(struct node n) { return (int)(n.slot & OBJ_ARG); }
static inline uint64_t make_obj_ino(pl_pid pid, int kind, int arg)
{
	return make_ino(0, pid, ((uint32_t)kind << OBJ_SHIFT) | (uint32_t)arg);
}

static inline int is_fd_slot(uint32_t slot) { return (slot & FD_BIT) != 0; }
static inline int fd_of(uint32_t slot) { return (int)((slot & ~FD_BIT) >> 1); }
static inline int is_fdinfo(uint32_t slot) { return slot & 1; }

/* A map_files/ link's slot: the index of its region. */
static inline int is_mapf_slot(uint32_t slot) { return !is_fd_slot(slot) && (slot & MAPF_BIT); }
static inline uint32_t mapf_slot(size_t region) { return MAPF_BIT | (uint32_t)region; }
static inline size_t region_of(uint32_t slot) { return slot & (MAPF_BIT - 1); }

/* A dev_snmp6/ file's slot: its interface's index. */
static inline int is_iface_slot(uint32_t slot)
{
	return (slot & (FD_BIT | MAPF_BIT | IFACE_BIT)) == IFACE_BIT;
}
static inline uint32_t iface_slot(uint32_t ifindex) { return IFACE_BIT | ifindex; }
static inline uint32_t ifindex_of(uint32_t slot) { return slot & (IFACE_BIT - 1); }

static inline const struct pl_entry *entry_of(const struct pl_tree *k, uint32_t slot)
{
	if (slot < 2 || is_fd_slot(slot) || is_mapf_slot(slot) || is_iface_slot(slot) ||
	    slot - 2 >= k->layout->nentries)
		return NULL;
	return &k->layout->entries[slot - 2];
}

/* netnames.c: entry `id` of the sys/net names only a reader's namespace
** has, or NULL. */
const struct pl_entry *tree_netname(const struct pl_tree *k, uint32_t id);

/* A root-level node's entry: the layout's, or a reader's sys/net name. */
static inline const struct pl_entry *root_entry(const struct pl_tree *k, struct node n)
{
	if (n.tgid || n.tid)
		return NULL;
	return is_fd_slot(n.slot) ? tree_netname(k, n.slot & ~FD_BIT) : entry_of(k, n.slot);
}

/* The facts of the task a node belongs to, in the worker's scratch. */
static inline int load_task(struct pl_tree *k, struct node n, uint64_t want, struct pl_task **out)
{
	return pl_builtin_load(k->src, n.tgid, n.tid, want, out);
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
/* tree.c: the caller as a thread of the source (0: none); its boot clock
** less the facts', in ns (PL_B_BOOTTIME); whether reader (such a thread)
** finds static entry e, which its network namespace may lack (ns_path),
** and *mode its permission bits there (0: e's). */
pl_pid tree_caller_source_tid(struct pl_tree *k, struct pl_caller *c);
int64_t tree_caller_boot_shift(struct pl_tree *k, struct pl_caller *c);
int tree_entry_seen(struct pl_tree *k, pl_pid reader, const struct pl_entry *e, unsigned *mode);
/* tree.c: whether entry e is missing from a task whose absent entries
** (pl_task.absent) are `absent`: a builtin named there, fd/, fdinfo/ or
** task/ named there, a static directory whose every builtin is missing. */
int tree_entry_absent(const struct pl_layout *l, const struct pl_entry *e, uint64_t absent);
/* tree.c: pl_tree_getattr, and the absent entries of the node's task (0 at
** the root level), loaded with its owner. */
int tree_getattr_absent(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_attr *out,
                        uint64_t *absent);
/*
** object.c: what the magic links of ns/ and fd/ lead to (object nodes).
** note_fd: caller just read fd link `fd` (own: a world's caller's own).  lookup_fd: a name in fd/ of
** task dir that is no number; lookup_ns: a name in a directory of task dir
** holding ns links [first, first + n) that is none of its entries.
** own_fds: in a world, the host pid of the caller whose own fd/ the task
** directory's is, else 0; lookup_own_fd: fd/N of that caller.  The rest
** serve object nodes (is_object).
*/
void tree_object_note_fd(pl_pid caller, int fd, int own);
/* caller read the self link (through 1), or opened a file (0); looked
** up a world's self task by its name: see object.c */
void tree_object_note_self(pl_pid caller, int through);
void tree_object_note_self_name(pl_pid caller);
int tree_object_lookup_fd(struct pl_tree *k, struct pl_caller *c, struct node dir,
                          const char *name, struct pl_attr *out);
int tree_object_lookup_ns(struct pl_tree *k, struct pl_caller *c, struct node dir,
                          uint32_t first, uint32_t n, const char *name, struct pl_attr *out);
pl_pid tree_object_own_fds(struct pl_tree *k, struct pl_caller *c, struct node dir);
int tree_object_lookup_own_fd(struct pl_tree *k, pl_pid host_pid, int fd, struct pl_attr *out);
int tree_object_getattr(struct pl_tree *k, struct node n, struct pl_attr *out);
int tree_object_readlink(struct pl_tree *k, struct pl_caller *c, struct node n, struct pl_buf *out);
int tree_object_open(struct pl_tree *k, struct pl_caller *c, struct node n, int flags,
                     struct pl_file *f);
ssize_t tree_object_read(struct pl_file *f, char *buf, size_t size);
ssize_t tree_object_write(struct pl_file *f, const char *buf, size_t len);
int tree_object_ioctl(const struct pl_file *f, unsigned cmd);

/* tree.c: in a world, the host pid of the caller whose own fd/ node n is
** (its real files, which it may always search and list), else 0. */
pl_pid tree_own_fd_dir(struct pl_tree *k, struct pl_caller *c, struct node n);
/* tree.c: fdinfo/ itself asks for ptrace read access (proc_fdinfo_permission). */
int tree_fdinfo_allowed(struct pl_tree *k, struct pl_caller *c, struct node n);

/*
** mapfiles.c: map_files/ of a task (proc_map_files_*): lookup of a name in
** directory dir, whether the caller may list it (0, -EACCES, or -ESRCH for
** a task without an address space: an empty listing), the listing, a
** link's attributes and its target.
*/
int tree_mapfiles_lookup(struct pl_tree *k, struct pl_caller *c, struct node dir,
                         const char *name, struct pl_attr *out);
int tree_mapfiles_allowed(struct pl_tree *k, struct pl_caller *c, struct node dir);
int tree_mapfiles_list(struct pl_tree *k, struct node dir,
                       void (*add)(void *arg, uint64_t ino, uint64_t off, const char *name),
                       void *arg);
int tree_mapfiles_getattr(struct pl_tree *k, struct node n, struct pl_attr *out);
int tree_mapfiles_readlink(struct pl_tree *k, struct pl_caller *c, struct node n,
                           struct pl_buf *out);

/*
** netifaces.c: net/dev_snmp6/ of a task's network namespace: lookup of an
** interface's name in directory dir, the listing, a file's attributes and
** its text.
*/
int tree_ifaces_lookup(struct pl_tree *k, struct node dir, const char *name, struct pl_attr *out);
int tree_ifaces_list(struct pl_tree *k, struct node dir,
                     void (*add)(void *arg, uint64_t ino, uint64_t off, const char *name),
                     void *arg);
int tree_ifaces_getattr(struct pl_tree *k, struct node n, struct pl_attr *out);
int tree_ifaces_read(struct pl_tree *k, struct node n, struct pl_buf *out);

/*
** netnames.c: name in sys/net directory parent as the caller's network
** namespace has it beyond the layout's: its node in *ino, or -ENOENT; the
** listing of what reader's namespace has in parent beyond the layout's.
*/
int tree_netname_lookup(struct pl_tree *k, struct pl_caller *c, const struct pl_entry *parent,
                        const char *name, uint64_t *ino);
int tree_netnames_list(struct pl_tree *k, pl_pid reader, const struct pl_entry *parent,
                       void (*add)(void *arg, uint64_t ino, unsigned mode, const char *name),
                       void *arg);

#endif
