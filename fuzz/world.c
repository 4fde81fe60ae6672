/*
** The input as a world script (return p.world {...}), loaded as `proclua
** --world FILE --check` loads one (plua_open_with, with a layout of one
** file), then read as a mount serves it: every builtin file and link of
** its first tasks and threads, through pl_builtin_read, by root (as
** world:format does) and by an unprivileged reader (ptrace decisions,
** masked fields); the fdinfo of their fds; and the machine's files.  This
** runs world_task.c, world_memory.c and world_machine.c on whatever the
** script declares, and model.c on what they built.  A script may fail in
** any way it likes; a crash, a sanitizer report, a leak or a hang may not.
**
** The limits are the daemon's (5 s to load; the Lua memory limit at 64
** MiB, see lua_sandbox.h): a load stuck past its limit inside a C
** function is abandoned by design, its thread left running and its
** memory kept, which LeakSanitizer reports.
*/
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "access/access.h"
#include "tree/builtin.h"
#include "plua.h"
#include "fuzz.h"
#include "lua_sandbox.h"

#define TASKS_READ 4    /* thread groups read */
#define THREADS_READ 3  /* threads of each, besides the group */
#define FDS_READ 4

static char layout_path[PATH_MAX], world_path[PATH_MAX];
static struct pl_source *host;

static void quiet(const char *fmt, ...)
{
	(void)fmt;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = sandbox_dir();
	static const char layout[] =
		"local p = require 'proclua'\n"
		"return p.layout { root = { p.file('uptime', '0444', 'uptime') },\n"
		"                  task = { p.file('stat', '0444', 'stat') } }\n";
	snprintf(layout_path, sizeof layout_path, "%s/layout.lua", dir);
	snprintf(world_path, sizeof world_path, "%s/world.lua", dir);
	sandbox_write(layout_path, layout, sizeof layout - 1);
	host = pl_host_source_new("/proc");
	if (!host) {
		perror("fuzz: /proc");
		abort();
	}
	plua_log = quiet;
	return 0;
}

/* Whether gen is a file or link a layout can name with content to read. */
static int readable(int gen)
{
	return pl_builtins[gen].name && gen != PL_G_MEM && gen != PL_G_SELF &&
	       gen != PL_G_THREAD_SELF;
}

static void read_one(struct pl_source *src, struct pl_caller *c, pl_pid tgid, pl_pid tid, int gen)
{
	struct pl_buf out = PL_BUF_INIT;
	int rc = pl_builtin_read(src, c, tgid, tid, gen, &out);
	/* what a model source may answer: content, or an errno a reader gets
	** (EPERM: lock_trace, timerslack_ns); an attr/ file, the errno its
	** world declares */
	int attr = gen >= PL_G_ATTR_FIRST && gen < PL_G_ATTR_FIRST + PL_ATTR_COUNT;
	FUZZ_CHECK(rc == 0 || rc == -ESRCH || rc == -ENOENT || rc == -EACCES || rc == -EINVAL ||
	           rc == -EIO || rc == -ENOMEM || rc == -EPERM || (attr && rc < 0 && rc >= -4095),
	           "%s of %d/%d: %d", pl_builtins[gen].name, (int)tgid, (int)tid, rc);
	pl_buf_free(&out);
}

static void read_task(struct pl_source *src, struct pl_caller *readers, pl_pid tgid, pl_pid tid)
{
	for (int gen = 1; gen < PL_G_COUNT; gen++) {
		if (!readable(gen) || pl_builtins[gen].mneed)
			continue;
		for (int r = 0; r < 2; r++)
			read_one(src, &readers[r], tgid, tid, gen);
	}
	/* fd/ and fdinfo/: the fds the task lists */
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_task *t = calloc(1, sizeof *t);
	if (t && src->ops->load(src, tgid, tid, PL_F_FDS, &a, t) == 0) {
		for (size_t i = 0; i < t->nfds && i < FDS_READ; i++) {
			struct pl_fdinfo fi = { 0 };
			struct pl_buf out = PL_BUF_INIT;
			if (src->ops->load_fdinfo(src, tgid, tid, t->fds[i].fd, &a, &fi) == 0)
				pl_fmt_fdinfo(&fi, &out);
			pl_buf_free(&out);
		}
	}
	free(t);
	pl_arena_free(&a);
}

struct tgids {
	pl_pid v[TASKS_READ];
	int n;
};

static int collect(void *arg, pl_pid pid)
{
	struct tgids *g = arg;
	g->v[g->n++] = pid;
	return g->n == TASKS_READ;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sandbox_write(world_path, data, size);
	struct pl_source *src = host;
	struct plua_limits lim = { .load_seconds = 5.0, .call_seconds = 1.0 };
	char err[1024];
	const char *failed;
	struct plua *p = plua_open_with(layout_path, world_path, PROCLUA_SOURCE_DIR "/scripts/proc.lua",
	                                &src, &lim, err, sizeof err, &failed);
	if (!p)
		return 0;
	FUZZ_CHECK(src != host, "a world loaded, but the source is still the host's");
	/* root, and a user who may ptrace nothing of uid 1000's or anyone's */
	struct pl_caller readers[2];
	pl_caller_init_root(&readers[0]);
	pl_caller_init(&readers[1], 0, 1000, 1000);
	readers[1].euid = 1000;
	pl_userns_declared(pl_userns_top(), 1000, &readers[1].userns);
	readers[1].have = PL_CALLER_CAPS | PL_CALLER_STATUS | PL_CALLER_USERNS;

	for (int gen = 1; gen < PL_G_COUNT; gen++)
		if (readable(gen) && pl_builtins[gen].mneed)
			read_one(src, &readers[0], 0, 0, gen);
	struct tgids g = { .n = 0 };
	src->ops->each_tgid(src, 1, collect, &g);
	for (int i = 0; i < g.n; i++) {
		read_task(src, readers, g.v[i], 0);
		struct pl_arena a = PL_ARENA_INIT;
		struct pl_task *t = calloc(1, sizeof *t);
		if (t && src->ops->load(src, g.v[i], 0, PL_F_THREADS, &a, t) == 0)
			for (size_t k = 0; k < t->nthreads && k < THREADS_READ; k++)
				read_task(src, readers, g.v[i], t->threads[k]);
		free(t);
		pl_arena_free(&a);
	}
	plua_close(p);
	return 0;
}
