/*
** maps.c: /proc/<pid>/maps, smaps and smaps_rollup, and their parsers.
**
** All three files open each block with the same header line:
**
**   start-end perms pgoff major:minor inode[ pad name]
**
** addresses and pgoff as %08lx (at least 8 hex digits), the device numbers
** as %02x (at least 2, possibly more), the inode in decimal, then one space.
** A named region is padded with spaces to a fixed column and gets one more
** space before the name; an unnamed one ends right after that trailing
** space.  Names are kept as the kernel printed them (already escaped), so a
** name may contain spaces and " (deleted)" is simply part of it.
**
** smaps follows each header with one "Label:   value kB" line per counter,
** THPeligible, an optional ProtectionKey and VmFlags.  smaps_rollup has a
** single synthetic header ending in "[rollup]" and its own counter set.
**
** Older kernels print fewer lines, and some in another order (before 4.14
** KernelPageSize and MMUPageSize came after SwapPss; THPeligible, from 5.0,
** was "%d" until 6.x; VmFlags came with 3.8): a region parsed from such a
** block keeps its lines in smaps_keys and is printed with them.
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

/*
** Linux pads the header to 25 + 6 * sizeof(void *) - 1 columns, room for
** two full-width addresses (72 on 64-bit), then adds one space: names start
** at column 73 unless the prefix is already longer than the pad.
*/
#define MAPS_PAD ((size_t)(25 + 6 * sizeof(void *) - 1))

/* Longest possible prefix: 16+1+16 addresses, perms, a 16-digit pgoff,
** 8:8 hex device, 20-digit inode, separators (92), rounded up. */
#define MAPS_PREFIX_MAX 128

/*
** One counter line.  Labels carry their own padding to 16 columns and the
** value is right-aligned in `width` more, so values end at column 24.
** Private_Hugetlb's label is 17 columns and its value 7: same alignment,
** but a value that overflows still keeps one space after the colon.
*/
struct sm_field {
	const char *label;
	unsigned char width;
};

static const struct sm_field smaps_fields[PL_SMAPS_NFIELDS] = {
	[PL_SM_SIZE]            = { "Size:           ", 8 },
	[PL_SM_KERNELPAGESIZE]  = { "KernelPageSize: ", 8 },
	[PL_SM_MMUPAGESIZE]     = { "MMUPageSize:    ", 8 },
	[PL_SM_RSS]             = { "Rss:            ", 8 },
	[PL_SM_PSS]             = { "Pss:            ", 8 },
	[PL_SM_PSS_DIRTY]       = { "Pss_Dirty:      ", 8 },
	[PL_SM_SHARED_CLEAN]    = { "Shared_Clean:   ", 8 },
	[PL_SM_SHARED_DIRTY]    = { "Shared_Dirty:   ", 8 },
	[PL_SM_PRIVATE_CLEAN]   = { "Private_Clean:  ", 8 },
	[PL_SM_PRIVATE_DIRTY]   = { "Private_Dirty:  ", 8 },
	[PL_SM_REFERENCED]      = { "Referenced:     ", 8 },
	[PL_SM_ANONYMOUS]       = { "Anonymous:      ", 8 },
	[PL_SM_KSM]             = { "KSM:            ", 8 },
	[PL_SM_LAZYFREE]        = { "LazyFree:       ", 8 },
	[PL_SM_ANONHUGEPAGES]   = { "AnonHugePages:  ", 8 },
	[PL_SM_SHMEMPMDMAPPED]  = { "ShmemPmdMapped: ", 8 },
	[PL_SM_FILEPMDMAPPED]   = { "FilePmdMapped:  ", 8 },
	[PL_SM_SHARED_HUGETLB]  = { "Shared_Hugetlb: ", 8 },
	[PL_SM_PRIVATE_HUGETLB] = { "Private_Hugetlb: ", 7 },
	[PL_SM_SWAP]            = { "Swap:           ", 8 },
	[PL_SM_SWAPPSS]         = { "SwapPss:        ", 8 },
	[PL_SM_LOCKED]          = { "Locked:         ", 8 },
};

