/*
** status: Linux's proc_pid_status (fs/proc/array.c, task_mem in
** fs/proc/task_mmu.c, cpuset_task_status_allowed), and its inverse for the
** host kernel's text.
**
** One table lists the lines in the kernel's order with how each value is
** printed; the formatter walks it forwards and the parser looks keys up in
** it, so the two cannot disagree about order, presence or units.
*/
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"
#include "format/bitmap.h"
#include "format/digits.h"

#define PAGE_KB 4 /* kB per 4096-byte page */

enum kind {
	S_NAME,     /* comm, '\n' and '\\' escaped */
	S_UMASK,    /* %#04o */
	S_STATE,    /* "S (sleeping)" */
	S_PID,      /* pl_pid, decimal */
	S_U32,
	S_U64,
	S_INT,      /* int flags and counts */
	S_CRED,     /* four uint32_t, tab separated */
	S_GROUPS,
	S_GROUPS_SPACED, /* each id followed by a space: nothing for none */
	S_NS,       /* ns_levels pl_pids, each after a tab */
	S_PAGES,    /* uint64_t pages, "%8lu kB" */
	S_KB,       /* uint64_t kB, "%8lu kB" */
	S_PEAK,     /* VmPeak: max(hiwater_vm, total_vm) */
	S_HWM,      /* VmHWM: max(hiwater_rss, anon+file+shmem) */
	S_RSS,      /* VmRSS: anon+file+shmem */
	S_HEXL,     /* %#lx */
	S_SIGQ,
	S_MASK,     /* 64-bit mask, 16 hex digits */
	S_STR,      /* const char *, one of a few words */
	S_BITMAP,   /* %*pb */
	S_BITLIST,  /* %*pbl of the S_BITMAP before it */
};

/*
** A line is printed only if its condition holds: always, with an fs
** (Umask), with an mm (the task_mem block), or never but where a record's
** status_lines says an older kernel printed it.
*/
enum { C_ALWAYS, C_UMASK, C_MM, C_OLDER };

struct line {
	const char *key;
	uint8_t klen, kind, cond;
	uint16_t off;
};

#define L(key, kind, cond, member) \
	{ key, sizeof key - 1, kind, cond, offsetof(struct pl_task, member) }

