/*
** idmapw: writes to id maps (and setgroups), by the kernel and through a
** proclua mount (spec/idmap_write_spec.lua).  Run as root.
**
**   idmapw diff [--owner U:G] [--opener U:G] [--opener-ns] [--writer U:G]
**               [--deny] FILE INPUTS MNT FIRST
**     FILE is uid_map, gid_map or setgroups.  INPUTS holds records "LEN\n"
**     then LEN bytes.  Owner, opener and writer are root (0:0) unless
**     given; each other one is a forked process with those ids, no
**     supplementary groups, no capabilities, and still dumpable (so the
**     /proc files of a namespace owner's process stay its own).  For
**     input i:
**       kernel: a child with the owner's ids unshares its user namespace
**         (a fresh one, owned by it); the opener opens /proc/CHILD/FILE
**         for writing, the writer writes the input to that handle with one
**         write(2); the file is read back by root and by the writer, from
**         fresh opens; then the child is killed by its pid and reaped;
**       world: the same with MNT/(FIRST+i)/FILE.
**     With --opener-ns the opener opens from a user namespace of its own
**     (made after it took its ids), neither the target's nor its parent.
**     With --deny, root first writes "deny" to setgroups on both sides.
**     One line per input:
**       "i kernel_rc world_rc kernel_root world_root kernel_writer world_writer"
**     rc the count written or -errno, then each read back as hex ("-" when
**     empty, "!errno" when unreadable).
**   idmapw write PATH OFFSET TEXT
**     opens PATH for writing, seeks to OFFSET (Linux's seq_files refuse
**     pwrite(2) itself: ESPIPE) and writes TEXT with one write(2): prints
**     the count or -errno.
**   idmapw rdwr PATH TEXT
**     opens PATH O_RDWR, reads it, writes TEXT, reads it again from offset
**     0: prints "before rc after" (hex as above).
**   idmapw watch PATH STOPFILE
**     reads PATH whole (a fresh open each time) until STOPFILE exists,
**     printing "ready" after the first read; then, once more after
**     STOPFILE appeared, and prints "reads N" and each content it saw
**     that differs from the one before, in order, as hex.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_INPUT 16384
#define HEX_SIZE (2 * MAX_INPUT + 16)

struct ids {
	unsigned uid, gid;
};

static void die(const char *what)
{
	fprintf(stderr, "idmapw: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int is_root(struct ids who) { return who.uid == 0 && who.gid == 0; }

/* In a forked child: become `who` (root stays as it is). */
static void become(struct ids who)
{
	if (is_root(who))
		return;
	if (setgroups(0, NULL) < 0 || setgid(who.gid) < 0 || setuid(who.uid) < 0 ||
	    prctl(PR_SET_DUMPABLE, 1) < 0)
		_exit(99);
}

static void reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* The file's content as hex ("-" when empty, "!errno" when unreadable). */
static void read_hex(const char *path, char *out, size_t size)
{
	static char buf[MAX_INPUT];
	size_t len = 0;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(out, size, "!%d", errno);
		return;
	}
	while (len < sizeof buf && (n = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	int err = errno;
	close(fd);
	if (n < 0) {
		snprintf(out, size, "!%d", err);
		return;
	}
	if (len == 0) {
		snprintf(out, size, "-");
		return;
	}
	for (size_t i = 0; i < len && 2 * i + 2 < size; i++)
		snprintf(out + 2 * i, 3, "%02x", (unsigned char)buf[i]);
}

/* read_hex as `who`. */
static void read_hex_as(struct ids who, const char *path, char *out, size_t size)
{
	if (is_root(who)) {
		read_hex(path, out, size);
		return;
	}
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		become(who);
		static char hex[HEX_SIZE];
		read_hex(path, hex, sizeof hex);
		size_t len = strlen(hex), off = 0;
		while (off < len) {
			ssize_t n = write(p[1], hex + off, len - off);
			if (n <= 0)
				_exit(1);
			off += (size_t)n;
		}
		_exit(0);
	}
	close(p[1]);
	size_t len = 0;
	ssize_t n;
	while (len + 1 < size && (n = read(p[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	reap(pid);
	if (len == 0)
		snprintf(out, size, "?");
}

/* open(path, O_WRONLY) as `who` (in a user namespace of its own with
** own_ns): an fd, or -errno. */
static int open_as(struct ids who, int own_ns, const char *path)
{
	if (is_root(who) && !own_ns) {
		int fd = open(path, O_WRONLY);
		return fd < 0 ? -errno : fd;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		die("socketpair");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(sv[0]);
		become(who);
		if (own_ns && unshare(CLONE_NEWUSER) < 0)
			_exit(98);
		int fd = open(path, O_WRONLY);
		int err = fd < 0 ? errno : 0;
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { &err, sizeof err };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (fd >= 0) {
			msg.msg_control = cbuf;
			msg.msg_controllen = sizeof cbuf;
			struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(c), &fd, sizeof fd);
		}
		_exit(sendmsg(sv[1], &msg, 0) < 0);
	}
	close(sv[1]);
	int err = EIO, fd = -1;
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &err, sizeof err };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
	                      .msg_controllen = sizeof cbuf };
	if (recvmsg(sv[0], &msg, 0) < 0)
		die("recvmsg");
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof fd);
	close(sv[0]);
	reap(pid);
	return fd >= 0 ? fd : -err;
}

