/*
** Links and files of the tree: readlink, and open/read/release with the
** content made where Linux makes it (see pl_tree_open).
*/
#include "tree/node.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/net.h"
#include "record/scratch.h"
#include "tree/machine_as.h"
#include "write/write.h"


static int readlink_builtin(struct pl_tree *k, struct pl_caller *c, struct node n,
                            int gen, struct pl_buf *out)
{
	if (gen == PL_G_SELF || gen == PL_G_THREAD_SELF) {
		pl_pid tgid, tid;
		int rc = tree_caller_in_tree(k, c, &tgid, &tid);
		if (rc < 0)
			return rc;
		if (k->host) /* a world: the walk goes on to the caller's own (object.c) */
			tree_object_note_self(c->pid, 1);
		if (gen == PL_G_SELF)
			pl_buf_printf(out, "%d", (int)tgid);
		else
			pl_buf_printf(out, "%d/task/%d", (int)tgid, (int)tid);
		return pl_buf_status(out);
	}
	return pl_builtin_read(k->src, c, n.tgid, n.tid, gen, out);
}

int pl_tree_readlink(struct pl_tree *k, struct pl_caller *c, uint64_t ino, struct pl_buf *out)
{
	struct node n = decode(ino);
	if (k->host) /* a world: a link other than self ends a walk through it */
		tree_object_note_self(c->pid, 0);
	if (is_object(n))
		return tree_object_readlink(k, c, n, out);
	if (n.tgid && is_mapf_slot(n.slot))
		return tree_mapfiles_readlink(k, c, n, out);
	if (n.tgid && is_fd_slot(n.slot)) {
		if (is_fdinfo(n.slot))
			return -EINVAL;
		int permitted;
		int rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, PL_G_FD_LINK, &permitted);
		struct pl_fd f;
		if (rc == 0)
			rc = pl_source_load_fd(k->src, n.tgid, n.tid, fd_of(n.slot), &pl_scratch()->arena, &f);
		if (rc < 0)
			return rc;
		if (!f.target) /* the kernel refused the daemon */
			return -f.err;
		/* the walk following it looks up what it names next (object.c) */
		if (pl_link_names_object(f.target))
			tree_object_note_fd(c->pid, fd_of(n.slot), 0);
		pl_buf_puts(out, f.target);
		return pl_buf_status(out);
	}
	const struct pl_entry *e = entry_of(k, n.slot);
	if (!e)
		return -EINVAL;
	if (e->kind == PL_K_SYMLINK) {
		pl_buf_add(out, e->content, e->content_len);
		return pl_buf_status(out);
	}
	if (e->kind != PL_K_LINK)
		return -EINVAL;
	return readlink_builtin(k, c, n, e->gen, out);
}

/* ------------------------------------------------------------------------
** files
*/

static int new_file(struct pl_file **out, pl_pid tgid)
{
	struct pl_file *f = calloc(1, sizeof *f);
	if (!f)
		return -ENOMEM;
	f->tgid = tgid;
	f->pin = (struct pl_pin)PL_PIN_NONE;
	f->real_fd = -1;
	pthread_mutex_init(&f->lock, NULL);
	*out = f;
	return 0;
}

/* Hand the formatted bytes to the handle: one copy, sized to fit, when the
** opener's budget has room; else the handle serves from the worker's
** buffer and makes the file anew at each read. */
static int keep_snapshot(struct pl_file *f, const struct pl_buf *b)
{
	f->len = b->len;
	if (!pl_budget_take(f->uid, b->len)) {
		f->remade = 1;
		f->data = b->data;
		return 0;
	}
	char *p = malloc(b->len ? b->len : 1);
	if (!p) {
		pl_budget_give(f->uid, b->len);
		return -ENOMEM;
	}
	if (b->len) /* an empty file's buffer may have no storage (NULL) */
		memcpy(p, b->data, b->len);
	f->data = p;
	return 0;
}

/*
** A host's setting kept per namespace (net.*, kernel.hostname,
** kernel.pid_max, user.*) as a reader in a namespace of its own sees it:
** the kernel's own bytes, read in that namespace (write/host.c).
** -EAGAIN where the reader shares the daemon's.
*/
static int read_setting_as(struct pl_tree *k, struct pl_caller *c, int setting, struct pl_buf *out)
{
	int ns = pl_sysctl_namespace(setting);
	if (ns == PL_SYSCTL_NS_NONE || !k->src->ops->open_host_file)
		return -EAGAIN;
	char path[96], text[4096];
	int rc = pl_sysctl_path(setting, path, sizeof path);
	ssize_t n = rc < 0 ? rc : pl_host_read_setting(k->src, path, ns, c, text, sizeof text);
	if (n < 0)
		return (int)n;
	pl_buf_add(out, text, (size_t)n);
	return pl_buf_status(out);
}

