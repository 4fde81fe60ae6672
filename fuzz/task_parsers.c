/*
** The parsers of a task's files (core/format/format.h) on any text, as the
** host source and a world's text facts call them: the first byte picks
** the file, the rest is its text.  What a parser accepts is then formatted
** by the formatters that read its group, and that output must be text the
** same parser accepts and formats to the same bytes again: each
** formatter's output is a fixed point of parse-then-format.  A formatter
** may refuse a record (-EINVAL: a stat state Linux has no letter for), but
** must refuse the record it reads back the same way.
*/
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "format/format.h"
#include "fuzz.h"

typedef int (*task_fmt)(const struct pl_task *t, struct pl_buf *out);

static int stat_permitted(const struct pl_task *t, struct pl_buf *out) { return pl_fmt_stat(t, 1, out); }
static int stat_masked(const struct pl_task *t, struct pl_buf *out) { return pl_fmt_stat(t, 0, out); }
static int wchan_permitted(const struct pl_task *t, struct pl_buf *out) { return pl_fmt_wchan(t, 1, out); }
static int wchan_masked(const struct pl_task *t, struct pl_buf *out) { return pl_fmt_wchan(t, 0, out); }

/* The host keeps wchan's text as it is (host.c): a "parser" that copies. */
static int parse_wchan(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	t->wchan = pl_arena_strndup(a, text, len);
	return t->wchan ? 0 : -ENOMEM;
}

/* attr/current: the others parse and print the same way */
static int parse_attr_current(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	return pl_parse_attr(PL_ATTR_CURRENT, text, len, a, t);
}
static int fmt_attr_current(const struct pl_task *t, struct pl_buf *out)
{
	return pl_fmt_attr(t, PL_ATTR_CURRENT, out);
}

#define MAX_FMTS 3

/* A file: its parser, and the formatters of the group it fills; the first
** formatter's output is what is parsed again. */
struct file {
	const char *name;
	pl_task_parser parse;
	task_fmt fmt[MAX_FMTS];
	int exact;  /* what the parser accepts formats back to the same bytes */
};

static const struct file files[] = {
	{ "stat", pl_parse_stat, { stat_permitted, stat_masked, pl_fmt_comm }, 0 },
	{ "status", pl_parse_status, { pl_fmt_status }, 0 },
	{ "io", pl_parse_io, { pl_fmt_io }, 0 },
	{ "limits", pl_parse_limits, { pl_fmt_limits }, 0 },
	{ "cgroup", pl_parse_cgroup, { pl_fmt_cgroup }, 0 },
	{ "maps", pl_parse_maps, { pl_fmt_maps }, 0 },
	{ "smaps", pl_parse_smaps, { pl_fmt_smaps, pl_fmt_maps }, 0 },
	{ "smaps_rollup", pl_parse_smaps_rollup, { pl_fmt_smaps_rollup }, 0 },
	{ "mountinfo", pl_parse_mountinfo, { pl_fmt_mountinfo, pl_fmt_mounts, pl_fmt_mountstats }, 0 },
	{ "uid_map", pl_parse_uid_map, { pl_fmt_uid_map }, 0 },
	{ "gid_map", pl_parse_gid_map, { pl_fmt_gid_map }, 0 },
	{ "setgroups", pl_parse_setgroups, { pl_fmt_setgroups }, 1 },
	{ "auxv", pl_parse_auxv, { pl_fmt_auxv }, 0 },
	{ "wchan", parse_wchan, { wchan_permitted, wchan_masked }, 0 },
	{ "loginuid", pl_parse_loginuid, { pl_fmt_loginuid }, 1 },
	{ "sessionid", pl_parse_sessionid, { pl_fmt_sessionid }, 1 },
	{ "personality", pl_parse_personality, { pl_fmt_personality }, 1 },
	{ "oom_adj", pl_parse_oom_adj, { pl_fmt_oom_adj, pl_fmt_oom_score_adj }, 1 },
	{ "timerslack_ns", pl_parse_timerslack_ns, { pl_fmt_timerslack_ns }, 1 },
	{ "schedstat", pl_parse_schedstat, { pl_fmt_schedstat }, 1 },
	{ "autogroup", pl_parse_autogroup, { pl_fmt_autogroup }, 1 },
	{ "cpuset", pl_parse_cpuset, { pl_fmt_cpuset }, 1 },
	{ "attr/current", parse_attr_current, { fmt_attr_current }, 1 },
	{ "stack", pl_parse_stack, { pl_fmt_stack }, 1 },
	{ "syscall", pl_parse_syscall, { pl_fmt_syscall }, 1 },
	/* the header's pid is the record's, not the text's */
	{ "sched", pl_parse_sched, { pl_fmt_sched }, 0 },
	{ "ksm_stat", pl_parse_ksm_stat, { pl_fmt_ksm_stat, pl_fmt_ksm_merging_pages }, 1 },
	{ "arch_status", pl_parse_arch_status, { pl_fmt_arch_status }, 1 },
	{ "timers", pl_parse_timers, { pl_fmt_timers }, 1 },
	{ "timens_offsets", pl_parse_timens_offsets, { pl_fmt_timens_offsets }, 1 },
	{ "projid_map", pl_parse_projid_map, { pl_fmt_projid_map }, 0 },
	{ "numa_maps", pl_parse_numa_maps, { pl_fmt_numa_maps }, 1 },
};
#define NFILES (sizeof files / sizeof files[0])