static const struct line lines[] = {
	L("Name", S_NAME, C_ALWAYS, comm),
	L("Umask", S_UMASK, C_UMASK, umask),
	L("State", S_STATE, C_ALWAYS, state),
	L("Tgid", S_PID, C_ALWAYS, tgid),
	L("Ngid", S_PID, C_ALWAYS, ngid),
	L("Pid", S_PID, C_ALWAYS, tid),
	L("PPid", S_PID, C_ALWAYS, ppid),
	L("TracerPid", S_PID, C_ALWAYS, tracer_pid),
	L("Uid", S_CRED, C_ALWAYS, cred.uid),
	L("Gid", S_CRED, C_ALWAYS, cred.gid),
	L("FDSize", S_U32, C_ALWAYS, fd_size),
	L("Groups", S_GROUPS, C_ALWAYS, groups),
	/* before "Trailing space shouldn't have been added" (array.c): "%d "
	** per group, so an empty list is "Groups:\t" */
	L("Groups", S_GROUPS_SPACED, C_OLDER, groups),
	L("NStgid", S_NS, C_ALWAYS, nstgid),
	L("NSpid", S_NS, C_ALWAYS, nspid),
	L("NSpgid", S_NS, C_ALWAYS, nspgid),
	L("NSsid", S_NS, C_ALWAYS, nssid),
	L("Kthread", S_INT, C_ALWAYS, kthread),
	L("VmPeak", S_PEAK, C_MM, mm.hiwater_vm),
	L("VmSize", S_PAGES, C_MM, mm.total_vm),
	L("VmLck", S_PAGES, C_MM, mm.locked_vm),
	L("VmPin", S_PAGES, C_MM, mm.pinned_vm),
	L("VmHWM", S_HWM, C_MM, mm.hiwater_rss),
	L("VmRSS", S_RSS, C_MM, mm.rss),
	L("RssAnon", S_PAGES, C_MM, mm.rss_anon),
	L("RssFile", S_PAGES, C_MM, mm.rss_file),
	L("RssShmem", S_PAGES, C_MM, mm.rss_shmem),
	L("VmData", S_PAGES, C_MM, mm.data_vm),
	L("VmStk", S_PAGES, C_MM, mm.stack_vm),
	L("VmExe", S_KB, C_MM, mm.vm_exe_kb),
	L("VmLib", S_KB, C_MM, mm.vm_lib_kb),
	L("VmPTE", S_KB, C_MM, mm.pte_kb),
	L("VmPMD", S_KB, C_OLDER, mm.pmd_kb), /* Linux 4.0 to 4.14 */
	L("VmSwap", S_PAGES, C_MM, mm.swap),
	L("HugetlbPages", S_KB, C_MM, mm.hugetlb_kb),
	L("CoreDumping", S_INT, C_MM, core_dumping),
	L("THP_enabled", S_INT, C_MM, thp_enabled),
	L("untag_mask", S_HEXL, C_MM, untag_mask),
	L("Threads", S_INT, C_ALWAYS, num_threads),
	L("SigQ", S_SIGQ, C_ALWAYS, sigq_count),
	L("SigPnd", S_MASK, C_ALWAYS, sig_pending),
	L("ShdPnd", S_MASK, C_ALWAYS, shd_pending),
	L("SigBlk", S_MASK, C_ALWAYS, sig_blocked),
	L("SigIgn", S_MASK, C_ALWAYS, sig_ignored),
	L("SigCgt", S_MASK, C_ALWAYS, sig_caught),
	L("CapInh", S_MASK, C_ALWAYS, cred.cap_inh),
	L("CapPrm", S_MASK, C_ALWAYS, cred.cap_prm),
	L("CapEff", S_MASK, C_ALWAYS, cred.cap_eff),
	L("CapBnd", S_MASK, C_ALWAYS, cred.cap_bnd),
	L("CapAmb", S_MASK, C_ALWAYS, cred.cap_amb),
	L("NoNewPrivs", S_INT, C_ALWAYS, no_new_privs),
	L("Seccomp", S_INT, C_ALWAYS, seccomp_mode),
	L("Seccomp_filters", S_INT, C_ALWAYS, seccomp_filters),
	L("Speculation_Store_Bypass", S_STR, C_ALWAYS, spec_store_bypass),
	L("SpeculationIndirectBranch", S_STR, C_ALWAYS, spec_indirect_branch),
	L("Cpus_allowed", S_BITMAP, C_ALWAYS, cpus_allowed),
	L("Cpus_allowed_list", S_BITLIST, C_ALWAYS, cpus_allowed),
	L("Mems_allowed", S_BITMAP, C_ALWAYS, mems_allowed),
	L("Mems_allowed_list", S_BITLIST, C_ALWAYS, mems_allowed),
	L("voluntary_ctxt_switches", S_U64, C_ALWAYS, nvcsw),
	L("nonvoluntary_ctxt_switches", S_U64, C_ALWAYS, nivcsw),
};

#undef L

#define NLINES (sizeof lines / sizeof lines[0])
_Static_assert(NLINES <= 64, "a record's status_lines has a bit a line");
#define LINE_BIT(l) (1ull << ((l) - lines))

/* task_state_array, by the letter stat prints. */
static const char *const state_names[] = {
	"R (running)", "S (sleeping)", "D (disk sleep)", "T (stopped)",
	"t (tracing stop)", "X (dead)", "Z (zombie)", "P (parked)", "I (idle)",
	/* before Linux 4.14 */
	"x (dead)", "K (wakekill)", "W (waking)",
};

/* arch_prctl_spec_ctrl_get's words for both speculation lines. */
static const char *const spec_words[] = {
	"unknown", "not vulnerable", "thread force mitigated", "thread mitigated",
	"thread vulnerable", "globally mitigated", "vulnerable",
	"not affected", "conditional force disabled", "conditional disabled",
	"conditional enabled", "always enabled", "always disabled",
};

