/*
** A world's machine tables: machine.sysvipc = { shm =, msg =, sem = },
** slabinfo, buddyinfo, zoneinfo, pagetypeinfo, devices, misc, consoles,
** execdomains, crypto, iomem, ioports and kallsyms (with kptr_restrict =
** 0, 1 or 2).  Each is the kernel's text; sysvipc's lists may also be records
**   shm: { key =, id =, mode = "0600", size =, cpid =, lpid =, nattch =,
**          uid =, gid =, cuid =, cgid =, atime =, dtime =, ctime =, rss =,
**          swap = }
**   msg: { key =, id =, mode =, cbytes =, qnum =, lspid =, lrpid =, uid =,
**          gid =, cuid =, cgid =, stime =, rtime =, ctime = }
**   sem: { key =, id =, mode =, nsems =, uid =, gid =, cuid =, cgid =,
**          otime =, ctime = }
** (cuid and cgid default to uid and gid, the rest to 0; mode to "0644").
** A record's line is made by the formatter and read back by the parser,
** so a world holds only what the kernel could show.  What is left out is
** a small Debian VM's: no IPC objects, no slab caches listed, its device
** majors, misc minors, serial console and Linux's execution domain, and no
** crypto algorithms, zones, resources or symbols.  iomem's and ioports'
** addresses are shown only to a reader with CAP_SYS_ADMIN in the top
** namespace, kallsyms' as kptr_restrict and the world's
** kernel.perf_event_paranoid say (format/kallsyms.c).
*/
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "record/sysctl.h"
#include "plua.h"
#include "world_build.h"

static const char debian_devices[] =
	"Character devices:\n"
	"  1 mem\n  4 /dev/vc/0\n  4 tty\n  4 ttyS\n  5 /dev/tty\n  5 /dev/console\n"
	"  5 /dev/ptmx\n  7 vcs\n 10 misc\n 13 input\n128 ptm\n136 pts\n"
	"\nBlock devices:\n"
	"  7 loop\n  9 md\n254 virtblk\n259 blkext\n";
static const char debian_misc[] =
	"183 hw_random\n229 fuse\n231 snapshot\n237 loop-control\n"
	"130 watchdog\n227 mcelog\n236 device-mapper\n";
static const char debian_consoles[] = "ttyS0                -W- (EC  p a)    4:64\n";
static const char linux_execdomains[] = "0-0\tLinux           \t[kernel]\n";
static const char debian_buddyinfo[] =
	"Node 0, zone      DMA      1      1      1      0      2      1      1      0      1      1      3 \n"
	"Node 0, zone    DMA32    300    200    100     80     40     20     10      5      4      2    200 \n";

/* The text of key, or dflt when absent: an error when neither text nor nil. */
static const char *text_of(struct world_build *wb, int idx, const char *key, const char *dflt,
                           size_t *len)
{
	lua_State *L = wb->L;
	int t = lua_getfield(L, idx, key);
	const char *s = dflt;
	if (t == LUA_TSTRING)
		s = lua_tolstring(L, -1, len);
	else if (t != LUA_TNIL)
		luaL_error(L, "world machine: %s must be the kernel's text", key);
	else
		*len = strlen(dflt);
	lua_pop(L, 1);    /* the world's table keeps the string */
	return s;
}

static void parse_text(struct world_build *wb, const char *what, const char *text, size_t len,
                       pl_machine_parser parse, struct pl_machine *m)
{
	wb->a->fail_line = 0;
	if (parse(text, len, wb->a, m) < 0) {
		if (wb->a->fail_line)
			luaL_error(wb->L, "world machine: %s is not text the kernel would print (line %d)",
			           what, (int)wb->a->fail_line);
		luaL_error(wb->L, "world machine: %s is not text the kernel would print", what);
	}
}

/* ---- sysvipc ---- */

static const char *const ipc_names[PL_IPC_KINDS] = { "shm", "msg", "sem" };
static const pl_machine_parser ipc_parse[PL_IPC_KINDS] = {
	pl_parse_sysvipc_shm, pl_parse_sysvipc_msg, pl_parse_sysvipc_sem
};
static int (*const ipc_fmt[PL_IPC_KINDS])(const struct pl_machine *, struct pl_buf *) = {
	pl_fmt_sysvipc_shm, pl_fmt_sysvipc_msg, pl_fmt_sysvipc_sem
};
/* each kind's fields, in the order of its line */
static const char *const ipc_keys[PL_IPC_KINDS][17] = {
	{ "key", "id", "mode", "size", "cpid", "lpid", "nattch", "uid", "gid", "cuid", "cgid",
	  "atime", "dtime", "ctime", "rss", "swap", NULL },
	{ "key", "id", "mode", "cbytes", "qnum", "lspid", "lrpid", "uid", "gid", "cuid", "cgid",
	  "stime", "rtime", "ctime", NULL },
	{ "key", "id", "mode", "nsems", "uid", "gid", "cuid", "cgid", "otime", "ctime", NULL },
};

