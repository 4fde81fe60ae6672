/*
** genbench: in-process costs of proclua's hot path, no FUSE.
**
**   genbench [-t SECONDS] [-l LAYOUT] PID
**
** Links build/libproclua_core.a and build/libproclua_lua_static.a and times,
** for host task PID (and for this process where a formatter needs readable
** memory):
**
**   fmt_*        the pure formatters (pl_fmt_stat, pl_fmt_status,
**                pl_fmt_cmdline over memcpy, pl_fmt_maps) from a task parsed once;
**   parse_*      the parsers alone, over text read once;
**   host_*       the host source's loads (the /proc reads + parse) that
**                kernfs makes per request, one group at a time and the
**                combinations the stat/status opens ask for, repeated on
**                PID (and on its thread view, host_load_thread_*);
**                host_scan_* loads every host task in turn, one per op, as
**                ps does;
**   kfs_*        the whole daemon-side work of one open+read+release of
**                /<PID>/<file>, and of the two LOOKUPs of its path walk,
**                through pl_tree_* exactly as bindings/fuse/ops.c calls them
**                (a fresh caller per request, as caller_of makes);
**   lua_*        plua_read of the layout's Lua-function files;
**   alt_*        the syscalls of cheaper alternatives (see RESULTS.md notes):
**                capget of another process, the same-group test by
**                faccessat, re-reading a kept-open /proc file with pread,
**                opening through a kept /proc/<pid> directory fd.
**
** Each line: NAME  ns_per_op  ops_per_s  (tab-separated), after a warm-up;
** every case runs for SECONDS (default 0.3).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "access/access.h"
#include "record/arena.h"
#include "record/buf.h"
#include "format/format.h"
#include "tree/tree.h"
#include "tree/layout.h"
#include "source/source.h"
#include "record/task.h"
#include "plua.h"

static double seconds = 0.3;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*case_fn)(void *arg);

/* Run fn in batches until `seconds` have passed; print ns/op and ops/s. */
static void bench(const char *name, case_fn fn, void *arg)
{
	for (int i = 0; i < 50; i++) /* warm-up */
		if (fn(arg) < 0) {
			printf("%s\tERROR\t%s\n", name, strerror(errno));
			return;
		}
	long ops = 0, batch = 16;
	double t0 = now(), t;
	do {
		for (long i = 0; i < batch; i++)
			if (fn(arg) < 0) {
				printf("%s\tERROR\t%s\n", name, strerror(errno));
				return;
			}
		ops += batch;
		if (batch < 65536)
			batch *= 2;
		t = now();
	} while (t - t0 < seconds);
	double ns = (t - t0) * 1e9 / (double)ops;
	printf("%s\t%.1f\t%.0f\n", name, ns, 1e9 / ns);
	fflush(stdout);
}

/* ---------------------------------------------------------------------- */

struct fmt_arg {
	struct pl_task *t;
	struct pl_buf buf;
	int permitted;
};

static int c_fmt_stat(void *a)
{
	struct fmt_arg *f = a;
	pl_buf_reset(&f->buf);
	return pl_fmt_stat(f->t, f->permitted, &f->buf);
}

static int c_fmt_status(void *a)
{
	struct fmt_arg *f = a;
	pl_buf_reset(&f->buf);
	return pl_fmt_status(f->t, &f->buf);
}

static int c_fmt_maps(void *a)
{
	struct fmt_arg *f = a;
	pl_buf_reset(&f->buf);
	return pl_fmt_maps(f->t, &f->buf);
}

static ssize_t memcpy_reader(void *arg, uint64_t addr, void *buf, size_t len)
{
	(void)arg;
	memcpy(buf, (const void *)(uintptr_t)addr, len);
	return (ssize_t)len;
}

static int c_fmt_cmdline(void *a)
{
	struct fmt_arg *f = a;
	pl_buf_reset(&f->buf);
	return pl_fmt_cmdline(&f->t->mm, memcpy_reader, NULL, &f->buf);
}

struct src_arg {
	struct pl_source *src;
	pl_pid pid;
	struct pl_arena arena;
	struct pl_task t;
	unsigned want;
	struct pl_buf buf;
};

static int c_host_load(void *a)
{
	struct src_arg *s = a;
	pl_arena_reset(&s->arena);
	memset(&s->t, 0, sizeof s->t);
	return s->src->ops->load(s->src, s->pid, 0, s->want, &s->arena, &s->t);
}

static int c_task_exists(void *a)
{
	struct src_arg *s = a;
	return s->src->ops->task_exists(s->src, s->pid, s->pid);
}

