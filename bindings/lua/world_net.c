/*
** net = { ... } of a world: the net/ files of its network namespaces.
**
**   net = { tcp = {...}, dev = {...}, ... }         every task's namespace
**   net = { [4026532457] = { ... }, [4026531840] = { ... } }
**                                  the namespaces tasks name in ns.net;
**                                  string keys beside them: the others'
**
** A namespace is a table of files.  Each file may be given as the
** kernel's text (tcp = [[  sl  local_address ...]]), and the common ones
** as lists of records with defaults filled in as Linux would:
**
**   dev     { name = "eth0", rx_bytes = 1000, tx_packets = 9, ... }; lo first
**           unless listed
**   tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6
**           { local_address = "127.0.0.1:8080" (or local = , "[::1]:80"),
**             rem_address = "10.0.0.2:41000" (or remote =), state = "LISTEN",
**             inode = 1234, uid = 0, tx_queue =, rx_queue =, ... } -- the
**           state defaults to LISTEN (tcp) or CLOSE (udp, raw) with no
**           remote address, ESTABLISHED with one
**   unix    { path = "/run/app.sock" ("@name": abstract), type = "stream",
**             state = "LISTEN", inode = 1235 }
**   route   { iface = "eth0", destination = "0.0.0.0", gateway = "10.0.0.1",
**             mask = "0.0.0.0", metric = 100 }
**   if_inet6 { address = "::1", dev = "lo", prefix_len = 128 }
**   snmp, netstat  { Tcp = { ActiveOpens = 3 } }: counters over zeros
**   snmp6   { Ip6InReceives = 7 }       sockstat, sockstat6  { TCP = { mem = 2 } }
**   uid, gid: the files' owner (root of the namespace's user namespace)
**
** What a namespace leaves out is what a fresh one (unshare -n) shows:
** lo alone in dev (no traffic), no sockets but the kernel's own netlink
** ones, zero counters, lo's routes; sockstat counts the declared
** sockets.  A socket without an inode gets one of its own.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/net.h"
#include "plua.h"
#include "plua_facts.h"
#include "world_build.h"
#include "world_net.h"

/* One namespace being read. */
struct nb {
	struct world_build *wb;
	struct pl_net *net;
	uint64_t *next_inode;      /* shared by the world's namespaces */
	char where[40];            /* "world net", "world net 4026532457" */
	int text[PL_NET_COUNT];    /* the file is given as the kernel's text */
};

static lua_State *Lof(struct nb *b)
{
	return b->wb->L;
}

/* A key of the table at idx no field reads is a mistake (rx_byte = 1). */
static void check_keys(struct nb *b, int idx, const char *const *keys, const char *what)
{
	lua_State *L = Lof(b);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "%s %s: keys are names, not %s", b->where, what, luaL_typename(L, -1));
		const char *k = lua_tostring(L, -1);
		struct plua_near near;
		plua_near_init(&near, k);
		int known = 0;
		for (int i = 0; keys[i] && !known; i++) {
			known = strcmp(keys[i], k) == 0;
			plua_near_try(&near, keys[i]);
		}
		if (!known) {
			char hint[96];
			luaL_error(L, "%s %s: unknown field '%s'%s", b->where, what, k,
			           plua_near_hint(&near, hint, sizeof hint));
		}
	}
}

static uint64_t num(struct nb *b, int idx, const char *key, uint64_t dflt)
{
	return plua_world_int_field(b->wb, idx, key, dflt);
}

/* A string field, or NULL when absent. */
static const char *str(struct nb *b, int idx, const char *key, const char *what)
{
	lua_State *L = Lof(b);
	int t = lua_getfield(L, idx, key);
	const char *s = NULL;
	if (t == LUA_TSTRING)
		s = lua_tostring(L, -1);
	else if (t != LUA_TNIL)
		luaL_error(L, "%s %s: %s must be a string", b->where, what, key);
	lua_pop(L, 1); /* the table keeps the string */
	return s;
}

static const char *keep(struct nb *b, const char *s)
{
	char *k = pl_arena_strdup(b->wb->a, s);
	if (!k)
		luaL_error(Lof(b), "%s: out of memory", b->where);
	return k;
}

/* The word %08X prints for 4 address bytes, as on a little-endian machine. */
static uint32_t word_of(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void ipv4(struct nb *b, const char *s, const char *what, uint8_t out[4])
{
	if (inet_pton(AF_INET, s, out) != 1)
		luaL_error(Lof(b), "%s %s: '%s' is not an IPv4 address", b->where, what, s);
}

static void ipv6(struct nb *b, const char *s, const char *what, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		luaL_error(Lof(b), "%s %s: '%s' is not an IPv6 address", b->where, what, s);
}

/* "127.0.0.1:8080", "0.0.0.0" (port 0), "*:80"; "[::1]:8080", "::" */
static void sock_addr(struct nb *b, const char *s, int v6, const char *what, uint32_t w[4],
                      uint16_t *port)
{
	char host[64];
	const char *colon = NULL, *start = s;
	size_t n;
	if (v6 && s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || (close[1] && close[1] != ':'))
			luaL_error(Lof(b), "%s %s: '%s' is not [address]:port", b->where, what, s);
		start = s + 1;
		n = (size_t)(close - start);
		colon = close[1] ? close + 1 : NULL;
	} else if (v6) {
		n = strlen(s);
	} else {
		colon = strrchr(s, ':');
		n = colon ? (size_t)(colon - s) : strlen(s);
	}
	if (n >= sizeof host)
		luaL_error(Lof(b), "%s %s: '%s' is not an address", b->where, what, s);
	memcpy(host, start, n);
	host[n] = '\0';
	uint8_t a[16] = { 0 };
	if (strcmp(host, "*") != 0) {
		if (v6)
			ipv6(b, host, what, a);
		else
			ipv4(b, host, what, a);
	}
	for (int i = 0; i < (v6 ? 4 : 1); i++)
		w[i] = word_of(a + 4 * i);
	*port = 0;
	if (colon) {
		char *end;
		unsigned long p = strtoul(colon + 1, &end, 10);
		if (end == colon + 1 || *end || p > 65535)
			luaL_error(Lof(b), "%s %s: '%s' has no port 0 .. 65535", b->where, what, s);
		*port = (uint16_t)p;
	}
}