/*
** A setting with no row: as the reader's namespace has it where that is
** not the daemon's (read_setting_as), else the source's value.
*/
static int read_setting(struct pl_tree *k, struct pl_caller *c, const struct pl_entry *e,
                        struct pl_buf *out)
{
	int ns = pl_setting_namespace(e->content);
	if (ns != PL_SYSCTL_NS_NONE && k->src->ops->open_host_file) {
		char path[280], text[4096];
		snprintf(path, sizeof path, "sys/%s", e->content);
		ssize_t n = pl_host_read_setting(k->src, path, ns, c, text, sizeof text);
		if (n != -EAGAIN) {
			if (n < 0)
				return (int)n;
			pl_buf_add(out, text, (size_t)n);
			return pl_buf_status(out);
		}
	}
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	pl_arena_reset(&s->arena);
	struct pl_setting v;
	int rc = k->src->ops->load_setting ? k->src->ops->load_setting(k->src, e->content, &s->arena, &v)
	                                   : -ENOENT;
	return rc < 0 ? rc : pl_fmt_setting(&v, out);
}

/* A file's content; permitted < 0: the access decision is still to make. */
static int generate(struct pl_tree *k, struct pl_caller *c, struct node n,
                    const struct pl_entry *e, int permitted, struct pl_buf *out)
{
	if (e->kind == PL_K_LUA) /* made at open only, where the task was just found */
		return k->lua_read ? k->lua_read(k->lua_ctx, e->ref, n.tgid, n.tid, c, out) : -EIO;
	if (e->kind == PL_K_SETTING)
		return read_setting(k, c, e, out);
	int rc;
	int setting = n.tgid ? -1 : pl_builtin_sysctl(e->gen);
	if (setting >= 0 && (rc = read_setting_as(k, c, setting, out)) != -EAGAIN)
		return rc;
	if (!n.tgid && (rc = pl_machine_as_reader(k->src, c, e->gen, out)) != -EAGAIN)
		return rc;
	if (permitted < 0 && (rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, e->gen, &permitted)) < 0)
		return rc;
	unsigned flags = pl_builtins[e->gen].flags;
	struct pl_reader r = { permitted, pl_builtin_ids(c, e->gen), 0, 0 };
	/* a task reading its own stat or status runs while it reads */
	r.runs = (flags & PL_B_SHOWS_RUNNING) && pl_builtin_reader_is(k->src, c, n.tgid, n.tid);
	if (flags & PL_B_BOOTTIME)
		r.boot_shift_ns = tree_caller_boot_shift(k, c);
	return pl_builtin_format_as(k->src, n.tgid, n.tid, e->gen, &r, out);
}

static int open_fdinfo(struct pl_tree *k, struct pl_caller *c, struct node n,
                       struct pl_buf *out)
{
	int permitted;
	int rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, PL_G_FDINFO, &permitted);
	if (rc < 0)
		return rc;
	struct pl_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	rc = k->src->ops->load_fdinfo(k->src, n.tgid, n.tid, fd_of(n.slot), &pl_scratch()->arena, &fi);
	if (rc < 0)
		return rc;
	rc = pl_fmt_fdinfo(&fi, out);
	return rc < 0 ? rc : pl_buf_status(out);
}

/* Files that read the address space Linux's proc_mem_open pins, after
** their open. */
static int pins_mm(const struct pl_builtin *b)
{
	return b && (b->flags & PL_B_MM_OPEN) && !(b->flags & PL_B_AT_OPEN);
}

