/*
** The daemon's Lua runtime: a load phase that runs the world script once
** and the layout script in each Lua state, and a run phase that only calls
** the stored functions of Lua files (and a view's select).  state.c makes
** one state and runs one call in it; this file keeps the states and the
** threads they run on.  Builtin files never come here.
**
** Why threads.  A time limit enforced by a count hook holds only while Lua
** runs its own instructions: inside one C function (a pattern match that
** backtracks for minutes, a read from a pipe) no hook fires.  Nothing can
** safely stop a thread in the middle of arbitrary C code, so the thread
** that must answer the reader (a FUSE worker) is not the one that runs the
** call: each state has a thread of its own, the worker hands it the call
** and waits for it until the deadline (plus a grace in which the hook's own
** stop arrives), and a call still running then is answered EIO and logged
** with what the watch (watch.c) says it is stuck in.  Its state is "set
** aside": used by nothing until that call returns (the hook then stops it
** at once), then discarded; a fresh state is loaded in its place, so the
** daemon keeps its number of states.  The handoff costs two thread wakeups
** per call (a few microseconds; the README gives the measured figure).
**
** Why several states.  While one call is stuck, other Lua files must still
** be served, so they cannot wait for its state: a layout's calls run in a
** pool of POOL_STATES states, each loaded from the layout script itself
** (as Redis and lsyncd separate loading a script from running it), taking
** the first idle one; so calls also run in parallel.  What a function keeps
** between calls (an upvalue, a table) then lives in the state that ran it.
** A layout whose functions share what they keep (a write function that a
** read function shows, examples/layouts/notes.lua) says `shared = true`,
** the default when it has a write function: every call runs in one state,
** one at a time, as in Redis, and a second state stands by, loaded, to take
** over at once when that one is set aside (what the first kept is lost
** with it, and the log says so).  A layout without Lua functions keeps one
** state and no pool.
**
** Every state runs the layout script; the world script runs once, in a
** state of its own, and its model is owned here: every state's
** p.mounted_world() reads the one model (model.c locks it).  A layout
** script must declare the same layout every time it runs; a state whose
** layout differs from the first is refused.
**
** The memory limit (PROCLUA_LUA_MEMORY_MB) is one budget for all states
** together: it bounds the daemon's Lua memory as the README says, however
** many states there are or how many are set aside.
*/
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua.h"

#include "plua.h"
#include "plua_state.h"

#define POOL_STATES 4   /* states of a layout whose calls may run in parallel */
#define MAX_SLOTS 16    /* states at most, those set aside included */
#define GRACE 0.1       /* seconds past a deadline that a caller waits for the hook's stop */
#define DEFAULT_MEMORY_MB 256

static void log_stderr(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line); /* one write: threads log at once */
}

void (*plua_log)(const char *fmt, ...) = log_stderr;

enum phase {
	FREE,     /* no state */
	LOADING,  /* its thread is loading a state */
	IDLE,     /* a state waiting for a call */
	BUSY,     /* running a call for a caller who waits */
	DONE,     /* the call ended; its caller takes the result */
	ASIDE,    /* running a call nobody waits for any more */
};

/* A state and the thread it runs on. */
struct slot {
	struct plua *rt;
	pthread_t thread;
	int started;                  /* the thread exists */
	sem_t go;                     /* work for the thread: a load, a call, or quit */
	sem_t done;                   /* the call is DONE */
	enum phase phase;             /* under rt->lock */
	struct plua_state *st;        /* while IDLE, BUSY, DONE, ASIDE */
	struct plua_watch watch;      /* what st's thread is doing in C */
	struct plua_call call;
	const char *loading;          /* while LOADING: "world" or "layout" */
	struct timespec load_deadline;
	struct timespec aside_at;     /* when it was set aside */
};

/* A caller waiting for a state, in the queue of them. */
struct waiter {
	struct waiter *next;
};

