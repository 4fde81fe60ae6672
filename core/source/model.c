/*
** The model source: tasks a world declared.  Records are kept sorted by
** tid; a load unpacks the record (its lists point into the model's arena,
** which lives as long as the model).  A rwlock lets a world change while
** mounted: zombify and vanish take it for writing.
**
** A struct pl_task is about 3 KB, most of it the same from task to task
** (limits, bitmaps, namespace ids, counters left at their defaults), and a
** world may hold 100,000 tasks.  So a finished record is kept packed: the
** 8-byte words in which it differs from the world's first record (the
** base), with a bitmap saying which.  A task of a generated world packs to
** a few hundred bytes; unpacking is a 3 KB copy and a few stores, which a
** load would copy anyway.  Records are written while their group is
** being declared (pl_model_add), and packed when the next group starts.
*/
#include "source/model.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define REC_WORDS (sizeof(struct pl_task) / 8)
#define MASK_WORDS ((REC_WORDS + 63) / 64)
_Static_assert(sizeof(struct pl_task) % 8 == 0, "a record is whole words");

/* A record as the words that differ from the base, in word order. */
struct packed {
	uint64_t mask[MASK_WORDS];
	uint64_t w[];
};

struct model_task {
	pl_pid tgid, tid, ppid;
	unsigned char gone;        /* reaped: no longer visible */
	unsigned char has_mm;
	const struct packed *rec;
	const struct packed *group; /* leader only: /proc/<tgid>/ view, if it differs */
	/* Lists the model indexes at seal, outside the packed record. */
	const pl_pid *threads, *children;
	uint32_t nthreads, nchildren;
	struct pl_model_fdinfo *fdinfo;
	size_t nfdinfo;
	/* While the task's group is being declared: the record being written. */
	struct pl_task *open, *open_group;
};

struct model_space {
	pl_pid tgid;
	struct pl_aspace as;
};

/* A user namespace whose maps or setgroups were written while mounted: it
** holds them for every task in it, whatever the tasks' records declared. */
struct model_userns {
	uint64_t ino;
	const struct pl_idmap_extent *uid_map, *gid_map;
	size_t nuid_map, ngid_map;
	int setgroups_allowed;
	const struct pl_idmap_extent *projid_map;
	size_t nprojid_map;
};

/* A time namespace whose offsets a world declared or a write set: what
** every task whose namespace for children it is shows. */
struct model_timens {
	uint64_t ino;
	struct pl_timens_offset off[PL_TIMENS_COUNT];
	int frozen;                /* a task entered it (its ns/time): for good */
};

/* A network namespace a world declared: its net/ files' records. */
struct model_netns {
	uint64_t ino;              /* 0: every namespace not declared by its inode */
	struct pl_net net;
};

struct pl_model {
	struct pl_source base;
	struct model_task **tasks; /* sorted by tid once sealed */
	size_t n, cap;
	size_t open_from;          /* tasks[open_from..n) are still open */
	const struct pl_task *base_rec; /* what packed records differ from */
	struct model_space *spaces;
	size_t nspaces, spaces_cap;
	struct model_userns *userns; /* written namespaces, few */
	size_t nuserns;
	struct model_netns *netns; /* declared network namespaces, few */
	size_t nnetns;
	struct model_timens *timens; /* time namespaces with offsets, few */
	size_t ntimens;
	struct pl_arena arena;
	struct pl_machine machine;
	pthread_rwlock_t lock;
	int sealed;
	struct timespec born;      /* when it was made: where rates count from */
};

static struct pl_model *model(struct pl_source *s)
{
	return (struct pl_model *)s;
}

static const struct packed *pack(struct pl_model *m, const struct pl_task *t)
{
	if (!m->base_rec) {
		struct pl_task *b = pl_arena_alloc(&m->arena, sizeof *b);
		if (!b)
			return NULL;
		*b = *t;
		m->base_rec = b;
	}
	const char *x = (const char *)t, *y = (const char *)m->base_rec;
	uint64_t mask[MASK_WORDS] = { 0 };
	size_t n = 0;
	for (size_t i = 0; i < REC_WORDS; i++)
		if (memcmp(x + 8 * i, y + 8 * i, 8) != 0) {
			mask[i / 64] |= 1ull << (i % 64);
			n++;
		}
	struct packed *p = pl_arena_alloc(&m->arena, sizeof *p + n * 8);
	if (!p)
		return NULL;
	memcpy(p->mask, mask, sizeof mask);
	for (size_t i = 0, k = 0; i < REC_WORDS; i++)
		if (mask[i / 64] >> (i % 64) & 1)
			memcpy(&p->w[k++], x + 8 * i, 8);
	return p;
}

static void unpack(const struct pl_model *m, const struct packed *p, struct pl_task *t)
{
	*t = *m->base_rec;
	char *x = (char *)t;
	size_t k = 0;
	for (size_t j = 0; j < MASK_WORDS; j++)
		for (uint64_t bits = p->mask[j]; bits; bits &= bits - 1)
			memcpy(x + 8 * (64 * j + (size_t)__builtin_ctzll(bits)), &p->w[k++], 8);
}

/* The group being declared is complete: pack its records, free the drafts. */
static int pack_open(struct pl_model *m)
{
	for (size_t i = m->open_from; i < m->n; i++) {
		struct model_task *mt = m->tasks[i];
		if (!(mt->rec = pack(m, mt->open)))
			return -ENOMEM;
		if (mt->open_group && !(mt->group = pack(m, mt->open_group)))
			return -ENOMEM;
		mt->ppid = mt->open->ppid;
		mt->has_mm = mt->open->has_mm != 0;
		free(mt->open);
		free(mt->open_group);
		mt->open = mt->open_group = NULL;
	}
	m->open_from = m->n;
	return 0;
}

