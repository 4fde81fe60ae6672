/*
** The write rules of core/write/ on a world's tasks, as a mount runs them
** (pl_tree_write: the open check, then the rule with the writer, the
** opener and the writer's own thread group): the input is a sequence of
** writes (which file, whose, by whom, at which offset, what bytes) to a
** fresh copy of one small world, and after each:
**
**  - the rule returns a count no larger than the write, or -errno;
**  - a write refused changes nothing: every file a rule can change, of
**    every task and thread, reads as before;
**  - a write taken shows as Linux shows it: comm the first 15 bytes up to
**    a NUL, coredump_filter the value's low 9 bits, oom_score_adj the
**    value, oom_adj its scaled value, timerslack_ns the value (0: the
**    default), autogroup the group's nice, setgroups the word, a map the
**    extents written (each map once: the next write is refused; projid_map
**    too), clear_refs nothing,
**    timens_offsets two lines that parse back (the namespace of 100 and
**    102 is fresh, the others' frozen);
**  - every file still reads.
*/
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "access/access.h"
#include "tree/builtin.h"
#include "write/kstrto.h"
#include "write/write.h"
#include "plua.h"
#include "fuzz.h"
#include "lua_sandbox.h"

#define USERNS 4026532900u

static const char world[] =
	"local p = require 'proclua'\n"
	"return p.world { timens = { [4026533000] = { monotonic = { 5, 0 } } }, tasks = {\n"
	"  { pid = 1, argv = { '/sbin/init' } },\n"
	"  { pid = 100, ppid = 1, uid = 1000, gid = 1000, argv = { 'sh' }, env = { 'A=1' },\n"
	"    ns = { user = 4026532900, time_for_children = 4026533000 }, uid_map = '', gid_map = '',\n"
	"    projid_map = '', autogroup_id = 3,\n"
	"    threads = { { tid = 101, comm = 'worker' } } },\n"
	"  { pid = 102, ppid = 100, uid = 1000, gid = 1000,\n"
	"    ns = { user = 4026532900, time_for_children = 4026533000 },\n"
	"    uid_map = '', gid_map = '', projid_map = '', autogroup_id = 3 },\n"
	"  { pid = 200, ppid = 1, uid = 1000, gid = 1000, argv = { 'app', '-v' }, env = { 'B=2' },\n"
	"    oom_score_adj = 100, oom_score_adj_min = 50 },\n"
	"  { pid = 300, ppid = 1, zombie = true },\n"
	"  { pid = 400, ppid = 0, comm = 'kworker', kthread = 1, has_mm = 0, flags = 0x208040 },\n"
	"} }\n";

/* The tasks written and read: (tgid, tid); tid 0 is the group's file. */
static const struct { pl_pid tgid, tid; } tasks[] = {
	{ 1, 0 }, { 100, 0 }, { 100, 100 }, { 100, 101 }, { 102, 0 }, { 200, 0 }, { 200, 200 },
	{ 300, 0 }, { 400, 0 },
};
#define NTASKS (sizeof tasks / sizeof tasks[0])

/* The files a write can change, and the ones read after each write. */
static const int written[] = { PL_G_COMM, PL_G_UID_MAP, PL_G_GID_MAP, PL_G_SETGROUPS,
                               PL_G_OOM_SCORE_ADJ, PL_G_COREDUMP_FILTER, PL_G_MEM,
                               PL_G_OOM_ADJ, PL_G_LOGINUID, PL_G_TIMERSLACK_NS, PL_G_AUTOGROUP,
                               PL_G_SCHED, PL_G_ATTR_FIRST, PL_G_TIMENS_OFFSETS,
                               PL_G_PROJID_MAP, PL_G_CLEAR_REFS };
static const int watched[] = { PL_G_COMM, PL_G_STAT, PL_G_STATUS, PL_G_UID_MAP, PL_G_GID_MAP,
                               PL_G_SETGROUPS, PL_G_OOM_SCORE, PL_G_OOM_SCORE_ADJ,
                               PL_G_COREDUMP_FILTER, PL_G_CMDLINE, PL_G_ENVIRON, PL_G_OOM_ADJ,
                               PL_G_LOGINUID, PL_G_SESSIONID, PL_G_TIMERSLACK_NS,
                               PL_G_AUTOGROUP, PL_G_TIMENS_OFFSETS, PL_G_PROJID_MAP };
#define NWATCHED (sizeof watched / sizeof watched[0])

static char layout_path[PATH_MAX], world_path[PATH_MAX];
static struct pl_source *host;

