/*
** mem, as Linux's mem_rw writing: into the address space pinned at open
** (the ptrace ATTACH check was made there), page by page, stopping at the
** first byte that cannot be written: EIO when that is the first, else the
** short count; 0 once the address space is gone.
*/
#include "write/write.h"

#include <errno.h>

ssize_t pl_write_mem(const struct pl_write *w)
{
	ssize_t n = pl_source_write_pinned(w->src, w->pin, w->off, w->buf, w->len);
	return n == -EFAULT ? -EIO : n;
}
