/*
** arch_status: x86's proc_pid_arch_status (arch/x86/kernel/fpu/xstate.c).
** On a cpu with AVX512F one line, "AVX512_elapsed_ms:\t%ld\n": the
** milliseconds since the task last used AVX-512 registers, -1 if it never
** did; else (and for a kernel thread) nothing.
*/
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

static const char KEY[] = "AVX512_elapsed_ms:\t";

int pl_fmt_arch_status(const struct pl_task *t, struct pl_buf *out)
{
	if (t->arch_avx512)
		pl_buf_printf(out, "%s%lld\n", KEY, (long long)t->avx512_elapsed_ms);
	return pl_buf_status(out);
}

int pl_parse_arch_status(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *end = text + len, *p = text + sizeof KEY - 1;
	uint64_t v;
	t->arch_avx512 = len > 0;
	t->avx512_elapsed_ms = -1;
	if (!len)
		return 0;
	if (len < sizeof KEY || memcmp(text, KEY, sizeof KEY - 1) != 0)
		return pl_parse_fail(a, text, text);
	int neg = *p == '-';
	const char *q = pl_scan_u64(p + neg, end, &v);
	if (!q || q + 1 != end || *q != '\n' || v > (uint64_t)INT64_MAX)
		return pl_parse_fail(a, text, text);
	t->avx512_elapsed_ms = neg ? -(int64_t)v : (int64_t)v;
	return pl_parse_reprints(text, len, a, t, pl_fmt_arch_status);
}
