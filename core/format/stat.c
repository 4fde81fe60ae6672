/*
** stat, statm and comm: Linux's do_task_stat, proc_pid_statm and
** proc_comm_show (fs/proc/array.c, fs/proc/base.c), and the parser of the
** host kernel's stat text.
**
** stat is the most-read file of /proc (every ps and top reads it for every
** task), so pl_fmt_stat reserves its worst case once and writes digits
** straight into the buffer: no printf, one bounds check per file.
*/
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"
#include "format/digits.h"

#define PF_EXITING   0x00000004u
#define PF_KTHREAD   0x00200000u

#define PAGE_SHIFT 12
#define PAGE_SIZE  ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/* stat prints sig[0] & 0x7fffffff "for Linux 2.0 compatibility". */
#define STAT_SIG_MASK 0x7fffffffull

/* The letters of task_state_array (x, K and W: before Linux 4.14); anything
** else is a broken record. */
#define STATE_LETTERS "RSDTtXZPIxKW"

/* Fields since Linux 3.5. */
#define STAT_FIELDS 52

/* pid + " (" + comm + ") S" + 50 fields of at most 20 digits and a sign. */
#define STAT_MAX (20 + 2 + PL_COMM_MAX + 3 + 50 * 22 + 1)

/*
** {====================================================================
** Formatting
** =====================================================================
*/


/*
** Whether the kernel's get_task_mm() would find an mm.  stat reads only
** PL_F_STAT, which has no has_mm, so it is derived: get_task_mm() refuses
** kernel threads (PF_KTHREAD), and a zombie or dead task has released its
** mm in exit_mm() before exit_notify() made it Z/X.  A task past exit_mm()
** but not yet a zombie is PF_EXITING with a zero vsize (vsize is
** task_vsize(mm) only when there is an mm); no live mm has total_vm 0.
*/
static int stat_has_mm(const struct pl_task *t)
{
	if (t->flags & PF_KTHREAD)
		return 0;
	if (t->state == 'Z' || t->state == 'X')
		return 0;
	if ((t->flags & PF_EXITING) && t->vsize == 0)
		return 0;
	return 1;
}

/* Fields 1-25: identity, counters, times, vsize, rss, rsslim. */
static char *stat_head(char *p, const struct pl_task *t, int mm)
{
	size_t n = strnlen(t->comm, PL_COMM_MAX); /* "%.64s", not escaped */
	p = put_u(p, (uint64_t)(uint32_t)t->tid);
	*p++ = ' ';
	*p++ = '(';
	memcpy(p, t->comm, n);
	p += n;
	*p++ = ')';
	*p++ = ' ';
	*p++ = t->state;
	p = sp_i(p, t->ppid);
	p = sp_i(p, t->pgrp);
	p = sp_i(p, t->session);
	p = sp_i(p, t->tty_nr);
	p = sp_i(p, t->tpgid);
	p = sp_u(p, t->flags);
	p = sp_u(p, t->minflt);
	p = sp_u(p, t->cminflt);
	p = sp_u(p, t->majflt);
	p = sp_u(p, t->cmajflt);
	p = sp_u(p, t->utime);
	p = sp_u(p, t->stime);
	p = sp_i(p, t->cutime);
	p = sp_i(p, t->cstime);
	p = sp_i(p, t->priority);
	p = sp_i(p, t->nice);
	p = sp_i(p, t->num_threads);
	p = sp_u(p, 0); /* itrealvalue: no longer kept, always 0 */
	p = sp_u(p, t->starttime);
	p = sp_u(p, mm ? t->vsize : 0);
	p = sp_u(p, mm ? t->mm.rss : 0);
	return sp_u(p, t->rsslim);
}

/*
** Fields 26-44.  Without ptrace access the code range reads 1 1 (so tools
** can still tell a user task from a kernel thread), and the stack, the
** registers and the wchan flag read 0.
*/
static char *stat_middle(char *p, const struct pl_task *t, int mm, int permitted)
{
	p = sp_u(p, mm ? (permitted ? t->mm.start_code : 1) : 0);
	p = sp_u(p, mm ? (permitted ? t->mm.end_code : 1) : 0);
	p = sp_u(p, mm && permitted ? t->mm.start_stack : 0);
	p = sp_u(p, permitted ? t->kstkesp : 0);
	p = sp_u(p, permitted ? t->kstkeip : 0);
	p = sp_u(p, t->sig_pending & STAT_SIG_MASK);
	p = sp_u(p, t->sig_blocked & STAT_SIG_MASK);
	p = sp_u(p, t->sig_ignored & STAT_SIG_MASK);
	p = sp_u(p, t->sig_caught & STAT_SIG_MASK);
	p = sp_u(p, permitted ? t->wchan_flag : 0);
	p = sp_u(p, 0); /* nswap */
	p = sp_u(p, 0); /* cnswap */
	p = sp_i(p, t->exit_signal);
	p = sp_i(p, t->processor);
	p = sp_u(p, t->rt_priority);
	p = sp_u(p, t->policy);
	p = sp_u(p, t->blkio_ticks);
	p = sp_u(p, t->guest_time);
	return sp_i(p, t->cguest_time);
}

