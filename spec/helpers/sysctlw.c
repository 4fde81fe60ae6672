/*
** sysctlw: write cases to a sys/ setting and say what each did, so a spec
** can give the kernel's file and a proclua mount's the same bytes from the
** same kind of process and compare the answers.
**
**   sysctlw WRITE_PATH READ_PATH RESET_HEX < CASES
**
** Each line of CASES is one case: steps separated by spaces, run in a
** child process on one handle of WRITE_PATH opened O_WRONLY:
**
**   HEX        write(2) the bytes HEX spells (at the handle's position);
**              "e" spells no bytes (a write of 0)
**   HEX@OFF    pwrite(2) them at OFF
**   drop       become uid and gid 65534 with no groups (the handle stays
**              the one root opened)
**
** Before each case RESET_HEX ("-": none) is written to READ_PATH; after
** it, READ_PATH is read whole.  One line per case:
**
**   R1 R2 ... = HEX_OF_WHAT_WAS_READ
**
** where each R is "OK <count>" (spaces replaced by ':', so "OK:5"),
** "open:E", "write:E" or "drop:E" (E the errno name), a failed reset is
** "reset:E" and a failed read "=read:E".  The process's own credentials
** and namespaces are the writer's: run it under setpriv / unshare.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

/* n hex digits of s into out: the bytes, or -1. */
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

/* One step on fd, its result into out (a pipe to the parent). */
static int step(int fd, const char *s, size_t n, FILE *out)
{
	if (n == 4 && !memcmp(s, "drop", 4)) {
		gid_t g = 65534;
		if (setgroups(0, NULL) < 0 || setresgid(g, g, g) < 0 || setresuid(65534, 65534, 65534) < 0)
			fprintf(out, "drop:%s", errname(errno));
		else
			fputs("OK:drop", out);
		return 0;
	}
	const char *at = memchr(s, '@', n);
	size_t hexlen = at ? (size_t)(at - s) : n;
	long long off = 0;
	if (at) {
		char num[32];
		size_t k = n - hexlen - 1;
		if (k == 0 || k >= sizeof num)
			return -1;
		memcpy(num, at + 1, k);
		num[k] = '\0';
		char *end;
		off = strtoll(num, &end, 10);
		if (*end)
			return -1;
	}
	unsigned char *buf = malloc(hexlen / 2 + 1);
	if (!buf)
		return -1;
	ssize_t len = hexlen == 1 && s[0] == 'e' ? 0 : unhex(s, hexlen, buf);
	if (len < 0) {
		free(buf);
		return -1;
	}
	ssize_t r = at ? pwrite(fd, buf, (size_t)len, (off_t)off) : write(fd, buf, (size_t)len);
	if (r < 0)
		fprintf(out, "write:%s", errname(errno));
	else
		fprintf(out, "OK:%zd", r);
	free(buf);
	return 0;
}

/* The case's steps in a child; its result line on stdout. */
static int run_case(const char *path, char *line)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(path, O_WRONLY);
		if (fd < 0) {
			printf("open:%s", errname(errno));
			fflush(stdout);
			_exit(0);
		}
		int first = 1;
		for (char *save = NULL, *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			if (!first)
				putchar(' ');
			first = 0;
			if (step(fd, w, strlen(w), stdout) < 0) {
				fprintf(stderr, "sysctlw: bad step '%s'\n", w);
				fflush(stdout);
				_exit(2);
			}
		}
		fflush(stdout);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int write_reset(const char *path, const unsigned char *reset, ssize_t n)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ssize_t r = write(fd, reset, (size_t)n);
	int err = errno;
	close(fd);
	return r < 0 ? -err : 0;
}

static void read_back(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf(" =read:%s\n", errname(errno));
		return;
	}
	unsigned char buf[8192];
	ssize_t n;
	fputs(" = ", stdout);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
	if (n < 0)
		printf("read:%s", errname(errno));
	putchar('\n');
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: sysctlw WRITE_PATH READ_PATH RESET_HEX < CASES\n", stderr);
		return 2;
	}
	unsigned char reset[4096];
	ssize_t nreset = -1;
	if (strcmp(argv[3], "-") != 0 &&
	    (strlen(argv[3]) > 2 * sizeof reset || (nreset = unhex(argv[3], strlen(argv[3]), reset)) < 0))
		return 2;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (nreset >= 0) {
			int rc = write_reset(argv[2], reset, nreset);
			if (rc < 0) {
				printf("reset:%s\n", errname(-rc));
				continue;
			}
		}
		if (run_case(argv[1], line) < 0) {
			free(line);
			return 2;
		}
		read_back(argv[2]);
	}
	free(line);
	return 0;
}
