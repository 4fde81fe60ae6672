/*
** The one table of task facts (see plua_facts.h).  Scalars convert by type;
** list facts travel as the kernel's own text where the kernel has a file for
** them (maps, mounts, limits, cgroups, id maps), through the core's parsers
** and formatters, so a world can paste a file it saw and a capture can print
** what it read; the rest (ids, groups, namespaces, auxv) as Lua lists.
*/
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "tree/builtin.h"
#include "plua.h"
#include "plua_facts.h"

/* ------------------------------------------------------------------------
** values
*/

/* Integers may be written as Lua integers or as strings ("0x1f", "077"),
** which is how 64-bit masks above 2^63 survive. */
static int to_u64(lua_State *L, int idx, uint64_t *out)
{
	if (lua_isinteger(L, idx)) {
		*out = (uint64_t)lua_tointeger(L, idx);
		return 1;
	}
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tostring(L, idx);
		char *end;
		int neg = s[0] == '-';
		errno = 0;
		uint64_t v = strtoull(neg ? s + 1 : s, &end, 0);
		if (*end || end == s || errno)
			return 0;
		*out = neg ? (uint64_t)0 - v : v;
		return 1;
	}
	return 0;
}

static uint64_t int_at(const struct plua_fact_ctx *c, int idx, const char *what)
{
	uint64_t v = 0;
	if (!to_u64(c->L, idx, &v))
		luaL_error(c->L, "%s: %s must be an integer", c->who, what);
	return v;
}

/* Beyond a Lua integer: hex text, which reads back to the same bits. */
static void push_u64(lua_State *L, uint64_t v)
{
	if (v > (uint64_t)INT64_MAX) {
		char hex[24];
		snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)v);
		lua_pushstring(L, hex);
	} else {
		lua_pushinteger(L, (lua_Integer)v);
	}
}

static const char *text_at(const struct plua_fact_ctx *c, int idx, const char *what, size_t *len)
{
	if (lua_type(c->L, idx) != LUA_TSTRING)
		luaL_error(c->L, "%s: %s must be the file's text (a string)", c->who, what);
	return lua_tolstring(c->L, idx, len);
}

static void parse_text(const struct plua_fact_ctx *c, int idx, const char *what,
                       pl_task_parser parse, struct pl_task *t)
{
	size_t len;
	const char *text = text_at(c, idx, what, &len);
	if (parse(text, len, c->a, t) < 0)
		luaL_error(c->L, "%s: %s is not text the kernel would print", c->who, what);
}

/* The formatter's bytes as a string; nothing when it fails. */
static int push_text(lua_State *L, int (*fmt)(const struct pl_task *, struct pl_buf *),
                     const struct pl_task *t)
{
	struct pl_buf b = PL_BUF_INIT;
	int ok = fmt(t, &b) == 0 && !b.oom;
	if (ok)
		lua_pushlstring(L, b.data ? b.data : "", b.len);
	pl_buf_free(&b);
	return ok;
}

