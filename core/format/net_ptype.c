/*
** ptype: the packet handlers (net/core/net-procfs.c ptype_seq_show):
** "ALL " or the ethertype ("%04x"), then " %-8s %ps": the device the
** handler is bound to ("" for all) and the handler's symbol.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f, (void)net;
	pl_buf_puts(out, "Type Device      Function\n");
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_ptype *t = rec;
	if (t->type == PL_PTYPE_ALL)
		pl_buf_puts(out, "ALL ");
	else
		pl_net_put_hex(out, (uint32_t)t->type, 4, 0);
	pl_buf_putc(out, ' ');
	pl_net_put_str(out, t->dev, 8, 1);
	pl_buf_putc(out, ' ');
	pl_buf_puts(out, t->func);
	pl_buf_putc(out, '\n');
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_ptype *t = rec;
	struct cur c = { line, nl };
	if ((size_t)(nl - line) >= 4 && memcmp(line, "ALL ", 4) == 0) {
		t->type = PL_PTYPE_ALL;
		c.p += 4;
	} else {
		t->type = (int32_t)cur_hex(&c, 0);
		if (c.p && t->type > 0xffff)
			return -EINVAL;
	}
	cur_ch(&c, ' ');
	/* "%-8s": a name, or eight spaces for none */
	size_t len = 0;
	const char *dev = "";
	if (c.p && c.end - c.p >= 9 && memcmp(c.p, "         ", 9) == 0) {
		c.p += 8;
	} else {
		dev = cur_word(&c, &len);
		if (!c.p)
			return -EINVAL;
	}
	cur_sp(&c);
	const char *func = c.p;
	if (!func || func == nl || memchr(func, ' ', (size_t)(nl - func)))
		return -EINVAL;
	if (!(t->dev = net_str(p, dev, len)) || !(t->func = net_str(p, func, (size_t)(nl - func))))
		return -ENOMEM;
	return 0;
}

const struct net_family pl_net_ptype = {
	.elem = sizeof(struct pl_ptype),
	.header = header,
	.record = record,
	.parse = parse,
	.header_lines = 1,
};
