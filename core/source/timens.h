/*
** The host's time namespaces: how far a task's boot clock runs from the
** daemon's.  Linux shows /proc/uptime, /proc/stat's btime and each
** stat's starttime in the reader's time namespace (timens_add_boottime);
** the daemon reads them in its own, so a reader elsewhere is shifted by
** the difference of the two namespaces' CLOCK_BOOTTIME offsets.
*/
#ifndef PL_SOURCE_TIMENS_H
#define PL_SOURCE_TIMENS_H

#include <stdint.h>

#include "record/task.h"

/*
** The boot clock of host task tid's time namespace less the daemon's, in
** ns, with proc_fd the host's /proc (-1: "/proc"): 0 and *ns, or -ESRCH
** when the task is gone.  A kernel without time namespaces, or a
** namespace whose offsets the daemon cannot learn, counts as the daemon's.
*/
int pl_timens_boot_shift(int proc_fd, pl_pid tid, int64_t *ns);

#endif