/* A name from names[], or a number. */
static uint64_t named(struct nb *b, int idx, const char *key, const char *const *names, size_t n,
                      uint64_t dflt, const char *what)
{
	lua_State *L = Lof(b);
	int t = lua_getfield(L, idx, key);
	uint64_t v = dflt;
	if (t == LUA_TSTRING) {
		const char *s = lua_tostring(L, -1);
		size_t i = 0;
		while (i < n && !(names[i] && strcmp(names[i], s) == 0))
			i++;
		if (i == n)
			luaL_error(L, "%s %s: unknown %s '%s'", b->where, what, key, s);
		v = i;
	} else if (t != LUA_TNIL) {
		v = plua_world_int_at(b->wb, -1, key);
	}
	lua_pop(L, 1);
	return v;
}

static uint64_t fresh_inode(struct nb *b)
{
	return (*b->next_inode)++;
}

/* ------------------------------------------------------------------------
** tcp, udp, raw and their IPv6 twins
*/

enum { TCP_ESTABLISHED = 1, TCP_SYN_RECV = 3, TCP_TIME_WAIT = 6, TCP_CLOSE = 7, TCP_LISTEN = 10 };
static const char *const tcp_states[] = {
	NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
	"CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
};

static const char *const inet_keys[] = {
	"local_address", "local", "rem_address", "remote", "protocol", "state", "sl", "tx_queue",
	"rx_queue", "timer", "when", "retrnsmt", "uid", "timeout", "inode", "refcnt", "sk", "full",
	"rto", "ato", "quick", "cwnd", "ssthresh", "drops", NULL
};

static int is_v6(int f)
{
	return f == PL_NET_TCP6 || f == PL_NET_UDP6 || f == PL_NET_UDPLITE6 || f == PL_NET_RAW6;
}

static void inet_end(struct nb *b, int idx, const char *key, const char *alias, int v6,
                     const char *what, uint32_t w[4], uint16_t *port)
{
	const char *s = str(b, idx, key, what);
	const char *a = str(b, idx, alias, what);
	if (s && a)
		luaL_error(Lof(b), "%s %s: give %s or %s, not both", b->where, what, key, alias);
	sock_addr(b, s ? s : a ? a : v6 ? "::" : "0.0.0.0", v6, what, w, port);
}

static void read_inet(struct nb *b, int idx, int f, size_t i, void *rec, const char *what)
{
	struct pl_inet_sock *k = rec;
	int v6 = is_v6(f), tcp = f == PL_NET_TCP || f == PL_NET_TCP6;
	int raw = f == PL_NET_RAW || f == PL_NET_RAW6;
	check_keys(b, idx, inet_keys, what);
	inet_end(b, idx, "local_address", "local", v6, what, k->local, &k->lport);
	inet_end(b, idx, "rem_address", "remote", v6, what, k->remote, &k->rport);
	if (raw && plua_world_has(Lof(b), idx, "protocol")) /* a raw socket's port is its protocol */
		k->lport = (uint16_t)num(b, idx, "protocol", 0);
	int connected = k->rport || k->remote[0] || k->remote[1] || k->remote[2] || k->remote[3];
	uint64_t state = named(b, idx, "state", tcp_states, sizeof tcp_states / sizeof *tcp_states,
	                       connected ? TCP_ESTABLISHED : tcp ? TCP_LISTEN : TCP_CLOSE, what);
	if (state > 255)
		luaL_error(Lof(b), "%s %s: state must be 0 .. 255", b->where, what);
	k->state = (uint8_t)state;
	/* a TIME_WAIT socket and a request (SYN_RECV) print the short form */
	int mini = tcp && (state == TCP_TIME_WAIT || state == TCP_SYN_RECV);
	lua_getfield(Lof(b), idx, "full");
	k->full = tcp && (lua_isnil(Lof(b), -1) ? !mini : lua_toboolean(Lof(b), -1));
	lua_pop(Lof(b), 1);
	/* udp hashes by port and a per-namespace mix, raw by protocol */
	k->sl = (uint32_t)num(b, idx, "sl", tcp ? i : raw ? k->lport & 255u : k->lport & 127u);
	k->tx_queue = (uint32_t)num(b, idx, "tx_queue", 0);
	k->rx_queue = (uint32_t)num(b, idx, "rx_queue", 0);
	k->timer = (uint8_t)num(b, idx, "timer", state == TCP_TIME_WAIT ? 3 : mini ? 1 : 0);
	k->when = num(b, idx, "when", 0);
	k->retrnsmt = (uint32_t)num(b, idx, "retrnsmt", 0);
	k->uid = (uint32_t)num(b, idx, "uid", 0);
	k->timeout = (int32_t)num(b, idx, "timeout", 0);
	k->inode = mini ? num(b, idx, "inode", 0) : plua_world_has(Lof(b), idx, "inode")
	                                             ? num(b, idx, "inode", 0) : fresh_inode(b);
	k->refcnt = (int32_t)num(b, idx, "refcnt", state == TCP_TIME_WAIT ? 3 : mini ? 0 : tcp ? 1 : 2);
	k->sk = num(b, idx, "sk", 0);
	int listen = state == TCP_LISTEN;
	k->rto = num(b, idx, "rto", listen ? 100 : 20);
	k->ato = num(b, idx, "ato", listen ? 0 : 4);
	k->quick = (uint32_t)num(b, idx, "quick", 0);
	k->cwnd = (uint32_t)num(b, idx, "cwnd", 10);
	k->ssthresh = (int32_t)num(b, idx, "ssthresh", listen ? 0 : (uint64_t)-1);
	k->drops = (uint32_t)num(b, idx, "drops", 0);
}

