/*
** The FUSE front end: the operations table (ops.c) and the program (main.c).
*/
#ifndef PL_FUSE_H
#define PL_FUSE_H

#define FUSE_USE_VERSION 35
#include <fuse_lowlevel.h>

extern const struct fuse_lowlevel_ops pl_fuse_ops;

#endif
