/*
** nswrite: enter a new user namespace and write files of /proc/self
** there, with the capabilities the namespace gives (an exec would drop
** them: its ids are not mapped yet), as unshare -U -r and newuidmap's
** callers do; print what happened, one line per write:
**
**   nswrite FILE DATA [FILE DATA]... [-- COMMAND...]
**
**   OK <n> | open:E | write:E
**
** A FILE written with a leading '+' ("+uid_map") is written again through
** the file opened for the pair before it, at the position that write left.
** E is the errno name.  Then, with `--`, COMMAND is executed in the
** namespace.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"

int main(int argc, char **argv)
{
	int i = 1, fd = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unshare(CLONE_NEWUSER) < 0) {
		printf("unshare:%s\n", errname(errno));
		return 1;
	}
	for (; i + 1 < argc && strcmp(argv[i], "--") != 0; i += 2) {
		const char *file = argv[i], *data = argv[i + 1];
		char path[256];
		ssize_t n;

		if (file[0] != '+') {
			if (fd >= 0)
				close(fd);
			snprintf(path, sizeof path, "/proc/self/%s", file);
			fd = open(path, O_WRONLY);
			if (fd < 0) {
				printf("open:%s\n", errname(errno));
				continue;
			}
		} else if (fd < 0) {
			printf("open:EBADF\n");
			continue;
		}
		n = write(fd, data, strlen(data));
		if (n < 0)
			printf("write:%s\n", errname(errno));
		else
			printf("OK %zd\n", n);
	}
	if (fd >= 0)
		close(fd);
	if (i < argc && strcmp(argv[i], "--") == 0 && i + 1 < argc) {
		execvp(argv[i + 1], argv + i + 1);
		printf("exec:%s\n", errname(errno));
		return 1;
	}
	return 0;
}
