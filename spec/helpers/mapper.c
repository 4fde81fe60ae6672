/*
** mapper FILE: maps FILE (private, read-only) and prints "ready ADDR" with
** the mapping's address in hex, without touching it; then waits to be
** killed.  With stuckfs, a page no copy-in can fault in.
*/
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 1;
	void *p = mmap(NULL, 1 << 20, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	printf("ready %p\n", p);
	fflush(stdout);
	for (;;)
		pause();
}
