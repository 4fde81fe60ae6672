/* A host task's file, written by the kernel.  (Being written: refuses.) */
#include "write/write.h"

#include <errno.h>

int pl_write_host_open(struct pl_source *src, const struct pl_pin *p, const char *name,
                       int flags, struct pl_caller *opener)
{
	(void)src, (void)p, (void)name, (void)flags, (void)opener;
	return -EACCES;
}

ssize_t pl_write_host(int fd, const char *name, struct pl_caller *writer, const char *buf,
                      size_t len, uint64_t off)
{
	(void)fd, (void)name, (void)writer, (void)buf, (void)len, (void)off;
	return -EIO;
}
