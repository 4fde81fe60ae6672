/*
** The machine-wide files of /proc's top level: formatters, and parsers of
** the host kernel's text.  Layouts follow fs/proc/{uptime,loadavg,meminfo,
** stat,version,filesystems}.c and arch/x86/kernel/cpu/proc.c.
*/
#include "format/format.h"
#include "format/scan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int done(struct pl_buf *out)
{
	return pl_buf_status(out);
}

/* "%lu.%02lu" of hundredths */
static void put_hundredths(struct pl_buf *out, uint64_t v)
{
	pl_buf_printf(out, "%llu.%02llu", (unsigned long long)(v / 100), (unsigned long long)(v % 100));
}

/* Parse "123.45" in [p, end) into hundredths; returns the end or NULL.
** Digits only, as the kernel prints them (no sign, no blank), and a value
** that fits. */
static const char *scan_hundredths(const char *p, const char *end, uint64_t *v)
{
	uint64_t whole;
	p = p ? pl_scan_u64(p, end, &whole) : NULL;
	if (!p || end - p < 3 || p[0] != '.' || p[1] < '0' || p[1] > '9' || p[2] < '0' ||
	    p[2] > '9' || whole > (UINT64_MAX - 99) / 100)
		return NULL;
	*v = whole * 100 + (uint64_t)(p[1] - '0') * 10 + (uint64_t)(p[2] - '0');
	return p + 3;
}

/* Unsigned decimal in [p, end) no larger than max; the end or NULL. */
static const char *scan_max(const char *p, const char *end, uint64_t max, uint64_t *v)
{
	p = p ? pl_scan_u64(p, end, v) : NULL;
	return p && *v <= max ? p : NULL;
}

/* The character at p, if p is before end; else NUL. */
static char at(const char *p, const char *end)
{
	return p && p < end ? *p : '\0';
}

/* Split the next line off text: returns its length, -1 at the end, or
** NOT_A_LINE for text after the last newline: every line the kernel
** prints ends in one. */
#define NOT_A_LINE (-2)
static long next_line(const char **p, const char *end, const char **line)
{
	if (*p >= end)
		return -1;
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl)
		return NOT_A_LINE;
	*line = *p;
	*p = nl + 1;
	return nl - *line;
}

/* ---- uptime, loadavg ---- */

int pl_fmt_uptime(const struct pl_machine *m, struct pl_buf *out)
{
	put_hundredths(out, m->uptime_cs);
	pl_buf_putc(out, ' ');
	put_hundredths(out, m->idle_cs);
	pl_buf_putc(out, '\n');
	return done(out);
}

int pl_parse_uptime(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	(void)a; /* two numbers */
	const char *end = text + len;
	const char *p = scan_hundredths(text, end, &m->uptime_cs);
	if (at(p, end) != ' ' || !(p = scan_hundredths(p + 1, end, &m->idle_cs)) ||
	    at(p, end) != '\n' || p + 1 != end)
		return -EINVAL;
	m->have |= PL_M_UPTIME;
	return 0;
}

int pl_fmt_loadavg(const struct pl_machine *m, struct pl_buf *out)
{
	for (int i = 0; i < 3; i++) {
		put_hundredths(out, m->load_x100[i]);
		pl_buf_putc(out, ' ');
	}
	pl_buf_printf(out, "%u/%u %d\n", m->nr_running, m->nr_threads, (int)m->last_pid);
	return done(out);
}

int pl_parse_loadavg(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	(void)a; /* numbers only */
	const char *p = text, *end = text + len;
	uint64_t running, threads, last;
	for (int i = 0; i < 3; i++) {
		p = scan_hundredths(p, end, &m->load_x100[i]);
		if (at(p, end) != ' ')
			return -EINVAL;
		p++;
	}
	p = scan_max(p, end, UINT32_MAX, &running);
	if (at(p, end) != '/')
		return -EINVAL;
	p = scan_max(p + 1, end, UINT32_MAX, &threads);
	if (at(p, end) != ' ')
		return -EINVAL;
	/* last_pid is "%d" */
	int neg = at(p + 1, end) == '-';
	p = scan_max(p + 1 + neg, end, (uint64_t)INT32_MAX + (uint64_t)neg, &last);
	if (at(p, end) != '\n' || p + 1 != end)
		return -EINVAL;
	m->nr_running = (uint32_t)running;
	m->nr_threads = (uint32_t)threads;
	m->last_pid = (int32_t)(neg ? -(int64_t)last : (int64_t)last);
	m->have |= PL_M_LOADAVG;
	return 0;
}

