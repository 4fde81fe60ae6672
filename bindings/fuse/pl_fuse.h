/*
** The FUSE front end: the operations table (ops.c), the notifier
** (notify.c), the io_uring transport (uring.c), the command line
** (options.c), what a mount serves (served.c) and the program (main.c).
*/
#ifndef PL_FUSE_H
#define PL_FUSE_H

/* 3.12: the loop configuration main.c builds (fuse_loop_cfg_*); with an
** older version the loop would read it as the old struct. */
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "tree/tree.h"

extern const struct fuse_lowlevel_ops pl_fuse_ops;

/* The FUSE node id the kernel knows tree inode `ino` by (ops.c). */
fuse_ino_t pl_fuse_node(uint64_t ino);

/* notify.c: drops what the kernel caches of tasks the source announces as
** changed, from a thread of its own. */
struct pl_notifier;
struct pl_served;
struct pl_notifier *pl_notifier_start(struct fuse_session *se, struct pl_served *s);
void pl_notifier_changed(void *notifier, pl_pid tgid, pl_pid tid); /* a pl_change_fn */
void pl_notifier_stop(struct pl_notifier *n);

/* exits.c: the host's task exits drop the names the kernel caches of them
** (core/source/exitwatch.h).  NULL when the kernel does not report exits to
** the daemon: then host task names are not cached.  Start before the loop
** (it sets the served generations' tree.exits); stop after it. */
struct pl_exits;
struct pl_exits *pl_exits_start(struct fuse_session *se, struct pl_served *s);
void pl_exits_stop(struct pl_exits *x);

/* slowlane.c: reads that copy another process's memory in, and writes that
** copy into it, a few at a time per caller uid (see there).  admit (data:
** a write's size bytes, NULL for a read): 1 when the caller may serve the
** request now (then pl_slowlane_done(uid) after its reply), 0 when it was
** queued (the pool replies), -errno when it could not be (the caller
** replies). */
int pl_slowlane_start(void);
int pl_slowlane_admit(fuse_req_t req, struct pl_tree *tree, struct pl_file *f,
                      const struct pl_caller *c, uint64_t off, size_t size, const char *data);
void pl_slowlane_done(uint32_t uid);
void pl_slowlane_stop(void);

/* relay.c: reads and writes of a caller's own pipe opened through the
** mount (pl_tree_relay_fd), which wait in a thread of its own as the
** pipe's would (see there).  read/write always reply; nonblock: the
** caller's file is O_NONBLOCK.  Without the thread (start failed, or a
** ring thread serving), what would wait answers EAGAIN. */
int pl_relay_start(void);
void pl_relay_read(fuse_req_t req, struct pl_file *f, size_t size, int nonblock);
void pl_relay_write(fuse_req_t req, struct pl_file *f, struct pl_caller *c, const char *buf,
                    size_t size, int nonblock);
void pl_relay_stop(void);

/* uring.c: FUSE over io_uring beside the classic loop, for a session
** mounted but not yet looping.  NULL, after a one-line notice on stderr,
** when it cannot be used: the classic loop then serves everything, as
** without it.  Stop it once the loop has returned (joins its threads). */
struct pl_uring;
struct pl_uring *pl_uring_start(struct fuse_session *se);
void pl_uring_stop(struct pl_uring *u);
/* Whether this thread is a ring thread (its replies must be made before
** its handler returns). */
int pl_uring_thread(void);

/* options.c: the command line.  The strings are the parser's, freed by
** pl_options_free. */
struct pl_options {
	char *layout;         /* --layout: a layout script; NULL: the stock one */
	char *world;          /* --world: a world script; NULL: the host's tasks */
	int view_root;        /* --view-root: the pid shown as 1; 0 or less: not given */
	int check;            /* --check: load, report, do not mount */
	int io_uring;         /* --io-uring: try FUSE over io_uring */
	int watch;            /* --watch: reload when a script file changes */
	char *log;            /* --log: where messages go in the background; NULL: syslog */
	struct fuse_cmdline_opts fuse; /* libfuse's own: mount point, loop */
};

enum pl_parse_result {
	PL_PARSE_SERVE,    /* go on: load the layout, then check or mount */
	PL_PARSE_ANSWERED, /* --help or --version was printed: exit 0 */
	PL_PARSE_FAILED,   /* a bad command line, which libfuse reported: exit 1 */
};

/* Parse the command line in args, leaving there the options the session
** takes (-o ...); fills opt whatever the result. */
enum pl_parse_result pl_options_parse(struct fuse_args *args, struct pl_options *opt);
void pl_options_free(struct pl_options *opt);

/* log.c: once daemonized, stderr goes to the file at `path` (appended),
** or with no path to syslog; in the foreground it stays.  0 or -errno. */
int pl_log_start(const char *path, int foreground);

/*
** served.c: what a mount serves.  Each load of the layout (and world) is a
** generation; a reload makes a new one current.  A request works in the
** generation current when it came (enter, then leave when answered); an
** open file or directory in the one it was opened in until released, so a
** reload never changes what an open handle shows.  A generation's layout,
** Lua states and world go once nothing is left in it.
*/
struct plua;
struct pl_generation {
	struct pl_tree tree;      /* what the FUSE operations answer from */
	struct pl_source *source; /* the tasks served: host, a world's, or view */
	struct pl_source *view;   /* a pid view over the host's or world's tasks, or NULL */
	struct plua *lua;         /* the layout's Lua states; own a world's source */
	atomic_long refs;         /* requests in it, open handles, 1 while current */
	atomic_int freed;         /* what it served is gone (the struct stays) */
	struct pl_generation *older; /* retired ones, freed with the pl_served */
};

struct pl_served {
	struct pl_source *host;   /* the host's /proc: a world's callers' own facts too */
	char *layout, *world, *stock; /* the scripts each generation loads */
	int view_root;            /* --view-root, or 0 */
	_Atomic(struct pl_generation *) current;
	pthread_mutex_t reload_lock;
	/* a world's announcements of changed tasks (set by main, given to
	** every generation's source) */
	void (*changed)(void *arg, pl_pid tgid, pl_pid tid);
	void *changed_arg;
	/* the host's task exits (set by main, given to every generation that
	** serves the host's tasks as they are), or NULL */
	struct pl_exitwatch *exits;
};

/* Load the layout (and the world) opt names and make the first generation
** (with the pid view: opt's view root, else the layout's view = { root =,
** select = }): 0, or -1 after saying why on stderr.  Free s with
** pl_served_free either way. */
int pl_served_load(struct pl_served *s, const struct pl_options *opt);
/* The generation a request works in, until pl_served_leave. */
struct pl_generation *pl_served_enter(struct pl_served *s);
void pl_served_leave(struct pl_generation *g);
/* Load the scripts again into a new generation and make it current: 0 and
** *old the one it replaced (entered: leave it once done with it), or -1
** with why ("layout error: FILE:LINE: ...") in err, and the current one
** unchanged. */
int pl_served_reload(struct pl_served *s, struct pl_generation **old, char *err, size_t errlen);
void pl_served_free(struct pl_served *s);

/* reload.c: reloads on SIGHUP, and with `watch` when a script file
** changes, from a thread of its own; drops what the kernel caches of the
** tree replaced.  NULL after saying why. */
struct pl_reloader;
struct pl_reloader *pl_reloader_start(struct fuse_session *se, struct pl_served *s, int watch);
void pl_reloader_stop(struct pl_reloader *r);

#endif
