/*
** The scheduler's per-task files: schedstat (proc_pid_schedstat),
** timerslack_ns (timerslack_ns_show), autogroup
** (proc_sched_autogroup_show_task, kernel/sched/autogroup.c) and the
** debug file sched (proc_sched_show_task, kernel/sched/debug.c).
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

/* schedstat: PL_F_SCHEDSTAT, "%llu %llu %lu\n" */
int pl_fmt_schedstat(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_u64(out, t->sched_runtime);
	pl_buf_putc(out, ' ');
	pl_buf_u64(out, t->sched_run_delay);
	pl_buf_putc(out, ' ');
	pl_buf_u64(out, t->sched_pcount);
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}

int pl_parse_schedstat(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = text, *end = text + len;
	uint64_t *v[3] = { &t->sched_runtime, &t->sched_run_delay, &t->sched_pcount };
	for (int i = 0; i < 3; i++) {
		if (!(p = pl_scan_u64(p, end, v[i])) || p == end || *p++ != (i < 2 ? ' ' : '\n'))
			return pl_parse_fail(a, text, text);
	}
	return pl_parse_reprints(text, len, a, t, pl_fmt_schedstat);
}

/* timerslack_ns: PL_F_TIMERSLACK, "%llu\n" */
int pl_fmt_timerslack_ns(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_u64(out, t->timerslack_ns);
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}

int pl_parse_timerslack_ns(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = pl_scan_u64(text, text + len, &t->timerslack_ns);
	if (!p || p + 1 != text + len || *p != '\n')
		return pl_parse_fail(a, text, text);
	return pl_parse_reprints(text, len, a, t, pl_fmt_timerslack_ns);
}

/* autogroup: PL_F_AUTOGROUP.  A task of the root group (id 0) reads empty. */
int pl_fmt_autogroup(const struct pl_task *t, struct pl_buf *out)
{
	if (t->autogroup_id)
		pl_buf_printf(out, "/autogroup-%lld nice %d\n", (long long)t->autogroup_id,
		              (int)t->autogroup_nice);
	return pl_buf_status(out);
}

int pl_parse_autogroup(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	static const char pre[] = "/autogroup-", mid[] = " nice ";
	const char *p = text, *end = text + len;
	uint64_t id, nice;
	t->autogroup_id = 0;
	t->autogroup_nice = 0;
	if (len == 0)
		return 0;
	if (len < sizeof pre - 1 || memcmp(p, pre, sizeof pre - 1) != 0 ||
	    !(p = pl_scan_u64(p + sizeof pre - 1, end, &id)) || id == 0 || id > INT64_MAX ||
	    (size_t)(end - p) < sizeof mid - 1 || memcmp(p, mid, sizeof mid - 1) != 0)
		return pl_parse_fail(a, text, text);
	p += sizeof mid - 1;
	int neg = p < end && *p == '-';
	if (!(p = pl_scan_u64(p + neg, end, &nice)) || nice > 20 || p + 1 != end || *p != '\n')
		return pl_parse_fail(a, text, text);
	t->autogroup_id = (int64_t)id;
	t->autogroup_nice = neg ? -(int32_t)nice : (int32_t)nice;
	return pl_parse_reprints(text, len, a, t, pl_fmt_autogroup);
}

/*
** sched: PL_F_SCHED.  "comm (pid, #threads: n)", a line of 67 dashes,
** then the lines: "%-45s:%21s" for a key and its value (the kernel's
** "%-45s:%21Ld" and "%-45s:%14Ld.%06ld" both give a 21-column value), other
** lines as they are.  The pid is the task's as the reader numbers it.  A
** record that has no header of the kernel's gets lines made from its facts.
*/
static const char dashes[] =
	"-------------------------------------------------------------------\n";

static void put_line(struct pl_buf *out, const struct pl_sched_line *l)
{
	if (l->value)
		pl_buf_printf(out, "%-45s:%21s\n", l->key, l->value);
	else
		pl_buf_printf(out, "%s\n", l->key);
}

/* sched_prio_to_weight, nice -20 .. 19 */
static const uint32_t prio_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};