/* Take the file's snapshot (once per handle); the reader makes the checks
** Linux makes at read time. */
static int make(struct pl_tree *k, struct pl_file *f, struct pl_caller *reader)
{
	struct node n = decode(f->ino);
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	struct pl_buf *gen_buf = &s->gen;
	pl_buf_reset(gen_buf);
	int rc = f->entry ? generate(k, reader, n, f->entry, f->decided ? f->permitted : -1, gen_buf)
	         : is_iface_slot(n.slot) ? tree_ifaces_read(k, n, gen_buf)
	                                 : open_fdinfo(k, reader, n, gen_buf);
	/* The content is the pinned task's only if that task still lived once
	** it was made (its number cannot have been reused before), and an
	** address space pinned at open reads empty once an exec or the exit
	** dropped it. */
	int builtin = n.tgid && (!f->entry || f->entry->kind == PL_K_FILE); /* or fdinfo */
	int pinned = builtin ? pl_source_pin_check(k->src, &f->pin) : 0;
	unsigned flags = builtin && f->entry ? pl_builtins[f->entry->gen].flags : 0;
	if (pinned < 0 || (pinned > 0 && (flags & PL_B_MM_GONE_ESRCH)))
		rc = -ESRCH;
	else if (pinned > 0 && (flags & PL_B_MM_OPEN))
		pl_buf_reset(gen_buf);
	if (rc == -ESRCH && f->entry && f->entry->kind == PL_K_FILE &&
	    (pl_builtins[f->entry->gen].flags & PL_B_GONE_EOF)) {
		pl_buf_reset(gen_buf); /* its mm is gone: nothing left to read */
		rc = 0;
	}
	if (rc == 0 && f->remade) { /* serve from the worker's buffer */
		f->data = gen_buf->data;
		f->len = gen_buf->len;
	} else if (rc == 0) {
		rc = keep_snapshot(f, gen_buf);
	}
	if (rc == 0)
		f->made = 1;
	return rc;
}

/*
** A host task's file is opened for real, as the opener (the kernel makes
** its open-time checks); a world's task keeps the opener as it is now,
** for the rules that judge the writes by who opened the file.
*/
static int open_for_writing(struct pl_tree *k, struct pl_caller *c, struct node n,
                            const struct pl_builtin *b, int flags, struct pl_file *f)
{
	if (f->pin.task_fd >= 0) {
		char buf[40]; /* the file's path in the task's directory: "attr/current" */
		const char *path = pl_builtin_absent_name((int)(b - pl_builtins), buf, sizeof buf);
		int fd = pl_write_host_open(k->src, &f->pin, path ? path : b->name, flags, c);
		if (fd < 0)
			return fd;
		f->real_fd = fd;
		return 0;
	}
	/* what the rules may ask of the opener, read now: it may change later */
	pl_caller_load(c);
	pl_caller_caps(c);
	pl_caller_load_userns(c);
	if (!(f->opener = malloc(sizeof *f->opener)))
		return -ENOMEM;
	*f->opener = *c;
	if (!b->open_write)
		return 0;
	struct pl_write w = { .src = k->src, .tgid = n.tgid, .tid = n.tid, .pin = &f->pin,
	                      .writer = c, .opener = f->opener };
	return b->open_write(&w);
}

/*
** A sys/ setting opened for writing: a host's is the kernel's own file,
** opened as the opener and in its namespaces (write/host.c); a world's
** keeps the opener, as a world task's file does.
*/
static int open_setting_for_writing(struct pl_tree *k, struct pl_caller *c, int setting,
                                    const struct pl_entry *e, int flags, struct pl_file *f)
{
	if (k->src->ops->open_host_file) {
		char path[280];
		int rc = setting >= 0 ? pl_sysctl_path(setting, path, sizeof path)
		         : snprintf(path, sizeof path, "sys/%s", e->content) < (int)sizeof path ? 0
		         : -ENAMETOOLONG;
		int fd = rc < 0 ? rc : pl_write_host_open(k->src, NULL, path, flags, c);
		if (fd < 0)
			return fd;
		f->real_fd = fd;
		return 0;
	}
	/* a setting the world's machine has not is no file to open (ENOENT) */
	struct pl_arena a = PL_ARENA_INIT;
	struct pl_sysctl v;
	int rc = k->src->ops->load_sysctl ? k->src->ops->load_sysctl(k->src, setting, &a, &v) : -ENOENT;
	pl_arena_free(&a);
	if (rc < 0)
		return rc;
	pl_caller_load(c);
	pl_caller_caps(c);
	pl_caller_load_userns(c);
	if (!(f->opener = malloc(sizeof *f->opener)))
		return -ENOMEM;
	*f->opener = *c;
	return 0;
}

