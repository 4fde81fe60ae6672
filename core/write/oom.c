/* oom_score_adj of a world's task.  (Being written: refuses every write.) */
#include "write/write.h"

#include <errno.h>

ssize_t pl_write_oom_score_adj(const struct pl_write *w) { (void)w; return -EACCES; }
