/*
** pl_exitwatch: the host's task exits, as the kernel's proc connector
** (NETLINK_CONNECTOR, CN_IDX_PROC) reports them, so that the names of host
** task directories may be cached by the kernel and dropped when a task
** exits.
**
** Why the names may be cached only with it: a host task's directory is
** looked up at every walk (entry timeout 0) so that, once the task is
** reaped, a walk fails at its pid's name as procfs's does (pid_revalidate
** drops the dentry).  With the exit reported, the front end drops the
** cached name instead, and the watch says which names may be cached at all:
**
**   - a process (a thread-group leader) named in the root, /proc/<tgid>,
**     and a thread named in its group's task/, /proc/<tgid>/task/<tid>,
**     from the moment the watch knows the task (its fork, or the listing
**     made when the watch started) until its exit is reported.  A zombie
**     is never cached: its exit has been reported, and its reaping will
**     not be.  A non-leader's hidden /proc/<tid> is never cached: an exec
**     from a thread takes that number away with no exit of its own.
**   - a name is cached only when the watch says so *after* the task was
**     found, and the watch marks a name as given before it says so; an
**     exit clears "may be cached" first, then drops the names given.  So
**     either the lookup sees the exit (and caches nothing) or the exit's
**     drop comes after the lookup's answer (the kernel makes a drop of a
**     name wait for a lookup in progress in its directory).
**   - events lost (the socket's queue overflowed): nothing is cachable
**     any more but what forks after, and every name given is dropped.
**
** The pids are the initial pid namespace's: the kernel reports to
** listeners there only, so the watch works only for a daemon in it, with
** CAP_NET_ADMIN, whose procfs numbers pids as it does.  Otherwise
** pl_exitwatch_start returns NULL and the names stay uncached.
*/
#ifndef PL_EXITWATCH_H
#define PL_EXITWATCH_H

#include "record/task.h"

struct pl_exitwatch;

/*
** What to drop: tid 0, the root's name <tgid> (and everything beneath it);
** else the name <tid> in <tgid>'s task/.  Called from the watch's thread.
*/
typedef void (*pl_exit_drop_fn)(void *arg, pl_pid tgid, pl_pid tid);

/*
** Start watching for the procfs at root_fd (borrowed): NULL when the
** kernel does not report exits to this process (then errno says why).
*/
struct pl_exitwatch *pl_exitwatch_start(int root_fd, pl_exit_drop_fn drop, void *arg);
void pl_exitwatch_stop(struct pl_exitwatch *w);

/*
** Whether the name of task tid of tgid (tid 0: the root's <tgid>; else
** <tgid>/task/<tid>), just found to exist, may be cached; marks it as given
** when it may.  w NULL: never.
*/
int pl_exitwatch_may_cache(struct pl_exitwatch *w, pl_pid tgid, pl_pid tid);

/*
** Whether the name of task tid of tgid (tid 0: the root's <tgid>; else
** <tgid>/task/<tid>) may still be kept by the kernel for a task that was
** known alive: its exit's drop is not yet made.  A request for a task that
** is gone, made while this holds, walked a kept name in the moment between
** the reap and the drop.
*/
int pl_exitwatch_pending(struct pl_exitwatch *w, pl_pid tgid, pl_pid tid);

#endif
