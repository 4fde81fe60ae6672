/*
** mapfiles DIR: a process mapping files of several kinds, for specs of
** map_files/.  It makes, in DIR, four one-page files and maps each:
**
**   ro       opened read-only, mapped private and read-only
**   sh       opened read-write, mapped shared and writable
**   del      opened read-write, mapped private, then unlinked
**   "a b\nc" opened read-only, mapped private (a space and a newline)
**
** closes them, prints "ready" and waits to be killed.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int map(const char *dir, const char *name, int flags, int prot, int share)
{
	char path[4096], page[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_CREAT | O_TRUNC | flags, 0644);
	if (fd < 0)
		return -1;
	memset(page, 'x', sizeof page);
	int wfd = open(path, O_WRONLY);
	if (wfd < 0 || write(wfd, page, sizeof page) != (ssize_t)sizeof page)
		return -1;
	close(wfd);
	if (mmap(NULL, sizeof page, prot, share, fd, 0) == MAP_FAILED)
		return -1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	const char *dir = argv[1];
	char del[4096];
	snprintf(del, sizeof del, "%s/del", dir);
	if (map(dir, "ro", O_RDONLY, PROT_READ, MAP_PRIVATE) ||
	    map(dir, "sh", O_RDWR, PROT_READ | PROT_WRITE, MAP_SHARED) ||
	    map(dir, "del", O_RDWR, PROT_READ | PROT_WRITE, MAP_PRIVATE) ||
	    map(dir, "a b\nc", O_RDONLY, PROT_READ, MAP_PRIVATE) || unlink(del)) {
		perror("mapfiles");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
