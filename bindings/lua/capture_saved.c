/*
** proclua capture --proc DIR: a saved /proc tree as a world.
**
** A saved tree is whatever someone copied out of /proc, on any kernel,
** often with only some files per pid (what the copier could read, or
** chose to keep).  Each file of a task's directory is read and parsed
** alone, by the core's parser for it, into one record, in an order where a
** file fills only what the earlier ones did not give (stat, status, then
** statm, which splits an older status's VmRSS); each file that parsed
** gives the world the facts it names.  A file the tree does not have, or
** that does not parse, is absent from the world's task (`absent`), as it
** was from the tree; with --fill it takes the world's default instead.
**
** Then the world is built in-process, as the daemon builds it, and every
** saved file it serves is formatted from it and compared with the saved
** bytes: the report on stderr names each file the mount would not serve
** exactly as saved, at its first differing line.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "tree/builtin.h"
#include "capture.h"
#include "plua.h"
#include "plua_facts.h"

/* No /proc file is this large (smaps of a huge process is a few MiB). */
#define SAVED_MAX (256u << 20)

/* Where a world places argv when no [stack] region says (world_memory.c). */
#define STACK_TOP 0x7ffffffff000ull

/* A task directory captured, and the files to compare with the world. */
struct saved_task {
	pl_pid tgid, tid;          /* tid 0: the thread group's own directory */
	uint64_t check;            /* absent bits of the saved files to compare */
	char *path;                /* "DIR/42", "DIR/42/task/43" */
};

struct plua_saved {
	const char *root;
	int root_fd;
	int fill;
	int problems;
	struct saved_task *tasks;
	size_t n, cap;
};

/* One task directory while it is read. */
struct reader {
	struct plua_saved *s;
	int dir;
	char path[PATH_MAX];
	pl_pid tgid, tid;
	uint64_t present;          /* what the directory has, as absent bits */
	uint64_t unreadable;       /* present, but neither read nor parsed */
	uint64_t parsed;           /* read into the record */
	struct pl_task *t;
	struct pl_arena a;
};

static uint64_t bit(const char *name)
{
	return pl_builtin_absent_bits(name);
}

/* ------------------------------------------------------------------------
** reading saved files
*/

/* The whole file name of directory dir, into a malloc'd buffer. */
static int slurp(int dir, const char *name, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			close(fd);
			return -ENOMEM;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0) {
			int err = errno;
			free(buf);
			close(fd);
			return -err;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n == cap) {
			if (cap >= SAVED_MAX) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			char *bigger = realloc(buf, cap * 2);
			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}

/* Up to 60 bytes of a line, printable, for a message. */
static void quote_line(const char *p, const char *end, char *out, size_t size)
{
	size_t k = 0;
	for (; p < end && *p != '\n' && k + 5 < size && k < 60; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\t')
			k += (size_t)snprintf(out + k, size - k, "\\t");
		else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			k += (size_t)snprintf(out + k, size - k, "\\%03o", c);
		else
			out[k++] = (char)c;
	}
	out[k] = '\0';
}

