/*
** cgroup.c: /proc/<pid>/cgroup, one "hierarchy:controllers:path" line per
** hierarchy.  The v2 hierarchy is "0::/path"; a v1 hierarchy lists its
** controllers, comma-separated, and "name=..." for a named one.  Controller
** names cannot hold ':' but a path can, so the path is the rest of the line
** (including a " (deleted)" suffix Linux appends for a dead v2 cgroup).
*/
#include "format/format.h"
#include "format/scan.h"

#include <errno.h>
#include <string.h>

/* cgroup: PL_F_CGROUP */
int pl_fmt_cgroup(const struct pl_task *t, struct pl_buf *out)
{
	for (size_t i = 0; i < t->ncgroups; i++) {
		const struct pl_cgroup *c = &t->cgroups[i];
		pl_buf_u64(out, c->hierarchy);
		pl_buf_putc(out, ':');
		pl_buf_puts(out, c->controllers ? c->controllers : "");
		pl_buf_putc(out, ':');
		pl_buf_puts(out, c->path ? c->path : "");
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

static int parse_line(struct pl_arena *a, const char *p, const char *e, void *elem)
{
	struct pl_cgroup *c = elem;
	uint64_t v = 0;
	const char *q = p;
	for (; q < e && *q >= '0' && *q <= '9'; q++)
		if ((v = v * 10 + (uint64_t)(*q - '0')) > INT32_MAX)
			return -EINVAL;
	if (q == p || q == e || *q != ':')
		return -EINVAL;
	const char *ctl = q + 1;
	const char *colon = memchr(ctl, ':', (size_t)(e - ctl));
	if (!colon)
		return -EINVAL;
	c->hierarchy = (uint32_t)v;
	c->controllers = pl_arena_strndup(a, ctl, (size_t)(colon - ctl));
	c->path = pl_arena_strndup(a, colon + 1, (size_t)(e - colon - 1));
	return c->controllers && c->path ? 0 : -ENOMEM;
}

int pl_parse_cgroup(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	void *cs;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_cgroup), parse_line, &cs, &n);
	if (rc < 0)
		return rc;
	t->cgroups = cs;
	t->ncgroups = n;
	t->have |= PL_F_CGROUP;
	return 0;
}

/* cpuset: PL_F_CPUSET.  proc_cpuset_show: the path of the task's cpuset
** cgroup, as the reader's cgroup namespace names it, and a newline. */
int pl_fmt_cpuset(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_puts(out, t->cpuset ? t->cpuset : "/");
	pl_buf_putc(out, '\n');
	return pl_buf_status(out);
}

int pl_parse_cpuset(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (len < 2 || text[len - 1] != '\n' || memchr(text, '\n', len - 1) || pl_has_nul(text, len))
		return pl_parse_fail(a, text, text);
	t->cpuset = pl_arena_strndup(a, text, len - 1);
	return t->cpuset ? 0 : -ENOMEM;
}
