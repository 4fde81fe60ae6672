/*
** A pid view: a source that shows only some of another source's tasks (a
** process and its descendants, and/or those a Lua predicate selects) and
** renumbers them as a new pid namespace would: the subtree's root is 1, the
** others get 2, 3, ... in the order they are first seen, and keep their
** numbers while they live.  Every
** pid a file prints (stat, status, children, task/, self) is translated; a
** pid outside the view prints as 0, as Linux shows a parent outside the
** reader's namespace.
**
** The view is a decorator: formatters and the tree do not know it exists.
*/
#include "source/pidview.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pid_pair {
	pl_pid real, virt;
};

struct view {
	struct pl_source base;
	/* view_ops, less the ways of writing the inner source has not: the
	** tree tells a host's machine-wide files from a world's by them */
	struct pl_source_ops ops;
	struct pl_source *inner;
	pl_pid root;                /* real pid of the subtree's root, or 0 */
	pl_pidview_select_fn select;   /* or NULL */
	void *select_ctx;
	pthread_mutex_t lock;
	struct pid_pair *by_real;   /* sorted by real */
	struct pid_pair *by_virt;   /* sorted by virt */
	size_t n, cap;
	pl_pid next_virt;
};

static struct view *view_of(struct pl_source *s)
{
	return (struct view *)s;
}

static struct pid_pair *find(struct pid_pair *v, size_t n, pl_pid key, int by_virt)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		pl_pid x = by_virt ? v[mid].virt : v[mid].real;
		if (x == key)
			return &v[mid];
		if (x < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static pl_pid to_real(struct view *w, pl_pid virt)
{
	pthread_mutex_lock(&w->lock);
	struct pid_pair *p = find(w->by_virt, w->n, virt, 1);
	pl_pid r = p ? p->real : 0;
	pthread_mutex_unlock(&w->lock);
	return r;
}

static pl_pid to_virt_locked(struct view *w, pl_pid real)
{
	struct pid_pair *p = find(w->by_real, w->n, real, 0);
	return p ? p->virt : 0;
}

/* Insert p into v (n entries, room for one more), keeping it sorted. */
static void insert(struct pid_pair *v, size_t n, struct pid_pair p, int by_virt)
{
	pl_pid key = by_virt ? p.virt : p.real;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((by_virt ? v[mid].virt : v[mid].real) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(v + lo + 1, v + lo, (n - lo) * sizeof *v);
	v[lo] = p;
}

/* Give real a number if it has none (new numbers only grow). */
static int assign_locked(struct view *w, pl_pid real)
{
	if (find(w->by_real, w->n, real, 0))
		return 0;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct pid_pair *a = realloc(w->by_real, cap * sizeof *a);
		if (!a)
			return -ENOMEM;
		w->by_real = a;
		struct pid_pair *b = realloc(w->by_virt, cap * sizeof *b);
		if (!b)
			return -ENOMEM;
		w->by_virt = b;
		w->cap = cap;
	}
	struct pid_pair p = { real, real == w->root ? 1 : ++w->next_virt };
	insert(w->by_real, w->n, p, 0);
	insert(w->by_virt, w->n, p, 1);
	w->n++;
	return 0;
}

/* ---- membership: the root and whatever descends from it ---- */

struct scan {
	struct view *w;
	pl_pid *pids, *ppids;
	size_t n, cap;
	int err;
};

static int collect(void *arg, pl_pid pid)
{
	struct scan *sc = arg;
	struct pl_source *in = sc->w->inner;
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_task *t = calloc(1, sizeof *t);
	if (!t || in->ops->load(in, pid, 0, PL_F_STAT, &a, t) < 0) {
		free(t); /* gone meanwhile: not a member */
		pl_arena_free(&a);
		return 0;
	}
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 256;
		pl_pid *p = realloc(sc->pids, cap * sizeof *p), *q = p ? realloc(sc->ppids, cap * sizeof *q) : NULL;
		if (p)
			sc->pids = p;
		if (!p || !q) {
			sc->err = -ENOMEM;
			free(t);
			pl_arena_free(&a);
			return 1;
		}
		sc->ppids = q;
		sc->cap = cap;
	}
	sc->pids[sc->n] = pid;
	sc->ppids[sc->n++] = t->ppid;
	free(t);
	pl_arena_free(&a);
	return 0;
}