/* Where line `line` (1-based) of text starts. */
static const char *line_at(const char *text, size_t len, unsigned line)
{
	const char *p = text, *end = text + len;
	while (--line && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return p;
}

static const char *what_becomes(const struct plua_saved *s)
{
	return s->fill ? "the world's default instead" : "absent from the world";
}

static void report_unreadable(struct reader *r, const char *name, int rc, unsigned line,
                              const char *text, size_t len)
{
	r->s->problems++;
	if (rc != -EINVAL) {
		fprintf(stderr, "proclua capture: %s/%s: %s (%s)\n", r->path, name, strerror(-rc),
		        what_becomes(r->s));
		return;
	}
	if (!line) {
		fprintf(stderr, "proclua capture: %s/%s: not as the kernel prints it (%s)\n", r->path,
		        name, what_becomes(r->s));
		return;
	}
	char q[320];
	const char *p = line_at(text, len, line);
	quote_line(p, text + len, q, sizeof q);
	fprintf(stderr, "proclua capture: %s/%s:%u: %s \"%s\" (%s)\n", r->path, name, line,
	        p < text + len ? "cannot parse" : "ends before", q, what_becomes(r->s));
}

/* ------------------------------------------------------------------------
** what a directory has
*/

/* The entries of subdirectory sub (ns/, attr/) as absent bits. */
static uint64_t sub_present(int dir, const char *sub)
{
	uint64_t b = 0;
	int fd = openat(dir, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		char name[2 * sizeof de->d_name + 2]; /* sub is a directory's name too */
		snprintf(name, sizeof name, "%s/%s", sub, de->d_name);
		if (de->d_name[0] != '.')
			b |= bit(name);
	}
	closedir(d);
	return b;
}

/* What the layout shows in such a directory (children only in task/<tid>/,
** task/, coredump_filter and map_files/ only in /proc/<pid>/). */
static uint64_t expected(int tid_dir)
{
	uint64_t all = 0;
	for (int g = 1; g <= PL_G_TASK_DIR; g++) {
		char buf[40];
		if (pl_builtin_absent_name(g, buf, sizeof buf))
			all |= 1ull << g;
	}
	all |= 1ull << PL_G_NET_DIR | bit("map_files");
	if (tid_dir)
		return all & ~(bit("task") | bit("coredump_filter") | bit("map_files"));
	return all & ~bit("children");
}

/* Names of the bits of mask, comma separated, ns/ and attr/ each as one
** name when whole. */
static void names_of(uint64_t mask, char *out, size_t size)
{
	size_t k = 0;
	uint64_t ns = bit("ns"), attr = bit("attr");
	out[0] = '\0';
	if ((mask & ns) == ns) {
		k += (size_t)snprintf(out + k, size - k, "ns");
		mask &= ~ns;
	}
	int whole_attr = (mask & attr) == attr;
	for (int i = 1; i <= 64 && k < size; i++) { /* map_files/ (bit 0) last */
		int g = i & 63;
		char buf[40];
		const char *name = (mask >> g & 1) ? pl_builtin_absent_name(g, buf, sizeof buf) : NULL;
		if (whole_attr && (attr >> g & 1))
			name = g == PL_G_ATTR_FIRST ? "attr" : NULL;
		if (name)
			k += (size_t)snprintf(out + k, size - k, "%s%s", k ? ", " : "", name);
	}
}

/* List the directory: what it has, and what proclua serves no file for. */
static void list_present(struct reader *r)
{
	int fd = dup(r->dir);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	char ignored[1024] = "";
	size_t k = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		int sub = !strcmp(name, "ns") || !strcmp(name, "attr");
		uint64_t b = sub ? sub_present(r->dir, name) : bit(name);
		if (sub || b)
			r->present |= b;
		else if (k < sizeof ignored)
			k += (size_t)snprintf(ignored + k, sizeof ignored - k, "%s%s", k ? ", " : "", name);
	}
	closedir(d);
	if (k)
		fprintf(stderr, "proclua capture: %s: not captured, proclua serves no such file: %s\n",
		        r->path, ignored);
}

/* ------------------------------------------------------------------------
** files, each alone, into the record; then the facts each gave
*/

/* attr/<name>: the file's bytes, each file a parser of its own */
#define ATTR_PARSER(i) \
	static int parse_attr_##i(const char *text, size_t len, struct pl_arena *a, struct pl_task *t) \
	{ return pl_parse_attr(i, text, len, a, t); }
ATTR_PARSER(0) ATTR_PARSER(1) ATTR_PARSER(2) ATTR_PARSER(3) ATTR_PARSER(4) ATTR_PARSER(5)

struct saved_file {
	const char *name;
	pl_task_parser parse;
	uint64_t groups;           /* the file gives every fact of these groups */
	const char *facts[12];     /* and these */
};

