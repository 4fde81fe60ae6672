/*
** statm: Linux's proc_pid_statm (fs/proc/array.c, task_statm in
** fs/proc/task_mmu.c), seven page counts on one line.
*/
#include <errno.h>

#include "format/format.h"
#include "format/digits.h"
#include "format/scan.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/*
** statm: PL_F_STATUS mm counters and PL_F_STAT's code range.  "shared" and
** "resident" are the counters task_statm() sums, so they agree with
** status's RssFile+RssShmem and VmRSS.  text is not clipped to exec_vm
** (status's VmExe is), so it can exceed VmExe.
*/
int pl_fmt_statm(const struct pl_task *t, struct pl_buf *out)
{
	if (!t->has_mm) {
		pl_buf_add(out, "0 0 0 0 0 0 0\n", 14);
		return pl_buf_status(out);
	}
	const struct pl_mm *m = &t->mm;
	uint64_t shared = m->rss_file + m->rss_shmem;
	uint64_t text = m->code_pages ? m->code_pages
	              : (((m->end_code + PAGE_SIZE - 1) & PAGE_MASK)
	                 - (m->start_code & PAGE_MASK)) >> PAGE_SHIFT;
	char *start = pl_buf_reserve(out, 7 * 21 + 1);
	if (!start)
		return -ENOMEM;
	char *p = put_u(start, m->total_vm);
	p = sp_u(p, shared + m->rss_anon);
	p = sp_u(p, shared);
	p = sp_u(p, text);
	p = sp_u(p, 0);             /* lib: always 0 since 2.6 */
	p = sp_u(p, m->data_vm + m->stack_vm);
	p = sp_u(p, 0);             /* dirty: always 0 */
	*p++ = '\n';
	out->len += (size_t)(p - start);
	return 0;
}

/*
** The seven numbers back into what stat and status, parsed before it into
** the same record, did not give (statm repeats them): without status, the
** size, the data and the rss split; with a status older than Linux 4.5
** (VmRSS without RssFile), the split of VmRSS into file and anon pages
** (shared counted file pages then, shmem among them); without stat, a code
** range of `text` pages.  lib and dirty are always 0.
*/
int pl_parse_statm(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	uint64_t v[7];
	const char *p = text, *end = text + len;
	for (int i = 0; i < 7; i++) {
		if (i && (p >= end || *p++ != ' '))
			return pl_parse_fail(a, text, text);
		if (!(p = pl_scan_u64(p, end, &v[i])))
			return pl_parse_fail(a, text, text);
	}
	if (end - p != 1 || *p != '\n' || v[4] || v[6] || v[2] > v[1])
		return pl_parse_fail(a, text, text);
	int status = (t->have & PL_F_STATUS) != 0;
	if (!status) {
		t->mm.total_vm = v[0];
		t->mm.data_vm = v[5] >= t->mm.stack_vm ? v[5] - t->mm.stack_vm : 0;
	}
	if (!status || !(t->status_lines & pl_status_line_bit("RssFile"))) {
		t->mm.rss_file = v[2];
		t->mm.rss_shmem = 0;
		t->mm.rss_anon = v[1] - v[2];
	}
	if (!(t->have & PL_F_STAT)) {
		t->mm.start_code = 0;
		t->mm.end_code = v[3] << PAGE_SHIFT;
	}
	return 0;
}