static pl_pid parent_in(const struct scan *sc, pl_pid pid)
{
	size_t lo = 0, hi = sc->n;
	while (lo < hi) { /* pids come ascending */
		size_t mid = (lo + hi) / 2;
		if (sc->pids[mid] == pid)
			return sc->ppids[mid];
		if (sc->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int descends(const struct scan *sc, pl_pid pid, pl_pid root)
{
	for (int depth = 0; pid > 0 && depth < 4096; depth++) {
		if (pid == root)
			return 1;
		pid = parent_in(sc, pid);
	}
	return 0;
}

static int known(struct view *w, pl_pid real)
{
	pthread_mutex_lock(&w->lock);
	int k = find(w->by_real, w->n, real, 0) != NULL;
	pthread_mutex_unlock(&w->lock);
	return k;
}

/*
** Find new members: in the root's subtree (when there is a root) and chosen
** by the select function (when there is one: asked once per task, when it
** is first seen, and never under the lock).  They get numbers in ascending
** real pid order.
*/
static int refresh(struct view *w)
{
	struct scan sc = { w, NULL, NULL, 0, 0, 0 };
	int rc = w->inner->ops->each_tgid(w->inner, 1, collect, &sc);
	if (rc == 0)
		rc = sc.err;
	size_t k = 0; /* new members are gathered in place at the front of pids */
	for (size_t i = 0; rc == 0 && i < sc.n; i++) {
		pl_pid p = sc.pids[i];
		if ((w->root && !descends(&sc, p, w->root)) || known(w, p))
			continue;
		if (w->select && !(p == w->root || w->select(w->select_ctx, p)))
			continue;
		sc.pids[k++] = p;
	}
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; rc == 0 && i < k; i++)
		rc = assign_locked(w, sc.pids[i]);
	pthread_mutex_unlock(&w->lock);
	free(sc.pids);
	free(sc.ppids);
	return rc;
}

/* ---- the source interface ---- */

static int view_each_tgid(struct pl_source *s, pl_pid from, pl_pid_cb cb, void *arg)
{
	struct view *w = view_of(s);
	int rc = refresh(w);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&w->lock);
	size_t n = w->n;
	struct pid_pair *copy = malloc((n ? n : 1) * sizeof *copy);
	if (copy)
		memcpy(copy, w->by_virt, n * sizeof *copy);
	pthread_mutex_unlock(&w->lock);
	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (copy[i].virt < from)
			continue;
		/* numbers of dead tasks and of threads stay assigned; list live leaders */
		if (w->inner->ops->task_exists(w->inner, copy[i].real, copy[i].real) < 0)
			continue;
		pl_pid tgid;
		if (w->inner->ops->tgid_of(w->inner, copy[i].real, &tgid) == 0 && tgid != copy[i].real)
			continue;
		if (cb(arg, copy[i].virt))
			break;
	}
	free(copy);
	return 0;
}

/* real pid of a view pid; a miss rescans once (the task may be new) */
static pl_pid resolve(struct view *w, pl_pid virt)
{
	pl_pid r = to_real(w, virt);
	if (!r && refresh(w) == 0)
		r = to_real(w, virt);
	return r;
}

static int view_task_exists(struct pl_source *s, pl_pid tgid, pl_pid tid)
{
	struct view *w = view_of(s);
	pl_pid rg = resolve(w, tgid), rt = tid == tgid ? rg : resolve(w, tid);
	if (!rg || !rt)
		return -ESRCH;
	return w->inner->ops->task_exists(w->inner, rg, rt);
}

static int view_tgid_of(struct pl_source *s, pl_pid tid, pl_pid *tgid)
{
	struct view *w = view_of(s);
	pl_pid real = resolve(w, tid), rg;
	if (!real)
		return -ESRCH;
	int rc = w->inner->ops->tgid_of(w->inner, real, &rg);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&w->lock);
	*tgid = to_virt_locked(w, rg);
	pthread_mutex_unlock(&w->lock);
	return *tgid ? 0 : -ESRCH;
}

/* A list of pids into view numbers, dropping those outside the view. */
static const pl_pid *map_list(struct view *w, const pl_pid *v, size_t *n, struct pl_arena *a,
                              int assign)
{
	pl_pid *out = pl_arena_alloc(a, (*n ? *n : 1) * sizeof *out);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (assign)
			assign_locked(w, v[i]);
		pl_pid x = to_virt_locked(w, v[i]);
		if (x)
			out[k++] = x;
	}
	*n = k;
	return out;
}