static struct model_task *find(const struct pl_model *m, pl_pid tid)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		pl_pid x = m->tasks[mid]->tid;
		if (x == tid)
			return m->tasks[mid]->gone ? NULL : m->tasks[mid];
		if (x < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The record of tid in group tgid; tid 0 names the group (its leader). */
static struct model_task *find_in(const struct pl_model *m, pl_pid tgid, pl_pid tid)
{
	struct model_task *mt = find(m, tid ? tid : tgid);
	return mt && mt->tgid == tgid ? mt : NULL;
}

static int model_each_tgid(struct pl_source *s, pl_pid from, pl_pid_cb cb, void *arg)
{
	struct pl_model *m = model(s);
	pthread_rwlock_rdlock(&m->lock);
	for (size_t i = 0; i < m->n; i++) {
		const struct model_task *mt = m->tasks[i];
		if (!mt->gone && mt->tid == mt->tgid && mt->tgid >= from && cb(arg, mt->tgid))
			break;
	}
	pthread_rwlock_unlock(&m->lock);
	return 0;
}

static int model_task_exists(struct pl_source *s, pl_pid tgid, pl_pid tid)
{
	struct pl_model *m = model(s);
	pthread_rwlock_rdlock(&m->lock);
	int rc = find_in(m, tgid, tid) ? 0 : -ESRCH;
	/* /proc/<tid> of a non-leader resolves too, as on Linux */
	if (rc && tid == tgid && find(m, tid))
		rc = 0;
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

static int model_tgid_of(struct pl_source *s, pl_pid tid, pl_pid *tgid)
{
	struct pl_model *m = model(s);
	pthread_rwlock_rdlock(&m->lock);
	struct model_task *mt = find(m, tid);
	if (mt)
		*tgid = mt->tgid;
	pthread_rwlock_unlock(&m->lock);
	return mt ? 0 : -ESRCH;
}

static struct model_userns *userns_of(const struct pl_model *m, uint64_t ino)
{
	for (size_t i = 0; i < m->nuserns; i++)
		if (m->userns[i].ino == ino)
			return &m->userns[i];
	return NULL;
}

static struct model_timens *timens_of(const struct pl_model *m, uint64_t ino)
{
	for (size_t i = 0; i < m->ntimens; i++)
		if (m->timens[i].ino == ino)
			return &m->timens[i];
	return NULL;
}

/* The offsets of t's time namespace for children (0 0 unless declared or
** written); none without one (a zombie's nsproxy is gone). */
static void show_timens(const struct pl_model *m, struct pl_task *t)
{
	uint64_t ino = t->ns_ino[PL_NS_TIME_FOR_CHILDREN];
	const struct model_timens *n = timens_of(m, ino);
	t->timens_none = ino == 0;
	if (n)
		memcpy(t->timens, n->off, sizeof t->timens);
	else
		memset(t->timens, 0, sizeof t->timens);
}

/* The record task (tgid, tid) shows, with what was written since. */
static struct model_task *unpack_task(const struct pl_model *m, pl_pid tgid, pl_pid tid,
                                      struct pl_task *t)
{
	struct model_task *mt = find_in(m, tgid, tid);
	if (!mt && tid == 0) /* /proc/<tid> of a thread shows that thread */
		mt = find(m, tgid);
	if (!mt)
		return NULL;
	unpack(m, tid == 0 && mt->group ? mt->group : mt->rec, t);
	const struct model_userns *u = m->nuserns ? userns_of(m, t->ns_ino[PL_NS_USER]) : NULL;
	if (u) {
		t->uid_map = u->uid_map;
		t->nuid_map = u->nuid_map;
		t->gid_map = u->gid_map;
		t->ngid_map = u->ngid_map;
		t->setgroups_allowed = u->setgroups_allowed;
		t->projid_map = u->projid_map;
		t->nprojid_map = u->nprojid_map;
	}
	show_timens(m, t);
	return mt;
}

/* Seconds since the world was made, in hundredths (its rates' clock). */
static uint64_t age_cs(const struct pl_model *m)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t cs = (int64_t)(now.tv_sec - m->born.tv_sec) * 100 +
	             (now.tv_nsec - m->born.tv_nsec) / 10000000;
	return cs > 0 ? (uint64_t)cs : 0;
}

/* What a rate of r a second has added after cs hundredths of a second. */
static uint64_t gained(uint64_t r, uint64_t cs)
{
	return r * (cs / 100) + r * (cs % 100) / 100;
}

/* The counters a task's rates move, as they stand now. */
static void apply_rates(const struct pl_model *m, struct pl_task *t)
{
	const struct pl_rates *r = t->rates;
	uint64_t cs = age_cs(m);
	t->utime += gained(r->utime, cs);
	t->stime += gained(r->stime, cs);
	t->minflt += gained(r->minflt, cs);
	t->majflt += gained(r->majflt, cs);
	t->nvcsw += gained(r->nvcsw, cs);
	t->nivcsw += gained(r->nivcsw, cs);
	t->io_rchar += gained(r->io_rchar, cs);
	t->io_wchar += gained(r->io_wchar, cs);
	t->io_syscr += gained(r->io_syscr, cs);
	t->io_syscw += gained(r->io_syscw, cs);
	t->io_read_bytes += gained(r->io_read_bytes, cs);
	t->io_write_bytes += gained(r->io_write_bytes, cs);
}

static int model_load(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t want,
                      struct pl_arena *a, struct pl_task *t)
{
	(void)a;
	struct pl_model *m = model(s);
	pthread_rwlock_rdlock(&m->lock);
	struct model_task *mt = unpack_task(m, tgid, tid, t);
	if (mt) {
		int group_view = tid == 0 && mt->group;
		t->have = want;
		t->threads = mt->threads;
		t->nthreads = mt->nthreads;
		t->children = mt->children;
		t->nchildren = mt->nchildren;
		/* stat's wchan flag: a whole group of several threads shows 0 */
		if (!group_view && tid == 0 && t->num_threads > 1)
			t->wchan_flag = 0;
		if (t->rates && t->state != 'Z' && t->state != 'X')
			apply_rates(m, t);
	}
	pthread_rwlock_unlock(&m->lock);
	return mt ? 0 : -ESRCH;
}

static int model_load_fdinfo(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
                             struct pl_arena *a, struct pl_fdinfo *fi)
{
	(void)a;
	struct pl_model *m = model(s);
	int rc = -ENOENT;
	pthread_rwlock_rdlock(&m->lock);
	struct model_task *mt = find_in(m, tgid, tid);
	if (!mt)
		rc = -ESRCH;
	for (size_t i = 0; mt && i < mt->nfdinfo; i++)
		if (mt->fdinfo[i].fd == fd) {
			*fi = mt->fdinfo[i].info;
			rc = 0;
		}
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

/* Sorted by tgid once sealed.  While a world is built, a group is declared
** in one go (pl_model_add), so the space asked for is the newest or a new
** one: looking further back would make building quadratic.  (A tgid
** declared twice gets two spaces; sealing refuses the world.) */
static struct model_space *space_of(struct pl_model *m, pl_pid tgid)
{
	if (m->sealed) {
		size_t lo = 0, hi = m->nspaces;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (m->spaces[mid].tgid == tgid)
				return &m->spaces[mid];
			if (m->spaces[mid].tgid < tgid)
				lo = mid + 1;
			else
				hi = mid;
		}
		return NULL;
	}
	if (m->nspaces && m->spaces[m->nspaces - 1].tgid == tgid)
		return &m->spaces[m->nspaces - 1];
	return NULL;
}

static int cmp_space(const void *a, const void *b)
{
	pl_pid x = ((const struct model_space *)a)->tgid, y = ((const struct model_space *)b)->tgid;
	return (x > y) - (x < y);
}

static ssize_t model_read_mem(struct pl_source *s, pl_pid tgid, uint64_t addr,
                              void *buf, size_t len)
{
	struct pl_model *m = model(s);
	ssize_t rc;
	pthread_rwlock_rdlock(&m->lock);
	struct model_task *mt = find_in(m, tgid, 0);
	struct model_space *sp = mt ? space_of(m, tgid) : NULL;
	if (!mt)
		rc = -ESRCH;
	else if (!mt->has_mm)
		rc = 0;
	else if (!sp)
		rc = len ? -EFAULT : 0;
	else
		rc = pl_aspace_read(&sp->as, addr, buf, len);
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

static int model_pages_present(struct pl_source *s, pl_pid tgid, uint64_t addr, size_t n,
                               uint64_t page_size, uint8_t *present)
{
	struct pl_model *m = model(s);
	int rc = 0;
	pthread_rwlock_rdlock(&m->lock);
	struct model_task *mt = find_in(m, tgid, 0);
	struct model_space *sp = mt && mt->has_mm ? space_of(m, tgid) : NULL;
	if (!mt)
		rc = -ESRCH;
	for (size_t i = 0; i < n; i++)
		present[i] = sp && pl_aspace_holds_any(&sp->as, addr + i * page_size, page_size);
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

/* A world task's namespace: the one its ns.user names, owned by its euid
** and a child of the top unless it is the top. */
static int model_userns(struct pl_source *s, pl_pid tgid, pl_pid tid, struct pl_userns_chain *out)
{
	struct pl_task t;
	int rc = model_load(s, tgid, tid, PL_F_NS | PL_F_STATUS, NULL, &t);
	if (rc == 0)
		pl_userns_declared(t.ns_ino[PL_NS_USER], t.cred.uid[1], out);
	return rc;
}

/* The boot clock of the task's time namespace: its declared (or written)
** offset; the world's facts are its initial namespace's. */
static int model_boottime_offset(struct pl_source *s, pl_pid tid, int64_t *ns)
{
	struct pl_model *m = model(s);
	struct pl_task t;
	pl_pid tgid;
	*ns = 0;
	int rc = s->ops->tgid_of(s, tid, &tgid);
	if (rc == 0)
		rc = model_load(s, tgid, tid, PL_F_NS, NULL, &t);
	if (rc < 0)
		return rc;
	pthread_rwlock_rdlock(&m->lock);
	const struct model_timens *n = t.ns_ino[PL_NS_TIME] ? timens_of(m, t.ns_ino[PL_NS_TIME]) : NULL;
	if (n) { /* the kernel takes |sec| up to KTIME_SEC_MAX: keep it in range */
		int64_t sec = n->off[PL_TIMENS_BOOTTIME].sec;
		sec = sec > 9000000000 ? 9000000000 : sec < -9000000000 ? -9000000000 : sec;
		*ns = sec * 1000000000 + n->off[PL_TIMENS_BOOTTIME].nsec;
	}
	pthread_rwlock_unlock(&m->lock);
	return 0;
}

/* ------------------------------------------------------------------------
** writes
*/

/* Copy n extents into the model's arena (NULL for none). */
static const struct pl_idmap_extent *keep_extents(struct pl_model *m,
                                                  const struct pl_idmap_extent *e, size_t n,
                                                  int *failed)
{
	if (!n)
		return NULL;
	struct pl_idmap_extent *v = pl_arena_alloc(&m->arena, n * sizeof *v);
	if (!v) {
		*failed = 1;
		return NULL;
	}
	memcpy(v, e, n * sizeof *v);
	return v;
}

/* The id maps and setgroups of t's namespace, as t now says. */
static int keep_userns(struct pl_model *m, const struct pl_task *t)
{
	struct model_userns *u = userns_of(m, t->ns_ino[PL_NS_USER]);
	if (!u) {
		struct model_userns *v = realloc(m->userns, (m->nuserns + 1) * sizeof *v);
		if (!v)
			return -ENOMEM;
		m->userns = v;
		u = &v[m->nuserns++];
		u->ino = t->ns_ino[PL_NS_USER];
	}
	int failed = 0;
	struct model_userns n = *u;
	n.uid_map = keep_extents(m, t->uid_map, t->nuid_map, &failed);
	n.gid_map = keep_extents(m, t->gid_map, t->ngid_map, &failed);
	n.projid_map = keep_extents(m, t->projid_map, t->nprojid_map, &failed);
	if (failed)
		return -ENOMEM;
	n.nuid_map = t->nuid_map;
	n.ngid_map = t->ngid_map;
	n.nprojid_map = t->nprojid_map;
	n.setgroups_allowed = t->setgroups_allowed;
	*u = n;
	return 0;
}

/* Time namespace ino's entry, made (0 0, not frozen) if it has none. */
static struct model_timens *timens_entry(struct pl_model *m, uint64_t ino)
{
	struct model_timens *n = timens_of(m, ino);
	if (n)
		return n;
	struct model_timens *v = realloc(m->timens, (m->ntimens + 1) * sizeof *v);
	if (!v)
		return NULL;
	m->timens = v;
	n = &v[m->ntimens++];
	memset(n, 0, sizeof *n);
	n->ino = ino;
	return n;
}

/* The offsets of t's time namespace for children, as t now says. */
static int keep_timens(struct pl_model *m, const struct pl_task *t)
{
	struct model_timens *n = timens_entry(m, t->ns_ino[PL_NS_TIME_FOR_CHILDREN]);
	if (!n)
		return -ENOMEM;
	memcpy(n->off, t->timens, sizeof n->off);
	return 0;
}

/* Whether time namespace ino is frozen: the initial one always is, another
** once a task has entered it (timens_commit at fork or setns), which a
** world's task whose ns/time it was at the seal did. */
static int timens_frozen(const struct pl_model *m, uint64_t ino)
{
	const struct model_timens *n = timens_of(m, ino);
	return ino == PL_TIMENS_INIT_INO || (n && n->frozen);
}

/* At the seal: every namespace a task of the world is in is frozen. */
static int freeze_entered_timens(struct pl_model *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct pl_task t;
		unpack(m, m->tasks[i]->rec, &t);
		uint64_t ino = t.ns_ino[PL_NS_TIME];
		if (ino && ino != PL_TIMENS_INIT_INO) {
			struct model_timens *n = timens_entry(m, ino);
			if (!n)
				return -ENOMEM;
			n->frozen = 1;
		}
	}
	return 0;
}

/* Replace a packed record by itself with `set` applied. */
static int repack(struct pl_model *m, const struct packed **rec,
                  void (*set)(struct pl_task *t, const struct pl_task *from),
                  const struct pl_task *from)
{
	struct pl_task t;
	unpack(m, *rec, &t);
	set(&t, from);
	const struct packed *p = pack(m, &t);
	if (!p)
		return -ENOMEM;
	*rec = p; /* the old one stays in the arena: writes are few */
	return 0;
}

static void set_oom(struct pl_task *t, const struct pl_task *from)
{
	t->oom_score = from->oom_score;
	t->oom_score_adj = from->oom_score_adj;
	t->oom_score_adj_min = from->oom_score_adj_min;
	t->coredump_filter = from->coredump_filter;
	t->mm.hiwater_rss = from->mm.hiwater_rss; /* clear_refs 5 */
}

static void set_comm(struct pl_task *t, const struct pl_task *from)
{
	memcpy(t->comm, from->comm, sizeof t->comm);
}

/* What Linux keeps in the task_struct: each thread its own. */
static void set_thread_own(struct pl_task *t, const struct pl_task *from)
{
	t->loginuid = from->loginuid;
	t->sessionid = from->sessionid;
	t->timerslack_ns = from->timerslack_ns;
}

static int thread_own_changed(const struct pl_task *a, const struct pl_task *b)
{
	return a->loginuid != b->loginuid || a->sessionid != b->sessionid ||
	       a->timerslack_ns != b->timerslack_ns;
}

static void set_autogroup_nice(struct pl_task *t, const struct pl_task *from)
{
	t->autogroup_nice = from->autogroup_nice;
}

/* An autogroup's nice: every record of that group shows it. */
static int keep_autogroup_nice(struct pl_model *m, const struct pl_task *now)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		struct model_task *x = m->tasks[i];
		struct pl_task t;
		if (x->gone)
			continue;
		unpack(m, x->rec, &t);
		if (t.autogroup_id == now->autogroup_id)
			rc = repack(m, &x->rec, set_autogroup_nice, now);
		if (rc == 0 && x->group) {
			unpack(m, x->group, &t);
			if (t.autogroup_id == now->autogroup_id)
				rc = repack(m, &x->group, set_autogroup_nice, now);
		}
	}
	return rc;
}

