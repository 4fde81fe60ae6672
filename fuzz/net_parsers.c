/*
** The parsers of the net/ files (core/format/net.h) on any text, as the
** host source streams the kernel's files through them and a world's
** net = {...} gives them text: the first byte picks the file, the rest
** is its text.  A parse checks each line by printing its record back, so
** what a parser accepts must print as exactly the text it was given, for
** every reader (a reader in a user namespace, one kept from the pointers:
** the same shape), and the streamed parse (a line at a time, as read in
** chunks) must take what the whole parse takes.
*/
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/net.h"
#include "fuzz.h"

/* A reader whose namespace maps ids 0..99 to 1000.., and who sees no
** kernel pointers: what changes is ids and pointers, never the lines. */
static struct pl_idview reader_ids = {
	.ns = 1, .overflow_uid = 65534, .overflow_gid = 65534, .nuid = 1, .ngid = 1,
	.uid = { { 1000, 0, 100 } }, .gid = { { 1000, 0, 100 } },
};

static size_t count_lines(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int f = data[0] % PL_NET_COUNT;
	size_t len = size - 1;
	char *text = fuzz_text(data + 1, len);
	struct pl_arena a = PL_ARENA_INIT, a2 = PL_ARENA_INIT;
	struct pl_net net, net2;
	struct pl_buf out = PL_BUF_INIT, masked = PL_BUF_INIT;
	memset(&net, 0, sizeof net);
	memset(&net2, 0, sizeof net2);
	int rc = pl_parse_net(f, text, len, &a, &net);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%s: %d\n", pl_net_names[f], rc);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "%s: parser returned %d", pl_net_names[f], rc);

	/* streamed a line at a time from a buffer holding only that line */
	struct pl_net_parse p;
	pl_net_parse_begin(&p, f, &a2, &net2);
	int rc2 = 0;
	const char *s = text, *end = text + len;
	while (rc2 == 0 && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl) {
			rc2 = -EINVAL;
			break;
		}
		char *line = fuzz_text((const unsigned char *)s, (size_t)(nl - s) + 1);
		rc2 = pl_net_parse_line(&p, line, line + (nl - s));
		free(line);
		s = nl + 1;
	}
	rc2 = pl_net_parse_end(&p, rc2);
	FUZZ_CHECK(rc2 == rc, "%s: whole %d, streamed %d", pl_net_names[f], rc, rc2);

	if (rc == 0) {
		FUZZ_CHECK(pl_fmt_net(f, &net, NULL, &out) == 0, "%s: formatter failed", pl_net_names[f]);
		FUZZ_SAME(text, len, out.data, out.len, "%s: not printed as given", pl_net_names[f]);
		struct pl_net_view v = { &reader_ids, 0 };
		FUZZ_CHECK(pl_fmt_net(f, &net, &v, &masked) == 0, "%s: formatter failed", pl_net_names[f]);
		FUZZ_CHECK(count_lines(masked.data ? masked.data : "", masked.len) == count_lines(text, len),
		           "%s: a reader's view has other lines", pl_net_names[f]);
	}
	pl_buf_free(&out);
	pl_buf_free(&masked);
	pl_arena_free(&a);
	pl_arena_free(&a2);
	free(text);
	return 0;
}