struct plua {
	struct plua_env env;
	pthread_mutex_t lock;
	pthread_cond_t changed;       /* a slot's phase changed */
	int waiters;                  /* callers waiting on `changed` */
	struct waiter *queue;         /* callers waiting for a state, first come first */
	int quit;
	int opened;                   /* loads failing from now on are logged */
	int want;                     /* states kept live (loading, idle or running) */
	struct slot *serving;         /* shared: the state calls run in */
	char load_err[1024];          /* the first failed load while opening */
	const char *load_failed;      /* "world" or "layout" */
	char *script, *world, *stock; /* env's paths, owned */
	struct pl_layout *served;     /* env's layout with the source's settings */
	struct slot slots[MAX_SLOTS];
};

/* PROCLUA_LUA_MEMORY_MB: the limit in MiB (0: none); -1 if not a number. */
static int memory_limit(size_t *bytes)
{
	const char *v = getenv("PROCLUA_LUA_MEMORY_MB");
	unsigned long long mb = DEFAULT_MEMORY_MB;
	if (v && *v) {
		char *end;
		errno = 0;
		mb = strtoull(v, &end, 10);
		if (errno || *end || *v == '-' || mb > SIZE_MAX / (1024 * 1024))
			return -1;
	}
	*bytes = (size_t)mb * 1024 * 1024;
	return 0;
}

static void add_seconds(struct timespec *t, double seconds)
{
	long long ns = (long long)(seconds * 1e9) + t->tv_nsec;
	t->tv_sec += (time_t)(ns / 1000000000);
	t->tv_nsec = (long)(ns % 1000000000);
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void sem_wait_fully(sem_t *s)
{
	while (sem_wait(s) < 0 && errno == EINTR)
		;
}

/* ------------------------------------------------------------------------
** a slot's thread
*/

static int live(enum phase p)
{
	return p == LOADING || p == IDLE || p == BUSY || p == DONE;
}

static void *slot_main(void *arg);

/* Start a slot's thread, with every signal blocked: the daemon's signals
** are for libfuse's threads. */
static int start_thread(struct slot *sl)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&sl->thread, NULL, slot_main, sl);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		sl->started = 1;
	return rc == 0 ? 0 : -1;
}

/* Under rt->lock: have slot sl load a fresh state. */
static int start_load(struct plua *rt, struct slot *sl)
{
	sl->phase = LOADING;
	sl->loading = "layout";
	plua_time_after(&sl->load_deadline, rt->env.lim.load_seconds);
	sem_post(&sl->go);
	if (sl->started || start_thread(sl) == 0)
		return 0;
	sem_wait_fully(&sl->go);
	sl->phase = FREE;
	return -1;
}

/* Under rt->lock: load fresh states until `want` are live. */
static void replenish(struct plua *rt)
{
	int n = 0;
	for (int i = 0; i < MAX_SLOTS; i++)
		n += live(rt->slots[i].phase);
	for (int i = 0; i < MAX_SLOTS && n < rt->want && !rt->quit; i++)
		if (rt->slots[i].phase == FREE && start_load(rt, &rt->slots[i]) == 0)
			n++;
}

static void announce(struct plua *rt)
{
	if (rt->waiters)
		pthread_cond_broadcast(&rt->changed);
}