/* What the formatters made of one record. */
struct outputs {
	struct pl_buf out[MAX_FMTS];
	int rc[MAX_FMTS];
};

static void outputs_free(struct outputs *o)
{
	for (int i = 0; i < MAX_FMTS; i++)
		pl_buf_free(&o->out[i]);
}

static void format_all(const struct file *f, const struct pl_task *t, struct outputs *o)
{
	for (int i = 0; i < MAX_FMTS && f->fmt[i]; i++) {
		o->rc[i] = f->fmt[i](t, &o->out[i]);
		FUZZ_CHECK(o->rc[i] == 0 || o->rc[i] == -EINVAL || o->rc[i] == -ESRCH, "%s: formatter %d: %d", f->name,
		           i, o->rc[i]);
	}
}

static void same_outputs(const struct file *f, const struct outputs *a, const struct outputs *b)
{
	for (int i = 0; i < MAX_FMTS && f->fmt[i]; i++) {
		FUZZ_CHECK(a->rc[i] == b->rc[i], "%s: formatter %d: %d, then %d on its own output",
		           f->name, i, a->rc[i], b->rc[i]);
		FUZZ_SAME(a->out[i].data, a->out[i].len, b->out[i].data, b->out[i].len,
		          "%s: formatter %d is not a fixed point", f->name, i);
	}
}

static void one_file(const struct file *f, const char *text, size_t len)
{
	struct pl_arena a = PL_ARENA_INIT, a2 = PL_ARENA_INIT;
	static struct pl_task t, t2;
	struct outputs first = { 0 }, again = { 0 };
	memset(&t, 0, sizeof t);
	memset(&t2, 0, sizeof t2);
	int rc = f->parse(text, len, &a, &t);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "%s: parser returned %d", f->name, rc);
	if (rc < 0)
		goto out;
	format_all(f, &t, &first);
	if (f->exact && first.rc[0] == 0)
		FUZZ_SAME(text, len, first.out[0].data, first.out[0].len,
		          "%s: accepted text formats differently", f->name);
	if (first.rc[0] < 0)
		goto out;
	/* the output as the next text read: a copy with its NUL after it */
	char *copy = fuzz_text((const unsigned char *)(first.out[0].data ? first.out[0].data : ""),
	                       first.out[0].len);
	rc = f->parse(copy, first.out[0].len, &a2, &t2);
	if (rc != 0)
		fuzz_dump("formatted", copy, first.out[0].len);
	FUZZ_CHECK(rc == 0, "%s: the parser refuses the formatter's output (%d)", f->name, rc);
	format_all(f, &t2, &again);
	same_outputs(f, &first, &again);
	free(copy);
out:
	outputs_free(&first);
	outputs_free(&again);
	pl_arena_free(&a);
	pl_arena_free(&a2);
}

/*
** stat then status into one record, as the host loads a task (stat's rss
** wins over VmRSS, status's signal bits over stat's 31): two bytes give
** the length of the stat text (big-endian; its comm may hold a newline),
** then stat, then status.  stat, status and statm (which reads both) must
** be fixed points of the pair.
*/
static int parse_pair(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (len < 2)
		return -EINVAL;
	size_t n = (size_t)(unsigned char)text[0] << 8 | (unsigned char)text[1];
	if (n > len - 2)
		return -EINVAL;
	char *stat = fuzz_text((const unsigned char *)text + 2, n);
	int rc = pl_parse_stat(stat, n, a, t);
	free(stat);
	return rc < 0 ? rc : pl_parse_status(text + 2 + n, len - 2 - n, a, t);
}

