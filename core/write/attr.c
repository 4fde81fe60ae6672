/*
** attr/ of a world's task, as Linux's proc_pid_attr_write (fs/proc/base.c):
** a writer whose address space is not the one the opener saw (another
** process: EPERM), a writer not the task itself (EACCES), a write past
** offset 0 (EINVAL); what is left goes to the security module, which a
** world does not have: EINVAL, as security_setprocattr gives with none.
** The opener's check (it held the task's mm only if it may ptrace READ
** the task) decides nothing more here: a world's tasks are never the
** writer's own address space unless the writer is of the task's group.
*/
#include "write/write.h"

#include <errno.h>

ssize_t pl_write_attr(const struct pl_write *w)
{
	pl_pid task = w->tid ? w->tid : w->tgid;
	if (!w->writer_tgid || w->writer_tgid != w->tgid)
		return -EPERM; /* file->private_data != current->mm */
	if (w->writer_tid != task)
		return -EACCES;
	if (w->off != 0)
		return -EINVAL;
	return -EINVAL; /* no module takes it */
}
