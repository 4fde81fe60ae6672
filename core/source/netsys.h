/*
** sys/net as a reader's network namespace has it.  Linux looks the names
** under /proc/sys/net up in the namespace of the process that walks
** (net_ctl_header_lookup): a namespace other than the first lacks the
** first one's global settings (net.ipv4.tcp_mem, net.core.*, ...,
** neigh/default), and each has its own interfaces' directories.  The
** daemon lists the names of its own namespace (hostsys.c); this tells
** which of them a reader elsewhere would find.
*/
#ifndef PL_SOURCE_NETSYS_H
#define PL_SOURCE_NETSYS_H

#include "record/task.h"

struct pl_netsys;

/* proc_fd: the host's /proc (kept open by the caller).  NULL: no memory. */
struct pl_netsys *pl_netsys_new(int proc_fd);
void pl_netsys_free(struct pl_netsys *ns);

/*
** Whether a reader's network namespace decides if sys/ path (relative to
** sys/, "net/ipv4/tcp_mem") exists, or its mode: 1 for a name of the
** daemon's namespace (with mode there) that a new namespace lacks or shows
** with other permission bits (learnt once, by a child that makes one and
** walks it), else 0.
*/
int pl_netsys_varies(struct pl_netsys *ns, const char *path, unsigned mode);

/*
** Whether host task tid finds sys/ path in its network namespace: 1 (and
** *mode its type and permission bits there, 0 where they are the
** daemon's) or 0; -ESRCH when the task is gone.  A namespace's names are learnt by a
** child that enters it and walks /proc/sys/net, and kept while its
** interfaces stay the same.  A namespace the daemon may not enter finds
** every name.
*/
int pl_netsys_seen(struct pl_netsys *ns, pl_pid tid, const char *path, unsigned *mode);

/*
** fn(arg, name, mode) for each name directly under sys/ directory dir in
** host task tid's network namespace (mode: S_IFDIR or S_IFREG and the
** permission bits), in strcmp order: 1; 0 where that namespace is the
** daemon's (or one it may not enter), and fn never runs; -ESRCH.  fn runs
** under the cache's lock: it must not call back.
*/
typedef void (*pl_netsys_name_fn)(void *arg, const char *name, unsigned mode);
int pl_netsys_list(struct pl_netsys *ns, pl_pid tid, const char *dir, pl_netsys_name_fn fn,
                   void *arg);

#endif
