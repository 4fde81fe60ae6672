/*
** The parsers of the top-level files and sys/ settings (core/format/
** format.h) on any text, as the host source and a world's machine = {...}
** call them: the first byte picks the file, the rest is its text.  What a parser accepts is formatted
** by its formatter, and that output must be text the same parser accepts
** and formats to the same bytes again.
*/
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/format.h"
#include "fuzz.h"

typedef int (*machine_fmt)(const struct pl_machine *m, struct pl_buf *out);

struct file {
	const char *name;
	pl_machine_parser parse;
	machine_fmt fmt;
};

/*
** version and sys/kernel/{pid_max,osrelease,ostype,hostname}: the host
** keeps each one line without its newline (host.c read_line), pid_max as
** strtoul reads it.  A "parser" of five lines, the way the host reads them.
*/
static const char *take_line(const char **p, const char *end, struct pl_arena *a)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *e = nl ? nl : end;
	const char *s = pl_arena_strndup(a, *p, (size_t)(e - *p));
	*p = nl ? nl + 1 : end;
	return s;
}

static int parse_syskernel(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	const char *p = text, *end = text + len;
	m->version = take_line(&p, end, a);
	const char *pid_max = take_line(&p, end, a);
	m->pid_max = (uint32_t)strtoul(pid_max, NULL, 10);
	m->osrelease = take_line(&p, end, a);
	m->ostype = take_line(&p, end, a);
	m->hostname = take_line(&p, end, a);
	return p == end ? 0 : -EINVAL;
}

static int fmt_syskernel(const struct pl_machine *m, struct pl_buf *out)
{
	int rc = pl_fmt_version(m, out);
	if (!rc)
		rc = pl_fmt_pid_max(m, out);
	if (!rc)
		rc = pl_fmt_osrelease(m, out);
	if (!rc)
		rc = pl_fmt_ostype(m, out);
	if (!rc)
		rc = pl_fmt_hostname(m, out);
	return rc;
}

/* pressure/{cpu,memory,io}: each its own record in the machine. */
static int fmt_psi_cpu(const struct pl_machine *m, struct pl_buf *out) { return pl_fmt_psi(&m->psi_cpu, out); }
static int fmt_psi_memory(const struct pl_machine *m, struct pl_buf *out) { return pl_fmt_psi(&m->psi_memory, out); }
static int fmt_psi_io(const struct pl_machine *m, struct pl_buf *out) { return pl_fmt_psi(&m->psi_io, out); }

/* A sys/ setting: the text's first byte picks which (the host reads each
** from its own file), the rest is the file. */
static struct pl_sysctl sysctl_value;
static int sysctl_id;

static int parse_sysctl(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	(void)m;
	if (len < 1)
		return -EINVAL;
	sysctl_id = (unsigned char)text[0] % PL_SYSCTL_COUNT;
	return pl_parse_sysctl(sysctl_id, text + 1, len - 1, a, &sysctl_value);
}

/* Its output starts with the same picking byte, so it parses back. */
static int fmt_sysctl(const struct pl_machine *m, struct pl_buf *out)
{
	(void)m;
	pl_buf_putc(out, (char)sysctl_id);
	return pl_fmt_sysctl(sysctl_id, &sysctl_value, out);
}

/* A setting with no row: numbers or text, printed back byte for byte. */
static struct pl_setting setting_value;

static int parse_setting(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	(void)m;
	int rc = pl_parse_setting(text, len, a, &setting_value);
	if (rc == 0) {
		struct pl_buf same = PL_BUF_INIT;
		FUZZ_CHECK(pl_fmt_setting(&setting_value, &same) == 0 && same.len == len &&
		           (len == 0 || memcmp(same.data, text, len) == 0),
		           "sys/ setting: not printed back as read");
		pl_buf_free(&same);
	}
	return rc == -EFBIG ? -EINVAL : rc;
}

static int fmt_setting(const struct pl_machine *m, struct pl_buf *out)
{
	(void)m;
	return pl_fmt_setting(&setting_value, out);
}

/* the addresses shown, as to root */
static int fmt_iomem(const struct pl_machine *m, struct pl_buf *out) { return pl_fmt_iomem(m, 1, out); }
static int fmt_ioports(const struct pl_machine *m, struct pl_buf *out) { return pl_fmt_ioports(m, 1, out); }
static int fmt_kallsyms(const struct pl_machine *m, struct pl_buf *out) { return pl_fmt_kallsyms(m, 1, out); }

