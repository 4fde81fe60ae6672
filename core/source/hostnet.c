/*
** A host task's net/ files, read as the kernel shows them to the daemon.
**
** A busy machine's tcp table runs to megabytes: the file is read in
** chunks into the worker's read buffer and each whole line parsed into
** the arena's records at once, so what the read holds is a chunk and a
** partial line, never the file.
*/
#include "source/hostnet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/net.h"
#include "record/scratch.h"

#define CHUNK (64u << 10)

/* A file gone with its task reads ENOENT; whether the task is the one
** gone says its directory. */
static int missing(int root_fd, const char *dir, int err)
{
	if (err != ENOENT && err != ESRCH)
		return -err;
	return faccessat(root_fd, dir, F_OK, 0) == 0 ? -ENOENT : -ESRCH;
}

static int stream(int fd, struct pl_net_parse *p)
{
	struct pl_scratch *s = pl_scratch();
	if (!s)
		return -ENOMEM;
	struct pl_buf *b = &s->read;
	pl_buf_reset(b);
	for (;;) {
		char *w = pl_buf_reserve(b, CHUNK);
		if (!w)
			return -ENOMEM;
		ssize_t n = read(fd, w, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		b->len += (size_t)n;
		const char *line = b->data, *end = b->data + b->len, *nl;
		while ((nl = memchr(line, '\n', (size_t)(end - line)))) {
			int rc = pl_net_parse_line(p, line, nl);
			if (rc < 0)
				return rc;
			line = nl + 1;
		}
		b->len = (size_t)(end - line); /* a partial line waits for the rest */
		memmove(b->data, line, b->len);
	}
	return b->len ? -EINVAL : 0; /* every line the kernel prints ends in '\n' */
}

/* kernel.kptr_restrict: which readers the kernel shows %pK pointers. */
static int kptr_restrict(int root_fd)
{
	char text[8];
	int fd = openat(root_fd, "sys/kernel/kptr_restrict", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
	if (fd >= 0)
		close(fd);
	/* unreadable: as if 1, so a reader without CAP_SYSLOG sees zeros */
	return n > 0 && text[0] >= '0' && text[0] <= '2' ? text[0] - '0' : 1;
}

int pl_hostnet_load(int root_fd, const char *dir, int f, struct pl_arena *a, struct pl_net *out)
{
	char path[128];
	snprintf(path, sizeof path, "%s/net/%s", dir, pl_net_names[f]);
	int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return missing(root_fd, dir, errno);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	out->uid = st.st_uid;
	out->gid = st.st_gid;
	struct pl_net_parse p;
	pl_net_parse_begin(&p, f, a, out);
	int rc = pl_net_parse_end(&p, stream(fd, &p));
	close(fd);
	if (rc == -EINVAL) /* text we could not read: our bug, not the caller's */
		rc = -EIO;
	if (rc == 0 && pl_net_shows_pointers(f))
		out->kptr_restrict = (uint8_t)kptr_restrict(root_fd);
	return rc;
}

int pl_hostnet_stat(int root_fd, const char *dir, int f, uint32_t *uid, uint32_t *gid)
{
	char path[128];
	struct stat st;
	snprintf(path, sizeof path, "%s/net/%s", dir, pl_net_names[f]);
	if (fstatat(root_fd, path, &st, 0) < 0)
		return missing(root_fd, dir, errno);
	*uid = st.st_uid;
	*gid = st.st_gid;
	return 0;
}
