/*
** User namespaces as the access decisions need them: which namespace a
** process's credentials belong to, the chain of its ancestors up to the
** daemon's own (the top, level 0), and each one's owner (the euid of its
** creator), which is what Linux's cap_capable walks.
**
** The host's namespaces are read from nsfs (NS_GET_PARENT and
** NS_GET_OWNER_UID on /proc/<tid>/ns/user) and kept in a small cache that
** holds an fd on each namespace it knows, so an inode number it answers
** for cannot have been reused by a newer namespace.  A world declares its
** tasks' namespaces; the model source builds their chains.
*/
#ifndef PL_USERNS_H
#define PL_USERNS_H

#include <stdint.h>

#include "record/task.h"

#define PL_USERNS_LEVELS 34 /* the top and 32 nested levels, and one spare */

struct pl_userns_chain {
	int n;                     /* 0: unknown (no capability counts there) */
	struct {
		uint64_t ino;      /* the nsfs inode number, as ns/user shows it */
		uint32_t owner;    /* the creator's euid, as the top sees it */
	} ns[PL_USERNS_LEVELS];   /* [0] the namespace itself, [n-1] the top */
};

/* The top: the daemon's own user namespace (the initial one, normally). */
uint64_t pl_userns_top(void);

/* The chain of host thread `tid`'s user namespace (its credentials'), read
** from <tid>/ns/user under the /proc at proc_fd (-1: the host's /proc):
** 0 or -errno (-ESRCH gone, -EACCES refused). */
int pl_userns_of_tid(int proc_fd, pl_pid tid, struct pl_userns_chain *out);
/* The same from an open ns/user fd (not consumed). */
int pl_userns_of_fd(int fd, struct pl_userns_chain *out);
/* A namespace a world declares: `ino` (the top itself when it is the
** top's number), a child of the top owned by `owner` otherwise. */
void pl_userns_declared(uint64_t ino, uint32_t owner, struct pl_userns_chain *out);
/* The top names every id of [id, id + count - 1], all within one extent of
** its own uid_map (kind 0; 1: gid_map, 2: projid_map), as
** map_id_range_down asks of a parent's map: 1 or 0.  The initial
** namespace names every id but (u32)-1. */
int pl_userns_top_names(int kind, uint32_t id, uint32_t count);

#endif