/* In this order: a file fills only what those before it did not. */
static const struct saved_file files[] = {
	{ "stat", pl_parse_stat, PL_F_STAT, { NULL } },
	/* status repeats stat's identity and signal masks (in full, stat
	** prints 31 bits of them) */
	{ "status", pl_parse_status, PL_F_STATUS,
	  { "comm", "state", "ppid", "num_threads", "sig_pending", "sig_blocked", "sig_ignored",
	    "sig_caught", NULL } },
	{ "statm", pl_parse_statm, 0,
	  { "total_vm", "rss_anon", "rss_file", "rss_shmem", "data_vm", "stack_vm", "start_code",
	    "end_code", "has_mm", NULL } },
	{ "comm", pl_parse_comm, 0, { "comm", NULL } },
	{ "io", pl_parse_io, PL_F_IO, { NULL } },
	{ "limits", pl_parse_limits, 0, { "limits", NULL } },
	{ "cgroup", pl_parse_cgroup, 0, { "cgroup", NULL } },
	{ "smaps", pl_parse_smaps, 0, { "smaps", NULL } },
	{ "maps", pl_parse_maps, 0, { "maps", NULL } }, /* without smaps, which has it all */
	{ "smaps_rollup", pl_parse_smaps_rollup, 0, { "smaps_rollup", NULL } },
	{ "numa_maps", pl_parse_numa_maps, 0, { "numa_maps", NULL } },
	{ "mountinfo", pl_parse_mountinfo, 0, { "mountinfo", NULL } },
	{ "uid_map", pl_parse_uid_map, 0, { "uid_map", NULL } },
	{ "gid_map", pl_parse_gid_map, 0, { "gid_map", NULL } },
	{ "projid_map", pl_parse_projid_map, 0, { "projid_map", NULL } },
	{ "setgroups", pl_parse_setgroups, 0, { "setgroups", NULL } },
	{ "auxv", pl_parse_auxv, 0, { "auxv", NULL } },
	{ "oom_score", pl_parse_oom_score, 0, { "oom_score", NULL } },
	{ "oom_score_adj", pl_parse_oom_score_adj, 0, { "oom_score_adj", NULL } },
	{ "coredump_filter", pl_parse_coredump_filter, 0, { "coredump_filter", NULL } },
	{ "wchan", pl_parse_wchan, 0, { "wchan", NULL } },
	/* oom_adj after oom_score_adj: where that was not saved, the value
	** writing oom_adj would have set */
	{ "oom_adj", pl_parse_oom_adj, 0, { "oom_score_adj", NULL } },
	{ "loginuid", pl_parse_loginuid, 0, { "loginuid", NULL } },
	{ "sessionid", pl_parse_sessionid, 0, { "sessionid", NULL } },
	{ "personality", pl_parse_personality, 0, { "personality", NULL } },
	{ "timerslack_ns", pl_parse_timerslack_ns, 0, { "timerslack_ns", NULL } },
	{ "schedstat", pl_parse_schedstat, PL_F_SCHEDSTAT, { NULL } },
	{ "autogroup", pl_parse_autogroup, PL_F_AUTOGROUP, { NULL } },
	{ "cpuset", pl_parse_cpuset, PL_F_CPUSET, { NULL } },
	{ "attr/current", parse_attr_0, 0, { "attr", NULL } },
	{ "attr/prev", parse_attr_1, 0, { "attr", NULL } },
	{ "attr/exec", parse_attr_2, 0, { "attr", NULL } },
	{ "attr/fscreate", parse_attr_3, 0, { "attr", NULL } },
	{ "attr/keycreate", parse_attr_4, 0, { "attr", NULL } },
	{ "attr/sockcreate", parse_attr_5, 0, { "attr", NULL } },
	{ "stack", pl_parse_stack, 0, { "stack", NULL } },
	{ "syscall", pl_parse_syscall, 0, { "syscall", NULL } },
	{ "sched", pl_parse_sched, 0, { "sched", NULL } },
	{ "ksm_stat", pl_parse_ksm_stat, PL_F_KSM, { NULL } },
	{ "arch_status", pl_parse_arch_status, PL_F_ARCH, { NULL } },
	{ "timers", pl_parse_timers, 0, { "timers", NULL } },
};
#define NFILES (sizeof files / sizeof files[0])

static void read_files(struct reader *r)
{
	for (size_t i = 0; i < NFILES; i++) {
		const struct saved_file *f = &files[i];
		uint64_t b = bit(f->name);
		if (!(r->present & b) || (f->parse == pl_parse_maps && (r->parsed & bit("smaps"))))
			continue;
		char *text;
		size_t len;
		int rc = slurp(r->dir, f->name, &text, &len);
		r->a.fail_line = 0;
		if (rc == 0)
			rc = f->parse(text, len, &r->a, r->t);
		if (rc < 0) {
			report_unreadable(r, f->name, rc, r->a.fail_line, text, len);
			r->unreadable |= b;
		} else {
			r->parsed |= b;
		}
		free(text);
	}
}

static void push_fact(lua_State *L, const struct pl_task *t, const char *name)
{
	const struct plua_fact *f = plua_fact_find(name);
	if (f && plua_fact_push(L, f, t))
		lua_setfield(L, -2, name);
}

