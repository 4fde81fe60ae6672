/*
** timens_offsets of a world's task, as timens_offsets_write (fs/proc/base.c)
** and proc_timens_set_offset (kernel/time/namespace.c):
**
**   - only a write at position 0 of fewer than PAGE_SIZE bytes (EINVAL);
**   - the bytes as a C string (memdup_user_nul: a NUL ends them), cut into
**     '\n'-ended lines, each read by the kernel's sscanf "%9s %lld %lu"
**     (lib/vsprintf.c, below): three fields, nsec below NSEC_PER_SEC as a
**     long (a %lu past LONG_MAX reads negative and passes), the clock
**     "monotonic" or "1", "boottime" or "7"; else EINVAL.  An empty line
**     is one that fails.  After the second offset the rest is not read:
**     the count is then the bytes through that line's '\n';
**   - the task's namespace for children (none: ESRCH); the opener's
**     credentials need CAP_SYS_TIME over the namespace's user namespace
**     (file_ns_capable; EPERM);
**   - each offset's seconds within +-KTIME_SEC_MAX, and the clock now plus
**     the offset (normalised as timespec64_add does) within 0 and
**     KTIME_SEC_MAX / 2 (ERANGE);
**   - a namespace a task has entered is frozen (EACCES);
**   - then the offsets are the namespace's: every task whose namespace for
**     children it is shows them.
**
** A world's clock: CLOCK_MONOTONIC and CLOCK_BOOTTIME are both its uptime
** (a world never suspends).  A time namespace's user namespace is taken
** as the task's own (the world does not declare who made it).
*/
#include "write/write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/arena.h"
#include "record/machine.h"

#define PAGE_SIZE 4096
#define NSEC_PER_SEC 1000000000ll
#define KTIME_SEC_MAX (INT64_MAX / NSEC_PER_SEC)
#define MAX_OFFSETS 2 /* proc_timens_offset offsets[2] */

struct offset {
	int clock; /* PL_TIMENS_* */
	int64_t sec, nsec;
};

/* The kernel's isspace (lib/ctype.c, Latin-1): \t \n \v \f \r, ' ' and 0xa0. */
static int kspace(char c)
{
	unsigned char u = (unsigned char)c;
	return (u >= '\t' && u <= '\r') || u == ' ' || u == 0xa0;
}

static const char *skip_spaces(const char *s)
{
	while (kspace(*s))
		s++;
	return s;
}

static int kdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* simple_strtoull with base 10: every digit, the value wrapping at 2^64. */
static const char *decimal(const char *s, uint64_t *v)
{
	uint64_t r = 0;
	while (kdigit(*s))
		r = r * 10 + (uint64_t)(*s++ - '0');
	*v = r;
	return s;
}

/*
** The kernel's sscanf(line, "%9s %lld %lu", clock, &sec, &nsec): how many
** fields it filled.  Whitespace (the kernel's) before each field is
** skipped, none is needed between them; %s stops at whitespace or after 9
** bytes; a number needs a digit first (after a '-' for %lld).
*/
static int scan_offset(const char *str, char clock[10], int64_t *sec, int64_t *nsec)
{
	if (!*str)
		return 0;
	str = skip_spaces(str);
	int n = 0;
	while (*str && !kspace(*str) && n < 9)
		clock[n++] = *str++;
	clock[n] = '\0';
	str = skip_spaces(str);
	if (!*str)
		return 1;
	int neg = *str == '-';
	if (!kdigit(str[neg]))
		return 1;
	uint64_t v;
	str = decimal(str + neg, &v);
	*sec = (int64_t)(neg ? 0 - v : v);
	str = skip_spaces(str);
	if (!kdigit(*str)) /* also the end of the line */
		return 2;
	decimal(str, &v);
	*nsec = (int64_t)v; /* an unsigned long stored into a long */
	return 3;
}

