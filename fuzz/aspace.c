/*
** core/source/aspace.h, a world task's address space, against a model
** simple enough to be plainly right: a flat byte array and a mapped flag
** per byte over a small window of addresses.  The input is a sequence of
** operations (map, unmap, write, poke, read, and cmdline/environ formatted
** over the space); after each, the two must agree: the same result, the
** same bytes read, the same ranges mapped.
**
** The window sits at address 0, in the middle, or against the top of the
** address space, where a range that would end at 2^64 cannot be said and
** is refused (-EINVAL) with nothing changed.
*/
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "format/format.h"
#include "source/aspace.h"
#include "fuzz.h"

#define W 16384u   /* the window: four pages, so cmdline's page steps show */
#define PAGE 4096u

static unsigned char mem[W], mapped[W];
static uint64_t base;

/* The input, consumed as operations. */
struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct input *in, unsigned bytes)
{
	unsigned v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		v = v << 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

/* An offset in the window and a length that stays in it. */
static void range(struct input *in, uint32_t *off, uint32_t *len)
{
	*off = take(in, 2) % W;
	*len = take(in, 2) % (W - *off + 1);
}

/* Whether [off, off+len) ends at 2^64, which no range can. */
static int wraps(uint32_t off, uint32_t len)
{
	return len && base + off + len == 0;
}

static void fill(unsigned char *buf, uint32_t len, unsigned seed)
{
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed + i * 131 + (i >> 8));
}

/* The model's copy-in: bytes up to the first hole; -EFAULT for none. */
static ssize_t model_read(uint32_t off, void *buf, uint32_t len)
{
	uint32_t n = 0;
	while (n < len && off + n < W && mapped[off + n])
		n++;
	memcpy(buf, mem + off, n);
	return n == 0 && len > 0 ? -EFAULT : (ssize_t)n;
}

/* The ranges are sorted, apart (touching ones merge) and inside the
** window. */
static void well_formed(const struct pl_aspace *as)
{
	for (size_t i = 0; i < as->n; i++) {
		const struct pl_aspace_range *r = &as->r[i];
		FUZZ_CHECK(r->len > 0, "range %zu is empty", i);
		FUZZ_CHECK(i == 0 || as->r[i - 1].start + as->r[i - 1].len < r->start,
		           "ranges %zu and %zu touch or overlap", i - 1, i);
		FUZZ_CHECK(r->start >= base && r->start - base + r->len <= W,
		           "range %zu outside the window", i);
	}
}

/* ... and hold exactly the model's mapped bytes, with their contents. */
static void same_space(const struct pl_aspace *as)
{
	size_t total = 0;
	well_formed(as);
	for (size_t i = 0; i < as->n; i++) {
		const struct pl_aspace_range *r = &as->r[i];
		uint64_t off = r->start - base;
		for (uint64_t k = 0; k < r->len; k++) {
			FUZZ_CHECK(mapped[off + k], "byte %llu mapped, not in the model",
			           (unsigned long long)(off + k));
			FUZZ_CHECK(r->bytes[k] == mem[off + k], "byte %llu differs",
			           (unsigned long long)(off + k));
		}
		total += r->len;
	}
	size_t model = 0;
	for (uint32_t k = 0; k < W; k++)
		model += mapped[k];
	FUZZ_CHECK(total == model, "%zu bytes mapped, the model %zu", total, model);
}

/* The address space's reader for cmdline.c. */
static ssize_t aspace_reader(void *arg, uint64_t addr, void *buf, size_t len)
{
	return pl_aspace_read(arg, addr, buf, len);
}

/* Bytes mapped in a row from addr, at most len (0 outside the window). */
static uint64_t mapped_run(uint64_t addr, uint64_t len)
{
	if (addr < base || addr - base >= W)
		return 0;
	uint64_t off = addr - base, n = 0;
	while (n < len && off + n < W && mapped[off + n])
		n++;
	return n;
}

/*
** get_mm_cmdline and environ_read told plainly, over the model: argv up to
** its first hole; or, when argv's last byte is mapped and not NUL
** (setproctitle), the string at arg_start within one page, with its NUL,
** at most up to the environment's end if it follows argv; environ whole or
** nothing.
*/
static void model_cmdline(const struct pl_mm *mm, struct pl_buf *out)
{
	if (!mm->env_end || mm->arg_start >= mm->arg_end)
		return;
	uint64_t last = mm->arg_end - 1;
	int title = mapped_run(last, 1) == 1 && mem[last - base] != 0;
	if (!title) {
		uint64_t n = mapped_run(mm->arg_start, mm->arg_end - mm->arg_start);
		pl_buf_add(out, n ? mem + (mm->arg_start - base) : (const unsigned char *)"", (size_t)n);
		return;
	}
	uint64_t end = mm->env_start == mm->arg_end && mm->env_end >= mm->env_start ? mm->env_end
	                                                                           : mm->arg_end;
	uint64_t n = mapped_run(mm->arg_start, PAGE);
	const unsigned char *s = n ? mem + (mm->arg_start - base) : (const unsigned char *)"";
	uint64_t len = 0;
	while (len < n && s[len])
		len++;
	if (len < n)
		len++;
	if (len > end - mm->arg_start)
		len = end - mm->arg_start;
	pl_buf_add(out, s, (size_t)len);
}