/* ---- meminfo: "Name:" padded to 16 columns, the value in 8, " kB" ---- */

int pl_fmt_meminfo(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nmem; i++) {
		const struct pl_meminfo_line *l = &m->mem[i];
		size_t n = strlen(l->name) + 1;
		pl_buf_puts(out, l->name);
		pl_buf_putc(out, ':');
		for (; n < 16; n++)
			pl_buf_putc(out, ' ');
		pl_buf_printf(out, "%8llu%s\n", (unsigned long long)l->value, l->kb ? " kB" : "");
	}
	return done(out);
}

int pl_parse_meminfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *p = text, *end = text + len, *line;
	long n;
	size_t count = 0, cap = 0;
	struct pl_meminfo_line *v = NULL;
	while ((n = next_line(&p, end, &line)) >= 0) {
		const char *colon = memchr(line, ':', (size_t)n);
		if (!colon)
			return -EINVAL;
		char *q;
		unsigned long long val = strtoull(colon + 1, &q, 10);
		int kb = (q + 3 <= line + n) && memcmp(q, " kB", 3) == 0;
		if (q == colon + 1 || q + (kb ? 3 : 0) != line + n)
			return -EINVAL;
		if (!(v = pl_arena_grow(a, v, sizeof *v, &cap, count + 1)))
			return -ENOMEM;
		v[count].name = pl_arena_strndup(a, line, (size_t)(colon - line));
		v[count].value = val;
		v[count].kb = kb;
		count++;
	}
	/* every meminfo starts with MemTotal, which free and ps divide by */
	if (n == NOT_A_LINE || count == 0 || strcmp(v[0].name, "MemTotal") != 0)
		return -EINVAL;
	m->mem = v;
	m->nmem = count;
	m->have |= PL_M_MEMINFO;
	return 0;
}

/* ---- stat ---- */

static void put_list(struct pl_buf *out, const char *name, uint64_t total,
                     const uint64_t *v, size_t n)
{
	pl_buf_puts(out, name);
	pl_buf_putc(out, ' ');
	pl_buf_u64(out, total);
	for (size_t i = 0; i < n; i++) {
		pl_buf_putc(out, ' ');
		pl_buf_u64(out, v[i]);
	}
	pl_buf_putc(out, '\n');
}

int pl_fmt_machine_stat(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->ncpus; i++) {
		const struct pl_cpu_times *c = &m->cpus[i];
		if (c->cpu < 0)
			pl_buf_puts(out, "cpu ");
		else
			pl_buf_printf(out, "cpu%d", (int)c->cpu);
		for (int k = 0; k < PL_CPU_FIELDS; k++) {
			pl_buf_putc(out, ' ');
			pl_buf_u64(out, c->t[k]);
		}
		pl_buf_putc(out, '\n');
	}
	put_list(out, "intr", m->intr_total, m->intr, m->nintr);
	pl_buf_printf(out, "ctxt %llu\nbtime %llu\nprocesses %llu\nprocs_running %u\nprocs_blocked %u\n",
	              (unsigned long long)m->ctxt, (unsigned long long)m->btime,
	              (unsigned long long)m->processes, m->procs_running, m->procs_blocked);
	put_list(out, "softirq", m->softirq_total, m->softirq, m->nsoftirq);
	return done(out);
}