static void push_file_facts(lua_State *L, const struct reader *r)
{
	for (size_t i = 0; i < NFILES; i++) {
		if (!(r->parsed & bit(files[i].name)))
			continue;
		if (files[i].groups)
			plua_facts_push(L, r->t, files[i].groups);
		for (int k = 0; files[i].facts[k]; k++)
			push_fact(L, r->t, files[i].facts[k]);
	}
}

/* exe, cwd, root: the saved links' targets. */
static void push_links(lua_State *L, struct reader *r)
{
	static const char *const names[] = { "exe", "cwd", "root" };
	for (int i = 0; i < 3; i++) {
		char target[PATH_MAX];
		if (!(r->present & bit(names[i])))
			continue;
		ssize_t n = readlinkat(r->dir, names[i], target, sizeof target - 1);
		if (n < 0) {
			report_unreadable(r, names[i], errno == EINVAL ? -EINVAL : -errno, 0, NULL, 0);
			r->unreadable |= bit(names[i]);
			continue;
		}
		target[n] = '\0';
		lua_pushstring(L, target);
		lua_setfield(L, -2, names[i]);
		r->parsed |= bit(names[i]);
	}
}

/* Whether target is what ns link i of inode ino reads as ("pid:[...]"
** for pid_for_children too). */
static int ns_link_is(int i, uint64_t ino, const char *target)
{
	struct pl_buf b = PL_BUF_INIT;
	int same = pl_fmt_ns_link(i, ino, &b) == 0 && b.len == strlen(target) &&
	           memcmp(b.data, target, b.len) == 0;
	pl_buf_free(&b);
	return same;
}

/* ns = { net = ino, ... } from the saved ns/ links. */
static void push_ns(lua_State *L, struct reader *r)
{
	int any = 0;
	for (int i = 0; i < PL_NS_COUNT; i++) {
		char name[40], target[128];
		snprintf(name, sizeof name, "ns/%s", pl_ns_names[i]);
		uint64_t b = bit(name), ino;
		if (!(r->present & b))
			continue;
		ssize_t n = readlinkat(r->dir, name, target, sizeof target - 1);
		if (n >= 0)
			target[n] = '\0';
		if (n < 0 || pl_parse_ns_link(target, &ino) < 0 || !ns_link_is(i, ino, target)) {
			report_unreadable(r, name, n < 0 && errno != EINVAL ? -errno : -EINVAL, 0, NULL, 0);
			r->unreadable |= b;
			continue;
		}
		if (!any++)
			lua_newtable(L);
		lua_pushinteger(L, (lua_Integer)ino);
		lua_setfield(L, -2, pl_ns_names[i]);
		r->parsed |= b;
	}
	if (any)
		lua_setfield(L, -2, "ns");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The numeric names of subdirectory sub, sorted; their count. */
static size_t numbers_in(int dir, const char *sub, int **out)
{
	int fd = openat(dir, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	size_t n = 0, cap = 0;
	int *v = NULL;
	struct dirent *de;
	*out = NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		char *end;
		long x = strtol(de->d_name, &end, 10);
		if (*end || end == de->d_name || x < 0 || x > INT32_MAX)
			continue;
		if (n == cap) {
			int *w = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
			if (!w)
				break;
			v = w;
		}
		v[n++] = (int)x;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof *v, cmp_int);
	*out = v;
	return n;
}

/* fds = { {fd =, target =, mode =, pos =, flags =, mnt_id =, ino =, extra =} } */
static void push_fds(lua_State *L, struct reader *r)
{
	int has_fd = (r->present & bit("fd")) != 0, has_info = (r->present & bit("fdinfo")) != 0;
	int *fds = NULL, *infos = NULL;
	size_t nfd = has_fd ? numbers_in(r->dir, "fd", &fds) : 0;
	size_t ninfo = has_info ? numbers_in(r->dir, "fdinfo", &infos) : 0;
	if (has_fd || has_info) {
		lua_newtable(L);
		int k = 0;
		for (size_t i = 0, j = 0; i < nfd || j < ninfo;) {
			int fd = i < nfd && (j >= ninfo || fds[i] <= infos[j]) ? fds[i] : infos[j];
			char name[40], target[PATH_MAX] = "/dev/null";
			int linked = i < nfd && fds[i] == fd, info = j < ninfo && infos[j] == fd;
			i += linked;
			j += info;
			lua_createtable(L, 0, 8);
			lua_pushinteger(L, fd);
			lua_setfield(L, -2, "fd");
			snprintf(name, sizeof name, "fd/%d", fd);
			ssize_t n = linked ? readlinkat(r->dir, name, target, sizeof target - 1) : -1;
			if (n >= 0)
				target[n] = '\0';
			lua_pushstring(L, target);
			lua_setfield(L, -2, "target");
			struct pl_fdinfo fi;
			char *text = NULL;
			size_t len = 0;
			snprintf(name, sizeof name, "fdinfo/%d", fd);
			int rc = info ? slurp(r->dir, name, &text, &len) : -ENOENT;
			r->a.fail_line = 0;
			if (rc == 0 && (rc = pl_parse_fdinfo(text, len, &r->a, &fi)) == 0) {
				static const char *const modes[] = { "r", "w", "rw", "rw" };
				lua_pushstring(L, modes[fi.flags & 3]);
				lua_setfield(L, -2, "mode");
				lua_pushinteger(L, (lua_Integer)fi.pos);
				lua_setfield(L, -2, "pos");
				lua_pushinteger(L, fi.flags);
				lua_setfield(L, -2, "flags");
				if (fi.no_mnt_id)
					lua_pushboolean(L, 0);
				else
					lua_pushinteger(L, (lua_Integer)(int32_t)fi.mnt_id);
				lua_setfield(L, -2, "mnt_id");
				if (fi.no_ino)
					lua_pushboolean(L, 0);
				else
					lua_pushinteger(L, (lua_Integer)fi.ino);
				lua_setfield(L, -2, "ino");
				lua_pushstring(L, fi.extra);
				lua_setfield(L, -2, "extra");
			} else if (info) {
				report_unreadable(r, name, rc, 0, text, len);
			}
			free(text);
			lua_rawseti(L, -2, ++k);
		}
		lua_setfield(L, -2, "fds");
	}
	r->parsed |= r->present & (bit("fd") | bit("fdinfo"));
	free(fds);
	free(infos);
}

/* ------------------------------------------------------------------------
** memory: the saved cmdline and environ, where the world reads them
*/

static void push_mem_at(lua_State *L, int *n, uint64_t addr, const char *bytes, size_t len)
{
	if (!addr || !len)
		return;
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, (lua_Integer)addr);
	lua_setfield(L, -2, "addr");
	lua_pushlstring(L, bytes, len);
	lua_setfield(L, -2, "bytes");
	lua_rawseti(L, -2, ++*n);
}