static const struct sm_field rollup_fields[PL_ROLLUP_NFIELDS] = {
	[PL_RU_RSS]             = { "Rss:            ", 8 },
	[PL_RU_PSS]             = { "Pss:            ", 8 },
	[PL_RU_PSS_DIRTY]       = { "Pss_Dirty:      ", 8 },
	[PL_RU_PSS_ANON]        = { "Pss_Anon:       ", 8 },
	[PL_RU_PSS_FILE]        = { "Pss_File:       ", 8 },
	[PL_RU_PSS_SHMEM]       = { "Pss_Shmem:      ", 8 },
	[PL_RU_SHARED_CLEAN]    = { "Shared_Clean:   ", 8 },
	[PL_RU_SHARED_DIRTY]    = { "Shared_Dirty:   ", 8 },
	[PL_RU_PRIVATE_CLEAN]   = { "Private_Clean:  ", 8 },
	[PL_RU_PRIVATE_DIRTY]   = { "Private_Dirty:  ", 8 },
	[PL_RU_REFERENCED]      = { "Referenced:     ", 8 },
	[PL_RU_ANONYMOUS]       = { "Anonymous:      ", 8 },
	[PL_RU_KSM]             = { "KSM:            ", 8 },
	[PL_RU_LAZYFREE]        = { "LazyFree:       ", 8 },
	[PL_RU_ANONHUGEPAGES]   = { "AnonHugePages:  ", 8 },
	[PL_RU_SHMEMPMDMAPPED]  = { "ShmemPmdMapped: ", 8 },
	[PL_RU_FILEPMDMAPPED]   = { "FilePmdMapped:  ", 8 },
	[PL_RU_SHARED_HUGETLB]  = { "Shared_Hugetlb: ", 8 },
	[PL_RU_PRIVATE_HUGETLB] = { "Private_Hugetlb: ", 7 },
	[PL_RU_SWAP]            = { "Swap:           ", 8 },
	[PL_RU_SWAPPSS]         = { "SwapPss:        ", 8 },
	[PL_RU_LOCKED]          = { "Locked:         ", 8 },
};

#define THP_LABEL  "THPeligible:    "
#define PKEY_LABEL "ProtectionKey:  "
#define VMF_LABEL  "VmFlags: "
#define ROLLUP_NAME "[rollup]"

/* ====================================================================
** Formatting
** ==================================================================== */

/* Hex with at least `width` digits; width <= 16. */
static char *put_hex(char *p, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Decimal right-aligned in at least `width` columns with spaces. */
static char *put_dec(char *p, uint64_t v, int width)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = n; i < width; i++)
		*p++ = ' ';
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* The header prefix up to and including the space after the inode. */
static size_t put_prefix(char *w, uint64_t start, uint64_t end, const char *perms,
                         uint64_t pgoff, uint32_t maj, uint32_t min, uint64_t ino)
{
	char *p = w;
	p = put_hex(p, start, 8);
	*p++ = '-';
	p = put_hex(p, end, 8);
	*p++ = ' ';
	memcpy(p, perms, 4);
	p += 4;
	*p++ = ' ';
	p = put_hex(p, pgoff, 8);
	*p++ = ' ';
	p = put_hex(p, maj, 2);
	*p++ = ':';
	p = put_hex(p, min, 2);
	*p++ = ' ';
	p = put_dec(p, ino, 0);
	*p++ = ' ';
	return (size_t)(p - w);
}

/* Prefix, padding and name, newline: one reservation per line. */
static void put_header(struct pl_buf *out, uint64_t start, uint64_t end,
                       const char *perms, uint64_t pgoff, uint32_t maj,
                       uint32_t min, uint64_t ino, const char *name)
{
	size_t nlen = name ? strlen(name) : 0;
	char *w = pl_buf_reserve(out, MAPS_PREFIX_MAX + nlen + 2);
	if (!w)
		return;
	size_t n = put_prefix(w, start, end, perms, pgoff, maj, min, ino);
	if (nlen) {
		if (n < MAPS_PAD) {
			memset(w + n, ' ', MAPS_PAD - n);
			n = MAPS_PAD;
		}
		w[n++] = ' ';
		memcpy(w + n, name, nlen);
		n += nlen;
	}
	w[n++] = '\n';
	out->len += n;
}

