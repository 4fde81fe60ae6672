/*
** Machine-wide files the kernel makes for each reader.  sysvipc/'s files
** list the objects of the opener's IPC namespace, their pids in the
** opener's pid namespace and their ids in its credentials' user
** namespace.  A host reader whose namespaces are not the daemon's has the
** file opened as itself (write/host.c); the daemon reads that fd, parses
** the kernel's text into facts and prints them back, as for every file.
*/
#include "tree/machine_as.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "format/format.h"
#include "record/scratch.h"
#include "tree/builtin.h"
#include "write/write.h"

static const struct {
	int gen;
	const char *path;
	pl_machine_parser parse;
} per_reader[] = {
	{ PL_G_SYSVIPC_SHM, "sysvipc/shm", pl_parse_sysvipc_shm },
	{ PL_G_SYSVIPC_MSG, "sysvipc/msg", pl_parse_sysvipc_msg },
	{ PL_G_SYSVIPC_SEM, "sysvipc/sem", pl_parse_sysvipc_sem },
};

static int read_all(int fd, struct pl_buf *b)
{
	char chunk[4096];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return pl_buf_status(b);
		pl_buf_add(b, chunk, (size_t)n);
		if (pl_buf_status(b) < 0)
			return -ENOMEM;
	}
}

int pl_machine_as_reader(struct pl_source *src, struct pl_caller *c, int gen, struct pl_buf *out)
{
	size_t i = 0;
	while (i < sizeof per_reader / sizeof per_reader[0] && per_reader[i].gen != gen)
		i++;
	if (i == sizeof per_reader / sizeof per_reader[0])
		return -EAGAIN;
	int fd = pl_host_open_as_reader(src, per_reader[i].path, c);
	if (fd < 0)
		return fd;
	struct pl_scratch *s = pl_scratch();
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	pl_buf_reset(&s->read);
	int rc = read_all(fd, &s->read);
	close(fd);
	if (rc < 0)
		return rc;
	pl_arena_reset(&s->arena);
	memset(&s->machine, 0, sizeof s->machine);
	if (per_reader[i].parse(s->read.data, s->read.len, &s->arena, &s->machine) < 0)
		return -EIO;
	struct pl_gen_ctx g = { .src = src, .permitted = 1, .machine = &s->machine };
	rc = pl_builtins[gen].fmt(&g, out);
	return rc < 0 ? rc : pl_buf_status(out);
}