/*
** SigQ's limit is task_rlimit(RLIMIT_SIGPENDING), an unsigned long, but
** pl_task keeps it in 32 bits: UINT32_MAX stands for RLIM_INFINITY, the only
** value above 2^32 - 1 a real limit takes in practice.
*/
#define SIGQ_INFINITY UINT32_MAX

static const void *field(const struct pl_task *t, const struct line *l)
{
	return (const char *)t + l->off;
}

static void *wfield(struct pl_task *t, const struct line *l)
{
	return (char *)t + l->off;
}

/*
** {====================================================================
** Formatting
**
** Each line reserves its worst case once and is written through a cursor:
** status has some sixty lines, and a buffer call per token cost more than
** the formatting itself.
** =====================================================================
*/

/* Decimal at p, right-aligned in `width` columns (seq_put_decimal_ull_width). */
static char *put_u_width(char *p, uint64_t v, int width)
{
	char tmp[24];
	char *q = tmp + sizeof tmp;
	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (tmp + sizeof tmp - q < width)
		*--q = ' ';
	size_t n = (size_t)(tmp + sizeof tmp - q);
	memcpy(p, q, n);
	return p + n;
}

static char *put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static int hex_digits(uint64_t v)
{
	int n = 1;
	while (v >>= 4)
		n++;
	return n;
}

/* "%#04o" the kernel's way: a '0' prefix unless the value is 0. */
static char *put_umask(char *p, int32_t umask)
{
	char tmp[16];
	char *q = tmp + sizeof tmp;
	uint32_t v = (uint32_t)umask;
	do {
		*--q = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	if (umask)
		*--q = '0';
	while (tmp + sizeof tmp - q < 4)
		*--q = '0';
	return put_str(p, q, (size_t)(tmp + sizeof tmp - q));
}

/* seq_escape_str(ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\"): only those two. */
static char *put_name(char *p, const char *comm)
{
	size_t n = strnlen(comm, PL_COMM_MAX);
	for (size_t i = 0; i < n; i++) {
		if (comm[i] == '\n' || comm[i] == '\\') {
			*p++ = '\\';
			*p++ = comm[i] == '\n' ? 'n' : '\\';
		} else {
			*p++ = comm[i];
		}
	}
	return p;
}

static const char *state_name(char state)
{
	for (size_t i = 0; i < sizeof state_names / sizeof state_names[0]; i++)
		if (state_names[i][0] == state)
			return state_names[i];
	return NULL;
}

static char *put_groups_spaced(char *p, const uint32_t *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		p = put_u(p, g[i]);
		*p++ = ' ';
	}
	return p;
}

static char *put_groups(char *p, const uint32_t *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		p = put_u(p, g[i]);
	}
	*p++ = ' '; /* the kernel's historical trailing space */
	return p;
}

static int ns_levels(const struct pl_task *t)
{
	return t->ns_levels < PL_NSPID_MAX ? t->ns_levels : PL_NSPID_MAX;
}

static char *put_ns(char *p, const pl_pid *v, int levels)
{
	for (int i = 0; i < levels; i++) {
		if (i)
			*p++ = '\t';
		p = put_u(p, (uint32_t)v[i]);
	}
	return p;
}

static char *put_cred(char *p, const uint32_t *id)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '\t';
		p = put_u(p, id[i]);
	}
	return p;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t rss_pages(const struct pl_mm *m)
{
	return m->rss_anon + m->rss_file + m->rss_shmem;
}

/* Values printed as "%8lu kB": the pages lines, derived or stored. */
static char *put_kb(char *p, const struct pl_task *t, const struct line *l)
{
	const struct pl_mm *m = &t->mm;
	uint64_t kb;
	switch (l->kind) {
	case S_PEAK: kb = max_u64(m->hiwater_vm, m->total_vm) * PAGE_KB; break;
	case S_HWM:  kb = max_u64(m->hiwater_rss, rss_pages(m)) * PAGE_KB; break;
	case S_RSS:  kb = rss_pages(m) * PAGE_KB; break;
	case S_KB:   kb = *(const uint64_t *)field(t, l); break;
	default:     kb = *(const uint64_t *)field(t, l) * PAGE_KB; break;
	}
	p = put_u_width(p, kb, 8);
	return put_str(p, " kB", 3);
}

