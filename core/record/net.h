/*
** The network namespace record: the facts of /proc/<pid>/net/, one list a
** file.  As for tasks, the host source parses the kernel's text of the
** task's namespace into it (format/net*.c), a world declares it, and both
** are served by the same formatters.  A load asks for one file; a world
** keeps every list of each of its namespaces.
**
** Addresses are kept as the kernel prints them: an IPv4 address of the
** socket tables is the 32-bit word of the __be32 read in the machine's
** order (%08X: 127.0.0.1 is 0100007F on a little-endian machine), an IPv6
** address its four such words; route's addresses likewise; if_inet6,
** ipv6_route and arp's addresses as bytes in network order.
*/
#ifndef PL_NET_H
#define PL_NET_H

#include <stddef.h>
#include <stdint.h>

/* The files: the socket and address tables tools read first, in the
** order Linux lists them (by name length, then name), then the rest
** (routing trie, multicast, statistics, netfilter's names, stat/'s
** files), likewise. */
enum pl_net_file {
	PL_NET_ARP, PL_NET_DEV, PL_NET_RAW, PL_NET_TCP, PL_NET_UDP, PL_NET_IGMP,
	PL_NET_RAW6, PL_NET_SNMP, PL_NET_TCP6, PL_NET_UDP6, PL_NET_UNIX, PL_NET_ROUTE,
	PL_NET_SNMP6, PL_NET_PACKET, PL_NET_NETLINK, PL_NET_NETSTAT, PL_NET_UDPLITE,
	PL_NET_IF_INET6, PL_NET_SOCKSTAT, PL_NET_UDPLITE6, PL_NET_DEV_MCAST,
	PL_NET_PROTOCOLS, PL_NET_SOCKSTAT6, PL_NET_IPV6_ROUTE,
	PL_NET_ICMP, PL_NET_ICMP6, PL_NET_IGMP6, PL_NET_PTYPE, PL_NET_PSCHED,
	PL_NET_ANYCAST6, PL_NET_FIB_TRIE, PL_NET_MCFILTER, PL_NET_MCFILTER6,
	PL_NET_RT6_STATS, PL_NET_XFRM_STAT, PL_NET_SOFTNET_STAT,
	PL_NET_IP_TABLES_NAMES, PL_NET_ARP_TABLES_NAMES, PL_NET_IP6_TABLES_NAMES,
	PL_NET_IP_TABLES_MATCHES, PL_NET_IP_TABLES_TARGETS, PL_NET_ARP_TABLES_MATCHES,
	PL_NET_ARP_TABLES_TARGETS, PL_NET_IP6_TABLES_MATCHES, PL_NET_IP6_TABLES_TARGETS,
	/* stat/ */
	PL_NET_STAT_RT_CACHE, PL_NET_STAT_SYNPROXY, PL_NET_STAT_ARP_CACHE,
	PL_NET_STAT_NDISC_CACHE, PL_NET_STAT_NF_CONNTRACK,
	PL_NET_RT_CACHE, PL_NET_CONNECTOR, PL_NET_FIB_TRIESTAT,
	PL_NET_NF_LOG,             /* netfilter/nf_log */
	PL_NET_COUNT
};
_Static_assert(PL_NET_COUNT <= 64, "pl_net.have is a 64-bit mask of the files");

/* The file's path under net/ ("tcp", "stat/rt_cache"), and the file of
** a path or -1. */
extern const char *const pl_net_names[PL_NET_COUNT];
int pl_net_lookup(const char *name);

/* tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6: one socket a line. */
struct pl_inet_sock {
	uint32_t local[4], remote[4]; /* [0] alone for IPv4 */
	uint64_t when;             /* tm->when, clock ticks (%08lX) */
	uint64_t inode;
	uint64_t sk;               /* the %pK pointer as the kernel gave it */
	uint64_t rto, ato;         /* tcp's full sockets */
	uint32_t sl;               /* tcp: the line's position; udp, raw: hash bucket */
	uint32_t tx_queue, rx_queue, retrnsmt, uid;
	uint32_t quick, cwnd;      /* tcp's full sockets ((quick << 1) | pingpong) */
	uint32_t drops;            /* udp, raw */
	int32_t timeout, refcnt;
	int32_t ssthresh;          /* tcp: -1 in initial slow start; a listener's fastopen qlen */
	uint16_t lport, rport;
	uint8_t state;             /* TCP_* (1 ESTABLISHED .. 10 LISTEN .. 12 NEW_SYN_RECV) */
	uint8_t timer;             /* tr */
	uint8_t full;              /* tcp: rto .. ssthresh printed (not TIME_WAIT, SYN_RECV) */
};