static void translate(struct view *w, struct pl_task *t, pl_pid vtgid, pl_pid vtid,
                      struct pl_arena *a)
{
	pthread_mutex_lock(&w->lock);
	t->tgid = vtgid;
	t->tid = vtid ? vtid : vtgid;
	t->ppid = to_virt_locked(w, t->ppid);
	t->pgrp = to_virt_locked(w, t->pgrp);
	t->session = to_virt_locked(w, t->session);
	if (t->tpgid > 0)
		t->tpgid = to_virt_locked(w, t->tpgid);
	t->tracer_pid = to_virt_locked(w, t->tracer_pid);
	t->ngid = to_virt_locked(w, t->ngid);
	/* the view is the reader's namespace: one level */
	t->ns_levels = 1;
	t->nstgid[0] = t->tgid;
	t->nspid[0] = t->tid;
	t->nspgid[0] = t->pgrp;
	t->nssid[0] = t->session;
	if (t->threads)
		t->threads = map_list(w, t->threads, &t->nthreads, a, 1);
	if (t->children)
		t->children = map_list(w, t->children, &t->nchildren, a, 0);
	if (t->ntimers) {
		/* whom each notifies, as the view numbers it (0: not in it) */
		struct pl_posix_timer *v = pl_arena_alloc(a, t->ntimers * sizeof *v);
		for (size_t i = 0; v && i < t->ntimers; i++) {
			v[i] = t->timers[i];
			v[i].pid = to_virt_locked(w, v[i].pid);
		}
		if (v)
			t->timers = v;
		else
			t->ntimers = 0;
	}
	pthread_mutex_unlock(&w->lock);
}

/* The inner source's (tgid, tid) of a task of the view (tid 0: the group). */
static int resolve_task(struct view *w, pl_pid tgid, pl_pid tid, pl_pid *rg, pl_pid *rt)
{
	*rg = resolve(w, tgid);
	*rt = tid ? resolve(w, tid) : 0;
	return !*rg || (tid && !*rt) ? -ESRCH : 0;
}

static int view_load(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t want,
                     struct pl_arena *a, struct pl_task *t)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	int rc = w->inner->ops->load(w->inner, rg, rt, want, a, t);
	if (rc == 0)
		translate(w, t, tgid, tid, a);
	return rc;
}

static int view_load_fdinfo(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
                            struct pl_arena *a, struct pl_fdinfo *fi)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return w->inner->ops->load_fdinfo(w->inner, rg, rt, fd, a, fi);
}

static int view_load_fd(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
                        struct pl_arena *a, struct pl_fd *out)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return pl_source_load_fd(w->inner, rg, rt, fd, a, out);
}

static int view_load_map_file(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t start,
                              uint64_t end, struct pl_arena *a, struct pl_map_file *out)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	if (!w->inner->ops->load_map_file)
		return -ENOSYS;
	return w->inner->ops->load_map_file(w->inner, rg, rt, start, end, a, out);
}

static int view_list_fds(struct pl_source *s, pl_pid tgid, pl_pid tid, struct pl_arena *a,
                         int32_t **out, size_t *n)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	if (w->inner->ops->list_fds)
		return w->inner->ops->list_fds(w->inner, rg, rt, a, out, n);
	struct pl_task t;
	memset(&t, 0, sizeof t);
	int rc = w->inner->ops->load(w->inner, rg, rt, PL_F_FDS, a, &t);
	if (rc < 0)
		return rc;
	int32_t *v = pl_arena_alloc(a, (t.nfds ? t.nfds : 1) * sizeof *v);
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < t.nfds; i++)
		v[i] = t.fds[i].fd;
	*out = v;
	*n = t.nfds;
	return 0;
}

static int view_stat_link(struct pl_source *s, pl_pid tgid, pl_pid tid, const char *link,
                          const char *target, struct pl_object *out)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (!w->inner->ops->stat_link)
		return -ENOSYS;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return w->inner->ops->stat_link(w->inner, rg, rt, link, target, out);
}

static ssize_t view_read_mem(struct pl_source *s, pl_pid tgid, uint64_t addr, void *buf, size_t len)
{
	struct view *w = view_of(s);
	pl_pid rg = resolve(w, tgid);
	return rg ? w->inner->ops->read_mem(w->inner, rg, addr, buf, len) : -ESRCH;
}

/* A pin of the inner source, which numbers it (see pl_pin). */
static int view_pin(struct pl_source *s, pl_pid tgid, pl_pid tid, int mm, struct pl_pin *out)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return pl_source_pin(w->inner, rg, rt, mm, out);
}

static int view_pin_check(struct pl_source *s, const struct pl_pin *p)
{
	return pl_source_pin_check(view_of(s)->inner, p);
}

static ssize_t view_read_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                                void *buf, size_t len)
{
	return pl_source_read_pinned(view_of(s)->inner, p, addr, buf, len);
}

static void view_unpin(struct pl_source *s, struct pl_pin *p)
{
	pl_source_unpin(view_of(s)->inner, p);
}

