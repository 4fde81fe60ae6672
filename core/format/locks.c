/*
** locks: fs/locks.c locks_show and lock_get_status.  A line a lock, its
** place in the kernel's list first; the requests blocked on it follow with
** the same number, "-> " indented one column a level deeper.  The columns
** after it: kind and mode as fixed-width words, the type, the owner's pid,
** the file as dev major:minor:inode (hex, hex, decimal) or "<none>:0"
** without one, and the range (the POSIX kinds; others print "0 EOF").
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

/* kind and mode, printed one after the other, give the kernel's columns */
static const char *const kind_text[] = {
	[PL_LOCK_POSIX] = "POSIX  ", [PL_LOCK_ACCESS] = "ACCESS ", [PL_LOCK_OFDLCK] = "OFDLCK ",
	[PL_LOCK_FLOCK] = "FLOCK  ", [PL_LOCK_LEASE] = "LEASE  ", [PL_LOCK_DELEG] = "DELEG  ",
	[PL_LOCK_UNKNOWN] = "UNKNOWN ",
};
static const char *const mode_text[] = {
	[PL_LOCK_ADVISORY] = "ADVISORY  ", [PL_LOCK_NOINODE] = "*NOINODE* ",
	[PL_LOCK_ACTIVE] = "ACTIVE    ", [PL_LOCK_BREAKING] = "BREAKING  ",
	[PL_LOCK_BREAKER] = "BREAKER   ", [PL_LOCK_MODE_UNKNOWN] = "UNKNOWN  ",
};
static const char *const type_text[] = {
	[PL_LOCK_READ] = "READ ", [PL_LOCK_WRITE] = "WRITE ", [PL_LOCK_UNLCK] = "UNLCK ",
};
#define COUNT(a) (sizeof a / sizeof a[0])

static int posix_kind(unsigned kind)
{
	return kind == PL_LOCK_POSIX || kind == PL_LOCK_ACCESS || kind == PL_LOCK_OFDLCK;
}

static void put_lock(const struct pl_file_lock *l, struct pl_buf *out)
{
	pl_buf_printf(out, "%lld: ", (long long)l->id);
	if (l->depth)
		pl_buf_printf(out, "%*s", (int)(l->depth - 1 + 3), "-> ");
	pl_buf_puts(out, l->kind < COUNT(kind_text) ? kind_text[l->kind] : "");
	pl_buf_puts(out, l->mode < COUNT(mode_text) ? mode_text[l->mode] : "");
	pl_buf_puts(out, l->type < COUNT(type_text) ? type_text[l->type] : "");
	if (l->has_inode)
		pl_buf_printf(out, "%d %02x:%02x:%llu ", (int)l->pid, (unsigned)l->dev_major,
		              (unsigned)l->dev_minor, (unsigned long long)l->ino);
	else
		pl_buf_printf(out, "%d <none>:0 ", (int)l->pid);
	if (!posix_kind(l->kind))
		pl_buf_puts(out, "0 EOF\n");
	else if (l->end < 0)
		pl_buf_printf(out, "%lld EOF\n", (long long)l->start);
	else
		pl_buf_printf(out, "%lld %lld\n", (long long)l->start, (long long)l->end);
}

int pl_fmt_locks(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nlocks; i++)
		put_lock(&m->locks[i], out);
	return pl_buf_status(out);
}

static const char *scan_i64(const char *p, const char *end, int64_t *v)
{
	int neg = p < end && *p == '-';
	uint64_t u;
	if (!(p = pl_scan_u64(p + neg, end, &u)) || u > (uint64_t)INT64_MAX)
		return NULL;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return p;
}

static const char *scan_hex(const char *p, const char *end, uint32_t *v)
{
	uint32_t x = 0;
	const char *s = p;
	for (; p < end && p - s < 8; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			break;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return p > s ? p : NULL;
}

/* Which of words starts at p; -1 if none. */
static int match(const char *p, const char *end, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(words[i]);
		if ((size_t)(end - p) >= len && memcmp(p, words[i], len) == 0)
			return (int)i;
	}
	return -1;
}