/* unix: one socket a line. */
struct pl_unix_sock {
	uint64_t sk, inode;
	uint32_t refcnt, protocol, flags;
	uint16_t type;             /* SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5 */
	uint8_t state;             /* SS_UNCONNECTED 1, SS_CONNECTING 2, SS_CONNECTED 3, ... */
	const char *path;          /* as printed: an abstract name with '@' for its NULs;
	                              NULL: unbound (no path, no space) */
};

/* packet: one AF_PACKET socket a line. */
struct pl_packet_sock {
	uint64_t sk, inode;
	int32_t refcnt, type, ifindex;
	uint32_t proto, running, rmem, uid;
};

/* netlink: one socket a line. */
struct pl_netlink_sock {
	uint64_t sk, inode;
	int32_t protocol, rmem, wmem, dump, refcnt;
	uint32_t portid, groups, drops;
};

/* dev: one interface's counters, in the file's column order. */
enum {
	PL_NETDEV_RX_BYTES, PL_NETDEV_RX_PACKETS, PL_NETDEV_RX_ERRS, PL_NETDEV_RX_DROP,
	PL_NETDEV_RX_FIFO, PL_NETDEV_RX_FRAME, PL_NETDEV_RX_COMPRESSED, PL_NETDEV_RX_MULTICAST,
	PL_NETDEV_TX_BYTES, PL_NETDEV_TX_PACKETS, PL_NETDEV_TX_ERRS, PL_NETDEV_TX_DROP,
	PL_NETDEV_TX_FIFO, PL_NETDEV_TX_COLLS, PL_NETDEV_TX_CARRIER, PL_NETDEV_TX_COMPRESSED,
	PL_NETDEV_FIELDS
};
extern const char *const pl_netdev_fields[PL_NETDEV_FIELDS]; /* "rx_bytes", ... */
struct pl_net_dev {
	const char *name;
	uint64_t v[PL_NETDEV_FIELDS];
};

/* dev_mcast: one multicast address of an interface. */
#define PL_MAX_ADDR_LEN 32
struct pl_dev_mcast {
	int32_t ifindex, refcount, global_use;
	const char *name;
	uint8_t addr_len;
	uint8_t addr[PL_MAX_ADDR_LEN];
};

/* A named counter of snmp, netstat, sockstat (values may be negative:
** Tcp's MaxConn is -1) and snmp6. */
struct pl_net_value {
	const char *name;
	uint64_t value;            /* the magnitude */
	uint8_t negative;
};

/* snmp, netstat ("Tcp:" names line, values line), sockstat, sockstat6
** ("TCP: inuse 0 orphan 0 ..."): a section of named counters. */
struct pl_net_section {
	const char *name;          /* "Tcp", "sockets" */
	const struct pl_net_value *v;
	size_t n;
};

/* route: one IPv4 route of the main table. */
struct pl_route4 {
	const char *iface;         /* "*" for none */
	uint32_t dest, gateway, mask; /* as printed (%08X of the __be32) */
	uint32_t flags, use, window, irtt;
	int32_t refcnt, metric, mtu;
};

/* ipv6_route: one IPv6 route. */
struct pl_route6 {
	uint8_t dest[16], src[16], next_hop[16];
	uint8_t dest_len, src_len;
	uint32_t metric, refcnt, use, flags;
	const char *dev;
};

/* if_inet6: one IPv6 address of an interface. */
struct pl_if6addr {
	uint8_t addr[16];
	uint32_t ifindex, prefix_len, scope, flags;
	const char *dev;
};

/* arp: one neighbour. */
struct pl_arp {
	uint8_t ip[4];
	uint32_t hw_type, flags;
	const char *hw_addr;       /* "02:fc:00:00:00:05" */
	const char *dev;
};

/* igmp: one group joined on an interface; the interface's line comes
** before its first group. */
struct pl_igmp {
	int32_t ifindex, count;
	const char *dev;
	const char *querier;       /* "V1", "V2", "V3" */
	uint32_t group;            /* as printed (%08X of the __be32) */
	int32_t users, running, reporter;
	uint64_t timer;
	uint8_t first;             /* prints the interface's line */
};

/* protocols: one protocol of the kernel's proto_list. */
struct pl_net_proto {
	const char *name;
	uint32_t size, maxhdr;
	int32_t sockets;
	int64_t memory;            /* -1: not accounted */
	const char *pressure;      /* "yes", "no", "NI" */
	const char *slab;          /* "yes", "no" */
	const char *module;
	const char *methods;       /* one 'y' or 'n' per method of the header */
};