static void put_region_header(struct pl_buf *out, const struct pl_region *r)
{
	put_header(out, r->start, r->end, r->perms, r->pgoff, r->dev_major,
	           r->dev_minor, r->inode, r->name);
}

/* "Label:" + value right-aligned + tail ("" or " kB"), newline. */
static void put_line(struct pl_buf *out, const char *label, int width,
                     uint64_t v, const char *tail)
{
	size_t ll = strlen(label), tl = strlen(tail);
	char *w = pl_buf_reserve(out, ll + 20 + tl + 1 + (size_t)width);
	if (!w)
		return;
	memcpy(w, label, ll);
	char *p = put_dec(w + ll, v, width);
	memcpy(p, tail, tl);
	p += tl;
	*p++ = '\n';
	out->len += (size_t)(p - w);
}

static void put_counters(struct pl_buf *out, const struct sm_field *f,
                         const uint64_t *kb, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++)
		put_line(out, f[i].label, f[i].width, kb[i], " kB");
}

/* maps: PL_F_MAPS */
int pl_fmt_maps(const struct pl_task *t, struct pl_buf *out)
{
	for (size_t i = 0; i < t->nregions; i++)
		put_region_header(out, &t->regions[i]);
	return pl_buf_status(out);
}

static void put_vmflags(struct pl_buf *out, const struct pl_region *r)
{
	pl_buf_puts(out, VMF_LABEL);
	pl_buf_puts(out, r->vmflags ? r->vmflags : "");
	pl_buf_putc(out, '\n');
}

/* A block with the lines an older kernel printed, in its order. */
static void put_keyed_lines(struct pl_buf *out, const struct pl_region *r, const uint64_t *kb)
{
	for (unsigned i = 1; i <= r->smaps_keys[0]; i++) {
		unsigned k = r->smaps_keys[i];
		if (k < PL_SMAPS_NFIELDS)
			put_line(out, smaps_fields[k].label, smaps_fields[k].width, kb[k], " kB");
		else if (k == PL_SMK_THP || k == PL_SMK_THP_UNPADDED)
			put_line(out, THP_LABEL, k == PL_SMK_THP ? 8 : 0, r->thp_eligible, "");
		else if (k == PL_SMK_PKEY)
			put_line(out, PKEY_LABEL, 8, (uint64_t)(uint32_t)r->protection_key, "");
		else
			put_vmflags(out, r);
	}
}

static void put_smaps_block(struct pl_buf *out, const struct pl_region *r)
{
	static const uint64_t zero[PL_SMAPS_NFIELDS];
	const uint64_t *kb = r->kb ? r->kb : zero;

	put_region_header(out, r);
	if (r->smaps_keys) {
		put_keyed_lines(out, r, kb);
		return;
	}
	put_counters(out, smaps_fields, kb, 0, PL_SMAPS_NFIELDS);
	put_line(out, THP_LABEL, 8, r->thp_eligible, "");
	/* Only on machines with memory protection keys (arch_pkeys_enabled). */
	if (r->protection_key >= 0)
		put_line(out, PKEY_LABEL, 8, (uint64_t)r->protection_key, "");
	put_vmflags(out, r);
}

/* smaps: PL_F_SMAPS */
int pl_fmt_smaps(const struct pl_task *t, struct pl_buf *out)
{
	for (size_t i = 0; i < t->nregions; i++)
		put_smaps_block(out, &t->regions[i]);
	return pl_buf_status(out);
}

/*
** smaps_rollup: PL_F_ROLLUP.  A task without an mm (zombie, kernel thread)
** has no rollup at all: Linux fails the open with ESRCH rather than serving
** an empty file, unlike maps and smaps which read empty.  An mm without
** vmas would print a 00000000-00000000 header with zero counters, which the
** record expresses as has_rollup with start == end == 0.
*/
int pl_fmt_smaps_rollup(const struct pl_task *t, struct pl_buf *out)
{
	if (!t->has_rollup)
		return -ESRCH;
	put_header(out, t->rollup.start, t->rollup.end, "---p", 0, 0, 0, 0,
	           ROLLUP_NAME);
	const uint8_t *keys = t->rollup.keys;
	if (!keys)
		put_counters(out, rollup_fields, t->rollup.kb, 0, PL_ROLLUP_NFIELDS);
	for (unsigned i = 1; keys && i <= keys[0]; i++)
		put_counters(out, rollup_fields, t->rollup.kb, keys[i], keys[i] + 1u);
	return pl_buf_status(out);
}

