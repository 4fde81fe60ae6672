/*
** loginuid of a world's task, as Linux's proc_loginuid_write
** (fs/proc/base.c) and audit_set_loginuid (kernel/audit.c):
**
**   - only the task itself may write it (current is the task the file
**     names): anyone else gets EPERM;
**   - only at offset 0 (EINVAL), as kstrtou32_from_user with base 10 reads
**     the first 34 bytes;
**   - 4294967295 unsets it; any other value is a uid as the opener's user
**     namespace names it, EINVAL where that does not map it;
**   - a task whose loginuid is set needs CAP_AUDIT_CONTROL to change it
**     (EPERM) (the audit features that forbid more are off by default);
**   - a loginuid set starts a new session: the next session id of the
**     machine's counter (one past the highest any task holds, and any this
**     daemon gave out); unset, the session is unset too.
**
** Both stay with the thread (Linux keeps them in the task_struct).
*/
#include "write/write.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "record/arena.h"
#include "write/kstrto.h"

#define AUDIT_UNSET UINT32_MAX
#define CAP_AUDIT_CONTROL 30

/* A uid as the opener's namespace names it, as the top names it; unmapped:
** AUDIT_UNSET. */
static uint32_t make_kuid(struct pl_caller *opener, uint32_t uid)
{
	struct pl_idview *v = malloc(sizeof *v);
	if (!v)
		return AUDIT_UNSET;
	uint32_t k = uid;
	if (pl_caller_idview(opener, v)) {
		k = AUDIT_UNSET;
		for (size_t i = 0; i < v->nuid; i++)
			if (uid >= v->uid[i].first && uid - v->uid[i].first < v->uid[i].count)
				k = v->uid[i].lower_first + (uid - v->uid[i].first);
	}
	free(v);
	return k;
}

/* The highest session id a task of the source holds, and the ids this
** daemon handed out: the machine's counter as far as it can be seen. */
static _Atomic uint32_t handed_out;

struct scan {
	struct pl_source *src;
	struct pl_arena a;
	struct pl_task *t;
	uint32_t max;
};

static void take(struct scan *s, uint32_t id)
{
	if (id != AUDIT_UNSET && id > s->max)
		s->max = id;
}

static int scan_group(void *arg, pl_pid tgid)
{
	struct scan *s = arg;
	memset(s->t, 0, sizeof *s->t);
	pl_arena_reset(&s->a);
	if (s->src->ops->load(s->src, tgid, 0, PL_F_AUDIT | PL_F_THREADS, &s->a, s->t) < 0)
		return 0;
	take(s, s->t->sessionid);
	size_t n = s->t->nthreads;
	pl_pid *tids = malloc((n ? n : 1) * sizeof *tids);
	if (!tids)
		return 0;
	memcpy(tids, s->t->threads, n * sizeof *tids);
	for (size_t i = 0; i < n; i++) {
		memset(s->t, 0, sizeof *s->t);
		if (s->src->ops->load(s->src, tgid, tids[i], PL_F_AUDIT, &s->a, s->t) == 0)
			take(s, s->t->sessionid);
	}
	free(tids);
	return 0;
}

static uint32_t next_session(struct pl_source *src)
{
	struct scan s = { src, PL_ARENA_INIT, calloc(1, sizeof(struct pl_task)), 0 };
	if (s.t)
		src->ops->each_tgid(src, 1, scan_group, &s);
	free(s.t);
	pl_arena_free(&s.a);
	uint32_t was = atomic_load(&handed_out), next;
	do {
		next = (was > s.max ? was : s.max) + 1;
		if (next == AUDIT_UNSET) /* the counter never names "unset" */
			next++;
	} while (!atomic_compare_exchange_weak(&handed_out, &was, next));
	return next;
}

struct login {
	uint32_t loginuid, sessionid;
	int privileged;       /* the writer holds CAP_AUDIT_CONTROL in the top namespace */
};

static ssize_t set_loginuid(void *arg, struct pl_task *t)
{
	const struct login *l = arg;
	if (t->loginuid != AUDIT_UNSET && !l->privileged)
		return -EPERM;
	t->loginuid = l->loginuid;
	t->sessionid = l->sessionid;
	return 0;
}

ssize_t pl_write_loginuid(const struct pl_write *w)
{
	pl_pid task = w->tid ? w->tid : w->tgid;
	if (!w->writer_tgid || w->writer_tgid != w->tgid || w->writer_tid != task)
		return -EPERM;
	if (w->off != 0)
		return -EINVAL; /* no partial writes */
	unsigned v;
	int rc = pl_kstrtouint_from_user(w->buf, w->len, 10, &v);
	if (rc < 0)
		return rc;
	struct login l = { AUDIT_UNSET, AUDIT_UNSET,
	                   pl_caller_capable(w->writer, CAP_AUDIT_CONTROL) };
	if (v != AUDIT_UNSET && (l.loginuid = make_kuid(w->opener, v)) == AUDIT_UNSET)
		return -EINVAL;
	/* decided before the update, which runs under the source's lock */
	struct pl_task *now = calloc(1, sizeof *now);
	struct pl_arena a = PL_ARENA_INIT;
	rc = now ? w->src->ops->load(w->src, w->tgid, w->tid, PL_F_AUDIT, &a, now) : -ENOMEM;
	int may = rc == 0 && (now->loginuid == AUDIT_UNSET || l.privileged);
	free(now);
	pl_arena_free(&a);
	if (rc < 0)
		return rc;
	if (!may)
		return -EPERM;
	if (l.loginuid != AUDIT_UNSET)
		l.sessionid = next_session(w->src);
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_AUDIT, set_loginuid, &l);
	return n < 0 ? n : (ssize_t)w->len;
}
