/*
** attr/: Linux's proc_pid_attr_read (fs/proc/base.c), the security
** module's answer for each file of attr_dir_stuff: its bytes as they are
** (an SELinux context ends with its NUL), or the errno a read fails with
** (EINVAL where no module answers, as on a kernel without one).
*/
#include <errno.h>
#include <string.h>

#include "format/format.h"

const char *const pl_attr_names[PL_ATTR_COUNT] = {
	[PL_ATTR_CURRENT] = "current",
	[PL_ATTR_PREV] = "prev",
	[PL_ATTR_EXEC] = "exec",
	[PL_ATTR_FSCREATE] = "fscreate",
	[PL_ATTR_KEYCREATE] = "keycreate",
	[PL_ATTR_SOCKCREATE] = "sockcreate",
};

/* attr/<name>: PL_F_ATTR */
int pl_fmt_attr(const struct pl_task *t, int i, struct pl_buf *out)
{
	const struct pl_lsm_attr *v = &t->attr[i];
	if (v->err)
		return -v->err;
	if (v->text)
		pl_buf_add(out, v->text, v->len);
	return pl_buf_status(out);
}

/* Any bytes: what the module gave. */
int pl_parse_attr(int i, const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	char *copy = pl_arena_alloc(a, len ? len : 1);
	if (!copy || len > UINT32_MAX)
		return -ENOMEM;
	memcpy(copy, text, len);
	t->attr[i] = (struct pl_lsm_attr){ copy, (uint32_t)len, 0 };
	return 0;
}
