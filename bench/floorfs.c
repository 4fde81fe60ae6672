/*
** floorfs: the FUSE floor.  The smallest libfuse3 low-level filesystem that
** serves a file the way proclua serves one, so that the difference between
** the two is proclua's own work and nothing else.
**
**   floorfs [-f] [-s] [--size=N] [--loop35] [--dp]
**           [--entry-timeout=S] [--attr-timeout=S] MOUNTPOINT
**
** Tree:   /file          one small regular file (depth 1)
**         /d/file        the same content one directory down (depth 2,
**                        the depth of proclua's /<pid>/stat)
**
** The FUSE options are proclua's (bindings/fuse/ops.c, main.c):
**   - proclua's timeouts: / and /file cached (entry and attr 60 s), /d not
**     at all (like /<pid>), /d/file's name 60 s but not its attributes;
**   - direct_io and no keep_cache on open, st_size 0 (procfs-style);
**   - no default_permissions (proclua checks modes itself), fsname/subtype set;
**   - the multi-threaded session loop with the same config handling
**     (clone_fd, max_threads, max_idle_threads from the command line),
**     built against the 3.12 API so that the config reaches the loop.
**
** The variants measure what an option would buy (they are not proclua's
** options; the default is):
**   --dp                default_permissions (proclua before it checked modes
**                       itself): the kernel then sends one more GETATTR per
**                       path component.  Without it the kernel sends no
**                       GETATTR for permission checks on the path walk
**                       (the daemon would check modes itself at open);
**   --entry-timeout=S   entry timeout of the leaf entries (/file, /d/file),
**                       as a layout entry under /<pid> could have: the name
**                       maps to the same inode for as long as the parent
**                       directory's own entry (timeout 0) revalidates;
**   --attr-timeout=S    attr timeout of everything.
**
** --loop35 reproduces proclua's loop call as of this writing: main.c is
** compiled with FUSE_USE_VERSION 35, where fuse_session_loop_mt() is
** fuse_session_loop_mt_32(), which reads its argument as the old
** struct fuse_loop_config_v1 {clone_fd, max_idle_threads}; handed the new
** struct made by fuse_loop_cfg_create() {version_id, clone_fd,
** max_idle_threads, max_threads} it sees clone_fd = version_id (non-zero)
** and max_idle_threads = clone_fd (0).  The loop then starts a thread per
** request (which clones /dev/fuse) and ends it after the reply.  The bench
** measures both, so the cost of that shows in the same run.
** Nothing is allocated per request: open sets fh 0, read replies with a
** slice of one static buffer.
*/
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

/* The FUSE_3.2 entry point that FUSE_USE_VERSION 35 programs call. */
int fuse_session_loop_mt_32(struct fuse_session *se, struct fuse_loop_config *config);

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { INO_ROOT = 1, INO_DIR = 2, INO_FILE = 3, INO_DFILE = 4 };

static double leaf_entry_timeout = -1, attr_timeout = -1;

/*
** proclua's timeout policy (bindings/fuse/ops.c), unless overridden: the
** root and its static entries (/, /file) are cached 60 s, a task's directory
** (/d) not at all, a name inside it (/d/file) 60 s but not its attributes.
*/
#define PROCLUA_NAME_TTL 60.0
static double attr_ttl(fuse_ino_t ino)
{
	if (attr_timeout >= 0)
		return attr_timeout;
	return ino == INO_ROOT || ino == INO_FILE ? PROCLUA_NAME_TTL : 0;
}
static char *content;
static size_t content_len;
static time_t mtime;

static int fill(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_ino = ino;
	st->st_blksize = 1024;
	st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = mtime;
	switch (ino) {
	case INO_ROOT:
	case INO_DIR:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = ino == INO_ROOT ? 3 : 2;
		return 0;
	case INO_FILE:
	case INO_DFILE:
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = 0; /* as proclua: size 0, content by direct_io */
		return 0;
	default:
		return -ENOENT;
	}
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_ino_t ino = 0;
	if (parent == INO_ROOT && strcmp(name, "file") == 0)
		ino = INO_FILE;
	else if (parent == INO_ROOT && strcmp(name, "d") == 0)
		ino = INO_DIR;
	else if (parent == INO_DIR && strcmp(name, "file") == 0)
		ino = INO_DFILE;
	if (!ino)
		return (void)fuse_reply_err(req, ENOENT);
	struct fuse_entry_param e;
	memset(&e, 0, sizeof e); /* entry_timeout = attr_timeout = 0 */
	e.ino = ino;
	e.attr_timeout = attr_ttl(ino);
	if (ino == INO_FILE || ino == INO_DFILE)
		e.entry_timeout = leaf_entry_timeout >= 0 ? leaf_entry_timeout : PROCLUA_NAME_TTL;
	fill(ino, &e.attr);
	fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)fi;
	struct stat st;
	if (fill(ino, &st) < 0)
		return (void)fuse_reply_err(req, ENOENT);
	fuse_reply_attr(req, &st, attr_ttl(ino));
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (ino != INO_FILE && ino != INO_DFILE)
		return (void)fuse_reply_err(req, EISDIR);
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return (void)fuse_reply_err(req, EACCES);
	fi->fh = 0;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
	(void)ino, (void)fi;
	if ((size_t)off >= content_len)
		return (void)fuse_reply_buf(req, NULL, 0);
	if (size > content_len - (size_t)off)
		size = content_len - (size_t)off;
	fuse_reply_buf(req, content + off, size);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino, (void)fi;
	fuse_reply_err(req, 0);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
	(void)fi;
	if (ino != INO_ROOT && ino != INO_DIR)
		return (void)fuse_reply_err(req, ENOTDIR);
	struct { const char *name; fuse_ino_t ino; mode_t mode; } ents[4] = {
		{ ".", ino, S_IFDIR }, { "..", INO_ROOT, S_IFDIR },
		{ "file", ino == INO_ROOT ? INO_FILE : INO_DFILE, S_IFREG }, { "d", INO_DIR, S_IFDIR },
	};
	off_t n = ino == INO_ROOT ? 4 : 3;
	char buf[512];
	size_t used = 0;
	if (size > sizeof buf)
		size = sizeof buf;
	for (off_t i = off; i < n; i++) {
		struct stat st;
		memset(&st, 0, sizeof st);
		st.st_ino = ents[i].ino;
		st.st_mode = ents[i].mode;
		size_t need = fuse_add_direntry(req, buf + used, size - used, ents[i].name, &st, i + 1);
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, buf, used);
}

