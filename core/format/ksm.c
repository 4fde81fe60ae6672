/*
** ksm_stat and ksm_merging_pages: Linux's proc_pid_ksm_stat and
** proc_pid_ksm_merging_pages (fs/proc/base.c), what KSM counts for the
** task's mm.  A task without an mm (a kernel thread, a zombie) reads both
** empty.  ksm_process_profit is kept as the kernel printed it: how it is
** reckoned has changed between kernels (mm/ksm.c), and a record says what
** the file said.
*/
#include <string.h>

#include "format/format.h"
#include "format/scan.h"

static const char *yes_no(int32_t v) { return v ? "yes" : "no"; }

/* ksm_stat: PL_F_KSM */
int pl_fmt_ksm_stat(const struct pl_task *t, struct pl_buf *out)
{
	if (!t->ksm_mm)
		return pl_buf_status(out);
	pl_buf_printf(out, "ksm_rmap_items %llu\nksm_zero_pages %lld\nksm_merging_pages %llu\n"
	              "ksm_process_profit %lld\nksm_merge_any: %s\nksm_mergeable: %s\n",
	              (unsigned long long)t->ksm_rmap_items, (long long)t->ksm_zero_pages,
	              (unsigned long long)t->ksm_merging_pages, (long long)t->ksm_process_profit,
	              yes_no(t->ksm_merge_any), yes_no(t->ksm_mergeable));
	return pl_buf_status(out);
}

/* ksm_merging_pages: PL_F_KSM, "%lu\n" */
int pl_fmt_ksm_merging_pages(const struct pl_task *t, struct pl_buf *out)
{
	if (t->ksm_mm) {
		pl_buf_u64(out, t->ksm_merging_pages);
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

/* "KEY VALUE\n" at *p, KEY including its separator: the value's text. */
static const char *value_of(const char **p, const char *end, const char *key, size_t *n)
{
	size_t k = strlen(key);
	if ((size_t)(end - *p) <= k || memcmp(*p, key, k) != 0)
		return NULL;
	const char *v = *p + k, *nl = memchr(v, '\n', (size_t)(end - v));
	if (!nl)
		return NULL;
	*n = (size_t)(nl - v);
	*p = nl + 1;
	return v;
}

static int u64_of(const char *v, size_t n, uint64_t *out)
{
	return n > 0 && pl_scan_u64(v, v + n, out) == v + n ? 0 : -1;
}

static int i64_of(const char *v, size_t n, int64_t *out)
{
	uint64_t x;
	int neg = n > 0 && v[0] == '-';
	if (u64_of(v + neg, n - (size_t)neg, &x) < 0 || x > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int64_t)(0 - x) : (int64_t)x;
	return 0;
}

static int bool_of(const char *v, size_t n, int32_t *out)
{
	if (n == 3 && memcmp(v, "yes", 3) == 0)
		*out = 1;
	else if (n == 2 && memcmp(v, "no", 2) == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

int pl_parse_ksm_stat(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *p = text, *end = text + len, *v;
	size_t n;
	t->ksm_mm = len > 0;
	if (!t->ksm_mm)
		return 0;
	if (!(v = value_of(&p, end, "ksm_rmap_items ", &n)) || u64_of(v, n, &t->ksm_rmap_items) < 0 ||
	    !(v = value_of(&p, end, "ksm_zero_pages ", &n)) || i64_of(v, n, &t->ksm_zero_pages) < 0 ||
	    !(v = value_of(&p, end, "ksm_merging_pages ", &n)) ||
	    u64_of(v, n, &t->ksm_merging_pages) < 0 ||
	    !(v = value_of(&p, end, "ksm_process_profit ", &n)) ||
	    i64_of(v, n, &t->ksm_process_profit) < 0 ||
	    !(v = value_of(&p, end, "ksm_merge_any: ", &n)) || bool_of(v, n, &t->ksm_merge_any) < 0 ||
	    !(v = value_of(&p, end, "ksm_mergeable: ", &n)) || bool_of(v, n, &t->ksm_mergeable) < 0 ||
	    p != end)
		return pl_parse_fail(a, text, p);
	return pl_parse_reprints(text, len, a, t, pl_fmt_ksm_stat);
}
