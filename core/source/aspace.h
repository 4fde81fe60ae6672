/*
** pl_aspace: a sparse simulated address space for model tasks.
**
** Mapped ranges hold bytes (zero unless written).  Copy-in behaves as the
** kernel's access_remote_vm does for proclua's purposes: it crosses
** adjacent ranges, stops at the first unmapped byte with a short count, and
** reports a fault only when nothing at all was copied.
*/
#ifndef PL_ASPACE_H
#define PL_ASPACE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pl_aspace_range {
	uint64_t start, len;
	unsigned char *bytes;
	size_t room;                /* bytes allocated: len, or more once grown */
};

struct pl_aspace {
	struct pl_aspace_range *r;  /* sorted by start, disjoint */
	size_t n, cap;
};

#define PL_ASPACE_INIT { NULL, 0, 0 }

/* Map [start, start + len) (zero-filled); merges with overlapping or
** adjacent ranges.  0 or -ENOMEM / -EINVAL (wrapping range).  Here and
** below, len 0 does nothing. */
int pl_aspace_map(struct pl_aspace *as, uint64_t start, uint64_t len);
/* Remove [start, start + len) from the mapping (punch a hole). */
int pl_aspace_unmap(struct pl_aspace *as, uint64_t start, uint64_t len);
/* Write bytes, mapping what is not mapped yet. */
int pl_aspace_write(struct pl_aspace *as, uint64_t addr, const void *data, size_t len);
/* Copy-out into what is mapped, as a debugger's write: count written
** (short at a hole), or -EFAULT if none. */
ssize_t pl_aspace_poke(struct pl_aspace *as, uint64_t addr, const void *data, size_t len);
/* Copy-in: count copied (short at a hole), or -EFAULT if none. */
ssize_t pl_aspace_read(const struct pl_aspace *as, uint64_t addr, void *buf, size_t len);
void pl_aspace_free(struct pl_aspace *as);
/* Whether any byte of [addr, addr + len) is mapped: 1 or 0. */
int pl_aspace_holds_any(const struct pl_aspace *as, uint64_t addr, uint64_t len);

#endif