/* ------------------------------------------------------------------------
** unix
*/

static const char *const unix_keys[] = {
	"path", "type", "state", "flags", "st", "refcnt", "protocol", "inode", "sk", NULL
};
static const char *const unix_types[] = { NULL, "stream", "dgram", "raw", "rdm", "seqpacket" };
/* the socket states (SS_*), and LISTEN: unconnected and accepting */
static const char *const unix_states[] = {
	"FREE", "UNCONNECTED", "CONNECTING", "CONNECTED", "DISCONNECTING", "LISTEN"
};
#define SO_ACCEPTCON (1u << 16)

static void read_unix(struct nb *b, int idx, int f, size_t i, void *rec, const char *what)
{
	(void)f, (void)i;
	struct pl_unix_sock *u = rec;
	check_keys(b, idx, unix_keys, what);
	lua_State *L = Lof(b);
	if (lua_getfield(L, idx, "path") == LUA_TSTRING) {
		size_t n;
		const char *s = lua_tolstring(L, -1, &n);
		char *p = pl_arena_alloc(b->wb->a, n + 1);
		if (!p)
			luaL_error(L, "%s: out of memory", b->where);
		for (size_t j = 0; j < n; j++) /* an abstract name shows '@' for its NULs */
			p[j] = s[j] ? s[j] : '@';
		u->path = p;
	} else if (!lua_isnil(L, -1)) {
		luaL_error(L, "%s %s: path must be a string", b->where, what);
	}
	lua_pop(L, 1);
	u->type = (uint16_t)named(b, idx, "type", unix_types, sizeof unix_types / sizeof *unix_types,
	                          1, what);
	uint64_t state = named(b, idx, "state", unix_states, sizeof unix_states / sizeof *unix_states,
	                       1, what);
	u->state = (uint8_t)num(b, idx, "st", state == 5 ? 1 : state);
	u->flags = (uint32_t)num(b, idx, "flags", state == 5 ? SO_ACCEPTCON : 0);
	u->refcnt = (uint32_t)num(b, idx, "refcnt", 2);
	u->protocol = (uint32_t)num(b, idx, "protocol", 0);
	u->inode = plua_world_has(L, idx, "inode") ? num(b, idx, "inode", 0) : fresh_inode(b);
	u->sk = num(b, idx, "sk", 0);
}

/* ------------------------------------------------------------------------
** dev, route, if_inet6
*/

static void read_dev(struct nb *b, int idx, int f, size_t i, void *rec, const char *what)
{
	(void)f, (void)i;
	struct pl_net_dev *d = rec;
	static const char *keys[PL_NETDEV_FIELDS + 2];
	if (!keys[0]) {
		keys[0] = "name";
		for (int k = 0; k < PL_NETDEV_FIELDS; k++)
			keys[k + 1] = pl_netdev_fields[k];
	}
	check_keys(b, idx, keys, what);
	const char *name = str(b, idx, "name", what);
	if (!name || !*name || strlen(name) > 15 || strpbrk(name, ": /\t\n"))
		luaL_error(Lof(b), "%s %s: name must be an interface name (1 to 15 bytes, no ':', '/' "
		           "or blanks)", b->where, what);
	d->name = keep(b, name);
	for (int k = 0; k < PL_NETDEV_FIELDS; k++)
		d->v[k] = num(b, idx, pl_netdev_fields[k], 0);
}

static const char *const route_keys[] = {
	"iface", "destination", "gateway", "mask", "flags", "refcnt", "use", "metric", "mtu",
	"window", "irtt", NULL
};

static uint32_t v4_field(struct nb *b, int idx, const char *key, const char *what)
{
	const char *s = str(b, idx, key, what);
	uint8_t a[4] = { 0 };
	if (s)
		ipv4(b, s, what, a);
	return word_of(a);
}