static char *put_sigq(char *p, const struct pl_task *t)
{
	p = put_u(p, t->sigq_count);
	*p++ = '/';
	return put_u(p, t->sigq_limit == SIGQ_INFINITY ? UINT64_MAX : t->sigq_limit);
}

/* %#lx; the kernel's %#x prints 0 as "0x0", unlike glibc's "0". */
static char *put_hexl(char *p, uint64_t v)
{
	p = put_str(p, "0x", 2);
	return put_hex(p, v, hex_digits(v));
}

static const char *spec_word(const struct pl_task *t, const struct line *l)
{
	const char *s = *(const char *const *)field(t, l);
	return s ? s : "unknown";
}

/* The most bytes the value of line l can take; the cursor never passes it. */
static size_t value_bound(const struct pl_task *t, const struct line *l)
{
	const struct pl_bitmap *m = field(t, l);
	switch (l->kind) {
	case S_NAME:    return 2 * PL_COMM_MAX;
	case S_STATE:   return 32;
	case S_CRED:    return 4 * 11;
	case S_GROUPS:
	case S_GROUPS_SPACED: return t->ngroups * 11 + 1;
	case S_NS:      return PL_NSPID_MAX * 11;
	case S_SIGQ:    return 11 + 1 + 20;
	case S_STR:     return strlen(spec_word(t, l));
	case S_BITMAP:  return (pl_bitmap_nbits(m) + 31) / 32 * 9;
	case S_BITLIST: return (pl_bitmap_nbits(m) / 2 + 1) * 11; /* "8190-8191," */
	default:        return 32; /* numbers, "%8lu kB", hex */
	}
}

/* The value of one line, after "Key:\t"; NULL if the record is invalid. */
static char *put_value(char *p, const struct pl_task *t, const struct line *l)
{
	const void *f = field(t, l);
	const char *s;
	switch (l->kind) {
	case S_NAME:    return put_name(p, t->comm);
	case S_UMASK:   return put_umask(p, t->umask);
	case S_STATE:
		s = state_name(t->state);
		return s ? put_str(p, s, strlen(s)) : NULL;
	case S_PID:     return put_u(p, (uint32_t)*(const pl_pid *)f);
	case S_U32:     return put_u(p, *(const uint32_t *)f);
	case S_U64:     return put_u(p, *(const uint64_t *)f);
	case S_INT:     return put_i(p, *(const int *)f);
	case S_CRED:    return put_cred(p, f);
	case S_GROUPS:  return put_groups(p, t->groups, t->ngroups);
	case S_GROUPS_SPACED: return put_groups_spaced(p, t->groups, t->ngroups);
	case S_NS:      return put_ns(p, f, ns_levels(t));
	case S_HEXL:    return put_hexl(p, *(const uint64_t *)f);
	case S_SIGQ:    return put_sigq(p, t);
	case S_MASK:    return put_hex(p, *(const uint64_t *)f, 16);
	case S_STR:
		s = spec_word(t, l);
		return put_str(p, s, strlen(s));
	case S_BITMAP:  return pl_put_bitmap(p, f);
	case S_BITLIST: return pl_put_bitlist(p, f);
	default:        return put_kb(p, t, l);
	}
}

/* Whether line l shows for t by its condition alone (status_lines 0). */
static int line_shown_now(const struct pl_task *t, const struct line *l)
{
	switch (l->cond) {
	case C_UMASK: return t->umask >= 0;
	case C_MM:    return t->has_mm;
	case C_OLDER: return 0;
	default:      return 1;
	}
}

uint64_t pl_status_lines_default(const struct pl_task *t)
{
	uint64_t bits = 0;
	for (size_t i = 0; i < NLINES; i++)
		if (line_shown_now(t, &lines[i]))
			bits |= LINE_BIT(&lines[i]);
	return bits;
}

