/*
** pl_arena: chunked bump allocator for per-request snapshots.
*/
#include "record/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pl_arena_chunk {
	struct pl_arena_chunk *prev;
	size_t used, cap;
	_Alignas(16) unsigned char mem[];
};

#define ARENA_ALIGN 16
#define ARENA_MIN_CHUNK 4096

void *pl_arena_alloc(struct pl_arena *a, size_t n)
{
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct pl_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = c ? c->cap * 2 : ARENA_MIN_CHUNK;
		while (cap < n)
			cap *= 2;
		struct pl_arena_chunk *nc = malloc(sizeof *nc + cap);
		if (!nc)
			return NULL;
		nc->prev = c;
		nc->used = 0;
		nc->cap = cap;
		a->head = c = nc;
	}
	void *p = c->mem + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *pl_arena_strndup(struct pl_arena *a, const char *s, size_t n)
{
	char *p = pl_arena_alloc(a, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

char *pl_arena_strdup(struct pl_arena *a, const char *s)
{
	return pl_arena_strndup(a, s, strlen(s));
}

void *pl_arena_grow(struct pl_arena *a, void *old, size_t size, size_t *cap, size_t need)
{
	if (need <= *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / size)
		return NULL;
	void *p = pl_arena_alloc(a, ncap * size);
	if (!p)
		return NULL;
	if (old)
		memcpy(p, old, *cap * size);
	*cap = ncap;
	return p;
}

/* Keep only the newest (largest) chunk, so a warm arena stops allocating. */
void pl_arena_reset(struct pl_arena *a)
{
	struct pl_arena_chunk *c = a->head;
	if (!c)
		return;
	struct pl_arena_chunk *p = c->prev;
	while (p) {
		struct pl_arena_chunk *q = p->prev;
		free(p);
		p = q;
	}
	c->prev = NULL;
	c->used = 0;
}

void pl_arena_free(struct pl_arena *a)
{
	pl_arena_reset(a);
	free(a->head);
	a->head = NULL;
}

size_t pl_arena_held(const struct pl_arena *a)
{
	size_t n = 0;
	for (const struct pl_arena_chunk *c = a->head; c; c = c->prev)
		n += c->cap;
	return n;
}