static void put_value(struct pl_buf *out, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put_value(struct pl_buf *out, const char *key, const char *fmt, ...)
{
	char v[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	pl_buf_printf(out, "%-45s:%21s\n", key, v);
}

/*
** The lines of a record that has none of the kernel's (a world's task that
** declares no sched): what proclua keeps of the scheduler, as
** proc_sched_show_task prints it (PN: "%Ld.%06ld" ms of a ns count), the
** clocks and load averages a world does not run 0.  Needs PL_F_STAT
** (nice, policy, priority), PL_F_STATUS (the switches), PL_F_SCHEDSTAT.
*/
static void derived_lines(const struct pl_task *t, struct pl_buf *out)
{
	int nice = t->nice < -20 ? -20 : t->nice > 19 ? 19 : t->nice;
	static const char *const zero_clocks[] = { "se.exec_start", "se.vruntime" };
	static const char *const zero_avgs[] = {
		"se.avg.load_sum", "se.avg.runnable_sum", "se.avg.util_sum", "se.avg.load_avg",
		"se.avg.runnable_avg", "se.avg.util_avg", "se.avg.last_update_time", "se.avg.util_est",
	};
	for (size_t i = 0; i < sizeof zero_clocks / sizeof zero_clocks[0]; i++)
		put_value(out, zero_clocks[i], "0.000000");
	put_value(out, "se.sum_exec_runtime", "%llu.%06llu",
	          (unsigned long long)(t->sched_runtime / 1000000),
	          (unsigned long long)(t->sched_runtime % 1000000));
	put_value(out, "se.nr_migrations", "0");
	put_value(out, "nr_switches", "%llu", (unsigned long long)(t->nvcsw + t->nivcsw));
	put_value(out, "nr_voluntary_switches", "%llu", (unsigned long long)t->nvcsw);
	put_value(out, "nr_involuntary_switches", "%llu", (unsigned long long)t->nivcsw);
	put_value(out, "se.load.weight", "%u", prio_weight[nice + 20] << 10); /* scale_load, 64-bit */
	for (size_t i = 0; i < sizeof zero_avgs / sizeof zero_avgs[0]; i++)
		put_value(out, zero_avgs[i], "0");
	put_value(out, "policy", "%u", t->policy);
	put_value(out, "prio", "%d", t->priority + 100);
	put_value(out, "clock-delta", "0");
}

int pl_fmt_sched(const struct pl_task *t, struct pl_buf *out)
{
	/* a record that names no header's comm (a world's) shows its own */
	pl_buf_printf(out, "%s (%d, #threads: %d)\n", t->sched_comm ? t->sched_comm : t->comm,
	              (int)t->tid, (int)(t->sched_comm ? t->sched_threads : t->num_threads));
	pl_buf_puts(out, dashes);
	if (!t->sched_comm)
		derived_lines(t, out);
	for (size_t i = 0; i < t->nsched_lines; i++)
		put_line(out, &t->sched_lines[i]);
	return pl_buf_status(out);
}

/* A body line: a key and its value where the line is what put_line
** prints for them, else the line whole. */
static int parse_sched_line(struct pl_arena *a, const char *p, const char *e, void *elem)
{
	struct pl_sched_line *l = elem;
	const char *colon = memchr(p, ':', (size_t)(e - p));
	l->value = NULL;
	if (colon) {
		const char *k = colon, *v = colon + 1;
		while (k > p && k[-1] == ' ')
			k--;
		while (v < e && *v == ' ')
			v++;
		char *key = pl_arena_strndup(a, p, (size_t)(k - p));
		char *value = pl_arena_strndup(a, v, (size_t)(e - v));
		if (!key || !value)
			return -ENOMEM;
		struct pl_sched_line kv = { key, value };
		struct pl_buf b = PL_BUF_INIT;
		put_line(&b, &kv);
		int same = !b.oom && b.len == (size_t)(e - p) + 1 && memcmp(b.data, p, b.len - 1) == 0;
		pl_buf_free(&b);
		if (same && k > p) {
			*l = kv;
			return 0;
		}
	}
	l->key = pl_arena_strndup(a, p, (size_t)(e - p));
	return l->key ? 0 : -ENOMEM;
}

int pl_parse_sched(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	static const char threads[] = ", #threads: ";
	const char *end = text + len;
	const char *body = NULL;
	if (pl_has_nul(text, len))
		return pl_parse_fail(a, text, text);
	/* the header ends where the dashes start (a comm may hold newlines) */
	for (const char *p = text; p < end; p++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		if ((size_t)(end - nl - 1) >= sizeof dashes - 1 &&
		    memcmp(nl + 1, dashes, sizeof dashes - 1) == 0) {
			body = nl;
			break;
		}
		p = nl;
	}
	if (!body)
		return pl_parse_fail(a, text, end);
	/* "comm (pid, #threads: n)": the comm is what comes before the last " (" */
	const char *open = NULL;
	for (const char *q = text; q + 1 < body; q++)
		if (q[0] == ' ' && q[1] == '(')
			open = q;
	uint64_t pid, n;
	const char *q = open ? pl_scan_u64(open + 2, body, &pid) : NULL;
	if (!q || (size_t)(body - q) < sizeof threads - 1 ||
	    memcmp(q, threads, sizeof threads - 1) != 0 ||
	    !(q = pl_scan_u64(q + sizeof threads - 1, body, &n)) || n > INT32_MAX ||
	    q + 1 != body || *q != ')')
		return pl_parse_fail(a, text, text);
	char *comm = pl_arena_strndup(a, text, (size_t)(open - text));
	if (!comm)
		return -ENOMEM;
	const char *lines = body + 1 + sizeof dashes - 1;
	void *v = NULL;
	size_t nlines = 0;
	int rc = pl_parse_lines(lines, (size_t)(end - lines), a, sizeof(struct pl_sched_line),
	                        parse_sched_line, &v, &nlines);
	if (rc < 0)
		return rc;
	t->sched_comm = comm;
	t->sched_threads = (int32_t)n;
	t->sched_lines = v;
	t->nsched_lines = nlines;
	return 0;
}