static void read_route(struct nb *b, int idx, int f, size_t i, void *rec, const char *what)
{
	(void)f, (void)i;
	struct pl_route4 *r = rec;
	check_keys(b, idx, route_keys, what);
	const char *iface = str(b, idx, "iface", what);
	r->iface = keep(b, iface ? iface : "*");
	r->dest = v4_field(b, idx, "destination", what);
	r->gateway = v4_field(b, idx, "gateway", what);
	r->mask = v4_field(b, idx, "mask", what);
	/* RTF_UP, and RTF_GATEWAY through a gateway */
	r->flags = (uint32_t)num(b, idx, "flags", 1u | (r->gateway ? 2u : 0u));
	r->refcnt = (int32_t)num(b, idx, "refcnt", 0);
	r->use = (uint32_t)num(b, idx, "use", 0);
	r->metric = (int32_t)num(b, idx, "metric", 0);
	r->mtu = (int32_t)num(b, idx, "mtu", 0);
	r->window = (uint32_t)num(b, idx, "window", 0);
	r->irtt = (uint32_t)num(b, idx, "irtt", 0);
}

static const char *const if6_keys[] = {
	"address", "dev", "ifindex", "prefix_len", "scope", "flags", NULL
};

/* The interface's index: its place in dev (lo 1). */
static uint32_t ifindex_of(struct nb *b, const char *dev)
{
	const struct pl_net_list *l = &b->net->list[PL_NET_DEV];
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(((const struct pl_net_dev *)l->v)[i].name, dev) == 0)
			return (uint32_t)i + 1;
	return 0;
}

static void read_if6(struct nb *b, int idx, int f, size_t i, void *rec, const char *what)
{
	(void)f, (void)i;
	struct pl_if6addr *a = rec;
	check_keys(b, idx, if6_keys, what);
	const char *addr = str(b, idx, "address", what);
	const char *dev = str(b, idx, "dev", what);
	if (!addr || !dev)
		luaL_error(Lof(b), "%s %s: needs address and dev", b->where, what);
	ipv6(b, addr, what, a->addr);
	a->dev = keep(b, dev);
	static const uint8_t loopback[16] = { [15] = 1 };
	int lo = memcmp(a->addr, loopback, 16) == 0;
	int link = a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80;
	int site = a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0xc0;
	a->ifindex = (uint32_t)num(b, idx, "ifindex", ifindex_of(b, dev));
	if (!a->ifindex)
		luaL_error(Lof(b), "%s %s: dev '%s' is no interface of dev: give ifindex", b->where,
		           what, dev);
	a->prefix_len = (uint32_t)num(b, idx, "prefix_len", lo ? 128 : 64);
	/* IFA_HOST 0x10, IFA_LINK 0x20, IFA_SITE 0x40, global 0 */
	a->scope = (uint32_t)num(b, idx, "scope", lo ? 0x10 : link ? 0x20 : site ? 0x40 : 0);
	a->flags = (uint32_t)num(b, idx, "flags", 0x80); /* IFA_F_PERMANENT */
}

/* ------------------------------------------------------------------------
** files as lists of records
*/

typedef void (*record_reader)(struct nb *b, int idx, int f, size_t i, void *rec, const char *what);

static size_t elem_size(int f)
{
	switch (f) {
	case PL_NET_DEV: return sizeof(struct pl_net_dev);
	case PL_NET_UNIX: return sizeof(struct pl_unix_sock);
	case PL_NET_ROUTE: return sizeof(struct pl_route4);
	case PL_NET_IF_INET6: return sizeof(struct pl_if6addr);
	default: return sizeof(struct pl_inet_sock);
	}
}

static record_reader reader_of(int f)
{
	switch (f) {
	case PL_NET_DEV: return read_dev;
	case PL_NET_UNIX: return read_unix;
	case PL_NET_ROUTE: return read_route;
	case PL_NET_IF_INET6: return read_if6;
	case PL_NET_TCP: case PL_NET_TCP6: case PL_NET_UDP: case PL_NET_UDP6:
	case PL_NET_UDPLITE: case PL_NET_UDPLITE6: case PL_NET_RAW: case PL_NET_RAW6:
		return read_inet;
	default: return NULL;
	}
}

