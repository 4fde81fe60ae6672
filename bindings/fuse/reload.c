/*
** Live reload: SIGHUP (and with --watch, a change to a .lua file beside the
** layout or the world) loads the scripts again into a new generation while
** the old one serves (served.c).  A script that fails keeps the old tree
** and logs FILE:LINE.  Once the new tree is current, the kernel is told to
** forget the names it holds of the old one, whose inode numbers meant the
** old layout's entries: every name in the root (static entries, tasks),
** which takes everything beneath with it.
**
** One thread does it all: the signal handler only writes a byte to a pipe,
** and the notifications go out from here, never from a request (see
** notify.c for why).
*/
#include "pl_fuse.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* Quiet time after a file change before reloading: an editor's save is
** several events (write, rename, chmod). */
#define SETTLE_MS 100

struct pl_reloader {
	struct fuse_session *se;
	struct pl_served *served;
	pthread_t thread;
	int pipe[2];               /* SIGHUP and stop write a byte here */
	int inotify;               /* --watch: the scripts' directories; -1 */
	atomic_int stop;
	struct sigaction old_hup;
};

static int hup_fd = -1;        /* the write end, for the handler */

static void on_hup(int sig)
{
	(void)sig;
	int saved = errno;
	char c = 'h';
	if (write(hup_fd, &c, 1) < 0) { /* full: a reload is pending anyway */ }
	errno = saved;
}

static void forget(void *arg, const char *name, size_t len, uint64_t ino)
{
	struct pl_reloader *r = arg;
	fuse_lowlevel_notify_inval_entry(r->se, FUSE_ROOT_ID, name, len);
	if (ino) /* attributes of an inode still held (an open file, a cwd) */
		fuse_lowlevel_notify_inval_inode(r->se, pl_fuse_node(ino), -1, 0);
}

static void reload(struct pl_reloader *r, const char *why)
{
	char err[1024];
	struct pl_generation *old;
	if (pl_served_reload(r->served, &old, err, sizeof err) < 0) {
		fprintf(stderr, "proclua: reload (%s) failed, still serving the tree loaded before: "
		        "%s\n", why, err);
		return;
	}
	pl_tree_each_root_name(&old->tree, forget, r);
	pl_served_leave(old);
	fprintf(stderr, "proclua: reloaded %s (%s)\n", r->served->layout, why);
}

/* Whether an inotify event names a file a reload reads: a Lua file. */
static int names_script(const struct inotify_event *ev)
{
	size_t n = ev->len ? strlen(ev->name) : 0;
	return n > 4 && strcmp(ev->name + n - 4, ".lua") == 0;
}

/* Read the pending inotify events: 1 if one names a script. */
static int drain_inotify(int fd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			hit |= names_script(ev);
			p += sizeof *ev + ev->len;
		}
	}
	return hit;
}

static void *run(void *arg)
{
	struct pl_reloader *r = arg;
	for (;;) {
		struct pollfd p[2] = { { r->pipe[0], POLLIN, 0 }, { r->inotify, POLLIN, 0 } };
		if (poll(p, r->inotify >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		int hup = 0;
		if (p[0].revents) {
			char c[64];
			ssize_t n = read(r->pipe[0], c, sizeof c);
			if (atomic_load(&r->stop))
				return NULL;
			hup = n > 0;
		}
		int changed = r->inotify >= 0 && p[1].revents && drain_inotify(r->inotify);
		if (changed) { /* let the save settle */
			struct pollfd q = { r->inotify, POLLIN, 0 };
			while (poll(&q, 1, SETTLE_MS) > 0)
				drain_inotify(r->inotify);
		}
		if (hup || changed)
			reload(r, hup ? "SIGHUP" : "a script changed");
	}
	return NULL;
}

/* Watch the directory of path (where the script and the modules it
** requires beside it live). */
static int watch_dir_of(int fd, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path) > 0 ? (int)(slash - path) : 1, path);
	return inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE);
}

struct pl_reloader *pl_reloader_start(struct fuse_session *se, struct pl_served *s, int watch)
{
	struct pl_reloader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->se = se;
	r->served = s;
	r->inotify = -1;
	if (pipe2(r->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		perror("proclua: reload pipe");
		free(r);
		return NULL;
	}
	if (watch) {
		r->inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (r->inotify < 0 || watch_dir_of(r->inotify, s->layout) < 0 ||
		    (s->world && watch_dir_of(r->inotify, s->world) < 0)) {
			perror("proclua: --watch");
			if (r->inotify >= 0)
				close(r->inotify);
			r->inotify = -1;
		}
	}
	hup_fd = r->pipe[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_hup;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (pthread_create(&r->thread, NULL, run, r) != 0) {
		perror("proclua: reload thread");
		close(r->pipe[0]);
		close(r->pipe[1]);
		if (r->inotify >= 0)
			close(r->inotify);
		free(r);
		return NULL;
	}
	if (sigaction(SIGHUP, &sa, &r->old_hup) < 0)
		perror("proclua: SIGHUP");
	return r;
}

void pl_reloader_stop(struct pl_reloader *r)
{
	if (!r)
		return;
	sigaction(SIGHUP, &r->old_hup, NULL);
	atomic_store(&r->stop, 1);
	char c = 's'; /* a full pipe wakes the thread as well */
	while (write(r->pipe[1], &c, 1) < 0 && errno == EINTR)
		;
	pthread_join(r->thread, NULL);
	hup_fd = -1;
	close(r->pipe[0]);
	close(r->pipe[1]);
	if (r->inotify >= 0)
		close(r->inotify);
	free(r);
}
