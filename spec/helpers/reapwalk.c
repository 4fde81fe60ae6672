/*
** reapwalk ROOT N: N times, fork a child that waits on a pipe; while it
** lives, walk ROOT/<pid>, ROOT/<pid>/stat and ROOT/<pid>/task/<pid> (so
** that whatever may cache those names has them); let it exit, reap it, and
** at once ask ROOT (a /proc, the kernel's or a mount of proclua) about it:
**
**   stat <pid>, stat <pid>/stat, stat <pid>/task/<pid>, open <pid>/stat,
**   open <pid>/stat O_PATH, opendir <pid>/fd, readlink <pid>/exe,
**   access <pid> F_OK, chdir <pid>
**
** Prints one line per kind of answer, "what errno-name count" (OK for a
** success), sorted as asked: on Linux every one is ENOENT.  Also prints
** "alive-ok N": how many walks while the child lived succeeded (all of
** them, or the walk was not made).
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errname.h"

enum { STAT_DIR, STAT_FILE, STAT_TASK, OPEN, OPEN_PATH, OPENDIR, READLINK, ACCESS, CHDIR, KINDS };
static const char *const kind_name[KINDS] = {
	"stat-dir", "stat-file", "stat-task", "open", "open-opath", "opendir-fd", "readlink-exe",
	"access", "chdir",
};

#define ERRS 140
static long count[KINDS][ERRS + 1]; /* [0]: success */

static void note(int kind, int rc)
{
	int e = rc == 0 ? 0 : errno;
	count[kind][e > 0 && e <= ERRS ? e : 0] += 1;
}

static int ask(int kind, const char *root, int pid)
{
	char p[256];
	struct stat st;
	switch (kind) {
	case STAT_DIR:
		snprintf(p, sizeof p, "%s/%d", root, pid);
		return stat(p, &st);
	case STAT_FILE:
		snprintf(p, sizeof p, "%s/%d/stat", root, pid);
		return stat(p, &st);
	case STAT_TASK:
		snprintf(p, sizeof p, "%s/%d/task/%d", root, pid, pid);
		return stat(p, &st);
	case OPEN:
	case OPEN_PATH: {
		snprintf(p, sizeof p, "%s/%d/stat", root, pid);
		int fd = open(p, kind == OPEN ? O_RDONLY : O_PATH);
		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	case OPENDIR: {
		snprintf(p, sizeof p, "%s/%d/fd", root, pid);
		DIR *d = opendir(p);
		if (!d)
			return -1;
		closedir(d);
		return 0;
	}
	case READLINK: {
		char buf[256];
		snprintf(p, sizeof p, "%s/%d/exe", root, pid);
		return readlink(p, buf, sizeof buf) < 0 ? -1 : 0;
	}
	case ACCESS:
		snprintf(p, sizeof p, "%s/%d", root, pid);
		return access(p, F_OK);
	case CHDIR: {
		snprintf(p, sizeof p, "%s/%d", root, pid);
		int here = open(".", O_PATH | O_DIRECTORY);
		int rc = chdir(p);
		int e = errno;
		if (rc == 0 && fchdir(here) < 0)
			exit(3);
		close(here);
		errno = e;
		return rc;
	}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: reapwalk ROOT N\n");
		return 2;
	}
	const char *root = argv[1];
	long n = atol(argv[2]), alive_ok = 0;
	for (long i = 0; i < n; i++) {
		int go[2];
		if (pipe(go) < 0)
			return 3;
		pid_t pid = fork();
		if (pid < 0)
			return 3;
		if (pid == 0) {
			char c;
			close(go[1]);
			_exit(read(go[0], &c, 1) < 0 ? 1 : 0);
		}
		close(go[0]);
		int ok = 1;
		for (int k = STAT_DIR; k <= STAT_TASK; k++)
			ok &= ask(k, root, pid) == 0;
		alive_ok += ok;
		close(go[1]); /* the child exits */
		if (waitpid(pid, NULL, 0) != pid)
			return 3;
		for (int k = 0; k < KINDS; k++)
			note(k, ask(k, root, pid));
	}
	printf("alive-ok %ld\n", alive_ok);
	for (int k = 0; k < KINDS; k++)
		for (int e = 0; e <= ERRS; e++)
			if (count[k][e])
				printf("%s %s %ld\n", kind_name[k], e ? errname(e) : "OK", count[k][e]);
	return 0;
}