/* "name total v1 v2 ..." into an arena array */
static int scan_list(const char *p, const char *end, struct pl_arena *a, uint64_t *total,
                     const uint64_t **out, size_t *n)
{
	char *q;
	*total = strtoull(p, &q, 10);
	if (q == p)
		return -EINVAL;
	size_t count = 0, cap = 0;
	uint64_t *v = NULL;
	for (p = q; p < end;) {
		if (*p != ' ')
			return -EINVAL;
		uint64_t x = strtoull(p + 1, &q, 10);
		if (q == p + 1)
			return -EINVAL;
		if (!(v = pl_arena_grow(a, v, sizeof *v, &cap, count + 1)))
			return -ENOMEM;
		v[count++] = x;
		p = q;
	}
	*out = v;
	*n = count;
	return 0;
}

static int starts(const char *line, long n, const char *word)
{
	size_t w = strlen(word);
	return (size_t)n > w && memcmp(line, word, w) == 0 && line[w] == ' ';
}

int pl_parse_machine_stat(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *p = text, *end = text + len, *line;
	long n;
	size_t ncpu = 0, cap = 0;
	struct pl_cpu_times *cpus = NULL;
	int rc = 0;
	while (rc == 0 && (n = next_line(&p, end, &line)) >= 0) {
		const char *le = line + n;
		char *q;
		if (n > 3 && memcmp(line, "cpu", 3) == 0) {
			if (!(cpus = pl_arena_grow(a, cpus, sizeof *cpus, &cap, ncpu + 1)))
				return -ENOMEM;
			struct pl_cpu_times *c = &cpus[ncpu++];
			const char *f = line + 3;
			if (*f == ' ') {
				c->cpu = -1;
				f++;
			} else {
				c->cpu = (int32_t)strtol(f, &q, 10);
				f = q;
			}
			for (int k = 0; k < PL_CPU_FIELDS; k++) {
				if (*f != ' ')
					return -EINVAL;
				c->t[k] = strtoull(f + 1, &q, 10);
				f = q;
			}
			if (f != le)
				return -EINVAL;
		} else if (starts(line, n, "intr")) {
			rc = scan_list(line + 5, le, a, &m->intr_total, &m->intr, &m->nintr);
		} else if (starts(line, n, "softirq")) {
			rc = scan_list(line + 8, le, a, &m->softirq_total, &m->softirq, &m->nsoftirq);
		} else if (starts(line, n, "ctxt")) {
			m->ctxt = strtoull(line + 5, NULL, 10);
		} else if (starts(line, n, "btime")) {
			m->btime = strtoull(line + 6, NULL, 10);
		} else if (starts(line, n, "processes")) {
			m->processes = strtoull(line + 10, NULL, 10);
		} else if (starts(line, n, "procs_running")) {
			m->procs_running = (uint32_t)strtoul(line + 14, NULL, 10);
		} else if (starts(line, n, "procs_blocked")) {
			m->procs_blocked = (uint32_t)strtoul(line + 14, NULL, 10);
		} else {
			return -EINVAL;
		}
	}
	if (rc)
		return rc;
	if (n == NOT_A_LINE)
		return -EINVAL;
	m->cpus = cpus;
	m->ncpus = ncpu;
	m->have |= PL_M_STAT;
	return 0;
}

/* ---- cpuinfo: "key" + tabs to column 16 + ":" + " value" ---- */

static void put_cpuinfo_key(struct pl_buf *out, const char *key)
{
	size_t n = strlen(key);
	pl_buf_puts(out, key);
	if (n < 8)
		pl_buf_puts(out, "\t\t");
	else if (n < 16)
		pl_buf_putc(out, '\t');
	pl_buf_putc(out, ':');
}

int pl_fmt_cpuinfo(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->ncpuinfo; i++) {
		const struct pl_cpuinfo_field *f = &m->cpuinfo[i];
		put_cpuinfo_key(out, f->key);
		if (f->value[0]) {
			pl_buf_putc(out, ' ');
			pl_buf_puts(out, f->value);
		}
		pl_buf_puts(out, f->end_of_cpu ? "\n\n" : "\n");
	}
	return done(out);
}