/* ====================================================================
** Parsing.  Helpers take and return a cursor; NULL means "did not match"
** and flows through, so a chain of them needs one check at the end.
** ==================================================================== */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static const char *get_hex(const char *p, const char *e, uint64_t *v)
{
	if (!p || p == e || hexval(*p) < 0)
		return NULL;
	uint64_t x = 0;
	for (int d; p < e && (d = hexval(*p)) >= 0; p++) {
		if (x >> 60)
			return NULL;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return p;
}

static const char *get_dec(const char *p, const char *e, uint64_t *v)
{
	if (!p || p == e || *p < '0' || *p > '9')
		return NULL;
	uint64_t x = 0;
	for (; p < e && *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return NULL;
		x = x * 10 + d;
	}
	*v = x;
	return p;
}

static const char *get_char(const char *p, const char *e, char c)
{
	return p && p < e && *p == c ? p + 1 : NULL;
}

static const char *skip_spaces(const char *p, const char *e)
{
	while (p && p < e && *p == ' ')
		p++;
	return p;
}

/* Next '\n'-terminated line; the kernel never leaves a line open. */
static int next_line(const char **cur, const char *end, const char **ls,
                     const char **le)
{
	if (*cur >= end)
		return 0;
	const char *nl = memchr(*cur, '\n', (size_t)(end - *cur));
	if (!nl)
		return -EINVAL;
	*ls = *cur;
	*le = nl;
	*cur = nl + 1;
	return 1;
}

/* Parsed header line; the name points into the text. */
struct header {
	uint64_t start, end, pgoff, inode;
	uint32_t maj, min;
	char perms[5];
	const char *name;
	size_t nlen;
};

static const char *get_u32hex(const char *p, const char *e, uint32_t *v)
{
	uint64_t x = 0;
	p = get_hex(p, e, &x);
	if (!p || x > UINT32_MAX)
		return NULL;
	*v = (uint32_t)x;
	return p;
}

static const char *get_prefix(const char *p, const char *e, struct header *h)
{
	p = get_hex(p, e, &h->start);
	p = get_char(p, e, '-');
	p = get_hex(p, e, &h->end);
	p = get_char(p, e, ' ');
	if (!p || e - p < 4)
		return NULL;
	memcpy(h->perms, p, 4);
	h->perms[4] = '\0';
	p = get_char(p + 4, e, ' ');
	p = get_hex(p, e, &h->pgoff);
	p = get_char(p, e, ' ');
	p = get_u32hex(p, e, &h->maj);
	p = get_char(p, e, ':');
	p = get_u32hex(p, e, &h->min);
	p = get_char(p, e, ' ');
	p = get_dec(p, e, &h->inode);
	return get_char(p, e, ' ');
}

/*
** The name starts exactly where the formatter would put it: after padding
** to MAPS_PAD and one space.  Locating it by column rather than by skipping
** blanks keeps any leading spaces of the name itself.
*/
static int get_header(const char *ls, const char *le, struct header *h)
{
	const char *p = get_prefix(ls, le, h);
	if (!p)
		return -EINVAL;
	h->name = p;
	h->nlen = 0;
	if (p == le)
		return 0;
	size_t col = (size_t)(p - ls);
	size_t at = (col < MAPS_PAD ? MAPS_PAD : col) + 1;
	if ((size_t)(le - ls) <= at)
		return -EINVAL;
	for (; p < ls + at; p++)
		if (*p != ' ')
			return -EINVAL;
	h->name = p;
	h->nlen = (size_t)(le - p);
	/* The kernel never prints a NUL in a name (a path or [anon:...] has
	** none), and a record keeps names as C strings, which would cut it. */
	if (memchr(h->name, '\0', h->nlen))
		return -EINVAL;
	return 0;
}

/*
** Consecutive regions usually share a name (a file's segments): reuse it.
** prev is a C string that may be shorter than n ("" for an unnamed region),
** so its length is measured before any byte past its end is looked at: a
** strncmp stops at a NUL in s, after which prev[n] lay past prev's end.
*/
static const char *intern(struct pl_arena *a, const char *prev, const char *s,
                          size_t n)
{
	if (n == 0)
		return "";
	if (prev && strnlen(prev, n + 1) == n && memcmp(prev, s, n) == 0)
		return prev;
	return pl_arena_strndup(a, s, n);
}

static int set_region(struct pl_arena *a, const struct header *h,
                      const char *prev_name, struct pl_region *r)
{
	r->start = h->start;
	r->end = h->end;
	r->pgoff = h->pgoff;
	r->dev_major = h->maj;
	r->dev_minor = h->min;
	r->inode = h->inode;
	memcpy(r->perms, h->perms, sizeof r->perms);
	r->name = intern(a, prev_name, h->name, h->nlen);
	r->protection_key = -1;
	return r->name ? 0 : -ENOMEM;
}

static size_t count_char(const char *s, size_t len, char c)
{
	size_t n = 0;
	for (const char *p = s, *e = s + len; (p = memchr(p, c, (size_t)(e - p))); p++)
		n++;
	return n;
}

int pl_parse_maps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	size_t cap = count_char(text, len, '\n');
	struct pl_region *rs = cap ? pl_arena_alloc(a, cap * sizeof *rs) : NULL;
	if (cap && !rs)
		return -ENOMEM;
	const char *cur = text, *end = text + len, *ls, *le, *prev = NULL;
	size_t n = 0;
	int rc;
	while ((rc = next_line(&cur, end, &ls, &le)) > 0) {
		struct header h;
		if (get_header(ls, le, &h) < 0)
			return pl_parse_fail(a, text, ls);
		if (set_region(a, &h, prev, &rs[n]) < 0)
			return -ENOMEM;
		prev = rs[n++].name;
	}
	if (rc < 0)
		return pl_parse_fail(a, text, cur);
	t->regions = rs;
	t->nregions = n;
	t->have |= PL_F_MAPS;
	return 0;
}

