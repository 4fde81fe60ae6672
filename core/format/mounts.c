/*
** mounts.c: /proc/<pid>/mountinfo, /proc/<pid>/mounts and mountstats.
**
** mountinfo is the richer file and is what a source records:
**
**   id parent major:minor root mountpoint mnt_opts [optional...] - fstype source super_opts
**
** mounts and mountstats carry nothing of their own; Linux prints them
** from the same mount and superblock, so they are derived here rather
** than stored.  Paths, the
** source and the type are kept escaped as the kernel printed them (space,
** tab, newline and backslash as \ooo), so every field but the last is one
** space-free token.  The source may be empty, which leaves two spaces.
*/
#include "format/format.h"
#include "format/scan.h"

#include <errno.h>
#include <string.h>

/* ====================================================================
** Formatting
** ==================================================================== */

static void put_field(struct pl_buf *out, const char *s)
{
	pl_buf_putc(out, ' ');
	pl_buf_puts(out, s ? s : "");
}

static void put_mountinfo_line(struct pl_buf *out, const struct pl_mount *m)
{
	pl_buf_u64(out, m->id);
	pl_buf_putc(out, ' ');
	pl_buf_u64(out, m->parent_id);
	pl_buf_putc(out, ' ');
	pl_buf_u64(out, m->dev_major);
	pl_buf_putc(out, ':');
	pl_buf_u64(out, m->dev_minor);
	put_field(out, m->root);
	put_field(out, m->mountpoint);
	put_field(out, m->mnt_opts);
	if (m->optional && *m->optional)
		put_field(out, m->optional);
	pl_buf_puts(out, " -");
	put_field(out, m->fstype);
	put_field(out, m->source);
	put_field(out, m->super_opts);
	pl_buf_putc(out, '\n');
}

/*
** mountinfo: PL_F_MOUNTS.  A task without a mount namespace (a zombie,
** whose nsproxy is gone) has neither this file nor mounts: Linux fails the
** open with EINVAL rather than reading empty.
*/
int pl_fmt_mountinfo(const struct pl_task *t, struct pl_buf *out)
{
	if (t->no_mnt_ns)
		return -EINVAL;
	for (size_t i = 0; i < t->nmounts; i++)
		put_mountinfo_line(out, &t->mounts[i]);
	return pl_buf_status(out);
}

/* The comma list after its leading ro/rw token: ",a,b" or "". */
static const char *after_first(const char *opts)
{
	const char *c = strchr(opts, ',');
	return c ? c : opts + strlen(opts);
}

static int first_is_ro(const char *opts)
{
	return strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' || opts[2] == '\0');
}

/*
** Length of the superblock flags at the head of `rest` (",sync,lazytime").
** Linux prints them right after the superblock's ro/rw and before the
** filesystem's own options, always in this order, each at most once.
*/
static size_t sb_flags_len(const char *rest)
{
	static const char *const flags[] = { "sync", "dirsync", "mand", "lazytime" };
	size_t n = 0;
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		size_t fl = strlen(flags[i]);
		const char *p = rest + n;
		if (p[0] == ',' && strncmp(p + 1, flags[i], fl) == 0 &&
		    (p[1 + fl] == ',' || p[1 + fl] == '\0'))
			n += 1 + fl;
	}
	return n;
}

/*
** mounts' option list, as show_vfsmnt builds it: ro when either the mount
** or its superblock is read-only, then the superblock flags, then the
** mount flags (nosuid ... nosymfollow, idmapped), then the filesystem's
** own options.
*/
static void put_vfsmnt_opts(struct pl_buf *out, const struct pl_mount *m)
{
	const char *mo = m->mnt_opts ? m->mnt_opts : "";
	const char *so = m->super_opts ? m->super_opts : "";
	const char *sb_rest = after_first(so);
	size_t nflags = sb_flags_len(sb_rest);

	pl_buf_puts(out, first_is_ro(mo) || first_is_ro(so) ? "ro" : "rw");
	pl_buf_add(out, sb_rest, nflags);
	pl_buf_puts(out, after_first(mo));
	pl_buf_puts(out, sb_rest + nflags);
}