static int oom_changed(const struct pl_task *a, const struct pl_task *b)
{
	return a->oom_score != b->oom_score || a->oom_score_adj != b->oom_score_adj ||
	       a->oom_score_adj_min != b->oom_score_adj_min ||
	       a->coredump_filter != b->coredump_filter || a->mm.hiwater_rss != b->mm.hiwater_rss;
}

static int idmap_changed(const struct pl_task *a, const struct pl_task *b)
{
	return a->uid_map != b->uid_map || a->nuid_map != b->nuid_map ||
	       a->gid_map != b->gid_map || a->ngid_map != b->ngid_map ||
	       a->setgroups_allowed != b->setgroups_allowed ||
	       a->projid_map != b->projid_map || a->nprojid_map != b->nprojid_map;
}

/* Keep what changed from `was` to `now` where Linux keeps it. */
static int commit(struct pl_model *m, struct model_task *mt, pl_pid tid,
                  const struct pl_task *was, const struct pl_task *now)
{
	int rc = 0;
	if (idmap_changed(was, now))
		rc = keep_userns(m, now);
	if (rc == 0 && memcmp(was->timens, now->timens, sizeof was->timens) != 0)
		rc = keep_timens(m, now);
	if (rc == 0 && oom_changed(was, now)) /* the signal struct and mm: the group's */
		for (size_t i = 0; rc == 0 && i < m->n; i++) {
			struct model_task *x = m->tasks[i];
			if (x->tgid != mt->tgid || x->gone)
				continue;
			rc = repack(m, &x->rec, set_oom, now);
			if (rc == 0 && x->group)
				rc = repack(m, &x->group, set_oom, now);
		}
	if (rc == 0 && thread_own_changed(was, now)) {
		rc = repack(m, &mt->rec, set_thread_own, now);
		if (rc == 0 && mt->group && (tid == 0 || tid == mt->tgid))
			rc = repack(m, &mt->group, set_thread_own, now);
	}
	if (rc == 0 && now->autogroup_id && was->autogroup_nice != now->autogroup_nice)
		rc = keep_autogroup_nice(m, now);
	if (rc == 0 && memcmp(was->comm, now->comm, sizeof was->comm) != 0) {
		/* the thread's; the group's view shows its leader's */
		rc = repack(m, &mt->rec, set_comm, now);
		if (rc == 0 && mt->group && (tid == 0 || tid == mt->tgid))
			rc = repack(m, &mt->group, set_comm, now);
	}
	return rc;
}

