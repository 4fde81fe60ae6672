/*
** Machine-wide files the kernel makes for each reader (sysvipc/): on the
** host, read as the reader opens them where its namespaces are not the
** daemon's.  Private to tree/.
*/
#ifndef PL_TREE_MACHINE_AS_H
#define PL_TREE_MACHINE_AS_H

#include "access/access.h"
#include "record/buf.h"
#include "source/source.h"

/* Builtin gen's text as reader c sees it, into out: 0 or -errno;
** -EAGAIN when the source's own facts are the reader's (a world, or a
** reader in the daemon's namespaces) or gen is no such file. */
int pl_machine_as_reader(struct pl_source *src, struct pl_caller *c, int gen, struct pl_buf *out);

#endif
