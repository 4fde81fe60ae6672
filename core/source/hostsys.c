/*
** The host's sys/ settings: every name its kernel shows under /proc/sys,
** and the value of one, parsed (format/sysctl.c) from the kernel's bytes.
**
** The kernel lists each directory of /proc/sys in name order (its tables
** are kept sorted), so a walk in readdir order is the order sysctl -a
** prints.  The names of net/ are those of the daemon's network namespace.
*/
#include "source/hostsys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/format.h"
#include "record/scratch.h"

/* Deeper than any table the kernel registers (net/ipv4/neigh/IF/...). */
#define MAX_DEPTH 12

static int walk(int fd, dev_t dev, char *path, size_t at, size_t cap, int depth,
                pl_setting_fn fn, void *arg)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		size_t n = strlen(de->d_name);
		if (at + n + 2 > cap)
			continue; /* no setting's path is this long */
		memcpy(path + at, de->d_name, n + 1);
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* gone meanwhile (an interface's) */
		if (S_ISDIR(st.st_mode)) {
			/* a directory is named too, so an empty one is listed
			** (fs/binfmt_misc, where binfmt_misc is not mounted); one
			** where another filesystem is mounted is that empty one */
			rc = fn(arg, path, S_IFDIR | (st.st_mode & 07777));
			if (rc || st.st_dev != dev || depth >= MAX_DEPTH)
				continue;
			int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (sub < 0)
				continue;
			path[at + n] = '/';
			rc = walk(sub, dev, path, at + n + 1, cap, depth + 1, fn, arg);
		} else if (S_ISREG(st.st_mode)) {
			rc = fn(arg, path, st.st_mode & 07777);
		}
	}
	closedir(d);
	return rc;
}

int pl_hostsys_each(int root_fd, pl_setting_fn fn, void *arg)
{
	int fd = openat(root_fd, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -errno;
	}
	char path[256];
	return walk(fd, st.st_dev, path, 0, sizeof path, 0, fn, arg);
}

int pl_hostsys_load(int root_fd, const char *path, struct pl_arena *a, struct pl_setting *out)
{
	char full[264];
	if ((size_t)snprintf(full, sizeof full, "sys/%s", path) >= sizeof full)
		return -ENOENT;
	int fd = openat(root_fd, full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	struct pl_scratch *s = pl_scratch();
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	struct pl_buf *b = &s->read;
	pl_buf_reset(b);
	int err = 0;
	for (;;) {
		char *w = pl_buf_reserve(b, 4096);
		if (!w) {
			close(fd);
			return -ENOMEM;
		}
		if (b->len >= PL_SETTING_MAX_TEXT) {
			err = -EFBIG;
			break;
		}
		ssize_t n = read(fd, w, b->cap - b->len);
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	close(fd);
	memset(out, 0, sizeof *out);
	if (err) { /* the kernel's answer to a read, kept as the setting's */
		out->err = err == -EFBIG ? -EIO : err;
		return 0;
	}
	int rc = pl_parse_setting(b->data, b->len, a, out);
	return rc == -ENOMEM ? rc : rc < 0 ? -EIO : 0;
}
