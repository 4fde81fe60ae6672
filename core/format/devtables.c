/*
** The small device tables of the top level:
**   devices      fs/proc/devices.c: "Character devices:", a "%3d name"
**                line a registered major, a blank line, "Block devices:"
**                and its majors
**   misc         drivers/char/misc.c: a "%3i name" line a misc minor
**   consoles     fs/proc/consoles.c: the console's name and index padded
**                to 20 columns, a space, R W U (or -), its flags in
**                parentheses (each its letter or a space) and, for a
**                console with a tty, " major:minor" (the major in 4)
**   execdomains  kernel/exec_domain.c: "first-last\tname\t[module]", the
**                name in 16 columns (only Linux's own since 5.0)
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "format/scan.h"

/* The line [line, nl) is what put printed for elem: 0 or -EINVAL. */
static int reprints(const char *line, const char *nl, const void *elem,
                    void (*put)(const void *, struct pl_buf *))
{
	struct pl_buf b = PL_BUF_INIT;
	put(elem, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

/* "%3u name": the number and the rest of the line */
static int number_name(struct pl_arena *a, const char *line, const char *nl, uint32_t *num,
                       const char **name)
{
	const char *p = line;
	while (p < nl && *p == ' ')
		p++;
	uint64_t v;
	if (!(p = pl_scan_u64(p, nl, &v)) || v > INT32_MAX || p >= nl || *p++ != ' ' || p == nl)
		return -EINVAL;
	*num = (uint32_t)v;
	return (*name = pl_arena_strndup(a, p, (size_t)(nl - p))) ? 0 : -ENOMEM;
}

/* ---- devices ---- */

static void put_major(const void *elem, struct pl_buf *out)
{
	const struct pl_dev_major *d = elem;
	pl_buf_printf(out, "%3" PRIu32 " %s\n", d->major, d->name);
}

int pl_fmt_devices(const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_puts(out, "Character devices:\n");
	size_t i = 0;
	for (; i < m->ndev_majors && !m->dev_majors[i].block; i++)
		put_major(&m->dev_majors[i], out);
	pl_buf_puts(out, "\nBlock devices:\n");
	for (; i < m->ndev_majors; i++)
		put_major(&m->dev_majors[i], out);
	return pl_buf_status(out);
}

static int major_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{

	struct pl_dev_major *d = elem;
	memset(d, 0, sizeof *d);
	int rc = number_name(a, line, nl, &d->major, &d->name);
	return rc < 0 ? rc : reprints(line, nl, d, put_major);
}

int pl_parse_devices(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	static const char chr[] = "Character devices:\n", blk[] = "\nBlock devices:\n";
	const char *end = text + len;
	if (len < sizeof chr - 1 || memcmp(text, chr, sizeof chr - 1) != 0)
		return pl_parse_fail(a, text, text);
	const char *p = text + sizeof chr - 1;
	/* the block section starts at the first empty line */
	const char *split = NULL;
	for (const char *q = p; q + sizeof blk - 1 <= end; q++)
		if (*q == '\n' && (size_t)(end - q) >= sizeof blk - 1 &&
		    memcmp(q, blk, sizeof blk - 1) == 0 && (q == p - 1 || q[-1] == '\n')) {
			split = q;
			break;
		}
	if (!split)
		return pl_parse_fail(a, text, p);
	void *cv, *bv;
	size_t cn, bn;
	int rc = pl_parse_lines(p, (size_t)(split - p), a, sizeof(struct pl_dev_major), major_line,
	                        &cv, &cn);
	if (rc < 0)
		return rc;
	const char *b = split + sizeof blk - 1;
	rc = pl_parse_lines(b, (size_t)(end - b), a, sizeof(struct pl_dev_major), major_line, &bv, &bn);
	if (rc < 0)
		return rc;
	struct pl_dev_major *all = pl_arena_alloc(a, (cn + bn + 1) * sizeof *all);
	if (!all)
		return -ENOMEM;
	if (cn)
		memcpy(all, cv, cn * sizeof *all);
	for (size_t i = 0; i < bn; i++) {
		all[cn + i] = ((struct pl_dev_major *)bv)[i];
		all[cn + i].block = 1;
	}
	m->dev_majors = all;
	m->ndev_majors = cn + bn;
	m->have |= PL_M_DEVTABLES;
	return 0;
}

/* ---- misc ---- */

static void put_misc(const void *elem, struct pl_buf *out)
{
	const struct pl_misc_dev *d = elem;
	pl_buf_printf(out, "%3" PRIu32 " %s\n", d->minor, d->name);
}

int pl_fmt_misc(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nmisc; i++)
		put_misc(&m->misc[i], out);
	return pl_buf_status(out);
}

static int misc_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_misc_dev *d = elem;
	memset(d, 0, sizeof *d);
	int rc = number_name(a, line, nl, &d->minor, &d->name);
	return rc < 0 ? rc : reprints(line, nl, d, put_misc);
}

