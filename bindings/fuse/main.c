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

/* The stock layout: next to the program's install prefix, or the source tree
** it was built from; never the current directory. */
static const char *default_layout(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			int n = snprintf(buf, len, "%s/../share/proclua/proc.lua", exe);
			if (n > 0 && (size_t)n < len && access(buf, R_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, len, "%s/scripts/proc.lua", PROCLUA_SOURCE_DIR);
	return buf;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct pl_options opt;
	char layout_buf[PATH_MAX], err[1024];
	struct pl_source *view = NULL;
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
	const char *stock = default_layout(layout_buf, sizeof layout_buf);
	const char *layout = opt.layout ? opt.layout : stock;

	/* The host source also serves a world's callers their own facts. */
	struct pl_source *host = pl_host_source_new("/proc");
	if (!host) {
		perror("proclua: /proc");
		goto out0;
	}
	struct pl_source *src = host;
	struct plua_limits lim = { .load_seconds = 5.0, .call_seconds = 1.0 };
	struct plua *lua = plua_open_with(layout, opt.world, stock, &src, &lim, err, sizeof err);
	if (!lua) {
		fprintf(stderr, "proclua: layout error: %s\n", err);
		goto out1;
	}
	if (opt.check) {
		ret = 0;
		goto out2;
	}
	if (!opt.fuse.mountpoint) {
		fprintf(stderr, "usage: %s [options] MOUNTPOINT (see --help)\n", argv[0]);
		goto out2;
	}

	/* A pid view: --view-root, or the layout's view = { root =, select = } */
	pl_pid view_root;
	int has_select, has_view = plua_view(lua, &view_root, &has_select);
	if (opt.view_root > 0)
		view_root = opt.view_root, has_view = 1;
	if (has_view && !(src = view = pl_view_source_new(src, view_root,
	                                                   has_select ? plua_select : NULL, lua))) {
		perror("proclua: view");
		goto out2;
	}
	struct pl_kernfs kfs = {
		.layout = plua_layout(lua),
		.src = src,
		.proc_root = "/proc",
		.mtime = (int64_t)time(NULL),
		.lua_read = plua_read,
		.lua_ctx = lua,
	};
	if (src != host) { /* a world may name the task its outside callers are */
		struct pl_machine m;
		struct pl_arena a = PL_ARENA_INIT;
		memset(&m, 0, sizeof m);
		if (src->ops->load_machine(src, 0, &a, &m) == 0)
			kfs.self_fallback = m.self_pid;
		pl_arena_free(&a);
	}
	/* No default_permissions: kernfs checks mode bits itself, for the
	** caller's fsuid/fsgid, groups and capabilities, as generic_permission
	** would.  With default_permissions the kernel must fetch the attributes
	** of every node of every path walk (a round trip each, as /proc's
	** owners cannot be cached); kernfs knows most modes without I/O. */
	fuse_opt_add_arg(&args, "-ofsname=proclua,subtype=proclua");

	struct fuse_session *se = fuse_session_new(&args, &pl_fuse_ops, sizeof pl_fuse_ops, &kfs);
	if (!se)
		goto out2;
	if (fuse_set_signal_handlers(se) != 0)
		goto out3;
	if (fuse_session_mount(se, opt.fuse.mountpoint) != 0)
		goto out4;
	fuse_daemonize(opt.fuse.foreground);
	/* A world's tasks may be cached by the kernel until it announces a
	** change (kernfs gives them long timeouts); the notifier drops them. */
	struct pl_notifier *notifier = NULL;
	if (src->announces_changes) {
		if (!(notifier = pl_notifier_start(se, &kfs))) {
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
out2:
	if (view)
		view->ops->destroy(view);
	plua_close(lua);
out1:
	host->ops->destroy(host);
out0:
	pl_options_free(&opt);
	fuse_opt_free_args(&args);
	return ret ? 1 : 0;
}