static const struct fuse_lowlevel_ops ops = {
	.lookup = op_lookup,
	.getattr = op_getattr,
	.open = op_open,
	.read = op_read,
	.release = op_release,
	.readdir = op_readdir,
};

struct options {
	unsigned size;
	int loop35, dp;
	double entry_timeout, attr_timeout;
};
static const struct fuse_opt option_spec[] = {
	{ "--size=%u", offsetof(struct options, size), 0 },
	{ "--loop35", offsetof(struct options, loop35), 1 },
	{ "--dp", offsetof(struct options, dp), 1 },
	{ "--entry-timeout=%lf", offsetof(struct options, entry_timeout), 0 },
	{ "--attr-timeout=%lf", offsetof(struct options, attr_timeout), 0 },
	FUSE_OPT_END
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct options opt = { 320, 0, 0, -1.0, -1.0 }; /* about a /proc/<pid>/stat line; -1: proclua's timeouts */
	struct fuse_cmdline_opts fopts;
	int ret = 1;

	if (fuse_opt_parse(&args, &opt, option_spec, NULL) != 0)
		return 1;
	if (fuse_parse_cmdline(&args, &fopts) != 0)
		return 1;
	if (fopts.show_help || !fopts.mountpoint) {
		printf("usage: %s [-f] [-s] [--size=N] [--loop35] [--dp] [--entry-timeout=S] "
		       "[--attr-timeout=S] MOUNTPOINT\n", argv[0]);
		fuse_cmdline_help();
		return fopts.show_help ? 0 : 1;
	}
	content_len = opt.size;
	content = malloc(content_len + 1);
	if (!content)
		return 1;
	for (size_t i = 0; i < content_len; i++)
		content[i] = (i + 1) % 64 == 0 || i + 1 == content_len ? '\n' : (char)('a' + i % 26);
	mtime = time(NULL);
	if (opt.entry_timeout >= 0)
		leaf_entry_timeout = opt.entry_timeout;
	if (opt.attr_timeout >= 0)
		attr_timeout = opt.attr_timeout;

	fuse_opt_add_arg(&args, opt.dp ? "-odefault_permissions,fsname=floorfs,subtype=floorfs"
	                               : "-ofsname=floorfs,subtype=floorfs");
	struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, NULL);
	if (!se)
		goto out0;
	if (fuse_set_signal_handlers(se) != 0)
		goto out1;
	if (fuse_session_mount(se, fopts.mountpoint) != 0)
		goto out2;
	fuse_daemonize(fopts.foreground);
	if (fopts.singlethread) {
		ret = fuse_session_loop(se);
	} else {
		struct fuse_loop_config *cfg = fuse_loop_cfg_create();
		fuse_loop_cfg_set_clone_fd(cfg, fopts.clone_fd);
		if (fopts.max_threads > 0 && fopts.max_threads <= 100000)
			fuse_loop_cfg_set_max_threads(cfg, fopts.max_threads);
		if (fopts.max_idle_threads != UINT_MAX)
			fuse_loop_cfg_set_idle_threads(cfg, fopts.max_idle_threads);
		ret = opt.loop35 ? fuse_session_loop_mt_32(se, cfg) : fuse_session_loop_mt(se, cfg);
		fuse_loop_cfg_destroy(cfg);
	}
	fuse_session_unmount(se);
out2:
	fuse_remove_signal_handlers(se);
out1:
	fuse_session_destroy(se);
out0:
	free(fopts.mountpoint);
	free(content);
	fuse_opt_free_args(&args);
	return ret ? 1 : 0;
}
