/*
** pl_arena: scratch memory for one request's task snapshot.
**
** A source fills a struct pl_task whose lists and strings (maps regions,
** mounts, groups, link targets, ...) point into an arena.  The arena lives
** as long as the request; pl_arena_reset keeps the largest chunk so a warm
** worker thread does no allocation at all.  Pointers handed out stay valid
** until the next reset (chunks are never moved).
*/
#ifndef PL_ARENA_H
#define PL_ARENA_H

#include <stddef.h>

struct pl_arena_chunk;

struct pl_arena {
	struct pl_arena_chunk *head; /* current chunk; older ones chained */
	/* Set by a parser of the kernel's text that fails (-EINVAL) while
	** filling records from this arena: the 1-based line it could not read,
	** 0 when it names none (format/scan.h, pl_parse_fail).  Only a failure
	** writes it, so a source's parses pay nothing for it. */
	unsigned fail_line;
};

#define PL_ARENA_INIT { NULL, 0 }

void *pl_arena_alloc(struct pl_arena *a, size_t n);   /* 16-byte aligned, zeroed */
char *pl_arena_strndup(struct pl_arena *a, const char *s, size_t n);
char *pl_arena_strdup(struct pl_arena *a, const char *s);
/* Grow an array of elements of size `size` from *cap to at least need. */
void *pl_arena_grow(struct pl_arena *a, void *old, size_t size, size_t *cap, size_t need);
void pl_arena_reset(struct pl_arena *a);
/* Bytes the arena holds (what a reset would keep, at least). */
size_t pl_arena_held(const struct pl_arena *a);
void pl_arena_free(struct pl_arena *a);

#endif