/*
** Whether stat and status agree that the task has an mm, as one kernel
** task's would: stat prints the code range only with one (no kernel
** thread, zombie or task past exit_mm, stat.c's stat_has_mm) and status
** its Vm lines.  statm reads the code range from stat and the counters
** from status, so it is a fixed point only when they agree.
*/
static int same_mm(const struct pl_task *t)
{
	int stat_mm = !(t->flags & 0x00200000u) && t->state != 'Z' && t->state != 'X' &&
	              !((t->flags & 0x00000004u) && t->vsize == 0);
	return stat_mm == !!t->has_mm;
}

static void stat_and_status(const char *text, size_t len)
{
	static const struct file pair = { "stat+status", parse_pair,
	                                  { stat_permitted, pl_fmt_status, pl_fmt_statm }, 0 };
	static const struct file pair_no_statm = { "stat+status", parse_pair,
	                                           { stat_permitted, pl_fmt_status }, 0 };
	struct pl_arena a = PL_ARENA_INIT, a2 = PL_ARENA_INIT;
	static struct pl_task t, t2;
	struct outputs first = { 0 }, again = { 0 };
	memset(&t, 0, sizeof t);
	memset(&t2, 0, sizeof t2);
	if (parse_pair(text, len, &a, &t) == 0) {
		format_all(&pair, &t, &first);
		if (first.rc[0] == 0 && first.rc[1] == 0) {
			struct pl_buf both = PL_BUF_INIT;
			pl_buf_putc(&both, (char)(first.out[0].len >> 8));
			pl_buf_putc(&both, (char)first.out[0].len);
			pl_buf_add(&both, first.out[0].data, first.out[0].len);
			pl_buf_add(&both, first.out[1].data, first.out[1].len);
			pl_buf_putc(&both, '\0');
			int rc = parse_pair(both.data, both.len - 1, &a2, &t2);
			FUZZ_CHECK(rc == 0, "stat+status: the output does not parse (%d)", rc);
			format_all(&pair, &t2, &again);
			same_outputs(same_mm(&t) ? &pair : &pair_no_statm, &first, &again);
			pl_buf_free(&both);
		}
	}
	outputs_free(&first);
	outputs_free(&again);
	pl_arena_free(&a);
	pl_arena_free(&a2);
}

/* fdinfo/<fd>: its own record. */
static void fdinfo(const char *text, size_t len)
{
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_fdinfo fi = { 0 }, fi2 = { 0 };
	struct pl_buf out = PL_BUF_INIT, out2 = PL_BUF_INIT;
	if (pl_parse_fdinfo(text, len, &a, &fi) == 0) {
		FUZZ_CHECK(pl_fmt_fdinfo(&fi, &out) == 0, "fdinfo: formatter failed");
		pl_buf_putc(&out, '\0');
		int rc = pl_parse_fdinfo(out.data, out.len - 1, &a, &fi2);
		FUZZ_CHECK(rc == 0, "fdinfo: the output does not parse (%d)", rc);
		FUZZ_CHECK(pl_fmt_fdinfo(&fi2, &out2) == 0, "fdinfo: formatter failed");
		FUZZ_SAME(out.data, out.len - 1, out2.data, out2.len, "fdinfo: not a fixed point");
	}
	pl_buf_free(&out);
	pl_buf_free(&out2);
	pl_arena_free(&a);
}

/* Cpus_allowed-style bitmaps (%*pb), from status or a world's text. */
static void bitmap(const char *text, size_t len)
{
	struct pl_bitmap m, m2;
	struct pl_buf out = PL_BUF_INIT, out2 = PL_BUF_INIT;
	if (pl_parse_bitmap(text, len, &m) == 0) {
		FUZZ_CHECK(pl_fmt_bitmap(&m, &out) == 0, "bitmap: formatter failed");
		pl_buf_putc(&out, '\0');
		int rc = pl_parse_bitmap(out.data, out.len - 1, &m2);
		FUZZ_CHECK(rc == 0, "bitmap: the output does not parse (%d)", rc);
		FUZZ_CHECK(m2.nbits == m.nbits && !memcmp(m.w, m2.w, sizeof m.w),
		           "bitmap: a different map read back");
		FUZZ_CHECK(pl_fmt_bitmap(&m2, &out2) == 0, "bitmap: formatter failed");
		FUZZ_SAME(out.data, out.len - 1, out2.data, out2.len, "bitmap: not a fixed point");
	}
	pl_buf_free(&out);
	pl_buf_free(&out2);
}