/* mounts: PL_F_MOUNTS; no_mnt_ns as for mountinfo. */
int pl_fmt_mounts(const struct pl_task *t, struct pl_buf *out)
{
	if (t->no_mnt_ns)
		return -EINVAL;
	for (size_t i = 0; i < t->nmounts; i++) {
		const struct pl_mount *m = &t->mounts[i];
		pl_buf_puts(out, m->source ? m->source : "");
		put_field(out, m->mountpoint);
		put_field(out, m->fstype);
		pl_buf_putc(out, ' ');
		put_vfsmnt_opts(out, m);
		pl_buf_puts(out, " 0 0\n");
	}
	return pl_buf_status(out);
}

/*
** mountstats: PL_F_MOUNTS, Linux's show_vfsstat (fs/proc_namespace.c):
** "device SOURCE mounted on MOUNTPOINT with fstype TYPE\n", the same three
** fields mounts prints, escaped alike.  A filesystem with show_stats
** (NFS) adds its statistics after the type; a record keeps none, so such
** a mount's line ends at its type.  No nsproxy: EINVAL, as mounts.
*/
int pl_fmt_mountstats(const struct pl_task *t, struct pl_buf *out)
{
	if (t->no_mnt_ns)
		return -EINVAL;
	for (size_t i = 0; i < t->nmounts; i++) {
		const struct pl_mount *m = &t->mounts[i];
		pl_buf_puts(out, "device ");
		pl_buf_puts(out, m->source ? m->source : "");
		pl_buf_puts(out, " mounted on ");
		pl_buf_puts(out, m->mountpoint ? m->mountpoint : "");
		pl_buf_puts(out, " with fstype ");
		pl_buf_puts(out, m->fstype ? m->fstype : "");
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

/* ====================================================================
** Parsing.  A cursor walks one line; fields are split on single spaces
** (never runs of them: an empty source is a real, empty field).
** ==================================================================== */

struct cursor {
	const char *p, *e;
	int bad; /* the line is not mountinfo's shape */
	int oom;
};

/* Up to the next space (or the end), consuming that space. */
static void token(struct cursor *c, const char **s, size_t *n)
{
	const char *sp = memchr(c->p, ' ', (size_t)(c->e - c->p));
	*s = c->p;
	*n = (size_t)((sp ? sp : c->e) - c->p);
	c->p = sp ? sp + 1 : c->e;
	if (!sp)
		c->bad = 1; /* only the last field may end the line */
}

static uint32_t number(struct cursor *c, char stop)
{
	uint64_t v = 0;
	const char *p = c->p;
	for (; p < c->e && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			c->bad = 1;
	}
	if (p == c->p || p == c->e || *p != stop)
		c->bad = 1;
	c->p = p < c->e ? p + 1 : p;
	return (uint32_t)v;
}

static const char *str(struct pl_arena *a, struct cursor *c, const char *s, size_t n)
{
	const char *r = pl_arena_strndup(a, s, n);
	if (!r)
		c->oom = 1;
	return r;
}

static const char *field(struct pl_arena *a, struct cursor *c)
{
	const char *s;
	size_t n;
	token(c, &s, &n);
	return str(a, c, s, n);
}

/* The optional fields run up to the lone "-" that ends them. */
static const char *optional_fields(struct pl_arena *a, struct cursor *c)
{
	const char *start = c->p, *s;
	size_t n;
	for (;;) {
		const char *at = c->p;
		token(c, &s, &n);
		if (c->bad)
			return NULL;
		if (n == 1 && s[0] == '-')
			return at == start ? "" : str(a, c, start, (size_t)(at - 1 - start));
	}
}

static int parse_mount(struct pl_arena *a, const char *ls, const char *le, void *elem)
{
	struct pl_mount *m = elem;
	struct cursor c = { ls, le, 0, 0 };
	m->id = number(&c, ' ');
	m->parent_id = number(&c, ' ');
	m->dev_major = number(&c, ':');
	m->dev_minor = number(&c, ' ');
	m->root = field(a, &c);
	m->mountpoint = field(a, &c);
	m->mnt_opts = field(a, &c);
	m->optional = optional_fields(a, &c);
	m->fstype = field(a, &c);
	m->source = field(a, &c);
	/* The filesystem's options end the line and may hold anything. */
	m->super_opts = str(a, &c, c.p, (size_t)(le - c.p));
	if (c.oom)
		return -ENOMEM;
	return c.bad ? -EINVAL : 0;
}

int pl_parse_mountinfo(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	void *ms;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_mount), parse_mount, &ms, &n);
	if (rc < 0)
		return rc;
	t->mounts = ms;
	t->nmounts = n;
	t->have |= PL_F_MOUNTS;
	return 0;
}