static void set_int(lua_State *L, const char *key, uint64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, key);
}

static uint64_t stack_top(const struct pl_task *t)
{
	for (size_t i = 0; i < t->nregions; i++)
		if (t->regions[i].name && strcmp(t->regions[i].name, "[stack]") == 0)
			return t->regions[i].end;
	return STACK_TOP;
}

/*
** Three cases.  A stat that printed the argv and environment addresses
** (3.5 and later, read by one who may ptrace the task): the bytes go
** there.  A stat that masked them (saved by one who may not: code range
** 1 1, no stack, no addresses): the kernel's text is the fact, as the
** daemon keeps it for a task it may not read.  No stat, or one from
** before 3.5 that does not print them: the bytes go where execve would put
** them, cmdline then, one byte apart so that a title without its NUL
** (setproctitle) never runs on into it, environ.
*/
static void push_memory(lua_State *L, struct reader *r)
{
	char *b[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 };
	static const char *const names[2] = { "cmdline", "environ" };
	for (int i = 0; i < 2; i++) {
		if (!(r->present & bit(names[i])))
			continue;
		int rc = slurp(r->dir, names[i], &b[i], &len[i]);
		if (rc < 0) {
			report_unreadable(r, names[i], rc, 0, NULL, 0);
			r->unreadable |= bit(names[i]);
		} else {
			r->parsed |= bit(names[i]);
		}
	}
	const struct pl_task *t = r->t;
	const struct pl_mm *mm = &t->mm;
	int stat = (r->parsed & bit("stat")) != 0;
	int shown = stat && t->stat_fields >= 51;
	if (shown && !mm->env_end && t->vsize && !mm->start_stack) {
		for (int i = 0; i < 2; i++)
			if (b[i]) {
				lua_pushlstring(L, b[i], len[i]);
				lua_setfield(L, -2, i ? "environ_text" : "cmdline_text");
			}
	} else if (shown || (stat && t->stat_fields >= 48)) {
		int n = 0;
		lua_newtable(L);
		push_mem_at(L, &n, mm->arg_start, b[0], len[0]);
		push_mem_at(L, &n, mm->env_start, b[1], len[1]);
		lua_setfield(L, -2, "mem");
	} else if (len[0] || len[1]) {
		uint64_t start = (stack_top(t) - 64 - len[0] - len[1] - 1) & ~15ull;
		int n = 0;
		set_int(L, "arg_start", start);
		set_int(L, "arg_end", start + len[0]);
		set_int(L, "env_start", start + len[0] + 1);
		set_int(L, "env_end", start + len[0] + 1 + len[1]);
		lua_newtable(L);
		push_mem_at(L, &n, start, b[0], len[0]);
		push_mem_at(L, &n, start + len[0] + 1, b[1], len[1]);
		lua_setfield(L, -2, "mem");
	}
	free(b[0]);
	free(b[1]);
}

