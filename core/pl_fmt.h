/*
** Formatters and parsers of per-task files.
**
** A formatter is pure: facts in, bytes appended to `out`, 0 or -errno back.
** It reads only the PL_F_* groups its comment names.  A parser is the
** formatter's inverse for the host kernel's text: it fills those groups of a
** pl_task (strings and lists into the arena) and returns 0 or -EINVAL.  The
** host source parses, the model source fills records directly, and both are
** served by the same formatters, so the host kernel is the formatters' oracle.
*/
#ifndef PL_FMT_H
#define PL_FMT_H

#include <stddef.h>
#include <sys/types.h>

#include "pl_arena.h"
#include "pl_buf.h"
#include "pl_task.h"

/* What the reader may see, decided by kernfs for the caller. */
struct pl_view {
	int permitted; /* ptrace_may_access(READ_FSCREDS) for stat's masked fields */
};

/* stat.c: PL_F_STAT */
int pl_fmt_stat(const struct pl_task *t, const struct pl_view *v, struct pl_buf *out);
int pl_parse_stat(const char *text, size_t len, struct pl_task *t);
/* statm: PL_F_STATUS (mm counters) + PL_F_STAT (code range); has_mm */
int pl_fmt_statm(const struct pl_task *t, struct pl_buf *out);

/* status.c: PL_F_STATUS */
int pl_fmt_status(const struct pl_task *t, struct pl_buf *out);
int pl_parse_status(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* Cpus_allowed-style bitmaps (%*pb), for worlds and captures */
int pl_parse_bitmap(const char *text, size_t len, struct pl_bitmap *m);
int pl_fmt_bitmap(const struct pl_bitmap *m, struct pl_buf *out);

/* comm: PL_F_STAT */
int pl_fmt_comm(const struct pl_task *t, struct pl_buf *out);

/* io.c: PL_F_IO */
int pl_fmt_io(const struct pl_task *t, struct pl_buf *out);
int pl_parse_io(const char *text, size_t len, struct pl_task *t);

/* limits.c: PL_F_LIMITS */
int pl_fmt_limits(const struct pl_task *t, struct pl_buf *out);
int pl_parse_limits(const char *text, size_t len, struct pl_task *t);

/* cgroup.c: PL_F_CGROUP */
int pl_fmt_cgroup(const struct pl_task *t, struct pl_buf *out);
int pl_parse_cgroup(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* maps.c: PL_F_MAPS, PL_F_SMAPS, PL_F_ROLLUP */
int pl_fmt_maps(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_smaps(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_smaps_rollup(const struct pl_task *t, struct pl_buf *out);
int pl_parse_maps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_parse_smaps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);
int pl_parse_smaps_rollup(const char *text, size_t len, struct pl_task *t);

/* mounts.c: PL_F_MOUNTS */
int pl_fmt_mounts(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_mountinfo(const struct pl_task *t, struct pl_buf *out);
int pl_parse_mountinfo(const char *text, size_t len, struct pl_arena *a, struct pl_task *t);

/* idmap.c: PL_F_IDMAP */
int pl_fmt_idmap(const struct pl_idmap_extent *e, size_t n, struct pl_buf *out);
int pl_parse_idmap(const char *text, size_t len, struct pl_arena *a,
                   const struct pl_idmap_extent **out, size_t *n);
int pl_fmt_setgroups(const struct pl_task *t, struct pl_buf *out);
/* A write(2) to uid_map/gid_map parsed as map_write does: 0, or -EINVAL. */
#define PL_IDMAP_MAX_EXTENTS 340 /* UID_GID_MAP_MAX_EXTENTS */
int pl_idmap_parse_write(const char *buf, size_t len, struct pl_idmap_extent *out,
                         size_t max, size_t *n);

/* auxv.c: PL_F_AUXV (binary: native-endian unsigned longs) */
int pl_fmt_auxv(const struct pl_task *t, struct pl_buf *out);
int pl_parse_auxv(const void *data, size_t len, struct pl_arena *a, struct pl_task *t);

/* oom.c: PL_F_OOM; wchan: PL_F_WCHAN */
int pl_fmt_oom_score(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_oom_score_adj(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_coredump_filter(const struct pl_task *t, struct pl_buf *out);
int pl_fmt_wchan(const struct pl_task *t, const struct pl_view *v, struct pl_buf *out);

/* children: PL_F_CHILDREN */
int pl_fmt_children(const struct pl_task *t, struct pl_buf *out);

/* fdinfo.c */
int pl_fmt_fdinfo(const struct pl_fdinfo *fi, struct pl_buf *out);
int pl_parse_fdinfo(const char *text, size_t len, struct pl_arena *a, struct pl_fdinfo *fi);

/*
** cmdline.c: Linux's get_mm_cmdline and environ_read over a memory reader.
** `rd` copies task memory as pl_source_ops.read_mem does.  mm == NULL means
** the task has no mm (zombie, kernel thread): empty output.  A fault ends
** cmdline short and empties environ (the kernel drops a whole environ read
** on a fault); only reader errors other than -EFAULT/-EIO are returned.
*/
typedef ssize_t (*pl_mem_read_fn)(void *arg, uint64_t addr, void *buf, size_t len);
int pl_fmt_cmdline(const struct pl_mm *mm, pl_mem_read_fn rd, void *arg, struct pl_buf *out);
int pl_fmt_environ(const struct pl_mm *mm, pl_mem_read_fn rd, void *arg, struct pl_buf *out);

/* ns link text "net:[4026531840]" */
int pl_fmt_ns_link(int ns, uint64_t ino, struct pl_buf *out);
/* "net:[4026531840]" -> ino; -EINVAL if the text is not that shape */
int pl_parse_ns_link(const char *text, uint64_t *ino);

#endif
