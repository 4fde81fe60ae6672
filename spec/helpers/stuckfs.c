/*
** stuckfs MOUNTPOINT: a FUSE filesystem with one 1 MiB file, "f", whose
** reads are never answered: a page of it mapped into a process cannot be
** faulted in until stuckfs dies.  For specs of work that blocks on
** another process's pages.  Runs in the foreground; ends on SIGTERM.
*/
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FILE_INO 2
#define FILE_SIZE (1 << 20)

static void fill(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_ino = ino;
	if (ino == FUSE_ROOT_ID) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = FILE_SIZE;
	}
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (parent != FUSE_ROOT_ID || strcmp(name, "f") != 0)
		return (void)fuse_reply_err(req, ENOENT);
	struct fuse_entry_param e;
	memset(&e, 0, sizeof e);
	e.ino = FILE_INO;
	fill(FILE_INO, &e.attr);
	fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)fi;
	struct stat st;
	fill(ino, &st);
	fuse_reply_attr(req, &st, 0);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (ino != FILE_INO)
		return (void)fuse_reply_err(req, EISDIR);
	fuse_reply_open(req, fi);
}

/* Never answered: the reader waits until this process dies. */
static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
	(void)req, (void)ino, (void)size, (void)off, (void)fi;
}

static const struct fuse_lowlevel_ops ops = {
	.lookup = op_lookup, .getattr = op_getattr, .open = op_open, .read = op_read,
};

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	if (fuse_parse_cmdline(&args, &opts) != 0 || !opts.mountpoint) {
		fprintf(stderr, "usage: stuckfs MOUNTPOINT\n");
		return 2;
	}
	fuse_opt_add_arg(&args, "-oallow_other");
	struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, NULL);
	int rc = 1;
	if (se && fuse_set_signal_handlers(se) == 0) {
		if (fuse_session_mount(se, opts.mountpoint) == 0) {
			printf("ready\n");
			fflush(stdout);
			rc = fuse_session_loop(se) < 0;
			fuse_session_unmount(se);
		}
		fuse_remove_signal_handlers(se);
	}
	if (se)
		fuse_session_destroy(se);
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return rc;
}