/* Load the world (the first time, when there is one) and a layout state. */
static void load(struct slot *sl)
{
	struct plua *rt = sl->rt;
	char err[sizeof rt->load_err] = "";
	const char *what = "layout";
	struct plua_state *st = NULL;
	int rc = 0;
	if (rt->env.world && !rt->env.model) { /* only the first load, while opening */
		what = "world";
		pthread_mutex_lock(&rt->lock);
		sl->loading = what;
		plua_time_after(&sl->load_deadline, rt->env.lim.load_seconds);
		struct timespec deadline = sl->load_deadline;
		pthread_mutex_unlock(&rt->lock);
		struct plua_state *ws = plua_state_new(&rt->env, &sl->watch, 1);
		rc = ws ? plua_state_load_world(ws, &deadline, err, sizeof err) : -1;
		if (!ws)
			snprintf(err, sizeof err, "%s: out of memory", rt->env.world);
		plua_state_free(ws); /* the model was taken out of it */
		pthread_mutex_lock(&rt->lock);
		sl->loading = "layout";
		plua_time_after(&sl->load_deadline, rt->env.lim.load_seconds);
		pthread_mutex_unlock(&rt->lock);
	}
	if (rc == 0) {
		what = "layout";
		pthread_mutex_lock(&rt->lock);
		struct timespec deadline = sl->load_deadline;
		pthread_mutex_unlock(&rt->lock);
		st = plua_state_new(&rt->env, &sl->watch, 0);
		rc = st ? plua_state_load_layout(st, &deadline, err, sizeof err) : -1;
		if (!st)
			snprintf(err, sizeof err, "%s: out of memory (or the Lua memory limit)",
			         rt->env.script);
		if (rc < 0) {
			plua_state_free(st);
			st = NULL;
		}
	}
	pthread_mutex_lock(&rt->lock);
	sl->st = st;
	sl->phase = st ? IDLE : FREE;
	if (rc < 0 && !rt->opened && !rt->load_failed) {
		rt->load_failed = what;
		snprintf(rt->load_err, sizeof rt->load_err, "%s", err);
	}
	int opened = rt->opened;
	pthread_cond_broadcast(&rt->changed); /* the opener may wait without counting */
	pthread_mutex_unlock(&rt->lock);
	if (rc < 0 && opened)
		plua_log("proclua: a fresh Lua state did not load: %s", err);
}

/* Run the slot's call; a call set aside meanwhile takes its state along. */
static void run(struct slot *sl)
{
	struct plua *rt = sl->rt;
	plua_state_run(sl->st, &sl->call);
	pthread_mutex_lock(&rt->lock);
	if (sl->phase == BUSY) {
		sl->phase = DONE;
		pthread_mutex_unlock(&rt->lock);
		sem_post(&sl->done);
		return;
	}
	pthread_mutex_unlock(&rt->lock);
	struct plua_call *c = &sl->call;
	plua_log("proclua: the Lua call set aside at its time limit ended %.1f s later (%.*s); "
	         "its Lua state is discarded%s", seconds_since(&sl->aside_at),
	         c->msg.len ? (int)(c->msg.len > 512 ? 512 : c->msg.len) : 20,
	         c->msg.len ? c->msg.data : "it returned normally", rt->env.shared
	         ? ", and what its functions kept with it" : "");
	plua_state_free(sl->st);
	pthread_mutex_lock(&rt->lock);
	sl->st = NULL;
	sl->phase = FREE;
	replenish(rt);
	announce(rt);
	pthread_mutex_unlock(&rt->lock);
}

static void *slot_main(void *arg)
{
	struct slot *sl = arg;
	struct plua *rt = sl->rt;
	for (;;) {
		sem_wait_fully(&sl->go);
		pthread_mutex_lock(&rt->lock);
		enum phase p = sl->phase;
		int quit = rt->quit;
		pthread_mutex_unlock(&rt->lock);
		if (p == LOADING)
			load(sl);
		else if (p == BUSY)
			run(sl);
		else if (quit)
			break;
	}
	return NULL;
}

/* ------------------------------------------------------------------------
** calls
*/

/* What a message about a call names: "FILE:LINE" of its function (ref -1:
** the view's select). */
static const char *call_where(struct plua *rt, int ref)
{
	return ref < 0 ? rt->env.select_where : plua_env_fn_where(&rt->env, ref);
}

/* Log a call's failure (msg: len bytes): a Lua file's or a view select's. */
static void log_failure(enum plua_call_kind kind, pl_pid tgid, const char *msg, size_t len)
{
	int n = len > INT_MAX ? INT_MAX : (int)len;
	if (kind == PLUA_CALL_SELECT)
		plua_log("proclua: view select failed for task %d: %.*s", (int)tgid, n, msg);
	else
		plua_log("proclua: lua file failed: %.*s", n, msg);
}

