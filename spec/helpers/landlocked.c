/*
** landlocked COMMAND [ARGS...]: run COMMAND in a Landlock domain of its own.
** landlocked --fuse COMMAND [ARGS...] MOUNTPOINT: first mount a FUSE
** connection at MOUNTPOINT (a domain may not mount), then run COMMAND with
** /dev/fd/N, the connection, in MOUNTPOINT's place (as libfuse takes it).
**
** The domain forbids only making block devices (a right nothing here uses),
** but being in one is what matters: Landlock lets a process ptrace only
** processes of its own domain or of domains nested in it, so COMMAND (a
** proclua daemon, a reader) is refused every process outside, as the
** kernel's ptrace_may_access says, whatever its capabilities.
** Exits 2 when the kernel has no Landlock.
*/
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Mount a FUSE connection at dir: its fd, or -1 after saying why. */
static int fuse_mount(const char *dir)
{
	int fd = open("/dev/fuse", O_RDWR); /* inherited by COMMAND */
	if (fd < 0) {
		fprintf(stderr, "landlocked: /dev/fuse: %s\n", strerror(errno));
		return -1;
	}
	char opts[128];
	snprintf(opts, sizeof opts, "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fd);
	if (mount("proclua", dir, "fuse.proclua", MS_NOSUID | MS_NODEV, opts) < 0) {
		fprintf(stderr, "landlocked: mount %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	char fdpath[32];
	if (argc > 1 && strcmp(argv[1], "--fuse") == 0) {
		if (argc < 4) {
			fprintf(stderr, "usage: landlocked --fuse COMMAND [ARGS...] MOUNTPOINT\n");
			return 2;
		}
		int fd = fuse_mount(argv[argc - 1]);
		if (fd < 0)
			return 1;
		snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", fd);
		argv[argc - 1] = fdpath;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: landlocked [--fuse] COMMAND [ARGS...]\n");
		return 2;
	}
	struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK };
	int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (fd < 0) {
		fprintf(stderr, "landlocked: landlock_create_ruleset: %s\n", strerror(errno));
		return 2;
	}
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0) {
		fprintf(stderr, "landlocked: landlock_restrict_self: %s\n", strerror(errno));
		return 2;
	}
	close(fd);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "landlocked: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