static ssize_t tree_write_at(struct pl_tree *k, struct pl_caller *writer, struct pl_file *f,
                             const struct pl_builtin *b, uint64_t off, const char *buf, size_t len);

ssize_t pl_tree_write(struct pl_tree *k, struct pl_caller *writer, struct pl_file *f,
                      uint64_t off, const char *buf, size_t len)
{
	if (f->object)
		return tree_object_write(f, buf, len);
	if (!f->writable) { /* no write method (opened for writing all the same) */
		int net = f->entry && f->entry->kind == PL_K_FILE ? pl_builtin_net_file(f->entry->gen) : -1;
		if (!f->entry && is_iface_slot(decode(f->ino).slot))
			return -EIO; /* dev_snmp6/'s files have no write method */
		return net >= 0 ? pl_net_write_error(net) : -EINVAL;
	}
	struct node n = decode(f->ino);
	const struct pl_entry *e = f->entry;
	if (e->kind == PL_K_LUA)
		return k->lua_write ? k->lua_write(k->lua_ctx, e->wref, n.tgid, n.tid, buf, len, off,
		                                   writer)
		                    : -EIO;
	const struct pl_builtin *b = &pl_builtins[e->gen];
	if (e->kind == PL_K_FILE && (b->flags & PL_B_WRITE_STAYS)) {
		/* the kernel's position never moved: a write where this handle's
		** last one left FUSE's is one at 0 (an lseek to just there too) */
		pthread_mutex_lock(&f->lock);
		uint64_t at = f->write_pos;
		pthread_mutex_unlock(&f->lock);
		ssize_t done = tree_write_at(k, writer, f, b, off == at ? 0 : off, buf, len);
		if (done > 0 && off == at) {
			pthread_mutex_lock(&f->lock);
			f->write_pos = at + (uint64_t)done;
			pthread_mutex_unlock(&f->lock);
		}
		return done;
	}
	return tree_write_at(k, writer, f, b, off, buf, len);
}

/* A builtin's write at off: the host's kernel, or the world's rule. */
static ssize_t tree_write_at(struct pl_tree *k, struct pl_caller *writer, struct pl_file *f,
                             const struct pl_builtin *b, uint64_t off, const char *buf, size_t len)
{
	struct node n = decode(f->ino);
	const struct pl_entry *e = f->entry;
	if (f->real_fd >= 0 && e->kind == PL_K_SETTING) {
		pthread_mutex_lock(&f->lock);
		ssize_t done = pl_write_host(NULL, f->real_fd, e->content, writer, buf, len, off);
		pthread_mutex_unlock(&f->lock);
		return done;
	}
	if (f->real_fd >= 0) { /* one at a time: a seq_file's write seeks first (host.c) */
		pthread_mutex_lock(&f->lock);
		char name[40];
		const char *path = pl_builtin_absent_name(e->gen, name, sizeof name);
		ssize_t done = n.tgid ? pl_write_host(&f->pin, f->real_fd, path ? path : b->name, writer,
		                                      buf, len, off)
		                      : pl_write_host(NULL, f->real_fd, b->name, writer, buf, len, off);
		pthread_mutex_unlock(&f->lock);
		return done;
	}
	struct pl_write w = { .src = k->src, .tgid = n.tgid, .tid = n.tid, .pin = &f->pin,
	                      .writer = writer, .opener = f->opener,
	                      .buf = buf, .len = len, .off = off,
	                      .sysctl = n.tgid ? -1 : pl_builtin_sysctl(e->gen) };
	if (tree_caller_in_tree(k, writer, &w.writer_tgid, &w.writer_tid) < 0)
		w.writer_tgid = w.writer_tid = 0;
	return b->write(&w);
}

/* procfs's setattr takes a size and does nothing with it (an open with
** O_TRUNC), once the caller may write the node. */
int pl_tree_truncate(struct pl_tree *k, struct pl_caller *c, uint64_t ino)
{
	return pl_tree_access(k, c, ino, PL_MAY_WRITE);
}