/* Fields 45-52: the mm layout and exit_code, all hidden without access. */
static char *stat_tail(char *p, const struct pl_task *t, int mm, int permitted)
{
	if (mm && permitted) {
		p = sp_u(p, t->mm.start_data);
		p = sp_u(p, t->mm.end_data);
		p = sp_u(p, t->mm.start_brk);
		p = sp_u(p, t->mm.arg_start);
		p = sp_u(p, t->mm.arg_end);
		p = sp_u(p, t->mm.env_start);
		p = sp_u(p, t->mm.env_end);
	} else {
		memcpy(p, " 0 0 0 0 0 0 0", 14);
		p += 14;
	}
	p = sp_i(p, permitted ? t->exit_code : 0);
	*p++ = '\n';
	return p;
}

/*
** An older kernel's stat: the line ends after its last field.  Every
** field after the comm follows one space, and the comm ends at the last
** ')' (the fields after it hold none).
*/
static char *stat_cut(char *start, char *end, unsigned fields)
{
	char *q = memrchr(start, ')', (size_t)(end - start));
	uint32_t n = 2; /* pid and comm */
	for (q = q ? q + 1 : end; q < end; q++)
		if (*q == ' ' && ++n > fields) {
			*q = '\n';
			return q + 1;
		}
	return end;
}

/*
** PL_F_STAT.  t->tid is the pid printed first: the source sets it to the
** tgid for /proc/<tgid>/stat.  The values that whole-group reads sum or
** suppress (times, faults, wchan 0 with several threads) are the source's.
*/
int pl_fmt_stat(const struct pl_task *t, int permitted, struct pl_buf *out)
{
	if (!t->state || !strchr(STATE_LETTERS, t->state))
		return -EINVAL; /* status could not name it either */
	char *start = pl_buf_reserve(out, STAT_MAX);
	if (!start)
		return -ENOMEM;
	int mm = stat_has_mm(t);
	char *p = stat_head(start, t, mm);
	p = stat_middle(p, t, mm, permitted);
	p = stat_tail(p, t, mm, permitted);
	if (t->stat_fields - 1u < STAT_FIELDS - 1u) /* 1 .. 51: an older kernel's */
		p = stat_cut(start, p, t->stat_fields);
	out->len += (size_t)(p - start);
	return 0;
}


/* }==================================================================== */

/*
** {====================================================================
** Parsing the host kernel's stat
** =====================================================================
*/

enum { K_SKIP, K_CHAR, K_I32, K_U32, K_U64, K_I64, K_SIG };

struct stat_field {
	uint16_t off;
	uint8_t kind;
};

#define F(kind, member) { offsetof(struct pl_task, member), kind }
#define SKIP { 0, K_SKIP }

/* Fields 3..52 in order; 1 and 2 (pid, comm) are parsed by hand. */
static const struct stat_field stat_fields[] = {
	F(K_CHAR, state), F(K_I32, ppid), F(K_I32, pgrp), F(K_I32, session),
	F(K_I32, tty_nr), F(K_I32, tpgid), F(K_U32, flags),
	F(K_U64, minflt), F(K_U64, cminflt), F(K_U64, majflt), F(K_U64, cmajflt),
	F(K_U64, utime), F(K_U64, stime), F(K_I64, cutime), F(K_I64, cstime),
	F(K_I32, priority), F(K_I32, nice), F(K_I32, num_threads),
	SKIP, /* itrealvalue */
	F(K_U64, starttime), F(K_U64, vsize), F(K_U64, mm.rss), F(K_U64, rsslim),
	F(K_U64, mm.start_code), F(K_U64, mm.end_code), F(K_U64, mm.start_stack),
	F(K_U64, kstkesp), F(K_U64, kstkeip),
	F(K_SIG, sig_pending), F(K_SIG, sig_blocked),
	F(K_SIG, sig_ignored), F(K_SIG, sig_caught),
	F(K_U64, wchan_flag),
	SKIP, SKIP, /* nswap, cnswap */
	F(K_I32, exit_signal), F(K_I32, processor),
	F(K_U32, rt_priority), F(K_U32, policy),
	F(K_U64, blkio_ticks), F(K_U64, guest_time), F(K_I64, cguest_time),
	F(K_U64, mm.start_data), F(K_U64, mm.end_data), F(K_U64, mm.start_brk),
	F(K_U64, mm.arg_start), F(K_U64, mm.arg_end),
	F(K_U64, mm.env_start), F(K_U64, mm.env_end),
	F(K_I32, exit_code),
};

#undef F
#undef SKIP

