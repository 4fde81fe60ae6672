/*
** mappings N: a process with N separate memory mappings (alternating
** protections, so none merge), for specs of large maps and smaps files.
** Prints "ready" and then waits to be killed.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	long page = sysconf(_SC_PAGESIZE);
	char *base = mmap(NULL, (size_t)(2 * n + 1) * (size_t)page, PROT_NONE,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return 1;
	/* every other page readable: N mappings with PROT_NONE gaps between */
	for (long i = 0; i < n; i++)
		if (mprotect(base + (2 * i + 1) * page, (size_t)page, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE))
			return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
