/*
** One Lua state of the daemon's runtime (state.c): made with the restricted
** environment and the task objects, loaded from the layout script, and
** running one Lua file call at a time under a time limit.  runtime.c keeps
** several and runs each on a thread of its own (see there); private to the
** two, and watch.c, which records where a state is in C.
*/
#ifndef PLUA_STATE_H
#define PLUA_STATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "lua.h"

#include "record/arena.h"
#include "record/buf.h"
#include "record/task.h"
#include "source/model.h"
#include "plua.h"

/* The bytes every state of a runtime holds together: PROCLUA_LUA_MEMORY_MB
** bounds the daemon's Lua memory, however many states it keeps. */
struct plua_budget {
	atomic_size_t used;
	size_t limit;              /* 0: none */
};

/* Where a state's thread is while it runs a C function that can take long
** (a pattern match, a read): watch.c's wrappers set it on the way in and
** clear it on the way out, so that another thread can say what a call
** stuck past its time limit is doing without touching the Lua state. */
struct plua_watch {
	pthread_mutex_t lock;
	const char *fn;            /* "string.find", or NULL */
	char src[LUA_IDSIZE];      /* the Lua line that called it */
	int line;
};

/* What every state of a runtime shares; fixed once the first state has
** loaded, except the budget. */
struct plua_env {
	const char *script, *world, *stock;   /* paths: the layout, the world, proc.lua */
	struct plua_limits lim;
	struct pl_source *src;                /* what task objects load from */
	struct pl_model *model;               /* the mounted world, or NULL */
	struct plua_budget budget;
	int unrestricted;                     /* PROCLUA_UNRESTRICTED=1 */
	/* from the first state's load: */
	struct pl_layout *layout;             /* the layout served */
	int has_view;
	pl_pid view_root;
	int has_select;
	int shared;                           /* every call in one state (runtime.c) */
	int has_functions;                    /* the layout has a Lua file or a select */
	char (*fn_where)[LUA_IDSIZE + 16];    /* "file:line" each served ref's function is at */
	char select_where[LUA_IDSIZE + 16];   /* and view.select's */
	size_t nrefs;
};

/* One call, in memory of the runtime's, not the caller's: a call set aside
** at its time limit runs on after its caller has gone. */
enum plua_call_kind { PLUA_CALL_READ, PLUA_CALL_WRITE, PLUA_CALL_SELECT };
struct plua_call {
	enum plua_call_kind kind;
	int ref;                   /* the served layout's ref (or wref) */
	pl_pid tgid, tid;
	struct pl_buf bytes;       /* a write's bytes (copied) */
	uint64_t off;
	struct pl_caller caller;   /* the reader or writer (a copy: the call may
	                              outlive the request, set aside) */
	struct timespec deadline;
	ssize_t result;            /* read: 0 or -errno; write: count or -errno; select: 0/1 */
	struct pl_buf out;         /* a read's content */
	struct pl_buf msg;         /* why it failed (an error's "file:line: ..."), or empty */
};

struct plua_state {
	lua_State *L;
	struct plua_env *env;
	struct plua_watch *watch;  /* the runtime's, for this state's thread */
	struct timespec deadline;
	int timed_out;
	int mem_refused;           /* the budget refused a block since the last arm() */
	atomic_int set_aside;      /* nobody waits for the running call any more */
	int *refs;                 /* the served layout's ref -> this state's registry ref */
	size_t nrefs;
	int select_ref;            /* view.select, or LUA_NOREF */
	struct plua_call *running; /* the call being run, for task:read; or NULL */
	struct pl_task *scratch;   /* a task object's group loads land here */
	struct pl_arena arena;     /* ... and their strings and lists */
	struct pl_buf read_buf;    /* task:read's content */
};

/* A new state (libraries, restrictions, watch wrappers, task objects, the
** proclua module, the module path, the mounted world); NULL when out of
** memory or over the budget. */
struct plua_state *plua_state_new(struct plua_env *env, struct plua_watch *watch,
                                  int for_world);
void plua_state_free(struct plua_state *s);

/* Task objects in a state the runtime does not keep: p.tree calls a
** layout's functions in the state that declared them.  plua_state_borrow
** makes a record for L whose task objects load from env->src (the caller
** keeps env); NULL when out of memory.  plua_task_metatable pushes their
** metatable: the caller's own, not registered by name, since a state may
** hold several trees over different sources; its __index keeps the value
** at stack index `keep` (0: none) alive, so that a task object a script
** kept outlives nothing it reads from.  plua_state_unborrow frees the
** record, not L. */
struct plua_state *plua_state_borrow(lua_State *L, struct plua_env *env);
void plua_task_metatable(lua_State *L, struct plua_state *s, int keep);
void plua_state_unborrow(struct plua_state *s);
/* Push a task object of (tgid, tid) with the metatable at stack index mt. */
void plua_task_push(lua_State *L, int mt, pl_pid tgid, pl_pid tid);

/* Run the world script in s (a state for that alone) by `deadline`; its
** model is taken out of Lua into env->model.  -1 with err on failure. */
int plua_state_load_world(struct plua_state *s, const struct timespec *deadline,
                          char *err, size_t errlen);
/* Run the layout script in s by `deadline` and compile it.  The first state
** to load fills env (layout, view, shared); every later one must declare the
** same layout, and maps the served refs to its own functions.  -1 with err
** on failure. */
int plua_state_load_layout(struct plua_state *s, const struct timespec *deadline,
                           char *err, size_t errlen);

/* Run call c in s: c->result, c->out, and c->msg when it failed. */
void plua_state_run(struct plua_state *s, struct plua_call *c);

/* caller.c: push the caller object of c (a copy); capability names. */
void plua_push_caller(lua_State *L, const struct pl_caller *c);
const char *plua_cap_name(int cap);   /* "CAP_CHOWN" for 0; NULL past the last */
int plua_cap_count(void);
int plua_cap_number(const char *name);

/* "FILE:LINE" where the function of served ref `ref` is defined ("?" if none). */
const char *plua_state_fn_where(const struct plua_state *s, int ref);
const char *plua_env_fn_where(const struct plua_env *env, int ref);

/* watch.c: wrap the long-running C functions of the standard libraries of
** L so that they record themselves in w. */
void plua_watch_install(lua_State *L, struct plua_watch *w);
void plua_watch_init(struct plua_watch *w);
/* Record that the code at stack level 1 of L calls fn / that it returned. */
void plua_watch_enter(struct plua_watch *w, lua_State *L, const char *fn);
void plua_watch_clear(struct plua_watch *w);
/* What w says, for a message: 1 with the function's name in fn and the
** calling line in where ("FILE:LINE", or "?"); 0 when none is recorded. */
int plua_watch_read(struct plua_watch *w, char *fn, size_t fnlen, char *where, size_t wlen);

/* Times: now, now + seconds, whether t has passed. */
void plua_time_after(struct timespec *t, double seconds);
int plua_time_past(const struct timespec *t);

#endif