static void model_environ(const struct pl_mm *mm, struct pl_buf *out)
{
	if (!mm->env_end || mm->env_end <= mm->env_start)
		return;
	uint64_t len = mm->env_end - mm->env_start;
	if (mapped_run(mm->env_start, len) == len)
		pl_buf_add(out, mem + (mm->env_start - base), (size_t)len);
}

/* An address for mm: mostly in the window, sometimes 0 or anywhere. */
static uint64_t mm_addr(struct input *in)
{
	unsigned v = take(in, 2);
	if (v >= 0xfff0)
		return v == 0xffff ? 0 : base + W + (v & 15);
	return base + v % W;
}

static void proc_files(struct input *in, struct pl_aspace *as)
{
	struct pl_mm mm = { 0 };
	mm.arg_start = mm_addr(in);
	mm.arg_end = mm_addr(in);
	/* mostly the environment right behind argv, as execve leaves it */
	mm.env_start = take(in, 1) & 1 ? mm_addr(in) : mm.arg_end;
	mm.env_end = mm_addr(in);
	struct pl_buf got = PL_BUF_INIT, want = PL_BUF_INIT;
	FUZZ_CHECK(pl_fmt_cmdline(&mm, aspace_reader, as, &got) == 0, "cmdline failed");
	model_cmdline(&mm, &want);
	FUZZ_SAME(got.data, got.len, want.data, want.len, "cmdline of %llx-%llx env %llx-%llx",
	          (unsigned long long)mm.arg_start, (unsigned long long)mm.arg_end,
	          (unsigned long long)mm.env_start, (unsigned long long)mm.env_end);
	pl_buf_reset(&got);
	pl_buf_reset(&want);
	FUZZ_CHECK(pl_fmt_environ(&mm, aspace_reader, as, &got) == 0, "environ failed");
	model_environ(&mm, &want);
	FUZZ_SAME(got.data, got.len, want.data, want.len, "environ of %llx-%llx",
	          (unsigned long long)mm.env_start, (unsigned long long)mm.env_end);
	pl_buf_free(&got);
	pl_buf_free(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char buf[W], buf2[W];
	static const uint64_t bases[] = { 0, 0x7ffffff00000ull, 0 - (uint64_t)W };
	struct input in = { data, size };
	struct pl_aspace as = PL_ASPACE_INIT;
	memset(mem, 0, sizeof mem);
	memset(mapped, 0, sizeof mapped);
	base = bases[take(&in, 1) % 3];
	for (unsigned ops = 0; in.n && ops < 256; ops++) {
		unsigned op = take(&in, 1);
		uint32_t off, len;
		range(&in, &off, &len);
		int rc;
		ssize_t n, m;
		switch (op % 6) {
		case 0: /* map: new bytes read zero, mapped ones keep theirs */
			rc = pl_aspace_map(&as, base + off, len);
			FUZZ_CHECK(rc == (wraps(off, len) ? -EINVAL : 0), "map: %d", rc);
			if (rc == 0)
				for (uint32_t k = off; k < off + len; k++)
					if (!mapped[k])
						mapped[k] = 1, mem[k] = 0;
			break;
		case 1: /* unmap */
			rc = pl_aspace_unmap(&as, base + off, len);
			FUZZ_CHECK(rc == (wraps(off, len) ? -EINVAL : 0), "unmap: %d", rc);
			if (rc == 0)
				memset(mapped + off, 0, len);
			break;
		case 2: /* write: maps what it needs */
			fill(buf, len, op);
			rc = pl_aspace_write(&as, base + off, buf, len);
			FUZZ_CHECK(rc == (wraps(off, len) ? -EINVAL : 0), "write: %d", rc);
			if (rc == 0) {
				memset(mapped + off, 1, len);
				memcpy(mem + off, buf, len);
			}
			break;
		case 3: /* poke: only what is mapped, up to the first hole */
			fill(buf, len, op);
			n = pl_aspace_poke(&as, base + off, buf, len);
			m = model_read(off, buf2, len);
			FUZZ_CHECK(n == m, "poke at %u of %u: %zd, the model %zd", off, len, n, m);
			if (n > 0)
				memcpy(mem + off, buf, (size_t)n);
			break;
		case 4: /* read */
			n = pl_aspace_read(&as, base + off, buf, len);
			m = model_read(off, buf2, len);
			FUZZ_CHECK(n == m, "read at %u of %u: %zd, the model %zd", off, len, n, m);
			if (n > 0)
				FUZZ_SAME((char *)buf, (size_t)n, (char *)buf2, (size_t)m, "read at %u", off);
			break;
		case 5:
			proc_files(&in, &as);
			break;
		}
		well_formed(&as);
	}
	same_space(&as);
	pl_aspace_free(&as);
	return 0;
}
