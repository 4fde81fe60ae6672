/*
** pl_scratch: each worker thread's reusable memory for one request (the
** task snapshot, its arena, output buffers).  Warm threads allocate
** nothing; a thread that exits (libfuse retires idle workers) frees its
** scratch through a thread-key destructor instead of leaking it.
*/
#ifndef PL_SCRATCH_H
#define PL_SCRATCH_H

#include "record/arena.h"
#include "record/buf.h"
#include "record/machine.h"
#include "record/task.h"

struct pl_scratch {
	struct pl_arena arena;     /* the snapshot's lists and strings */
	struct pl_task task;
	struct pl_machine machine;
	struct pl_buf gen;         /* a file being generated */
	struct pl_buf read;        /* a host file being read */
	struct pl_buf reply;       /* the front end's replies (links, memory, dirents) */
	struct pl_idview ids;      /* the reader's names for ids, when not the top's */
};

/* This thread's scratch, created on first use; NULL only when out of memory. */
struct pl_scratch *pl_scratch(void);
/* Give back what this thread's scratch holds beyond `keep` bytes a buffer:
** after a big file, a worker must not keep its size for ever. */
void pl_scratch_trim(size_t keep);

#endif
