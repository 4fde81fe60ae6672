/*
** fdinfo/<fd>: Linux's seq_show (fs/proc/fd.c).  Four common lines, then
** whatever the file's locks and its type print (eventfd counters, epoll
** targets, inotify watches, "lock:" lines, ...).  That tail depends on
** kernel objects proclua does not model, so it is kept as text.
*/
#include "format/format.h"
#include "format/scan.h"

#include <errno.h>
#include <string.h>

int pl_fmt_fdinfo(const struct pl_fdinfo *fi, struct pl_buf *out)
{
	/* f_pos is a loff_t: /proc/<pid>/mem positions above 2^63 print negative. */
	pl_buf_printf(out, "pos:\t%lli\nflags:\t0%o\n", (long long)(int64_t)fi->pos,
	              (unsigned)fi->flags);
	if (!fi->no_mnt_id)
		pl_buf_printf(out, "mnt_id:\t%i\n", (int)(int32_t)fi->mnt_id);
	if (!fi->no_ino)
		pl_buf_printf(out, "ino:\t%llu\n", (unsigned long long)fi->ino);
	pl_buf_puts(out, fi->extra ? fi->extra : "");
	return pl_buf_status(out);
}

/* Expect the literal `tag` at *p, then return the rest of the line in [*p, nl). */
static const char *field(const char **p, const char *end, const char *tag)
{
	size_t n = strlen(tag);
	if ((size_t)(end - *p) < n || memcmp(*p, tag, n) != 0)
		return NULL;
	*p += n;
	return memchr(*p, '\n', (size_t)(end - *p));
}

/* Digits of `base` filling [p, nl) exactly; a leading '-' if `sign`. */
static int number(const char *p, const char *nl, unsigned base, int sign, uint64_t *v)
{
	int neg = sign && p < nl && *p == '-';
	uint64_t x = 0;
	p += neg;
	if (p == nl)
		return -EINVAL;
	for (; p < nl; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (d >= base || x > (UINT64_MAX - d) / base)
			return -EINVAL;
		x = x * base + d;
	}
	*v = neg ? 0 - x : x;
	return 0;
}

/* "tag<number>\n" at *p; advances past the newline. */
static int line(const char **p, const char *end, const char *tag, unsigned base,
                int sign, uint64_t *v)
{
	const char *nl = field(p, end, tag);
	if (!nl || number(*p, nl, base, sign, v))
		return -EINVAL;
	*p = nl + 1;
	return 0;
}

int pl_parse_fdinfo(const char *text, size_t len, struct pl_arena *a, struct pl_fdinfo *fi)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *p = text, *end = text + len;
	uint64_t pos, flags, mnt = 0, ino = 0;
	if (line(&p, end, "pos:\t", 10, 1, &pos) ||
	    line(&p, end, "flags:\t0", 8, 0, &flags) || flags > UINT32_MAX)
		return -EINVAL;
	/* mnt_id came with Linux 3.15, ino with 5.14 */
	int no_mnt_id = !field(&(const char *){ p }, end, "mnt_id:\t");
	if (!no_mnt_id && (line(&p, end, "mnt_id:\t", 10, 1, &mnt) ||
	                   (int64_t)mnt < INT32_MIN || (int64_t)mnt > INT32_MAX))
		return -EINVAL;
	int no_ino = !field(&(const char *){ p }, end, "ino:\t");
	if (!no_ino && line(&p, end, "ino:\t", 10, 0, &ino))
		return -EINVAL;
	char *extra = pl_arena_strndup(a, p, (size_t)(end - p));
	if (!extra)
		return -ENOMEM;
	fi->pos = pos;
	fi->flags = (uint32_t)flags;
	fi->mnt_id = (uint32_t)mnt;
	fi->ino = ino;
	fi->extra = extra;
	fi->no_mnt_id = (uint8_t)no_mnt_id;
	fi->no_ino = (uint8_t)no_ino;
	return 0;
}
