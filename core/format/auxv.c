/*
** auxv: Linux's auxv_read (fs/proc/base.c), the auxiliary vector saved at
** exec (mm->saved_auxv) as native unsigned long (type, value) pairs, up to
** and including the first AT_NULL pair.  A task without mm (kernel thread,
** zombie) reads empty, which the task records as nauxv == 0.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#define PAIR_SIZE (2 * sizeof(unsigned long))

static void put_pair(struct pl_buf *out, uint64_t type, uint64_t value)
{
	unsigned long w[2] = { (unsigned long)type, (unsigned long)value };
	pl_buf_add(out, w, sizeof w);
}

/* auxv: PL_F_AUXV */
int pl_fmt_auxv(const struct pl_task *t, struct pl_buf *out)
{
	size_t i;
	for (i = 0; i < t->nauxv; i++) {
		put_pair(out, t->auxv[2 * i], t->auxv[2 * i + 1]);
		if (t->auxv[2 * i] == 0)
			return pl_buf_status(out);
	}
	/* No AT_NULL in the list: the kernel's zeroed saved_auxv supplies one. */
	if (i)
		put_pair(out, 0, 0);
	return pl_buf_status(out);
}

/* The kernel's bytes: whole pairs, ending at the first AT_NULL. */
int pl_parse_auxv(const char *data, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (len % PAIR_SIZE)
		return -EINVAL;
	size_t n = len / PAIR_SIZE;
	uint64_t *v = NULL;
	if (n && !(v = pl_arena_alloc(a, n * 2 * sizeof *v)))
		return -ENOMEM;
	const char *p = data;
	for (size_t i = 0; i < 2 * n; i++) {
		unsigned long w;
		memcpy(&w, p + i * sizeof w, sizeof w);
		v[i] = w;
		/* a type of AT_NULL anywhere but in the last pair is not the kernel's */
		if (i % 2 == 0 && (w == 0) != (i == 2 * n - 2))
			return -EINVAL;
	}
	t->auxv = v;
	t->nauxv = n;
	t->have |= PL_F_AUXV;
	return 0;
}
