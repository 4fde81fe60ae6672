/*
** The FUSE front end: the operations table (ops.c) and the program (main.c).
*/
#ifndef PL_FUSE_H
#define PL_FUSE_H

/* 3.12: the loop configuration main.c builds (fuse_loop_cfg_*); with an
** older version the loop would read it as the old struct. */
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

extern const struct fuse_lowlevel_ops pl_fuse_ops;

#endif
