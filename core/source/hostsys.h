/*
** The host's sys/ settings beyond record/sysctl.h's rows: the names its
** kernel has, walked from /proc/sys, and one setting's value.
*/
#ifndef PL_HOSTSYS_H
#define PL_HOSTSYS_H

#include "record/arena.h"
#include "record/sysctl.h"

/* Each setting under root_fd's sys/ (a procfs), in the kernel's order,
** with the mode its table entry has. */
int pl_hostsys_each(int root_fd, pl_setting_fn fn, void *arg);
/* The setting at path under sys/: 0 and out (out->err where the kernel's
** read fails), or -ENOENT (-errno where the open fails). */
int pl_hostsys_load(int root_fd, const char *path, struct pl_arena *a, struct pl_setting *out);

#endif
