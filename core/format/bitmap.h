/*
** The bitmap writers and scanners status.c shares with bitmap.c's public
** pl_fmt_bitmap/pl_parse_bitmap.  Private to format/.
*/
#ifndef PL_FORMAT_BITMAP_H
#define PL_FORMAT_BITMAP_H

#include <stdint.h>

#include "record/task.h"

/* Bits that count: nbits, at most what the record holds. */
uint32_t pl_bitmap_nbits(const struct pl_bitmap *m);
/* %*pb and %*pbl at p (room reserved by the caller); the end. */
char *pl_put_bitmap(char *p, const struct pl_bitmap *m);
char *pl_put_bitlist(char *p, const struct pl_bitmap *m);
/* [p, end) as %*pb into m; as %*pbl, checked against the bits m holds. */
int pl_scan_bitmap(const char *p, const char *end, struct pl_bitmap *m);
int pl_scan_bitlist(const char *p, const char *end, const struct pl_bitmap *m);

#endif