static ssize_t view_update(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t want,
                           pl_update_fn fn, void *arg)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (!w->inner->ops->update)
		return -EACCES;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return w->inner->ops->update(w->inner, rg, rt, want, fn, arg);
}

static ssize_t view_write_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                                 const void *buf, size_t len)
{
	return pl_source_write_pinned(view_of(s)->inner, p, addr, buf, len);
}

static int view_open_host_file(struct pl_source *s, const struct pl_pin *p, const char *name,
                               int flags, pl_open_fn how, void *arg)
{
	struct pl_source *in = view_of(s)->inner;
	return in->ops->open_host_file ? in->ops->open_host_file(in, p, name, flags, how, arg)
	                               : -EACCES;
}

/* The machine's settings are the inner source's: a view renumbers tasks only. */
static int view_load_sysctl(struct pl_source *s, int id, struct pl_arena *a, struct pl_sysctl *out)
{
	struct pl_source *in = view_of(s)->inner;
	return in->ops->load_sysctl ? in->ops->load_sysctl(in, id, a, out) : -ENOENT;
}

static ssize_t view_update_sysctl(struct pl_source *s, int id, pl_sysctl_update_fn fn, void *arg)
{
	struct pl_source *in = view_of(s)->inner;
	return in->ops->update_sysctl(in, id, fn, arg);
}

static int view_each_setting(struct pl_source *s, pl_setting_fn fn, void *arg)
{
	struct pl_source *in = view_of(s)->inner;
	return in->ops->each_setting(in, fn, arg);
}

static int view_load_setting(struct pl_source *s, const char *path, struct pl_arena *a,
                             struct pl_setting *out)
{
	struct pl_source *in = view_of(s)->inner;
	return in->ops->load_setting ? in->ops->load_setting(in, path, a, out) : -ENOENT;
}

static int view_setting_varies(struct pl_source *s, const char *path, unsigned mode)
{
	struct pl_source *in = view_of(s)->inner;
	return in->ops->setting_varies ? in->ops->setting_varies(in, path, mode) : 0;
}

static int view_setting_seen(struct pl_source *s, pl_pid tid, const char *path, unsigned *mode)
{
	struct view *w = view_of(s);
	*mode = 0;
	if (!w->inner->ops->setting_seen)
		return 1;
	pl_pid real = resolve(w, tid);
	return real ? w->inner->ops->setting_seen(w->inner, real, path, mode) : -ESRCH;
}

static int view_setting_list(struct pl_source *s, pl_pid tid, const char *dir,
                             void (*fn)(void *arg, const char *name, unsigned mode), void *arg)
{
	struct view *w = view_of(s);
	if (!w->inner->ops->setting_list)
		return 0;
	pl_pid real = resolve(w, tid);
	return real ? w->inner->ops->setting_list(w->inner, real, dir, fn, arg) : -ESRCH;
}

static int view_userns(struct pl_source *s, pl_pid tgid, pl_pid tid, struct pl_userns_chain *out)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return w->inner->ops->userns(w->inner, rg, rt, out);
}

static int view_boottime_offset(struct pl_source *s, pl_pid tid, int64_t *ns)
{
	struct view *w = view_of(s);
	*ns = 0;
	if (!w->inner->ops->boottime_offset)
		return 0;
	pl_pid real = resolve(w, tid);
	return real ? w->inner->ops->boottime_offset(w->inner, real, ns) : -ESRCH;
}

/*
** locks as a reader in the view's pid namespace sees them (fs/locks.c
** locks_translate_pid): a lock whose owner is outside is left out with the
** requests blocked on it; a blocked request of an owner outside shows pid
** 0; OFD locks (-1) and remote ones (below 1) print as they are.  The
** kernel's numbering, gaps and all, stays.
*/
static int view_locks(struct view *w, struct pl_arena *a, struct pl_machine *m)
{
	if (!m->nlocks)
		return 0;
	int rc = refresh(w);
	struct pl_file_lock *v = rc == 0 ? pl_arena_alloc(a, m->nlocks * sizeof *v) : NULL;
	if (!v)
		return rc < 0 ? rc : -ENOMEM;
	size_t n = 0;
	int hidden = 0;
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < m->nlocks; i++) {
		struct pl_file_lock l = m->locks[i];
		if (l.pid > 0)
			l.pid = to_virt_locked(w, l.pid);
		if (!l.depth)
			hidden = l.pid == 0;
		if (!hidden)
			v[n++] = l;
	}
	pthread_mutex_unlock(&w->lock);
	m->locks = v;
	m->nlocks = n;
	return 0;
}

