/*
** vmstat: "name value" a line, the kernel's counters in its order
** (mm/vmstat.c vmstat_show: the name, a space, the unsigned value).
*/
#include "format/format.h"

#include <errno.h>
#include <string.h>

#include "format/scan.h"

int pl_fmt_vmstat(const struct pl_machine *m, struct pl_buf *out)
{
	for (size_t i = 0; i < m->nvmstat; i++) {
		pl_buf_puts(out, m->vmstat[i].name);
		pl_buf_putc(out, ' ');
		pl_buf_u64(out, m->vmstat[i].value);
		pl_buf_putc(out, '\n');
	}
	return pl_buf_status(out);
}

static int counter_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_counter *c = elem;
	const char *sp = memchr(line, ' ', (size_t)(nl - line));
	if (!sp || sp == line || pl_scan_u64(sp + 1, nl, &c->value) != nl)
		return -EINVAL;
	/* the kernel prints no leading zero: "007" would not come back */
	if (sp[1] == '0' && nl - sp > 2)
		return -EINVAL;
	c->name = pl_arena_strndup(a, line, (size_t)(sp - line));
	return c->name ? 0 : -ENOMEM;
}

int pl_parse_vmstat(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_counter), counter_line, &v, &n);
	if (rc < 0)
		return rc;
	/* every vmstat starts with nr_free_pages, which vmstat and free read */
	if (n == 0 || strcmp(((struct pl_counter *)v)[0].name, "nr_free_pages") != 0)
		return -EINVAL;
	m->vmstat = v;
	m->nvmstat = n;
	m->have |= PL_M_VMSTAT;
	return 0;
}