/* The list at idx, each record read; dev gets lo first unless it lists lo. */
static void read_records(struct nb *b, int idx, int f)
{
	lua_State *L = Lof(b);
	size_t n = plua_list_len(L, idx, 1u << 20, b->where, pl_net_names[f]);
	int add_lo = 0;
	if (f == PL_NET_DEV) {
		add_lo = 1;
		for (size_t i = 1; i <= n && add_lo; i++) {
			lua_geti(L, idx, (lua_Integer)i);
			if (lua_type(L, -1) == LUA_TTABLE && lua_getfield(L, -1, "name") == LUA_TSTRING &&
			    strcmp(lua_tostring(L, -1), "lo") == 0)
				add_lo = 0;
			lua_settop(L, idx);
		}
	}
	size_t size = elem_size(f), total = n + (size_t)add_lo;
	char *v = pl_arena_alloc(b->wb->a, (total ? total : 1) * size);
	if (!v)
		luaL_error(L, "%s: out of memory", b->where);
	if (add_lo)
		((struct pl_net_dev *)v)->name = "lo";
	record_reader read = reader_of(f);
	for (size_t i = 0; i < n; i++) {
		char what[48];
		snprintf(what, sizeof what, "%s[%zu]", pl_net_names[f], i + 1);
		snprintf(b->wb->who, sizeof b->wb->who, "%.20s %.26s", b->where, what);
		lua_geti(L, idx, (lua_Integer)i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s %s: a record is a table", b->where, what);
		read(b, lua_gettop(L), f, i, v + (i + (size_t)add_lo) * size, what);
		lua_pop(L, 1);
	}
	b->net->list[f].v = v;
	b->net->list[f].n = total;
}

/* ------------------------------------------------------------------------
** counters: over the fresh namespace's, or counted from the sockets
*/

static void parse_text(struct nb *b, int f, const char *text, size_t len)
{
	b->net->have &= ~(1ull << f);
	if (pl_parse_net(f, text, len, b->wb->a, b->net) < 0)
		luaL_error(Lof(b), "%s: %s is not text the kernel would print (line %d)", b->where,
		           pl_net_names[f], (int)b->wb->a->fail_line);
}

/* A list of named counters, not of sections. */
static int flat_counters(int f)
{
	return f == PL_NET_SNMP6 || f == PL_NET_XFRM_STAT;
}

/* The value `name` of section `sec` (NULL: snmp6's or xfrm_stat's one list). */
static struct pl_net_value *value_of(struct nb *b, int f, const char *sec, const char *name)
{
	struct pl_net_list *l = &b->net->list[f];
	if (flat_counters(f)) {
		struct pl_net_value *v = (struct pl_net_value *)l->v;
		for (size_t i = 0; i < l->n; i++)
			if (strcmp(v[i].name, name) == 0)
				return &v[i];
		return NULL;
	}
	struct pl_net_section *s = (struct pl_net_section *)l->v;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(s[i].name, sec) == 0)
			for (size_t j = 0; j < s[i].n; j++)
				if (strcmp(s[i].v[j].name, name) == 0)
					return (struct pl_net_value *)&s[i].v[j];
	return NULL;
}

static void set_value(struct nb *b, int f, const char *sec, const char *name, int64_t v)
{
	struct pl_net_value *x = value_of(b, f, sec, name);
	if (!x)
		luaL_error(Lof(b), "%s %s: no counter %s%s%s", b->where, pl_net_names[f],
		           sec ? sec : "", sec ? "." : "", name);
	x->negative = v < 0;
	x->value = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/* { Name = value } (snmp6) or { Section = { Name = value } } over the list */
static void override_counters(struct nb *b, int idx, int f)
{
	lua_State *L = Lof(b);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "%s %s: keys are names", b->where, pl_net_names[f]);
		const char *k = lua_tostring(L, -2);
		snprintf(b->wb->who, sizeof b->wb->who, "%.20s %.10s.%.15s", b->where, pl_net_names[f], k);
		if (flat_counters(f)) {
			set_value(b, f, NULL, k, (int64_t)plua_world_int_at(b->wb, -1, k));
		} else {
			if (!lua_istable(L, -1))
				luaL_error(L, "%s %s: %s = { Name = value, ... }", b->where, pl_net_names[f], k);
			int sec = lua_gettop(L);
			lua_pushnil(L);
			while (lua_next(L, sec)) {
				if (lua_type(L, -2) != LUA_TSTRING)
					luaL_error(L, "%s %s.%s: keys are names", b->where, pl_net_names[f], k);
				const char *name = lua_tostring(L, -2);
				set_value(b, f, k, name, (int64_t)plua_world_int_at(b->wb, -1, name));
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 1);
	}
}

static size_t count(struct nb *b, int f, int full_only)
{
	const struct pl_net_list *l = &b->net->list[f];
	if (!full_only)
		return l->n;
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += ((const struct pl_inet_sock *)l->v)[i].full;
	return n;
}

static size_t count_state(struct nb *b, int f, int state)
{
	const struct pl_net_list *l = &b->net->list[f];
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += ((const struct pl_inet_sock *)l->v)[i].state == state;
	return n;
}

/* sockstat and sockstat6 of the declared sockets (net/ipv4/proc.c: a
** socket in use is hashed and whole; time-wait ones counted apart; every
** socket a process made counts in sockets: used, the kernel's own do not) */
static void count_sockets(struct nb *b)
{
	size_t tcp = count(b, PL_NET_TCP, 1), tcp6 = count(b, PL_NET_TCP6, 1);
	size_t tw = count_state(b, PL_NET_TCP, TCP_TIME_WAIT) + count_state(b, PL_NET_TCP6, TCP_TIME_WAIT);
	size_t netlink = 0;
	const struct pl_net_list *nl = &b->net->list[PL_NET_NETLINK];
	for (size_t i = 0; i < nl->n; i++)
		netlink += ((const struct pl_netlink_sock *)nl->v)[i].portid != 0;
	size_t used = tcp + tcp6 + count(b, PL_NET_UDP, 0) + count(b, PL_NET_UDP6, 0) +
	              count(b, PL_NET_UDPLITE, 0) + count(b, PL_NET_UDPLITE6, 0) +
	              count(b, PL_NET_RAW, 0) + count(b, PL_NET_RAW6, 0) + count(b, PL_NET_UNIX, 0) +
	              count(b, PL_NET_PACKET, 0) + netlink;
	char text[512];
	if (!b->text[PL_NET_SOCKSTAT]) {
		int n = snprintf(text, sizeof text,
		                 "sockets: used %zu\nTCP: inuse %zu orphan 0 tw %zu alloc %zu mem 0\n"
		                 "UDP: inuse %zu mem 0\nUDPLITE: inuse %zu\nRAW: inuse %zu\n"
		                 "FRAG: inuse 0 memory 0\n",
		                 used, tcp, tw, tcp + tcp6, count(b, PL_NET_UDP, 0),
		                 count(b, PL_NET_UDPLITE, 0), count(b, PL_NET_RAW, 0));
		parse_text(b, PL_NET_SOCKSTAT, text, (size_t)n);
	}
	if (!b->text[PL_NET_SOCKSTAT6]) {
		int n = snprintf(text, sizeof text,
		                 "TCP6: inuse %zu\nUDP6: inuse %zu\nUDPLITE6: inuse %zu\nRAW6: inuse %zu\n"
		                 "FRAG6: inuse 0 memory 0\n",
		                 tcp6, count(b, PL_NET_UDP6, 0), count(b, PL_NET_UDPLITE6, 0),
		                 count(b, PL_NET_RAW6, 0));
		parse_text(b, PL_NET_SOCKSTAT6, text, (size_t)n);
	}
}

