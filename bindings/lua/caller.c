/*
** The caller object a Lua file's functions are given: who reads (or
** writes) the file, as the kernel sees that process.  What the request
** names (fsuid, fsgid, thread) is there at once; the rest (status,
** groups, comm, capabilities, user namespace) is read from the host's
** /proc at first use, so a function that looks only at uid pays nothing.
**
** The object holds its own copy of the caller, made for one call: kept
** past the call, it still answers, but for a process that may have
** changed or gone since.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lauxlib.h"
#include "lua.h"

#include "access/access.h"
#include "plua_state.h"

#define CALLER_MT "proclua.caller"

/* Linux's capability names, by number (include/uapi/linux/capability.h). */
static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};
#define NCAPS (int)(sizeof cap_names / sizeof cap_names[0])

int plua_cap_count(void)
{
	return NCAPS;
}

const char *plua_cap_name(int cap)
{
	return cap >= 0 && cap < NCAPS ? cap_names[cap] : NULL;
}

int plua_cap_number(const char *name)
{
	for (int i = 0; i < NCAPS; i++)
		if (strcmp(cap_names[i], name) == 0)
			return i;
	return -1;
}

/* The numbers after "\nKey:\t" in the caller's status, as a list. */
static void push_status_list(lua_State *L, const struct pl_caller *c, const char *key)
{
	lua_newtable(L);
	if (c->pid <= 0)
		return;
	char path[64], text[8192];
	snprintf(path, sizeof path, "/proc/%d/status", (int)c->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	const char *at = strstr(text, key);
	if (!at)
		return;
	at += strlen(key);
	lua_Integer i = 0;
	while (*at && *at != '\n') {
		char *end;
		unsigned long v = strtoul(at, &end, 10);
		if (end == at)
			break;
		lua_pushinteger(L, (lua_Integer)v);
		lua_rawseti(L, -2, ++i);
		at = end;
		while (*at == ' ' || *at == '\t')
			at++;
	}
}

/* A declared caller's (p.tree's): nothing of it is read from the host. */
static void push_declared_groups(lua_State *L, const struct pl_caller *c)
{
	lua_createtable(L, (int)c->ngroups, 0);
	for (size_t i = 0; i < c->ngroups; i++) {
		lua_pushinteger(L, c->groups[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_comm(lua_State *L, const struct pl_caller *c)
{
	char path[64], text[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)c->pid);
	int fd = c->pid > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	ssize_t n = fd >= 0 ? read(fd, text, sizeof text) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		lua_pushnil(L);
		return;
	}
	lua_pushlstring(L, text, (size_t)n - (text[n - 1] == '\n'));
}

/* caps: { CAP_CHOWN = true, ... }, the effective set in the caller's own
** user namespace. */
static void push_caps(lua_State *L, uint64_t set)
{
	lua_newtable(L);
	for (int i = 0; i < NCAPS; i++) {
		if (set & (1ull << i)) {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, cap_names[i]);
		}
	}
}

/* __index: a field, loaded once and kept in the object's user value. */
static int caller_index(lua_State *L)
{
	struct pl_caller *c = luaL_checkudata(L, 1, CALLER_MT);
	const char *k = luaL_checkstring(L, 2);
	lua_getiuservalue(L, 1, 1);
	if (lua_getfield(L, -1, k) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	int from_status = !strcmp(k, "euid") || !strcmp(k, "egid") || !strcmp(k, "pid") ||
	                  !strcmp(k, "ns_pid");
	if (from_status && pl_caller_load(c) < 0 && !(c->have & PL_CALLER_ROOT))
		return 0;
	if (!strcmp(k, "uid"))
		lua_pushinteger(L, c->uid);
	else if (!strcmp(k, "gid"))
		lua_pushinteger(L, c->gid);
	else if (!strcmp(k, "tid"))
		lua_pushinteger(L, c->pid);
	else if (!strcmp(k, "euid"))
		lua_pushinteger(L, c->euid);
	else if (!strcmp(k, "egid"))
		lua_pushinteger(L, c->egid);
	else if (!strcmp(k, "pid"))
		lua_pushinteger(L, c->tgid);
	else if (!strcmp(k, "ns_pid"))
		lua_pushinteger(L, c->ns_tgid);
	else if (!strcmp(k, "groups") && (c->have & PL_CALLER_DECLARED))
		push_declared_groups(L, c);
	else if (!strcmp(k, "groups"))
		push_status_list(L, c, "\nGroups:\t");
	else if (!strcmp(k, "comm") && !(c->have & PL_CALLER_DECLARED))
		push_comm(L, c);
	else if (!strcmp(k, "caps") || !strcmp(k, "cap_eff")) {
		if (pl_caller_caps(c) < 0 && !(c->have & PL_CALLER_ROOT))
			return 0;
		if (k[3] == 's')
			push_caps(L, c->cap_eff);
		else
			lua_pushinteger(L, (lua_Integer)c->cap_eff);
	} else if (!strcmp(k, "userns")) {
		if (pl_caller_load_userns(c) < 0 || c->userns.n == 0)
			return 0;
		lua_pushinteger(L, (lua_Integer)c->userns.ns[0].ino);
	} else {
		return 0; /* not a field: nil, as a table would say */
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, 3, k);
	return 1;
}

static int caller_tostring(lua_State *L)
{
	struct pl_caller *c = luaL_checkudata(L, 1, CALLER_MT);
	lua_pushfstring(L, "caller (tid %d, uid %d, gid %d)", (int)c->pid, (int)c->uid, (int)c->gid);
	return 1;
}

void plua_push_caller(lua_State *L, const struct pl_caller *from)
{
	struct pl_caller *c = lua_newuserdatauv(L, sizeof *c, 1);
	*c = *from;
	lua_newtable(L);
	lua_setiuservalue(L, -2, 1);
	if (luaL_newmetatable(L, CALLER_MT)) {
		lua_pushcfunction(L, caller_index);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, caller_tostring);
		lua_setfield(L, -2, "__tostring");
		lua_pushliteral(L, "proclua.caller");
		lua_setfield(L, -2, "__name");
	}
	lua_setmetatable(L, -2);
}