/* Under rt->lock: a state for a call now, or NULL (then *none: no state
** can come free, all being set aside or failed). */
static struct slot *pick(struct plua *rt, int *none)
{
	*none = 0;
	if (rt->env.shared) {
		struct slot *s = rt->serving;
		if (s && s->phase == IDLE)
			return s;
		if (s && (s->phase == BUSY || s->phase == DONE))
			return NULL;
		rt->serving = NULL; /* set aside: the state standing by takes over */
	}
	int waiting = 0;
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &rt->slots[i];
		if (s->phase == IDLE) {
			if (rt->env.shared)
				rt->serving = s;
			return s;
		}
		waiting |= live(s->phase);
	}
	*none = !waiting;
	return NULL;
}

/* A state for a call of kind/ref, made BUSY; NULL (logged) if none comes
** free within the time limit, or at once when every state is set aside. */
static struct slot *begin(struct plua *rt, enum plua_call_kind kind, int ref, pl_pid tgid)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	add_seconds(&until, rt->env.lim.call_seconds + GRACE);
	pthread_mutex_lock(&rt->lock);
	/* Callers that must wait take states in the order they came: a caller
	** that calls again at once (a reader of a file that always runs out
	** its time) does not pass those already waiting. */
	struct waiter me = { NULL }, **at;
	int none = 0, queued = 0, timed_out = 0;
	struct slot *s = NULL;
	for (;;) {
		if (!rt->queue || rt->queue == &me) { /* nobody waits ahead of this call */
			s = pick(rt, &none);
			if (s || none)
				break;
		}
		if (timed_out)
			break;
		if (!queued) {
			for (at = &rt->queue; *at; at = &(*at)->next)
				;
			*at = &me;
			queued = 1;
		}
		rt->waiters++;
		timed_out = pthread_cond_timedwait(&rt->changed, &rt->lock, &until) == ETIMEDOUT;
		rt->waiters--;
	}
	if (queued) { /* leave the queue; the next in it may find a state free */
		for (at = &rt->queue; *at != &me; at = &(*at)->next)
			;
		*at = me.next;
		announce(rt);
	}
	if (s && !s->started && start_thread(s) < 0)
		s = NULL, none = 1; /* no thread to run it on */
	if (s)
		s->phase = BUSY;
	int aside = 0;
	for (int i = 0; !s && i < MAX_SLOTS; i++)
		aside += rt->slots[i].phase == ASIDE;
	pthread_mutex_unlock(&rt->lock);
	if (!s) {
		char msg[LUA_IDSIZE + 160];
		if (none && aside)
			snprintf(msg, sizeof msg, "%s: not run: every Lua state is stuck in a call past "
			         "its time limit (%d set aside)", call_where(rt, ref), aside);
		else if (none)
			snprintf(msg, sizeof msg, "%s: not run: no Lua state is loaded (a fresh one "
			         "failed to load or to start: see above)", call_where(rt, ref));
		else
			snprintf(msg, sizeof msg, "%s: not run: no Lua state came free within the "
			         "time limit", call_where(rt, ref));
		log_failure(kind, tgid, msg, strlen(msg));
	}
	return s;
}

