/*
** A world task's simulated address space: argv and env are placed as
** execve leaves them; mem/unmap then write bytes or punch holes, so a world
** can build states no live system produces on demand.
*/
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "plua_facts.h"
#include "world_build.h"

#define STACK_TOP 0x7ffffffff000ull
#define STACK_SIZE (132ull * 1024)

/* Entries of argv, env, mem and unmap.  execve takes fewer strings than
** this: they and their pointers must fit in 6 MiB of stack. */
#define LIST_MAX (1u << 20)

/* Strings of a list, NUL-terminated each, back to back: argv or env as
** execve lays them out.  *n: how many. */
static size_t strings_len(struct world_build *wb, int idx, const char *what, size_t *n)
{
	lua_State *L = wb->L;
	size_t total = 0;
	*n = plua_list_len(L, idx, LIST_MAX, wb->who, what);
	for (size_t i = 1; i <= *n; i++) {
		size_t len;
		lua_geti(L, idx, (lua_Integer)i);
		if (!lua_tolstring(L, -1, &len)) /* a number is taken as its text */
			luaL_error(L, "%s: %s[%d] must be a string", wb->who, what, (int)i);
		total += len + 1;
		lua_pop(L, 1);
	}
	return total;
}

static void write_strings(struct world_build *wb, struct pl_aspace *as, int idx, size_t n,
                          uint64_t addr)
{
	lua_State *L = wb->L;
	for (size_t i = 1; i <= n; i++) {
		size_t len;
		lua_geti(L, idx, (lua_Integer)i);
		const char *s = lua_tolstring(L, -1, &len);
		if (!s) /* a list's __index answered differently this time */
			luaL_error(L, "%s: argv/env changed while it was placed", wb->who);
		if (pl_aspace_write(as, addr, s, len + 1) < 0)
			luaL_error(L, "%s: out of memory placing argv/env", wb->who);
		addr += len + 1;
		lua_pop(L, 1);
	}
}

/* An address in mem/unmap: addr = N, or at = "arg_start" (arg_end,
** env_start, env_end, start_stack) plus offset = N, so a world can overwrite
** argv without knowing where execve put it. */
static uint64_t mem_addr(struct world_build *wb, int idx, const struct pl_task *t)
{
	lua_State *L = wb->L;
	uint64_t off = plua_world_int_field(wb, idx, "offset", 0);
	if (lua_getfield(L, idx, "at") == LUA_TNIL) {
		lua_pop(L, 1);
		return plua_world_int_field(wb, idx, "addr", 0) + off;
	}
	static const char *const names[] = { "arg_start", "arg_end", "env_start", "env_end",
	                                      "start_stack", NULL };
	const uint64_t bases[] = { t->mm.arg_start, t->mm.arg_end, t->mm.env_start, t->mm.env_end,
	                           t->mm.start_stack };
	int i = luaL_checkoption(L, -1, NULL, names);
	lua_pop(L, 1);
	return bases[i] + off;
}

static uint64_t stack_top(const struct pl_task *t)
{
	for (size_t i = 0; i < t->nregions; i++)
		if (t->regions[i].name && strcmp(t->regions[i].name, "[stack]") == 0)
			return t->regions[i].end;
	return STACK_TOP;
}

/* Place argv and env at the top of a [stack] region, as execve does, unless
** the world set the boundaries itself; then apply mem and unmap. */
void plua_world_place_memory(struct world_build *wb, int idx, struct pl_task *t)
{
	lua_State *L = wb->L;
	struct pl_aspace *as = pl_model_aspace(wb->m, t->tgid);
	if (!as)
		luaL_error(L, "out of memory");
	int targv = lua_getfield(L, idx, "argv") == LUA_TTABLE;
	int tenv = lua_getfield(L, idx, "env") == LUA_TTABLE;
	int a = lua_gettop(L) - 1, e = a + 1;
	size_t na = 0, ne = 0;
	size_t alen = targv ? strings_len(wb, a, "argv", &na) : 0;
	size_t elen = tenv ? strings_len(wb, e, "env", &ne) : 0;
	/* execve puts the environment just below the top of the stack (then
	** only the program's path and a NULL pointer): map from arg_start to
	** the top, so a world's memory costs its strings, not pages.  The top
	** is the end of the task's [stack] region. */
	uint64_t top = stack_top(t);
	uint64_t start = (top - 64 - alen - elen) & ~15ull;
	if (!plua_world_has(L, idx, "arg_start") && (targv || tenv)) {
		t->mm.arg_start = start;
		t->mm.arg_end = start + alen;
		t->mm.env_start = start + alen;
		t->mm.env_end = start + alen + elen;
	}
	if (targv || tenv) {
		/* the rest of the [stack] region reads as unmapped: a world's
		** memory is sparse */
		if (pl_aspace_map(as, start, top - start) < 0)
			luaL_error(L, "out of memory");
		if (targv)
			write_strings(wb, as, a, na, t->mm.arg_start);
		if (tenv)
			write_strings(wb, as, e, ne, t->mm.env_start);
		if (!plua_world_has(L, idx, "start_stack"))
			t->mm.start_stack = (start - 256) & ~15ull;
	}
	lua_pop(L, 2);
	if (lua_getfield(L, idx, "mem") == LUA_TTABLE) { /* { {addr =, bytes =}, ... } */
		lua_Integer n = (lua_Integer)plua_list_len(L, -1, LIST_MAX, wb->who, "mem");
		for (lua_Integer i = 1; i <= n; i++) {
			lua_geti(L, -1, i);
			uint64_t addr = mem_addr(wb, lua_gettop(L), t);
			lua_getfield(L, -1, "bytes");
			size_t len;
			const char *bytes = luaL_checklstring(L, -1, &len);
			if (pl_aspace_write(as, addr, bytes, len) < 0)
				luaL_error(L, "%s: mem[%d] does not fit the address space", wb->who, (int)i);
			lua_pop(L, 2);
		}
	}
	lua_pop(L, 1);
	if (lua_getfield(L, idx, "unmap") == LUA_TTABLE) { /* { {addr =, len =}, ... } */
		lua_Integer n = (lua_Integer)plua_list_len(L, -1, LIST_MAX, wb->who, "unmap");
		for (lua_Integer i = 1; i <= n; i++) {
			lua_geti(L, -1, i);
			int r = lua_gettop(L);
			if (pl_aspace_unmap(as, mem_addr(wb, r, t), plua_world_int_field(wb, r, "len", 0)) < 0)
				luaL_error(L, "%s: unmap[%d] failed", wb->who, (int)i);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* The region list a task shows when the world gives no maps: its stack. */
void plua_world_default_regions(struct world_build *wb, struct pl_task *t)
{
	struct pl_region *r = pl_arena_alloc(wb->a, sizeof *r);
	r->start = STACK_TOP - STACK_SIZE;
	r->end = STACK_TOP;
	memcpy(r->perms, "rw-p", 5);
	r->name = "[stack]";
	r->protection_key = -1;
	plua_region_defaults(wb->a, wb->L, r);
	t->regions = r;
	t->nregions = 1;
}
