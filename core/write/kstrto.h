/*
** The kernel's integer parsers (lib/kstrtox.c), which decide what a write
** to a /proc file accepts: an optional sign, digits of the base (0: the
** prefix says, 0x hex, 0 octal, else decimal), one optional newline, then
** the end; -EINVAL for anything else, -ERANGE past the type.  Strings are
** NUL-terminated, as the kernel's copies of a write are.
*/
#ifndef PL_KSTRTO_H
#define PL_KSTRTO_H

#include <stddef.h>

int pl_kstrtoull(const char *s, unsigned base, unsigned long long *res);
int pl_kstrtoll(const char *s, unsigned base, long long *res);
int pl_kstrtoint(const char *s, unsigned base, int *res);
int pl_kstrtouint(const char *s, unsigned base, unsigned *res);
/* kstrtouint_from_user: the first 34 bytes of a write at most. */
int pl_kstrtouint_from_user(const char *buf, size_t count, unsigned base, unsigned *res);
/* _parse_integer_fixup_radix, then _parse_integer: the digits of `base`
** (0: as the prefix says) at s.  The characters taken, a "0x" prefix
** included (0: no digit); *res the value, *overflow set where it passed
** 64 bits (the digits are taken all the same). */
size_t pl_kparse_integer(const char *s, unsigned base, unsigned long long *res, int *overflow);
/* The kernel's isspace (lib/ctype.c): \t \n \v \f \r, space, 0xa0. */
int pl_kisspace(int c);
/* kstrtoull_from_user: the first 66 bytes of a write at most. */
int pl_kstrtoull_from_user(const char *buf, size_t count, unsigned base, unsigned long long *res);
/* strstrip: the string without leading and trailing whitespace (isspace
** as the kernel's ctype has it), trimmed in place. */
char *pl_strstrip(char *s);
/* What base.c's small number files take (oom_score_adj, oom_adj,
** autogroup): the first PROC_NUMBUF - 1 bytes of a write, stripped, by
** kstrtoint in any base.  The count of bytes taken, or -errno. */
#define PL_PROC_NUMBUF 13
long pl_proc_numbuf_int(const char *buf, size_t len, int *res);

#endif