static const struct file files[] = {
	{ "uptime", pl_parse_uptime, pl_fmt_uptime },
	{ "loadavg", pl_parse_loadavg, pl_fmt_loadavg },
	{ "meminfo", pl_parse_meminfo, pl_fmt_meminfo },
	{ "stat", pl_parse_machine_stat, pl_fmt_machine_stat },
	{ "cpuinfo", pl_parse_cpuinfo, pl_fmt_cpuinfo },
	{ "filesystems", pl_parse_filesystems, pl_fmt_filesystems },
	{ "version+sys/kernel", parse_syskernel, fmt_syskernel },
	{ "vmstat", pl_parse_vmstat, pl_fmt_vmstat },
	{ "swaps", pl_parse_swaps, pl_fmt_swaps },
	{ "partitions", pl_parse_partitions, pl_fmt_partitions },
	{ "diskstats", pl_parse_diskstats, pl_fmt_diskstats },
	{ "interrupts", pl_parse_interrupts, pl_fmt_interrupts },
	{ "softirqs", pl_parse_softirqs, pl_fmt_softirqs },
	{ "cgroups", pl_parse_cgroups, pl_fmt_cgroups },
	{ "cmdline", pl_parse_boot_cmdline, pl_fmt_boot_cmdline },
	{ "pressure/cpu", pl_parse_psi_cpu, fmt_psi_cpu },
	{ "pressure/memory", pl_parse_psi_memory, fmt_psi_memory },
	{ "pressure/io", pl_parse_psi_io, fmt_psi_io },
	{ "sys/ setting", parse_sysctl, fmt_sysctl },
	{ "sys/ setting with no row", parse_setting, fmt_setting },
	{ "locks", pl_parse_locks, pl_fmt_locks },
	{ "tty/drivers", pl_parse_tty_drivers, pl_fmt_tty_drivers },
	{ "sysvipc/shm", pl_parse_sysvipc_shm, pl_fmt_sysvipc_shm },
	{ "sysvipc/msg", pl_parse_sysvipc_msg, pl_fmt_sysvipc_msg },
	{ "sysvipc/sem", pl_parse_sysvipc_sem, pl_fmt_sysvipc_sem },
	{ "slabinfo", pl_parse_slabinfo, pl_fmt_slabinfo },
	{ "buddyinfo", pl_parse_buddyinfo, pl_fmt_buddyinfo },
	{ "zoneinfo", pl_parse_zoneinfo, pl_fmt_zoneinfo },
	{ "pagetypeinfo", pl_parse_pagetypeinfo, pl_fmt_pagetypeinfo },
	{ "devices", pl_parse_devices, pl_fmt_devices },
	{ "misc", pl_parse_misc, pl_fmt_misc },
	{ "consoles", pl_parse_consoles, pl_fmt_consoles },
	{ "execdomains", pl_parse_execdomains, pl_fmt_execdomains },
	{ "crypto", pl_parse_crypto, pl_fmt_crypto },
	{ "iomem", pl_parse_iomem, fmt_iomem },
	{ "ioports", pl_parse_ioports, fmt_ioports },
	{ "kallsyms", pl_parse_kallsyms, fmt_kallsyms },
};
#define NFILES (sizeof files / sizeof files[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct file *f = &files[data[0] % NFILES];
	char *text = fuzz_text(data + 1, size - 1);
	struct pl_arena a = PL_ARENA_INIT, a2 = PL_ARENA_INIT;
	struct pl_machine m, m2;
	struct pl_buf out = PL_BUF_INIT, out2 = PL_BUF_INIT;
	memset(&m, 0, sizeof m);
	memset(&m2, 0, sizeof m2);
	int rc = f->parse(text, size - 1, &a, &m);
	if (getenv("FUZZ_VERBOSE")) /* replaying: which file, and whether it parsed */
		fprintf(stderr, "%s: %d\n", f->name, rc);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "%s: parser returned %d", f->name, rc);
	if (rc == 0) {
		FUZZ_CHECK(f->fmt(&m, &out) == 0, "%s: formatter failed", f->name);
		char *copy = fuzz_text((const unsigned char *)(out.data ? out.data : ""), out.len);
		rc = f->parse(copy, out.len, &a2, &m2);
		if (rc != 0)
			fuzz_dump("formatted", copy, out.len);
		FUZZ_CHECK(rc == 0, "%s: the parser refuses the formatter's output (%d)", f->name, rc);
		FUZZ_CHECK(f->fmt(&m2, &out2) == 0, "%s: formatter failed", f->name);
		FUZZ_SAME(out.data, out.len, out2.data, out2.len, "%s: not a fixed point", f->name);
		free(copy);
	}
	pl_buf_free(&out);
	pl_buf_free(&out2);
	pl_arena_free(&a);
	pl_arena_free(&a2);
	free(text);
	return 0;
}
