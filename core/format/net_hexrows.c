/*
** Rows of hexadecimal counters: psched (net/sched/sch_api.c psched_show:
** the clock's units), rt6_stats (net/ipv6/route.c rt6_stats_seq_show),
** softnet_stat (net/core/net-procfs.c softnet_seq_show: a row a CPU) and
** stat/'s files (neigh_stat_seq_show for arp_cache and ndisc_cache,
** rt_cpu_seq_show, nf_conntrack's ct_cpu_seq_show, synproxy_cpu_seq_show:
** a header, then a row a CPU).  Each file's row is a fixed template of
** this kernel: "%8" a %08x (or %08lx) column, "%4" a %04x one, the rest
** printed as it stands.
*/
#include <errno.h>
#include <string.h>

#include "format/net_text.h"

struct rows_shape {
	const char *header;        /* NULL: none */
	const char *row;
};

#define NEIGH_HEADER "entries  allocs   destroys hash_grows lookups  hits     res_failed " \
	"rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards " \
	"table_fulls"
#define NEIGH_ROW "%8 %8 %8 %8   %8 %8 %8   %8         %8         %8         %8       %8            %8"

static const struct rows_shape *shape(int f)
{
	static const struct rows_shape psched = { NULL, "%8 %8 %8 %8" };
	static const struct rows_shape rt6 = { NULL, "%4 %4 %4 %4 %4 %4 %4" };
	static const struct rows_shape softnet = {
		NULL, "%8 %8 %8 %8 %8 %8 %8 %8 %8 %8 %8 %8 %8 %8 %8"
	};
	static const struct rows_shape neigh = { NEIGH_HEADER, NEIGH_ROW };
	static const struct rows_shape rt_cache = {
		"entries  in_hit   in_slow_tot in_slow_mc in_no_route in_brd   in_martian_dst "
		"in_martian_src out_hit  out_slow_tot out_slow_mc gc_total gc_ignored gc_goal_miss "
		"gc_dst_overflow in_hlist_search out_hlist_search",
		"%8 %8 %8    %8   %8    %8 %8       %8       %8 %8     %8    %8 %8   %8     %8        "
		"%8        %8"
	};
	static const struct rows_shape conntrack = {
		"entries  clashres found new invalid ignore delete chainlength insert insert_failed "
		"drop early_drop icmp_error  expect_new expect_create expect_delete search_restart",
		"%8  %8 %8 %8 %8 %8 %8 %8 %8 %8 %8 %8 %8  %8 %8 %8 %8"
	};
	static const struct rows_shape synproxy = {
		"entries\t\tsyn_received\tcookie_invalid\tcookie_valid\tcookie_retrans\tconn_reopened",
		"%8\t%8\t%8\t%8\t%8\t%8"
	};
	switch (f) {
	case PL_NET_PSCHED: return &psched;
	case PL_NET_RT6_STATS: return &rt6;
	case PL_NET_SOFTNET_STAT: return &softnet;
	case PL_NET_STAT_ARP_CACHE: case PL_NET_STAT_NDISC_CACHE: return &neigh;
	case PL_NET_STAT_RT_CACHE: return &rt_cache;
	case PL_NET_STAT_NF_CONNTRACK: return &conntrack;
	case PL_NET_STAT_SYNPROXY: return &synproxy;
	default: return NULL;
	}
}

static void header(int f, const struct pl_net *net, struct pl_buf *out)
{
	(void)net;
	const struct rows_shape *s = shape(f);
	if (s->header) {
		pl_buf_puts(out, s->header);
		pl_buf_putc(out, '\n');
	}
}

static void record(int f, const void *rec, const struct pl_net_view *v, struct pl_buf *out)
{
	(void)v;
	const struct pl_hexrow *r = rec;
	unsigned col = 0;
	for (const char *t = shape(f)->row; *t; t++) {
		if (*t == '%') {
			t++;
			pl_net_put_hex(out, col < r->n ? r->v[col] : 0, *t - '0', 0);
			col++;
		} else {
			pl_buf_putc(out, *t);
		}
	}
	pl_buf_putc(out, '\n');
}

static int parse(struct pl_net_parse *p, const char *line, const char *nl, void *rec)
{
	struct pl_hexrow *r = rec;
	struct cur c = { line, nl };
	for (const char *t = shape(p->file)->row; *t && c.p; t++) {
		if (*t == '%') {
			t++;
			if (r->n == PL_HEXROW_MAX)
				return -EINVAL;
			/* lower-case digits only: the check against the record printed
			** back refuses the rest */
			r->v[r->n++] = cur_hex(&c, 0);
		} else {
			cur_ch(&c, *t);
		}
	}
	return c.p == nl ? 0 : -EINVAL;
}

const struct net_family pl_net_hexrows = {
	.elem = sizeof(struct pl_hexrow),
	.header = header,
	.record = record,
	.parse = parse,
};

/* stat/'s files: the same under their header */
const struct net_family pl_net_hexrows_headed = {
	.elem = sizeof(struct pl_hexrow),
	.header = header,
	.record = record,
	.parse = parse,
	.header_lines = 1,
};
