/*
** pl_text: shared scanners for the parsers of the kernel's text.
*/
#include "format/scan.h"

#include "record/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

const char *pl_scan_u64(const char *p, const char *end, uint64_t *v)
{
	uint64_t x = 0;
	const char *s = p;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return NULL;
		x = x * 10 + d;
	}
	*v = x;
	return p > s ? p : NULL;
}

int pl_parse_fail(struct pl_arena *a, const char *text, const char *at)
{
	unsigned line = 1;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(at - p))); p++)
		line++;
	a->fail_line = line;
	return -EINVAL;
}

int pl_parse_reprints(const char *text, size_t len, struct pl_arena *a, const struct pl_task *t,
                      int (*fmt)(const struct pl_task *, struct pl_buf *))
{
	struct pl_buf b = PL_BUF_INIT;
	int same = fmt(t, &b) == 0 && !b.oom && b.len == len && (!len || memcmp(b.data, text, len) == 0);
	pl_buf_free(&b);
	return same ? 0 : pl_parse_fail(a, text, text);
}

int pl_has_nul(const char *text, size_t len)
{
	return len && memchr(text, '\0', len) != NULL;
}

int pl_parse_lines(const char *text, size_t len, struct pl_arena *a, size_t elem_size,
                   pl_line_fn fn, void **out, size_t *n)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	size_t cap = 0;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	char *v = cap ? pl_arena_alloc(a, cap * elem_size) : NULL;
	if (cap && !v)
		return -ENOMEM;
	const char *p = text, *end = text + len;
	size_t k = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return pl_parse_fail(a, text, p);
		int rc = fn(a, p, nl, v + k * elem_size);
		if (rc < 0)
			return rc == -EINVAL ? pl_parse_fail(a, text, p) : rc;
		k++;
		p = nl + 1;
	}
	*out = v;
	*n = k;
	return 0;
}

ssize_t pl_read_small(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	return n;
}