const char *pl_status_line_name(unsigned i)
{
	if (i >= NLINES)
		return NULL;
	return lines[i].kind == S_GROUPS_SPACED ? "Groups (a space after each)" : lines[i].key;
}

uint64_t pl_status_line_bit(const char *name)
{
	for (unsigned i = 0; i < NLINES; i++)
		if (strcmp(pl_status_line_name(i), name) == 0)
			return 1ull << i;
	return 0;
}

/* "Key:\tvalue\n" */
static int put_line(struct pl_buf *b, const struct pl_task *t, const struct line *l)
{
	char *start = pl_buf_reserve(b, l->klen + 2 + value_bound(t, l) + 1);
	if (!start)
		return -ENOMEM;
	char *p = put_str(start, l->key, l->klen);
	*p++ = ':';
	*p++ = '\t';
	p = put_value(p, t, l);
	if (!p)
		return -EINVAL;
	*p++ = '\n';
	b->len += (size_t)(p - start);
	return 0;
}

/*
** PL_F_STATUS (with the identity fields it shares with stat: comm, state,
** tgid, tid, ppid, num_threads, signal masks).  Pid is t->tid.  An unknown
** state letter is -EINVAL: the kernel has no name for it.
*/
int pl_fmt_status(const struct pl_task *t, struct pl_buf *out)
{
	uint64_t shown = t->status_lines ? t->status_lines : pl_status_lines_default(t);
	size_t x = 0; /* the next vendor line */
	for (size_t i = 0; i < NLINES; i++) {
		for (; x < t->nstatus_extra && t->status_extra[x].before <= i; x++)
			pl_buf_printf(out, "%s\n", t->status_extra[x].line);
		if (!(shown >> i & 1))
			continue;
		int rc = put_line(out, t, &lines[i]);
		if (rc < 0)
			return rc;
	}
	for (; x < t->nstatus_extra; x++)
		pl_buf_printf(out, "%s\n", t->status_extra[x].line);
	if (t->arch_lines)
		pl_buf_puts(out, t->arch_lines);
	return pl_buf_status(out);
}

/* }==================================================================== */

/*
** {====================================================================
** Parsing the host kernel's status
** =====================================================================
*/

#define scan_u pl_scan_u64

/* A whole value that must be one unsigned number no larger than max. */
static int value_u(const char *p, const char *end, uint64_t max, uint64_t *v)
{
	const char *q = scan_u(p, end, v);
	return q == end && *v <= max ? 0 : -EINVAL;
}

static int parse_name(const char *p, const char *end, struct pl_task *t)
{
	size_t n = 0;
	for (; p < end; p++) {
		char c = *p;
		if (c == '\\' && p + 1 < end && (p[1] == 'n' || p[1] == '\\'))
			c = *++p == 'n' ? '\n' : '\\';
		if (n == PL_COMM_MAX)
			return -EINVAL;
		t->comm[n++] = c;
	}
	memset(t->comm + n, 0, sizeof t->comm - n);
	return 0;
}

static int parse_umask(const char *p, const char *end, struct pl_task *t)
{
	uint32_t v = 0;
	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		if (*p < '0' || *p > '7' || v > 0777777)
			return -EINVAL;
		v = v << 3 | (uint32_t)(*p - '0');
	}
	t->umask = (int32_t)v;
	return 0;
}

static int parse_state(const char *p, const char *end, struct pl_task *t)
{
	size_t n = (size_t)(end - p);
	for (size_t i = 0; i < sizeof state_names / sizeof state_names[0]; i++)
		if (strlen(state_names[i]) == n && !memcmp(state_names[i], p, n)) {
			t->state = *p;
			return 0;
		}
	return -EINVAL;
}

