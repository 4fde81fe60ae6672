/*
** crypto: crypto/proc.c's c_show, for each registered algorithm its
** "key : value" lines (the key in 12 columns: name, driver, module,
** priority, refcnt, selftest, internal, then what its type shows) and an
** empty line.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

static void put_field(const struct pl_crypto_field *f, struct pl_buf *out)
{
	pl_buf_printf(out, "%-12s : %s\n", f->key, f->value);
}

int pl_fmt_crypto(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->ncrypto; i++) {
		for (size_t k = 0; k < m->crypto[i].nfield; k++)
			put_field(&m->crypto[i].field[k], out);
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

static int field_line(struct pl_arena *a, const char *line, const char *nl,
                      struct pl_crypto_field *f)
{
	const char *sep = NULL;
	for (const char *p = line; p + 3 <= nl && !sep; p++)
		if (p[0] == ' ' && p[1] == ':' && p[2] == ' ')
			sep = p;
	if (!sep)
		return -EINVAL;
	const char *k = sep;
	while (k > line && k[-1] == ' ')
		k--;
	if (k == line)
		return -EINVAL;
	if (!(f->key = pl_arena_strndup(a, line, (size_t)(k - line))) ||
	    !(f->value = pl_arena_strndup(a, sep + 3, (size_t)(nl - sep - 3))))
		return -ENOMEM;
	struct pl_buf b = PL_BUF_INIT;
	put_field(f, &b);
	size_t n = (size_t)(nl - line) + 1;
	int same = !b.oom && b.len == n && memcmp(b.data, line, n) == 0;
	pl_buf_free(&b);
	return same ? 0 : -EINVAL;
}

int pl_parse_crypto(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	if (pl_has_nul(text, len))
		return -EINVAL;
	const char *end = text + len;
	size_t nalg = 0, nlines = 0;
	for (const char *p = text; p < end; p++)
		if (*p == '\n') {
			nlines++;
			nalg += p == text || p[-1] == '\n';
		}
	struct pl_crypto_alg *algs = nalg ? pl_arena_alloc(a, nalg * sizeof *algs) : NULL;
	struct pl_crypto_field *fields = nlines ? pl_arena_alloc(a, nlines * sizeof *fields) : NULL;
	if ((nalg && !algs) || (nlines && !fields))
		return -ENOMEM;
	size_t ia = 0, nf = 0;
	const char *p = text;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return pl_parse_fail(a, text, p);
		if (nl == p) {
			/* an algorithm's end: it has lines */
			if (!nf)
				return pl_parse_fail(a, text, p);
			algs[ia].field = fields - nf;
			algs[ia].nfield = nf;
			ia++;
			nf = 0;
		} else {
			int rc = field_line(a, p, nl, fields);
			if (rc < 0)
				return rc == -EINVAL ? pl_parse_fail(a, text, p) : rc;
			fields++;
			nf++;
		}
		p = nl + 1;
	}
	if (nf) /* the last algorithm has no empty line after it */
		return pl_parse_fail(a, text, end - 1);
	m->crypto = algs;
	m->ncrypto = ia;
	m->have |= PL_M_CRYPTO;
	return 0;
}