/*
** Content is made where Linux makes it: files that pin an mm or a namespace
** at open (auxv, mounts, id maps) and Lua files are snapshotted at open;
** the others (seq_files) at the first read, so a task reaped in between
** reads as ESRCH (or, for environ, end of file).  Checks happen where Linux
** makes them: at open for the files proc_mem_open guards, at read, for the
** reader, for io and for stat's and wchan's masked fields.
*/
int pl_tree_open(struct pl_tree *k, struct pl_caller *c, uint64_t ino, int flags,
                struct pl_file **out)
{
	struct node n = decode(ino);
	struct pl_file *f;
	int rc;
	if (k->host) /* a world: a walk through self ends at an open (object.c) */
		tree_object_note_self(c->pid, 0);
	if (is_object(n)) { /* what a magic link leads to: its checks are its own */
		if ((rc = new_file(&f, 0)) < 0)
			return rc;
		f->ino = ino;
		f->uid = c->uid;
		if ((rc = tree_object_open(k, c, n, flags, f)) < 0) {
			pl_tree_release(k, f);
			return rc;
		}
		*out = f;
		return 0;
	}
	int acc = flags & O_ACCMODE;
	int writing = acc != O_RDONLY;
	rc = pl_tree_access(k, c, ino, acc == O_RDONLY ? PL_MAY_READ : acc == O_WRONLY ? PL_MAY_WRITE
	                                      : PL_MAY_READ | PL_MAY_WRITE);
	if (rc < 0)
		return rc;
	const struct pl_entry *e = NULL;
	if (!(n.tgid && (is_fd_slot(n.slot) || is_iface_slot(n.slot)))) {
		e = n.tgid ? entry_of(k, n.slot) : root_entry(k, n);
		if (!e || (n.tgid == 0) != (e->scope == PL_SCOPE_ROOT))
			return -ENOENT;
		if (pl_entry_type(e) != S_IFREG)
			return -EISDIR;
	}
	const struct pl_builtin *b = e && e->kind == PL_K_FILE ? &pl_builtins[e->gen] : NULL;
	int setting = b && !n.tgid ? pl_builtin_sysctl(e->gen) : -1;
	/* seq_open_net refuses any opener for writing, root too */
	int net = b ? pl_builtin_net_file(e->gen) : -1;
	if (writing && net >= 0 && !pl_net_single(net))
		return -EACCES;
	/* Only files with a write method take writes, whatever a layout's mode;
	** the others open for writing once the mode bits allow it (root's
	** CAP_DAC_OVERRIDE) and refuse each write, as procfs's do (EINVAL). */
	int host_setting = e && e->kind == PL_K_SETTING && k->src->ops->open_host_file;
	int takes_writes = (b && b->write && (n.tgid || setting >= 0)) ||
	                   (e && e->kind == PL_K_LUA && e->wref) || host_setting;
	rc = new_file(&f, n.tgid);
	if (rc < 0)
		return rc;
	f->ino = ino;
	f->entry = e;
	f->uid = c->uid;
	f->writable = writing && takes_writes;
	if (e && e->kind == PL_K_STUB) {
		f->data = e->content;
		f->len = e->content_len;
		f->borrowed = 1;
		f->made = 1;
	} else if (n.tgid && !(rc = pl_source_pin(k->src, n.tgid, n.tid,
	                                         !pins_mm(b) ? PL_PIN_TASK
	                                         : f->writable ? PL_PIN_MM_WRITE : PL_PIN_MM,
	                                         &f->pin)) &&
	           b && !b->mneed) {
		if (b->flags & (PL_B_MM_OPEN | PL_B_MM_ESRCH | PL_B_MM_SKIP | PL_B_CHECK_OPEN)) {
			rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, e->gen, &f->permitted);
			f->decided = 1;
		}
		f->is_mem = e->gen == PL_G_MEM;
		f->is_pagemap = e->gen == PL_G_PAGEMAP;
		f->made = f->is_mem || f->is_pagemap;
		/* a host task's pagemap: the real file opened as the opener, whose
		** credentials the kernel checks and shows frame numbers for */
		if (rc == 0 && f->is_pagemap && f->pin.task_fd >= 0) {
			f->real_fd = pl_write_host_open(k->src, &f->pin, "pagemap", O_RDONLY, c);
			rc = f->real_fd < 0 ? f->real_fd : 0;
		}
		/* the kernel refused the daemon the address space: mem refuses
		** the opener alike; the others are made now from what the kernel
		** shows, so a refusal there too is the open's, as in Linux */
		if (rc == 0 && f->pin.mm_err)
			rc = f->is_mem ? -f->pin.mm_err : acc != O_WRONLY ? make(k, f, c) : 0;
		if (rc == 0 && f->writable)
			rc = open_for_writing(k, c, n, b, flags, f);
	} else if ((setting >= 0 || host_setting) && f->writable) {
		rc = open_setting_for_writing(k, c, setting, e, flags, f);
	}
	/* a Lua file declared with Linux's check for what it shows (check =
	** "ptrace_read": environ's; "ptrace_attach": mem's) is refused where
	** that file is */
	if (rc == 0 && e && e->kind == PL_K_LUA && e->check && n.tgid) {
		int permitted;
		rc = pl_builtin_decide(k->src, c, n.tgid, n.tid, e->check, &permitted);
	}
	/* a handle opened only for writing is never read: nothing to make (a
	** setting is made at its first read, where the kernel's handler runs
	** and may fail) */
	if (rc == 0 && !f->made && acc != O_WRONLY && !(e && e->kind == PL_K_SETTING) &&
	    (!b || (b->flags & PL_B_AT_OPEN) || b->mneed))
		rc = make(k, f, c);
	if (rc < 0) {
		pl_tree_release(k, f);
		return rc;
	}
	*out = f;
	return 0;
}

