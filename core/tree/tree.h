/*
** The tree layer: the /proc tree as inode arithmetic over a layout and a
** source, with every access decision made for the caller.
**
** FUSE-agnostic: the front end turns requests into these calls and their
** results into replies.  Inode numbers carry their meaning (see node.h),
** so no call allocates per-inode state.  Every function returns 0 or
** -errno, and takes the caller whose permissions it decides for.
*/
#ifndef PL_TREE_H
#define PL_TREE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "record/arena.h"
#include "record/buf.h"
#include "tree/layout.h"
#include "access/access.h"
#include "source/source.h"
#include "source/exitwatch.h"

#define PL_ROOT_INO 1

/* Computes a Lua file for `reader` (at open): appends to out, returns 0 or
** -errno (EIO on error). */
typedef int (*pl_lua_read_fn)(void *ctx, int ref, pl_pid tgid, pl_pid tid,
                              struct pl_caller *reader, struct pl_buf *out);
/* Writes a Lua file for `writer`: the count, or -errno (EIO on error). */
typedef ssize_t (*pl_lua_write_fn)(void *ctx, int wref, pl_pid tgid, pl_pid tid,
                                   const char *buf, size_t len, uint64_t off,
                                   struct pl_caller *writer);

struct pl_tree {
	const struct pl_layout *layout;
	struct pl_source *src;
	int64_t mtime;             /* shown as every inode's times */
	pl_lua_read_fn lua_read;
	pl_lua_write_fn lua_write;
	void *lua_ctx;
	/* A world's answer to "who am I" for callers it does not contain (the
	** callers are host processes): self resolves to this task; 0 = none. */
	pl_pid self_fallback;
	/* A world's: the host's tasks, where its callers' own open files are
	** (a caller's fd/ is its real one, object.c); NULL for the host. */
	struct pl_source *host;
	/* The host's task exits, when the kernel reports them to the daemon:
	** then names of host tasks may be cached (PL_CACHE_TASK); NULL: not. */
	struct pl_exitwatch *exits;
	/* sys/net names only a reader's namespace has (netnames.c), made as
	** they are met; pl_tree_free_made frees them. */
	struct tree_netnames *_Atomic netnames;
};

/* What a tree made while it served; the tree itself is its owner's. */
void pl_tree_free_made(struct pl_tree *k);

/* What the kernel may cache about a node (FUSE entry and attribute timeouts). */
enum pl_cache {
	PL_CACHE_NONE,   /* may vanish or change owner at any moment (a host task's
	                    directory, fd/N), or lies behind a directory not
	                    everyone may search */
	PL_CACHE_NAME,   /* a name inside a host task: always the same inode; its
	                    owner may change */
	PL_CACHE_ALL,    /* fixed until announced: the root and its static entries
	                    (the mount's life), the tasks of a source that
	                    announces its changes (pl_source.announces_changes) */
	PL_CACHE_OBJECT, /* fd/N, and what a magic link leads to (object.c):
	                    its name is asked for at every walk, as for
	                    PL_CACHE_NONE; its attributes, which that lookup
	                    brings anew each time, are kept a moment (a stat
	                    after the walk needs no second round trip) */
	PL_CACHE_TASK,   /* a host task's directory, named while the daemon is
	                    told of exits (pl_exitwatch, which says when it may
	                    be): the name is kept until the task exits, when the
	                    front end drops it; its owner may change at any
	                    moment.  A walk that finds the name kept after the
	                    task was reaped, before the drop reached the kernel
	                    (a moment: the exit is reported before the parent
	                    is woken to reap), is answered ENOENT as Linux's
	                    walk (pl_tree_walked_past_exit), but an O_PATH open,
	                    which sends the daemon nothing, then succeeds. */
};

struct pl_attr {
	uint64_t ino;
	uint8_t cache;             /* enum pl_cache */
	uint32_t mode;             /* with S_IF* type bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size;
	/* An object's own (object.c), else 0: st_ino shown when it is not the
	** inode's number, the block size and the times shown when they are
	** not the mount's. */
	uint64_t shown_ino;
	uint32_t blksize;
	int has_times;
	int64_t atime, mtime, ctime;
	uint32_t atime_ns, mtime_ns, ctime_ns;
};

/* An open file: a snapshot taken at open, or a live window on memory. */
struct pl_file {
	const char *data;          /* snapshot (owned unless `borrowed`) */
	size_t len;
	int made;                  /* the snapshot is taken */
	int borrowed;              /* data belongs to the layout (stubs) */
	int is_mem;                /* reads go to the task's memory */
	int decided, permitted;    /* the access decision made at open */
	int remade;                /* over its opener's budget: made anew at each read */
	int served;                /* a read was answered from the content made last */
	uint32_t uid;              /* the opener's, whose budget the snapshot counts in */
	pl_pid tgid;
	uint64_t ino;
	const struct pl_entry *entry; /* NULL for fdinfo/N */
	struct pl_pin pin;         /* its task, and the address space it reads */
	pthread_mutex_t lock;      /* reads take turns */
	/* Opened for writing: */
	int writable;              /* opened for writing, and the file takes writes */
	int real_fd;               /* a host task's own file, opened as the opener; -1 */
	struct pl_caller *opener;  /* a world's: the opener as it was (f_cred) */
	uint64_t write_pos;        /* where FUSE's position stands after this handle's
	                              writes (PL_B_WRITE_STAYS) */
	void *owner;               /* the front end's: what served the open */
	/* An object's handle (object.c): 0 none; a namespace (reads fail as
	** nsfs's do); a caller's own pipe, read and written through real_fd,
	** the daemon's own open of it, non-blocking (the front end waits). */
	int object;
};

enum { PL_OBJECT_NS = 1, PL_OBJECT_RELAY };