/* Match "Label:" at ls against a table entry's label up to its colon. */
static int label_is(const char *ls, const char *le, const char *label)
{
	size_t n = (size_t)(strchr(label, ':') - label) + 1;
	return (size_t)(le - ls) >= n && memcmp(ls, label, n) == 0;
}

/* Index of the counter a line names; tries `hint` (the next in order) first. */
static int find_field(const struct sm_field *f, size_t nf, size_t hint,
                      const char *ls, const char *le)
{
	if (hint < nf && label_is(ls, le, f[hint].label))
		return (int)hint;
	for (size_t i = 0; i < nf; i++)
		if (label_is(ls, le, f[i].label))
			return (int)i;
	return -1;
}

/* "Label:   123" followed by `tail` and the end of the line. */
static int get_value(const char *ls, const char *le, const char *tail, uint64_t *v)
{
	const char *p = memchr(ls, ':', (size_t)(le - ls));
	size_t tl = strlen(tail);
	p = get_dec(skip_spaces(p ? p + 1 : NULL, le), le, v);
	if (!p || (size_t)(le - p) != tl || memcmp(p, tail, tl) != 0)
		return -EINVAL;
	return 0;
}

/* A counter line of smaps or smaps_rollup into kb[]: its index, or -EINVAL. */
static int get_counter(const struct sm_field *f, size_t nf, size_t *hint,
                       const char *ls, const char *le, uint64_t *kb)
{
	int i = find_field(f, nf, *hint, ls, le);
	if (i < 0 || get_value(ls, le, " kB", &kb[i]) < 0)
		return -EINVAL;
	*hint = (size_t)i + 1;
	return i;
}

static int starts(const char *ls, const char *le, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(le - ls) >= n && memcmp(ls, s, n) == 0;
}

