/*
** pagemap: Linux's pagemap_read (fs/proc/task_mmu.c), one 64-bit entry per
** virtual page, little-endian (x86-64), at offset vaddr / page size * 8:
** bit 63 present, 62 swapped, 61 a file page or shared anon, 58 a guard
** region, 57 userfaultfd write-protected, 56 mapped exclusively, 55
** soft-dirty; bits 0-54 the page frame number (present; zero unless the
** opener had CAP_SYS_ADMIN in the initial namespace) or the swap type
** (bits 0-4) and offset (5-54).  Bits 59 and 60 are always zero.
**
** A host task's entries are read from its real file opened as the opener
** (the kernel decides the check and the PFNs for the opener), taken apart
** into these facts and put back.  A world's page is present where its
** address space holds bytes, with no frame and no other bit.
*/
#include <errno.h>
#include <string.h>

#include "format/format.h"

#define BIT(n) ((uint64_t)1 << (n))
#define FRAME_MASK (BIT(55) - 1)
#define UNUSED_BITS (BIT(59) | BIT(60))

int pl_parse_pagemap_entry(uint64_t raw, struct pl_pagemap_entry *e)
{
	if (raw & UNUSED_BITS)
		return -EINVAL;
	e->present = (raw >> 63) & 1;
	e->swapped = (raw >> 62) & 1;
	e->file_shared = (raw >> 61) & 1;
	e->guard = (raw >> 58) & 1;
	e->uffd_wp = (raw >> 57) & 1;
	e->exclusive = (raw >> 56) & 1;
	e->soft_dirty = (raw >> 55) & 1;
	e->frame = raw & FRAME_MASK;
	return 0;
}

uint64_t pl_fmt_pagemap_entry(const struct pl_pagemap_entry *e)
{
	return (uint64_t)e->present << 63 | (uint64_t)e->swapped << 62 |
	       (uint64_t)e->file_shared << 61 | (uint64_t)e->guard << 58 |
	       (uint64_t)e->uffd_wp << 57 | (uint64_t)e->exclusive << 56 |
	       (uint64_t)e->soft_dirty << 55 | (e->frame & FRAME_MASK);
}

void pl_put_pagemap_entry(uint64_t v, unsigned char out[8])
{
	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(v >> (8 * i));
}

uint64_t pl_get_pagemap_entry(const unsigned char in[8])
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | in[i];
	return v;
}

int pl_pagemap_span(uint64_t off, size_t count, uint64_t task_size, size_t *entries)
{
	if (off % PL_PAGEMAP_ENTRY || count % PL_PAGEMAP_ENTRY)
		return -EINVAL;
	uint64_t first = off / PL_PAGEMAP_ENTRY, last = task_size / PL_PAGEMAP_PAGE;
	size_t n = count / PL_PAGEMAP_ENTRY;
	*entries = first >= last ? 0 : (last - first < n ? (size_t)(last - first) : n);
	return 0;
}
