/*
** The command line: proclua's own options, then libfuse's (-f, -s, -d,
** -o clone_fd, -o max_threads=N, MOUNTPOINT).  --layout, --world,
** --view-root and --log take their value as --layout=FILE or --layout FILE;
** --layout, --world and --io-uring may also be given as -o layout=FILE,
** world=FILE, io_uring.
*/
#include "pl_fuse.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --help and --version are answered before libfuse's options are read, so
** they work whatever else the command line holds. */
struct parsed {
	struct pl_options opt;
	int show_help;
	int show_version;
};

enum { KEY_LAYOUT, KEY_WORLD };

#define OPT(t, p) { t, offsetof(struct parsed, p), 1 }
static const struct fuse_opt option_spec[] = {
	/* --layout, --world and --view-root are taken out first (take_long) */
	FUSE_OPT_KEY("layout=", KEY_LAYOUT),
	FUSE_OPT_KEY("world=", KEY_WORLD),
	OPT("--check", opt.check),
	OPT("--io-uring", opt.io_uring),
	OPT("--watch", opt.watch),
	OPT("watch", opt.watch),
	OPT("io_uring", opt.io_uring),
	OPT("-h", show_help),
	OPT("--help", show_help),
	OPT("-V", show_version),
	OPT("--version", show_version),
	FUSE_OPT_END
};

/* A later option replaces an earlier one, without leaking it. */
static int set_string(char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy) {
		fprintf(stderr, "proclua: out of memory\n");
		return -1;
	}
	free(*slot);
	*slot = copy;
	return 0;
}

/* -o layout=FILE, -o world=FILE; everything else stays for libfuse. */
static int take_o_option(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	(void)outargs;
	struct parsed *p = data;
	if (key == KEY_LAYOUT)
		return set_string(&p->opt.layout, arg + strlen("layout="));
	if (key == KEY_WORLD)
		return set_string(&p->opt.world, arg + strlen("world="));
	return 1;
}

/* The value of a long option given as "--name=VALUE" or "--name VALUE" at
** argv[*i] (advancing *i past a separate VALUE); NULL if argv[*i] is not
** that option.  *missing: it is, but VALUE is not there. */
static const char *long_value(const struct fuse_args *args, int *i, const char *name, int *missing)
{
	const char *a = args->argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL; /* --layoutX: not ours */
	if (*i + 1 >= args->argc) {
		*missing = 1;
		return NULL;
	}
	return args->argv[++*i];
}

