/*
** oom_score_adj of a world's task, as Linux's oom_score_adj_write and
** __set_oom_adj (fs/proc/base.c): the first PROC_NUMBUF - 1 bytes of the
** write, whitespace stripped, parsed as kstrtoint with base 0; a value
** outside [-1000, 1000] is EINVAL.  Going below the group's
** oom_score_adj_min needs CAP_SYS_RESOURCE (capable(): in the top user
** namespace), else EACCES; a writer holding it also moves the minimum to
** the new value.  The count reported is the clamped one.
**
** oom_adj, the legacy file, as oom_adj_write: the same first bytes as
** kstrtoint; a value outside [-16, 15] other than OOM_DISABLE (-17) is
** EINVAL; 15 becomes 1000, any other the value times 1000 over 17; going
** below the group's current oom_score_adj needs CAP_SYS_RESOURCE (EACCES),
** and the minimum stays where it is.
**
** oom_score then follows as proc_oom_score computes it from oom_badness
** (mm/oom_kill.c): the pages the task's mm holds (rss, swap entries, page
** tables) plus the adjustment in thousandths of the machine's memory,
** scaled into [0, 2000]; 0 for init, kernel threads, tasks without mm and
** an adjustment of -1000.
*/
#include "write/write.h"

#include <errno.h>
#include <string.h>

#include "record/arena.h"
#include "record/machine.h"
#include "write/kstrto.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define PF_KTHREAD 0x00200000u
#define PAGE_KB 4 /* 4096-byte pages */

struct oom_change {
	int adj;
	int legacy;           /* written as oom_adj */
	int privileged;       /* the writer holds CAP_SYS_RESOURCE in the top namespace */
	uint64_t totalpages;  /* MemTotal + SwapTotal, in pages */
};

/* totalram_pages() + total_swap_pages: the machine's MemTotal and
** SwapTotal (kB), in pages. */
static uint64_t total_pages(struct pl_source *src)
{
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_machine m;
	memset(&m, 0, sizeof m);
	uint64_t pages = 0;
	if (src->ops->load_machine && src->ops->load_machine(src, PL_M_MEMINFO, &a, &m) == 0)
		for (size_t i = 0; i < m.nmem; i++)
			if (!strcmp(m.mem[i].name, "MemTotal") || !strcmp(m.mem[i].name, "SwapTotal"))
				pages += m.mem[i].value / PAGE_KB;
	pl_arena_free(&a);
	return pages;
}

/* proc_oom_score of t.  The kernel's longs wrap where a world's counters
** would overflow them; so do these (unsigned, then read as signed). */
static uint32_t oom_score(const struct pl_task *t, uint64_t totalpages)
{
	if (t->tgid == 1 || t->kthread || (t->flags & PF_KTHREAD) || !t->has_mm ||
	    t->oom_score_adj == OOM_SCORE_ADJ_MIN || totalpages == 0 || totalpages > INT64_MAX)
		return 0; /* oom_badness is LONG_MIN (a machine has memory) */
	uint64_t points = t->mm.rss + t->mm.swap + t->mm.pte_kb / PAGE_KB;
	points += (uint64_t)(int64_t)t->oom_score_adj * (totalpages / 1000);
	int64_t scaled = (int64_t)(points * 1000) / (int64_t)totalpages;
	int64_t doubled = (int64_t)(((uint64_t)1000 + (uint64_t)scaled) * 2);
	return (uint32_t)(uint64_t)(doubled / 3);
}

static ssize_t set_adj(void *arg, struct pl_task *t)
{
	const struct oom_change *c = arg;
	int floor = c->legacy ? (int16_t)t->oom_score_adj : t->oom_score_adj_min;
	if ((c->legacy ? c->adj : (int16_t)c->adj) < floor && !c->privileged)
		return -EACCES;
	t->oom_score_adj = c->adj;
	if (c->privileged && !c->legacy)
		t->oom_score_adj_min = (int16_t)c->adj;
	t->oom_score = oom_score(t, c->totalpages);
	return 0;
}

ssize_t pl_write_oom_score_adj(const struct pl_write *w)
{
	int adj;
	long count = pl_proc_numbuf_int(w->buf, w->len, &adj);
	if (count < 0)
		return count;
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	/* decided before the update: fn runs under the source's lock */
	struct oom_change c = { adj, 0, pl_caller_capable(w->writer, PL_CAP_SYS_RESOURCE),
	                        total_pages(w->src) };
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_OOM | PL_F_STATUS | PL_F_STAT,
	                                set_adj, &c);
	return n < 0 ? n : (ssize_t)count;
}

#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15

ssize_t pl_write_oom_adj(const struct pl_write *w)
{
	int adj;
	long count = pl_proc_numbuf_int(w->buf, w->len, &adj);
	if (count < 0)
		return count;
	if ((adj < OOM_ADJUST_MIN || adj > OOM_ADJUST_MAX) && adj != OOM_DISABLE)
		return -EINVAL;
	/* the maximum stays attainable */
	adj = adj == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
	struct oom_change c = { adj, 1, pl_caller_capable(w->writer, PL_CAP_SYS_RESOURCE),
	                        total_pages(w->src) };
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_OOM | PL_F_STATUS | PL_F_STAT,
	                                set_adj, &c);
	return n < 0 ? n : (ssize_t)count;
}
