/*
** kallsyms: kernel/kallsyms.c's s_show, a line a symbol: its address as
** %px prints it (16 hex digits), its type, its name and, for a module's,
** a tab and the module in brackets.  Who sees the addresses is decided at
** open (kallsyms_show_value on the opener's credentials): with
** kptr_restrict 0, everyone when perf_event_paranoid is at most 1, else
** an opener holding CAP_SYSLOG in the initial user namespace; with 1,
** only such an opener; with 2, no one.  Anyone else reads zeros.
*/
#include "format/format.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "format/scan.h"

static int shows_addrs(const struct pl_machine *m, int syslog)
{
	switch (m->kptr_restrict) {
	case 0:
		if (m->perf_event_paranoid <= 1)
			return 1;
		/* fall through */
	case 1:
		return syslog;
	default:
		return 0;
	}
}

static void put_sym(const struct pl_ksym *s, int shows, struct pl_buf *out)
{
	pl_buf_printf(out, "%016" PRIx64 " %c %s", shows ? s->addr : 0, s->type, s->name);
	if (s->module)
		pl_buf_printf(out, "\t[%s]", s->module);
	pl_buf_putc(out, '\n');
}

int pl_fmt_kallsyms(const struct pl_machine *m, int syslog, struct pl_buf *out)
{
	int shows = shows_addrs(m, syslog);
	for (size_t i = 0; i < m->nksyms; i++)
		put_sym(&m->ksyms[i], shows, out);
	return pl_buf_status(out);
}

static int sym_line(struct pl_arena *a, const char *line, const char *nl, void *elem)
{
	struct pl_ksym *s = elem;
	memset(s, 0, sizeof *s);
	const char *p = line;
	if (nl - p < 20 || p[16] != ' ' || p[18] != ' ')
		return -EINVAL;
	for (int i = 0; i < 16; i++) {
		int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' : p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10 : -1;
		if (d < 0)
			return -EINVAL;
		s->addr = s->addr << 4 | (uint64_t)d;
	}
	s->type = p[17];
	if (s->type == ' ' || s->type == '\t')
		return -EINVAL;
	p += 19;
	const char *tab = memchr(p, '\t', (size_t)(nl - p));
	const char *name_end = tab ? tab : nl;
	if (name_end == p || memchr(p, ' ', (size_t)(name_end - p)))
		return -EINVAL;
	if (!(s->name = pl_arena_strndup(a, p, (size_t)(name_end - p))))
		return -ENOMEM;
	if (tab) {
		p = tab + 1;
		if (nl - p < 3 || *p != '[' || nl[-1] != ']' || memchr(p, '\t', (size_t)(nl - p)))
			return -EINVAL;
		if (!(s->module = pl_arena_strndup(a, p + 1, (size_t)(nl - p - 2))))
			return -ENOMEM;
	}
	return 0;   /* every part was checked: the formatter prints this line back */
}

int pl_parse_kallsyms(const char *text, size_t len, struct pl_arena *a, struct pl_machine *m)
{
	void *v;
	size_t n;
	int rc = pl_parse_lines(text, len, a, sizeof(struct pl_ksym), sym_line, &v, &n);
	if (rc < 0)
		return rc;
	m->ksyms = v;
	m->nksyms = n;
	m->have |= PL_M_KALLSYMS;
	return 0;
}