struct pl_dirent {
	uint64_t ino;
	uint64_t next_off;         /* offset that resumes after this entry */
	uint32_t type;             /* DT_* */
	const char *name;
};

/* An open directory: entries listed at the first read from offset 0. */
struct pl_dir {
	uint64_t ino;
	struct pl_dirent *ents;
	size_t n;
	int listed;
	uint64_t absent;           /* its task's absent entries, from opendir */
	pl_pid own_fds;            /* a world's caller's own fd/: its host pid (object.c) */
	int denied;                /* map_files/ without ptrace read access: what
	                              reading it gives (-EACCES), as Linux's readdir */
	pl_pid reader;             /* the opener as a thread of the source: what
	                              of sys/net its network namespace has */
	struct pl_arena arena;
	void *owner;               /* the front end's: what served the open */
};

/* The front end's buffer for one reply (a link, memory, dirents): the
** worker's own, emptied and grown to at least n bytes, kept between
** requests so a warm worker does not allocate.  NULL if out of memory. */
struct pl_buf *pl_tree_reply_buffer(size_t n);

/* After each reply: a worker gives back scratch memory a big file grew
** (beyond PL_TREE_SCRATCH_KEPT bytes a buffer), so what the daemon holds
** does not grow with the files callers ask for. */
#define PL_TREE_SCRATCH_KEPT (1u << 20)
void pl_tree_request_done(void);

/* Mode-bit permission (PL_MAY_* mask) of the caller on a node. */
int pl_tree_access(struct pl_tree *k, struct pl_caller *c, uint64_t ino, int mask);
int pl_tree_lookup(struct pl_tree *k, struct pl_caller *c, uint64_t parent,
                  const char *name, struct pl_attr *out);
/* Attributes are the same for every caller but of a sys/net name, which
** is the caller's network namespace's (c NULL: the daemon's). */
int pl_tree_getattr(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_attr *out);
int pl_tree_readlink(struct pl_tree *k, struct pl_caller *c, uint64_t ino,
                    struct pl_buf *out);
int pl_tree_open(struct pl_tree *k, struct pl_caller *c, uint64_t ino, int flags,
                struct pl_file **out);
/* Up to size bytes at off, for reader c: *data points into buf (at least
** size bytes, the worker's own) or into the worker's scratch, valid until
** its next request.  Returns the count or -errno. */
ssize_t pl_tree_read(struct pl_tree *k, struct pl_caller *c, struct pl_file *f, uint64_t off,
                     size_t size, char *buf, const char **data);
/* Write len bytes at off as `writer`: the count or -errno (see core/write). */
ssize_t pl_tree_write(struct pl_tree *k, struct pl_caller *writer, struct pl_file *f,
                      uint64_t off, const char *buf, size_t len);
/* Truncation (an open with O_TRUNC): what procfs's setattr does with a
** size, nothing, once the caller may write the node. */
int pl_tree_truncate(struct pl_tree *k, struct pl_caller *c, uint64_t ino);
void pl_tree_release(struct pl_tree *k, struct pl_file *f);
/* Whether the next read of f copies task memory in (mem; cmdline and
** environ before their content is made), which may block on its pages. */
int pl_tree_read_copies_in(const struct pl_file *f);
/* Whether a write to f copies into another process's memory (a host
** task's mem), which may block on its pages. */
int pl_tree_write_copies_out(const struct pl_file *f);
/* ioctl(2) cmd on f, taking and giving no data: its result, or -errno
** (ENOTTY for a file that has none, as procfs's). */
int pl_tree_ioctl(struct pl_tree *k, struct pl_file *f, unsigned cmd);
/* A relayed pipe's fd (a caller's own pipe opened through its fd/): reads
** and writes of f answer -EAGAIN rather than wait, and the front end waits
** for this fd; -1 for any other file. */
int pl_tree_relay_fd(const struct pl_file *f);

int pl_tree_opendir(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_dir **out);
/* The entries after offset off, or -errno. */
int pl_tree_readdir(struct pl_tree *k, struct pl_dir *d, uint64_t off,
                    const struct pl_dirent **first, size_t *count);
void pl_tree_releasedir(struct pl_dir *d);

/* Each name the root of k holds that the kernel may cache, with its inode
** number: the layout's root entries, every task's number (a thread's
** hidden /proc/<tid> too).  What a front end forgets when k is replaced. */
void pl_tree_each_root_name(const struct pl_tree *k,
                            void (*cb)(void *arg, const char *name, size_t len, uint64_t ino),
                            void *arg);

/*
** Whether a request on inode ino that found its task gone (ESRCH) came
** through a kept name (PL_CACHE_TASK) in the moment between the task's
** reap and the drop of the name: then the task's exit is not yet handled
** (pl_exitwatch_pending) and the task is gone.  Linux's walk would have
** failed at the pid's name: the front end answers ENOENT.  (A walk from a
** directory held open before the reap gets ESRCH in Linux: once the drop
** is made, so does it here.)
*/
int pl_tree_walked_past_exit(struct pl_tree *k, uint64_t ino);

/* The inode of /proc/<tgid>/task in this tree's layout; 0: it has none. */
uint64_t pl_tree_tasks_ino(const struct pl_tree *k, pl_pid tgid);

/* What the kernel may cache of task tid of group tgid (tid == tgid: the
** leader), for dropping it when the source announces a change: cb gets the
** inode of its directory and of every layout entry in it, under each name
** the task has (/proc/<tgid>/, task/<tid>/, a thread's /proc/<tid>/). */
void pl_tree_each_task_ino(const struct pl_tree *k, pl_pid tgid, pl_pid tid,
                          void (*cb)(void *arg, uint64_t ino), void *arg);

#endif