/* Hand the call in s to its thread and wait for it until its deadline and
** the grace.  0: it ended (s->call has the result); -1: it is still
** running, so it is set aside and logged, and the caller answers EIO. */
static int hand_over(struct plua *rt, struct slot *s)
{
	struct plua_call *c = &s->call;
	plua_time_after(&c->deadline, rt->env.lim.call_seconds);
	struct timespec until = c->deadline;
	add_seconds(&until, GRACE);
	sem_post(&s->go);
	int ended = 0;
	while (!ended) {
		if (sem_clockwait(&s->done, CLOCK_MONOTONIC, &until) == 0)
			ended = 1;
		else if (errno != EINTR)
			break;
	}
	/* The lock orders the thread's writes of the result before the
	** caller's reads (the semaphore does as well, but not for every
	** checker: ThreadSanitizer does not know sem_clockwait). */
	pthread_mutex_lock(&rt->lock);
	if (ended || s->phase == DONE) {
		pthread_mutex_unlock(&rt->lock);
		if (!ended) /* it ended as the wait did */
			sem_wait_fully(&s->done);
		return 0;
	}
	s->phase = ASIDE;
	atomic_store(&s->st->set_aside, 1);
	clock_gettime(CLOCK_MONOTONIC, &s->aside_at);
	if (rt->serving == s)
		rt->serving = NULL;
	replenish(rt);
	announce(rt);
	pthread_mutex_unlock(&rt->lock);

	char fn[64], where[LUA_IDSIZE + 16], msg[LUA_IDSIZE + 240];
	if (!plua_watch_read(&s->watch, fn, sizeof fn, where, sizeof where)) {
		snprintf(fn, sizeof fn, "a C function");
		snprintf(where, sizeof where, "%s", call_where(rt, c->ref));
	}
	snprintf(msg, sizeof msg, "%s: time limit exceeded (stuck inside %s; its Lua state is set "
	         "aside%s)", where, fn, rt->env.shared ? ", and what its functions kept with it" : "");
	log_failure(c->kind, c->tgid, msg, strlen(msg));
	return -1;
}

/* The caller has taken the result: the state is free for the next call. */
static void finish(struct plua *rt, struct slot *s)
{
	if (s->call.msg.len)
		log_failure(s->call.kind, s->call.tgid, s->call.msg.data, s->call.msg.len);
	if (s->call.out.cap > 65536) /* keep a working size, not the largest ever */
		pl_buf_free(&s->call.out);
	pthread_mutex_lock(&rt->lock);
	s->phase = IDLE;
	announce(rt);
	pthread_mutex_unlock(&rt->lock);
}

int plua_read(void *ctx, int ref, pl_pid tgid, pl_pid tid, struct pl_caller *reader,
              struct pl_buf *out)
{
	struct plua *rt = ctx;
	struct slot *s = begin(rt, PLUA_CALL_READ, ref, tgid);
	if (!s)
		return -EIO;
	struct plua_call *c = &s->call;
	c->kind = PLUA_CALL_READ;
	c->ref = ref;
	c->tgid = tgid;
	c->tid = tid;
	c->caller = *reader;
	if (hand_over(rt, s) < 0)
		return -EIO;
	int result = (int)c->result;
	if (result == 0 && c->out.len) {
		pl_buf_add(out, c->out.data, c->out.len);
		result = pl_buf_status(out);
	}
	finish(rt, s);
	return result;
}

ssize_t plua_write(void *ctx, int wref, pl_pid tgid, pl_pid tid, const char *buf, size_t len,
                   uint64_t off, struct pl_caller *writer)
{
	struct plua *rt = ctx;
	struct slot *s = begin(rt, PLUA_CALL_WRITE, wref, tgid);
	if (!s)
		return -EIO;
	struct plua_call *c = &s->call;
	c->kind = PLUA_CALL_WRITE;
	c->ref = wref;
	c->tgid = tgid;
	c->tid = tid;
	c->off = off;
	c->caller = *writer;
	/* the bytes are copied: a call set aside outlives the request's buffer */
	pl_buf_reset(&c->bytes);
	if (len)
		pl_buf_add(&c->bytes, buf, len);
	if (pl_buf_status(&c->bytes) < 0) {
		finish(rt, s);
		return -ENOMEM;
	}
	if (hand_over(rt, s) < 0)
		return -EIO;
	ssize_t result = c->result;
	if (c->bytes.cap > 65536)
		pl_buf_free(&c->bytes);
	finish(rt, s);
	return result;
}

int plua_select(void *ctx, pl_pid pid)
{
	struct plua *rt = ctx;
	struct slot *s = begin(rt, PLUA_CALL_SELECT, -1, pid);
	if (!s)
		return 0;
	struct plua_call *c = &s->call;
	c->kind = PLUA_CALL_SELECT;
	c->ref = -1;
	c->tgid = pid;
	c->tid = 0;
	if (hand_over(rt, s) < 0)
		return 0;
	int chosen = c->result != 0;
	finish(rt, s);
	return chosen;
}