/* One non-header smaps line: the PL_SM_* or PL_SMK_* id of what it was. */
static int smaps_line(struct pl_arena *a, struct pl_region *r, uint64_t *kb,
                      const char *prev_vmf, size_t *hint, const char *ls,
                      const char *le)
{
	uint64_t v;
	if (starts(ls, le, VMF_LABEL)) {
		size_t off = strlen(VMF_LABEL);
		if (memchr(ls + off, '\0', (size_t)(le - ls) - off))
			return -EINVAL; /* as a name: the kernel prints none */
		r->vmflags = intern(a, prev_vmf, ls + off, (size_t)(le - ls) - off);
		return r->vmflags ? PL_SMK_VMFLAGS : -ENOMEM;
	}
	if (starts(ls, le, "THPeligible:")) {
		if (get_value(ls, le, "", &v) < 0 || v > UINT32_MAX)
			return -EINVAL;
		r->thp_eligible = (uint32_t)v;
		/* "%8u" now, "%d" from 5.0 until 6.x: a short line is the latter */
		return (size_t)(le - ls) >= sizeof THP_LABEL - 1 + 8 ? PL_SMK_THP : PL_SMK_THP_UNPADDED;
	}
	if (starts(ls, le, "ProtectionKey:")) {
		if (get_value(ls, le, "", &v) < 0 || v > INT32_MAX)
			return -EINVAL;
		r->protection_key = (int32_t)v;
		return PL_SMK_PKEY;
	}
	return get_counter(smaps_fields, PL_SMAPS_NFIELDS, hint, ls, le, kb);
}

/* A counter's label starts with a capital, a header with a hex digit. */
static int is_header(const char *ls, const char *le)
{
	return ls < le && (unsigned char)(*ls - 'A') >= 26u;
}

/*
** Blocks to allocate for: each ends with one VmFlags line (3.8 and
** later); an older smaps has none, and then every header line counts.
*/
static size_t count_blocks(const char *text, size_t len)
{
	size_t n = 0;
	const char *p = text, *e = text + len;
	while ((p = memmem(p, (size_t)(e - p), "\n" VMF_LABEL, sizeof VMF_LABEL))) {
		n++;
		p++;
	}
	if (n || !len)
		return n;
	n = hexval(text[0]) >= 0;
	for (p = text; (p = memchr(p, '\n', (size_t)(e - p))); )
		if (++p < e && hexval(*p) >= 0)
			n++;
	return n;
}

/* This kernel's lines, with and without ProtectionKey (whose value says). */
#define TODAYS_COUNTERS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
static const uint8_t todays[] = { TODAYS_COUNTERS, PL_SMK_THP, PL_SMK_VMFLAGS };
static const uint8_t todays_pkey[] = { TODAYS_COUNTERS, PL_SMK_THP, PL_SMK_PKEY, PL_SMK_VMFLAGS };
_Static_assert(PL_SMAPS_NFIELDS == 22, "todays lists every counter");

static int todays_block(const uint8_t *k, size_t n)
{
	return (n == sizeof todays && memcmp(k, todays, n) == 0) ||
	       (n == sizeof todays_pkey && memcmp(k, todays_pkey, n) == 0);
}

/* A key list ([0] = count) shared with the previous block when the same. */
static const uint8_t *keep_keys(struct pl_arena *a, const uint8_t *prev, const uint8_t *k, size_t n)
{
	if (prev && prev[0] == n && memcmp(prev + 1, k, n) == 0)
		return prev;
	uint8_t *c = pl_arena_alloc(a, n + 1);
	if (c) {
		c[0] = (uint8_t)n;
		memcpy(c + 1, k, n);
	}
	return c;
}

/* The block of r ends with lines k[0..n): what shape it keeps. */
static int end_block(struct pl_arena *a, struct pl_region *r, const uint8_t *k, size_t n,
                     const uint8_t **prev_keys)
{
	if (todays_block(k, n))
		return 0;
	r->smaps_keys = keep_keys(a, *prev_keys, k, n);
	*prev_keys = r->smaps_keys;
	return r->smaps_keys ? 0 : -ENOMEM;
}

