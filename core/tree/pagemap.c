/*
** pagemap reads (format/pagemap.c has the entries): a host task's from its
** real file, opened as the opener at open (the kernel's check, its frame
** numbers for that opener, its mm pinned), each entry taken apart and put
** back; a world's made from its address space, a page present where the
** space holds it.  Offsets and counts not a multiple of 8 are EINVAL,
** as pagemap_read has them.
*/
#include "tree/node.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "format/format.h"

static ssize_t host_entries(struct pl_file *f, uint64_t off, size_t size, char *buf)
{
	ssize_t n = pread(f->real_fd, buf, size, (off_t)off);
	if (n < 0)
		return -errno;
	unsigned char *p = (unsigned char *)buf;
	for (ssize_t i = 0; i + PL_PAGEMAP_ENTRY <= n; i += PL_PAGEMAP_ENTRY) {
		struct pl_pagemap_entry e;
		if (pl_parse_pagemap_entry(pl_get_pagemap_entry(p + i), &e) < 0)
			return -EIO; /* a bit this reader does not know */
		pl_put_pagemap_entry(pl_fmt_pagemap_entry(&e), p + i);
	}
	return n;
}

static ssize_t world_entries(struct pl_source *src, struct pl_file *f, uint64_t off, size_t size,
                             char *buf)
{
	size_t n;
	int rc = pl_pagemap_span(off, size, PL_PAGEMAP_TASK_SIZE, &n);
	if (rc < 0)
		return rc;
	if (n == 0)
		return 0;
	uint8_t *present = calloc(n, 1);
	if (!present)
		return -ENOMEM;
	uint64_t addr = off / PL_PAGEMAP_ENTRY * PL_PAGEMAP_PAGE;
	if (src->ops->pages_present)
		rc = src->ops->pages_present(src, f->tgid, addr, n, PL_PAGEMAP_PAGE, present);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct pl_pagemap_entry e = { .present = present[i] };
		pl_put_pagemap_entry(pl_fmt_pagemap_entry(&e),
		                     (unsigned char *)buf + i * PL_PAGEMAP_ENTRY);
	}
	free(present);
	/* the task gone since the open: its mm with it, end of file */
	return rc == -ESRCH ? 0 : rc < 0 ? rc : (ssize_t)(n * PL_PAGEMAP_ENTRY);
}

ssize_t tree_read_pagemap(struct pl_source *src, struct pl_file *f, uint64_t off, size_t size,
                          char *buf)
{
	if (f->real_fd >= 0)
		return host_entries(f, off, size, buf);
	return world_entries(src, f, off, size, buf);
}
