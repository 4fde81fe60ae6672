/*
** pl_buf: growable output buffer.  See pl_buf.h for the oom latch.
*/
#include "record/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pl_buf_free(struct pl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

char *pl_buf_reserve(struct pl_buf *b, size_t n)
{
	if (b->oom)
		return NULL;
	/* A buffer with no storage yet gets some even for n == 0: the write
	** position is then a real pointer (NULL + 0 is undefined), and NULL
	** keeps meaning out of memory. */
	if (b->cap - b->len < n || !b->data) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2) {
				b->oom = 1;
				return NULL;
			}
			cap *= 2;
		}
		char *p = realloc(b->data, cap);
		if (!p) {
			b->oom = 1;
			return NULL;
		}
		b->data = p;
		b->cap = cap;
	}
	return b->data + b->len;
}

void pl_buf_add(struct pl_buf *b, const void *p, size_t n)
{
	if (n == 0) /* nothing to add, and p may be NULL */
		return;
	char *w = pl_buf_reserve(b, n);
	if (w) {
		memcpy(w, p, n);
		b->len += n;
	}
}

void pl_buf_puts(struct pl_buf *b, const char *s)
{
	pl_buf_add(b, s, strlen(s));
}

void pl_buf_putc(struct pl_buf *b, char c)
{
	char *w = pl_buf_reserve(b, 1);
	if (w) {
		*w = c;
		b->len++;
	}
}

void pl_buf_vprintf(struct pl_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	size_t room = b->oom ? 0 : b->cap - b->len;
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	if (n < 0) {
		b->oom = 1;
	} else if ((size_t)n < room) {
		b->len += (size_t)n;
	} else {
		char *w = pl_buf_reserve(b, (size_t)n + 1);
		if (w) {
			vsnprintf(w, (size_t)n + 1, fmt, ap2);
			b->len += (size_t)n;
		}
	}
	va_end(ap2);
}

void pl_buf_printf(struct pl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pl_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void pl_buf_u64(struct pl_buf *b, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	pl_buf_add(b, tmp + i, sizeof tmp - i);
}

void pl_buf_i64(struct pl_buf *b, int64_t v)
{
	if (v < 0) {
		pl_buf_putc(b, '-');
		pl_buf_u64(b, 0 - (uint64_t)v);
	} else {
		pl_buf_u64(b, (uint64_t)v);
	}
}

int pl_buf_status(const struct pl_buf *b)
{
	return b->oom ? -ENOMEM : 0;
}