/* ------------------------------------------------------------------------
** opening and closing
*/

/* End the threads of idle and free slots (all of them, once opening has
** loaded every state). */
static void stop_threads(struct plua *rt)
{
	pthread_mutex_lock(&rt->lock);
	rt->quit = 1;
	pthread_mutex_unlock(&rt->lock);
	for (int i = 0; i < MAX_SLOTS; i++)
		if (rt->slots[i].started)
			sem_post(&rt->slots[i].go);
	for (int i = 0; i < MAX_SLOTS; i++)
		if (rt->slots[i].started) {
			pthread_join(rt->slots[i].thread, NULL);
			rt->slots[i].started = 0;
		}
	rt->quit = 0;
}

/* Wait until slot s has loaded (0) or failed (-1, rt->load_err says why;
** also when it is stuck past its load deadline in C). */
static int wait_loaded(struct plua *rt, struct slot *s)
{
	pthread_mutex_lock(&rt->lock);
	while (s->phase == LOADING) {
		struct timespec until = s->load_deadline;
		add_seconds(&until, GRACE);
		int rc = pthread_cond_timedwait(&rt->changed, &rt->lock, &until);
		if (rc != ETIMEDOUT || s->phase != LOADING || !plua_time_past(&until))
			continue;
		const char *script = strcmp(s->loading, "world") == 0 ? rt->env.world : rt->env.script;
		char fn[64], where[LUA_IDSIZE + 16];
		if (!plua_watch_read(&s->watch, fn, sizeof fn, where, sizeof where)) {
			snprintf(fn, sizeof fn, "a C function");
			snprintf(where, sizeof where, "%s", script);
		}
		if (!rt->load_failed) {
			rt->load_failed = s->loading;
			snprintf(rt->load_err, sizeof rt->load_err, "%s: time limit exceeded "
			         "(stuck inside %s)", where, fn);
		}
		pthread_mutex_unlock(&rt->lock);
		return -1;
	}
	int ok = s->phase == IDLE;
	pthread_mutex_unlock(&rt->lock);
	return ok ? 0 : -1;
}

static void free_runtime(struct plua *rt)
{
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &rt->slots[i];
		plua_state_free(s->st);
		pl_buf_free(&s->call.bytes);
		pl_buf_free(&s->call.out);
		pl_buf_free(&s->call.msg);
		sem_destroy(&s->go);
		sem_destroy(&s->done);
		pthread_mutex_destroy(&s->watch.lock);
	}
	pl_layout_free(rt->served); /* borrows env's layout's strings */
	pl_layout_free(rt->env.layout);
	free(rt->env.fn_where);
	if (rt->env.model)
		pl_model_free(rt->env.model);
	pthread_cond_destroy(&rt->changed);
	pthread_mutex_destroy(&rt->lock);
	free(rt->script);
	free(rt->world);
	free(rt->stock);
	free(rt);
}

struct plua *plua_open(const char *script, const char *world, struct pl_source **src,
                       const struct plua_limits *lim, char *err, size_t errlen)
{
	const char *failed;
	return plua_open_with(script, world, NULL, src, lim, err, errlen, &failed);
}

