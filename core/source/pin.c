/*
** What a source is asked beyond its ops: its self task.  Optional source
** ops with their defaults.  Pins: a source that does not
** pin (a world, whose numbers are never reused and whose tasks do not
** exec) holds a task by its numbers, and its task_exists says whether it
** lives.  One fd: the whole list, searched.
*/
#include "source/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

pl_pid pl_source_self(struct pl_source *s)
{
	struct pl_machine m;
	struct pl_arena a = PL_ARENA_INIT;
	memset(&m, 0, sizeof m);
	pl_pid self = 0;
	if (s->ops->load_machine(s, 0, &a, &m) == 0)
		self = m.self_pid;
	pl_arena_free(&a);
	return self;
}

int pl_source_pin(struct pl_source *s, pl_pid tgid, pl_pid tid, int mm, struct pl_pin *out)
{
	*out = (struct pl_pin)PL_PIN_NONE;
	out->tgid = tgid;
	out->tid = tid;
	if (s->ops->pin)
		return s->ops->pin(s, tgid, tid, mm, out);
	return s->ops->task_exists(s, tgid, tid ? tid : tgid);
}

int pl_source_pin_check(struct pl_source *s, const struct pl_pin *p)
{
	if (s->ops->pin_check)
		return s->ops->pin_check(s, p);
	return s->ops->task_exists(s, p->tgid, p->tid ? p->tid : p->tgid) < 0 ? -ESRCH : 0;
}

ssize_t pl_source_read_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                              void *buf, size_t len)
{
	if (s->ops->read_pinned)
		return s->ops->read_pinned(s, p, addr, buf, len);
	return s->ops->read_mem(s, p->tgid, addr, buf, len);
}

void pl_source_unpin(struct pl_source *s, struct pl_pin *p)
{
	if (s->ops->unpin)
		s->ops->unpin(s, p);
	*p = (struct pl_pin)PL_PIN_NONE;
}

ssize_t pl_source_write_pinned(struct pl_source *s, const struct pl_pin *p, uint64_t addr,
                               const void *buf, size_t len)
{
	return s->ops->write_pinned ? s->ops->write_pinned(s, p, addr, buf, len) : -EIO;
}

int pl_source_load_fd(struct pl_source *s, pl_pid tgid, pl_pid tid, int fd,
                      struct pl_arena *arena, struct pl_fd *out)
{
	if (s->ops->load_fd)
		return s->ops->load_fd(s, tgid, tid, fd, arena, out);
	struct pl_task *t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	int rc = s->ops->load(s, tgid, tid, PL_F_FDS, arena, t);
	if (rc == 0) {
		rc = -ENOENT;
		for (size_t i = 0; i < t->nfds; i++)
			if (t->fds[i].fd == fd) {
				*out = t->fds[i];
				rc = 0;
				break;
			}
	}
	free(t);
	return rc;
}