/* A fresh namespace's kernel netlink sockets (rtnetlink, sock_diag,
** xfrm, audit, fib_lookup, netfilter, uevent, generic), as it lists them. */
static void kernel_netlink(struct nb *b)
{
	static const int32_t protocols[] = { 0, 4, 6, 9, 10, 12, 15, 16 };
	size_t n = sizeof protocols / sizeof *protocols;
	struct pl_netlink_sock *v = pl_arena_alloc(b->wb->a, n * sizeof *v);
	if (!v)
		luaL_error(Lof(b), "%s: out of memory", b->where);
	for (size_t i = 0; i < n; i++) {
		v[i].protocol = protocols[i];
		v[i].refcnt = 2;
		v[i].inode = fresh_inode(b);
	}
	b->net->list[PL_NET_NETLINK].v = v;
	b->net->list[PL_NET_NETLINK].n = n;
}

/* ------------------------------------------------------------------------
** a namespace
*/

static const char *fresh_text(int f)
{
	switch (f) {
	case PL_NET_SNMP: return plua_net_fresh_snmp;
	case PL_NET_NETSTAT: return plua_net_fresh_netstat;
	case PL_NET_SNMP6: return plua_net_fresh_snmp6;
	case PL_NET_PROTOCOLS: return plua_net_fresh_protocols;
	case PL_NET_IPV6_ROUTE: return plua_net_fresh_ipv6_route;
	case PL_NET_XFRM_STAT: return plua_net_fresh_xfrm_stat;
	case PL_NET_IGMP6: return plua_net_fresh_igmp6;
	case PL_NET_PSCHED: return plua_net_fresh_psched;
	case PL_NET_RT6_STATS: return plua_net_fresh_rt6_stats;
	default: return NULL;
	}
}

static int counters(int f)
{
	return f == PL_NET_SNMP || f == PL_NET_NETSTAT || f == PL_NET_SNMP6 ||
	       f == PL_NET_SOCKSTAT || f == PL_NET_SOCKSTAT6 || f == PL_NET_XFRM_STAT;
}


/* Files that describe the machine's kernel, not a namespace (the CPUs'
** counters, the packet handlers, the netfilter modules loaded): a world
** has them where it declares them, else not at all. */
static int machine_wide(int f)
{
	return f == PL_NET_SOFTNET_STAT || f == PL_NET_PTYPE || f == PL_NET_CONNECTOR ||
	       f == PL_NET_NF_LOG || f == PL_NET_FIB_TRIESTAT ||
	       (f >= PL_NET_IP_TABLES_NAMES && f <= PL_NET_IP6_TABLES_TARGETS) ||
	       (f >= PL_NET_STAT_RT_CACHE && f <= PL_NET_STAT_NF_CONNTRACK);
}

/* In the order a file's defaults may depend on another's: dev (if_inet6's
** indexes), the sockets (sockstat's counts), then the rest. */
static const int read_order[] = {
	PL_NET_DEV, PL_NET_TCP, PL_NET_TCP6, PL_NET_UDP, PL_NET_UDP6, PL_NET_UDPLITE,
	PL_NET_UDPLITE6, PL_NET_RAW, PL_NET_RAW6, PL_NET_UNIX, PL_NET_PACKET, PL_NET_NETLINK,
	PL_NET_ROUTE, PL_NET_IF_INET6, PL_NET_IPV6_ROUTE, PL_NET_ARP, PL_NET_IGMP,
	PL_NET_DEV_MCAST, PL_NET_PROTOCOLS, PL_NET_SNMP, PL_NET_NETSTAT, PL_NET_SNMP6,
	PL_NET_SOCKSTAT, PL_NET_SOCKSTAT6,
	PL_NET_ICMP, PL_NET_ICMP6, PL_NET_IGMP6, PL_NET_PTYPE, PL_NET_PSCHED,
	PL_NET_ANYCAST6, PL_NET_FIB_TRIE, PL_NET_MCFILTER, PL_NET_MCFILTER6,
	PL_NET_RT6_STATS, PL_NET_XFRM_STAT, PL_NET_SOFTNET_STAT,
	PL_NET_IP_TABLES_NAMES, PL_NET_ARP_TABLES_NAMES, PL_NET_IP6_TABLES_NAMES,
	PL_NET_IP_TABLES_MATCHES, PL_NET_IP_TABLES_TARGETS, PL_NET_ARP_TABLES_MATCHES,
	PL_NET_ARP_TABLES_TARGETS, PL_NET_IP6_TABLES_MATCHES, PL_NET_IP6_TABLES_TARGETS,
	PL_NET_STAT_RT_CACHE, PL_NET_STAT_SYNPROXY, PL_NET_STAT_ARP_CACHE,
	PL_NET_STAT_NDISC_CACHE, PL_NET_STAT_NF_CONNTRACK, PL_NET_RT_CACHE, PL_NET_CONNECTOR,
	PL_NET_FIB_TRIESTAT, PL_NET_NF_LOG,
};
_Static_assert(sizeof read_order / sizeof read_order[0] == PL_NET_COUNT, "every file once");