int pl_parse_misc(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_misc_dev), misc_line, &v, &n);
	if (rc < 0)
		return rc;
	m->misc = v;
	m->nmisc = n;
	m->have |= PL_M_DEVTABLES;
	return 0;
}

/* ---- consoles ---- */

/* CON_ENABLED, CON_CONSDEV, CON_BOOT, CON_NBCON, CON_PRINTBUFFER, CON_BRL,
** CON_ANYTIME: console_show's letters, in its order */
static const char con_letters[] = "ECBNpba";

static void put_console(const void *elem, struct pl_buf *out)
{
	const struct pl_console *c = elem;
	pl_buf_printf(out, "%-20s %s (%s)", c->name, c->rwu, c->flags);
	if (c->has_dev)
		pl_buf_printf(out, " %4" PRIu32 ":%" PRIu32, c->major, c->minor);
	pl_buf_putc(out, '\n');
}

int pl_fmt_consoles(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nconsoles; i++)
		put_console(&m->consoles[i], out);
	return pl_buf_status(out);
}

static int console_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_console *c = elem;
	memset(c, 0, sizeof *c);
	const char *p = line, *e = line;
	while (e < nl && *e != ' ')
		e++;
	if (e == p || !(c->name = pl_arena_strndup(a, p, (size_t)(e - p))))
		return e == p ? -EINVAL : -ENOMEM;
	while (e < nl && *e == ' ')
		e++;
	size_t nflags = sizeof con_letters - 1;
	if (nl - e < 3 + 2 + (long)nflags + 1)
		return -EINVAL;
	static const char rwu[] = "RWU";
	for (int i = 0; i < 3; i++) {
		if (e[i] != rwu[i] && e[i] != '-')
			return -EINVAL;
		c->rwu[i] = e[i];
	}
	e += 3;
	if (e[0] != ' ' || e[1] != '(')
		return -EINVAL;
	e += 2;
	for (size_t i = 0; i < nflags; i++) {
		if (e[i] != con_letters[i] && e[i] != ' ')
			return -EINVAL;
		c->flags[i] = e[i];
	}
	e += nflags;
	if (*e++ != ')')
		return -EINVAL;
	if (e < nl) {
		uint64_t v;
		while (e < nl && *e == ' ')
			e++;
		if (!(e = pl_scan_u64(e, nl, &v)) || v > 4095 || e >= nl || *e++ != ':')
			return -EINVAL;
		c->major = (uint32_t)v;
		if (!(e = pl_scan_u64(e, nl, &v)) || v > 1048575 || e != nl)
			return -EINVAL;
		c->minor = (uint32_t)v;
		c->has_dev = 1;
	}
	return reprints(line, nl, c, put_console);
}

int pl_parse_consoles(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_console), console_line, &v, &n);
	if (rc < 0)
		return rc;
	m->consoles = v;
	m->nconsoles = n;
	m->have |= PL_M_DEVTABLES;
	return 0;
}

/* ---- execdomains ---- */

static void put_execdomain(const void *elem, struct pl_buf *out)
{
	const struct pl_execdomain *d = elem;
	pl_buf_printf(out, "%" PRIu32 "-%" PRIu32 "\t%-16s\t[%s]\n", d->first, d->last, d->name,
	              d->module);
}

int pl_fmt_execdomains(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nexecdomains; i++)
		put_execdomain(&m->execdomains[i], out);
	return pl_buf_status(out);
}

static int execdomain_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_execdomain *d = elem;
	memset(d, 0, sizeof *d);
	const char *p = line;
	uint64_t v;
	if (!(p = pl_scan_u64(p, nl, &v)) || v > INT32_MAX || p >= nl || *p++ != '-')
		return -EINVAL;
	d->first = (uint32_t)v;
	if (!(p = pl_scan_u64(p, nl, &v)) || v > INT32_MAX || p >= nl || *p++ != '\t')
		return -EINVAL;
	d->last = (uint32_t)v;
	const char *tab = memchr(p, '\t', (size_t)(nl - p));
	if (!tab)
		return -EINVAL;
	const char *e = tab;
	while (e > p && e[-1] == ' ')
		e--;
	if (e == p || !(d->name = pl_arena_strndup(a, p, (size_t)(e - p))))
		return e == p ? -EINVAL : -ENOMEM;
	p = tab + 1;
	if (nl - p < 2 || *p != '[' || nl[-1] != ']')
		return -EINVAL;
	if (!(d->module = pl_arena_strndup(a, p + 1, (size_t)(nl - p - 2))))
		return -ENOMEM;
	return reprints(line, nl, d, put_execdomain);
}

int pl_parse_execdomains(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_execdomain), execdomain_line, &v, &n);
	if (rc < 0)
		return rc;
	m->execdomains = v;
	m->nexecdomains = n;
	m->have |= PL_M_DEVTABLES;
	return 0;
}
