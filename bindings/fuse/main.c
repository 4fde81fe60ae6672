/*
** proclua: serve an emulated /proc through FUSE.
**
**   proclua [options] MOUNTPOINT
**   proclua capture [--proc DIR [--fill]] PID...
**
** main's steps follow libfuse's example/hello_ll.c: parse the command line
** (options.c), load what to serve (served.c), then mount, serve until
** unmounted or signalled, and tear down (here).  The layout is loaded
** before anything is mounted, so a broken layout is reported (file:line)
** and the program exits non-zero with nothing mounted.
*/
#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "pl_fuse.h"
#include "tree/tree.h"
#include "plua.h"

/* Big blocks (the listing of a 100k-task root, a large snapshot) are made
** and freed per request.  glibc raises its mmap threshold to the size of
** each such block freed, after which they come from the heap and stay in
** the daemon's RSS once freed (30 MB after a few listings of a 100k-task
** world); a fixed threshold keeps them mmap'd and gives them back at free. */
static void fix_mmap_threshold(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}

/* A world's tasks may be cached by the kernel until it announces a change
** (the tree gives them long timeouts); the notifier drops them.  NULL after
** saying why. */
static struct pl_notifier *start_notifier(struct fuse_session *se, struct pl_served *s)
{
	struct pl_notifier *notifier = pl_notifier_start(se, s);
	if (!notifier) {
		perror("proclua: notifier thread");
		return NULL;
	}
	s->changed = pl_notifier_changed; /* for the generations reloads make */
	s->changed_arg = notifier;
	struct pl_generation *g = pl_served_enter(s);
	g->tree.src->changed = pl_notifier_changed;
	g->tree.src->changed_arg = notifier;
	pl_served_leave(g);
	return notifier;
}

static void stop_notifier(struct pl_served *s, struct pl_notifier *notifier)
{
	struct pl_generation *g = pl_served_enter(s);
	g->tree.src->changed = NULL;
	pl_served_leave(g);
	pl_notifier_stop(notifier);
}

/* Serve requests until the session ends, on this thread (-s) or a pool of
** them: what fuse_session_loop or fuse_session_loop_mt returns. */
static int run_loop(struct fuse_session *se, const struct fuse_cmdline_opts *fuse_opts)
{
	if (fuse_opts->singlethread)
		return fuse_session_loop(se);
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();
	fuse_loop_cfg_set_clone_fd(cfg, fuse_opts->clone_fd);
	if (fuse_opts->max_threads > 0 && fuse_opts->max_threads <= 100000) /* else: unset */
		fuse_loop_cfg_set_max_threads(cfg, fuse_opts->max_threads);
	if (fuse_opts->max_idle_threads != UINT_MAX) /* UINT_MAX: not given */
		fuse_loop_cfg_set_idle_threads(cfg, fuse_opts->max_idle_threads);
	int result = fuse_session_loop_mt(se, cfg);
	fuse_loop_cfg_destroy(cfg);
	return result;
}

/*
** The device of the mount on top at path (absolute, as the kernel prints
** mount points), from our mountinfo: what makes a mount ours at teardown,
** since another may have been stacked on the path after ours was detached
** (umount -l).  0 when nothing is mounted there.
*/
static dev_t top_mount_dev(const char *path)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return 0;
	char line[4096], point[4096];
	unsigned maj, min;
	dev_t dev = 0;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "%*u %*u %u:%u %*s %4095s", &maj, &min, point) != 3)
			continue;
		/* the kernel escapes space, tab, newline and backslash as \ooo */
		char *w = point;
		for (const char *r = point; *r; r++) {
			if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] && r[3]) {
				*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
				r += 3;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
		if (strcmp(point, path) == 0)
			dev = makedev(maj, min); /* later lines are mounted on top */
	}
	fclose(f);
	return dev;
}

/* The filesystem type of the mount on top at path, from our mountinfo
** ("" when none): what is already there. */
static void top_mount_type(const char *path, char *type, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	type[0] = '\0';
	if (!f)
		return;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		char point[4096], fstype[256];
		const char *dash = strstr(line, " - ");
		if (sscanf(line, "%*u %*u %*s %*s %4095s", point) != 1 || !dash ||
		    sscanf(dash + 3, "%255s", fstype) != 1)
			continue;
		if (strcmp(point, path) == 0) /* later lines are mounted on top */
			snprintf(type, size, "%s", fstype);
	}
	fclose(f);
}