static void defaults(struct nb *b, int f)
{
	lua_State *L = Lof(b);
	if (machine_wide(f))
		return;
	if (fresh_text(f)) {
		parse_text(b, f, fresh_text(f), strlen(fresh_text(f)));
		return;
	}
	if (f == PL_NET_DEV) { /* lo alone */
		lua_newtable(L);
		read_records(b, lua_gettop(L), f);
		lua_pop(L, 1);
	} else if (f == PL_NET_NETLINK) {
		kernel_netlink(b);
	} /* else no records (route: no main table either) */
	b->net->have |= 1ull << f;
}

static void read_file(struct nb *b, int ns, int f)
{
	lua_State *L = Lof(b);
	int t = ns ? lua_getfield(L, ns, pl_net_names[f]) : (lua_pushnil(L), LUA_TNIL);
	int idx = lua_gettop(L);
	int sockstat = f == PL_NET_SOCKSTAT || f == PL_NET_SOCKSTAT6;
	if (t == LUA_TSTRING) {
		size_t len;
		const char *text = lua_tolstring(L, idx, &len);
		parse_text(b, f, text, len);
	} else if (t == LUA_TTABLE && reader_of(f)) {
		read_records(b, idx, f);
		b->net->have |= 1ull << f;
		if (f == PL_NET_ROUTE)
			b->net->route_table = 1;
	} else if (t != LUA_TNIL && !(t == LUA_TTABLE && counters(f))) {
		luaL_error(L, "%s: %s is the kernel's text%s", b->where, pl_net_names[f],
		           reader_of(f) ? " or a list of records"
		           : counters(f) ? " or a table of counters" : "");
	} else if (!sockstat) { /* sockstat's were counted from the sockets */
		defaults(b, f);
	}
	if (t == LUA_TTABLE && counters(f))
		override_counters(b, idx, f);
	lua_settop(L, idx - 1);
}

/* ------------------------------------------------------------------------
** dev_snmp6/: an interface's counters
*/

/* The fresh counters of an interface, a copy of its own. */
static void fresh_iface(struct nb *b, const char *name, uint32_t ifindex, struct pl_dev_snmp6 *d)
{
	struct pl_net fresh;
	memset(&fresh, 0, sizeof fresh);
	if (pl_parse_net(PL_NET_SNMP6, plua_net_fresh_dev_snmp6, strlen(plua_net_fresh_dev_snmp6),
	                 b->wb->a, &fresh) < 0)
		luaL_error(Lof(b), "%s dev_snmp6: out of memory", b->where);
	d->name = keep(b, name);
	d->ifindex = ifindex;
	d->v = fresh.list[PL_NET_SNMP6].v;
	d->n = fresh.list[PL_NET_SNMP6].n;
}

/* One declared interface: the kernel's text, or counters over zeros. */
static void read_iface(struct nb *b, int idx, const char *name, struct pl_dev_snmp6 *d)
{
	lua_State *L = Lof(b);
	if (!*name || strlen(name) >= 16 || strchr(name, '/') || strchr(name, ' '))
		luaL_error(L, "%s dev_snmp6: '%s' is no interface name", b->where, name);
	if (lua_type(L, idx) == LUA_TSTRING) {
		size_t len;
		const char *text = lua_tolstring(L, idx, &len);
		if (pl_parse_dev_snmp6(name, text, len, b->wb->a, d) < 0)
			luaL_error(L, "%s dev_snmp6.%s is not text the kernel would print (line %d)", b->where,
			           name, (int)b->wb->a->fail_line);
		return;
	}
	if (!lua_istable(L, idx))
		luaL_error(L, "%s dev_snmp6.%s: the kernel's text or { Counter = value, ... }", b->where, name);
	uint32_t ifindex = (uint32_t)num(b, idx, "ifIndex", ifindex_of(b, name));
	if (!ifindex)
		luaL_error(L, "%s dev_snmp6.%s: no interface of dev: give ifIndex", b->where, name);
	fresh_iface(b, name, ifindex, d);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "%s dev_snmp6.%s: keys are names", b->where, name);
		const char *k = lua_tostring(L, -2);
		if (strcmp(k, "ifIndex") != 0) {
			struct pl_net_value *x = NULL;
			for (size_t i = 0; i < d->n && !x; i++)
				if (strcmp(d->v[i].name, k) == 0)
					x = (struct pl_net_value *)&d->v[i];
			if (!x)
				luaL_error(L, "%s dev_snmp6.%s: no counter %s", b->where, name, k);
			uint64_t v = plua_world_int_at(b->wb, -1, k);
			x->value = v;
			x->negative = 0;
		}
		lua_pop(L, 1);
	}
}

