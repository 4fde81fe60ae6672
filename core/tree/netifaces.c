/*
** net/dev_snmp6/: a file per IPv6 interface of the task's network
** namespace, named by the interface, its counters (snmp6's, per device:
** net/ipv6/proc.c snmp6_register_dev), read only (0444, the namespace
** root's).  The names and what they hold come from the source
** (load_net_ifaces), anew at each request; a file's inode is its
** interface's index (node.h), so a renamed interface keeps its file.
** Each worker remembers the names its last lookups found for an index: a
** request by inode tries that name first (its index checked), and reads
** every interface only when the name no longer has that index.
*/
#include "tree/node.h"

#include <errno.h>
#include <string.h>

#include "format/net.h"
#include "record/scratch.h"

#define HINTS 8
static _Thread_local struct hint {
	pl_pid tgid, tid;
	uint32_t ifindex;
	char name[16];
} hints[HINTS];
static _Thread_local unsigned next_hint;

static void remember(struct node dir, const struct pl_dev_snmp6 *d)
{
	if (strlen(d->name) >= sizeof hints[0].name)
		return;
	struct hint *h = &hints[next_hint++ % HINTS];
	h->tgid = dir.tgid;
	h->tid = dir.tid;
	h->ifindex = d->ifindex;
	strcpy(h->name, d->name);
}

static int load(struct pl_tree *k, struct node n, const char *only, struct pl_net *net)
{
	if (!k->src->ops->load_net_ifaces)
		return -ENOENT;
	memset(net, 0, sizeof *net);
	int rc = k->src->ops->load_net_ifaces(k->src, n.tgid, n.tid, only, &pl_scratch()->arena, net);
	return rc == -ESRCH ? -ENOENT : rc;
}

static void file_attr(struct node dir, const struct pl_net *net, uint32_t ifindex,
                      struct pl_attr *out)
{
	memset(out, 0, sizeof *out);
	out->ino = make_ino(dir.tgid, dir.tid, iface_slot(ifindex));
	out->mode = S_IFREG | 0444;
	out->nlink = 1;
	out->uid = net->uid;
	out->gid = net->gid;
	out->cache = PL_CACHE_NAME;
}

int tree_ifaces_lookup(struct pl_tree *k, struct node dir, const char *name, struct pl_attr *out)
{
	struct pl_net net;
	int rc = load(k, dir, name, &net);
	if (rc < 0)
		return rc;
	if (net.nifaces != 1 || net.ifaces[0].ifindex >= IFACE_MAX)
		return -ENOENT;
	remember(dir, &net.ifaces[0]);
	file_attr(dir, &net, net.ifaces[0].ifindex, out);
	return 0;
}

int tree_ifaces_list(struct pl_tree *k, struct node dir,
                     void (*add)(void *arg, uint64_t ino, uint64_t off, const char *name),
                     void *arg)
{
	struct pl_net net;
	int rc = load(k, dir, NULL, &net);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < net.nifaces; i++)
		if (net.ifaces[i].ifindex < IFACE_MAX)
			add(arg, make_ino(dir.tgid, dir.tid, iface_slot(net.ifaces[i].ifindex)),
			    (uint64_t)i + 3, net.ifaces[i].name);
	return 0;
}

/* The interface of file n, while the namespace has it. */
static const struct pl_dev_snmp6 *find(struct pl_tree *k, struct node n, struct pl_net *net,
                                       int *rc)
{
	for (unsigned i = 0; i < HINTS; i++) {
		const struct hint *h = &hints[i];
		if (h->name[0] && h->tgid == n.tgid && h->tid == n.tid && h->ifindex == ifindex_of(n.slot) &&
		    load(k, n, h->name, net) == 0 && net->nifaces == 1 &&
		    net->ifaces[0].ifindex == h->ifindex) {
			*rc = 0;
			return &net->ifaces[0];
		}
	}
	if ((*rc = load(k, n, NULL, net)) < 0)
		return NULL;
	for (size_t i = 0; i < net->nifaces; i++)
		if (net->ifaces[i].ifindex == ifindex_of(n.slot)) {
			remember(n, &net->ifaces[i]);
			return &net->ifaces[i];
		}
	*rc = -ENOENT;
	return NULL;
}

int tree_ifaces_getattr(struct pl_tree *k, struct node n, struct pl_attr *out)
{
	struct pl_net net;
	int rc;
	const struct pl_dev_snmp6 *d = find(k, n, &net, &rc);
	if (d)
		file_attr(n, &net, d->ifindex, out);
	return rc;
}

int tree_ifaces_read(struct pl_tree *k, struct node n, struct pl_buf *out)
{
	struct pl_net net;
	int rc;
	const struct pl_dev_snmp6 *d = find(k, n, &net, &rc);
	return d ? pl_fmt_dev_snmp6(d, out) : rc;
}