/* The callers a write may come from: root standing for no process; a
** host user in the top namespace; the world's uid 1000 inside its own
** namespace, holding every capability there (as after unshare -U); uid
** 1000 in the top holding CAP_SETUID and CAP_SETGID (newuidmap); root
** without capabilities. */
enum { ROOT, USER, NS_ROOT, SETID_HELPER, ROOT_NO_CAPS, NCALLERS };
#define CAP_SETGID_BIT (1ull << 6)
#define CAP_SETUID_BIT (1ull << 7)
static struct pl_caller callers[NCALLERS];
static const pl_pid writer_tgids[] = { 0, 1, 100, 200 };

static void quiet(const char *fmt, ...)
{
	(void)fmt;
}

/* A host process (its pid no task of the world's) with these facts. */
static void make_caller(struct pl_caller *c, pl_pid pid, uint32_t uid, uint64_t caps, uint64_t ns)
{
	pl_caller_init(c, pid, uid, uid);
	c->tgid = c->ns_tgid = pid;
	c->euid = uid;
	c->egid = uid;
	c->cap_eff = c->cap_prm = caps;
	pl_userns_declared(ns, uid, &c->userns);
	c->have = PL_CALLER_CAPS | PL_CALLER_STATUS | PL_CALLER_USERNS;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = sandbox_dir();
	static const char layout[] = "return require('proclua').layout { root = {}, task = {} }\n";
	snprintf(layout_path, sizeof layout_path, "%s/layout.lua", dir);
	snprintf(world_path, sizeof world_path, "%s/world.lua", dir);
	sandbox_write(layout_path, layout, sizeof layout - 1);
	sandbox_write(world_path, world, sizeof world - 1);
	host = pl_host_source_new("/proc");
	if (!host)
		abort();
	plua_log = quiet;
	pl_caller_init_root(&callers[ROOT]);
	make_caller(&callers[USER], 90001, 1000, 0, pl_userns_top());
	make_caller(&callers[NS_ROOT], 90002, 1000, ~(uint64_t)0, USERNS);
	make_caller(&callers[SETID_HELPER], 90003, 1000, CAP_SETGID_BIT | CAP_SETUID_BIT, pl_userns_top());
	make_caller(&callers[ROOT_NO_CAPS], 90004, 0, 0, pl_userns_top());
	return 0;
}

/* Every watched file of every task, as root reads it, one after another. */
static void snapshot(struct pl_source *src, struct pl_buf *out)
{
	struct pl_caller root;
	pl_caller_init_root(&root);
	for (size_t i = 0; i < NTASKS; i++)
		for (size_t k = 0; k < NWATCHED; k++) {
			size_t at = out->len;
			int rc = pl_builtin_read(src, &root, tasks[i].tgid, tasks[i].tid, watched[k], out);
			FUZZ_CHECK(rc == 0 || rc == -ESRCH || rc == -EINVAL, "%s of %d/%d: %d",
			           pl_builtins[watched[k]].name, (int)tasks[i].tgid, (int)tasks[i].tid, rc);
			if (rc < 0)
				out->len = at;
			pl_buf_printf(out, "|%d|%zu/%zu\n", rc, i, k);
		}
}

/* One file of one task, as root reads it. */
static int read_file(struct pl_source *src, pl_pid tgid, pl_pid tid, int gen, struct pl_buf *out)
{
	struct pl_caller root;
	pl_caller_init_root(&root);
	pl_buf_reset(out);
	return pl_builtin_read(src, &root, tgid, tid, gen, out);
}

