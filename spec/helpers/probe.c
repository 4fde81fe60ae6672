/*
** probe: look at paths the way a program would and print what happened,
** one line per path, so a spec can compare the kernel's /proc with a
** proclua mount in one run of one process.
**
**   probe read PATH...              OK <len> <fnv1a64>  | open:E | read:E [after N bytes]
**   probe readlink PATH...          OK <target>         | readlink:E
**   probe lstat PATH...             OK <type> <mode> <uid> <gid> | lstat:E
**   probe list DIR...               OK name/name/...    | open:E | readdir:E
**   probe pread PATH OFFSET LEN     OK <n> <hex> [then pread:E] | open:E | pread:E
**   probe write PATH DATA...        OK <n>              | open:E | write:E  (per pair)
**   probe hold GOFILE PATH[@ADDR]...
**       opens each PATH, prints "ready", waits until GOFILE exists, then
**       reads each open file whole (or, with @ADDR, 64 bytes at ADDR) and
**       prints "PATH <result>" as read and pread do.
**   probe nibble GOFILE PATH...
**       opens each PATH and reads one byte of it, prints "ready", and
**       holds them open until GOFILE exists.
**   probe held GOFILE DIR OP:NAME...
**       opens DIR, prints "ready", waits until GOFILE exists, then runs
**       each OP (read, readlink, lstat, list) on NAME relative to the
**       held DIR and prints "OP:NAME <result>".
**
** E is the errno name (ENOENT, ESRCH, ...).  Targets are printed with
** '\\' and '\n' escaped.  Exit status 0 unless the arguments are bad.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errname.h"

static void print_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputs("\\\\", stdout);
		else if (s[i] == '\n')
			fputs("\\n", stdout);
		else
			putchar(s[i]);
	}
}

/* Read an open file to its end and print what came of it. */
static void read_whole(int fd)
{
	char buf[65536];
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)buf[i]) * 0x100000001b3ull;
		len += (size_t)n;
	}
	if (n < 0) {
		printf("read:%s", errname(errno));
		if (len)
			printf(" after %zu bytes", len);
		putchar('\n');
	} else {
		printf("OK %zu %016" PRIx64 "\n", len, h);
	}
}

static void op_read(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY);

	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return;
	}
	read_whole(fd);
	close(fd);
}

static void op_readlink(int dirfd, const char *path)
{
	char buf[PATH_MAX + 1];
	ssize_t n = readlinkat(dirfd, path, buf, sizeof buf);

	if (n < 0) {
		printf("readlink:%s\n", errname(errno));
		return;
	}
	fputs("OK ", stdout);
	print_escaped(buf, (size_t)n);
	putchar('\n');
}

static char type_char(mode_t m)
{
	if (S_ISDIR(m)) return 'd';
	if (S_ISLNK(m)) return 'l';
	if (S_ISREG(m)) return '-';
	if (S_ISCHR(m)) return 'c';
	if (S_ISBLK(m)) return 'b';
	if (S_ISFIFO(m)) return 'p';
	if (S_ISSOCK(m)) return 's';
	return '?';
}

static void op_lstat(int dirfd, const char *path)
{
	struct stat st;

	if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		printf("lstat:%s\n", errname(errno));
		return;
	}
	printf("OK %c %o %u %u\n", type_char(st.st_mode),
	       (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
	       (unsigned)st.st_gid);
}

static void op_list(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY);
	DIR *d;
	struct dirent *e;
	int first = 1;
	char *out = NULL;
	size_t outlen = 0;
	FILE *m;

	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		printf("open:%s\n", errname(errno));
		close(fd);
		return;
	}
	m = open_memstream(&out, &outlen);
	if (!m) {
		perror("open_memstream");
		exit(2);
	}
	for (;;) {
		errno = 0;
		e = readdir(d);
		if (!e)
			break;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		fprintf(m, "%s%s", first ? "" : "/", e->d_name);
		first = 0;
	}
	fclose(m);
	if (errno)
		printf("readdir:%s\n", errname(errno));
	else
		printf("OK %s\n", out);
	free(out);
	closedir(d);
}

static int op_pread(const char *path, const char *off_s, const char *len_s)
{
	char *end;
	unsigned long long off = strtoull(off_s, &end, 0);
	unsigned long long len;
	unsigned char *buf;
	size_t got = 0;
	int fd, err = 0;

	if (*end)
		return 2;
	len = strtoull(len_s, &end, 0);
	if (*end || len > (1u << 24))
		return 2;
	buf = malloc(len ? len : 1);
	if (!buf)
		return 2;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		free(buf);
		return 0;
	}
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));
		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (err && !got) {
		printf("pread:%s\n", errname(err));
	} else {
		printf("OK %zu ", got);
		for (size_t i = 0; i < got; i++)
			printf("%02x", buf[i]);
		if (err)
			printf(" then pread:%s", errname(err));
		putchar('\n');
	}
	close(fd);
	free(buf);
	return 0;
}