static int view_load_machine(struct pl_source *s, unsigned want, struct pl_arena *a,
                             struct pl_machine *m)
{
	struct view *w = view_of(s);
	int rc = w->inner->ops->load_machine(w->inner, want, a, m);
	pthread_mutex_lock(&w->lock);
	if (m->last_pid)
		m->last_pid = w->next_virt; /* the view's newest pid */
	pthread_mutex_unlock(&w->lock);
	if (rc == 0 && (want & PL_M_LOCKS))
		rc = view_locks(w, a, m);
	return rc;
}

static int view_load_net(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, struct pl_arena *a,
                         struct pl_net *out)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (!w->inner->ops->load_net)
		return -ENOENT;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return w->inner->ops->load_net(w->inner, rg, rt, f, a, out);
}

static int view_stat_net(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, uint32_t *uid,
                         uint32_t *gid)
{
	struct view *w = view_of(s);
	pl_pid rg, rt;
	if (!w->inner->ops->stat_net)
		return -ENOENT;
	if (resolve_task(w, tgid, tid, &rg, &rt) < 0)
		return -ESRCH;
	return w->inner->ops->stat_net(w->inner, rg, rt, f, uid, gid);
}

static int view_map_host_pid(struct pl_source *s, pl_pid host, pl_pid *out)
{
	struct view *w = view_of(s);
	pthread_mutex_lock(&w->lock);
	*out = to_virt_locked(w, host);
	pthread_mutex_unlock(&w->lock);
	if (!*out && refresh(w) == 0) {
		pthread_mutex_lock(&w->lock);
		*out = to_virt_locked(w, host);
		pthread_mutex_unlock(&w->lock);
	}
	return *out ? 0 : -ESRCH;
}

/* The inner source announced a change: pass it on in the view's numbers
** (a task never numbered was never shown, so nothing of it is cached). */
static void view_changed(void *arg, pl_pid tgid, pl_pid tid)
{
	struct view *w = arg;
	pthread_mutex_lock(&w->lock);
	pl_pid vtgid = to_virt_locked(w, tgid), vtid = to_virt_locked(w, tid);
	pthread_mutex_unlock(&w->lock);
	if (vtgid && vtid)
		pl_source_announce(&w->base, vtgid, vtid);
}

static void view_destroy(struct pl_source *s)
{
	struct view *w = view_of(s);
	if (w->inner->changed == view_changed && w->inner->changed_arg == w)
		w->inner->changed = NULL;
	free(w->by_real);
	free(w->by_virt);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

static const struct pl_source_ops view_ops = {
	.name = "view",
	.each_tgid = view_each_tgid,
	.task_exists = view_task_exists,
	.tgid_of = view_tgid_of,
	.load = view_load,
	.load_fdinfo = view_load_fdinfo,
	.stat_link = view_stat_link,
	.list_fds = view_list_fds,
	.load_fd = view_load_fd,
	.load_map_file = view_load_map_file,
	.read_mem = view_read_mem,
	.pin = view_pin,
	.pin_check = view_pin_check,
	.read_pinned = view_read_pinned,
	.unpin = view_unpin,
	.update = view_update,
	.write_pinned = view_write_pinned,
	.open_host_file = view_open_host_file,
	.userns = view_userns,
	.boottime_offset = view_boottime_offset,
	.load_machine = view_load_machine,
	.load_sysctl = view_load_sysctl,
	.update_sysctl = view_update_sysctl,
	.each_setting = view_each_setting,
	.load_setting = view_load_setting,
	.setting_varies = view_setting_varies,
	.setting_seen = view_setting_seen,
	.setting_list = view_setting_list,
	.load_net = view_load_net,
	.stat_net = view_stat_net,
	.map_host_pid = view_map_host_pid,
	.destroy = view_destroy,
};

struct pl_source *pl_pidview_new(struct pl_source *inner, pl_pid root,
                                     pl_pidview_select_fn select, void *select_ctx)
{
	struct view *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->ops = view_ops;
	if (!inner->ops->open_host_file)
		w->ops.open_host_file = NULL;
	if (!inner->ops->update_sysctl)
		w->ops.update_sysctl = NULL;
	if (!inner->ops->each_setting)
		w->ops.each_setting = NULL;
	w->base.ops = &w->ops;
	w->inner = inner;
	w->root = root;
	w->select = select;
	w->select_ctx = select_ctx;
	w->next_virt = root ? 1 : 0; /* with a root, 1 is the root's */
	pthread_mutex_init(&w->lock, NULL);
	if (inner->announces_changes) { /* numbers, once given, are kept */
		w->base.announces_changes = 1;
		inner->changed = view_changed;
		inner->changed_arg = w;
	}
	return &w->base;
}