/* As the kernel lists a directory: by length, then by name. */
static int by_proc_order(const void *x, const void *y)
{
	const char *a = ((const struct pl_dev_snmp6 *)x)->name, *b = ((const struct pl_dev_snmp6 *)y)->name;
	size_t la = strlen(a), lb = strlen(b);
	return la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
}

/* dev_snmp6 = { eth0 = ..., ... }: the declared interfaces; without it,
** each interface of dev with zero counters. */
static void read_ifaces(struct nb *b, int ns)
{
	lua_State *L = Lof(b);
	int t = ns ? lua_getfield(L, ns, "dev_snmp6") : (lua_pushnil(L), LUA_TNIL);
	int idx = lua_gettop(L);
	size_t n = 0;
	struct pl_dev_snmp6 *v;
	if (t == LUA_TNIL) {
		const struct pl_net_list *dev = &b->net->list[PL_NET_DEV];
		v = pl_arena_alloc(b->wb->a, (dev->n + 1) * sizeof *v);
		if (!v)
			luaL_error(L, "%s: out of memory", b->where);
		for (; n < dev->n; n++)
			fresh_iface(b, ((const struct pl_net_dev *)dev->v)[n].name, (uint32_t)n + 1, &v[n]);
	} else {
		if (t != LUA_TTABLE)
			luaL_error(L, "%s: dev_snmp6 is { iface = the kernel's text or counters, ... }", b->where);
		size_t cap = 0;
		for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
			cap++;
		v = pl_arena_alloc(b->wb->a, (cap + 1) * sizeof *v);
		if (!v)
			luaL_error(L, "%s: out of memory", b->where);
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "%s dev_snmp6: keys are interface names", b->where);
			read_iface(b, lua_gettop(L), lua_tostring(L, -2), &v[n++]);
			lua_pop(L, 1);
		}
	}
	qsort(v, n, sizeof *v, by_proc_order);
	b->net->ifaces = v;
	b->net->nifaces = n;
	b->net->have_ifaces = 1;
	lua_settop(L, idx - 1);
}

static void read_namespace(struct world_build *wb, int ns, uint64_t ino, uint64_t *next_inode)
{
	struct nb b = { wb, pl_model_netns(wb->m, ino), next_inode, "", { 0 } };
	if (!b.net)
		luaL_error(wb->L, "world net: out of memory");
	if (ino)
		snprintf(b.where, sizeof b.where, "world net %llu", (unsigned long long)ino);
	else
		snprintf(b.where, sizeof b.where, "world net");
	if (ns) {
		static const char *keys[PL_NET_COUNT + 4];
		if (!keys[0]) {
			for (int f = 0; f < PL_NET_COUNT; f++)
				keys[f] = pl_net_names[f];
			keys[PL_NET_COUNT] = "uid";
			keys[PL_NET_COUNT + 1] = "gid";
			keys[PL_NET_COUNT + 2] = "dev_snmp6";
		}
		check_keys(&b, ns, keys, "");
		snprintf(wb->who, sizeof wb->who, "%.40s", b.where);
		b.net->uid = (uint32_t)num(&b, ns, "uid", 0);
		b.net->gid = (uint32_t)num(&b, ns, "gid", 0);
		for (int f = 0; f < PL_NET_COUNT; f++) { /* one at a time: the stack has room for few */
			b.text[f] = lua_getfield(wb->L, ns, pl_net_names[f]) == LUA_TSTRING;
			lua_pop(wb->L, 1);
		}
	}
	for (int i = 0; i < PL_NET_COUNT; i++) {
		/* sockstat and sockstat6 count the sockets read before them */
		if (read_order[i] == PL_NET_SOCKSTAT)
			count_sockets(&b);
		read_file(&b, ns, read_order[i]);
	}
	read_ifaces(&b, ns);
}

void plua_world_read_net(struct world_build *wb, int idx)
{
	lua_State *L = wb->L;
	uint64_t next_inode = 100000;
	if (!idx) { /* no net = {}: one fresh namespace for every task */
		read_namespace(wb, 0, 0, &next_inode);
		return;
	}
	luaL_checktype(L, idx, LUA_TTABLE);
	int others = 0, any_ino = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING)
			others = 1;
		else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0)
			any_ino = 1;
		else
			luaL_error(L, "world net: keys are file names or namespace inodes, not %s",
			           luaL_typename(L, -1));
	}
	if (any_ino) {
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			if (lua_type(L, -2) != LUA_TSTRING) {
				if (!lua_istable(L, -1))
					luaL_error(L, "world net %I: a namespace is a table of files",
					           lua_tointeger(L, -2));
				read_namespace(wb, lua_gettop(L), (uint64_t)lua_tointeger(L, -2), &next_inode);
			}
			lua_pop(L, 1);
		}
	}
	if (!others) { /* the namespaces not named are fresh ones */
		read_namespace(wb, 0, 0, &next_inode);
		return;
	}
	/* the string keys alone: the record of the other namespaces */
	lua_newtable(L);
	int rest = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) == LUA_TSTRING) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_settable(L, rest);
		} else {
			lua_pop(L, 1);
		}
	}
	read_namespace(wb, rest, 0, &next_inode);
	lua_pop(L, 1);
}
