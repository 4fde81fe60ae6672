/*
** The scheduler's writable files of a world's task (fs/proc/base.c):
**
** timerslack_ns, as timerslack_ns_write: kstrtoull_from_user with base 10
** (the first 66 bytes); a writer other than the task itself needs
** CAP_SYS_NICE in the namespace of the task's credentials (EPERM); 0
** restores the default slack (50 us), and a realtime or deadline task
** keeps none (6.x).  The count written is the whole write.
**
** autogroup, as sched_autogroup_write and proc_sched_autogroup_set_nice
** (kernel/sched/autogroup.c): the first 12 bytes, whitespace stripped, as
** kstrtoint with base 0; a nice outside [-20, 19] is EINVAL; below 0 it
** needs CAP_SYS_NICE (can_nice; the writer's RLIMIT_NICE is taken as the
** default 0); without CAP_SYS_ADMIN a second change within 100 ms of the
** last is EAGAIN (the kernel's counter is machine-wide; this one is the
** daemon's); a task of the root group (no autogroup) cannot be given a
** nice (EINVAL, from the root task group's shares).  The nice is the
** group's: every task in that autogroup shows it.
*/
#include "write/write.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record/arena.h"
#include "write/kstrto.h"

#define DEFAULT_TIMER_SLACK_NS 50000
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_DEADLINE 6

static ssize_t set_slack(void *arg, struct pl_task *t)
{
	unsigned long long ns = *(const unsigned long long *)arg;
	if (t->policy == SCHED_FIFO || t->policy == SCHED_RR || t->policy == SCHED_DEADLINE)
		ns = 0; /* rt_or_dl_task_policy */
	else if (ns == 0)
		ns = DEFAULT_TIMER_SLACK_NS;
	t->timerslack_ns = ns;
	return 0;
}

ssize_t pl_write_timerslack_ns(const struct pl_write *w)
{
	unsigned long long ns;
	int rc = pl_kstrtoull_from_user(w->buf, w->len, 10, &ns);
	if (rc < 0)
		return rc;
	pl_pid task = w->tid ? w->tid : w->tgid;
	if (!(w->writer_tgid == w->tgid && w->writer_tid == task)) {
		struct pl_userns_chain ns_of;
		rc = w->src->ops->userns(w->src, w->tgid, w->tid, &ns_of);
		if (rc < 0)
			return rc;
		if (!pl_caller_ns_capable(w->writer, &ns_of, PL_CAP_SYS_NICE))
			return -EPERM;
	}
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_TIMERSLACK | PL_F_STAT,
	                                set_slack, &ns);
	return n < 0 ? n : (ssize_t)w->len;
}

/* The kernel's `next`: when a writer without CAP_SYS_ADMIN may change an
** autogroup's nice again (CLOCK_MONOTONIC, ns). */
static _Atomic long long next_change;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct nice_change {
	int nice;
	int64_t group;        /* the task's autogroup; 0: the root group */
};

static ssize_t set_nice(void *arg, struct pl_task *t)
{
	t->autogroup_nice = ((const struct nice_change *)arg)->nice;
	return 0;
}

ssize_t pl_write_autogroup(const struct pl_write *w)
{
	int nice;
	long count = pl_proc_numbuf_int(w->buf, w->len, &nice);
	if (count < 0)
		return count;
	/* the task first (get_proc_task), then proc_sched_autogroup_set_nice */
	struct pl_task *t = calloc(1, sizeof *t);
	struct pl_arena a = PL_ARENA_INIT;
	int rc = t ? w->src->ops->load(w->src, w->tgid, w->tid, PL_F_AUTOGROUP, &a, t) : -ENOMEM;
	struct nice_change c = { nice, t ? t->autogroup_id : 0 };
	free(t);
	pl_arena_free(&a);
	if (rc < 0)
		return rc;
	if (nice < -20 || nice > 19)
		return -EINVAL;
	if (nice < 0 && !pl_caller_capable(w->writer, PL_CAP_SYS_NICE))
		return -EPERM; /* can_nice, RLIMIT_NICE 0 */
	if (!pl_caller_capable(w->writer, PL_CAP_SYS_ADMIN) && now_ns() < atomic_load(&next_change))
		return -EAGAIN;
	atomic_store(&next_change, now_ns() + 100000000); /* HZ / 10 */
	if (c.group == 0)
		return -EINVAL; /* the root task group takes no shares */
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_AUTOGROUP, set_nice, &c);
	return n < 0 ? n : (ssize_t)count;
}

/* sched, as sched_write: any bytes reset the task's scheduler statistics
** (proc_sched_set_task; a kernel without CONFIG_SCHEDSTATS, as this
** world's, keeps none to reset) and the whole write is taken. */
static ssize_t touch(void *arg, struct pl_task *t)
{
	(void)arg;
	(void)t;
	return 0;
}

ssize_t pl_write_sched(const struct pl_write *w)
{
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_SCHED, touch, NULL);
	return n < 0 ? n : (ssize_t)w->len;
}