static int64_t int_field(lua_State *L, int rec, const char *what, int i, const char *key,
                         int64_t dflt, int64_t lo, int64_t hi)
{
	int t = lua_getfield(L, rec, key);
	int ok = 0;
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	lua_pop(L, 1);
	if (t == LUA_TNIL)
		return dflt;
	if (t != LUA_TNUMBER || !ok || v < lo || v > hi)
		luaL_error(L, "world machine: sysvipc.%s[%d].%s must be an integer from %I to %I", what, i,
		           key, (lua_Integer)lo, (lua_Integer)hi);
	return (int64_t)v;
}

/* mode: a string of octal digits (Lua has no octal literals) */
static uint32_t mode_field(lua_State *L, int rec, const char *what, int i)
{
	int t = lua_getfield(L, rec, "mode");
	const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 1);
	if (t == LUA_TNIL)
		return 0644;
	char *end = NULL;
	unsigned long v = s && *s ? strtoul(s, &end, 8) : 0;
	/* the permission bits, SHM_DEST (01000) and SHM_LOCKED (02000) */
	if (!s || !*s || *end || strspn(s, "01234567") != strlen(s) || v > 03777)
		luaL_error(L, "world machine: sysvipc.%s[%d].mode must be octal digits up to \"3777\"",
		           what, i);
	return (uint32_t)v;
}

static void read_obj(lua_State *L, int rec, int kind, int i, struct pl_ipc_obj *o)
{
	const char *what = ipc_names[kind];
	lua_pushnil(L);
	while (lua_next(L, rec)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
		int known = 0;
		for (int j = 0; ipc_keys[kind][j] && !known; j++)
			known = strcmp(k, ipc_keys[kind][j]) == 0;
		if (!known)
			luaL_error(L, "world machine: sysvipc.%s[%d] has no field '%s'", what, i, k);
	}
	memset(o, 0, sizeof *o);
	const int64_t U32 = UINT32_MAX, I32 = INT32_MAX, BIG = INT64_MAX;
	o->key = (int32_t)int_field(L, rec, what, i, "key", 0, INT32_MIN, I32);
	o->id = (int32_t)int_field(L, rec, what, i, "id", 0, 0, I32);
	o->mode = mode_field(L, rec, what, i);
	o->uid = (uint32_t)int_field(L, rec, what, i, "uid", 0, 0, U32);
	o->gid = (uint32_t)int_field(L, rec, what, i, "gid", 0, 0, U32);
	o->cuid = (uint32_t)int_field(L, rec, what, i, "cuid", o->uid, 0, U32);
	o->cgid = (uint32_t)int_field(L, rec, what, i, "cgid", o->gid, 0, U32);
	static const char *const times[PL_IPC_KINDS][3] = {
		{ "atime", "dtime", "ctime" }, { "stime", "rtime", "ctime" }, { "otime", "ctime", NULL } };
	for (int k = 0; k < 3 && times[kind][k]; k++)
		o->time[k] = (uint64_t)int_field(L, rec, what, i, times[kind][k], 0, 0, BIG);
	switch (kind) {
	case PL_IPC_SHM:
		o->size = (uint64_t)int_field(L, rec, what, i, "size", 0, 0, BIG);
		o->pid[0] = (uint32_t)int_field(L, rec, what, i, "cpid", 0, 0, I32);
		o->pid[1] = (uint32_t)int_field(L, rec, what, i, "lpid", 0, 0, I32);
		o->count = (uint64_t)int_field(L, rec, what, i, "nattch", 0, 0, BIG);
		o->rss = (uint64_t)int_field(L, rec, what, i, "rss", 0, 0, BIG);
		o->swap = (uint64_t)int_field(L, rec, what, i, "swap", 0, 0, BIG);
		break;
	case PL_IPC_MSG:
		o->size = (uint64_t)int_field(L, rec, what, i, "cbytes", 0, 0, BIG);
		o->count = (uint64_t)int_field(L, rec, what, i, "qnum", 0, 0, BIG);
		o->pid[0] = (uint32_t)int_field(L, rec, what, i, "lspid", 0, 0, I32);
		o->pid[1] = (uint32_t)int_field(L, rec, what, i, "lrpid", 0, 0, I32);
		break;
	default:
		o->size = (uint64_t)int_field(L, rec, what, i, "nsems", 0, 0, 32000);
	}
}

