/*
** The host's task exits (core/source/exitwatch.h) turned into the kernel
** forgetting the names it caches of them: /proc/<tgid> for a process,
** /proc/<tgid>/task/<tid> for a thread.  The drops are made from the
** watch's own thread: fuse_lowlevel_notify_inval_entry waits for a lookup
** in progress in the same directory, whose reply a worker makes.
*/
#include "pl_fuse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct pl_exits {
	struct fuse_session *se;
	struct pl_served *served;
	struct pl_exitwatch *watch;
	int proc_fd;
};

static void drop(void *arg, pl_pid tgid, pl_pid tid)
{
	struct pl_exits *x = arg;
	char name[16];
	int len = snprintf(name, sizeof name, "%d", (int)(tid ? tid : tgid));
	if (!tid) { /* the kernel forgets every name beneath it too */
		fuse_lowlevel_notify_inval_entry(x->se, FUSE_ROOT_ID, name, (size_t)len);
		return;
	}
	struct pl_generation *g = pl_served_enter(x->served);
	uint64_t tasks = pl_tree_tasks_ino(&g->tree, tgid);
	pl_served_leave(g);
	/* -ENOENT, a directory the kernel does not hold, is the common answer */
	if (tasks)
		fuse_lowlevel_notify_inval_entry(x->se, pl_fuse_node(tasks), name, (size_t)len);
}

struct pl_exits *pl_exits_start(struct fuse_session *se, struct pl_served *s)
{
	struct pl_exits *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->se = se;
	x->served = s;
	x->proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x->proc_fd < 0 || !(x->watch = pl_exitwatch_start(x->proc_fd, drop, x))) {
		if (x->proc_fd >= 0)
			close(x->proc_fd);
		free(x);
		return NULL;
	}
	/* before the loop starts: no request reads the field yet */
	s->exits = x->watch;
	struct pl_generation *g = pl_served_enter(s);
	if (g->source == s->host)
		g->tree.exits = x->watch;
	pl_served_leave(g);
	return x;
}

void pl_exits_stop(struct pl_exits *x)
{
	if (!x)
		return;
	x->served->exits = NULL;
	struct pl_generation *g = pl_served_enter(x->served);
	g->tree.exits = NULL;
	pl_served_leave(g);
	pl_exitwatch_stop(x->watch);
	close(x->proc_fd);
	free(x);
}
