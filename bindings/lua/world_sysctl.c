/*
** machine.sysctl = { ["vm.overcommit_memory"] = 1, ... } of a world: the
** sys/ settings (core/record/sysctl.h).  A value is a number, a list of
** numbers, or the kernel's text ("32768\t60999\n"); what is left out
** takes the value of a small idle machine of the world's memory size.
** kernel.hostname and kernel.pid_max are the machine's hostname and
** pid_max (world_machine.c), not declared here.
**
** Any other name is a setting of the world's own, read-only: numbers, or
** text (a line, its newline added where it has none).  A name a typo away
** from a row's is refused with that row's name, as a typo.
*/
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "format/format.h"
#include "plua.h"
#include "world_build.h"

/* The numbers of a machine with total_kb of memory, as the kernel sizes
** them at boot: threads-max a thread's stack per 8 of memory (16 KiB
** stacks), max_user_namespaces half of it, file-max a tenth of memory in
** KiB, inotify's watches about 1% of memory. */
static void defaults(struct world_build *wb, uint64_t total_kb, struct pl_sysctl *v)
{
	static const char boot_id[] = "7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a47";
	uint64_t threads = total_kb / 128;
	threads = threads < 20 ? 20 : threads > 0x3fffffff ? 0x3fffffff : threads;
	uint64_t file_max = total_kb / 10 < 8192 ? 8192 : total_kb / 10;
	uint64_t watches = total_kb / 128;
	watches = watches < 8192 ? 8192 : watches > 1048576 ? 1048576 : watches;
	const struct { int id; uint64_t a, b, c; } nums[] = {
		{ PL_SYSCTL_CAP_LAST_CAP, 40, 0, 0 },
		{ PL_SYSCTL_NGROUPS_MAX, 65536, 0, 0 },
		{ PL_SYSCTL_PERF_EVENT_PARANOID, 2, 0, 0 },
		{ PL_SYSCTL_THREADS_MAX, threads, 0, 0 },
		{ PL_SYSCTL_ENTROPY_AVAIL, 256, 0, 0 },
		{ PL_SYSCTL_POOLSIZE, 256, 0, 0 },
		{ PL_SYSCTL_FILE_MAX, file_max, 0, 0 },
		{ PL_SYSCTL_FILE_NR, 1024, 0, file_max },
		{ PL_SYSCTL_INOTIFY_MAX_USER_INSTANCES, 128, 0, 0 },
		{ PL_SYSCTL_INOTIFY_MAX_USER_WATCHES, watches, 0, 0 },
		{ PL_SYSCTL_NR_OPEN, 1048576, 0, 0 },
		{ PL_SYSCTL_SOMAXCONN, 4096, 0, 0 },
		{ PL_SYSCTL_IP_FORWARD, 0, 0, 0 },
		{ PL_SYSCTL_IP_LOCAL_PORT_RANGE, 32768, 60999, 0 },
		{ PL_SYSCTL_MAX_USER_NAMESPACES, threads / 2, 0, 0 },
		{ PL_SYSCTL_MAX_MAP_COUNT, 65530, 0, 0 },
		{ PL_SYSCTL_OVERCOMMIT_MEMORY, 0, 0, 0 },
		{ PL_SYSCTL_SWAPPINESS, 60, 0, 0 },
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		struct pl_sysctl *s = &v[nums[i].id];
		s->set = 1;
		s->n = pl_sysctl_defs[nums[i].id].n;
		s->v[0] = nums[i].a;
		s->v[1] = nums[i].b;
		s->v[2] = nums[i].c;
	}
	v[PL_SYSCTL_CORE_PATTERN].set = 1;
	v[PL_SYSCTL_CORE_PATTERN].text = "core";
	v[PL_SYSCTL_BOOT_ID].set = 1;
	pl_parse_uuid(boot_id, boot_id + sizeof boot_id - 1, v[PL_SYSCTL_BOOT_ID].uuid);
	(void)wb;
	/* kernel.random.uuid: a new one each read (model.c); kernel.yama.*: a
	** kernel without Yama, unless the world gives it */
}

/* The value at the stack top for setting id, into *v. */
static void read_value(struct world_build *wb, const char *name, int id, struct pl_sysctl *v)
{
	lua_State *L = wb->L;
	const struct pl_sysctl_def *d = &pl_sysctl_defs[id];
	int numbers = d->type == PL_SYSCTL_INT || d->type == PL_SYSCTL_ULONG;
	size_t len;
	if (lua_type(L, -1) == LUA_TSTRING) {
		const char *text = lua_tolstring(L, -1, &len);
		if (pl_parse_sysctl(id, text, len, wb->a, v) < 0)
			luaL_error(L, "world machine: sysctl %s is not text the kernel would print", name);
		return;
	}
	memset(v, 0, sizeof *v);
	int list = lua_type(L, -1) == LUA_TTABLE;
	if (!numbers)
		luaL_error(L, "world machine: sysctl %s must be the kernel's text", name);
	if ((!list && !lua_isinteger(L, -1)) || (list && luaL_len(L, -1) != d->n) || (!list && d->n != 1))
		luaL_error(L, "world machine: sysctl %s must be %s or the kernel's text", name,
		           d->n == 1 ? "an integer" : d->n == 2 ? "a list of 2 integers" : "a list of 3 integers");
	for (unsigned i = 0; i < d->n; i++) {
		if (list)
			lua_geti(L, -1, i + 1);
		int ok;
		lua_Integer x = lua_tointegerx(L, -1, &ok);
		if (list)
			lua_pop(L, 1);
		if (!ok || (d->type == PL_SYSCTL_ULONG && x < 0))
			luaL_error(L, "world machine: sysctl %s must be %s", name,
			           d->type == PL_SYSCTL_ULONG ? "unsigned integers" : "integers");
		v->v[i] = (uint64_t)x;
	}
	v->n = d->n;
	v->set = 1;
}