/*
** What would make mounting at `path` fail or stack on what is there, said
** plainly: 0 when it may go ahead.  (A path with spaces is compared in the
** kernel's escaped form, which it will not match: such a path is let
** through.)
*/
static int check_mountpoint(const char *path)
{
	struct stat st;
	int fd;
	char end;
	/* /dev/fd/N: a FUSE connection someone mounted for us (libfuse takes
	** it as it is), as a confined daemon that may not mount is given one */
	if (sscanf(path, "/dev/fd/%d%c", &fd, &end) == 1)
		return 0;
	if (access("/dev/fuse", F_OK) != 0) {
		fprintf(stderr, "proclua: FUSE is not available: /dev/fuse is missing (modprobe fuse; in a "
		        "container, run it with --device /dev/fuse --cap-add SYS_ADMIN)\n");
		return -1;
	}
	if (stat(path, &st) != 0) {
		/* over io_uring the connection is aborted, or its requests cancelled */
		if (errno == ENOTCONN || errno == ECONNABORTED || errno == ECANCELED)
			fprintf(stderr, "proclua: %s is a mount whose daemon is gone; unmount it first: "
			        "fusermount3 -u %s\n", path, path);
		else
			fprintf(stderr, "proclua: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "proclua: %s is not a directory; a mount point must be one\n", path);
		return -1;
	}
	char *where = realpath(path, NULL), type[256];
	if (!where)
		return 0;
	top_mount_type(where, type, sizeof type);
	free(where);
	if (strcmp(type, "fuse.proclua") == 0) {
		fprintf(stderr, "proclua: %s is a proclua mount already; unmount it first: "
		        "fusermount3 -u %s\n", path, path);
		return -1;
	}
	return 0;
}

/* The kernel dropped our connection (unmounted, or aborted): unmounting
** then only closes it and frees what libfuse keeps. */
static int connection_gone(struct fuse_session *se)
{
	struct pollfd p = { fuse_session_fd(se), 0, 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

/* Mount the tree at the mount point, serve it until unmounted or signalled, then
** unmount: the exit status. */
static int serve(struct fuse_args *args, const struct pl_options *opt, struct pl_served *served)
{
	int status = 1;
	/* No default_permissions: the tree checks mode bits itself, for the
	** caller's fsuid/fsgid, groups and capabilities, as generic_permission
	** would.  With default_permissions the kernel must fetch the attributes
	** of every node of every path walk (a round trip each, as /proc's
	** owners cannot be cached); the tree knows most modes without I/O. */
	fuse_opt_add_arg(args, "-ofsname=proclua,subtype=proclua");

	struct fuse_session *se = fuse_session_new(args, &pl_fuse_ops, sizeof pl_fuse_ops, served);
	if (!se)
		return status;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_session;
	if (check_mountpoint(opt->fuse.mountpoint) != 0 ||
	    fuse_session_mount(se, opt->fuse.mountpoint) != 0)
		goto out_signals;
	char *where = realpath(opt->fuse.mountpoint, NULL);
	dev_t ours = where ? top_mount_dev(where) : 0;
	fuse_daemonize(opt->fuse.foreground);
	int logged = pl_log_start(opt->log, opt->fuse.foreground);
	if (logged < 0) /* stderr may be /dev/null now: syslog says it */
		syslog(LOG_ERR, "proclua: --log %s: %s", opt->log ? opt->log : "(syslog)",
		       strerror(-logged));
	struct pl_notifier *notifier = NULL;
	struct pl_generation *first = pl_served_enter(served);
	int announces = first->tree.src->announces_changes;
	pl_served_leave(first);
	if (announces && !(notifier = start_notifier(se, served)))
		goto out_mount;
	/* host task names cached until their tasks exit, when the kernel tells */
	struct pl_exits *exits = pl_exits_start(se, served);
	/* SIGHUP reloads (no longer ends the loop), as does a changed script
	** with --watch */
	struct pl_reloader *reloader = pl_reloader_start(se, served, opt->watch);
	/* Before the loop reads INIT: the transport asks for io_uring in the
	** INIT reply. */
	struct pl_uring *uring = opt->io_uring ? pl_uring_start(se) : NULL;
	if (pl_slowlane_start() != 0)
		fprintf(stderr, "proclua: no copy-in threads; copy-ins are served by the workers\n");
	if (pl_relay_start() != 0)
		fprintf(stderr, "proclua: no relay thread; a process's own pipes opened through the "
		        "mount do not wait (EAGAIN)\n");
	/* a signal (SIGTERM, SIGINT) ends the loop as asked: success */
	int ended = run_loop(se, &opt->fuse);
	status = ended == 0 || ended == SIGTERM || ended == SIGINT || ended == SIGHUP ? 0 : 1;
	/* The ring threads serve until joined here: before the notifier they
	** may announce to goes. */
	pl_uring_stop(uring);
	pl_slowlane_stop();
	pl_relay_stop();
	pl_reloader_stop(reloader);
	pl_exits_stop(exits);
	if (notifier)
		stop_notifier(served, notifier);
out_mount:
	/* unmount only our own mount: a path can name another by now */
	if ((ours && where && top_mount_dev(where) == ours) || connection_gone(se))
		fuse_session_unmount(se);
	free(where);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
	return status;
}

int main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "capture") == 0)
		return plua_capture(argc - 1, argv + 1);

	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct pl_options opt;
	struct pl_served served;
	int status = 1;

	switch (pl_options_parse(&args, &opt)) {
	case PL_PARSE_SERVE:
		break;
	case PL_PARSE_ANSWERED:
		status = 0;
		goto out_options;
	case PL_PARSE_FAILED:
		goto out_options;
	}
	fix_mmap_threshold();
	if (pl_served_load(&served, &opt) != 0)
		goto out_served;
	if (opt.check) {
		status = 0;
		goto out_served;
	}
	if (!opt.fuse.mountpoint) {
		fprintf(stderr, "usage: %s [options] MOUNTPOINT (see --help)\n", argv[0]);
		goto out_served;
	}
	status = serve(&args, &opt, &served);
out_served:
	pl_served_free(&served);
out_options:
	pl_options_free(&opt);
	fuse_opt_free_args(&args);
	return status;
}
