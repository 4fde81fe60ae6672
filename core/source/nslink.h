/*
** A namespace link of procfs ("net:[4026531840]"): the namespace's inode
** number, from the link's text, without opening it (a readlink costs less
** than a stat through nsfs).
*/
#ifndef PL_SOURCE_NSLINK_H
#define PL_SOURCE_NSLINK_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The inode number link `path` of dirfd names, a namespace of type
** `kind` ("net", "time"): 0, or -errno (-EIO: no such link's text). */
static inline int pl_ns_link_ino(int dirfd, const char *path, const char *kind, uint64_t *ino)
{
	char link[64];
	ssize_t n = readlinkat(dirfd, path, link, sizeof link - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	size_t k = strlen(kind);
	unsigned long long v;
	char end;
	if (strncmp(link, kind, k) != 0 || sscanf(link + k, ":[%llu%c", &v, &end) != 2 || end != ']')
		return -EIO;
	*ino = v;
	return 0;
}

#endif