static void op_write(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return;
	}
	n = write(fd, data, strlen(data));
	if (n < 0)
		printf("write:%s\n", errname(errno));
	else
		printf("OK %zd\n", n);
	close(fd);
}

typedef void (*path_op)(int dirfd, const char *path);

static path_op find_op(const char *name)
{
	if (!strcmp(name, "read")) return op_read;
	if (!strcmp(name, "readlink")) return op_readlink;
	if (!strcmp(name, "lstat")) return op_lstat;
	if (!strcmp(name, "list")) return op_list;
	return NULL;
}

/* Wait, bounded, for the spec to create gofile: 0, or 1 after 10 minutes. */
static int wait_for(const char *gofile)
{
	for (int i = 0; access(gofile, F_OK) != 0; i++) {
		if (i > 30000)
			return 1;
		usleep(20000);
	}
	return 0;
}

static int hold(int argc, char **argv)
{
	int *fds = calloc((size_t)argc, sizeof *fds);
	int *errs = calloc((size_t)argc, sizeof *errs);

	if (!fds || !errs)
		return 2;
	for (int i = 1; i < argc; i++) {
		char *at = strchr(argv[i], '@');
		if (at)
			*at = '\0';
		fds[i] = open(argv[i], O_RDONLY);
		errs[i] = errno;
		if (at)
			*at = '@';
	}
	printf("ready\n");
	fflush(stdout);
	if (wait_for(argv[0])) {
		printf("timeout\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		char *at = strchr(argv[i], '@');
		printf("%s ", argv[i]);
		if (fds[i] < 0) {
			printf("open:%s\n", errname(errs[i]));
			continue;
		}
		if (at) {
			unsigned char buf[64];
			ssize_t n = pread(fds[i], buf, sizeof buf, (off_t)strtoull(at + 1, NULL, 0));
			if (n < 0) {
				printf("pread:%s\n", errname(errno));
			} else {
				printf("OK %zd ", n);
				for (ssize_t k = 0; k < n; k++)
					printf("%02x", buf[k]);
				putchar('\n');
			}
		} else {
			read_whole(fds[i]);
		}
		close(fds[i]);
	}
	free(fds);
	free(errs);
	return 0;
}

static int nibble(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char c;
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0 || read(fd, &c, 1) != 1) {
			printf("%s %s\n", argv[i], errname(errno));
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	return wait_for(argv[0]);
}

static int held(int argc, char **argv)
{
	const char *gofile = argv[0];
	int fd = open(argv[1], O_RDONLY | O_DIRECTORY);

	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return 0;
	}
	printf("ready\n");
	fflush(stdout);
	if (wait_for(gofile)) {
		printf("timeout\n");
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		char *colon = strchr(argv[i], ':');
		path_op op;

		if (!colon)
			return 2;
		*colon = '\0';
		op = find_op(argv[i]);
		if (!op)
			return 2;
		printf("%s:%s ", argv[i], colon + 1);
		op(fd, colon + 1);
	}
	close(fd);
	return 0;
}

static int usage(void)
{
	fputs("usage: probe read|readlink|lstat|list PATH...\n"
	      "       probe pread PATH OFFSET LEN\n"
	      "       probe write PATH DATA [PATH DATA]...\n"
	      "       probe hold GOFILE PATH[@ADDR]...\n"
	      "       probe nibble GOFILE PATH...\n"
	      "       probe held GOFILE DIR OP:NAME...\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	path_op op;
	int rc = 0;

	if (argc < 3)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "pread")) {
		rc = argc == 5 ? op_pread(argv[2], argv[3], argv[4]) : 2;
	} else if (!strcmp(argv[1], "write")) {
		if (argc < 4 || argc % 2)
			return usage();
		for (int i = 2; i + 1 < argc; i += 2) /* one result line per pair */
			op_write(argv[i], argv[i + 1]);
	} else if (!strcmp(argv[1], "nibble")) {
		rc = argc >= 4 ? nibble(argc - 2, argv + 2) : 2;
	} else if (!strcmp(argv[1], "hold")) {
		rc = argc >= 4 ? hold(argc - 2, argv + 2) : 2;
	} else if (!strcmp(argv[1], "held")) {
		rc = argc >= 4 ? held(argc - 2, argv + 2) : 2;
	} else if ((op = find_op(argv[1]))) {
		for (int i = 2; i < argc; i++)
			op(AT_FDCWD, argv[i]);
	} else {
		return usage();
	}
	return rc == 2 ? usage() : rc;
}