/* The offsets in the NUL-ended text, and the count the write answers
** with (all of len, or through the line of the last offset read). */
static int parse_offsets(char *text, size_t *count, struct offset *offs, int *n)
{
	*n = 0;
	for (char *pos = text, *next; pos; pos = next) {
		struct offset *o = &offs[*n];
		next = strchr(pos, '\n');
		if (next) {
			*next++ = '\0';
			if (*next == '\0')
				next = NULL;
		}
		char clock[10];
		if (scan_offset(pos, clock, &o->sec, &o->nsec) != 3 || o->nsec >= NSEC_PER_SEC)
			return -EINVAL;
		if (!strcmp(clock, "monotonic") || !strcmp(clock, "1"))
			o->clock = PL_TIMENS_MONOTONIC;
		else if (!strcmp(clock, "boottime") || !strcmp(clock, "7"))
			o->clock = PL_TIMENS_BOOTTIME;
		else
			return -EINVAL;
		if (++*n == MAX_OFFSETS) {
			if (next)
				*count = (size_t)(next - text);
			break;
		}
	}
	return 0;
}

/* Seconds of `now + o` as timespec64_add normalises it. */
static int64_t sum_sec(int64_t now_sec, int64_t now_nsec, const struct offset *o)
{
	int64_t sec = now_sec + o->sec, nsec = now_nsec + o->nsec;
	if (nsec >= NSEC_PER_SEC)
		sec += nsec / NSEC_PER_SEC;
	else if (nsec < 0)
		sec -= (-(nsec + 1)) / NSEC_PER_SEC + 1;
	return sec;
}

struct set_offsets {
	const struct offset *offs;
	int n;
	int capable;               /* the opener has CAP_SYS_TIME over the namespace */
	int64_t now_sec, now_nsec; /* the world's clocks */
};

static ssize_t set_offsets(void *arg, struct pl_task *t)
{
	const struct set_offsets *s = arg;
	if (t->timens_none)
		return -ESRCH;
	if (!s->capable)
		return -EPERM;
	for (int i = 0; i < s->n; i++) {
		const struct offset *o = &s->offs[i];
		if (o->sec > KTIME_SEC_MAX || o->sec < -KTIME_SEC_MAX)
			return -ERANGE;
		int64_t sec = sum_sec(s->now_sec, s->now_nsec, o);
		if (sec < 0 || sec > KTIME_SEC_MAX / 2)
			return -ERANGE;
	}
	if (t->timens_frozen)
		return -EACCES;
	for (int i = 0; i < s->n; i++)
		t->timens[s->offs[i].clock] = (struct pl_timens_offset){ s->offs[i].sec, s->offs[i].nsec };
	return 0;
}

/* The world's CLOCK_MONOTONIC (and CLOCK_BOOTTIME): its uptime now. */
static void world_clock(struct pl_source *src, int64_t *sec, int64_t *nsec)
{
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_machine m;
	memset(&m, 0, sizeof m);
	*sec = *nsec = 0;
	if (src->ops->load_machine && src->ops->load_machine(src, PL_M_UPTIME, &a, &m) == 0) {
		*sec = (int64_t)(m.uptime_cs / 100);
		*nsec = (int64_t)(m.uptime_cs % 100) * 10000000;
	}
	pl_arena_free(&a);
}

ssize_t pl_write_timens_offsets(const struct pl_write *w)
{
	if (w->off != 0 || w->len >= PAGE_SIZE)
		return -EINVAL;
	char *text = malloc(w->len + 1);
	if (!text)
		return -ENOMEM;
	memcpy(text, w->buf, w->len);
	text[w->len] = '\0';
	size_t count = w->len;
	struct offset offs[MAX_OFFSETS];
	struct set_offsets s = { offs, 0, 0, 0, 0 };
	int rc = parse_offsets(text, &count, offs, &s.n);
	free(text);
	if (rc < 0)
		return rc;
	struct pl_userns_chain owner;
	rc = w->src->ops->userns(w->src, w->tgid, w->tid, &owner);
	if (rc < 0)
		return rc;
	s.capable = pl_caller_ns_capable(w->opener, &owner, PL_CAP_SYS_TIME);
	world_clock(w->src, &s.now_sec, &s.now_nsec);
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_TIMENS | PL_F_NS, set_offsets, &s);
	return n < 0 ? n : (ssize_t)count;
}
