/*
** The FUSE front end: the operations table (ops.c), the notifier
** (notify.c), the io_uring transport (uring.c) and the program (main.c).
*/
#ifndef PL_FUSE_H
#define PL_FUSE_H

/* 3.12: the loop configuration main.c builds (fuse_loop_cfg_*); with an
** older version the loop would read it as the old struct. */
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

#include <stdint.h>

#include "tree/tree.h"

extern const struct fuse_lowlevel_ops pl_fuse_ops;

/* The FUSE node id the kernel knows tree inode `ino` by (ops.c). */
fuse_ino_t pl_fuse_node(uint64_t ino);

/* notify.c: drops what the kernel caches of tasks the source announces as
** changed, from a thread of its own. */
struct pl_notifier;
struct pl_notifier *pl_notifier_start(struct fuse_session *se, const struct pl_tree *k);
void pl_notifier_changed(void *notifier, pl_pid tgid, pl_pid tid); /* a pl_change_fn */
void pl_notifier_stop(struct pl_notifier *n);

/* uring.c: FUSE over io_uring beside the classic loop, for a session
** mounted but not yet looping.  NULL, after a one-line notice on stderr,
** when it cannot be used: the classic loop then serves everything, as
** without it.  Stop it once the loop has returned (joins its threads). */
struct pl_uring;
struct pl_uring *pl_uring_start(struct fuse_session *se);
void pl_uring_stop(struct pl_uring *u);

#endif