/* ------------------------------------------------------------------------
** a task directory
*/

static int remember(struct plua_saved *s, const struct reader *r, uint64_t check)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct saved_task *v = realloc(s->tasks, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		s->tasks = v;
		s->cap = cap;
	}
	char *path = strdup(r->path);
	if (!path)
		return -ENOMEM;
	s->tasks[s->n++] = (struct saved_task){ r->tgid, r->tid, check, path };
	return 0;
}

/* The files a world formats (world:format): not mem, links or directories. */
static uint64_t formatted_files(void)
{
	uint64_t m = 0;
	for (int g = 1; g <= PL_G_TASK_DIR; g++) {
		char buf[40];
		if (pl_builtin_absent_name(g, buf, sizeof buf) && pl_builtins[g].fmt &&
		    !(pl_builtins[g].flags & PL_B_LINK))
			m |= 1ull << g;
	}
	return m;
}

static int capture_dir(lua_State *L, struct plua_saved *s, pl_pid tgid, pl_pid tid);

static void push_threads(lua_State *L, struct reader *r)
{
	int *tids;
	size_t n = numbers_in(r->dir, "task", &tids);
	int k = 0;
	lua_newtable(L);
	for (size_t i = 0; i < n; i++)
		if (tids[i] > 0 && capture_dir(L, r->s, r->tgid, (pl_pid)tids[i]) == 0)
			lua_rawseti(L, -2, ++k);
	lua_setfield(L, -2, "threads");
	r->parsed |= bit("task");
	free(tids);
}

/* The table of one directory, root/tgid or root/tgid/task/tid, pushed. */
static int capture_dir(lua_State *L, struct plua_saved *s, pl_pid tgid, pl_pid tid)
{
	struct reader r = { .s = s, .dir = -1, .tgid = tgid, .tid = tid };
	char rel[64];
	if (tid)
		snprintf(rel, sizeof rel, "%d/task/%d", (int)tgid, (int)tid);
	else
		snprintf(rel, sizeof rel, "%d", (int)tgid);
	snprintf(r.path, sizeof r.path, "%s/%s", s->root, rel);
	r.dir = openat(s->root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.dir < 0) {
		fprintf(stderr, "proclua capture: %s: %s; not captured\n", r.path, strerror(errno));
		return -errno;
	}
	list_present(&r);
	uint64_t missing = expected(tid != 0) & ~r.present;
	if (!r.present) {
		fprintf(stderr, "proclua capture: %s: no file proclua reads; not captured\n", r.path);
		close(r.dir);
		return -ENOENT;
	}
	r.t = calloc(1, sizeof *r.t);
	if (!r.t) {
		close(r.dir);
		return -ENOMEM;
	}
	for (int i = 0; i < PL_ATTR_COUNT; i++) /* what attr/ files were not saved do not say */
		r.t->attr[i].err = EINVAL;
	if (missing) {
		char names[1024];
		names_of(missing, names, sizeof names);
		fprintf(stderr, "proclua capture: %s: not saved: %s (%s)\n", r.path, names,
		        s->fill ? "the world's defaults instead" : "absent from the world");
	}
	read_files(&r);
	lua_newtable(L);
	lua_pushinteger(L, tid ? tid : tgid);
	lua_setfield(L, -2, tid ? "tid" : "pid");
	push_file_facts(L, &r);
	if (!tid)
		push_memory(L, &r);
	push_links(L, &r);
	push_ns(L, &r);
	push_fds(L, &r);
	if (!tid && (r.present & bit("task")))
		push_threads(L, &r);
	plua_capture_drop_defaults(L, r.t);
	/* a thread inherits its leader's facts, absent ones too: it says its own */
	r.t->absent = s->fill ? 0 : missing | r.unreadable;
	if (!s->fill && (r.t->absent || tid))
		push_fact(L, r.t, "absent");
	int rc = remember(s, &r, r.present & ~r.unreadable & formatted_files());
	free(r.t);
	pl_arena_free(&r.a);
	close(r.dir);
	if (rc < 0)
		lua_pop(L, 1);
	return rc;
}

