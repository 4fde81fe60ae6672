/*
** generic_permission (fs/namei.c): the mode bits that apply to the caller
** (owner, group, other), then the DAC capabilities that override them,
** counted as capable_wrt_inode_uidgid counts them: in the caller's own
** user namespace, over an inode whose ids are mapped there.
*/
#include "access/access.h"

#include <errno.h>

int pl_dac_fast(uint32_t mode, int mask)
{
	mask &= 7;
	return (mask & ~(mode & 7)) == 0 && (mask & ~((mode >> 3) & 7)) == 0 &&
	       (mask & ~((mode >> 6) & 7)) == 0;
}

int pl_dac_permission(struct pl_caller *c, uint32_t mode, uint32_t uid, uint32_t gid,
                      int is_dir, int mask)
{
	unsigned bits;
	mask &= 7;
	if (c->uid == uid)
		bits = (mode >> 6) & 7;
	else if (((mode >> 3) & 7) != (mode & 7) && pl_caller_in_group(c, gid))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	if ((mask & ~bits) == 0)
		return 0;
	/* capable_wrt_inode_uidgid: the DAC overrides */
	if (is_dir) {
		if (!(mask & PL_MAY_WRITE) && pl_caller_capable_wrt(c, PL_CAP_DAC_READ_SEARCH, uid, gid))
			return 0;
		return pl_caller_capable_wrt(c, PL_CAP_DAC_OVERRIDE, uid, gid) ? 0 : -EACCES;
	}
	if ((!(mask & PL_MAY_EXEC) || (mode & 0111)) && pl_caller_capable_wrt(c, PL_CAP_DAC_OVERRIDE, uid, gid))
		return 0;
	if (mask == PL_MAY_READ && pl_caller_capable_wrt(c, PL_CAP_DAC_READ_SEARCH, uid, gid))
		return 0;
	return -EACCES;
}
