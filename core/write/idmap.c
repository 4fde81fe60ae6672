/* uid_map, gid_map and setgroups of a world's task: map_write's rules.
** (Being written: refuses every write until then.) */
#include "write/write.h"

#include <errno.h>

ssize_t pl_write_uid_map(const struct pl_write *w) { (void)w; return -EPERM; }
ssize_t pl_write_gid_map(const struct pl_write *w) { (void)w; return -EPERM; }
int pl_write_open_setgroups(const struct pl_write *w) { (void)w; return -EPERM; }
ssize_t pl_write_setgroups(const struct pl_write *w) { (void)w; return -EPERM; }