int pl_parse_smaps(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	size_t cap = count_blocks(text, len);
	struct pl_region *rs = NULL;
	uint64_t *kb = NULL;
	if (cap) {
		rs = pl_arena_alloc(a, cap * sizeof *rs);
		kb = pl_arena_alloc(a, cap * PL_SMAPS_NFIELDS * sizeof *kb);
		if (!rs || !kb)
			return -ENOMEM;
	}
	const char *cur = text, *end = text + len, *ls, *le;
	const char *prev_name = NULL, *prev_vmf = NULL;
	const uint8_t *prev_keys = NULL;
	struct pl_region *r = NULL; /* block being read */
	uint8_t keys[2 * PL_SMK_COUNT]; /* its lines' ids; a line twice is kept twice */
	size_t n = 0, nkeys = 0, hint = 0;
	int rc;
	while ((rc = next_line(&cur, end, &ls, &le)) > 0) {
		if (is_header(ls, le)) {
			struct header h;
			if ((r && (!nkeys || end_block(a, r, keys, nkeys, &prev_keys) < 0)) ||
			    n == cap || get_header(ls, le, &h) < 0)
				return pl_parse_fail(a, text, ls);
			r = &rs[n];
			r->kb = kb + n * PL_SMAPS_NFIELDS;
			if (set_region(a, &h, prev_name, r) < 0)
				return -ENOMEM;
			prev_name = r->name;
			n++;
			nkeys = hint = 0;
			continue;
		}
		if (!r || nkeys == sizeof keys)
			return pl_parse_fail(a, text, ls);
		rc = smaps_line(a, r, (uint64_t *)r->kb, prev_vmf, &hint, ls, le);
		if (rc < 0)
			return rc == -ENOMEM ? rc : pl_parse_fail(a, text, ls);
		keys[nkeys++] = (uint8_t)rc;
		if (rc == PL_SMK_VMFLAGS)
			prev_vmf = r->vmflags;
	}
	if (rc < 0)
		return pl_parse_fail(a, text, cur);
	if (r && (!nkeys || end_block(a, r, keys, nkeys, &prev_keys) < 0))
		return nkeys ? -ENOMEM : pl_parse_fail(a, text, end);
	t->regions = rs;
	t->nregions = n;
	t->have |= PL_F_MAPS | PL_F_SMAPS;
	return 0;
}

/*
** Empty text stands for a task without an mm (the host's open failed with
** ESRCH, or the caller read nothing): has_rollup = 0.
*/
int pl_parse_smaps_rollup(const char *text, size_t len, struct pl_arena *a, struct pl_task *t)
{
	const char *cur = text, *end = text + len, *ls, *le;
	struct header h;
	size_t hint = 0, n = 0;
	uint8_t keys[PL_ROLLUP_NFIELDS];
	uint32_t seen = 0;
	int rc, todays = 1;
	_Static_assert(PL_ROLLUP_NFIELDS <= 32, "the rollup's lines fit a 32-bit mask");

	memset(&t->rollup, 0, sizeof t->rollup);
	t->has_rollup = 0;
	t->have |= PL_F_ROLLUP;
	rc = next_line(&cur, end, &ls, &le);
	if (rc <= 0)
		return rc < 0 ? pl_parse_fail(a, text, text) : 0;
	if (get_header(ls, le, &h) < 0 || h.nlen != strlen(ROLLUP_NAME) ||
	    memcmp(h.name, ROLLUP_NAME, h.nlen) != 0)
		return pl_parse_fail(a, text, ls);
	t->rollup.start = h.start;
	t->rollup.end = h.end;
	while ((rc = next_line(&cur, end, &ls, &le)) > 0) {
		int i = get_counter(rollup_fields, PL_ROLLUP_NFIELDS, &hint, ls, le, t->rollup.kb);
		if (i < 0 || (seen >> i & 1))
			return pl_parse_fail(a, text, ls);
		seen |= 1u << i;
		todays &= i == (int)n;
		keys[n++] = (uint8_t)i;
	}
	if (rc < 0)
		return pl_parse_fail(a, text, cur);
	if (!todays || n != PL_ROLLUP_NFIELDS) {
		t->rollup.keys = keep_keys(a, NULL, keys, n);
		if (!t->rollup.keys)
			return -ENOMEM;
	}
	t->has_rollup = 1;
	return 0;
}
