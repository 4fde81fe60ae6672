/*
** pagemap: a process reading its own pagemap entries from the kernel's
** /proc and from a proclua mount (spec/pagemap_spec.lua).
**
**   pagemap MNT
**     maps regions (private anonymous, some pages written, one only read;
**     shared anonymous; a private mapping of its own executable, a page
**     read), then reads the entries of each region with one pread at
**     vaddr / page size * 8 through /proc/self/pagemap and through
**     MNT/<its pid>/pagemap (a fresh open each), and prints per look:
**       "NAME kernel=RESULT proclua=RESULT"
**     RESULT is the entries as hex (16 digits each, the entry as a
**     number), the errno name (EINVAL), or "eof".  Then the reads pagemap_read
**     refuses or ends: an offset or a count not a multiple of 8, a read at
**     the end of the address space and one across it.  Last, "frames N"
**     with N the count of present entries the kernel showed with a frame
**     number (0 unless the reader may see them).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errname.h"

#define PAGE 4096
#define TASK_SIZE 0x7ffffffff000ull

static char mount_path[4096];
static int frames;

/* One pread of count bytes at off on a fresh open of path, as text. */
static void look(const char *path, off_t off, size_t count, char *out, size_t cap, int kernel)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(out, cap, "open:%s", errname(errno));
		return;
	}
	uint64_t *buf = calloc(count / 8 + 2, 8);
	ssize_t n = pread(fd, buf, count, off);
	int err = errno;
	close(fd);
	if (n < 0) {
		snprintf(out, cap, "%s", errname(err));
	} else if (n == 0) {
		snprintf(out, cap, "eof");
	} else {
		size_t at = 0;
		out[0] = '\0';
		for (ssize_t i = 0; i < n / 8 && at + 17 < cap; i++) {
			at += (size_t)snprintf(out + at, cap - at, "%016" PRIx64, buf[i]);
			if (kernel && (buf[i] >> 63) && (buf[i] & ((1ull << 55) - 1)))
				frames++;
		}
		if (n % 8)
			snprintf(out + at, cap - at, "+%zd", n % 8);
	}
	free(buf);
}

static void compare(const char *name, off_t off, size_t count)
{
	static char k[1 << 16], o[1 << 16];
	look("/proc/self/pagemap", off, count, k, sizeof k, 1);
	look(mount_path, off, count, o, sizeof o, 0);
	printf("%s kernel=%s proclua=%s\n", name, k, o);
}

static void region(const char *name, const void *addr, size_t pages)
{
	compare(name, (off_t)((uintptr_t)addr / PAGE * 8), pages * 8);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: pagemap MNT\n");
		return 2;
	}
	snprintf(mount_path, sizeof mount_path, "%s/%d/pagemap", argv[1], (int)getpid());

	char *priv = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int exe = open("/proc/self/exe", O_RDONLY);
	char *file = exe < 0 ? MAP_FAILED : mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, exe, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED || file == MAP_FAILED) {
		perror("pagemap: mmap");
		return 1;
	}
	static const int written[] = { 0, 3, 7, 8, 15 };
	for (size_t i = 0; i < sizeof written / sizeof written[0]; i++)
		priv[written[i] * PAGE] = 1;
	volatile char sink = priv[10 * PAGE]; /* read: the zero page */
	shared[PAGE] = 2;
	sink = file[0];
	(void)sink;

	region("private", priv, 16);
	region("private_tail", priv + 8 * PAGE, 8);
	region("shared", shared, 4);
	region("file", file, 2);
	off_t at = (off_t)((uintptr_t)priv / PAGE * 8);
	compare("offset_unaligned", at + 4, 8);
	compare("count_unaligned", at, 12);
	compare("count_zero", at, 0);
	compare("at_end", (off_t)(TASK_SIZE / PAGE * 8), 8);
	compare("across_end", (off_t)(TASK_SIZE / PAGE * 8 - 8), 24);
	compare("past_end", (off_t)(TASK_SIZE / PAGE * 8 + 4096), 8);
	printf("frames %d\n", frames);
	return 0;
}
