/*
** The command line: proclua's own options, then libfuse's (-f, -s, -d,
** -o clone_fd, -o max_threads=N, MOUNTPOINT).  --layout, --world and
** --io-uring may also be given as -o layout=FILE, world=FILE, io_uring.
*/
#include "pl_fuse.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* --help and --version are answered before libfuse's options are read, so
** they work whatever else the command line holds. */
struct parsed {
	struct pl_options opt;
	int show_help;
	int show_version;
};

#define OPT(t, p) { t, offsetof(struct parsed, p), 1 }
static const struct fuse_opt option_spec[] = {
	OPT("--layout=%s", opt.layout),
	OPT("--layout %s", opt.layout),
	OPT("layout=%s", opt.layout),
	OPT("--world=%s", opt.world),
	OPT("--world %s", opt.world),
	OPT("world=%s", opt.world),
	OPT("--view-root=%d", opt.view_root),
	OPT("--view-root %d", opt.view_root),
	OPT("--check", opt.check),
	OPT("--io-uring", opt.io_uring),
	OPT("io_uring", opt.io_uring),
	OPT("-h", show_help),
	OPT("--help", show_help),
	OPT("-V", show_version),
	OPT("--version", show_version),
	FUSE_OPT_END
};

static void usage(const char *prog)
{
	printf("usage: %s [options] MOUNTPOINT\n\n"
	       "Serve an emulated Linux /proc, declared by a Lua layout, at MOUNTPOINT.\n\n"
	       "proclua options:\n"
	       "    --layout=FILE          layout script (default: the installed scripts/proc.lua)\n"
	       "    --world=FILE           serve the tasks a Lua world script declares, not the host's\n"
	       "    --view-root=PID        show only PID and its descendants, renumbered from 1\n"
	       "    --check                load the layout (and world), report errors, do not mount\n"
	       "    -o io_uring, --io-uring\n"
	       "                           serve requests over FUSE-over-io_uring's per-CPU queues\n"
	       "                           (Linux 6.14+, fuse module parameter enable_uring=Y), each\n"
	       "                           on the CPU of the process that made it; without it, a\n"
	       "                           notice and the classic /dev/fuse loop\n"
	       "    -h, --help             this help\n"
	       "    -V, --version          print the version\n\n",
	       prog);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

enum pl_parse_result pl_options_parse(struct fuse_args *args, struct pl_options *opt)
{
	struct parsed parsed = { 0 };
	int rc = fuse_opt_parse(args, &parsed, option_spec, NULL);
	*opt = parsed.opt; /* what was parsed, for pl_options_free, even on failure */
	if (rc != 0)
		return PL_PARSE_FAILED;
	if (parsed.show_help) {
		usage(args->argv[0]);
		return PL_PARSE_ANSWERED;
	}
	if (parsed.show_version) {
		printf("proclua %s (FUSE library %s)\n", PROCLUA_VERSION, fuse_pkgversion());
		return PL_PARSE_ANSWERED;
	}
	if (fuse_parse_cmdline(args, &opt->fuse) != 0)
		return PL_PARSE_FAILED;
	return PL_PARSE_SERVE;
}

void pl_options_free(struct pl_options *opt)
{
	free(opt->layout);
	free(opt->world);
	free(opt->fuse.mountpoint);
}