static int parse_pid(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > INT32_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/*
** --layout, --world and --view-root, in both the forms --help shows
** (--layout=FILE) and with a separate word (--layout FILE), are taken out
** of args here.  libfuse's templates cannot say both: fuse_opt applies
** every template an argument matches, and "--layout %s" matches
** "--layout=FILE" too (as a prefix), so that form loaded "=FILE" and
** "--view-root=5" failed to scan "=5".  Scanning stops where libfuse's
** does, at "--"; the word after -o is an option list, never ours.
*/
static int take_long(struct fuse_args *args, struct parsed *p)
{
	struct fuse_args rest = FUSE_ARGS_INIT(0, NULL);
	int rc = 0, options = 1;
	for (int i = 0; i < args->argc && rc == 0; i++) {
		const char *a = args->argv[i];
		const char *v;
		int missing = 0;
		if (i == 0 || !options) {
			rc = fuse_opt_add_arg(&rest, a);
		} else if (strcmp(a, "--") == 0) {
			options = 0;
			rc = fuse_opt_add_arg(&rest, a);
		} else if (strcmp(a, "-o") == 0 && i + 1 < args->argc) {
			rc = fuse_opt_add_arg(&rest, a);
			if (rc == 0)
				rc = fuse_opt_add_arg(&rest, args->argv[++i]);
		} else if ((v = long_value(args, &i, "--layout", &missing))) {
			rc = set_string(&p->opt.layout, v);
		} else if (!missing && (v = long_value(args, &i, "--world", &missing))) {
			rc = set_string(&p->opt.world, v);
		} else if (!missing && (v = long_value(args, &i, "--log", &missing))) {
			rc = set_string(&p->opt.log, v);
		} else if (!missing && (v = long_value(args, &i, "--view-root", &missing))) {
			if (parse_pid(v, &p->opt.view_root) < 0) {
				fprintf(stderr, "proclua: --view-root needs a pid (a positive integer), "
				        "not '%s'\n", v);
				rc = -1;
			}
		} else if (missing) {
			fprintf(stderr, "proclua: %s needs a value (see --help)\n", a);
			rc = -1;
		} else {
			rc = fuse_opt_add_arg(&rest, a);
		}
	}
	if (rc != 0) {
		fuse_opt_free_args(&rest);
		return -1;
	}
	fuse_opt_free_args(args);
	*args = rest;
	return 0;
}

/* libfuse's fuse_cmdline_help would repeat -h and -V: its options we take
** are listed here instead, then the mount options of fuse_lowlevel_help. */
static void usage(const char *prog)
{
	printf("usage: %s [options] MOUNTPOINT\n"
	       "       %s capture [--proc DIR] PID... > world.lua\n\n"
	       "Serve an emulated Linux /proc, declared by a Lua layout, at MOUNTPOINT.\n"
	       "`capture` writes a world that reproduces live processes (or a saved\n"
	       "/proc tree, with --proc) as Lua; see also proclua-run, which runs a\n"
	       "command with a proclua mount as its /proc.\n\n"
	       "proclua options:\n"
	       "    --layout=FILE, -o layout=FILE\n"
	       "                           layout script (default: share/proclua/proc.lua\n"
	       "                           beside the installed program)\n"
	       "    --world=FILE, -o world=FILE\n"
	       "                           serve the tasks a Lua world script declares, not the host's\n"
	       "    --view-root=PID        show only PID and its descendants, renumbered from 1\n"
	       "    --check                load the layout (and world), report errors, do not mount\n"
	       "    --log=FILE             in the background, append messages (a Lua file's\n"
	       "                           errors) to FILE; without it they go to syslog\n"
	       "    --watch, -o watch      reload the layout (and world) when a .lua file in\n"
	       "                           their directories changes; SIGHUP always reloads\n"
	       "    -o io_uring, --io-uring\n"
	       "                           serve requests over FUSE-over-io_uring's per-CPU queues\n"
	       "                           (Linux 6.14+, fuse module parameter enable_uring=Y), each\n"
	       "                           on the CPU of the process that made it; without it, a\n"
	       "                           notice and the classic /dev/fuse loop\n"
	       "    -f                     stay in the foreground (messages on stderr)\n"
	       "    -d, -o debug           print every request (implies -f)\n"
	       "    -s                     serve with one thread\n"
	       "    -o clone_fd            a /dev/fuse fd of its own for each worker thread\n"
	       "    -o max_idle_threads=N  idle worker threads kept (default: -1, no limit)\n"
	       "    -o max_threads=N       worker threads at most (default: 10)\n"
	       "    -h, --help             this help\n"
	       "    -V, --version          print the version\n\n"
	       "environment:\n"
	       "    PROCLUA_UNRESTRICTED=1 let Lua scripts use os.exit, os.execute, io.popen,\n"
	       "                           C modules and the debug library\n"
	       "    PROCLUA_LUA_MEMORY_MB=N the Lua state's memory limit (default 256; 0: none)\n"
	       "    PROCLUA_HOSTFD=0       keep no fds of host tasks open (each request walks\n"
	       "                           /proc by path instead; for fd-starved setups)\n"
	       "    PROCLUA_EXITWATCH=0    let the kernel keep no host task names (each walk asks\n"
	       "                           the daemon for /proc/<pid>; see README: Timeouts)\n\n"	       "signals:\n"
	       "    SIGHUP                 load the layout (and world) again and serve the new tree;\n"
	       "                           open files keep what they showed; a script with an error\n"
	       "                           is logged (FILE:LINE) and the old tree serves on\n"
	       "    SIGTERM, SIGINT        unmount and exit\n\n"
	       "mount options (-o):\n",
	       prog, prog);
	fuse_lowlevel_help();
}

enum pl_parse_result pl_options_parse(struct fuse_args *args, struct pl_options *opt)
{
	struct parsed parsed = { 0 };
	int rc = take_long(args, &parsed);
	if (rc == 0)
		rc = fuse_opt_parse(args, &parsed, option_spec, take_o_option);
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
	free(opt->log);
	free(opt->fuse.mountpoint);
}
