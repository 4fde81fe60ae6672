/*
** The files behind Linux's lock_trace (fs/proc/base.c): personality
** (proc_pid_personality), stack (proc_pid_stack) and syscall
** (proc_pid_syscall).  Who may read them is the tree's decision; these
** only print.
*/
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

/* personality: PL_F_PERSONALITY, "%08x\n" */
int pl_fmt_personality(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_printf(out, "%08x\n", (unsigned)t->personality);
	return pl_buf_status(out);
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Lower-case hex digits at p; the end, or NULL without one or past 64 bits. */
static const char *scan_hex(const char *p, const char *end, uint64_t *v)
{
	uint64_t x = 0;
	const char *s = p;
	for (int d; p < end && (d = hex_digit(*p)) >= 0; p++) {
		if (x >> 60)
			return NULL;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return p > s ? p : NULL;
}

int pl_parse_personality(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	uint64_t v;
	const char *p = scan_hex(text, text + len, &v);
	if (!p || v > UINT32_MAX || p + 1 != text + len || *p != '\n')
		return pl_parse_fail(a, text, text);
	t->personality = (uint32_t)v;
	return pl_parse_reprints(text, len, a, t, pl_fmt_personality);
}

/* stack: PL_F_STACK, the kernel's lines as they are */
int pl_fmt_stack(const struct pl_task *t, struct pl_buf *out)
{
	pl_buf_puts(out, t->stack ? t->stack : "");
	return pl_buf_status(out);
}

/* Lines, each with its newline ("[<0>] do_wait+0x53/0x120"), or none. */
int pl_parse_stack(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	if (pl_has_nul(text, len) || (len && text[len - 1] != '\n'))
		return pl_parse_fail(a, text, text);
	t->stack = pl_arena_strndup(a, text, len);
	return t->stack ? 0 : -ENOMEM;
}

/*
** syscall: PL_F_SYSCALL.  "running", or the number (an int) and, for a
** task inside a system call, its six arguments, then the stack and
** instruction pointers, in 0x%llx.
*/
int pl_fmt_syscall(const struct pl_task *t, struct pl_buf *out)
{
	if (t->syscall_running) {
		pl_buf_puts(out, "running\n");
		return pl_buf_status(out);
	}
	pl_buf_i64(out, (int32_t)t->syscall_nr);
	if (t->syscall_nr >= 0)
		for (int i = 0; i < 6; i++)
			pl_buf_printf(out, " 0x%" PRIx64, t->syscall_args[i]);
	pl_buf_printf(out, " 0x%" PRIx64 " 0x%" PRIx64 "\n", t->syscall_sp, t->syscall_pc);
	return pl_buf_status(out);
}

int pl_parse_syscall(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = text, *end = text + len;
	memset(t->syscall_args, 0, sizeof t->syscall_args);
	t->syscall_sp = t->syscall_pc = 0;
	t->syscall_nr = -1;
	t->syscall_running = len == 8 && memcmp(text, "running\n", 8) == 0;
	if (t->syscall_running)
		return 0;
	uint64_t nr, v[8];
	int neg = p < end && *p == '-';
	if (!(p = pl_scan_u64(p + neg, end, &nr)) || nr > INT32_MAX)
		return pl_parse_fail(a, text, text);
	int n = 0;
	while (n < 8 && end - p > 3 && p[0] == ' ' && p[1] == '0' && p[2] == 'x') {
		if (!(p = scan_hex(p + 3, end, &v[n++])))
			return pl_parse_fail(a, text, text);
	}
	if (p + 1 != end || *p != '\n' || n != (neg ? 2 : 8))
		return pl_parse_fail(a, text, text);
	t->syscall_nr = neg ? -(int64_t)nr : (int64_t)nr;
	if (!neg)
		memcpy(t->syscall_args, v, sizeof t->syscall_args);
	t->syscall_sp = v[n - 2];
	t->syscall_pc = v[n - 1];
	return pl_parse_reprints(text, len, a, t, pl_fmt_syscall);
}