/* One write(2) to fd as `who`: the count or -errno. */
static long write_as(struct ids who, int fd, const char *buf, size_t len)
{
	if (is_root(who)) {
		ssize_t n = write(fd, buf, len);
		return n < 0 ? -errno : (long)n;
	}
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		become(who);
		ssize_t n = write(fd, buf, len);
		long rc = n < 0 ? -errno : (long)n;
		_exit(write(p[1], &rc, sizeof rc) != sizeof rc);
	}
	close(p[1]);
	long rc = -EIO;
	if (read(p[0], &rc, sizeof rc) != sizeof rc)
		rc = -EIO;
	close(p[0]);
	reap(pid);
	return rc;
}

/* A child with the owner's ids in a user namespace of its own, waiting
** to be killed. */
static pid_t fresh_namespace(struct ids owner)
{
	int ready[2];
	if (pipe(ready) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(ready[0]);
		become(owner);
		char ok = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
		if (write(ready[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char ok = 0;
	if (read(ready[0], &ok, 1) != 1 || ok != 'y') {
		fprintf(stderr, "idmapw: the child could not unshare its user namespace\n");
		kill(pid, SIGKILL);
		reap(pid);
		exit(1);
	}
	close(ready[0]);
	return pid;
}

struct outcome {
	long rc;
	char root_hex[HEX_SIZE], writer_hex[HEX_SIZE];
};

/* Open, write and read back as `who` alone (opener and writer the same
** user): one process instead of three. */
static void open_write_read_as(struct ids who, const char *path, const char *buf, size_t len,
                               struct outcome *o)
{
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		become(who);
		static struct outcome mine;
		int fd = open(path, O_WRONLY);
		mine.rc = fd < 0 ? -errno : 0;
		if (fd >= 0) {
			ssize_t n = write(fd, buf, len);
			mine.rc = n < 0 ? -errno : (long)n;
			close(fd);
		}
		read_hex(path, mine.writer_hex, sizeof mine.writer_hex);
		size_t off = 0, size = offsetof(struct outcome, root_hex);
		while (off < size) { /* rc */
			ssize_t n = write(p[1], (char *)&mine + off, size - off);
			if (n <= 0)
				_exit(1);
			off += (size_t)n;
		}
		size = strlen(mine.writer_hex) + 1;
		for (off = 0; off < size;) {
			ssize_t n = write(p[1], mine.writer_hex + off, size - off);
			if (n <= 0)
				_exit(1);
			off += (size_t)n;
		}
		_exit(0);
	}
	close(p[1]);
	size_t off = 0, size = offsetof(struct outcome, root_hex);
	ssize_t n = 0;
	o->rc = -EIO;
	while (off < size && (n = read(p[0], (char *)o + off, size - off)) > 0)
		off += (size_t)n;
	size_t got = 0;
	while (got + 1 < sizeof o->writer_hex &&
	       (n = read(p[0], o->writer_hex + got, sizeof o->writer_hex - 1 - got)) > 0)
		got += (size_t)n;
	o->writer_hex[got] = '\0';
	close(p[0]);
	reap(pid);
	if (got == 0)
		snprintf(o->writer_hex, sizeof o->writer_hex, "?");
}

/* Deny, open, write, read back, for the task whose /proc directory is dir. */
static void one_write(const char *dir, const char *file, int deny, struct ids opener,
                      int opener_ns, struct ids writer, const char *buf, size_t len,
                      struct outcome *o)
{
	char path[4096];
	if (strlen(dir) + strlen(file) + 12 > sizeof path) {
		fprintf(stderr, "idmapw: %s/%s: path too long\n", dir, file);
		exit(1);
	}
	if (deny) {
		snprintf(path, sizeof path, "%.4000s/setgroups", dir);
		int fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, "deny", 4) != 4) {
			fprintf(stderr, "idmapw: deny to %s: %s\n", path, strerror(errno));
			exit(1);
		}
		close(fd);
	}
	snprintf(path, sizeof path, "%.4000s/%.80s", dir, file);
	if (!is_root(writer) && !opener_ns && opener.uid == writer.uid && opener.gid == writer.gid) {
		open_write_read_as(writer, path, buf, len, o);
		read_hex(path, o->root_hex, sizeof o->root_hex);
		return;
	}
	int fd = open_as(opener, opener_ns, path);
	o->rc = fd;
	if (fd >= 0) {
		o->rc = write_as(writer, fd, buf, len);
		close(fd);
	}
	read_hex(path, o->root_hex, sizeof o->root_hex);
	read_hex_as(writer, path, o->writer_hex, sizeof o->writer_hex);
}

static int ids_arg(const char *s, struct ids *out)
{
	return sscanf(s, "%u:%u", &out->uid, &out->gid) == 2;
}

static int diff(int argc, char **argv)
{
	struct ids owner = { 0, 0 }, opener = { 0, 0 }, writer = { 0, 0 };
	int deny = 0, opener_ns = 0;
	int i = 2;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--deny") == 0)
			deny = 1;
		else if (strcmp(argv[i], "--opener-ns") == 0)
			opener_ns = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--owner") == 0 && ids_arg(argv[i + 1], &owner))
			i++;
		else if (i + 1 < argc && strcmp(argv[i], "--opener") == 0 && ids_arg(argv[i + 1], &opener))
			i++;
		else if (i + 1 < argc && strcmp(argv[i], "--writer") == 0 && ids_arg(argv[i + 1], &writer))
			i++;
		else
			return 2;
	}
	if (argc - i != 4)
		return 2;
	const char *file = argv[i], *inputs = argv[i + 1], *mnt = argv[i + 2];
	long first = atol(argv[i + 3]);
	FILE *in = fopen(inputs, "rb");
	if (!in)
		die(inputs);
	static char buf[MAX_INPUT];
	static struct outcome k, w;
	size_t len;
	for (long n = 0; fscanf(in, "%zu", &len) == 1; n++) {
		if (fgetc(in) != '\n' || len > sizeof buf || fread(buf, 1, len, in) != len) {
			fprintf(stderr, "idmapw: input %ld is malformed\n", n);
			return 1;
		}
		char dir[4096];
		pid_t child = fresh_namespace(owner);
		snprintf(dir, sizeof dir, "/proc/%d", (int)child);
		one_write(dir, file, deny, opener, opener_ns, writer, buf, len, &k);
		kill(child, SIGKILL);
		reap(child);

		snprintf(dir, sizeof dir, "%s/%ld", mnt, first + n);
		one_write(dir, file, deny, opener, opener_ns, writer, buf, len, &w);
		printf("%ld %ld %ld %s %s %s %s\n", n, k.rc, w.rc, k.root_hex, w.root_hex,
		       k.writer_hex, w.writer_hex);
	}
	fclose(in);
	return 0;
}

