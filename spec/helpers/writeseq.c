/*
** writeseq: open one file and run a sequence of writes and reads on that
** one handle, printing what each did, so a spec can give a /proc file any
** bytes (NULs, newlines, long runs) at any offset and compare the kernel's
** answers with a proclua mount's.
**
**   writeseq PATH MODE STEP...
**
**   MODE    w (O_WRONLY), rw (O_RDWR), wt (O_WRONLY | O_TRUNC)
**   STEP    HEX            write(2) the bytes HEX spells (empty: 0 bytes)
**                          -> OK <count> | write:E
**           HEX@ADDR       pwrite(2) them at ADDR (decimal or 0x hex)
**                          -> OK <count> | write:E
**           r:LEN@ADDR     pread(2) up to LEN bytes at ADDR
**                          -> OK <hex of what came> | read:E
**           self           -> OK <pid> <tid>: who is writing
**
** One line per step; a failed open prints "open:E" and nothing else.  E is
** the errno name.  Exit status 0 unless the arguments are bad (2).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode n hex digits of s into out; the count of bytes, or -1. */
static ssize_t unhex(const char *s, size_t n, unsigned char *out)
{
	if (n % 2)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (unsigned char)(hi * 16 + lo);
	}
	return (ssize_t)(n / 2);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static int step(int fd, const char *arg)
{
	if (!strcmp(arg, "self")) {
		printf("OK %d %d\n", (int)getpid(), (int)gettid());
		return 0;
	}
	if (!strncmp(arg, "r:", 2)) {
		const char *at = strchr(arg, '@');
		char len_text[32];
		uint64_t len, addr;
		if (!at || (size_t)(at - arg - 2) >= sizeof len_text)
			return -1;
		memcpy(len_text, arg + 2, (size_t)(at - arg - 2));
		len_text[at - arg - 2] = '\0';
		if (parse_u64(len_text, &len) < 0 || parse_u64(at + 1, &addr) < 0 || len > (1u << 20))
			return -1;
		unsigned char *buf = malloc(len ? len : 1);
		if (!buf)
			return -1;
		ssize_t n = pread(fd, buf, len, (off_t)addr);
		if (n < 0) {
			printf("read:%s\n", errname(errno));
		} else {
			printf("OK ");
			for (ssize_t i = 0; i < n; i++)
				printf("%02x", buf[i]);
			printf("\n");
		}
		free(buf);
		return 0;
	}
	const char *at = strchr(arg, '@');
	size_t hexlen = at ? (size_t)(at - arg) : strlen(arg);
	uint64_t addr = 0;
	if (at && parse_u64(at + 1, &addr) < 0)
		return -1;
	unsigned char *buf = malloc(hexlen / 2 + 1);
	if (!buf)
		return -1;
	ssize_t len = unhex(arg, hexlen, buf);
	if (len < 0) {
		free(buf);
		return -1;
	}
	ssize_t n = at ? pwrite(fd, buf, (size_t)len, (off_t)addr) : write(fd, buf, (size_t)len);
	if (n < 0)
		printf("write:%s\n", errname(errno));
	else
		printf("OK %zd\n", n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: writeseq PATH w|rw|wt STEP...\n", stderr);
		return 2;
	}
	int flags;
	if (!strcmp(argv[2], "w"))
		flags = O_WRONLY;
	else if (!strcmp(argv[2], "rw"))
		flags = O_RDWR;
	else if (!strcmp(argv[2], "wt"))
		flags = O_WRONLY | O_TRUNC;
	else
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	int fd = open(argv[1], flags);
	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return 0;
	}
	for (int i = 3; i < argc; i++)
		if (step(fd, argv[i]) < 0) {
			fprintf(stderr, "writeseq: bad step '%s'\n", argv[i]);
			return 2;
		}
	close(fd);
	return 0;
}
