/*
** pl_aspace: sorted disjoint ranges with their bytes.  Worlds are small
** (a few ranges per task), so maps rebuild arrays plainly; but a world
** places its argv and env one string at a time into a range mapped whole
** first, and may give its memory as many pieces one after another, so
** writing into what is mapped copies only the bytes written, and a range
** grown at its end keeps its bytes where they are.
*/
#include "source/aspace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Index of the first range ending after addr. */
static size_t first_after(const struct pl_aspace *as, uint64_t addr)
{
	size_t lo = 0, hi = as->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (as->r[mid].start + as->r[mid].len <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The range holding all of [start, start + len), len > 0; or NULL. */
static struct pl_aspace_range *holding(const struct pl_aspace *as, uint64_t start, uint64_t len)
{
	size_t i = first_after(as, start);
	if (i < as->n && as->r[i].start <= start && start + len - as->r[i].start <= as->r[i].len)
		return &as->r[i];
	return NULL;
}

int pl_aspace_map(struct pl_aspace *as, uint64_t start, uint64_t len)
{
	if (len == 0)
		return 0;
	if (start + len < start)
		return -EINVAL;
	if (holding(as, start, len))
		return 0; /* mapped already */
	uint64_t end = start + len;
	/* ranges that overlap or touch [start, end) merge into one */
	size_t i = first_after(as, start > 0 ? start - 1 : 0);
	size_t j = i;
	uint64_t ns = start, ne = end;
	while (j < as->n && as->r[j].start <= end) {
		if (as->r[j].start < ns)
			ns = as->r[j].start;
		if (as->r[j].start + as->r[j].len > ne)
			ne = as->r[j].start + as->r[j].len;
		j++;
	}
	if (ne - ns > SIZE_MAX)
		return -ENOMEM;
	if (j == i + 1 && as->r[i].start == ns) {
		/* one range grown at its end: its room grows by doubling, so a
		** range built piece by piece in address order is copied a few
		** times in all, not once a piece (an allocator that always moves
		** a block, as ASan's does, would make that quadratic) */
		struct pl_aspace_range *r = &as->r[i];
		size_t need = (size_t)(ne - ns);
		if (need > r->room) {
			size_t room = r->room > need / 2 && r->room <= SIZE_MAX / 2 ? 2 * r->room : need;
			unsigned char *bytes = realloc(r->bytes, room);
			if (!bytes)
				return -ENOMEM;
			r->bytes = bytes;
			r->room = room;
		}
		memset(r->bytes + r->len, 0, need - (size_t)r->len);
		r->len = ne - ns;
		return 0;
	}
	unsigned char *bytes = calloc(1, (size_t)(ne - ns));
	if (!bytes)
		return -ENOMEM;
	for (size_t k = i; k < j; k++) {
		memcpy(bytes + (as->r[k].start - ns), as->r[k].bytes, (size_t)as->r[k].len);
		free(as->r[k].bytes);
	}
	if (i == j) { /* nothing merged: insert a slot */
		if (as->n == as->cap) {
			size_t cap = as->cap ? as->cap * 2 : 8;
			struct pl_aspace_range *r = realloc(as->r, cap * sizeof *r);
			if (!r) {
				free(bytes);
				return -ENOMEM;
			}
			as->r = r;
			as->cap = cap;
		}
		memmove(as->r + i + 1, as->r + i, (as->n - i) * sizeof *as->r);
		as->n++;
		j = i + 1;
	}
	as->r[i] = (struct pl_aspace_range){ ns, ne - ns, bytes, (size_t)(ne - ns) };
	memmove(as->r + i + 1, as->r + j, (as->n - j) * sizeof *as->r);
	as->n -= j - i - 1;
	return 0;
}

int pl_aspace_unmap(struct pl_aspace *as, uint64_t start, uint64_t len)
{
	/* Nothing to punch; inside a range it would split it in two. */
	if (len == 0)
		return 0;
	uint64_t end = start + len;
	if (end < start)
		return -EINVAL;
	for (size_t i = first_after(as, start); i < as->n && as->r[i].start < end;) {
		struct pl_aspace_range *r = &as->r[i];
		uint64_t rs = r->start, re = r->start + r->len;
		if (start > rs && end < re) { /* a hole in the middle: split */
			struct pl_aspace_range tail = { end, re - end, malloc((size_t)(re - end)),
			                                (size_t)(re - end) };
			if (!tail.bytes)
				return -ENOMEM;
			memcpy(tail.bytes, r->bytes + (end - rs), (size_t)(re - end));
			r->len = start - rs;
			if (as->n == as->cap) {
				size_t cap = as->cap * 2;
				struct pl_aspace_range *nr = realloc(as->r, cap * sizeof *nr);
				if (!nr) {
					free(tail.bytes);
					return -ENOMEM;
				}
				as->r = nr;
				as->cap = cap;
			}
			memmove(as->r + i + 2, as->r + i + 1, (as->n - i - 1) * sizeof *as->r);
			as->r[i + 1] = tail;
			as->n++;
			return 0;
		}
		if (start <= rs && end >= re) { /* covered: drop it */
			free(r->bytes);
			memmove(as->r + i, as->r + i + 1, (as->n - i - 1) * sizeof *as->r);
			as->n--;
			continue;
		}
		if (start <= rs) { /* cut the head */
			memmove(r->bytes, r->bytes + (end - rs), (size_t)(re - end));
			r->start = end;
			r->len = re - end;
		} else { /* cut the tail */
			r->len = start - rs;
		}
		i++;
	}
	return 0;
}

int pl_aspace_write(struct pl_aspace *as, uint64_t addr, const void *data, size_t len)
{
	/* Mapping no bytes maps nothing, so no range need hold addr: finding
	** one would index past the ranges. */
	if (len == 0)
		return 0;
	if (addr + len < addr)
		return -EINVAL;
	struct pl_aspace_range *r = holding(as, addr, len);
	if (!r) {
		int rc = pl_aspace_map(as, addr, len);
		if (rc < 0)
			return rc;
		r = &as->r[first_after(as, addr)];
	}
	memcpy(r->bytes + (addr - r->start), data, len);
	return 0;
}

/* The ranges holding [addr, addr + len) from addr on, in order, up to the
** first hole: `each` gets each piece. */
static size_t each_mapped(const struct pl_aspace *as, uint64_t addr, size_t len,
                          void (*each)(unsigned char *bytes, size_t done, size_t n, void *arg),
                          void *arg)
{
	size_t done = 0;
	size_t i = first_after(as, addr);
	while (done < len && i < as->n) {
		const struct pl_aspace_range *r = &as->r[i];
		uint64_t a = addr + done;
		if (a < r->start)
			break; /* a hole */
		uint64_t avail = r->start + r->len - a;
		size_t n = len - done < avail ? len - done : (size_t)avail;
		each(r->bytes + (a - r->start), done, n, arg);
		done += n;
		i++;
	}
	return done;
}

static void copy_out(unsigned char *bytes, size_t done, size_t n, void *arg)
{
	memcpy((char *)arg + done, bytes, n);
}

static void copy_in(unsigned char *bytes, size_t done, size_t n, void *arg)
{
	memcpy(bytes, (const char *)arg + done, n);
}

ssize_t pl_aspace_poke(struct pl_aspace *as, uint64_t addr, const void *data, size_t len)
{
	size_t done = each_mapped(as, addr, len, copy_in, (void *)data);
	return done == 0 && len > 0 ? -EFAULT : (ssize_t)done;
}

ssize_t pl_aspace_read(const struct pl_aspace *as, uint64_t addr, void *buf, size_t len)
{
	size_t done = each_mapped(as, addr, len, copy_out, buf);
	return done == 0 && len > 0 ? -EFAULT : (ssize_t)done;
}

int pl_aspace_holds_any(const struct pl_aspace *as, uint64_t addr, uint64_t len)
{
	size_t i = first_after(as, addr);
	/* the first range ending after addr: it holds addr, or starts within len */
	return len > 0 && i < as->n && (as->r[i].start <= addr || as->r[i].start - addr < len);
}

void pl_aspace_free(struct pl_aspace *as)
{
	for (size_t i = 0; i < as->n; i++)
		free(as->r[i].bytes);
	free(as->r);
	*as = (struct pl_aspace)PL_ASPACE_INIT;
}
