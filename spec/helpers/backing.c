/*
** backing: which files this kernel takes as a FUSE passthrough backing
** file (FUSE_DEV_IOC_BACKING_OPEN), for the spec that says why proclua
** cannot hand a caller the real pipe, socket or namespace through FUSE.
**
**   backing MOUNTPOINT
**
** Mounts a FUSE filesystem of its own at MOUNTPOINT (run it in a private
** mount namespace: unshare -m), answers the kernel's INIT asking for
** FUSE_PASSTHROUGH (protocol 7.40), then tries to register a pipe, a
** socket, an nsfs file (/proc/self/ns/net) and a regular file, and prints
** one line each:
**
**   offered yes|no                 the kernel offers FUSE_PASSTHROUGH
**   pipe OK | pipe E               a backing id, or the errno name
**   ...
**
** then unmounts.  Exit status 0 unless the mount or INIT failed.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errname.h"

/* include/uapi/linux/fuse.h of 7.40, newer than Debian 12's headers */
struct backing_map {
	int32_t fd;
	uint32_t flags;
	uint64_t padding;
};
#define BACKING_OPEN _IOW(229, 1, struct backing_map)
#define INIT_EXT (1u << 30)         /* FUSE_INIT_EXT: flags2 counts */
#define PASSTHROUGH_FLAGS2 (1u << 5) /* FUSE_PASSTHROUGH, bit 37 */

struct init_out_740 {
	uint32_t major, minor, max_readahead, flags;
	uint16_t max_background, congestion_threshold;
	uint32_t max_write, time_gran;
	uint16_t max_pages, map_alignment;
	uint32_t flags2, max_stack_depth, unused[6];
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: backing MOUNTPOINT\n");
		return 2;
	}
	int dev = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	char opts[128];
	snprintf(opts, sizeof opts, "fd=%d,rootmode=40000,user_id=0,group_id=0", dev);
	if (dev < 0 || mount("backing", argv[1], "fuse.backing", 0, opts) < 0) {
		fprintf(stderr, "backing: mount: %s\n", strerror(errno));
		return 1;
	}
	static char buf[1 << 20];
	ssize_t n = read(dev, buf, sizeof buf);
	struct fuse_in_header *ih = (void *)buf;
	struct fuse_init_in *ii = (void *)(buf + sizeof *ih);
	if (n < (ssize_t)(sizeof *ih + sizeof *ii) || ih->opcode != FUSE_INIT) {
		fprintf(stderr, "backing: no INIT\n");
		umount2(argv[1], MNT_DETACH);
		return 1;
	}
	printf("offered %s\n", (ii->flags & INIT_EXT) && (ii->flags2 & PASSTHROUGH_FLAGS2) ? "yes" : "no");
	struct {
		struct fuse_out_header h;
		struct init_out_740 o;
	} r;
	memset(&r, 0, sizeof r);
	r.h.len = sizeof r;
	r.h.unique = ih->unique;
	r.o.major = 7;
	r.o.minor = 40;
	r.o.max_readahead = 65536;
	r.o.max_write = 65536;
	r.o.flags = INIT_EXT;
	r.o.flags2 = PASSTHROUGH_FLAGS2;
	r.o.max_stack_depth = 1;
	if (write(dev, &r, sizeof r) != (ssize_t)sizeof r) {
		fprintf(stderr, "backing: INIT reply: %s\n", strerror(errno));
		umount2(argv[1], MNT_DETACH);
		return 1;
	}
	int p[2];
	if (pipe(p) < 0)
		p[0] = -1;
	struct {
		const char *what;
		int fd;
	} files[] = {
		{ "pipe", p[0] },
		{ "socket", socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) },
		{ "nsfs", open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) },
		{ "regular", open("/proc/self/exe", O_RDONLY | O_CLOEXEC) },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct backing_map m = { files[i].fd, 0, 0 };
		int id = ioctl(dev, BACKING_OPEN, &m);
		if (id < 0)
			printf("%s %s\n", files[i].what, errname(errno));
		else
			printf("%s OK\n", files[i].what);
	}
	umount2(argv[1], MNT_DETACH);
	return 0;
}