/* Separated unsigned numbers into u32 (or pl_pid) slots; count them. */
static int parse_list(const char *p, const char *end, char sep, int trailing,
                      uint32_t *out, size_t max, size_t *n)
{
	size_t i = 0;
	while (p < end) {
		uint64_t v;
		p = scan_u(p, end, &v);
		if (!p || v > UINT32_MAX || i == max)
			return -EINVAL;
		out[i++] = (uint32_t)v;
		if (p < end && *p++ != sep)
			return -EINVAL;
		if (p == end && !trailing && p[-1] == sep)
			return -EINVAL;
	}
	*n = i;
	return 0;
}

static int parse_cred(const char *p, const char *end, uint32_t *ids)
{
	size_t n;
	int rc = parse_list(p, end, '\t', 0, ids, 4, &n);
	return rc < 0 || n != 4 ? -EINVAL : 0;
}

/* "Groups:\t1 2 3 \n": the count is the number of spaces. */
static int parse_groups(const char *p, const char *end, struct pl_arena *a,
                        struct pl_task *t)
{
	size_t max = 0, n;
	for (const char *q = p; q < end; q++)
		max += *q == ' ';
	if (max == 0 || end[-1] != ' ')
		return -EINVAL;
	uint32_t *g = pl_arena_alloc(a, max * sizeof *g);
	if (!g)
		return -ENOMEM;
	/* the lone space of an empty list is the trailing one */
	int rc = parse_list(p == end - 1 ? end : p, end, ' ', 1, g, max, &n);
	if (rc < 0)
		return rc;
	t->groups = g;
	t->ngroups = n;
	return 0;
}

/* NStgid fixes ns_levels; the three later lines must agree with it.  No
** level at all is what the formatter prints of a status that had no NS
** lines (a host before Linux 4.1): it reads back as that. */
static int parse_ns(const char *p, const char *end, const struct line *l,
                    struct pl_task *t)
{
	size_t n;
	uint32_t tmp[PL_NSPID_MAX];
	int rc = parse_list(p, end, '\t', 0, tmp, PL_NSPID_MAX, &n);
	if (rc < 0)
		return -EINVAL;
	if (l->off == offsetof(struct pl_task, nstgid))
		t->ns_levels = (int)n;
	else if ((size_t)t->ns_levels != n)
		return -EINVAL;
	pl_pid *dst = wfield(t, l);
	for (size_t i = 0; i < n; i++) {
		if (tmp[i] > INT32_MAX)
			return -EINVAL;
		dst[i] = (pl_pid)tmp[i];
	}
	return 0;
}

static int parse_kb(const char *p, const char *end, const struct line *l,
                    struct pl_task *t)
{
	while (p < end && *p == ' ')
		p++;
	if (end - p < 4 || memcmp(end - 3, " kB", 3))
		return -EINVAL;
	uint64_t kb;
	if (value_u(p, end - 3, UINT64_MAX, &kb) < 0)
		return -EINVAL;
	if (l->kind == S_KB) {
		*(uint64_t *)wfield(t, l) = kb;
		return 0;
	}
	if (kb % PAGE_KB)
		return -EINVAL;
	if (l->kind == S_RSS) {
		/* VmRSS is anon + file + shmem, which RssAnon, RssFile and
		** RssShmem (4.5 and later) print after it; an older status has
		** only VmRSS, which then stands as anon (statm may split it) */
		t->mm.rss_anon = kb / PAGE_KB;
		t->mm.rss_file = t->mm.rss_shmem = 0;
		if (t->have & PL_F_STAT) /* it also repeats stat's rss: stat's reading wins */
			return 0;
	}
	*(uint64_t *)wfield(t, l) = kb / PAGE_KB;
	return 0;
}

static int parse_int(const char *p, const char *end, int *v)
{
	int neg = p < end && *p == '-';
	uint64_t u;
	if (value_u(p + neg, end, (uint64_t)INT32_MAX + (uint64_t)neg, &u) < 0)
		return -EINVAL;
	*v = neg ? (int)(-(int64_t)u) : (int)u;
	return 0;
}

