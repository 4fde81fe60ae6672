/*
** pl_layout: the compiled tree, Linux's pid_entry table in data.
**
** A layout script only declares entries; the Lua binding freezes them into
** one immutable array.  The children of every directory are contiguous, so
** lookup and readdir are loops over [first, first + n) and an entry's index
** goes straight into its inode number.  Nothing here refers to Lua: a Lua
** file carries an opaque integer (`ref`) that the binding's hook resolves.
*/
#ifndef PL_LAYOUT_H
#define PL_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "record/arena.h"

enum pl_kind {
	PL_K_DIR,        /* static directory: children [first, first + n) */
	PL_K_FILE,       /* builtin file generator `gen` */
	PL_K_STUB,       /* static content */
	PL_K_LUA,        /* content computed by a Lua function `ref` */
	PL_K_LINK,       /* builtin link generator `gen` */
	PL_K_SYMLINK,    /* static link target `content` */
	PL_K_TASKDIR,    /* task/: one directory per thread */
	PL_K_FDDIR,      /* fd/: one link per open file */
	PL_K_FDINFODIR,  /* fdinfo/: one file per open file */
	PL_K_SETTINGS,   /* sys/ as declared: its children [first, first + n)
	                    are what the layout puts in place of a setting,
	                    named by sysctl name, `content` the names hidden
	                    (a line each); pl_layout_with_settings turns it
	                    into a PL_K_DIR of the source's settings */
	PL_K_SETTING,    /* a setting with no row in record/sysctl.h:
	                    `content` is its path under sys/ */
	PL_K_MAPFILESDIR, /* map_files/: one link per file-backed region */
	PL_K_NETIFACEDIR, /* net/dev_snmp6/: one file per IPv6 interface of the
	                     task's network namespace */
};

/* In which per-task directories an entry appears. */
enum pl_only { PL_ONLY_BOTH, PL_ONLY_TGID, PL_ONLY_TID };

/* Where an entry lives: the /proc root, or under each task directory. */
enum pl_scope { PL_SCOPE_ROOT, PL_SCOPE_TASK };

struct pl_entry {
	const char *name;
	uint16_t len;
	uint16_t mode;        /* permission bits; type follows from kind */
	uint8_t kind;         /* enum pl_kind */
	uint8_t only;         /* enum pl_only */
	uint8_t scope;        /* enum pl_scope */
	uint16_t gen;         /* builtin generator id (pl_gen.h) */
	uint32_t first, n;    /* children of a PL_K_DIR */
	uint32_t nsubdirs;    /* for nlink */
	const char *content;  /* stub content or symlink target */
	size_t content_len;
	int ref;              /* PL_K_LUA: the binding's handle */
	int wref;             /* PL_K_LUA: its write function's handle, 0 if none */
	uint16_t check;       /* PL_K_LUA: the builtin whose open-time check it
	                         makes (environ's, mem's), PL_G_NONE for none */
	uint8_t one_link;     /* a directory of sys/: one link, as the kernel's
	                         sysctl directories count (an empty one two) */
	const char *ns_path;  /* under sys/net: its path under sys/ ("net/core"),
	                         where a reader's namespace may hold names of its
	                         own (setting_list); NULL elsewhere */
	uint8_t ns_varies;    /* a reader's network namespace may lack it, or
	                         show another mode (setting_seen) */
};

/* At most this many entries in a layout: an entry's index goes into its
** inode number's slot, below the slots of map_files/ and fd/N (node.h). */
#define PL_LAYOUT_MAX_ENTRIES ((1 << 17) - 2)

struct pl_layout {
	struct pl_entry *entries;
	uint32_t nentries;
	uint32_t root_first, root_n;  /* entries of /proc besides <pid>/ */
	uint32_t task_first, task_n;  /* entries of /proc/<pid>/ and task/<tid>/ */
	uint32_t task_links[2];       /* nlink of a /proc/<pid>/ [0] and of a
	                                 task/<tid>/ [1]: 2 + its subdirectories,
	                                 counted once, as Linux's pid_entry_nlink */
	char *strings;                /* names and contents, one allocation */
	struct pl_arena *more;        /* pl_layout_with_settings's names; NULL */
};

void pl_layout_free(struct pl_layout *l);

struct pl_source;
/*
** A copy of l whose sys/ (PL_K_SETTINGS) directories hold the settings of
** src (pl_source_ops.each_setting), as directories of PL_K_DIR in the
** kernel's order (by name, each part), less those hidden and with the
** layout's own in place of theirs; a setting with a row is its builtin,
** any other a PL_K_SETTING.  l's entries keep their indexes.  The copy
** borrows l's strings: free it first.  NULL when out of memory.
*/
struct pl_layout *pl_layout_with_settings(const struct pl_layout *l, struct pl_source *src);

/* Linear scan, as Linux's proc_pident_lookup: the tables are short. */
int pl_layout_find(const struct pl_layout *l, uint32_t first, uint32_t n,
                   const char *name, size_t len, int tid_dir);

static inline int pl_entry_visible(const struct pl_entry *e, int tid_dir)
{
	return e->only == PL_ONLY_BOTH || e->only == (tid_dir ? PL_ONLY_TID : PL_ONLY_TGID);
}

/* The file type bits (S_IFDIR, S_IFLNK, S_IFREG) an entry is served with. */
static inline uint32_t pl_entry_type(const struct pl_entry *e)
{
	switch (e->kind) {
	case PL_K_DIR: case PL_K_TASKDIR: case PL_K_FDDIR: case PL_K_FDINFODIR:
	case PL_K_SETTINGS: case PL_K_MAPFILESDIR: case PL_K_NETIFACEDIR:
		return S_IFDIR;
	case PL_K_LINK: case PL_K_SYMLINK:
		return S_IFLNK;
	default:
		return S_IFREG;
	}
}

/* Fill l->task_links from its task entries; once, when it is compiled. */
void pl_layout_count_task_links(struct pl_layout *l);

#endif