static ssize_t model_update(struct pl_source *s, pl_pid tgid, pl_pid tid, uint64_t want,
                            pl_update_fn fn, void *arg)
{
	struct pl_model *m = model(s);
	struct pl_task *was = malloc(2 * sizeof *was), *now = was + 1;
	if (!was)
		return -ENOMEM;
	pthread_rwlock_wrlock(&m->lock);
	ssize_t rc = -ESRCH;
	struct model_task *mt = unpack_task(m, tgid, tid, was);
	if (mt) {
		was->have = want;
		if (want & PL_F_TIMENS)
			was->timens_frozen = timens_frozen(m, was->ns_ino[PL_NS_TIME_FOR_CHILDREN]);
		*now = *was;
		rc = fn(arg, now);
		if (rc >= 0) {
			int kept = commit(m, mt, tid, was, now);
			if (kept < 0)
				rc = kept;
		}
	}
	pthread_rwlock_unlock(&m->lock);
	free(was);
	return rc;
}

/* mem: like access_remote_vm with FOLL_FORCE, into what is mapped only. */
static ssize_t model_write_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                                  const void *buf, size_t len)
{
	struct pl_model *m = model(s);
	ssize_t rc;
	pthread_rwlock_wrlock(&m->lock);
	struct model_task *mt = find_in(m, p->tgid, 0);
	struct model_space *sp = mt ? space_of(m, p->tgid) : NULL;
	if (!mt || !mt->has_mm)
		rc = 0; /* its mm is gone */
	else if (!sp)
		rc = len ? -EFAULT : 0;
	else
		rc = pl_aspace_poke(&sp->as, addr, buf, len);
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

/* A world whose clock runs: uptime, idle and the cpu lines of stat as
** they stand now (the lines copied into the request's arena). */
static int run_clock(const struct pl_model *m, struct pl_arena *a, struct pl_machine *out)
{
	uint64_t cs = age_cs(m);
	const uint64_t *r = out->cpu_rates;
	size_t nper = out->ncpus - (out->ncpus > 0); /* the lines after the total */
	out->uptime_cs += cs;
	out->idle_cs += gained(r[3], cs); /* idle ticks are hundredths */
	if (!out->ncpus)
		return 0;
	struct pl_cpu_times *c = pl_arena_alloc(a, out->ncpus * sizeof *c);
	if (!c)
		return -ENOMEM;
	/* each cpu a share, the total their sum, as the kernel sums them */
	for (size_t i = 0; i < out->ncpus; i++) {
		c[i] = out->cpus[i];
		for (int f = 0; f < PL_CPU_FIELDS; f++) {
			uint64_t share = nper ? gained(r[f], cs) / nper : 0;
			c[i].t[f] += i == 0 ? (nper ? share * nper : gained(r[f], cs)) : share;
		}
	}
	out->cpus = c;
	return 0;
}

static int model_load_machine(struct pl_source *s, unsigned want, struct pl_arena *a,
                              struct pl_machine *out)
{
	struct pl_model *m = model(s);
	/* a world whose kernel has no PSI has no pressure/ files */
	if (want & (PL_M_PSI_CPU | PL_M_PSI_MEMORY | PL_M_PSI_IO) & ~m->machine.have)
		return -ENOENT;
	pthread_rwlock_rdlock(&m->lock);
	*out = m->machine;
	/* loadavg's thread count and last pid follow the world as it is now */
	uint32_t threads = 0;
	for (size_t i = 0; i < m->n; i++)
		if (!m->tasks[i]->gone) {
			threads++;
			if (!m->machine.last_pid && m->tasks[i]->tid > out->last_pid)
				out->last_pid = m->tasks[i]->tid;
		}
	if (!m->machine.nr_threads)
		out->nr_threads = threads;
	/* who sees kallsyms' addresses follows the world's setting as a write
	** left it */
	const struct pl_sysctl *paranoid =
		m->machine.sysctl ? &m->machine.sysctl[PL_SYSCTL_PERF_EVENT_PARANOID] : NULL;
	if ((want & PL_M_KALLSYMS) && paranoid && paranoid->set)
		out->perf_event_paranoid = (int32_t)(int64_t)paranoid->v[0];
	out->have = want;
	pthread_rwlock_unlock(&m->lock);
	return m->machine.cpu_rates ? run_clock(m, a, out) : 0;
}

/*
** Where a world keeps a setting: kernel.hostname and kernel.pid_max are the
** machine's facts (the "hostname" and "pid_max" files show them too), the
** others the declared table.  Under the model's lock.
*/
static int current_sysctl(const struct pl_model *m, int id, struct pl_sysctl *out)
{
	memset(out, 0, sizeof *out);
	if (id == PL_SYSCTL_HOSTNAME) {
		out->text = m->machine.hostname ? m->machine.hostname : "";
		out->set = 1;
		return 0;
	}
	if (id == PL_SYSCTL_PID_MAX) {
		out->v[0] = m->machine.pid_max;
		out->n = 1;
		out->set = m->machine.pid_max != 0;
		return out->set ? 0 : -ENOENT;
	}
	const struct pl_sysctl *v = m->machine.sysctl ? &m->machine.sysctl[id] : NULL;
	if (!v || !v->set)
		return -ENOENT;
	*out = *v;
	return 0;
}

/* A world's setting as declared, or as a write left it;
** kernel.random.uuid, unless the world pins it, is a new random UUID each
** read (version 4, RFC 4122 variant), as the kernel's proc_do_uuid makes
** one. */
static int model_load_sysctl(struct pl_source *s, int id, struct pl_arena *a, struct pl_sysctl *out)
{
	(void)a; /* the world's strings live as long as it does */
	struct pl_model *m = model(s);
	pthread_rwlock_rdlock(&m->lock);
	int rc = current_sysctl(m, id, out);
	pthread_rwlock_unlock(&m->lock);
	if (rc == 0 || pl_sysctl_defs[id].type != PL_SYSCTL_FRESH_UUID)
		return rc;
	memset(out, 0, sizeof *out);
	for (size_t got = 0; got < sizeof out->uuid;) {
		ssize_t n = getrandom(out->uuid + got, sizeof out->uuid - got, 0);
		if (n < 0 && errno != EINTR)
			return -errno;
		got += n > 0 ? (size_t)n : 0;
	}
	out->uuid[6] = (uint8_t)((out->uuid[6] & 0x0F) | 0x40);
	out->uuid[8] = (uint8_t)((out->uuid[8] & 0x3F) | 0x80);
	out->set = 1;
	return 0;
}

/*
** A write's change to a setting, in one transaction: fn sees the value as
** it is and makes the new one; a new text is copied into the model's
** arena (the old stays there: readers may hold it, and writes are few).
*/
static ssize_t model_update_sysctl(struct pl_source *s, int id, pl_sysctl_update_fn fn, void *arg)
{
	struct pl_model *m = model(s);
	struct pl_sysctl v;
	pthread_rwlock_wrlock(&m->lock);
	ssize_t rc = current_sysctl(m, id, &v);
	const char *was = v.text;
	if (rc == 0)
		rc = fn(arg, &v);
	if (rc >= 0 && v.text != was && v.text &&
	    !(v.text = pl_arena_strdup(&m->arena, v.text)))
		rc = -ENOMEM;
	if (rc >= 0) {
		if (id == PL_SYSCTL_HOSTNAME)
			m->machine.hostname = v.text;
		else if (id == PL_SYSCTL_PID_MAX)
			m->machine.pid_max = (uint32_t)v.v[0];
		else
			m->machine.sysctl[id] = v;
	}
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

/* A world's settings: the rows it has, the machine's names and release
** (files of their own too), and what it declares besides (read-only). */
static int model_each_setting(struct pl_source *s, pl_setting_fn fn, void *arg)
{
	struct pl_model *m = model(s);
	int rc = 0;
	for (int id = 0; rc == 0 && id < PL_SYSCTL_COUNT; id++) {
		struct pl_sysctl v;
		pthread_rwlock_rdlock(&m->lock);
		int has = current_sysctl(m, id, &v) == 0 ||
		          pl_sysctl_defs[id].type == PL_SYSCTL_FRESH_UUID;
		pthread_rwlock_unlock(&m->lock);
		char path[96];
		if (has && pl_setting_path(pl_sysctl_defs[id].name, path, sizeof path) == 0)
			rc = fn(arg, path, 0);
	}
	if (rc == 0)
		rc = fn(arg, "kernel/osrelease", 0444);
	if (rc == 0)
		rc = fn(arg, "kernel/ostype", 0444);
	for (size_t i = 0; rc == 0 && i < m->machine.nsettings; i++)
		rc = fn(arg, m->machine.settings[i].path, 0444);
	return rc;
}

static int model_load_setting(struct pl_source *s, const char *path, struct pl_arena *a,
                              struct pl_setting *out)
{
	(void)a; /* declared once, never written: the world's own */
	struct pl_model *m = model(s);
	for (size_t i = 0; i < m->machine.nsettings; i++)
		if (strcmp(m->machine.settings[i].path, path) == 0) {
			*out = m->machine.settings[i].v;
			return 0;
		}
	return -ENOENT;
}

struct pl_machine *pl_model_machine(struct pl_model *m)
{
	return &m->machine;
}

int pl_model_timens(struct pl_model *m, uint64_t ino, const struct pl_timens_offset *off)
{
	struct model_timens *n = timens_entry(m, ino);
	if (!n)
		return -ENOMEM;
	memcpy(n->off, off, sizeof n->off);
	return 0;
}

struct pl_net *pl_model_netns(struct pl_model *m, uint64_t ino)
{
	for (size_t i = 0; i < m->nnetns; i++)
		if (m->netns[i].ino == ino)
			return &m->netns[i].net;
	struct model_netns *v = realloc(m->netns, (m->nnetns + 1) * sizeof *v);
	if (!v)
		return NULL;
	m->netns = v;
	memset(&v[m->nnetns], 0, sizeof v[m->nnetns]);
	v[m->nnetns].ino = ino;
	return &v[m->nnetns++].net;
}

/* The namespace task (tgid, tid) is in: declared by its inode, else the
** world's other namespaces' record; NULL for a task without one (a
** zombie) or a world that declares none. */
static const struct pl_net *netns_of(const struct pl_model *m, pl_pid tgid, pl_pid tid, int *err)
{
	struct pl_task t;
	if (!unpack_task(m, tgid, tid, &t)) {
		*err = -ESRCH;
		return NULL;
	}
	*err = -ENOENT;
	uint64_t ino = t.ns_ino[PL_NS_NET];
	const struct pl_net *other = NULL;
	for (size_t i = 0; ino && i < m->nnetns; i++) {
		if (m->netns[i].ino == ino)
			return &m->netns[i].net;
		if (!m->netns[i].ino)
			other = &m->netns[i].net;
	}
	return other;
}

static int model_load_net(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, struct pl_arena *a,
                          struct pl_net *out)
{
	(void)a; /* the world's records live as long as it does */
	struct pl_model *m = model(s);
	int rc;
	pthread_rwlock_rdlock(&m->lock);
	const struct pl_net *net = netns_of(m, tgid, tid, &rc);
	if (net && (net->have >> f & 1)) {
		*out = *net;
		rc = 0;
	}
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

static int model_stat_net(struct pl_source *s, pl_pid tgid, pl_pid tid, int f, uint32_t *uid,
                          uint32_t *gid)
{
	struct pl_model *m = model(s);
	int rc;
	pthread_rwlock_rdlock(&m->lock);
	const struct pl_net *net = netns_of(m, tgid, tid, &rc);
	if (net && (net->have >> f & 1)) {
		*uid = net->uid;
		*gid = net->gid;
		rc = 0;
	}
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

static int model_load_net_ifaces(struct pl_source *s, pl_pid tgid, pl_pid tid, const char *only,
                                 struct pl_arena *a, struct pl_net *out)
{
	(void)a; /* the world's records live as long as it does */
	struct pl_model *m = model(s);
	int rc;
	pthread_rwlock_rdlock(&m->lock);
	const struct pl_net *net = netns_of(m, tgid, tid, &rc);
	if (net && net->have_ifaces) {
		*out = *net;
		rc = 0;
		for (size_t i = 0; only && i < net->nifaces; i++)
			if (strcmp(net->ifaces[i].name, only) == 0) {
				out->ifaces = &net->ifaces[i];
				out->nifaces = 1;
				only = NULL;
			}
		if (only)
			rc = -ENOENT;
	}
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

static void model_destroy(struct pl_source *s)
{
	pl_model_free(model(s));
}

static const struct pl_source_ops model_ops = {
	.name = "model",
	.each_tgid = model_each_tgid,
	.task_exists = model_task_exists,
	.tgid_of = model_tgid_of,
	.load = model_load,
	.load_fdinfo = model_load_fdinfo,
	.read_mem = model_read_mem,
	.userns = model_userns,
	.boottime_offset = model_boottime_offset,
	.update = model_update,
	.write_pinned = model_write_pinned,
	.load_machine = model_load_machine,
	.load_sysctl = model_load_sysctl,
	.update_sysctl = model_update_sysctl,
	.each_setting = model_each_setting,
	.load_setting = model_load_setting,
	.load_net = model_load_net,
	.stat_net = model_stat_net,
	.load_net_ifaces = model_load_net_ifaces,
	.pages_present = model_pages_present,
	.destroy = model_destroy,
};

struct pl_model *pl_model_new(void)
{
	struct pl_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->base.ops = &model_ops;
	m->base.announces_changes = 1; /* only zombify and vanish change a world */
	pthread_rwlock_init(&m->lock, NULL);
	clock_gettime(CLOCK_MONOTONIC, &m->born);
	return m;
}

void pl_model_free(struct pl_model *m)
{
	if (!m)
		return;
	for (size_t i = m->open_from; i < m->n; i++) {
		free(m->tasks[i]->open);
		free(m->tasks[i]->open_group);
	}
	free(m->tasks);
	for (size_t i = 0; i < m->nspaces; i++)
		pl_aspace_free(&m->spaces[i].as);
	free(m->spaces);
	free(m->userns);
	free(m->netns);
	free(m->timens);
	pl_arena_free(&m->arena);
	pthread_rwlock_destroy(&m->lock);
	free(m);
}

struct pl_source *pl_model_source(struct pl_model *m)
{
	return &m->base;
}

struct pl_arena *pl_model_arena(struct pl_model *m)
{
	return &m->arena;
}

struct pl_task *pl_model_add(struct pl_model *m, pl_pid tgid, pl_pid tid)
{
	if (m->sealed || tgid <= 0 || tid <= 0)
		return NULL;
	/* a new group: the one before it is complete */
	if (m->open_from < m->n && m->tasks[m->open_from]->tgid != tgid && pack_open(m) < 0)
		return NULL;
	/* a tid declared twice is found when sealing (sorted), not here:
	** a linear check per task would make big worlds quadratic */
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct model_task **v = realloc(m->tasks, cap * sizeof *v);
		if (!v)
			return NULL;
		m->tasks = v;
		m->cap = cap;
	}
	struct model_task *mt = pl_arena_alloc(&m->arena, sizeof *mt);
	struct pl_task *t = calloc(1, sizeof *t);
	if (!mt || !t) {
		free(t);
		return NULL;
	}
	mt->tgid = t->tgid = tgid;
	mt->tid = t->tid = tid;
	mt->open = t;
	m->tasks[m->n++] = mt;
	return t;
}

struct pl_task *pl_model_group_view(struct pl_model *m, pl_pid tgid)
{
	for (size_t i = m->open_from; i < m->n; i++) {
		struct model_task *mt = m->tasks[i];
		if (mt->tid == tgid && mt->tgid == tgid) {
			if (!mt->open_group && !(mt->open_group = malloc(sizeof *mt->open_group)))
				return NULL;
			*mt->open_group = *mt->open;
			return mt->open_group;
		}
	}
	return NULL;
}

struct pl_aspace *pl_model_aspace(struct pl_model *m, pl_pid tgid)
{
	struct model_space *sp = space_of(m, tgid);
	if (sp)
		return &sp->as;
	if (m->nspaces == m->spaces_cap) {
		size_t cap = m->spaces_cap ? m->spaces_cap * 2 : 16;
		struct model_space *v = realloc(m->spaces, cap * sizeof *v);
		if (!v)
			return NULL;
		m->spaces = v;
		m->spaces_cap = cap;
	}
	struct model_space *v = m->spaces;
	sp = &v[m->nspaces++];
	sp->tgid = tgid;
	sp->as = (struct pl_aspace)PL_ASPACE_INIT;
	return &sp->as;
}

int pl_model_set_fdinfo(struct pl_model *m, pl_pid tid, struct pl_model_fdinfo *fi, size_t n)
{
	for (size_t i = m->n; i-- > 0;) /* almost always the task just added */
		if (m->tasks[i]->tid == tid) {
			m->tasks[i]->fdinfo = fi;
			m->tasks[i]->nfdinfo = n;
			return 0;
		}
	return -ENOENT;
}

static int cmp_task(const void *a, const void *b)
{
	pl_pid x = (*(struct model_task *const *)a)->tid;
	pl_pid y = (*(struct model_task *const *)b)->tid;
	return (x > y) - (x < y);
}

/* Sort key for grouping: by tgid, the leader first, then by tid. */
static int cmp_group(const void *a, const void *b)
{
	const struct model_task *x = *(struct model_task *const *)a;
	const struct model_task *y = *(struct model_task *const *)b;
	if (x->tgid != y->tgid)
		return (x->tgid > y->tgid) - (x->tgid < y->tgid);
	int xl = x->tid == x->tgid, yl = y->tid == y->tgid;
	if (xl != yl)
		return yl - xl;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Sort key for children: leaders by ppid, then pid. */
static int cmp_parent(const void *a, const void *b)
{
	const struct model_task *x = *(struct model_task *const *)a;
	const struct model_task *y = *(struct model_task *const *)b;
	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

/* Thread lists (leader first, then by tid, as Linux's list usually is):
** one sort by group, then each run of a group shares one list. */
static int index_threads(struct pl_model *m, struct model_task **by, char *err, size_t errlen)
{
	if (m->n == 0) /* a world of no tasks: m->tasks is NULL, which memcpy may not get */
		return 0;
	memcpy(by, m->tasks, m->n * sizeof *by);
	qsort(by, m->n, sizeof *by, cmp_group);
	for (size_t i = 0; i < m->n;) {
		struct model_task *leader = by[i];
		if (leader->tid != leader->tgid) {
			snprintf(err, errlen, "thread %d: its group leader %d is not declared",
			         (int)leader->tid, (int)leader->tgid);
			return -EINVAL;
		}
		size_t j = i;
		while (j < m->n && by[j]->tgid == leader->tgid)
			j++;
		pl_pid *v = pl_arena_alloc(&m->arena, (j - i) * sizeof *v);
		if (!v)
			return -ENOMEM;
		for (size_t k = i; k < j; k++)
			v[k - i] = by[k]->tid;
		for (size_t k = i; k < j; k++) {
			by[k]->threads = v;
			by[k]->nthreads = (uint32_t)(j - i);
		}
		i = j;
	}
	return 0;
}

/* Each leader's children: the groups whose ppid names it, in pid order
** (a world does not say which thread forked them; the leader did). */
static int index_children(struct pl_model *m, struct model_task **by)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->tasks[i]->tid == m->tasks[i]->tgid)
			by[n++] = m->tasks[i];
	qsort(by, n, sizeof *by, cmp_parent);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && by[j]->ppid == by[i]->ppid)
			j++;
		struct model_task *parent = find(m, by[i]->ppid);
		if (parent && parent->tid == parent->tgid && !parent->children) {
			pl_pid *v = pl_arena_alloc(&m->arena, (j - i) * sizeof *v);
			if (!v)
				return -ENOMEM;
			for (size_t k = i; k < j; k++)
				v[k - i] = by[k]->tgid;
			parent->children = v;
			parent->nchildren = (uint32_t)(j - i);
		}
		i = j;
	}
	return 0;
}

/*
** Parents form a forest, as Linux's do: following ppid from any task ends
** at 0 or at a pid the world does not hold, never back where it started
** (pstree and ps --forest would loop).  Each task is walked once: a walk
** stops at a task an earlier walk finished.
*/
static long index_of(const struct pl_model *m, pl_pid tid)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->tasks[mid]->tid == tid)
			return (long)mid;
		if (m->tasks[mid]->tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int check_parents(const struct pl_model *m, char *err, size_t errlen)
{
	enum { UNSEEN, ON_PATH, DONE };
	unsigned char *state = calloc(m->n ? m->n : 1, 1);
	if (!state)
		return -ENOMEM;
	int rc = 0;
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		long j = (long)i;
		while (j >= 0 && state[j] == UNSEEN) {
			state[j] = ON_PATH;
			j = index_of(m, m->tasks[j]->ppid);
		}
		if (j >= 0 && state[j] == ON_PATH) {
			snprintf(err, errlen, "task %d: following ppid comes back to it (a cycle)",
			         (int)m->tasks[j]->tid);
			rc = -EINVAL;
		}
		for (j = (long)i; j >= 0 && state[j] == ON_PATH; j = index_of(m, m->tasks[j]->ppid))
			state[j] = DONE;
	}
	free(state);
	return rc;
}

int pl_model_seal(struct pl_model *m, char *err, size_t errlen)
{
	if (pack_open(m) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* no tasks (tasks = {}): no array, which qsort may not be given */
	if (m->n > 1)
		qsort(m->tasks, m->n, sizeof *m->tasks, cmp_task);
	for (size_t i = 1; i < m->n; i++)
		if (m->tasks[i]->tid == m->tasks[i - 1]->tid) {
			snprintf(err, errlen, "task %d declared twice", (int)m->tasks[i]->tid);
			return -EINVAL;
		}
	struct model_task **by = malloc((m->n ? m->n : 1) * sizeof *by);
	if (!by)
		return -ENOMEM;
	int rc = index_threads(m, by, err, errlen);
	if (rc == 0)
		rc = check_parents(m, err, errlen);
	if (rc == 0)
		rc = index_children(m, by);
	if (rc == 0)
		rc = freeze_entered_timens(m);
	free(by);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc == 0) {
		if (m->nspaces > 1)
			qsort(m->spaces, m->nspaces, sizeof *m->spaces, cmp_space);
		m->sealed = 1;
	}
	return rc;
}

/*
** Tell the front end which tasks of group tgid changed: the threads marked
** in `was` (the group's live tids before the change).  Called without the
** lock, so a front end may look the tasks up again.
*/
static void announce(struct pl_model *m, pl_pid tgid, const pl_pid *was, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pl_source_announce(&m->base, tgid, was[i]);
}

/* The live tids of group tgid, leader first (malloc'd; NULL when none or
** out of memory: then nothing is announced, and the kernel's caches time
** out on their own). */
static pl_pid *live_tids(const struct pl_model *m, pl_pid tgid, size_t *n)
{
	*n = 0;
	const struct model_task *leader = find_in(m, tgid, 0);
	if (!leader || !leader->nthreads)
		return NULL;
	pl_pid *v = malloc(leader->nthreads * sizeof *v);
	for (size_t i = 0; v && i < leader->nthreads; i++)
		if (find_in(m, tgid, leader->threads[i]))
			v[(*n)++] = leader->threads[i];
	return v;
}

/* Exit as Linux shows it: the group leader stays as a zombie with no mm,
** no fs, no namespaces, no open files; the other threads are gone. */
int pl_model_zombify(struct pl_model *m, pl_pid tgid)
{
	if (!m->sealed)
		return -EINVAL;
	pthread_rwlock_wrlock(&m->lock);
	struct model_task *leader = find_in(m, tgid, 0);
	size_t nwas;
	pl_pid *was = live_tids(m, tgid, &nwas);
	if (!leader) {
		pthread_rwlock_unlock(&m->lock);
		return -ESRCH;
	}
	struct pl_task t;
	unpack(m, leader->rec, &t);
	t.state = 'Z';
	t.wchan_flag = 1; /* stat's field 35: "not running" */
	t.fd_size = 0;
	t.has_mm = 0;
	t.umask = -1;
	t.num_threads = 1;
	t.vsize = 0;
	memset(&t.mm, 0, sizeof t.mm);
	t.exe = t.cwd = t.root = NULL;
	/* the nsproxy goes; the pid namespace and the creds' user namespace stay */
	for (int i = 0; i < PL_NS_COUNT; i++)
		if (i != PL_NS_PID && i != PL_NS_USER)
			t.ns_ino[i] = 0;
	t.nfds = 0;
	t.nregions = 0;
	t.has_rollup = 0;
	t.no_mnt_ns = 1;
	t.coredump_filter = PL_COREDUMP_FILTER_NONE;
	t.nauxv = 0;
	/* its kernel stack is freed: no call, no frames */
	t.syscall_running = 0;
	t.syscall_nr = -1;
	memset(t.syscall_args, 0, sizeof t.syscall_args);
	t.syscall_sp = t.syscall_pc = 0;
	t.stack = "";
	t.ksm_mm = 0; /* its mm is gone */
	const struct packed *rec = pack(m, &t);
	if (!rec) {
		pthread_rwlock_unlock(&m->lock);
		free(was);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->n; i++) {
		struct model_task *mt = m->tasks[i];
		if (mt->tgid == tgid && mt != leader)
			mt->gone = 1;
	}
	leader->rec = rec; /* the old one stays in the arena: zombies are few */
	leader->group = NULL; /* a zombie's group is its leader alone */
	leader->has_mm = 0;
	leader->threads = &leader->tid;
	leader->nthreads = 1;
	leader->nfdinfo = 0;
	pthread_rwlock_unlock(&m->lock);
	announce(m, tgid, was, nwas);
	free(was);
	return 0;
}

int pl_model_vanish(struct pl_model *m, pl_pid tgid)
{
	pthread_rwlock_wrlock(&m->lock);
	size_t nwas;
	pl_pid *was = live_tids(m, tgid, &nwas);
	int found = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->tasks[i]->tgid == tgid && !m->tasks[i]->gone) {
			m->tasks[i]->gone = 1;
			found = 1;
		}
	pthread_rwlock_unlock(&m->lock);
	announce(m, tgid, was, nwas);
	free(was);
	return found ? 0 : -ESRCH;
}
