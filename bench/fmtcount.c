/*
** fmtcount: the formatters and parsers of stat, status and smaps, a fixed
** number of times each, so that callgrind's instruction counts compare
** two builds exactly where wall-clock times on a busy machine cannot.
**
**   gcc -O2 -Icore -o fmtcount bench/fmtcount.c build/libproclua_core.a -lpthread
**   valgrind --tool=callgrind --callgrind-out-file=cg ./fmtcount PID
**   callgrind_annotate --inclusive=yes --threshold=100 cg | grep -E 'pl_(fmt|parse)_'
**
** Every call is made 1000 times on the text of task PID read once, so the
** counts are per 1000 calls.  Build it against each library with that
** library's own core/ headers (the record's layout differs between them).
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "format/format.h"

#define CALLS 1000

static char *slurp(const char *path, size_t *n)
{
	int fd = open(path, O_RDONLY);
	char *buf = malloc(1 << 20);
	size_t len = 0;
	ssize_t got;
	if (fd < 0 || !buf)
		exit(1);
	while ((got = read(fd, buf + len, (1 << 20) - len)) > 0)
		len += (size_t)got;
	close(fd);
	*n = len;
	return buf;
}

static struct pl_task parsed, scratch;
static struct pl_arena arena = PL_ARENA_INIT;

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fmtcount PID\n");
		return 2;
	}
	char path[64];
	size_t nstat, nstatus, nsmaps;
	snprintf(path, sizeof path, "/proc/%s/stat", argv[1]);
	char *stat = slurp(path, &nstat);
	snprintf(path, sizeof path, "/proc/%s/status", argv[1]);
	char *status = slurp(path, &nstatus);
	snprintf(path, sizeof path, "/proc/%s/smaps", argv[1]);
	char *smaps = slurp(path, &nsmaps);
	struct pl_buf out = PL_BUF_INIT;
	if (pl_parse_stat(stat, nstat, &arena, &parsed) || pl_parse_status(status, nstatus, &arena, &parsed) ||
	    pl_parse_smaps(smaps, nsmaps, &arena, &parsed)) {
		fprintf(stderr, "fmtcount: task %s's files do not parse\n", argv[1]);
		return 1;
	}
	for (int i = 0; i < CALLS; i++) {
		out.len = 0;
		pl_fmt_stat(&parsed, 1, &out);
	}
	for (int i = 0; i < CALLS; i++) {
		out.len = 0;
		pl_fmt_status(&parsed, &out);
	}
	for (int i = 0; i < CALLS; i++) {
		out.len = 0;
		pl_fmt_smaps(&parsed, &out);
	}
	for (int i = 0; i < CALLS; i++) {
		scratch.have = 0;
		pl_parse_stat(stat, nstat, &arena, &scratch);
	}
	for (int i = 0; i < CALLS; i++) {
		scratch.have = 0;
		pl_parse_status(status, nstatus, &arena, &scratch);
	}
	for (int i = 0; i < CALLS; i++) {
		pl_arena_reset(&arena);
		scratch.have = 0;
		pl_parse_smaps(smaps, nsmaps, &arena, &scratch);
	}
	pl_buf_free(&out);
	return 0;
}
