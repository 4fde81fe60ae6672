/*
** tty/drivers: fs/proc/proc_tty.c show_tty_driver and show_tty_range.  A
** line a range of device numbers: the driver's name padded to 20 columns,
** /dev/ and the device's name padded to 8, the major in 3, the minor in 7
** (or "first-last" for a driver of several minors), and the type.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

static void put_driver(const struct pl_tty_driver *d, struct pl_buf *out)
{
	pl_buf_printf(out, "%-20s /dev/%-8s ", d->driver, d->name);
	if (d->ranged)
		pl_buf_printf(out, "%3u %u-%u ", (unsigned)d->major, (unsigned)d->minor,
		              (unsigned)d->minor_last);
	else
		pl_buf_printf(out, "%3u %7u ", (unsigned)d->major, (unsigned)d->minor);
	pl_buf_printf(out, "%s\n", d->type);
}

int pl_fmt_tty_drivers(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->ntty_drivers; i++)
		put_driver(&m->tty_drivers[i], out);
	return pl_buf_status(out);
}

/* The types show_tty_range names; any other prints "type:T.S". */
static int known_type(const char *p, const char *end)
{
	static const char *const named[] = {
		"system", "system:/dev/tty", "system:console", "system:vtmaster", "console", "serial",
		"pty:master", "pty:slave", "pty",
	};
	size_t n = (size_t)(end - p);
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strlen(named[i]) == n && memcmp(p, named[i], n) == 0)
			return 1;
	/* type and subtype are shorts */
	if (n < 5 || memcmp(p, "type:", 5) != 0)
		return 0;
	p += 5;
	for (int part = 0; part < 2; part++) {
		p += p < end && *p == '-';
		uint64_t v;
		if (!(p = pl_scan_u64(p, end, &v)) || v > 32768)
			return 0;
		if (part == 0 && (p >= end || *p++ != '.'))
			return 0;
	}
	return p == end;
}

static const char *word(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	return p;
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

static const char *scan_u32(const char *p, const char *end, uint32_t *v)
{
	uint64_t u;
	if (!(p = pl_scan_u64(p, end, &u)) || u > UINT32_MAX)
		return NULL;
	*v = (uint32_t)u;
	return p;
}

static int driver_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_tty_driver *d = elem;
	memset(d, 0, sizeof *d);
	const char *p = line, *e = word(p, nl);
	if (e == p || !(d->driver = pl_arena_strndup(a, p, (size_t)(e - p))))
		return e == p ? -EINVAL : -ENOMEM;
	p = skip_spaces(e, nl);
	if (nl - p < 5 || memcmp(p, "/dev/", 5) != 0)
		return -EINVAL;
	p += 5;
	e = word(p, nl);
	if (e == p || !(d->name = pl_arena_strndup(a, p, (size_t)(e - p))))
		return e == p ? -EINVAL : -ENOMEM;
	p = skip_spaces(e, nl);
	if (!(p = scan_u32(p, nl, &d->major)))
		return -EINVAL;
	p = skip_spaces(p, nl);
	if (!(p = scan_u32(p, nl, &d->minor)))
		return -EINVAL;
	d->minor_last = d->minor;
	if (p < nl && *p == '-') {
		d->ranged = 1;
		if (!(p = scan_u32(p + 1, nl, &d->minor_last)) || d->minor_last < d->minor)
			return -EINVAL;
	}
	if (p >= nl || *p++ != ' ' || !known_type(p, nl))
		return -EINVAL;
	if (!(d->type = pl_arena_strndup(a, p, (size_t)(nl - p))))
		return -ENOMEM;
	/* the line must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	put_driver(d, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

int pl_parse_tty_drivers(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_tty_driver), driver_line, &v, &n);
	if (rc < 0)
		return rc;
	m->tty_drivers = v;
	m->ntty_drivers = n;
	m->have |= PL_M_TTY_DRIVERS;
	return 0;
}
