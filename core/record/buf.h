/*
** pl_buf: a growable byte buffer that formatters append to.
**
** Formatters never fail for lack of memory halfway through a line: an
** allocation failure latches `oom`, later appends become no-ops, and the
** caller turns the latched flag into -ENOMEM once, at the end.  A buffer is
** reused across requests (pl_buf_reset keeps the storage), so the hot path
** allocates only while a buffer is still growing towards its working size.
*/
#ifndef PL_BUF_H
#define PL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct pl_buf {
	char *data;
	size_t len;
	size_t cap;
	int oom; /* an append failed; content is truncated */
};

#define PL_BUF_INIT { NULL, 0, 0, 0 }

void pl_buf_free(struct pl_buf *b);
static inline void pl_buf_reset(struct pl_buf *b) { b->len = 0; b->oom = 0; }

/* Make room for n more bytes; returns the write position or NULL (oom). */
char *pl_buf_reserve(struct pl_buf *b, size_t n);
void pl_buf_add(struct pl_buf *b, const void *p, size_t n);
void pl_buf_puts(struct pl_buf *b, const char *s);
void pl_buf_putc(struct pl_buf *b, char c);
void pl_buf_printf(struct pl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pl_buf_vprintf(struct pl_buf *b, const char *fmt, va_list ap);

/* Decimal without printf: these are the bulk of stat and status. */
void pl_buf_u64(struct pl_buf *b, uint64_t v);
void pl_buf_i64(struct pl_buf *b, int64_t v);

/* 0 on success, -ENOMEM if any append failed. */
int pl_buf_status(const struct pl_buf *b);

#endif
