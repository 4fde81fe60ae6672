/*
** proclua: serve an emulated /proc through FUSE.
**
**   proclua [options] MOUNTPOINT
**
** The layout script is loaded and compiled before anything is mounted, so a
** broken layout is reported (file:line) and the program exits non-zero with
** nothing mounted.  The order of main follows libfuse's hello_ll.c.
*/
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pl_fuse.h"
#include "pl_kernfs.h"
#include "pl_view.h"
#include "plua.h"

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct pl_options opt;
	struct pl_served served;
	int ret = 1;

	if (argc > 1 && strcmp(argv[1], "capture") == 0)
		return plua_capture(argc - 1, argv + 1);
	switch (pl_options_parse(&args, &opt)) {
	case PL_PARSE_SERVE:
		break;
	case PL_PARSE_ANSWERED:
		ret = 0;
		goto out0;
	case PL_PARSE_FAILED:
		goto out0;
	}
#ifdef __GLIBC__
	/* Big blocks (the listing of a 100k-task root, a large snapshot) are
	** made and freed per request.  glibc raises its mmap threshold to the
	** size of each such block freed, after which they come from the heap
	** and stay in the daemon's RSS once freed (30 MB after a few listings
	** of a 100k-task world); a fixed threshold keeps them mmap'd and gives
	** them back at free. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
	if (pl_served_load(&served, &opt) != 0)
		goto out1;
	if (opt.check) {
		ret = 0;
		goto out1;
	}
	if (!opt.fuse.mountpoint) {
		fprintf(stderr, "usage: %s [options] MOUNTPOINT (see --help)\n", argv[0]);
		goto out1;
	}
	if (pl_served_make_kernfs(&served, opt.view_root) != 0)
		goto out1;
	struct pl_kernfs *kfs = &served.kfs;
	struct pl_source *src = kfs->src;
	/* No default_permissions: kernfs checks mode bits itself, for the
	** caller's fsuid/fsgid, groups and capabilities, as generic_permission
	** would.  With default_permissions the kernel must fetch the attributes
	** of every node of every path walk (a round trip each, as /proc's
	** owners cannot be cached); kernfs knows most modes without I/O. */
	fuse_opt_add_arg(&args, "-ofsname=proclua,subtype=proclua");

	struct fuse_session *se = fuse_session_new(&args, &pl_fuse_ops, sizeof pl_fuse_ops, kfs);
	if (!se)
		goto out1;
	if (fuse_set_signal_handlers(se) != 0)
		goto out3;
	if (fuse_session_mount(se, opt.fuse.mountpoint) != 0)
		goto out4;
	fuse_daemonize(opt.fuse.foreground);
	/* A world's tasks may be cached by the kernel until it announces a
	** change (kernfs gives them long timeouts); the notifier drops them. */
	struct pl_notifier *notifier = NULL;
	if (src->announces_changes) {
		if (!(notifier = pl_notifier_start(se, kfs))) {
			perror("proclua: notifier thread");
			goto out5;
		}
		src->changed = pl_notifier_changed;
		src->changed_arg = notifier;
	}
	/* Before the loop reads INIT: the transport asks for io_uring in the
	** INIT reply. */
	struct pl_uring *uring = opt.io_uring ? pl_uring_start(se) : NULL;
	if (opt.fuse.singlethread) {
		ret = fuse_session_loop(se);
	} else {
		struct fuse_loop_config *cfg = fuse_loop_cfg_create();
		fuse_loop_cfg_set_clone_fd(cfg, opt.fuse.clone_fd);
		if (opt.fuse.max_threads > 0 && opt.fuse.max_threads <= 100000) /* else: unset */
			fuse_loop_cfg_set_max_threads(cfg, opt.fuse.max_threads);
		if (opt.fuse.max_idle_threads != UINT_MAX) /* UINT_MAX: not given */
			fuse_loop_cfg_set_idle_threads(cfg, opt.fuse.max_idle_threads);
		ret = fuse_session_loop_mt(se, cfg);
		fuse_loop_cfg_destroy(cfg);
	}
	/* The ring threads serve until joined here: before the notifier they
	** may announce to goes. */
	pl_uring_stop(uring);
	src->changed = NULL;
	pl_notifier_stop(notifier);
out5:
	fuse_session_unmount(se);
out4:
	fuse_remove_signal_handlers(se);
out3:
	fuse_session_destroy(se);
out1:
	pl_served_free(&served);
out0:
	pl_options_free(&opt);
	fuse_opt_free_args(&args);
	return ret ? 1 : 0;
}