/* One kind at the sysvipc table at idx: records made into the kernel's text, or the text. */
static void read_ipc_kind(struct world_build *wb, int idx, int kind, struct pl_machine *m)
{
	lua_State *L = wb->L;
	int t = lua_getfield(L, idx, ipc_names[kind]);
	int list = lua_gettop(L);
	struct pl_machine none;
	memset(&none, 0, sizeof none);
	struct pl_buf b = PL_BUF_INIT;
	if (t == LUA_TNIL || t == LUA_TTABLE) {
		lua_Integer n = t == LUA_TNIL ? 0 : luaL_len(L, list);
		struct pl_ipc_obj *objs = n ? pl_arena_alloc(wb->a, (size_t)n * sizeof *objs) : NULL;
		if (n && !objs)
			luaL_error(L, "world machine: out of memory");
		for (lua_Integer i = 1; i <= n; i++) {
			if (lua_geti(L, list, i) != LUA_TTABLE)
				luaL_error(L, "world machine: sysvipc.%s[%d] must be a table", ipc_names[kind],
				           (int)i);
			read_obj(L, lua_gettop(L), kind, (int)i, &objs[i - 1]);
			lua_pop(L, 1);
		}
		none.ipc[kind] = objs;
		none.nipc[kind] = (size_t)n;
		int rc = ipc_fmt[kind](&none, &b);
		if (rc < 0) {
			pl_buf_free(&b);
			luaL_error(L, "world machine: out of memory");
		}
		lua_pushlstring(L, b.data, b.len);
		pl_buf_free(&b);
	} else if (t != LUA_TSTRING) {
		luaL_error(L, "world machine: sysvipc.%s must be a list of objects or the kernel's text",
		           ipc_names[kind]);
	}
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	char what[32];
	snprintf(what, sizeof what, "sysvipc.%s", ipc_names[kind]);
	parse_text(wb, what, text, len, ipc_parse[kind], m);
	lua_settop(L, list - 1);
}

static void read_sysvipc(struct world_build *wb, int idx, struct pl_machine *m)
{
	lua_State *L = wb->L;
	int t = lua_getfield(L, idx, "sysvipc");
	int tab = lua_gettop(L);
	if (t == LUA_TNIL) {
		lua_newtable(L);
		lua_replace(L, tab);
	} else if (t != LUA_TTABLE) {
		luaL_error(L, "world machine: sysvipc must be a table { shm =, msg =, sem = }");
	}
	lua_pushnil(L);
	while (lua_next(L, tab)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
		if (strcmp(k, "shm") && strcmp(k, "msg") && strcmp(k, "sem"))
			luaL_error(L, "world machine: sysvipc has no '%s' (shm, msg, sem)", k);
	}
	for (int kind = 0; kind < PL_IPC_KINDS; kind++)
		read_ipc_kind(wb, tab, kind, m);
	lua_settop(L, tab - 1);
}

void plua_world_read_tables(struct world_build *wb, int idx, struct pl_machine *m)
{
	read_sysvipc(wb, idx, m);
	/* who sees kallsyms' addresses: kernel.kptr_restrict (a key of its
	** own) and kernel.perf_event_paranoid (the world's setting) */
	lua_State *L = wb->L;
	int t = lua_getfield(L, idx, "kptr_restrict");
	int ok = 0;
	lua_Integer kr = lua_tointegerx(L, -1, &ok);
	lua_pop(L, 1);
	if (t != LUA_TNIL && (!ok || kr < 0 || kr > 2))
		luaL_error(L, "world machine: kptr_restrict must be 0, 1 or 2");
	m->kptr_restrict = t == LUA_TNIL ? 0 : (uint32_t)kr;
	const struct pl_sysctl *paranoid = m->sysctl ? &m->sysctl[PL_SYSCTL_PERF_EVENT_PARANOID] : NULL;
	m->perf_event_paranoid = paranoid && paranoid->set ? (int32_t)(int64_t)paranoid->v[0] : 2;
	static const struct {
		const char *key, *dflt;
		pl_machine_parser parse;
	} texts[] = {
		{ "slabinfo", "", pl_parse_slabinfo },
		{ "buddyinfo", debian_buddyinfo, pl_parse_buddyinfo },
		{ "devices", debian_devices, pl_parse_devices },
		{ "misc", debian_misc, pl_parse_misc },
		{ "consoles", debian_consoles, pl_parse_consoles },
		{ "execdomains", linux_execdomains, pl_parse_execdomains },
		{ "crypto", "", pl_parse_crypto },
		{ "zoneinfo", "", pl_parse_zoneinfo },
		{ "pagetypeinfo", "", pl_parse_pagetypeinfo },
		{ "iomem", "", pl_parse_iomem },
		{ "ioports", "", pl_parse_ioports },
		{ "kallsyms", "", pl_parse_kallsyms },
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		size_t len = 0;
		const char *dflt = texts[i].dflt;
		char made[512];
		if (texts[i].parse == pl_parse_slabinfo) {
			/* the header alone: no cache listed */
			struct pl_machine none;
			memset(&none, 0, sizeof none);
			struct pl_buf b = PL_BUF_INIT;
			if (pl_fmt_slabinfo(&none, &b) < 0 || b.len >= sizeof made) {
				pl_buf_free(&b);
				luaL_error(wb->L, "world machine: out of memory");
			}
			memcpy(made, b.data, b.len);
			made[b.len] = '\0';
			pl_buf_free(&b);
			dflt = made;
		}
		const char *text = text_of(wb, idx, texts[i].key, dflt, &len);
		parse_text(wb, texts[i].key, text, len, texts[i].parse, m);
	}
}
