/*
** sysvipc/shm, msg and sem: ipc/util.c's sysvipc_proc_show, a header then
** one line an object from ipc/{shm,msg,sem}.c (a 64-bit kernel's widths:
** shm's sizes are unsigned longs, 21 columns).  The reader's namespaces
** decide what is listed and how it is named: the IPC namespace and pid
** namespace of the opener, the user namespace of its credentials.
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/scan.h"

static const char *const header[PL_IPC_KINDS] = {
	[PL_IPC_SHM] = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n",
	[PL_IPC_MSG] = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n",
	[PL_IPC_SEM] = "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n",
};

static void put_obj(int kind, const struct pl_ipc_obj *o, struct pl_buf *out)
{
	pl_buf_printf(out, "%10" PRId32 " %10" PRId32 "  %4" PRIo32, o->key, o->id, o->mode);
	switch (kind) {
	case PL_IPC_SHM:
		pl_buf_printf(out, " %21" PRIu64 " %5" PRIu32 " %5" PRIu32 "  %5" PRIu64, o->size,
		              o->pid[0], o->pid[1], o->count);
		break;
	case PL_IPC_MSG:
		pl_buf_printf(out, "  %10" PRIu64 " %10" PRIu64 " %5" PRIu32 " %5" PRIu32, o->size,
		              o->count, o->pid[0], o->pid[1]);
		break;
	default:
		pl_buf_printf(out, " %10" PRIu64, o->size);
	}
	pl_buf_printf(out, " %5" PRIu32 " %5" PRIu32 " %5" PRIu32 " %5" PRIu32, o->uid, o->gid, o->cuid,
	              o->cgid);
	int ntimes = kind == PL_IPC_SEM ? 2 : 3;
	for (int i = 0; i < ntimes; i++)
		pl_buf_printf(out, " %10" PRIu64, o->time[i]);
	if (kind == PL_IPC_SHM)
		pl_buf_printf(out, " %21" PRIu64 " %21" PRIu64, o->rss, o->swap);
	pl_buf_putc(out, '\n');
}

static int fmt_kind(int kind, const struct pl_machine *m, struct pl_buf *out)
{
	pl_buf_puts(out, header[kind]);
	for (size_t i = 0; i < m->nipc[kind]; i++)
		put_obj(kind, &m->ipc[kind][i], out);
	return pl_buf_status(out);
}

int pl_fmt_sysvipc_shm(const struct pl_machine *m, struct pl_buf *out) { return fmt_kind(PL_IPC_SHM, m, out); }
int pl_fmt_sysvipc_msg(const struct pl_machine *m, struct pl_buf *out) { return fmt_kind(PL_IPC_MSG, m, out); }
int pl_fmt_sysvipc_sem(const struct pl_machine *m, struct pl_buf *out) { return fmt_kind(PL_IPC_SEM, m, out); }

/* The numbers of a line, space-separated: -EINVAL past max or on a word
** that is no number (a signed one for the first two, octal the third). */
static int scan_line(const char *line, const char *nl, int64_t *v, int max)
{
	int n = 0;
	const char *p = line;
	while (p < nl) {
		while (p < nl && *p == ' ')
			p++;
		if (p == nl)
			break;
		if (n == max)
			return -EINVAL;
		int neg = n < 2 && *p == '-';
		uint64_t u;
		const char *e;
		if (n == 2) {
			u = 0;
			for (e = p; e < nl && *e >= '0' && *e <= '7' && u < 010000000; e++)
				u = u * 8 + (uint64_t)(*e - '0');
			if (e == p)
				return -EINVAL;
		} else if (!(e = pl_scan_u64(p + neg, nl, &u))) {
			return -EINVAL;
		}
		if (e < nl && *e != ' ')
			return -EINVAL;
		if (neg ? u > (uint64_t)INT32_MAX + 1 : n < 2 ? u > INT32_MAX : u > INT64_MAX)
			return -EINVAL;
		v[n++] = neg ? -(int64_t)u : (int64_t)u;
		p = e;
	}
	return n;
}

static int fits32(int64_t v) { return v >= 0 && v <= UINT32_MAX; }

static int obj_line(int kind, const char *line, const char *nl, struct pl_ipc_obj *o)
{
	static const int nfields[PL_IPC_KINDS] = { 16, 14, 10 };
	int64_t v[16];
	memset(o, 0, sizeof *o);
	if (scan_line(line, nl, v, 16) != nfields[kind])
		return -EINVAL;
	o->key = (int32_t)v[0];
	o->id = (int32_t)v[1];
	o->mode = (uint32_t)v[2];
	int i = 3;
	o->size = (uint64_t)v[i++];
	if (kind == PL_IPC_MSG)
		o->count = (uint64_t)v[i++];
	if (kind != PL_IPC_SEM) {
		if (!fits32(v[i]) || !fits32(v[i + 1]))
			return -EINVAL;
		o->pid[0] = (uint32_t)v[i++];
		o->pid[1] = (uint32_t)v[i++];
	}
	if (kind == PL_IPC_SHM)
		o->count = (uint64_t)v[i++];
	uint32_t *ids[4] = { &o->uid, &o->gid, &o->cuid, &o->cgid };
	for (int k = 0; k < 4; k++, i++) {
		if (!fits32(v[i]))
			return -EINVAL;
		*ids[k] = (uint32_t)v[i];
	}
	for (int k = 0; k < (kind == PL_IPC_SEM ? 2 : 3); k++)
		o->time[k] = (uint64_t)v[i++];
	if (kind == PL_IPC_SHM) {
		o->rss = (uint64_t)v[i++];
		o->swap = (uint64_t)v[i++];
	}
	/* the line must be the one the formatter gives back */
	struct pl_buf b = PL_BUF_INIT;
	put_obj(kind, o, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

static int shm_line(struct pl_arena *a, const char *l, const char *nl, void *e) { (void)a; return obj_line(PL_IPC_SHM, l, nl, e); }
static int msg_line(struct pl_arena *a, const char *l, const char *nl, void *e) { (void)a; return obj_line(PL_IPC_MSG, l, nl, e); }
static int sem_line(struct pl_arena *a, const char *l, const char *nl, void *e) { (void)a; return obj_line(PL_IPC_SEM, l, nl, e); }

static int parse_kind(int kind, const char *text, size_t len, struct pl_arena *a,
                      struct pl_machine *m)
{
	static const pl_line_fn line_fn[PL_IPC_KINDS] = { shm_line, msg_line, sem_line };
	size_t hl = strlen(header[kind]);
	if (len < hl || memcmp(text, header[kind], hl) != 0)
		return pl_parse_fail(a, text, text);
	void *v;
	size_t n;
	int rc = pl_parse_lines(text + hl, len - hl, a, sizeof(struct pl_ipc_obj), line_fn[kind], &v, &n);
	if (rc == -EINVAL && a->fail_line)
		a->fail_line += 1;    /* counted from the file's first line */
	if (rc < 0)
		return rc;
	m->ipc[kind] = v;
	m->nipc[kind] = n;
	m->have |= PL_M_SYSVIPC;
	return 0;
}

int pl_parse_sysvipc_shm(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	return parse_kind(PL_IPC_SHM, text, len, a, m);
}

int pl_parse_sysvipc_msg(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	return parse_kind(PL_IPC_MSG, text, len, a, m);
}

int pl_parse_sysvipc_sem(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	return parse_kind(PL_IPC_SEM, text, len, a, m);
}
