/*
** protocols: one line per protocol of the kernel's proto_list, as
** net/core/sock.c (proto_seq_printf) prints it: the header names the
** methods whose y/n columns follow, which differ between versions, so a
** record keeps the header's method names beside the protocols.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

#define HEAD "protocol  size sockets  memory press maxhdr  slab module     "

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)f;
	pl_buf_puts(out, HEAD);
	pl_buf_puts(out, net->proto_methods ? net->proto_methods : "");
	pl_buf_putc(out, '\n');
}

static int parse_header(struct pl_net_parse *p, const char *line, const char *nl)
{
	size_t head = strlen(HEAD), n = (size_t)(nl - line);
	if (n < head || memcmp(line, HEAD, head) != 0)
		return -EINVAL;
	return (p->net->proto_methods = net_str(p, line + head, n - head)) ? 0 : -ENOMEM;
}

/* "%-9s %4u %6d  %6ld   %-3s %6u   %-3s  %-10s", then " %2c" a method */
static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)f, (void)v;
	const struct pl_net_proto *r = rec;
	pl_net_put_str(out, r->name, 9, 1);
	pl_buf_putc(out, ' ');
	put_u(out, r->size, 4);
	pl_buf_putc(out, ' ');
	put_d(out, r->sockets, 6);
	pl_buf_puts(out, "  ");
	put_d(out, r->memory, 6);
	pl_buf_puts(out, "   ");
	pl_net_put_str(out, r->pressure, 3, 1);
	pl_buf_putc(out, ' ');
	put_u(out, r->maxhdr, 6);
	pl_buf_puts(out, "   ");
	pl_net_put_str(out, r->slab, 3, 1);
	pl_buf_puts(out, "  ");
	pl_net_put_str(out, r->module, 10, 1);
	for (const char *m = r->methods; *m; m++) {
		pl_buf_puts(out, "  ");
		pl_buf_putc(out, *m);
	}
	pl_buf_putc(out, '\n');
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_net_proto *r = rec;
	struct cur c = { line, nl };
	size_t len;
	const char *s;
	const char **words[4] = { &r->name, &r->pressure, &r->slab, &r->module };
	s = cur_word(&c, &len);
	if (c.p && !(*words[0] = net_str(p, s, len)))
		return -ENOMEM;
	r->size = (uint32_t)cur_u(&c);
	r->sockets = (int32_t)cur_i(&c);
	r->memory = cur_i(&c);
	for (int i = 1; i < 4; i++) {
		if (i == 2)
			r->maxhdr = (uint32_t)cur_u(&c);
		s = cur_word(&c, &len);
		if (c.p && !(*words[i] = net_str(p, s, len)))
			return -ENOMEM;
	}
	char methods[64];
	size_t n = 0;
	while (c.p && c.p < c.end) {
		s = cur_word(&c, &len);
		if (!c.p || len != 1 || n + 1 >= sizeof methods)
			return -EINVAL;
		methods[n++] = *s;
	}
	methods[n] = '\0';
	if (!c.p)
		return -EINVAL;
	return (r->methods = net_str(p, methods, n)) ? 0 : -ENOMEM;
}

const struct net_family pl_net_protocols = {
	.elem = sizeof(struct pl_net_proto),
	.header = header,
	.record = record,
	.parse = parse,
	.parse_header = parse_header,
	.header_lines = 1,
};