static int push_u32s(lua_State *L, const uint32_t *v, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

size_t plua_list_len(lua_State *L, int idx, size_t max, const char *who, const char *what)
{
	lua_Integer n = luaL_len(L, idx);
	if (n < 0 || (uint64_t)n > max)
		luaL_error(L, "%s: %s has %I entries; at most %I", who, what, n, (lua_Integer)max);
	return (size_t)n;
}

static void *alloc_or_raise(const struct plua_fact_ctx *c, size_t n)
{
	void *p = pl_arena_alloc(c->a, n);
	if (!p)
		luaL_error(c->L, "%s: out of memory", c->who);
	return p;
}

/* ------------------------------------------------------------------------
** list facts: how each is set from a world and pushed to Lua
*/

/* Linux's NGROUPS_MAX: setgroups refuses more. */
#define GROUPS_MAX 65536
/* The kernel keeps AT_VECTOR_SIZE words of auxv, a few dozen pairs; a
** world may add a few of its own, not millions. */
#define AUXV_MAX_PAIRS 1024

/* uid = 1000 or { real, effective, saved, fs } */
static void set_ids(const struct plua_fact_ctx *c, int idx, uint32_t ids[4], const char *what)
{
	lua_State *L = c->L;
	if (lua_istable(L, idx)) {
		for (int i = 0; i < 4; i++) {
			lua_geti(L, idx, i + 1);
			ids[i] = (uint32_t)int_at(c, -1, what);
			lua_pop(L, 1);
		}
	} else {
		uint32_t v = (uint32_t)int_at(c, idx, what);
		ids[0] = ids[1] = ids[2] = ids[3] = v;
	}
}
static void set_uid(const struct plua_fact_ctx *c, int idx, struct pl_task *t) { set_ids(c, idx, t->cred.uid, "uid"); }
static void set_gid(const struct plua_fact_ctx *c, int idx, struct pl_task *t) { set_ids(c, idx, t->cred.gid, "gid"); }

static void set_groups(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = plua_list_len(L, idx, GROUPS_MAX, c->who, "groups");
	uint32_t *g = alloc_or_raise(c, (n ? n : 1) * sizeof *g);
	for (size_t i = 0; i < n; i++) {
		lua_geti(L, idx, (lua_Integer)i + 1);
		g[i] = (uint32_t)int_at(c, -1, "groups[]");
		lua_pop(L, 1);
	}
	t->groups = g;
	t->ngroups = n;
}
static int push_groups(lua_State *L, const struct pl_task *t) { return push_u32s(L, t->groups, t->ngroups); }

static void set_nspid(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_Integer n = luaL_len(L, idx); /* compared before any cast: 2^32 + 1 is not 1 */
	if (n < 1 || n > PL_NSPID_MAX)
		luaL_error(L, "%s: a pid namespace list has 1 to %d levels", c->who, PL_NSPID_MAX);
	for (int i = 0; i < n; i++) {
		lua_geti(L, idx, i + 1);
		t->nspid[i] = (pl_pid)int_at(c, -1, "nspid[]");
		lua_pop(L, 1);
	}
	t->ns_levels = (int)n;
}
static int push_nspid(lua_State *L, const struct pl_task *t)
{
	if (t->ns_levels < 1) /* a status from before 4.1 (no NSpid): a world's default */
		return 0;
	return push_u32s(L, (const uint32_t *)t->nspid, (size_t)t->ns_levels);
}

/* cpus_allowed = "3", mems_allowed = "00000000,...,00000001": as status prints them */
static void set_bitmap(const struct plua_fact_ctx *c, int idx, const char *what, struct pl_bitmap *b)
{
	size_t len;
	const char *text = text_at(c, idx, what, &len);
	if (pl_parse_bitmap(text, len, b) < 0)
		luaL_error(c->L, "%s: %s must be a mask as status prints it (\"3\", \"ff,ffffffff\")",
		           c->who, what);
}
static int push_bitmap(lua_State *L, const struct pl_bitmap *m)
{
	struct pl_buf b = PL_BUF_INIT;
	int ok = pl_fmt_bitmap(m, &b) == 0;
	if (ok)
		lua_pushlstring(L, b.data ? b.data : "", b.len);
	pl_buf_free(&b);
	return ok;
}
static void set_cpus(const struct plua_fact_ctx *c, int idx, struct pl_task *t) { set_bitmap(c, idx, "cpus_allowed", &t->cpus_allowed); }
static void set_mems(const struct plua_fact_ctx *c, int idx, struct pl_task *t) { set_bitmap(c, idx, "mems_allowed", &t->mems_allowed); }
static int push_cpus(lua_State *L, const struct pl_task *t) { return push_bitmap(L, &t->cpus_allowed); }
static int push_mems(lua_State *L, const struct pl_task *t) { return push_bitmap(L, &t->mems_allowed); }

void plua_region_defaults(struct pl_arena *a, lua_State *L, struct pl_region *r)
{
	uint64_t *kb = pl_arena_alloc(a, PL_SMAPS_NFIELDS * sizeof *kb);
	if (!kb)
		luaL_error(L, "out of memory");
	kb[PL_SM_SIZE] = (r->end - r->start) / 1024;
	kb[PL_SM_KERNELPAGESIZE] = kb[PL_SM_MMUPAGESIZE] = 4;
	r->kb = kb;
	char flags[64] = "";
	if (r->perms[0] == 'r') strcat(flags, "rd ");
	if (r->perms[1] == 'w') strcat(flags, "wr ");
	if (r->perms[2] == 'x') strcat(flags, "ex ");
	if (r->perms[3] == 's') strcat(flags, "sh ");
	strcat(flags, "mr mw me ");
	if (r->perms[3] == 's') strcat(flags, "ms ");
	if (r->name && strcmp(r->name, "[stack]") == 0) strcat(flags, "gd ");
	if (r->perms[3] == 'p' && r->perms[1] == 'w') strcat(flags, "ac ");
	r->vmflags = pl_arena_strdup(a, flags);
}

/* maps alone: each region still has what smaps always prints (its size,
** 4 kB pages, the VmFlags its permissions imply); a world that wants
** resident figures gives smaps instead. */
static void set_maps(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	parse_text(c, idx, "maps", pl_parse_maps, t);
	for (size_t i = 0; i < t->nregions; i++)
		plua_region_defaults(c->a, c->L, (struct pl_region *)&t->regions[i]);
}

#define TEXT_FACT(fn, key, parser, formatter) \
	static void set_##fn(const struct plua_fact_ctx *c, int idx, struct pl_task *t) \
	{ parse_text(c, idx, key, parser, t); } \
	static int push_##fn(lua_State *L, const struct pl_task *t) { return push_text(L, formatter, t); }
TEXT_FACT(smaps, "smaps", pl_parse_smaps, pl_fmt_smaps)
TEXT_FACT(mountinfo, "mountinfo", pl_parse_mountinfo, pl_fmt_mountinfo)
TEXT_FACT(cgroup, "cgroup", pl_parse_cgroup, pl_fmt_cgroup)
TEXT_FACT(limits, "limits", pl_parse_limits, pl_fmt_limits)
TEXT_FACT(uid_map, "uid_map", pl_parse_uid_map, pl_fmt_uid_map)
TEXT_FACT(gid_map, "gid_map", pl_parse_gid_map, pl_fmt_gid_map)
TEXT_FACT(projid_map, "projid_map", pl_parse_projid_map, pl_fmt_projid_map)
TEXT_FACT(numa_maps, "numa_maps", pl_parse_numa_maps, pl_fmt_numa_maps)
TEXT_FACT(rollup, "smaps_rollup", pl_parse_smaps_rollup, pl_fmt_smaps_rollup)
static int push_maps(lua_State *L, const struct pl_task *t) { return push_text(L, pl_fmt_maps, t); }

/* A task without an mm namespace (a zombie) has no mounts to show. */
static int push_mounts(lua_State *L, const struct pl_task *t)
{
	return !t->no_mnt_ns && push_mountinfo(L, t);
}

/* No vmas: the kernel's smaps_rollup reads empty. */
static int push_rollup_if_any(lua_State *L, const struct pl_task *t)
{
	return t->has_rollup && push_rollup(L, t);
}

static void set_setgroups(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	size_t len;
	t->setgroups_allowed = strcmp(text_at(c, idx, "setgroups", &len), "deny") != 0;
}
static int push_setgroups(lua_State *L, const struct pl_task *t)
{
	lua_pushstring(L, t->setgroups_allowed ? "allow" : "deny");
	return 1;
}

/* auxv = { { type, value }, ... } */
static void set_auxv(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = plua_list_len(L, idx, AUXV_MAX_PAIRS, c->who, "auxv");
	uint64_t *v = alloc_or_raise(c, (n + 1) * 2 * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		lua_geti(L, idx, (lua_Integer)i + 1);
		for (int k = 0; k < 2; k++) {
			lua_geti(L, -1, k + 1);
			v[2 * i + k] = int_at(c, -1, "auxv pair");
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	t->auxv = v; /* pl_fmt_auxv ends the list with AT_NULL if it has none */
	t->nauxv = n;
}
static int push_auxv(lua_State *L, const struct pl_task *t)
{
	lua_createtable(L, (int)t->nauxv, 0);
	for (size_t i = 0; i < t->nauxv; i++) {
		lua_createtable(L, 2, 0);
		for (int k = 0; k < 2; k++) {
			/* above 2^63 wraps to a negative integer, which reads back to the same bits */
			lua_pushinteger(L, (lua_Integer)t->auxv[2 * i + k]);
			lua_rawseti(L, -2, k + 1);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ns = { net = 4026531840, ... }: inode numbers by ns/ name */
static void set_ns(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	for (int i = 0; i < PL_NS_COUNT; i++) {
		if (lua_getfield(L, idx, pl_ns_names[i]) != LUA_TNIL)
			t->ns_ino[i] = int_at(c, -1, pl_ns_names[i]);
		lua_pop(L, 1);
	}
}
static int push_ns(lua_State *L, const struct pl_task *t)
{
	lua_newtable(L);
	for (int i = 0; i < PL_NS_COUNT; i++)
		if (t->ns_ino[i]) {
			lua_pushinteger(L, (lua_Integer)t->ns_ino[i]);
			lua_setfield(L, -2, pl_ns_names[i]);
		}
	return 1;
}

/* fds = { { fd = 0, target = "/dev/null", mode = "r" }, ... } (the world
** loader sets them, with their fdinfo) */
static int push_fds(lua_State *L, const struct pl_task *t)
{
	lua_createtable(L, (int)t->nfds, 0);
	for (size_t i = 0; i < t->nfds; i++) {
		lua_createtable(L, 0, 3);
		lua_pushinteger(L, t->fds[i].fd);
		lua_setfield(L, -2, "fd");
		lua_pushstring(L, t->fds[i].target);
		lua_setfield(L, -2, "target");
		static const char *const modes[4] = { "", "r", "w", "rw" };
		lua_pushstring(L, modes[t->fds[i].f_mode & 3]);
		lua_setfield(L, -2, "mode");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ------------------------------------------------------------------------
** shapes: what an older kernel's files print, for a saved tree's world
*/

/* stat_fields = 44: stat as a kernel of before 3.3 printed it (52, the
** default, is this kernel's) */
static void set_stat_fields(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	uint64_t n = int_at(c, idx, "stat_fields");
	if (n != 41 && n != 42 && n != 44 && n != 47 && n != 52)
		luaL_error(c->L, "%s: stat_fields is 41, 42, 44, 47 (older kernels) or 52", c->who);
	t->stat_fields = (uint8_t)n;
}
static int push_stat_fields(lua_State *L, const struct pl_task *t)
{
	lua_pushinteger(L, t->stat_fields ? t->stat_fields : 52);
	return 1;
}

/* A list of names into a mask by `bits` (0: no such name). */
static uint64_t names_mask(const struct plua_fact_ctx *c, int idx, const char *what,
                           uint64_t (*bits)(const char *))
{
	lua_State *L = c->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = plua_list_len(L, idx, 128, c->who, what);
	uint64_t mask = 0;
	for (size_t i = 1; i <= n; i++) {
		lua_geti(L, idx, (lua_Integer)i);
		const char *name = lua_tostring(L, -1);
		uint64_t b = name && lua_type(L, -1) == LUA_TSTRING ? bits(name) : 0;
		if (!b)
			luaL_error(L, "%s: %s[%d] names no %s", c->who, what, (int)i,
			           strcmp(what, "absent") ? "status line" : "file of a task");
		mask |= b;
		lua_pop(L, 1);
	}
	return mask;
}

/* rates = { utime = 50, ... }: what the counters gain a second (pl_rates) */
#define RATE(name, field) { name, offsetof(struct pl_rates, field) }
static const struct { const char *name; size_t off; } rate_fields[] = {
	RATE("utime", utime), RATE("stime", stime), RATE("minflt", minflt), RATE("majflt", majflt),
	RATE("nvcsw", nvcsw), RATE("nivcsw", nivcsw), RATE("rchar", io_rchar),
	RATE("wchar", io_wchar), RATE("syscr", io_syscr), RATE("syscw", io_syscw),
	RATE("read_bytes", io_read_bytes), RATE("write_bytes", io_write_bytes),
};
#undef RATE
#define NRATES (sizeof rate_fields / sizeof rate_fields[0])

static void set_rates(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	if (lua_isnil(L, idx)) {
		t->rates = NULL;
		return;
	}
	if (!lua_istable(L, idx))
		luaL_error(L, "%s: rates must be a table such as { utime = 50, stime = 5 }", c->who);
	struct pl_rates *r = pl_arena_alloc(c->a, sizeof *r);
	if (!r)
		luaL_error(L, "%s: out of memory", c->who);
	memset(r, 0, sizeof *r);
	idx = lua_absindex(L, idx);
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		struct plua_near near;
		plua_near_init(&near, k);
		size_t i = 0;
		for (; i < NRATES && strcmp(rate_fields[i].name, k) != 0; i++)
			plua_near_try(&near, rate_fields[i].name);
		if (i == NRATES) {
			char hint[96];
			luaL_error(L, "%s: rates.%s is no counter%s", c->who, k,
			           plua_near_hint(&near, hint, sizeof hint));
		}
		int ok;
		lua_Integer v = lua_tointegerx(L, -1, &ok);
		if (!ok || v < 0 || v > (lua_Integer)1 << 40)
			luaL_error(L, "%s: rates.%s must be an integer from 0 to 2^40 a second", c->who, k);
		*(uint64_t *)((char *)r + rate_fields[i].off) = (uint64_t)v;
	}
	t->rates = r;
}
static int push_rates(lua_State *L, const struct pl_task *t)
{
	if (!t->rates)
		return 0;
	lua_createtable(L, 0, (int)NRATES);
	for (size_t i = 0; i < NRATES; i++) {
		uint64_t v = *(const uint64_t *)((const char *)t->rates + rate_fields[i].off);
		if (v) {
			lua_pushinteger(L, (lua_Integer)v);
			lua_setfield(L, -2, rate_fields[i].name);
		}
	}
	return 1;
}

/* status_extra = { { after = "Gid", line = "Utrace:\t0" }, ... }: lines no
** mainline kernel prints, each after the known line named (none: first) */
static void set_status_extra(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	size_t n = plua_list_len(L, idx, 16, c->who, "status_extra");
	struct pl_status_extra *x = n ? pl_arena_alloc(c->a, n * sizeof *x) : NULL;
	if (n && !x)
		luaL_error(L, "%s: out of memory", c->who);
	idx = lua_absindex(L, idx);
	unsigned last = 0;
	for (size_t i = 0; i < n; i++) {
		if (lua_geti(L, idx, (lua_Integer)i + 1) != LUA_TTABLE)
			luaL_error(L, "%s: status_extra[%d] must be { after = \"Gid\", line = \"Key:\\tvalue\" }",
			           c->who, (int)i + 1);
		lua_getfield(L, -1, "after");
		unsigned before = 0;
		if (!lua_isnil(L, -1)) {
			uint64_t bit = lua_type(L, -1) == LUA_TSTRING ? pl_status_line_bit(lua_tostring(L, -1)) : 0;
			if (!bit)
				luaL_error(L, "%s: status_extra[%d].after names no status line", c->who, (int)i + 1);
			before = (unsigned)__builtin_ctzll(bit) + 1;
		}
		lua_getfield(L, -2, "line");
		size_t len = 0;
		const char *line = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
		const char *tab = line ? memchr(line, '\t', len) : NULL;
		if (!line || !tab || tab == line || tab[-1] != ':' || memchr(line, '\n', len) ||
		    memchr(line, '\0', len))
			luaL_error(L, "%s: status_extra[%d].line must be one line \"Key:\\tvalue\"",
			           c->who, (int)i + 1);
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)(tab - 1 - line), line);
		if (pl_status_line_bit(key))
			luaL_error(L, "%s: status_extra[%d]: %s is a line status prints itself", c->who,
			           (int)i + 1, key);
		if (before < last)
			luaL_error(L, "%s: status_extra[%d] comes before the one ahead of it", c->who, (int)i + 1);
		last = before;
		x[i].before = (uint8_t)before;
		x[i].line = pl_arena_strndup(c->a, line, len);
		if (!x[i].line)
			luaL_error(L, "%s: out of memory", c->who);
		lua_pop(L, 3);
	}
	t->status_extra = x;
	t->nstatus_extra = n;
}
static int push_status_extra(lua_State *L, const struct pl_task *t)
{
	if (!t->nstatus_extra)
		return 0;
	lua_createtable(L, (int)t->nstatus_extra, 0);
	for (size_t i = 0; i < t->nstatus_extra; i++) {
		lua_createtable(L, 0, 2);
		if (t->status_extra[i].before) {
			lua_pushstring(L, pl_status_line_name(t->status_extra[i].before - 1u));
			lua_setfield(L, -2, "after");
		}
		lua_pushstring(L, t->status_extra[i].line);
		lua_setfield(L, -2, "line");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* status_lines = { "Name", "State", ... }: the lines an older kernel's
** status printed (default: this kernel's for the task) */
static void set_status_lines(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	t->status_lines = names_mask(c, idx, "status_lines", pl_status_line_bit);
	if (!t->status_lines)
		luaL_error(c->L, "%s: status_lines names no line", c->who);
}
static int push_status_lines(lua_State *L, const struct pl_task *t)
{
	uint64_t lines = t->status_lines ? t->status_lines : pl_status_lines_default(t);
	lua_newtable(L);
	int n = 0;
	for (unsigned i = 0; pl_status_line_name(i); i++)
		if (lines >> i & 1) {
			lua_pushstring(L, pl_status_line_name(i));
			lua_rawseti(L, -2, ++n);
		}
	return 1;
}

/* absent = { "maps", "environ", "ns", ... }: what the task's directory
** does not have (a saved tree's partial task) */
static void set_absent(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	t->absent = names_mask(c, idx, "absent", pl_builtin_absent_bits);
}
static int push_absent(lua_State *L, const struct pl_task *t)
{
	lua_newtable(L);
	int n = 0;
	uint64_t ns = pl_builtin_absent_bits("ns"), attr = pl_builtin_absent_bits("attr");
	if ((t->absent & ns) == ns) { /* the whole of ns/ */
		lua_pushliteral(L, "ns");
		lua_rawseti(L, -2, ++n);
	}
	int whole_attr = (t->absent & attr) == attr;
	for (int i = 1; i <= 64; i++) { /* map_files/ (bit 0) last */
		int g = i & 63;
		char buf[40];
		const char *name = (t->absent >> g & 1) && !((t->absent & ns) == ns && (ns >> g & 1))
		                   ? pl_builtin_absent_name(g, buf, sizeof buf) : NULL;
		if (name && whole_attr && (attr >> g & 1)) /* the whole of attr/, once */
			name = g == PL_G_ATTR_FIRST ? "attr" : NULL;
		if (name) {
			lua_pushstring(L, name);
			lua_rawseti(L, -2, ++n);
		}
	}
	return 1;
}

/* cmdline_text, environ_text: the kernel's own files, bytes as they are,
** served where the task's stat masks the addresses they are read from */
static void set_bytes(const struct plua_fact_ctx *c, int idx, const char *what,
                      const char **text, size_t *len)
{
	size_t n;
	const char *s = text_at(c, idx, what, &n);
	char *copy = alloc_or_raise(c, n ? n : 1);
	memcpy(copy, s, n);
	*text = copy;
	*len = n;
}
static void set_cmdline_text(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	set_bytes(c, idx, "cmdline_text", &t->cmdline_text, &t->cmdline_len);
}
static void set_environ_text(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	set_bytes(c, idx, "environ_text", &t->environ_text, &t->environ_len);
}
static int push_cmdline_text(lua_State *L, const struct pl_task *t)
{
	lua_pushlstring(L, t->cmdline_text ? t->cmdline_text : "", t->cmdline_len);
	return 1;
}
static int push_environ_text(lua_State *L, const struct pl_task *t)
{
	lua_pushlstring(L, t->environ_text ? t->environ_text : "", t->environ_len);
	return 1;
}

static int push_threads(lua_State *L, const struct pl_task *t)
{
	return push_u32s(L, (const uint32_t *)t->threads, t->nthreads);
}

static int push_children(lua_State *L, const struct pl_task *t)
{
	return push_u32s(L, (const uint32_t *)t->children, t->nchildren);
}

/* ------------------------------------------------------------------------
** the files the scheduler, audit, trace and security module show
*/

/* Facts the kernel may refuse the daemon (a task even root may not
** ptrace): not pushed then, as it has none to show. */
#define REFUSABLE_INT(fn, field, err) \
	static void set_##fn(const struct plua_fact_ctx *c, int idx, struct pl_task *t) \
	{ t->field = int_at(c, idx, #fn); t->err = 0; } \
	static int push_##fn(lua_State *L, const struct pl_task *t) \
	{ if (t->err) return 0; push_u64(L, t->field); return 1; }
/* timers = { { id = 0, signo = 14, value = 0, notify = "signal", pid = 7,
** clock = 1 }, ... }, newest first; notify "signal", "none", "thread" or
** "tid" (a signal to the thread pid names: SIGEV_SIGNAL | SIGEV_THREAD_ID);
** pid defaults to the task's tgid (the world loader), the rest to 0 and
** "signal" */
#define TIMERS_MAX 4096
static void set_timers(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = plua_list_len(L, idx, TIMERS_MAX, c->who, "timers");
	struct pl_posix_timer *v = n ? alloc_or_raise(c, n * sizeof *v) : NULL;
	for (size_t i = 0; i < n; i++) {
		lua_geti(L, idx, (lua_Integer)i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s: timers[%d] must be a table", c->who, (int)i + 1);
		static const char *const keys[] = { "id", "signo", "value", "pid", "clock" };
		int64_t k[5] = { 0, 0, 0, -1, 0 };
		for (int j = 0; j < 5; j++) {
			if (lua_getfield(L, -1, keys[j]) != LUA_TNIL)
				k[j] = (int64_t)int_at(c, -1, keys[j]);
			lua_pop(L, 1);
		}
		if (k[0] < 0 || k[0] > INT32_MAX || k[1] < 0 || k[1] > 64 || k[3] < -1 || k[3] > INT32_MAX ||
		    k[4] < INT32_MIN || k[4] > INT32_MAX)
			luaL_error(L, "%s: timers[%d]: id, signo (0 to 64), pid and clock must be numbers "
			           "the kernel keeps", c->who, (int)i + 1);
		int32_t notify = PL_SIGEV_SIGNAL;
		if (lua_getfield(L, -1, "notify") != LUA_TNIL) {
			const char *s = lua_tostring(L, -1);
			if (s && !strcmp(s, "none"))
				notify = PL_SIGEV_NONE;
			else if (s && !strcmp(s, "thread"))
				notify = PL_SIGEV_THREAD;
			else if (s && !strcmp(s, "tid"))
				notify = PL_SIGEV_SIGNAL | PL_SIGEV_THREAD_ID;
			else if (!s || strcmp(s, "signal"))
				luaL_error(L, "%s: timers[%d].notify must be \"signal\", \"none\", \"thread\" "
				           "or \"tid\"", c->who, (int)i + 1);
		}
		lua_pop(L, 2);
		v[i] = (struct pl_posix_timer){ (int32_t)k[0], (int32_t)k[1], (uint64_t)k[2], notify,
		                                (pl_pid)(k[3] < 0 ? t->tgid : k[3]), (int32_t)k[4] };
	}
	t->timers = v;
	t->ntimers = n;
}
static int push_timers(lua_State *L, const struct pl_task *t)
{
	lua_createtable(L, (int)t->ntimers, 0);
	for (size_t i = 0; i < t->ntimers; i++) {
		const struct pl_posix_timer *x = &t->timers[i];
		lua_createtable(L, 0, 6);
		lua_pushinteger(L, x->id);
		lua_setfield(L, -2, "id");
		lua_pushinteger(L, x->signo);
		lua_setfield(L, -2, "signo");
		push_u64(L, x->value);
		lua_setfield(L, -2, "value");
		lua_pushstring(L, x->notify & PL_SIGEV_THREAD_ID ? "tid" : pl_timer_notify_name(x->notify));
		lua_setfield(L, -2, "notify");
		lua_pushinteger(L, x->pid);
		lua_setfield(L, -2, "pid");
		lua_pushinteger(L, x->clock);
		lua_setfield(L, -2, "clock");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* avx512_elapsed_ms: arch_status's line; false (the default): none, as on
** a cpu without AVX512F */
static void set_avx512_elapsed_ms(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	t->arch_avx512 = !lua_isboolean(c->L, idx);
	if (lua_isboolean(c->L, idx) && lua_toboolean(c->L, idx))
		luaL_error(c->L, "%s: avx512_elapsed_ms must be an integer or false", c->who);
	t->avx512_elapsed_ms = t->arch_avx512 ? (int64_t)int_at(c, idx, "avx512_elapsed_ms") : -1;
}
static int push_avx512_elapsed_ms(lua_State *L, const struct pl_task *t)
{
	if (t->arch_avx512)
		lua_pushinteger(L, (lua_Integer)t->avx512_elapsed_ms);
	else
		lua_pushboolean(L, 0);
	return 1;
}

REFUSABLE_INT(personality, personality, personality_err)
REFUSABLE_INT(timerslack_ns, timerslack_ns, timerslack_err)

/* stack = "[<0>] do_wait+0x53/0x120\n...", syscall = "running\n" or as the
** kernel's file prints it */
static void set_stack(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	parse_text(c, idx, "stack", pl_parse_stack, t);
	t->stack_err = 0;
}
static int push_stack(lua_State *L, const struct pl_task *t)
{
	return !t->stack_err && push_text(L, pl_fmt_stack, t);
}
static void set_syscall(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	parse_text(c, idx, "syscall", pl_parse_syscall, t);
	t->syscall_err = 0;
}
static int push_syscall(lua_State *L, const struct pl_task *t)
{
	return !t->syscall_err && push_text(L, pl_fmt_syscall, t);
}

/* sched = the kernel's file whole ("comm (pid, #threads: n)\n---...\n"
** and its lines); the pid it shows is always the task's own */
TEXT_FACT(sched, "sched", pl_parse_sched, pl_fmt_sched)

/* attr = { current = "unconfined\n", exec = false, ... }: each file of
** attr/ by name, its bytes, false for what a kernel without a security
** module answers (EINVAL, the default), or the errno its read fails with */
static void set_attr(const struct plua_fact_ctx *c, int idx, struct pl_task *t)
{
	lua_State *L = c->L;
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int i = 0;
		while (k && i < PL_ATTR_COUNT && strcmp(pl_attr_names[i], k) != 0)
			i++;
		if (!k || i == PL_ATTR_COUNT)
			luaL_error(L, "%s: attr has files current, prev, exec, fscreate, keycreate, sockcreate",
			           c->who);
		if (lua_type(L, -1) == LUA_TSTRING) {
			size_t len;
			const char *v = lua_tolstring(L, -1, &len);
			if (pl_parse_attr(i, v, len, c->a, t) < 0)
				luaL_error(L, "%s: out of memory", c->who);
		} else if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
			t->attr[i] = (struct pl_lsm_attr){ NULL, 0, EINVAL };
		} else {
			uint64_t e = 0;
			if (!to_u64(L, -1, &e) || e == 0 || e > 4095)
				luaL_error(L, "%s: attr.%s must be its bytes (a string), false or an errno",
				           c->who, k);
			t->attr[i] = (struct pl_lsm_attr){ NULL, 0, (int32_t)e };
		}
		lua_pop(L, 1);
	}
}
static int push_attr(lua_State *L, const struct pl_task *t)
{
	lua_newtable(L);
	for (int i = 0; i < PL_ATTR_COUNT; i++) {
		const struct pl_lsm_attr *v = &t->attr[i];
		if (v->err == EINVAL)
			continue;
		if (v->err)
			lua_pushinteger(L, v->err);
		else
			lua_pushlstring(L, v->text ? v->text : "", v->len);
		lua_setfield(L, -2, pl_attr_names[i]);
	}
	return 1;
}

/* ------------------------------------------------------------------------
** the table
*/

#define T(f) (uint16_t)offsetof(struct pl_task, f)
#define S_(n, g, ty, f) { n, g, ty, T(f), NULL, NULL }
#define U64(n, g, f) S_(n, g, PLUA_U64, f)
#define I64(n, g, f) S_(n, g, PLUA_I64, f)
#define U32(n, g, f) S_(n, g, PLUA_U32, f)
#define I32(n, g, f) S_(n, g, PLUA_I32, f)
#define STR(n, g, f) S_(n, g, PLUA_STR, f)
#define LIST(n, g, set, push) { n, g, PLUA_LIST, 0, set, push }

#define ST PL_F_STAT
#define SU PL_F_STATUS

const struct plua_fact plua_facts[] = {
	/* stat */
	S_("comm", ST, PLUA_COMM, comm), S_("state", ST, PLUA_CHAR, state),
	I32("ppid", ST, ppid), I32("pgrp", ST, pgrp), I32("session", ST, session),
	I32("tpgid", ST, tpgid), I32("tty_nr", ST, tty_nr), U32("flags", ST, flags),
	U64("minflt", ST, minflt), U64("cminflt", ST, cminflt), U64("majflt", ST, majflt),
	U64("cmajflt", ST, cmajflt), U64("utime", ST, utime), U64("stime", ST, stime),
	I64("cutime", ST, cutime), I64("cstime", ST, cstime), I32("priority", ST, priority),
	I32("nice", ST, nice), I32("num_threads", ST, num_threads), U64("starttime", ST, starttime),
	U64("vsize", ST, vsize), U64("rsslim", ST, rsslim), U64("kstkesp", ST, kstkesp),
	U64("kstkeip", ST, kstkeip), U64("sig_pending", ST, sig_pending),
	U64("sig_blocked", ST, sig_blocked), U64("sig_ignored", ST, sig_ignored),
	U64("sig_caught", ST, sig_caught), U64("wchan_flag", ST, wchan_flag),
	I32("exit_signal", ST, exit_signal), I32("processor", ST, processor),
	U32("rt_priority", ST, rt_priority), U32("policy", ST, policy),
	U64("blkio_ticks", ST, blkio_ticks), U64("guest_time", ST, guest_time),
	I64("cguest_time", ST, cguest_time), I32("exit_code", ST, exit_code),
	/* the mm: stat's addresses and rss, status's counters */
	U64("rss", ST, mm.rss), U64("start_code", ST, mm.start_code), U64("end_code", ST, mm.end_code),
	U64("start_stack", ST, mm.start_stack), U64("start_data", ST, mm.start_data),
	U64("end_data", ST, mm.end_data), U64("start_brk", ST, mm.start_brk),
	U64("arg_start", ST, mm.arg_start), U64("arg_end", ST, mm.arg_end),
	U64("env_start", ST, mm.env_start), U64("env_end", ST, mm.env_end),
	U64("total_vm", SU, mm.total_vm), U64("hiwater_vm", SU, mm.hiwater_vm),
	U64("locked_vm", SU, mm.locked_vm), U64("pinned_vm", SU, mm.pinned_vm),
	U64("hiwater_rss", SU, mm.hiwater_rss), U64("rss_anon", SU, mm.rss_anon),
	U64("rss_file", SU, mm.rss_file), U64("rss_shmem", SU, mm.rss_shmem),
	U64("data_vm", SU, mm.data_vm), U64("stack_vm", SU, mm.stack_vm), U64("exec_vm", SU, mm.exec_vm),
	U64("vm_exe_kb", SU, mm.vm_exe_kb), U64("vm_lib_kb", SU, mm.vm_lib_kb),
	U64("pte_kb", SU, mm.pte_kb), U64("swap", SU, mm.swap), U64("hugetlb_kb", SU, mm.hugetlb_kb),
	U64("pmd_kb", SU, mm.pmd_kb),
	/* status; uid and gid take all four ids at once, so a world sets them
	** before euid, suid, ... (see world_task.c) */
	{ "uid", SU, PLUA_U32, T(cred.uid[0]), set_uid, NULL }, U32("euid", SU, cred.uid[1]),
	U32("suid", SU, cred.uid[2]), U32("fsuid", SU, cred.uid[3]),
	{ "gid", SU, PLUA_U32, T(cred.gid[0]), set_gid, NULL }, U32("egid", SU, cred.gid[1]),
	U32("sgid", SU, cred.gid[2]), U32("fsgid", SU, cred.gid[3]),
	LIST("groups", SU, set_groups, push_groups), LIST("nspid", SU, set_nspid, push_nspid),
	I32("umask", SU, umask), I32("ngid", SU, ngid), I32("tracer_pid", SU, tracer_pid),
	U32("fd_size", SU, fd_size), I32("kthread", SU, kthread), I32("has_mm", SU, has_mm),
	I32("core_dumping", SU, core_dumping), I32("thp_enabled", SU, thp_enabled),
	U64("untag_mask", SU, untag_mask), U32("sigq_count", SU, sigq_count),
	U32("sigq_limit", SU, sigq_limit), U64("shd_pending", SU, shd_pending),
	I32("no_new_privs", SU, no_new_privs), I32("seccomp_mode", SU, seccomp_mode),
	I32("seccomp_filters", SU, seccomp_filters),
	STR("spec_store_bypass", SU, spec_store_bypass),
	STR("spec_indirect_branch", SU, spec_indirect_branch),
	U64("nvcsw", SU, nvcsw), U64("nivcsw", SU, nivcsw), STR("arch_lines", SU, arch_lines),
	U64("cap_inh", SU, cred.cap_inh), U64("cap_prm", SU, cred.cap_prm),
	U64("cap_eff", SU, cred.cap_eff), U64("cap_bnd", SU, cred.cap_bnd),
	U64("cap_amb", SU, cred.cap_amb),
	LIST("cpus_allowed", SU, set_cpus, push_cpus), LIST("mems_allowed", SU, set_mems, push_mems),
	/* io */
	U64("rchar", PL_F_IO, io_rchar), U64("wchar", PL_F_IO, io_wchar),
	U64("syscr", PL_F_IO, io_syscr), U64("syscw", PL_F_IO, io_syscw),
	U64("read_bytes", PL_F_IO, io_read_bytes), U64("write_bytes", PL_F_IO, io_write_bytes),
	U64("cancelled_write_bytes", PL_F_IO, io_cancelled_write_bytes),
	/* oom, wchan, links, owner, id maps */
	U32("oom_score", PL_F_OOM, oom_score), I32("oom_score_adj", PL_F_OOM, oom_score_adj),
	I32("oom_score_adj_min", PL_F_OOM, oom_score_adj_min),
	U32("coredump_filter", PL_F_OOM, coredump_filter), STR("wchan", PL_F_WCHAN, wchan),
	STR("exe", PL_F_LINKS, exe), STR("cwd", PL_F_LINKS, cwd), STR("root", PL_F_LINKS, root),
	I32("dumpable", PL_F_OWNER, dumpable),
	LIST("absent", PL_F_OWNER, set_absent, push_absent),
	LIST("rates", ST, set_rates, push_rates),
	/* audit, trace, scheduler, cpuset, security module */
	U32("loginuid", PL_F_AUDIT, loginuid), U32("sessionid", PL_F_AUDIT, sessionid),
	LIST("personality", PL_F_PERSONALITY, set_personality, push_personality),
	LIST("timerslack_ns", PL_F_TIMERSLACK, set_timerslack_ns, push_timerslack_ns),
	U64("sum_exec_runtime", PL_F_SCHEDSTAT, sched_runtime),
	U64("run_delay", PL_F_SCHEDSTAT, sched_run_delay), U64("pcount", PL_F_SCHEDSTAT, sched_pcount),
	I64("autogroup_id", PL_F_AUTOGROUP, autogroup_id),
	I32("autogroup_nice", PL_F_AUTOGROUP, autogroup_nice),
	STR("cpuset", PL_F_CPUSET, cpuset),
	LIST("attr", PL_F_ATTR, set_attr, push_attr),
	LIST("stack", PL_F_STACK, set_stack, push_stack),
	LIST("syscall", PL_F_SYSCALL, set_syscall, push_syscall),
	LIST("sched", PL_F_SCHED, set_sched, push_sched),
	U64("ksm_rmap_items", PL_F_KSM, ksm_rmap_items), I64("ksm_zero_pages", PL_F_KSM, ksm_zero_pages),
	U64("ksm_merging_pages", PL_F_KSM, ksm_merging_pages),
	I64("ksm_process_profit", PL_F_KSM, ksm_process_profit),
	I32("ksm_merge_any", PL_F_KSM, ksm_merge_any), I32("ksm_mergeable", PL_F_KSM, ksm_mergeable),
	LIST("avx512_elapsed_ms", PL_F_ARCH, set_avx512_elapsed_ms, push_avx512_elapsed_ms),
	LIST("timers", PL_F_TIMERS, set_timers, push_timers),
	LIST("numa_maps", PL_F_NUMA, set_numa_maps, push_numa_maps),
	/* the shape of an older kernel's files */
	LIST("stat_fields", ST, set_stat_fields, push_stat_fields),
	LIST("status_lines", SU, set_status_lines, push_status_lines),
	LIST("status_extra", SU, set_status_extra, push_status_extra),
	LIST("cmdline_text", PL_F_CMDLINE, set_cmdline_text, push_cmdline_text),
	LIST("environ_text", PL_F_ENVIRON, set_environ_text, push_environ_text),
	I32("setgroups_allowed", PL_F_IDMAP, setgroups_allowed),
	LIST("setgroups", PL_F_IDMAP, set_setgroups, push_setgroups),
	LIST("uid_map", PL_F_IDMAP, set_uid_map, push_uid_map),
	LIST("gid_map", PL_F_IDMAP, set_gid_map, push_gid_map),
	LIST("projid_map", PL_F_IDMAP, set_projid_map, push_projid_map),
	/* lists with files of their own */
	LIST("limits", PL_F_LIMITS, set_limits, push_limits),
	LIST("cgroup", PL_F_CGROUP, set_cgroup, push_cgroup),
	LIST("maps", PL_F_MAPS, set_maps, push_maps),
	LIST("smaps", PL_F_SMAPS, set_smaps, push_smaps),
	LIST("smaps_rollup", PL_F_ROLLUP, set_rollup, push_rollup_if_any),
	LIST("mountinfo", PL_F_MOUNTS, set_mountinfo, push_mounts),
	LIST("auxv", PL_F_AUXV, set_auxv, push_auxv),
	LIST("ns", PL_F_NS, set_ns, push_ns),
	/* placed by the world loader itself */
	LIST("fds", PL_F_FDS, NULL, push_fds),
	LIST("threads", PL_F_THREADS, NULL, push_threads),
	LIST("children", PL_F_CHILDREN, NULL, push_children),
};
const size_t plua_nfacts = sizeof plua_facts / sizeof plua_facts[0];

const struct plua_fact *plua_fact_find(const char *name)
{
	for (size_t i = 0; i < plua_nfacts; i++)
		if (strcmp(plua_facts[i].name, name) == 0)
			return &plua_facts[i];
	return NULL;
}

static void *at(struct pl_task *t, const struct plua_fact *f)
{
	return (char *)t + f->off;
}

void plua_fact_set(const struct plua_fact_ctx *c, const struct plua_fact *f, int idx,
                   struct pl_task *t)
{
	lua_State *L = c->L;
	if (f->set) {
		f->set(c, idx, t);
		return;
	}
	switch (f->type) {
	case PLUA_STR: {
		if (lua_type(L, idx) != LUA_TSTRING)
			luaL_error(L, "%s: field '%s' must be a string", c->who, f->name);
		*(const char **)at(t, f) = pl_arena_strdup(c->a, lua_tostring(L, idx));
		return;
	}
	case PLUA_COMM: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		if (lua_type(L, idx) != LUA_TSTRING)
			luaL_error(L, "%s: field 'comm' must be a string", c->who);
		memset(t->comm, 0, sizeof t->comm);
		memcpy(t->comm, s, len < PL_COMM_MAX ? len : PL_COMM_MAX);
		return;
	}
	case PLUA_CHAR: {
		const char *s = lua_tostring(L, idx);
		/* x, K and W: kernels before 4.14 */
		if (lua_type(L, idx) != LUA_TSTRING || strlen(s) != 1 || !strchr("RSDTtXZPIxKW", s[0]))
			luaL_error(L, "%s: field '%s' must be one state letter (R S D T t X Z P I x K W)",
			           c->who, f->name);
		t->state = s[0];
		return;
	}
	case PLUA_LIST:
		luaL_error(L, "%s: field '%s' is not set this way", c->who, f->name);
		return;
	}
	uint64_t v;
	if (!to_u64(L, idx, &v))
		luaL_error(L, "%s: field '%s' must be an integer", c->who, f->name);
	switch (f->type) {
	case PLUA_U64: case PLUA_I64: *(uint64_t *)at(t, f) = v; break;
	case PLUA_U32: case PLUA_I32: *(uint32_t *)at(t, f) = (uint32_t)v; break;
	}
}

int plua_fact_is_integer(const struct plua_fact *f)
{
	return f->type == PLUA_U64 || f->type == PLUA_I64 || f->type == PLUA_U32 ||
	       f->type == PLUA_I32;
}

uint64_t plua_fact_bits(const struct plua_fact *f, const struct pl_task *t)
{
	const void *p = (const char *)t + f->off;
	switch (f->type) {
	case PLUA_U64: case PLUA_I64: return *(const uint64_t *)p;
	case PLUA_U32: return *(const uint32_t *)p;
	case PLUA_I32: return (uint64_t)(int64_t) * (const int32_t *)p;
	}
	return 0;
}

void plua_fact_push_bits(lua_State *L, const struct plua_fact *f, uint64_t v)
{
	if (f->type == PLUA_U64)
		push_u64(L, v);
	else
		lua_pushinteger(L, (lua_Integer)v);
}

int plua_fact_push(lua_State *L, const struct plua_fact *f, const struct pl_task *t)
{
	const void *p = (const char *)t + f->off;
	switch (f->type) {
	case PLUA_LIST: return f->push(L, t);
	case PLUA_STR: {
		const char *s = *(const char *const *)p;
		if (!s)
			return 0;
		lua_pushstring(L, s);
		return 1;
	}
	case PLUA_COMM: lua_pushstring(L, t->comm); return 1;
	case PLUA_CHAR: lua_pushlstring(L, &t->state, 1); return 1;
	default: plua_fact_push_bits(L, f, plua_fact_bits(f, t)); return 1;
	}
}

void plua_facts_push(lua_State *L, const struct pl_task *t, uint64_t groups)
{
	for (size_t i = 0; i < plua_nfacts; i++)
		if ((plua_facts[i].group & groups) && plua_fact_push(L, &plua_facts[i], t))
			lua_setfield(L, -2, plua_facts[i].name);
}