static int parse_sigq(const char *p, const char *end, struct pl_task *t)
{
	uint64_t count, limit;
	const char *q = scan_u(p, end, &count);
	if (!q || q == end || *q != '/' || count > UINT32_MAX)
		return -EINVAL;
	if (value_u(q + 1, end, UINT64_MAX, &limit) < 0)
		return -EINVAL;
	t->sigq_count = (uint32_t)count;
	t->sigq_limit = limit >= SIGQ_INFINITY ? SIGQ_INFINITY : (uint32_t)limit;
	return 0;
}

static int parse_mask(const char *p, const char *end, uint64_t *v)
{
	int nd;
	const char *q = scan_hex(p, end, 16, v, &nd);
	return q == end && nd == 16 ? 0 : -EINVAL;
}

static int parse_hexl(const char *p, const char *end, uint64_t *v)
{
	int nd;
	if (end - p < 3 || p[0] != '0' || p[1] != 'x')
		return -EINVAL;
	return scan_hex(p + 2, end, 16, v, &nd) == end ? 0 : -EINVAL;
}

/* Known words map to static strings, so common tasks cost no arena. */
static int parse_str(const char *p, const char *end, struct pl_arena *a,
                     const char **dst)
{
	size_t n = (size_t)(end - p);
	for (size_t i = 0; i < sizeof spec_words / sizeof spec_words[0]; i++)
		if (strlen(spec_words[i]) == n && !memcmp(spec_words[i], p, n)) {
			*dst = spec_words[i];
			return 0;
		}
	*dst = pl_arena_strndup(a, p, n);
	return *dst ? 0 : -ENOMEM;
}

/* An empty mask is what the formatter prints of a status that had no
** Cpus_allowed (or Mems_allowed) line: it reads back as that. */
static int parse_bitmap(const char *p, const char *end, struct pl_bitmap *m)
{
	if (p == end) {
		memset(m, 0, sizeof *m);
		return 0;
	}
	return pl_scan_bitmap(p, end, m);
}

/* One value, [p, end) after "Key:\t", into the field its line names. */
static int parse_value(const char *p, const char *end, const struct line *l,
                       struct pl_arena *a, struct pl_task *t)
{
	void *f = wfield(t, l);
	uint64_t v;
	switch (l->kind) {
	case S_NAME:    return parse_name(p, end, t);
	case S_UMASK:   return parse_umask(p, end, t);
	case S_STATE:   return parse_state(p, end, t);
	case S_PID:
		if (value_u(p, end, INT32_MAX, &v) < 0)
			return -EINVAL;
		*(pl_pid *)f = (pl_pid)v;
		return 0;
	case S_U32:
		if (value_u(p, end, UINT32_MAX, &v) < 0)
			return -EINVAL;
		*(uint32_t *)f = (uint32_t)v;
		return 0;
	case S_U64:     return value_u(p, end, UINT64_MAX, f);
	case S_INT:     return parse_int(p, end, f);
	case S_CRED:    return parse_cred(p, end, f);
	case S_GROUPS:  return parse_groups(p, end, a, t);
	case S_GROUPS_SPACED: return -EINVAL; /* taken for an empty Groups only */
	case S_NS:      return parse_ns(p, end, l, t);
	case S_HEXL:    return parse_hexl(p, end, f);
	case S_SIGQ:    return parse_sigq(p, end, t);
	case S_MASK:    return parse_mask(p, end, f);
	case S_STR:     return parse_str(p, end, a, f);
	case S_BITMAP:  return parse_bitmap(p, end, f);
	case S_BITLIST: return pl_scan_bitlist(p, end, f);
	default:        return parse_kb(p, end, l, t);
	}
}

/* Lines come in table order, so the search starts after the last match;
** *cursor is left after the line found. */
static const struct line *find_line(const char *key, size_t n, size_t *cursor)
{
	for (size_t k = 0; k < NLINES; k++) {
		size_t i = (*cursor + k) % NLINES;
		if (lines[i].klen == n && !memcmp(lines[i].key, key, n)) {
			*cursor = i + 1;
			return &lines[i];
		}
	}
	return NULL;
}