static int by_first(const void *a, const void *b)
{
	const struct pl_idmap_extent *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* What a write that was taken must show. */
static void check_taken(struct pl_source *src, int gen, pl_pid tgid, pl_pid tid,
                        const char *buf, size_t len, uint64_t off, size_t taken)
{
	struct pl_buf out = PL_BUF_INIT, want = PL_BUF_INIT;
	char s[40];
	size_t n = len < sizeof s - 1 ? len : sizeof s - 1;
	memcpy(s, buf, n);
	s[n] = '\0';
	switch (gen) {
	case PL_G_COMM: { /* the first 15 bytes, up to a NUL, and a newline */
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "comm unreadable");
		size_t k = strnlen(s, 15);
		pl_buf_add(&want, s, k);
		pl_buf_putc(&want, '\n');
		FUZZ_SAME(out.data, out.len, want.data, want.len, "comm after a write");
		break;
	}
	case PL_G_COREDUMP_FILTER: {
		unsigned v;
		FUZZ_CHECK(pl_kstrtouint_from_user(buf, len, 0, &v) == 0, "coredump_filter taken");
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "coredump_filter unreadable");
		pl_buf_printf(&want, "%08x\n", v & 0x1ff);
		FUZZ_SAME(out.data, out.len, want.data, want.len, "coredump_filter after a write");
		break;
	}
	case PL_G_OOM_SCORE_ADJ: {
		int v;
		s[n < 12 ? n : 12] = '\0';
		FUZZ_CHECK(pl_kstrtoint(pl_strstrip(s), 0, &v) == 0, "oom_score_adj taken");
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "oom_score_adj unreadable");
		pl_buf_printf(&want, "%d\n", v);
		FUZZ_SAME(out.data, out.len, want.data, want.len, "oom_score_adj after a write");
		break;
	}
	case PL_G_OOM_ADJ: { /* the adjustment, scaled */
		int v;
		s[n < 12 ? n : 12] = '\0';
		FUZZ_CHECK(pl_kstrtoint(pl_strstrip(s), 0, &v) == 0, "oom_adj taken");
		FUZZ_CHECK(read_file(src, tgid, tid, PL_G_OOM_SCORE_ADJ, &out) == 0, "oom_score_adj unreadable");
		pl_buf_printf(&want, "%d\n", v == 15 ? 1000 : v * 1000 / 17);
		FUZZ_SAME(out.data, out.len, want.data, want.len, "oom_score_adj after oom_adj");
		break;
	}
	case PL_G_TIMERSLACK_NS: { /* no task of the world is realtime */
		unsigned long long v;
		FUZZ_CHECK(pl_kstrtoull_from_user(buf, len, 10, &v) == 0, "timerslack_ns taken");
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "timerslack_ns unreadable");
		pl_buf_printf(&want, "%llu\n", v ? v : 50000);
		FUZZ_SAME(out.data, out.len, want.data, want.len, "timerslack_ns after a write");
		break;
	}
	case PL_G_AUTOGROUP: {
		int v;
		s[n < 12 ? n : 12] = '\0';
		FUZZ_CHECK(pl_kstrtoint(pl_strstrip(s), 0, &v) == 0, "autogroup taken");
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "autogroup unreadable");
		pl_buf_printf(&want, "/autogroup-3 nice %d\n", v);
		FUZZ_SAME(out.data, out.len, want.data, want.len, "autogroup after a write");
		break;
	}
	case PL_G_LOGINUID: { /* unset, or a uid the opener named */
		unsigned v;
		FUZZ_CHECK(pl_kstrtouint_from_user(buf, len, 10, &v) == 0, "loginuid taken");
		FUZZ_CHECK(off == 0, "loginuid taken at offset %llu", (unsigned long long)off);
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "loginuid unreadable");
		if (v == UINT32_MAX)
			FUZZ_SAME(out.data, out.len, "4294967295", 10, "loginuid unset");
		break;
	}
	case PL_G_MEM: { /* what was written reads back */
		char *back = malloc(len ? len : 1);
		FUZZ_CHECK(back, "out of memory");
		ssize_t got = src->ops->read_mem(src, tgid, off, back, len);
		FUZZ_CHECK(taken == 0 || (got >= (ssize_t)taken && !memcmp(back, buf, taken)),
		           "mem: %zd bytes read back of %zu written", got, taken);
		free(back);
		break;
	}
	case PL_G_TIMENS_OFFSETS: { /* both clocks, as the kernel prints them */
		struct pl_arena a = PL_ARENA_INIT;
		struct pl_task t;
		memset(&t, 0, sizeof t);
		FUZZ_CHECK(off == 0 && len < 4096, "timens_offsets taken at %llu, %zu bytes",
		           (unsigned long long)off, len);
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "timens_offsets unreadable");
		FUZZ_CHECK(pl_parse_timens_offsets(out.data ? out.data : "", out.len, &a, &t) == 0 &&
		           !t.timens_none, "timens_offsets reads back as %.*s", (int)out.len, out.data);
		pl_arena_free(&a);
		break;
	}
	case PL_G_SETGROUPS:
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "setgroups unreadable");
		pl_buf_puts(&want, strncmp(s, "allow", 5) == 0 ? "allow\n" : "deny\n");
		FUZZ_SAME(out.data, out.len, want.data, want.len, "setgroups after a write");
		break;
	case PL_G_UID_MAP:
	case PL_G_GID_MAP:
	case PL_G_PROJID_MAP: { /* the extents written, by first id past five */
		struct pl_idmap_extent e[PL_IDMAP_MAX_EXTENTS], r[PL_IDMAP_MAX_EXTENTS];
		size_t ne, nr;
		struct pl_arena a = PL_ARENA_INIT;
		const struct pl_idmap_extent *got;
		FUZZ_CHECK(pl_idmap_parse_write(buf, len, e, PL_IDMAP_MAX_EXTENTS, &ne) == 0,
		           "a map taken that does not parse");
		FUZZ_CHECK(read_file(src, tgid, tid, gen, &out) == 0, "map unreadable");
		FUZZ_CHECK(pl_parse_idmap(out.data ? out.data : "", out.len, &a, &got, &nr) == 0 && nr == ne,
		           "the map reads back as %zu extents, %zu written", nr, ne);
		memcpy(r, got, nr * sizeof *r);
		if (ne > 5) /* sort_idmaps */
			qsort(e, ne, sizeof *e, by_first);
		FUZZ_CHECK(!memcmp(e, r, ne * sizeof *e), "the map reads back differently");
		pl_arena_free(&a);
		break;
	}
	}
	pl_buf_free(&out);
	pl_buf_free(&want);
}