/* The modes each kind prints with (lock_get_status). */
static int mode_fits(unsigned kind, unsigned mode)
{
	if (posix_kind(kind))
		return mode == PL_LOCK_ADVISORY || mode == PL_LOCK_NOINODE;
	if (kind == PL_LOCK_FLOCK)
		return mode == PL_LOCK_ADVISORY;
	if (kind == PL_LOCK_LEASE || kind == PL_LOCK_DELEG)
		return mode == PL_LOCK_ACTIVE || mode == PL_LOCK_BREAKING || mode == PL_LOCK_BREAKER;
	return mode == PL_LOCK_MODE_UNKNOWN;
}

static int lock_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	(void)a;
	struct pl_file_lock *l = elem;
	const char *p = line;
	int k;
	memset(l, 0, sizeof *l);
	if (!(p = scan_i64(p, nl, &l->id)) || nl - p < 2 || p[0] != ':' || p[1] != ' ')
		return -EINVAL;
	p += 2;
	const char *s = p;
	while (p < nl && *p == ' ')
		p++;
	if (nl - p >= 3 && memcmp(p, "-> ", 3) == 0) {
		l->depth = (uint32_t)(p - s) + 1;
		p += 3;
	}
	if ((k = match(p, nl, kind_text, COUNT(kind_text))) < 0)
		return -EINVAL;
	l->kind = (uint8_t)k;
	p += strlen(kind_text[k]);
	if ((k = match(p, nl, mode_text, COUNT(mode_text))) < 0 || !mode_fits(l->kind, (unsigned)k))
		return -EINVAL;
	l->mode = (uint8_t)k;
	p += strlen(mode_text[k]);
	if ((k = match(p, nl, type_text, COUNT(type_text))) < 0)
		return -EINVAL;
	l->type = (uint8_t)k;
	p += strlen(type_text[k]);
	int64_t v;
	if (!(p = scan_i64(p, nl, &v)) || v < INT32_MIN || v > INT32_MAX || p >= nl || *p++ != ' ')
		return -EINVAL;
	l->pid = (int32_t)v;
	if (nl - p >= 9 && memcmp(p, "<none>:0 ", 9) == 0) {
		p += 9;
	} else {
		l->has_inode = 1;
		if (!(p = scan_hex(p, nl, &l->dev_major)) || p >= nl || *p++ != ':' ||
		    !(p = scan_hex(p, nl, &l->dev_minor)) || p >= nl || *p++ != ':' ||
		    !(p = pl_scan_u64(p, nl, &l->ino)) || p >= nl || *p++ != ' ')
			return -EINVAL;
	}
	/* a POSIX lock has a file exactly when its mode is not *NOINODE*; an
	** OFD lock belongs to no process (-1); flock's always has a file */
	if ((posix_kind(l->kind) && l->has_inode != (l->mode == PL_LOCK_ADVISORY)) ||
	    (l->kind == PL_LOCK_OFDLCK && l->pid != -1) || (l->kind == PL_LOCK_FLOCK && !l->has_inode))
		return -EINVAL;
	l->end = -1;
	if (!(p = scan_i64(p, nl, &l->start)) || p >= nl || *p++ != ' ')
		return -EINVAL;
	if (!(nl - p == 3 && memcmp(p, "EOF", 3) == 0) && (!(p = scan_i64(p, nl, &l->end)) || p != nl))
		return -EINVAL;
	if (l->start < 0 || (l->end >= 0 && l->end < l->start))
		return -EINVAL;
	/* the line must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	put_lock(l, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

int pl_parse_locks(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_file_lock), lock_line, &v, &n);
	if (rc < 0)
		return rc;
	const struct pl_file_lock *l = v;
	/* holders numbered upwards from 1 (the kernel skips those it hides:
	** pid 0), a waiter under the line before it, at most one level deeper */
	const char *line = text;
	for (size_t i = 0; i < n; line = memchr(line, '\n', len) + 1, i++) {
		const struct pl_file_lock *prev = i ? &l[i - 1] : NULL;
		int ok = l[i].depth ? prev && prev->id == l[i].id && prev->depth + 1 >= l[i].depth
		                    : l[i].id > (prev ? prev->id : 0) && l[i].pid != 0;
		if (!ok)
			return pl_parse_fail(a, text, line);
	}
	m->locks = l;
	m->nlocks = n;
	m->have |= PL_M_LOCKS;
	return 0;
}
