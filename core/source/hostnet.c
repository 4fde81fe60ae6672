/*
** A host task's net/ files, read as the kernel shows them to the daemon.
**
** A busy machine's tcp table runs to megabytes: the file is read in
** chunks into the worker's read buffer and each whole line parsed into
** the arena's records at once, so what the read holds is a chunk and a
** partial line, never the file.
*/
#include "source/hostnet.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
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

/* One interface's file of dev_snmp6/ (a hundred short lines) into d. */
static int load_iface(int dir_fd, const char *name, struct pl_arena *a, struct pl_dev_snmp6 *d,
                      struct stat *st)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct pl_scratch *s = pl_scratch();
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	struct pl_buf *b = &s->read;
	pl_buf_reset(b);
	int rc = fstat(fd, st) < 0 ? -errno : 0;
	for (;;) {
		char *w = rc == 0 ? pl_buf_reserve(b, 4096) : NULL;
		if (!w) {
			rc = rc ? rc : -ENOMEM;
			break;
		}
		ssize_t n = read(fd, w, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : 0;
			break;
		}
		b->len += (size_t)n;
	}
	close(fd);
	if (rc == 0 && (rc = pl_parse_dev_snmp6(name, b->data ? b->data : "", b->len, a, d)) == -EINVAL)
		rc = -EIO; /* text we could not read: our bug, not the caller's */
	return rc;
}

int pl_hostnet_ifaces(int root_fd, const char *dir, const char *only, struct pl_arena *a,
                      struct pl_net *out)
{
	char path[128];
	snprintf(path, sizeof path, "%s/net/dev_snmp6", dir);
	int dfd = openat(root_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return missing(root_fd, dir, errno);
	struct stat st;
	if (only) { /* one lookup: its file alone */
		struct pl_dev_snmp6 *d = pl_arena_alloc(a, sizeof *d);
		int rc = !d ? -ENOMEM : strchr(only, '/') ? -ENOENT : load_iface(dfd, only, a, d, &st);
		close(dfd);
		if (rc == 0) {
			out->ifaces = d;
			out->nifaces = 1;
			out->have_ifaces = 1;
			out->uid = st.st_uid;
			out->gid = st.st_gid;
		}
		return rc == -ENOENT ? missing(root_fd, dir, ENOENT) : rc;
	}
	DIR *dp = fdopendir(dfd);
	if (!dp) {
		int err = errno;
		close(dfd);
		return -err;
	}
	if (fstat(dfd, &st) == 0) {
		out->uid = st.st_uid;
		out->gid = st.st_gid;
	}
	struct pl_dev_snmp6 *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(dp))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		struct pl_dev_snmp6 *grown = pl_arena_grow(a, v, sizeof *v, &cap, n + 1);
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		v = grown;
		rc = load_iface(dirfd(dp), de->d_name, a, &v[n], &st);
		if (rc == -ENOENT) /* gone since the listing */
			rc = 0;
		else if (rc == 0)
			n++;
	}
	closedir(dp);
	if (rc == 0) {
		out->ifaces = v;
		out->nifaces = n;
		out->have_ifaces = 1;
	}
	return rc;
}
