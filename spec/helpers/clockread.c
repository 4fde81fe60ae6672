/*
** clockread: reads files in its own process and prints each as
** "== PATH\n" and its bytes.  With -u it first makes a time namespace for
** its children (unshare(CLONE_NEWTIME)) and, with -b SECONDS, gives that
** namespace a boot clock offset: the reads are then made by a task whose
** namespace for children is not the one it runs in.
**
**   clockread [-u [-b SECONDS]] PATH...
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && strcmp(argv[i], "-u") == 0) {
		i++;
		if (unshare(CLONE_NEWTIME) != 0) {
			perror("unshare(CLONE_NEWTIME)");
			return 1;
		}
		if (i + 1 < argc && strcmp(argv[i], "-b") == 0) {
			char line[64];
			int n = snprintf(line, sizeof line, "boottime %s 0\n", argv[i + 1]);
			int fd = open("/proc/self/timens_offsets", O_WRONLY);
			if (fd < 0 || write(fd, line, (size_t)n) != n) {
				perror("timens_offsets");
				return 1;
			}
			close(fd);
			i += 2;
		}
	}
	for (; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			perror(argv[i]);
			return 1;
		}
		printf("== %s\n", argv[i]);
		char buf[4096];
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		close(fd);
	}
	return 0;
}