int pl_parse_cpuinfo(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *p = text, *end = text + len, *line;
	long n;
	size_t count = 0, cap = 0;
	struct pl_cpuinfo_field *v = NULL;
	while ((n = next_line(&p, end, &line)) >= 0) {
		if (n == 0) { /* the blank line after each cpu */
			if (!count || v[count - 1].end_of_cpu)
				return -EINVAL;
			v[count - 1].end_of_cpu = 1;
			continue;
		}
		const char *colon = memchr(line, ':', (size_t)n);
		if (!colon)
			return -EINVAL;
		const char *k = colon;
		while (k > line && k[-1] == '\t')
			k--;
		if (!(v = pl_arena_grow(a, v, sizeof *v, &cap, count + 1)))
			return -ENOMEM;
		struct pl_cpuinfo_field *f = &v[count++];
		f->key = pl_arena_strndup(a, line, (size_t)(k - line));
		f->end_of_cpu = 0;
		if (colon + 1 == line + n)
			f->value = "";
		else if (colon[1] == ' ')
			f->value = pl_arena_strndup(a, colon + 2, (size_t)(line + n - colon - 2));
		else
			return -EINVAL;
		/* the padding must be the one the formatter gives back */
		size_t klen = (size_t)(k - line), tabs = (size_t)(colon - k);
		if (tabs != (klen < 8 ? 2u : klen < 16 ? 1u : 0u))
			return -EINVAL;
	}
	if (n == NOT_A_LINE)
		return -EINVAL;
	m->cpuinfo = v;
	m->ncpuinfo = count;
	m->have |= PL_M_CPUINFO;
	return 0;
}

/* ---- version, filesystems, sys/kernel ---- */

int pl_fmt_version(const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_puts(out, m->version ? m->version : "");
	pl_buf_putc(out, '\n');
	return done(out);
}

int pl_fmt_filesystems(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nfs; i++)
		pl_buf_printf(out, "%s\t%s\n", m->fs[i].nodev ? "nodev" : "", m->fs[i].name);
	return done(out);
}

int pl_parse_filesystems(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *p = text, *end = text + len, *line;
	long n;
	size_t count = 0, cap = 0;
	struct pl_fs_type *v = NULL;
	while ((n = next_line(&p, end, &line)) >= 0) {
		const char *tab = memchr(line, '\t', (size_t)n);
		if (!tab || (tab != line && (tab - line != 5 || memcmp(line, "nodev", 5) != 0)))
			return -EINVAL;
		if (!(v = pl_arena_grow(a, v, sizeof *v, &cap, count + 1)))
			return -ENOMEM;
		v[count].nodev = tab != line;
		v[count].name = pl_arena_strndup(a, tab + 1, (size_t)(line + n - tab - 1));
		count++;
	}
	if (n == NOT_A_LINE)
		return -EINVAL;
	m->fs = v;
	m->nfs = count;
	m->have |= PL_M_FILESYSTEMS;
	return 0;
}

int pl_fmt_pid_max(const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_printf(out, "%u\n", m->pid_max);
	return done(out);
}

static int put_line(const char *s, struct pl_buf *out)
{
	pl_buf_puts(out, s ? s : "");
	pl_buf_putc(out, '\n');
	return done(out);
}

int pl_fmt_osrelease(const struct pl_machine *m, struct pl_buf *out) { return put_line(m->osrelease, out); }
int pl_fmt_ostype(const struct pl_machine *m, struct pl_buf *out) { return put_line(m->ostype, out); }
int pl_fmt_hostname(const struct pl_machine *m, struct pl_buf *out) { return put_line(m->hostname, out); }

/* cmdline: fs/proc/cmdline.c, the boot command line and a newline */
int pl_fmt_boot_cmdline(const struct pl_machine *m, struct pl_buf *out)
{
	return put_line(m->boot_cmdline, out);
}

int pl_parse_boot_cmdline(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (len == 0 || text[len - 1] != '\n' || memchr(text, '\n', len - 1) || memchr(text, '\0', len))
		return -EINVAL;
	if (!(m->boot_cmdline = pl_arena_strndup(a, text, len - 1)))
		return -ENOMEM;
	m->have |= PL_M_CMDLINE;
	return 0;
}
