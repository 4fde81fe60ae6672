/*
** The objects magic links name when their target is no path (see
** format.h): pipefs's "pipe:[%lu]" and sockfs's "socket:[%lu]" (their
** d_dname, the inode number in brackets), nsfs's "%s:[%u]" (ns_get_name),
** anon_inodefs's "anon_inode:%s" (anon_inode_getfile's name, "[eventfd]",
** "inotify", "[pidfd]", ...).  What stat(2) following such a link shows is
** the object's inode: a pipe's is S_IFIFO 0600 and a socket's S_IFSOCK
** 0777, both owned by their creator's fsuid/fsgid (get_pipe_inode,
** sock_alloc); a namespace's is a regular file 0444 of root's
** (nsfs_init_inode); the anonymous inode is one 0600 inode of no type.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int pl_link_names_object(const char *target)
{
	return target && target[0] && target[0] != '/' && !strchr(target, '/') &&
	       strcmp(target, ".") != 0 && strcmp(target, "..") != 0;
}

/* "prefix:[digits]": 1 and the number, else 0. */
static int bracketed(const char *name, const char *prefix, uint64_t *ino)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0 || name[n] != ':' || name[n + 1] != '[')
		return 0;
	const char *p = name + n + 2, *digits = p;
	uint64_t v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == digits || p[0] != ']' || p[1] != '\0')
		return 0;
	*ino = v;
	return 1;
}

int pl_object_of_name(const char *name, uint64_t anon_ino, uint32_t uid, uint32_t gid,
                      struct pl_object *out)
{
	memset(out, 0, sizeof *out);
	out->nlink = 1;
	out->blksize = 4096;
	uint64_t ino;
	if (bracketed(name, "pipe", &ino)) {
		out->mode = S_IFIFO | 0600;
	} else if (bracketed(name, "socket", &ino)) {
		out->mode = S_IFSOCK | 0777;
	} else if (strncmp(name, "anon_inode:", 11) == 0 && name[11]) {
		ino = anon_ino;
		out->mode = 0600;
		uid = gid = 0;
	} else {
		int ns = -1;
		for (int i = 0; i < PL_NS_COUNT && ns < 0; i++)
			if (bracketed(name, pl_ns_types[i], &ino))
				ns = i;
		if (ns < 0 || ino > UINT32_MAX)
			return -ENOENT;
		out->mode = S_IFREG | 0444;
		uid = gid = 0;
	}
	out->ino = ino;
	out->uid = uid;
	out->gid = gid;
	return 0;
}
