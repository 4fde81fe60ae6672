/*
** selfmem: a process writing its own memory through /proc/self/mem, as a
** debugger or a JIT does, printing what happened:
**
**   open:OK | open:E
**   write:OK <n> | write:E        one byte into its own buffer
**   unmapped:OK <n> | unmapped:E  one byte at address 0 (never mapped)
**   buffer:<its content after>
**
** E is the errno name.  selfmem MEMFILE uses MEMFILE instead of
** /proc/self/mem (the path of its own mem file by pid).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"

static void result(const char *what, ssize_t n)
{
	if (n < 0)
		printf("%s:%s\n", what, errname(errno));
	else
		printf("%s:OK %zd\n", what, n);
}

int main(int argc, char **argv)
{
	static char buffer[] = "hello";
	const char *path = argc > 1 ? argv[1] : "/proc/self/mem";
	int fd = open(path, O_RDWR);

	if (fd < 0) {
		printf("open:%s\n", errname(errno));
	} else {
		printf("open:OK\n");
		result("write", pwrite(fd, "J", 1, (off_t)(uintptr_t)buffer));
		result("unmapped", pwrite(fd, "J", 1, 0));
		close(fd);
	}
	printf("buffer:%s\n", buffer);
	return 0;
}
