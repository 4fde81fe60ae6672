/*
** pl_text: the small scanners every parser of the kernel's text shares.
*/
#ifndef PL_TEXT_H
#define PL_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "record/arena.h"

/* Unsigned decimal at p; returns the end, or NULL without a digit or on
** overflow of 64 bits. */
const char *pl_scan_u64(const char *p, const char *end, uint64_t *v);

/*
** A parser's failure at `at`, a byte of `text`: records the 1-based line
** of `at` in a->fail_line (for a caller that says where a file could not
** be read, as a capture of a saved tree does) and returns -EINVAL.  The
** line is counted only here, on the failing path.
*/
int pl_parse_fail(struct pl_arena *a, const char *text, const char *at);

/*
** Whether text holds a NUL byte.  No file the kernel prints as text does,
** and a record keeps the strings it parses as C strings, which a NUL would
** cut short (the formatter would then print less than was read): parsers
** refuse such text.
*/
int pl_has_nul(const char *text, size_t len);

/*
** A parser that took values from text keeps them only when fmt prints
** them back as the same text, so a file it accepts is served byte for
** byte: 0, or pl_parse_fail at the start.  (A struct pl_task formatter;
** declared here untyped so this header needs no record.)
*/
struct pl_task;
struct pl_buf;
int pl_parse_reprints(const char *text, size_t len, struct pl_arena *a, const struct pl_task *t,
                      int (*fmt)(const struct pl_task *, struct pl_buf *));

/* Parse one line [line, nl) into *elem; 0 or -errno. */
typedef int (*pl_line_fn)(struct pl_arena *a, const char *line, const char *nl, void *elem);

/*
** Text of '\n'-terminated lines into an arena array of one element a line
** (elem_size bytes each); -EINVAL when the last line has no newline or fn
** refuses a line (whose number it records: pl_parse_fail), or the
** text holds a NUL.
*/
int pl_parse_lines(const char *text, size_t len, struct pl_arena *a, size_t elem_size,
                   pl_line_fn fn, void **out, size_t *n);

/*
** The text of a small kernel file made in one go (a task's status), read
** with one read(2) into buf and NUL-terminated: its length, or -errno.
** path is relative to dirfd (AT_FDCWD: the current directory).
*/
ssize_t pl_read_small(int dirfd, const char *path, char *buf, size_t size);

#endif
