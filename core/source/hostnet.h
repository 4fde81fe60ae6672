/*
** A host task's net/ files: the kernel's text of the task's network
** namespace (/proc/<pid>/net/<file>) streamed through a parser into
** records.  Private to the host source.
*/
#ifndef PL_HOSTNET_H
#define PL_HOSTNET_H

#include <stdint.h>

#include "record/arena.h"
#include "record/net.h"

/*
** File f of the task whose /proc directory is `dir` (relative to the
** host's /proc at root_fd), parsed into out with the file's owner: 0,
** -ENOENT (no such file: a zombie has no namespace), -ESRCH (the task is
** gone), -EIO (text this build cannot read), -ENOMEM.
*/
int pl_hostnet_load(int root_fd, const char *dir, int f, struct pl_arena *a, struct pl_net *out);
/* Whether the task has file f, and its owner. */
int pl_hostnet_stat(int root_fd, const char *dir, int f, uint32_t *uid, uint32_t *gid);

/* dev_snmp6/'s interfaces (all, or `only`) into out->ifaces, with their
** owner: 0, -ENOENT, -ESRCH, -EIO, -ENOMEM. */
int pl_hostnet_ifaces(int root_fd, const char *dir, const char *only, struct pl_arena *a,
                      struct pl_net *out);

#endif
