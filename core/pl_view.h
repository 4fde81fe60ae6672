/*
** pl_view: a source showing a subtree of another source's tasks, renumbered
** from 1 as a pid namespace would (see view.c).
*/
#ifndef PL_VIEW_H
#define PL_VIEW_H

#include "pl_source.h"

/* The tasks descending from `root` (a pid of inner).  Does not own inner. */
struct pl_source *pl_view_source_new(struct pl_source *inner, pl_pid root);

#endif