static void hex_of(const char *buf, size_t len, char *out, size_t size)
{
	if (len == 0)
		snprintf(out, size, "-");
	for (size_t i = 0; i < len && 2 * i + 2 < size; i++)
		snprintf(out + 2 * i, 3, "%02x", (unsigned char)buf[i]);
}

static int seek_write(const char *path, const char *off, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("%d\n", -errno);
		return 0;
	}
	long at = atol(off);
	ssize_t n = -1;
	if (at == 0 || lseek(fd, at, SEEK_SET) == at)
		n = write(fd, text, strlen(text));
	printf("%ld\n", n < 0 ? (long)-errno : (long)n);
	close(fd);
	return 0;
}

static void pread_hex(int fd, char *out, size_t size)
{
	static char buf[MAX_INPUT];
	ssize_t n = pread(fd, buf, sizeof buf, 0);
	if (n < 0)
		snprintf(out, size, "!%d", errno);
	else
		hex_of(buf, (size_t)n, out, size);
}

static int rdwr(const char *path, const char *text)
{
	static char before[HEX_SIZE], after[HEX_SIZE];
	int fd = open(path, O_RDWR);
	if (fd < 0) {
		printf("open %d\n", -errno);
		return 0;
	}
	pread_hex(fd, before, sizeof before);
	ssize_t n = write(fd, text, strlen(text));
	long rc = n < 0 ? -errno : (long)n;
	pread_hex(fd, after, sizeof after);
	printf("%s %ld %s\n", before, rc, after);
	close(fd);
	return 0;
}

static int watch(const char *path, const char *stopfile)
{
	static char last[HEX_SIZE], now[HEX_SIZE];
	static char seen[64][HEX_SIZE];
	int nseen = 0, stop = 0;
	long reads = 0;
	strcpy(last, "?");
	for (;;) {
		stop = access(stopfile, F_OK) == 0;
		read_hex(path, now, sizeof now);
		reads++;
		if (strcmp(now, last) != 0 && nseen < 64) {
			strcpy(seen[nseen++], now);
			strcpy(last, now);
		}
		if (reads == 1) {
			printf("ready\n");
			fflush(stdout);
		}
		if (stop)
			break;
	}
	printf("reads %ld\n", reads);
	for (int i = 0; i < nseen; i++)
		printf("%s\n", seen[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "diff") == 0)
		return diff(argc, argv);
	if (argc == 5 && strcmp(argv[1], "write") == 0)
		return seek_write(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "rdwr") == 0)
		return rdwr(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "watch") == 0)
		return watch(argv[2], argv[3]);
	return 2;
}
