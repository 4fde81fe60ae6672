/*
** linkstat: what stat(2) following a path (a magic link of /proc) shows,
** and what an opened namespace answers, one line per path, for specs that
** compare the kernel's /proc with a proclua mount.
**
**   linkstat stat PATH...    OK <type> <mode> <ino> <uid> <gid> <nlink> <size> <major>,<minor>
**                            | stat:E
**   linkstat nsioctl PATH... OK <NS_GET_NSTYPE> <NS_GET_USERNS> <NS_GET_PARENT> <read>
**                            (each an integer result: "fd" for a new fd, or
**                            the errno name) | open:E
**
** <type> is the S_IFMT bits in octal (0 for an inode of no type), <mode>
** the permission bits in octal.  E is an errno name.  Exit status 0
** unless the arguments are bad.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "errname.h"

static void do_stat(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		printf("stat:%s\n", errname(errno));
		return;
	}
	printf("OK %o %o %llu %u %u %lu %lld %u,%u\n", (unsigned)(st.st_mode & S_IFMT),
	       (unsigned)(st.st_mode & 07777), (unsigned long long)st.st_ino, (unsigned)st.st_uid,
	       (unsigned)st.st_gid, (unsigned long)st.st_nlink, (long long)st.st_size,
	       major(st.st_dev), minor(st.st_dev));
}

/* An ioctl's outcome: its result, "fd" for a new fd (closed), or E. */
static void ioctl_outcome(int fd, unsigned long cmd, int gives_fd)
{
	int r = ioctl(fd, cmd);
	if (r < 0)
		printf(" %s", errname(errno));
	else if (gives_fd) {
		printf(" fd");
		close(r);
	} else
		printf(" %d", r);
}

static void do_nsioctl(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return;
	}
	printf("OK");
	ioctl_outcome(fd, NS_GET_NSTYPE, 0);
	ioctl_outcome(fd, NS_GET_USERNS, 1);
	ioctl_outcome(fd, NS_GET_PARENT, 1);
	char c;
	ssize_t n = read(fd, &c, 1);
	if (n < 0)
		printf(" %s\n", errname(errno));
	else
		printf(" %zd\n", n);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: linkstat stat|nsioctl PATH...\n");
		return 2;
	}
	void (*op)(const char *) = strcmp(argv[1], "stat") == 0      ? do_stat
	                           : strcmp(argv[1], "nsioctl") == 0 ? do_nsioctl
	                                                             : NULL;
	if (!op) {
		fprintf(stderr, "linkstat: unknown op %s\n", argv[1]);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		op(argv[i]);
	return 0;
}
