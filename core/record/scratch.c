/*
** pl_scratch: per-thread request memory, freed when its thread exits.
*/
#include "record/scratch.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static _Thread_local struct pl_scratch *mine;

static void release(void *p)
{
	struct pl_scratch *s = p;
	pl_arena_free(&s->arena);
	pl_buf_free(&s->gen);
	pl_buf_free(&s->read);
	pl_buf_free(&s->reply);
	free(s);
}

static void make_key(void)
{
	pthread_key_create(&key, release);
}

struct pl_scratch *pl_scratch(void)
{
	if (mine)
		return mine;
	pthread_once(&key_once, make_key);
	struct pl_scratch *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	pthread_setspecific(key, s);
	mine = s;
	return s;
}

static void trim_buf(struct pl_buf *b, size_t keep)
{
	if (b->cap > keep)
		pl_buf_free(b);
}

void pl_scratch_trim(size_t keep)
{
	struct pl_scratch *s = mine;
	if (!s)
		return;
	if (pl_arena_held(&s->arena) > keep)
		pl_arena_free(&s->arena);
	trim_buf(&s->gen, keep);
	trim_buf(&s->read, keep);
	trim_buf(&s->reply, keep);
}