/* Defaults for what an absent line means. */
static void status_reset(struct pl_task *t)
{
	t->umask = -1;     /* no Umask line: the task has no fs */
	t->has_mm = 0;     /* no Vm* block: no mm */
	t->ngroups = 0;
	t->groups = NULL;
	t->ns_levels = 0;
	t->arch_lines = "";
	t->status_extra = NULL;
	t->nstatus_extra = 0;
}

/* A line no mainline kernel prints, kept where it stood (before the known
** line at `before`); the list grows in the arena, a copy a line: vendors
** add one or two. */
static int keep_extra(struct pl_arena *a, struct pl_task *t, size_t before, const char *line,
                      size_t len)
{
	struct pl_status_extra *x = pl_arena_alloc(a, (t->nstatus_extra + 1) * sizeof *x);
	char *copy = pl_arena_strndup(a, line, len);
	if (!x || !copy)
		return -ENOMEM;
	if (t->nstatus_extra)
		memcpy(x, t->status_extra, t->nstatus_extra * sizeof *x);
	x[t->nstatus_extra].before = (uint8_t)before;
	x[t->nstatus_extra].line = copy;
	t->status_extra = x;
	t->nstatus_extra++;
	return 0;
}

/*
** Fill PL_F_STATUS from the host's status.  Lines after the last generic
** one (x86_Thread_features*, printed only with user shadow stacks) are kept
** verbatim in arch_lines; another line of the kernel's form ("Key:\tvalue")
** that no mainline kernel prints (a vendor kernel's) is kept verbatim where
** it stood, so status reads as it was saved.
*/
int pl_parse_status(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *p = text, *end = text + len;
	size_t cursor = 0;
	int seen_last = 0, seen_state = 0, rss_split = 0, rss_anon = 0, out_of_order = 0;
	uint64_t seen = 0;
	status_reset(t);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *colon = memchr(p, ':', (size_t)((eol ? eol : end) - p));
		if (!eol || !colon || colon + 1 == eol || colon[1] != '\t')
			return pl_parse_fail(a, text, p);
		size_t cursor_before = cursor;
		const struct line *l = find_line(p, (size_t)(colon - p), &cursor);
		if (!l && seen_last) {
			t->arch_lines = pl_arena_strndup(a, p, (size_t)(end - p));
			if (!t->arch_lines)
				return -ENOMEM;
			break;
		}
		if (!l) {
			int rc = t->nstatus_extra < 16 ? keep_extra(a, t, cursor, p, (size_t)(eol - p))
			                               : -EINVAL;
			if (rc < 0)
				return rc == -EINVAL ? pl_parse_fail(a, text, p) : rc;
			p = eol + 1;
			continue;
		}
		out_of_order |= (size_t)(l - lines) < cursor_before;
		rss_split |= l->off == offsetof(struct pl_task, mm.rss_file) ||
		             l->off == offsetof(struct pl_task, mm.rss_shmem);
		rss_anon |= l->off == offsetof(struct pl_task, mm.rss_anon);
		int rc = parse_value(colon + 2, eol, l, a, t);
		if (rc == -EINVAL && l->kind == S_GROUPS && colon + 2 == eol) {
			l++; /* an empty list as kernels before the trailing space printed it */
			cursor++;
			t->groups = NULL;
			t->ngroups = 0;
			rc = 0;
		}
		if (rc < 0)
			return rc == -EINVAL ? pl_parse_fail(a, text, p) : rc;
		seen |= 1ull << (cursor - 1);
		t->has_mm |= l->cond == C_MM;
		seen_state |= l->kind == S_STATE;
		seen_last = cursor == NLINES;
		p = eol + 1;
	}
	/* RssFile and RssShmem came with RssAnon (4.5): no kernel prints them
	** without it, and VmRSS, their sum, would not read back the same */
	/* a vendor's line stands where it stood among the kernel's lines,
	** which the kernel prints in their order, and so does the formatter */
	if (!seen_state || (rss_split && !rss_anon) || (t->nstatus_extra && out_of_order))
		return pl_parse_fail(a, text, end);
	t->status_lines = seen;
	t->have |= PL_F_STATUS;
	return 0;
}

/* }==================================================================== */