struct plua *plua_open_with(const char *script, const char *world, const char *stock,
                            struct pl_source **src, const struct plua_limits *lim,
                            char *err, size_t errlen, const char **failed)
{
	*failed = "layout";
	struct plua *rt = calloc(1, sizeof *rt);
	if (!rt) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (memory_limit(&rt->env.budget.limit) < 0) {
		free(rt);
		snprintf(err, errlen, "PROCLUA_LUA_MEMORY_MB=%s: not a number of MiB",
		         getenv("PROCLUA_LUA_MEMORY_MB"));
		return NULL;
	}
	const char *u = getenv("PROCLUA_UNRESTRICTED");
	rt->env.unrestricted = u && !strcmp(u, "1");
	/* the paths are copied: states are loaded again while serving, when
	** the caller's strings may be gone */
	rt->env.script = rt->script = strdup(script);
	rt->env.world = rt->world = world ? strdup(world) : NULL;
	rt->env.stock = rt->stock = stock ? strdup(stock) : NULL;
	if (!rt->script || (world && !rt->world) || (stock && !rt->stock)) {
		free(rt->script);
		free(rt->world);
		free(rt->stock);
		free(rt);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rt->env.lim = *lim;
	rt->env.src = *src;
	atomic_init(&rt->env.budget.used, 0);
	pthread_mutex_init(&rt->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rt->changed, &ca);
	pthread_condattr_destroy(&ca);
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &rt->slots[i];
		s->rt = rt;
		s->phase = FREE;
		sem_init(&s->go, 0, 0);
		sem_init(&s->done, 0, 0);
		plua_watch_init(&s->watch);
	}
	/* The first state alone (it runs the world script too): it fixes the
	** layout the others must match and how many there are. */
	rt->want = 1;
	pthread_mutex_lock(&rt->lock);
	replenish(rt);
	pthread_mutex_unlock(&rt->lock);
	int ok = wait_loaded(rt, &rt->slots[0]) == 0;
	if (ok) {
		pthread_mutex_lock(&rt->lock);
		rt->want = !rt->env.has_functions ? 1 : rt->env.shared ? 2 : POOL_STATES;
		replenish(rt);
		pthread_mutex_unlock(&rt->lock);
		for (int i = 1; ok && i < rt->want; i++)
			ok = wait_loaded(rt, &rt->slots[i]) == 0;
	}
	/* sys/ holds the settings the source has now (a reload lists them again) */
	if (ok && !(rt->served = pl_layout_with_settings(rt->env.layout, rt->env.src)))
		ok = 0;
	if (!ok) {
		pthread_mutex_lock(&rt->lock);
		*failed = rt->load_failed ? rt->load_failed : "layout";
		snprintf(err, errlen, "%s", rt->load_failed ? rt->load_err : "out of memory");
		pthread_mutex_unlock(&rt->lock);
		plua_close(rt);
		return NULL;
	}
	/* The loads' threads end here: the daemon may fork into the background
** before it serves, and a child has none of its parent's threads.  Each
** state's thread starts again at its first call. */
	stop_threads(rt);
	rt->opened = 1;
	*src = rt->env.src;
#ifdef __GLIBC__
	/* the load phase's garbage (a world script's task tables) goes back */
	malloc_trim(0);
#endif
	return rt;
}

const struct pl_layout *plua_layout(const struct plua *p)
{
	return p->served;
}

int plua_view(const struct plua *p, pl_pid *root, int *has_select)
{
	*root = p->env.view_root;
	*has_select = p->env.has_select;
	return p->env.has_view;
}

/* Threads still in a call or a load when the daemon ends are not waited
** for past their deadlines: what they use is then left allocated (the
** process is ending), and each stops at its next Lua instruction. */
void plua_close(struct plua *rt)
{
	if (!rt)
		return;
	pthread_mutex_lock(&rt->lock);
	rt->quit = 1;
	int stuck = 0;
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &rt->slots[i];
		while (s->phase == LOADING) {
			struct timespec until = s->load_deadline;
			add_seconds(&until, GRACE);
			if (pthread_cond_timedwait(&rt->changed, &rt->lock, &until) == ETIMEDOUT &&
			    s->phase == LOADING)
				break;
		}
		if (s->phase != FREE && s->phase != IDLE)
			stuck = 1;
	}
	pthread_mutex_unlock(&rt->lock);
	for (int i = 0; i < MAX_SLOTS; i++)
		if (rt->slots[i].started)
			sem_post(&rt->slots[i].go);
	if (stuck) {
		for (int i = 0; i < MAX_SLOTS; i++)
			if (rt->slots[i].started)
				pthread_detach(rt->slots[i].thread);
		return;
	}
	for (int i = 0; i < MAX_SLOTS; i++)
		if (rt->slots[i].started)
			pthread_join(rt->slots[i].thread, NULL);
	free_runtime(rt);
}
