/*
** pl_view: a source showing a subtree of another source's tasks, renumbered
** from 1 as a pid namespace would (see view.c).
*/
#ifndef PL_VIEW_H
#define PL_VIEW_H

#include "source/source.h"

/* Whether task `pid` of the inner source belongs in the view. */
typedef int (*pl_pidview_select_fn)(void *ctx, pl_pid pid);

/*
** The tasks descending from `root` (a pid of inner; 0: any) that `select`
** chooses (NULL: all).  Does not own inner.
*/
struct pl_source *pl_pidview_new(struct pl_source *inner, pl_pid root,
                                     pl_pidview_select_fn select, void *select_ctx);

#endif