/* The input, consumed as writes. */
struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct input *in, unsigned bytes)
{
	unsigned v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		v <<= 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_source *src = host;
	struct plua_limits lim = { .load_seconds = 5.0, .call_seconds = 1.0 };
	char err[1024];
	const char *failed;
	struct plua *p = plua_open_with(layout_path, world_path, NULL, &src, &lim, err, sizeof err,
	                                &failed);
	FUZZ_CHECK(p, "the world does not load: %s", err);
	static int verbose = -1;
	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	struct input in = { data, size };
	int maps_taken[3] = { 0, 0, 0 }; /* uid_map, gid_map, projid_map of the one namespace */
	struct pl_buf before = PL_BUF_INIT, after = PL_BUF_INIT;
	for (int op = 0; in.n && op < 16; op++) {
		int gen = written[take(&in, 1) % (sizeof written / sizeof written[0])];
		unsigned who = take(&in, 1);
		pl_pid tgid = tasks[who % NTASKS].tgid, tid = tasks[who % NTASKS].tid;
		unsigned by = take(&in, 1);
		struct pl_caller writer = callers[by % NCALLERS];
		struct pl_caller opener = callers[(by / NCALLERS) % NCALLERS];
		pl_pid writer_tgid = writer_tgids[(by / (NCALLERS * NCALLERS)) % 4];
		unsigned how = take(&in, 1);
		size_t len = take(&in, 1) | (how & 0x10 ? take(&in, 1) << 8 : 0);
		uint64_t off = 0;
		if (gen == PL_G_MEM) /* an address near argv, or anywhere */
			off = how & 0x20 ? (uint64_t)take(&in, 4) << 16 | take(&in, 2)
			                 : 0x7ffffffdf000ull + take(&in, 2) * 8;
		else if (how & 0x40)
			off = take(&in, 1);
		len = len < in.n ? len : in.n; /* the bytes are what is left, at most */
		const char *buf = (const char *)in.p;
		in.p += len;
		in.n -= len;

		const struct pl_builtin *b = &pl_builtins[gen];
		struct pl_pin pin;
		if (pl_source_pin(src, tgid, tid, gen == PL_G_MEM, &pin) < 0)
			continue;
		struct pl_write w = { .src = src, .tgid = tgid, .tid = tid, .pin = &pin,
		                      .writer = &writer, .opener = &opener };
		int open_rc = b->open_write ? b->open_write(&w) : 0;
		if (open_rc < 0) {
			if (verbose)
				fprintf(stderr, "%s of %d/%d: open %d\n", b->name, (int)tgid, (int)tid, open_rc);
			pl_source_unpin(src, &pin);
			continue;
		}
		w.writer_tgid = writer_tgid;
		w.writer_tid = writer_tgid; /* a host process is the world's self's leader */
		w.buf = buf;
		w.len = len;
		w.off = off;
		pl_buf_reset(&before);
		pl_buf_reset(&after);
		snapshot(src, &before);
		ssize_t rc = b->write(&w);
		pl_source_unpin(src, &pin);
		if (verbose) /* FUZZ_VERBOSE=1: what each write did, replaying an input */
			fprintf(stderr, "%s of %d/%d, %zu bytes at %llu, writer %u opener %u self %d: %zd\n",
			        b->name, (int)tgid, (int)tid, len, (unsigned long long)off,
			        by % NCALLERS, (by / NCALLERS) % NCALLERS, (int)writer_tgid, rc);
		FUZZ_CHECK(rc >= -4095 && rc <= (ssize_t)len, "%s of %d/%d: %zd for %zu bytes", b->name,
		           (int)tgid, (int)tid, rc, len);
		snapshot(src, &after);
		if (rc < 0) {
			FUZZ_SAME(before.data, before.len, after.data, after.len,
			          "%s of %d/%d refused (%zd) but changed something", b->name, (int)tgid,
			          (int)tid, rc);
			continue;
		}
		if (gen == PL_G_UID_MAP || gen == PL_G_GID_MAP || gen == PL_G_PROJID_MAP) {
			int *taken = &maps_taken[gen == PL_G_PROJID_MAP ? 2 : gen == PL_G_GID_MAP];
			FUZZ_CHECK(!*taken, "%s written twice", b->name);
			*taken = 1;
		}
		check_taken(src, gen, tgid, tid, buf, len, off, (size_t)rc);
	}
	pl_buf_free(&before);
	pl_buf_free(&after);
	plua_close(p);
	return 0;
}
