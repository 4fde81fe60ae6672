/*
** cgroups: kernel/cgroup/cgroup-v1.c proc_cgroupstats_show, a header and
** "name\thierarchy\tnum_cgroups\tenabled" a controller.
*/
#include "format/format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/scan.h"

static const char header[] = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n";

int pl_fmt_cgroups(const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_puts(out, header);
	for (size_t i = 0; i < m->ncgroups; i++) {
		const struct pl_cgroup_subsys *c = &m->cgroups[i];
		pl_buf_printf(out, "%s\t%d\t%d\t%d\n", c->name, (int)c->hierarchy, (int)c->num_cgroups,
		              (int)c->enabled);
	}
	return pl_buf_status(out);
}

/* "%d" and the separator after it; NULL if the text is not that. */
static const char *scan_int(const char *p, const char *nl, char sep, int32_t *v)
{
	char *q;
	if (p >= nl || (*p != '-' && (*p < '0' || *p > '9')))
		return NULL;
	long x = strtol(p, &q, 10);
	const char *d = p + (*p == '-');
	if (q == d || (*d == '0' && q - d > 1) || x < INT32_MIN || x > INT32_MAX ||
	    (sep ? (q >= nl || *q != sep) : q != nl))
		return NULL;
	*v = (int32_t)x;
	return sep ? q + 1 : q;
}

static int subsys_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_cgroup_subsys *c = elem;
	const char *tab = memchr(line, '\t', (size_t)(nl - line));
	if (!tab || tab == line)
		return -EINVAL;
	const char *p = tab + 1;
	if (!(p = scan_int(p, nl, '\t', &c->hierarchy)) || !(p = scan_int(p, nl, '\t', &c->num_cgroups)) ||
	    !scan_int(p, nl, 0, &c->enabled))
		return -EINVAL;
	c->name = pl_arena_strndup(a, line, (size_t)(tab - line));
	return c->name ? 0 : -ENOMEM;
}

int pl_parse_cgroups(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	size_t h = sizeof header - 1;
	if (len < h || memcmp(text, header, h) != 0)
		return -EINVAL;
	void *v;
	size_t n;
	int rc = pl_parse_lines(text + h, len - h, a, sizeof(struct pl_cgroup_subsys), subsys_line, &v, &n);
	if (rc < 0)
		return rc;
	m->cgroups = v;
	m->ncgroups = n;
	m->have |= PL_M_CGROUPS;
	return 0;
}