/* The thread view of the leader: /proc/<pid>/task/<pid>/... */
static int c_host_load_thread(void *a)
{
	struct src_arg *s = a;
	pl_arena_reset(&s->arena);
	memset(&s->t, 0, sizeof s->t);
	return s->src->ops->load(s->src, s->pid, s->pid, s->want, &s->arena, &s->t);
}

/*
** A scan, as ps or top makes one: each op loads `want` of the next host
** task in turn (one op = one task).  With more tasks than the host source
** keeps fds for, this is the cost of first contact; with fewer, of a
** refresh.  Tasks that exit meanwhile count as done.
*/
struct scan_arg {
	struct src_arg s;
	pl_pid *pids;
	size_t n, next;
};

static int collect_pid(void *arg, pl_pid pid)
{
	struct scan_arg *x = arg;
	if (x->n % 256 == 0) {
		pl_pid *v = realloc(x->pids, (x->n + 256) * sizeof *v);
		if (!v)
			return 1;
		x->pids = v;
	}
	x->pids[x->n++] = pid;
	return 0;
}

static int c_host_scan(void *a)
{
	struct scan_arg *x = a;
	x->s.pid = x->pids[x->next++ % x->n];
	int rc = c_host_load(&x->s);
	return rc == -ESRCH ? 0 : rc;
}

static ssize_t host_reader(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct src_arg *s = arg;
	return s->src->ops->read_mem(s->src, s->pid, addr, buf, len);
}

static int c_host_cmdline(void *a)
{
	struct src_arg *s = a;
	pl_arena_reset(&s->arena);
	memset(&s->t, 0, sizeof s->t);
	int rc = s->src->ops->load(s->src, s->pid, 0, PL_F_STAT, &s->arena, &s->t);
	if (rc < 0)
		return rc;
	pl_buf_reset(&s->buf);
	return pl_fmt_cmdline(&s->t.mm, host_reader, s, &s->buf);
}

static int c_caller_load(void *a)
{
	(void)a;
	struct pl_caller c;
	pl_caller_init(&c, getpid(), 0, 0);
	return pl_caller_load(&c);
}

struct text_arg {
	char *text;
	size_t len;
	struct pl_arena arena;
	struct pl_task t;
};

static int c_parse_stat(void *a)
{
	struct text_arg *x = a;
	memset(&x->t, 0, sizeof x->t);
	return pl_parse_stat(x->text, x->len, &x->arena, &x->t);
}

static int c_parse_status(void *a)
{
	struct text_arg *x = a;
	pl_arena_reset(&x->arena);
	memset(&x->t, 0, sizeof x->t);
	return pl_parse_status(x->text, x->len, &x->arena, &x->t);
}

static int c_read_file(void *a)
{
	const char *path = a;
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (read(fd, buf, sizeof buf) > 0)
		;
	close(fd);
	return 0;
}

static int c_alt_capget(void *a)
{
	pl_pid pid = *(pl_pid *)a;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, pid };
	struct __user_cap_data_struct d[2];
	return (int)syscall(SYS_capget, &h, d);
}

struct alt_arg {
	int root_fd, dir_fd, file_fd;
	char rel[64];
};

static int c_alt_faccessat(void *a)
{
	struct alt_arg *x = a;
	return faccessat(x->root_fd, x->rel, F_OK, 0);
}

static int c_alt_faccessat_wrap(void *a)
{
	c_alt_faccessat(a);
	return 0;
}

static int c_alt_pread(void *a)
{
	struct alt_arg *x = a;
	char buf[4096];
	return pread(x->file_fd, buf, sizeof buf, 0) < 0 ? -1 : 0;
}