/* ns/ links: "type:[inode]" back to the inode, printed as every type. */
static void ns_link(const char *text)
{
	uint64_t ino, ino2;
	if (pl_parse_ns_link(text, &ino) < 0)
		return;
	for (int ns = 0; ns < PL_NS_COUNT; ns++) {
		struct pl_buf out = PL_BUF_INIT;
		int rc = pl_fmt_ns_link(ns, ino, &out);
		FUZZ_CHECK(rc == 0 || (rc == -ENOENT && ino == 0), "ns: %d for inode %llu", rc,
		           (unsigned long long)ino);
		if (rc == 0) {
			pl_buf_putc(&out, '\0');
			FUZZ_CHECK(pl_parse_ns_link(out.data, &ino2) == 0 && ino2 == ino,
			           "ns: %s does not read back as %llu", out.data, (unsigned long long)ino);
		}
		pl_buf_free(&out);
	}
}

/*
** A write(2) to uid_map/gid_map: what map_write accepts is at most `max`
** extents, none empty, wrapping or overlapping another; printed as the
** read side prints it, the same extents come back through both parsers.
*/
static void idmap_write(const char *text, size_t len, size_t max)
{
	struct pl_idmap_extent e[PL_IDMAP_MAX_EXTENTS], e2[PL_IDMAP_MAX_EXTENTS];
	size_t n, n2;
	if (pl_idmap_parse_write(text, len, e, max, &n) < 0)
		return;
	FUZZ_CHECK(n >= 1 && n <= max && n <= PL_IDMAP_MAX_EXTENTS, "idmap: %zu extents", n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(e[i].count > 0 && e[i].first + e[i].count > e[i].first &&
		           e[i].lower_first + e[i].count > e[i].lower_first,
		           "idmap: extent %zu empty or wraps", i);
		for (size_t j = 0; j < i; j++) {
			int ids = e[i].first < e[j].first + e[j].count && e[j].first < e[i].first + e[i].count;
			int lower = e[i].lower_first < e[j].lower_first + e[j].count &&
			            e[j].lower_first < e[i].lower_first + e[i].count;
			FUZZ_CHECK(!ids && !lower, "idmap: extents %zu and %zu overlap", j, i);
		}
	}
	struct pl_buf out = PL_BUF_INIT;
	FUZZ_CHECK(pl_fmt_idmap(e, n, &out) == 0, "idmap: formatter failed");
	pl_buf_putc(&out, '\0');
	FUZZ_CHECK(pl_idmap_parse_write(out.data, out.len - 1, e2, max, &n2) == 0 && n2 == n &&
	           !memcmp(e, e2, n * sizeof *e), "idmap: the printed map is not written back");
	struct pl_arena a = PL_ARENA_INIT;
	const struct pl_idmap_extent *e3;
	FUZZ_CHECK(pl_parse_idmap(out.data, out.len - 1, &a, &e3, &n2) == 0 && n2 == n &&
	           !memcmp(e, e3, n * sizeof *e), "idmap: the printed map does not read back");
	pl_arena_free(&a);
	pl_buf_free(&out);
}

/* What data[0] picks: files[] in order, then these. */
enum { PAIR = NFILES, FDINFO, BITMAP, NS_LINK, IDMAP_WRITE, NCASES };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0] % NCASES, extra = data[0] / NCASES;
	char *text = fuzz_text(data + 1, size - 1);
	size_t len = size - 1;
	switch (pick) {
	case PAIR: stat_and_status(text, len); break;
	case FDINFO: fdinfo(text, len); break;
	case BITMAP: bitmap(text, len); break;
	case NS_LINK: ns_link(text); break;
	/* the writer's limit: what is left of the byte, or the kernel's */
	case IDMAP_WRITE: idmap_write(text, len, extra ? extra : PL_IDMAP_MAX_EXTENTS); break;
	default: one_file(&files[pick], text, len); break;
	}
	free(text);
	return 0;
}