/* A read from the start, after one that was answered, shows the file as it
** is now, as Linux's seq_files do (top and psutil read /proc/stat and a
** task's stat again through one fd, from offset 0, each time they sample);
** once the task is out of reach the handle keeps what it showed. */
static void remake(struct pl_tree *k, struct pl_file *f, struct pl_caller *c)
{
	const char *old = f->data;
	size_t old_len = f->len;
	if (make(k, f, c) < 0) {
		f->data = old;
		f->len = old_len;
		return;
	}
	pl_budget_give(f->uid, old_len);
	free((void *)old);
}

ssize_t pl_tree_read(struct pl_tree *k, struct pl_caller *c, struct pl_file *f, uint64_t off,
                     size_t size, char *buf, const char **data)
{
	if (f->object) {
		*data = buf;
		return tree_object_read(f, buf, size);
	}
	if (f->is_mem) {
		/* Linux's mem_rw: an unreadable first page is EIO, a later one
		** ends the read short; a task without mm reads as empty. */
		ssize_t n = pl_source_read_pinned(k->src, &f->pin, off, buf, size);
		if (n == -EFAULT)
			n = -EIO;
		*data = buf;
		return n;
	}
	if (f->is_pagemap) {
		*data = buf;
		return tree_read_pagemap(k->src, f, off, size, buf);
	}
	/* Reads of one handle take turns (as a seq_file's do): the first makes
	** the snapshot the others read. */
	pthread_mutex_lock(&f->lock);
	ssize_t n = 0;
	if (!f->made || f->remade)
		n = make(k, f, c);
	else if (off == 0 && f->served && !f->borrowed)
		remake(k, f, c);
	f->served = 1;
	if (n == 0 && off < f->len) {
		n = (ssize_t)(size < f->len - off ? size : f->len - off);
		*data = f->data + off;
		if (!f->remade) { /* a release on another worker may free the snapshot
		                  ** as soon as the kernel has the reply */
			memcpy(buf, *data, (size_t)n);
			*data = buf;
		}
	}
	pthread_mutex_unlock(&f->lock);
	return n;
}

void pl_tree_release(struct pl_tree *k, struct pl_file *f)
{
	if (!f)
		return;
	pl_source_unpin(k->src, &f->pin);
	if (f->real_fd >= 0)
		close(f->real_fd);
	free(f->opener);
	if (f->made && !f->borrowed && !f->remade) {
		pl_budget_give(f->uid, f->len);
		free((void *)f->data);
	}
	pthread_mutex_destroy(&f->lock);
	free(f);
}

int pl_tree_read_copies_in(const struct pl_file *f)
{
	if (f->is_mem)
		return 1;
	int gen = f->entry && f->entry->kind == PL_K_FILE ? f->entry->gen : PL_G_NONE;
	return (!f->made || f->remade) && (gen == PL_G_CMDLINE || gen == PL_G_ENVIRON);
}

int pl_tree_write_copies_out(const struct pl_file *f)
{
	return f->is_mem && f->real_fd >= 0;
}

int pl_tree_ioctl(struct pl_tree *k, struct pl_file *f, unsigned cmd)
{
	(void)k;
	return f->object ? tree_object_ioctl(f, cmd) : -ENOTTY;
}

int pl_tree_relay_fd(const struct pl_file *f)
{
	return f->object == PL_OBJECT_RELAY ? f->real_fd : -1;
}