/* ------------------------------------------------------------------------
** the whole tree
*/

struct plua_saved *plua_saved_open(const char *root, int fill)
{
	struct plua_saved *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->root = root;
	s->fill = fill;
	s->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->root_fd < 0) {
		int err = errno;
		free(s);
		errno = err;
		return NULL;
	}
	return s;
}

int plua_saved_capture(lua_State *L, struct plua_saved *s, pl_pid pid)
{
	return capture_dir(L, s, pid, 0);
}

/* The 1-based line of the first byte where a and b differ. */
static unsigned first_difference(const char *a, size_t na, const char *b, size_t nb, size_t *at)
{
	size_t i = 0;
	unsigned line = 1;
	while (i < na && i < nb && a[i] == b[i])
		line += a[i++] == '\n';
	*at = i;
	return line;
}

static void compare_file(lua_State *L, struct plua_saved *s, int world, const struct saved_task *st,
                         int gen)
{
	char buf[40];
	const char *name = pl_builtin_absent_name(gen, buf, sizeof buf); /* "attr/current" */
	char path[PATH_MAX + 64], *saved;
	size_t nsaved, nserved;
	snprintf(path, sizeof path, "%s/%s", st->path + strlen(s->root) + 1, name);
	if (slurp(s->root_fd, path, &saved, &nsaved) < 0)
		return; /* reported when it was read */
	lua_getfield(L, world, "format");
	lua_pushvalue(L, world);
	lua_pushstring(L, pl_builtins[gen].name);
	lua_pushinteger(L, st->tgid);
	if (st->tid)
		lua_pushinteger(L, st->tid);
	else
		lua_pushnil(L);
	int ok = lua_pcall(L, 4, 2, 0) == LUA_OK;
	const char *served = ok ? lua_tolstring(L, -2, &nserved) : NULL;
	if (!served) {
		s->problems++;
		fprintf(stderr, "proclua capture: %s/%s: the world cannot serve it: %s\n", st->path, name,
		        lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
	} else if (nserved != nsaved || memcmp(served, saved, nsaved) != 0) {
		size_t at;
		unsigned line = first_difference(saved, nsaved, served, nserved, &at);
		const char *sl = line_at(saved, nsaved, line), *wl = line_at(served, nserved, line);
		char qs[320], qw[320];
		quote_line(sl, saved + nsaved, qs, sizeof qs);
		quote_line(wl, served + nserved, qw, sizeof qw);
		s->problems++;
		fprintf(stderr, "proclua capture: %s/%s:%u: the world serves \"%s\" for \"%s\"\n",
		        st->path, name, line, qw, qs);
	}
	lua_pop(L, ok ? 2 : 1);
	free(saved);
}

int plua_saved_verify(lua_State *L, struct plua_saved *s, const char *world, size_t len)
{
	int top = lua_gettop(L);
	luaL_requiref(L, "proclua", luaopen_proclua, 0);
	lua_pop(L, 1);
	if (luaL_loadbuffer(L, world, len, "=captured world") != LUA_OK ||
	    lua_pcall(L, 0, 1, 0) != LUA_OK) {
		fprintf(stderr, "proclua capture: the captured world does not load: %s\n",
		        lua_tostring(L, -1));
		s->problems++;
		lua_settop(L, top);
		return -1;
	}
	int w = lua_gettop(L);
	for (size_t i = 0; i < s->n; i++)
		for (int g = 1; g <= PL_G_TASK_DIR; g++)
			if (s->tasks[i].check >> g & 1)
				compare_file(L, s, w, &s->tasks[i], g);
	lua_settop(L, top);
	return 0;
}

int plua_saved_problems(const struct plua_saved *s)
{
	return s->problems;
}

void plua_saved_close(struct plua_saved *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->tasks[i].path);
	free(s->tasks);
	close(s->root_fd);
	free(s);
}