/*
** Where an older kernel's stat ended: after policy (41 fields, 2.5.19),
** delayacct_blkio_ticks (42, 2.6.18), cguest_time (44, 2.6.24) or
** start_brk (47, 3.3); 3.5 added arg_start to exit_code.
*/
static int older_kernel_fields(size_t n)
{
	return n == 41 || n == 42 || n == 44 || n == 47;
}

/* The newline ending text, if text has `fields` fields and an older
** kernel printed that many (fields after the comm follow one space each). */
static const char *older_kernel_end(const char *text, const char *end, size_t fields)
{
	const char *close = memrchr(text, ')', (size_t)(end - text));
	const char *nl = close ? memchr(close, '\n', (size_t)(end - close)) : NULL;
	size_t n = 2;
	if (!nl || !older_kernel_fields(fields))
		return NULL;
	for (const char *q = close + 1; q < nl; q++)
		n += *q == ' ';
	return n == fields ? nl : NULL;
}

/* Decimal with an optional '-' into *v; NULL if p does not start one. */
static const char *scan_i(const char *p, const char *end, int *neg, uint64_t *v)
{
	*neg = p < end && *p == '-';
	return pl_scan_u64(p + *neg, end, v);
}

/* Range-check a scanned number and store it as the field's type. */
static int store_num(void *dst, int kind, int neg, uint64_t v, int merge_sig)
{
	switch (kind) {
	case K_U32:
		if (neg || v > UINT32_MAX)
			return -EINVAL;
		*(uint32_t *)dst = (uint32_t)v;
		return 0;
	case K_U64:
		if (neg)
			return -EINVAL;
		*(uint64_t *)dst = v;
		return 0;
	case K_SIG:
		/* keep status's bits 31-63 if status was parsed first */
		if (neg)
			return -EINVAL;
		*(uint64_t *)dst = (merge_sig ? *(uint64_t *)dst & ~STAT_SIG_MASK : 0) | v;
		return 0;
	case K_I32:
		if (v > (neg ? (uint64_t)INT32_MAX + 1 : (uint64_t)INT32_MAX))
			return -EINVAL;
		*(int32_t *)dst = (int32_t)(neg ? -(int64_t)v : (int64_t)v);
		return 0;
	case K_I64:
		if (v > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
			return -EINVAL;
		*(int64_t *)dst = neg ? (int64_t)(0 - v) : (int64_t)v;
		return 0;
	}
	return 0;
}

/* One field after the comm, p at its separating space; NULL on error. */
static const char *parse_field(const char *p, const char *end,
                               const struct stat_field *f, struct pl_task *t)
{
	if (p >= end || *p != ' ')
		return NULL;
	p++;
	void *dst = (char *)t + f->off;
	if (f->kind == K_CHAR) {
		if (p >= end || *p == ' ' || *p == '\n')
			return NULL;
		*(char *)dst = *p;
		return p + 1;
	}
	int neg;
	uint64_t v;
	p = scan_i(p, end, &neg, &v);
	if (!p || (f->kind != K_SKIP &&
	           store_num(dst, f->kind, neg, v, (t->have & PL_F_STATUS) != 0) < 0))
		return NULL;
	return p;
}

/* "pid (comm)": the comm runs to the last ')', it may hold ") (" itself. */
static const char *parse_pid_comm(const char *text, const char *end, struct pl_task *t)
{
	int neg;
	uint64_t pid;
	const char *p = scan_i(text, end, &neg, &pid);
	if (!p || neg || pid > INT32_MAX || end - p < 2 || p[0] != ' ' || p[1] != '(')
		return NULL;
	const char *open = p + 2, *close = end;
	while (close > open && close[-1] != ')')
		close--;
	if (close == open)
		return NULL;
	close--;
	size_t n = (size_t)(close - open);
	if (n > PL_COMM_MAX)
		n = PL_COMM_MAX;
	memcpy(t->comm, open, n);
	memset(t->comm + n, 0, sizeof t->comm - n);
	t->tid = (pl_pid)pid;
	return close + 1;
}

/*
** Fill PL_F_STAT from the host's stat.  The first field is the tid (the
** tgid for /proc/<tgid>/stat); the tgid itself is not in the text.  Masked
** fields are stored as read: a task the daemon may not ptrace reads back
** with code range 1 1 and zero layout, exactly as the kernel showed it.
*/
int pl_parse_stat(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *end = text + len;
	const char *p = parse_pid_comm(text, end, t);
	const struct stat_field *f = stat_fields;
	for (; p && f < stat_fields + sizeof stat_fields / sizeof stat_fields[0]; f++)
		p = parse_field(p, end, f, t);
	size_t fields = STAT_FIELDS;
	if (!p) /* the field before f could not be read: an older kernel's end? */
		p = older_kernel_end(text, end, fields = (size_t)(f - stat_fields) + 1);
	if (!p || (p < end && *p != '\n'))
		return pl_parse_fail(a, text, text); /* one line: line 1 */
	t->stat_fields = (uint8_t)fields;
	t->have |= PL_F_STAT;
	return 0;
}

/* }==================================================================== */
