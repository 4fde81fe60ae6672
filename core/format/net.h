/*
** The net/ files: a formatter and a parser of the kernel's text for each
** (net.c dispatches, net_*.c hold the families).  A parser takes the text
** a line at a time, so the host source streams a large table (tcp of a
** busy machine) through a small buffer into the arena's records; each
** record line is checked by formatting the record back, so text this
** kernel would not print (another version's columns) is refused, never
** shown wrong.
*/
#ifndef PL_FORMAT_NET_H
#define PL_FORMAT_NET_H

#include <stddef.h>
#include <stdint.h>

#include "record/arena.h"
#include "record/buf.h"
#include "record/net.h"
#include "record/task.h"

/* How the reader sees the records: ids as its user namespace names them
** (uid columns), and whether %pK pointers show (kptr_restrict 1 hides
** them from a reader without CAP_SYSLOG). */
struct pl_net_view {
	const struct pl_idview *ids; /* NULL: as the top names them */
	int pointers;
};

/* File f of net as the reader `v` sees it (NULL: the top, pointers shown). */
int pl_fmt_net(int f, const struct pl_net *net, const struct pl_net_view *v, struct pl_buf *out);

/* Whether the kernel makes file f with single_open_net (snmp, snmp6,
** netstat, sockstat, sockstat6): such a file opens for writing (root's
** CAP_DAC_OVERRIDE) and refuses each write with EACCES, where the others
** (seq_open_net) refuse the open itself, even root's. */
int pl_net_single(int f);
/* What a write to file f opened for writing returns: -EACCES
** (single_open_net), -EIO (a file made without the net helpers, whose
** write procfs refuses), or 0 where the open itself is refused. */
int pl_net_write_error(int f);

/* Which files print uids (from_kuid_munged of the opener's namespace)
** and kernel pointers (%pK). */
int pl_net_names_ids(int f);
int pl_net_shows_pointers(int f);

/* A parse of file f, fed lines in order; records go into a, the list
** into net->list[f] at the end. */
struct pl_net_parse {
	int file;
	struct pl_arena *a;
	struct pl_net *net;
	unsigned line;             /* lines taken */
	void *v;                   /* the list being built */
	size_t n, cap;
	/* across lines: a line that waits for the next (snmp's names, igmp's
	** interface: the parse may not end there), igmp's interface */
	const char *section;
	size_t nnames;
	const char **names;
	struct pl_igmp dev;
	int have_dev;
	struct pl_buf check;       /* a record formatted back, to compare */
};

void pl_net_parse_begin(struct pl_net_parse *p, int f, struct pl_arena *a, struct pl_net *net);
/* One line [line, nl), nl at its '\n': 0, -EINVAL (not this kernel's
** text; a->fail_line says which), -ENOMEM. */
int pl_net_parse_line(struct pl_net_parse *p, const char *line, const char *nl);
/* The list into net (net->have gets the file): 0 or -errno.  Always
** frees what the parse held. */
int pl_net_parse_end(struct pl_net_parse *p, int rc);
/* A whole text at once (a world's, a capture's). */
int pl_parse_net(int f, const char *text, size_t len, struct pl_arena *a, struct pl_net *net);

/* dev_snmp6/<iface>: its text ("%-32s\t%u" its index, then "%-32s\t%lu"
** each counter), and the text of interface `name` read into out (0,
** -EINVAL: not this kernel's, -ENOMEM). */
int pl_fmt_dev_snmp6(const struct pl_dev_snmp6 *d, struct pl_buf *out);
int pl_parse_dev_snmp6(const char *name, const char *text, size_t len, struct pl_arena *a,
                       struct pl_dev_snmp6 *out);

#endif
