/*
** ns/: the namespace links, in the order of Linux's ns_entries
** (fs/proc/namespaces.c).  A link reads "type:[inode]" (ns_get_name,
** fs/nsfs.c); the *_for_children links name the type they point at.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

const char *const pl_ns_names[PL_NS_COUNT] = {
	[PL_NS_NET] = "net",
	[PL_NS_UTS] = "uts",
	[PL_NS_IPC] = "ipc",
	[PL_NS_PID] = "pid",
	[PL_NS_PID_FOR_CHILDREN] = "pid_for_children",
	[PL_NS_USER] = "user",
	[PL_NS_MNT] = "mnt",
	[PL_NS_CGROUP] = "cgroup",
	[PL_NS_TIME] = "time",
	[PL_NS_TIME_FOR_CHILDREN] = "time_for_children",
};

const char *const pl_ns_types[PL_NS_COUNT] = {
	[PL_NS_NET] = "net",
	[PL_NS_UTS] = "uts",
	[PL_NS_IPC] = "ipc",
	[PL_NS_PID] = "pid",
	[PL_NS_PID_FOR_CHILDREN] = "pid",
	[PL_NS_USER] = "user",
	[PL_NS_MNT] = "mnt",
	[PL_NS_CGROUP] = "cgroup",
	[PL_NS_TIME] = "time",
	[PL_NS_TIME_FOR_CHILDREN] = "time",
};

/*
** "%s:[%u]".  Ino 0 is an absent namespace (a zombie's, or pid_for_children
** before the new pid namespace has a reaper): readlink fails with ENOENT.
** The kernel's inode number is an unsigned int, so a larger one is not a
** link Linux could print.
*/
int pl_fmt_ns_link(int ns, uint64_t ino, struct pl_buf *out)
{
	if (ns < 0 || ns >= PL_NS_COUNT || ino > UINT32_MAX)
		return -EINVAL;
	if (ino == 0)
		return -ENOENT;
	pl_buf_puts(out, pl_ns_types[ns]);
	pl_buf_puts(out, ":[");
	pl_buf_u64(out, ino);
	pl_buf_putc(out, ']');
	return pl_buf_status(out);
}

/* "type:[digits]" with a lower-case type; the inode must fit in 32 bits. */
int pl_parse_ns_link(const char *text, uint64_t *ino)
{
	const char *p = text;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	if (p == text || p[0] != ':' || p[1] != '[')
		return -EINVAL;
	p += 2;
	uint64_t v = 0;
	const char *d = p;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
			return -EINVAL;
	if (p == d || p[0] != ']' || p[1] != '\0')
		return -EINVAL;
	*ino = v;
	return 0;
}
