/*
** pl_object: what stat(2) shows of the object a magic link of /proc leads
** to when its target is no path: a namespace (an ns link, an fd holding one), a
** pipe, a socket, an anonymous inode (eventfd, epoll, a pidfd, ...).
** Linux's filesystems name these with d_dname ("net:[4026531840]",
** "pipe:[123]", "socket:[456]", "anon_inode:[eventfd]"); following the link
** reaches the object itself, whose inode number lsof and lsns match.
*/
#ifndef PL_RECORD_OBJECT_H
#define PL_RECORD_OBJECT_H

#include <stdint.h>

struct pl_object {
	uint64_t ino;
	uint32_t mode;             /* with its S_IF* type; none for an anonymous inode */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size;
	uint32_t blksize;
	int has_times;             /* else the mount's time stands in */
	int64_t atime, mtime, ctime;
	uint32_t atime_ns, mtime_ns, ctime_ns;
};

#endif