struct own {
	struct pl_named_setting *v;
	size_t n, cap;
};

/* A setting of the world's own, name (sysctl's) = the value at the top. */
static void add_own(struct world_build *wb, struct own *own, const char *name)
{
	lua_State *L = wb->L;
	char path[256];
	size_t len = strlen(name);
	int bad = pl_setting_path(name, path, sizeof path) < 0 || !len || name[0] == '.' ||
	          name[len - 1] == '.' || strstr(name, "..") || memchr(name, '\n', len);
	for (const char *p = path; !bad && (p = strstr(p, "/.")); p++)
		bad = p[2] == '/' || p[2] == '\0' || (p[2] == '.' && (p[3] == '/' || !p[3]));
	if (bad || path[0] == '.')
		luaL_error(L, "world machine: sysctl '%s' is no setting's name", name);
	if (strcmp(name, "kernel.osrelease") == 0 || strcmp(name, "kernel.ostype") == 0)
		luaL_error(L, "world machine: sysctl %s is the machine's %s: declare it there", name,
		           name + 7);
	own->v = pl_arena_grow(wb->a, own->v, sizeof *own->v, &own->cap, own->n + 1);
	struct pl_named_setting *s = own->v ? &own->v[own->n] : NULL;
	if (!s || !(s->path = pl_arena_strdup(wb->a, path)))
		luaL_error(L, "world machine: out of memory");
	int val = lua_gettop(L);
	int type = lua_type(L, val);
	if (type != LUA_TSTRING && !lua_isinteger(L, val) && type != LUA_TTABLE)
		luaL_error(L, "world machine: sysctl %s must be a number, a list of numbers or text", name);
	lua_Integer count = type == LUA_TTABLE ? luaL_len(L, val) : 1;
	if (type != LUA_TSTRING && (count < 1 || count > PL_SETTING_MAX_NUMBERS))
		luaL_error(L, "world machine: sysctl %s must be 1 to %d integers", name,
		           PL_SETTING_MAX_NUMBERS);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	if (type == LUA_TSTRING) {
		size_t n;
		const char *text = lua_tolstring(L, val, &n);
		luaL_addlstring(&b, text, n);
		if (!n || text[n - 1] != '\n')
			luaL_addchar(&b, '\n');
	} else {
		for (lua_Integer i = 1; i <= count; i++) {
			int ok;
			lua_Integer x;
			if (type == LUA_TTABLE) {
				lua_geti(L, val, i);
				x = lua_tointegerx(L, -1, &ok);
				lua_pop(L, 1);
			} else {
				x = lua_tointegerx(L, val, &ok);
			}
			if (!ok)
				luaL_error(L, "world machine: sysctl %s must be integers", name);
			char num[24];
			snprintf(num, sizeof num, "%s%lld", i > 1 ? "\t" : "", (long long)x);
			luaL_addstring(&b, num);
		}
		luaL_addchar(&b, '\n');
	}
	luaL_pushresult(&b);
	size_t n;
	const char *text = lua_tolstring(L, -1, &n);
	if (pl_parse_setting(text, n, wb->a, &s->v) < 0)
		luaL_error(L, "world machine: sysctl %s: text of at most %d bytes", name,
		           PL_SETTING_MAX_TEXT);
	lua_pop(L, 1);
	own->n++;
}

void plua_world_read_sysctl(struct world_build *wb, int idx, uint64_t total_kb, struct pl_machine *m)
{
	lua_State *L = wb->L;
	struct pl_sysctl *v = pl_arena_alloc(wb->a, PL_SYSCTL_COUNT * sizeof *v);
	if (!v)
		luaL_error(L, "world machine: out of memory");
	memset(v, 0, PL_SYSCTL_COUNT * sizeof *v);
	defaults(wb, total_kb, v);
	int type = lua_getfield(L, idx, "sysctl");
	if (type != LUA_TNIL && type != LUA_TTABLE)
		luaL_error(L, "world machine: sysctl must be a table of settings by name");
	struct own own = { NULL, 0, 0 };
	if (type == LUA_TTABLE) {
		int t = lua_gettop(L);
		lua_pushnil(L);
		while (lua_next(L, t)) {
			const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
			int id = name ? pl_sysctl_lookup(name) : -1;
			if (id < 0) {
				struct plua_near near;
				char hint[96];
				plua_near_init(&near, name ? name : "");
				for (int i = 0; i < PL_SYSCTL_COUNT; i++)
					plua_near_try(&near, pl_sysctl_defs[i].name);
				if (!name || *plua_near_hint(&near, hint, sizeof hint))
					luaL_error(L, "world machine: unknown sysctl '%s'%s", name ? name : "?",
					           plua_near_hint(&near, hint, sizeof hint));
				add_own(wb, &own, name);
				lua_pop(L, 1);
				continue;
			}
			/* the machine's own facts, declared once, where the
			** machine's other facts are */
			if (id == PL_SYSCTL_HOSTNAME || id == PL_SYSCTL_PID_MAX)
				luaL_error(L, "world machine: sysctl %s is the machine's %s: declare it there",
				           name, id == PL_SYSCTL_HOSTNAME ? "hostname" : "pid_max");
			/* false: the machine has no such setting (ENOENT) */
			if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1))
				memset(&v[id], 0, sizeof v[id]);
			else
				read_value(wb, name, id, &v[id]);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	m->sysctl = v;
	m->settings = own.v;
	m->nsettings = own.n;
}