/* fib_trie: one line of the walk of a table's trie (fib_trie_seq_show):
** a table's name, an inner node, a leaf (a key) or one of the leaf's
** aliases (a route of that key), indented by depth. */
enum { PL_FIB_TABLE, PL_FIB_TNODE, PL_FIB_LEAF, PL_FIB_ALIAS };
struct pl_fib_node {
	uint8_t kind;
	uint8_t depth;             /* three-space steps before the line */
	uint8_t addr[4];           /* tnode's prefix, leaf's key (%pI4) */
	uint32_t table;            /* PL_FIB_TABLE: 254 "Main", 255 "Local", else "Id %d" */
	uint32_t plen;             /* tnode: /len; alias: /len */
	uint32_t bits, full, empty; /* tnode: children bits, full and empty children */
	int32_t scope;             /* alias: RT_SCOPE_* */
	uint32_t type;             /* alias: RTN_* */
	int32_t tos;               /* alias: " tos=%d" when not 0 */
};

/* fib_triestat: one line (fib_triestat_seq_show, trie_show_stats): its
** kind and its numbers in the order the line prints them. */
enum {
	PL_FIBSTAT_BASIC,          /* leaf size, tnode size */
	PL_FIBSTAT_TABLE,          /* the table's id (254 Main, 255 Local) */
	PL_FIBSTAT_AVER,           /* average depth: whole, hundredths */
	PL_FIBSTAT_MAX, PL_FIBSTAT_LEAVES, PL_FIBSTAT_PREFIXES, PL_FIBSTAT_TNODES,
	PL_FIBSTAT_SIZES,          /* pairs: child bits, inner nodes with that many */
	PL_FIBSTAT_POINTERS, PL_FIBSTAT_NULLS, PL_FIBSTAT_TOTAL, /* kB */
	PL_FIBSTAT_KINDS
};
#define PL_FIBSTAT_MAX_VALUES 64
struct pl_fibstat {
	uint8_t kind, n;
	uint32_t v[PL_FIBSTAT_MAX_VALUES];
};

/* igmp6, anycast6, mcfilter, mcfilter6: one multicast (or anycast)
** address of an interface, with its source filter (mcfilter*). */
struct pl_mcaddr {
	int32_t ifindex, users;
	const char *dev;           /* mcfilter*: as printed (%6.6s: 6 bytes at most) */
	uint8_t addr[16], src[16]; /* IPv6, network order */
	uint32_t addr4, src4;      /* mcfilter: host order (%08x of ntohl) */
	uint32_t flags;            /* igmp6 */
	int64_t timer;             /* igmp6: ticks to the report timer */
	uint64_t inc, exc;         /* mcfilter*: the source filter's counts */
};

/* connector: a connector callback ("%-15s %u:%u"); netfilter/nf_log: a
** protocol family's loggers (" %2lld %s (a,b)"). */
struct pl_net_reg {
	const char *name;          /* connector: the callback; nf_log: the logger in
	                              use, NULL for NONE */
	const char *loggers;       /* nf_log: those registered, comma-separated */
	uint32_t idx, val;         /* connector: the callback's id; nf_log: idx the family */
};

/* ptype: one packet handler. */
#define PL_PTYPE_ALL (-1)
struct pl_ptype {
	int32_t type;              /* ethertype, or PL_PTYPE_ALL */
	const char *dev;           /* "" for every device */
	const char *func;          /* the handler's symbol (%ps) */
};

/* psched, rt6_stats, softnet_stat, stat/'s files: rows of hexadecimal
** counters (one row, or one a CPU) under a fixed header. */
#define PL_HEXROW_MAX 20
struct pl_hexrow {
	uint64_t v[PL_HEXROW_MAX];
	uint8_t n;
};

/* ip_tables_names and the like: one name a line. */
struct pl_net_name {
	const char *name;
};

/* dev_snmp6/<iface>: an IPv6 interface's counters ("ifIndex" first,
** then the rest as snmp6 prints them). */
struct pl_dev_snmp6 {
	const char *name;
	uint32_t ifindex;
	const struct pl_net_value *v;
	size_t n;
};

/* A file's records; the element type follows from the file (above). */
struct pl_net_list {
	const void *v;
	size_t n;
};

struct pl_net {
	uint64_t have;             /* 1ull << PL_NET_*: the lists filled */
	uint32_t uid, gid;         /* the files' owner: root of the namespace's user namespace */
	uint8_t kptr_restrict;     /* kernel.kptr_restrict as the records were read */
	struct pl_net_list list[PL_NET_COUNT];
	/* protocols: the header's method columns ("cl co di ...") */
	const char *proto_methods;
	/* route: the main table exists (a namespace that never had a route
	** has none, and its route file is empty, header and all) */
	uint8_t route_table;
	/* dev_snmp6/: the IPv6 interfaces, in the kernel's listing order */
	uint8_t have_ifaces;
	const struct pl_dev_snmp6 *ifaces;
	size_t nifaces;
};

#endif