static int c_alt_dirfd_open(void *a)
{
	struct alt_arg *x = a;
	char buf[4096];
	int fd = openat(x->dir_fd, "stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (read(fd, buf, sizeof buf) > 0)
		;
	close(fd);
	return 0;
}

static int c_alt_fstatat1(void *a)
{
	struct alt_arg *x = a;
	struct stat st;
	return fstatat(x->dir_fd, "", &st, AT_EMPTY_PATH);
}

/* ---------------------------------------------------------------------- */

struct kfs_arg {
	struct pl_tree *k;
	pl_pid pid;
	const char *name;
	uint64_t dir_ino, file_ino;
	int read_only; /* 0: open+read+release; 1: the two lookups only */
};

static struct pl_caller fresh_caller(void)
{
	struct pl_caller c;
	pl_caller_init(&c, getpid(), getuid(), getgid());
	return c;
}

static int c_kfs_lookups(void *a)
{
	struct kfs_arg *x = a;
	struct pl_attr at;
	char pidname[16];
	snprintf(pidname, sizeof pidname, "%d", (int)x->pid);
	struct pl_caller c = fresh_caller();
	int rc = pl_tree_lookup(x->k, &c, PL_ROOT_INO, pidname, &at);
	if (rc < 0)
		return rc;
	c = fresh_caller();
	return pl_tree_lookup(x->k, &c, at.ino, x->name, &at);
}

static int c_kfs_open_read(void *a)
{
	struct kfs_arg *x = a;
	struct pl_caller c = fresh_caller();
	struct pl_file *f;
	int rc = pl_tree_open(x->k, &c, x->file_ino, O_RDONLY, &f);
	if (rc < 0)
		return rc;
	static char mem[4096];
	const char *data;
	uint64_t off = 0;
	ssize_t n;
	while ((n = pl_tree_read(x->k, &c, f, off, 4096, mem, &data)) > 0)
		off += (uint64_t)n;
	pl_tree_release(x->k, f);
	return n < 0 ? (int)n : 0;
}

static int c_kfs_getattr(void *a)
{
	struct kfs_arg *x = a;
	struct pl_attr at;
	return pl_tree_getattr(x->k, x->file_ino, &at);
}

struct lua_arg {
	struct plua *lua;
	int ref;
	pl_pid pid;
	struct pl_buf buf;
};

static int c_lua(void *a)
{
	struct lua_arg *x = a;
	pl_buf_reset(&x->buf);
	struct pl_caller c = fresh_caller();
	return plua_read(x->lua, x->ref, x->pid, 0, &c, &x->buf);
}

static int read_text(const char *path, struct text_arg *x)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n, len = 0;
	while ((n = read(fd, buf + len, sizeof buf - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	x->text = strdup(buf);
	x->len = (size_t)len;
	return 0;
}

int main(int argc, char **argv)
{
	const char *layout = NULL;
	int c;
	while ((c = getopt(argc, argv, "t:l:")) != -1) {
		if (c == 't')
			seconds = atof(optarg);
		else if (c == 'l')
			layout = optarg;
		else {
			fprintf(stderr, "usage: genbench [-t SECONDS] [-l LAYOUT] PID\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: genbench [-t SECONDS] [-l LAYOUT] PID\n");
		return 2;
	}
	pl_pid pid = (pl_pid)atoi(argv[optind]);
	struct pl_source *src = pl_host_source_new("/proc");
	if (!src) {
		perror("genbench: /proc");
		return 1;
	}

	/* Formatters, from the target task parsed once. */
	struct src_arg s = { .src = src, .pid = pid, .want = PL_F_STAT | PL_F_STATUS | PL_F_OWNER | PL_F_MAPS };
	if (c_host_load(&s) < 0) {
		fprintf(stderr, "genbench: cannot load task %d\n", (int)pid);
		return 1;
	}
	struct fmt_arg f = { .t = &s.t, .permitted = 1 };
	bench("fmt_stat", c_fmt_stat, &f);
	bench("fmt_status", c_fmt_status, &f);
	bench("fmt_maps", c_fmt_maps, &f);
	/* cmdline needs readable memory: this process's own, by memcpy */
	struct src_arg self = { .src = src, .pid = getpid(), .want = PL_F_STAT };
	c_host_load(&self);
	struct fmt_arg fself = { .t = &self.t, .permitted = 1 };
	bench("fmt_cmdline_memcpy", c_fmt_cmdline, &fself);

	/* Parsers alone. */
	char path[64];
	struct text_arg ts = { 0 }, tst = { 0 };
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	read_text(path, &ts);
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	read_text(path, &tst);
	bench("parse_stat", c_parse_stat, &ts);
	bench("parse_status", c_parse_status, &tst);

	/* Raw host reads (the syscall floor of a host load). */
	static char p_stat[64], p_status[64];
	snprintf(p_stat, sizeof p_stat, "/proc/%d/stat", (int)pid);
	snprintf(p_status, sizeof p_status, "/proc/%d/status", (int)pid);
	bench("read_host_stat", c_read_file, p_stat);
	bench("read_host_status", c_read_file, p_status);

	/* Host source loads, as kernfs asks for them. */
	struct src_arg h = { .src = src, .pid = pid };
	static const struct { const char *name; unsigned want; } loads[] = {
		{ "host_load_owner", PL_F_OWNER },
		{ "host_load_stat", PL_F_STAT },
		{ "host_load_status", PL_F_STATUS },
		{ "host_load_stat+status+owner", PL_F_STAT | PL_F_STATUS | PL_F_OWNER },
		{ "host_load_maps", PL_F_MAPS },
	};
	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		h.want = loads[i].want;
		bench(loads[i].name, c_host_load, &h);
	}
	bench("host_task_exists", c_task_exists, &h);
	h.want = PL_F_STAT;
	bench("host_load_thread_stat", c_host_load_thread, &h);
	h.want = PL_F_OWNER;
	bench("host_load_thread_owner", c_host_load_thread, &h);
	struct scan_arg scan = { .s = { .src = src, .want = PL_F_OWNER | PL_F_STAT } };
	if (src->ops->each_tgid(src, 1, collect_pid, &scan) == 0 && scan.n) {
		fprintf(stderr, "genbench: host_scan_owner+stat cycles over %zu host tasks\n", scan.n);
		bench("host_scan_owner+stat", c_host_scan, &scan);
	}
	free(scan.pids);
	bench("host_cmdline", c_host_cmdline, &h);
	bench("caller_load", c_caller_load, NULL);

	/* Alternatives. */
	bench("alt_capget_other_pid", c_alt_capget, &pid);
	struct alt_arg alt = { .root_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC) };
	snprintf(alt.rel, sizeof alt.rel, "%d/task/%d", (int)pid, (int)getpid()); /* absent: ENOENT */
	char dpath[64];
	snprintf(dpath, sizeof dpath, "/proc/%d", (int)pid);
	alt.dir_fd = open(dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	alt.file_fd = openat(alt.dir_fd, "stat", O_RDONLY | O_CLOEXEC);
	bench("alt_faccessat_same_group_test", c_alt_faccessat_wrap, &alt);
	bench("alt_pread_kept_stat_fd", c_alt_pread, &alt);
	bench("alt_read_stat_via_dirfd", c_alt_dirfd_open, &alt);
	bench("alt_fstat_kept_dirfd", c_alt_fstatat1, &alt);

	/* The daemon's whole kernfs work, and Lua files, with the layout. */
	if (layout) {
		char err[1024];
		struct plua_limits lim = { .load_seconds = 5.0, .call_seconds = 1.0 };
		struct pl_source *lsrc = src; /* no world: the layout reads the host */
		/* bench/layout.lua requires the stock layout, beside it in ../scripts */
		char stock[4096];
		const char *slash = strrchr(layout, '/');
		snprintf(stock, sizeof stock, "%.*s/../scripts/proc.lua",
		         slash ? (int)(slash - layout) : 1, slash ? layout : ".");
		const char *failed;
		struct plua *lua = plua_open_with(layout, NULL, stock, &lsrc, &lim, err, sizeof err,
		                                  &failed);
		if (!lua) {
			fprintf(stderr, "genbench: layout: %s\n", err);
			return 1;
		}
		struct pl_tree k = {
			.layout = plua_layout(lua), .src = src,
			.mtime = 0, .lua_read = plua_read, .lua_ctx = lua,
		};
		static const char *files[] = { "stat", "status", "cmdline", "maps",
		                               "bench_stub", "bench_lua", "bench_lua_pid" };
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			struct kfs_arg x = { .k = &k, .pid = pid, .name = files[i] };
			struct pl_attr at;
			char pidname[16], name[64];
			snprintf(pidname, sizeof pidname, "%d", (int)pid);
			struct pl_caller cc = fresh_caller();
			if (pl_tree_lookup(&k, &cc, PL_ROOT_INO, pidname, &at) < 0)
				continue;
			x.dir_ino = at.ino;
			if (pl_tree_lookup(&k, &cc, x.dir_ino, files[i], &at) < 0) {
				printf("kfs_%s\tABSENT\n", files[i]);
				continue;
			}
			x.file_ino = at.ino;
			snprintf(name, sizeof name, "kfs_lookup2_%s", files[i]);
			bench(name, c_kfs_lookups, &x);
			snprintf(name, sizeof name, "kfs_getattr_%s", files[i]);
			bench(name, c_kfs_getattr, &x);
			snprintf(name, sizeof name, "kfs_open_read_release_%s", files[i]);
			bench(name, c_kfs_open_read, &x);
		}
		const struct pl_layout *l = plua_layout(lua);
		for (uint32_t i = 0; i < l->nentries; i++) {
			const struct pl_entry *e = &l->entries[i];
			if (e->kind != PL_K_LUA)
				continue;
			struct lua_arg la = { .lua = lua, .ref = e->ref, .pid = pid };
			char name[80];
			snprintf(name, sizeof name, "lua_call_%s", e->name);
			bench(name, c_lua, &la);
		}
		plua_close(lua);
	}
	src->ops->destroy(src);
	return 0;
}
