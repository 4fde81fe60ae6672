/*
** What the fuzz targets share: the input as the program would hold it, and
** checks that stop the run (libFuzzer then keeps the input as a crash).
*/
#ifndef PL_FUZZ_H
#define PL_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed invariant: say which and abort, so the input is kept. */
#define FUZZ_CHECK(cond, ...)                                                     \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, \
			        __LINE__, #cond);                                 \
			fprintf(stderr, __VA_ARGS__);                             \
			fputc('\n', stderr);                                      \
			abort();                                                  \
		}                                                                 \
	} while (0)

/* The bytes as every caller of a parser hands them over: a copy with a
** NUL after the last byte, as read_file and Lua strings have it (the
** bytes themselves may hold NULs). */
static inline char *fuzz_text(const unsigned char *data, size_t len)
{
	char *s = malloc(len + 1);
	if (!s)
		abort();
	if (len)
		memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* Print bytes escaped, for a failed comparison's message. */
static inline void fuzz_dump(const char *what, const char *s, size_t n)
{
	fprintf(stderr, "%s (%zu bytes): \"", what, n);
	for (size_t i = 0; i < n && i < 4096; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || c == '"')
			fprintf(stderr, "\\%c", c);
		else if (c >= 32 && c < 127)
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\"\n");
}

/* Two byte strings that must be equal. */
#define FUZZ_SAME(a, alen, b, blen, ...)                                          \
	do {                                                                      \
		if ((alen) != (blen) || ((alen) && memcmp((a), (b), (alen)))) {   \
			fuzz_dump("first", (a), (alen));                          \
			fuzz_dump("second", (b), (blen));                         \
			FUZZ_CHECK(0, __VA_ARGS__);                               \
		}                                                                 \
	} while (0)

#endif
