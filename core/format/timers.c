/*
** timers: Linux's show_timer (fs/proc/base.c), a thread group's POSIX
** timers, newest first, four lines each:
**
**   ID: %d
**   signal: %d/%px            the signal and si_value as a raw pointer
**   notify: %s/%s.%d          signal, none or thread; pid or tid; its number
**   ClockID: %d
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

const char *pl_timer_notify_name(int32_t notify)
{
	switch (notify & ~PL_SIGEV_THREAD_ID) {
	case PL_SIGEV_SIGNAL: return "signal";
	case PL_SIGEV_NONE: return "none";
	case PL_SIGEV_THREAD: return "thread";
	}
	return NULL;
}

int pl_fmt_timers(const struct pl_task *t, struct pl_buf *out)
{
	for (size_t i = 0; i < t->ntimers; i++) {
		const struct pl_posix_timer *x = &t->timers[i];
		const char *kind = pl_timer_notify_name(x->notify);
		pl_buf_printf(out, "ID: %d\nsignal: %d/%016llx\nnotify: %s/%s.%d\nClockID: %d\n",
		              (int)x->id, (int)x->signo, (unsigned long long)x->value, kind ? kind : "",
		              (x->notify & PL_SIGEV_THREAD_ID) ? "tid" : "pid", (int)x->pid, (int)x->clock);
	}
	return pl_buf_status(out);
}

/* A decimal int at *p (a '-' if sign), up to stop; advances *p past stop. */
static int int_to(const char **p, const char *end, char stop, int sign, int32_t *out)
{
	const char *q = *p;
	int neg = sign && q < end && *q == '-';
	uint64_t v;
	const char *e = pl_scan_u64(q + neg, end, &v);
	if (!e || e == end || *e != stop || v > (uint64_t)INT32_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int32_t)(0 - v) : (int32_t)v;
	*p = e + 1;
	return 0;
}

static int lit(const char **p, const char *end, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(end - *p) < n || memcmp(*p, s, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static int timer_at(const char **p, const char *end, struct pl_posix_timer *x)
{
	const char *q = *p;
	uint64_t v = 0;
	if (lit(&q, end, "ID: ") || int_to(&q, end, '\n', 0, &x->id) ||
	    lit(&q, end, "signal: ") || int_to(&q, end, '/', 0, &x->signo) || end - q < 17)
		return -1;
	for (int i = 0; i < 16; i++, q++) {
		int d = *q >= '0' && *q <= '9' ? *q - '0' : *q >= 'a' && *q <= 'f' ? *q - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	x->value = v;
	if (lit(&q, end, "\nnotify: "))
		return -1;
	if (!lit(&q, end, "signal/"))
		x->notify = PL_SIGEV_SIGNAL;
	else if (!lit(&q, end, "none/"))
		x->notify = PL_SIGEV_NONE;
	else if (!lit(&q, end, "thread/"))
		x->notify = PL_SIGEV_THREAD;
	else
		return -1;
	if (!lit(&q, end, "tid."))
		x->notify |= PL_SIGEV_THREAD_ID;
	else if (lit(&q, end, "pid."))
		return -1;
	if (int_to(&q, end, '\n', 0, &x->pid) || lit(&q, end, "ClockID: ") ||
	    int_to(&q, end, '\n', 1, &x->clock))
		return -1;
	*p = q;
	return 0;
}

int pl_parse_timers(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = text, *end = text + len;
	size_t n = 0;
	for (const char *q = text; q < end; q++)
		n += *q == '\n';
	n /= 4;
	struct pl_posix_timer *v = n ? pl_arena_alloc(a, n * sizeof *v) : NULL;
	if (n && !v)
		return -ENOMEM;
	size_t i = 0;
	while (p < end) {
		const char *at = p;
		if (i == n || timer_at(&p, end, &v[i]) < 0)
			return pl_parse_fail(a, text, at);
		i++;
	}
	t->timers = v;
	t->ntimers = i;
	return pl_parse_reprints(text, len, a, t, pl_fmt_timers);
}
