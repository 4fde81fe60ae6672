/*
** cmdline and environ: Linux's get_mm_cmdline, get_mm_proctitle and
** environ_read (fs/proc/base.c) replayed over a memory reader.
**
** Linux recomputes these files at every read(2); the caller snapshots the
** whole file instead, so each function produces what one read of unbounded
** size at offset 0 returns.  That matters where the kernel's answer depends
** on the read size (a fault inside environ, see below): the snapshot is what
** `cat` sees, i.e. a read at least as large as the file.
**
** Faults: the kernel copies with access_remote_vm, which returns how much it
** copied and never an error, so a fault gives a short (possibly empty)
** file, not EFAULT.  The reader's -EFAULT, -EIO and 0 ("no memory") are
** therefore faults here; any other error (-ESRCH: the task is gone) aborts.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

/* The oracle's page size (x86-64); stat.c and the host source assume it too. */
#define PL_PAGE 4096u

/* One copy from task memory: >0 bytes copied, 0 on a fault, or -errno. */
static ssize_t copy_in(pl_mem_read_fn rd, void *arg, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = rd(arg, addr, buf, len);
	if (n == -EFAULT || n == -EIO)
		return 0;
	if (n > (ssize_t)len) /* a reader bug must not overrun the buffer */
		return -EIO;
	return n;
}

/*
** Append [addr, addr+len) page by page, as both kernel loops do, stopping
** at the first fault.  Returns 0 if every byte was copied, 1 after a fault,
** or -errno.
*/
static int copy_range(pl_mem_read_fn rd, void *arg, uint64_t addr, uint64_t len,
                      struct pl_buf *out)
{
	while (len) {
		size_t chunk = len < PL_PAGE ? (size_t)len : PL_PAGE;
		char *w = pl_buf_reserve(out, chunk);
		if (!w)
			return -ENOMEM;
		ssize_t got = copy_in(rd, arg, addr, w, chunk);
		if (got < 0)
			return (int)got;
		if (got == 0)
			return 1;
		out->len += (size_t)got;
		addr += (uint64_t)got;
		len -= (uint64_t)got;
	}
	return 0;
}

/*
** get_mm_proctitle: the title was written over argv (setproctitle), so
** argv's end means nothing.  Take the C string at arg_start, at most one
** page, with its NUL if that was found in the page, and never more than
** `limit` (env_end - arg_start, the count get_mm_cmdline clamped to).
*/
static int proctitle(pl_mem_read_fn rd, void *arg, uint64_t arg_start, uint64_t limit,
                     struct pl_buf *out)
{
	char *w = pl_buf_reserve(out, PL_PAGE);
	if (!w)
		return -ENOMEM;
	ssize_t got = copy_in(rd, arg, arg_start, w, PL_PAGE);
	if (got <= 0)
		return (int)got;
	size_t len = strnlen(w, (size_t)got);
	if (len < (size_t)got)
		len++;
	if (len > limit)
		len = (size_t)limit;
	out->len += len;
	return 0;
}

int pl_fmt_cmdline(const struct pl_mm *mm, pl_mem_read_fn rd, void *arg, struct pl_buf *out)
{
	/* env_end == 0: the process has not got far enough through exec. */
	if (!mm || !mm->env_end || mm->arg_start >= mm->arg_end)
		return pl_buf_status(out);
	uint64_t arg_start = mm->arg_start, arg_end = mm->arg_end;
	uint64_t env_start = mm->env_start, env_end = mm->env_end;

	/* A title may run past argv only into an environment right behind it. */
	if (env_start != arg_end || env_end < env_start)
		env_end = arg_end;
	uint64_t limit = env_end - arg_start;

	/* argv's last byte is normally its NUL; anything else means setproctitle. */
	char c;
	ssize_t n = copy_in(rd, arg, arg_end - 1, &c, 1);
	if (n < 0)
		return (int)n;
	int rc = (n == 1 && c) ? proctitle(rd, arg, arg_start, limit, out)
	                       : copy_range(rd, arg, arg_start, arg_end - arg_start, out);
	return rc < 0 ? rc : pl_buf_status(out);
}

/*
** environ_read resets its result to 0 when a copy fails, discarding what
** earlier pages of the same read(2) produced.  A read covering the whole
** file therefore returns nothing if any byte of [env_start, env_end) is
** unreadable.  env_end < env_start makes the kernel read upwards until the
** first fault (the end of the stack), which again yields nothing.
*/
int pl_fmt_environ(const struct pl_mm *mm, pl_mem_read_fn rd, void *arg, struct pl_buf *out)
{
	if (!mm || !mm->env_end || mm->env_end <= mm->env_start)
		return pl_buf_status(out);
	size_t start = out->len;
	int rc = copy_range(rd, arg, mm->env_start, mm->env_end - mm->env_start, out);
	if (rc < 0)
		return rc;
	if (rc == 1)
		out->len = start;
	return pl_buf_status(out);
}
