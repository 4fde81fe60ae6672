/*
** p.tree { layout = L, world = W }: the /proc tree a mount would serve,
** answered in-process by the same core calls the FUSE front end makes
** (core/tree/tree.h), without FUSE and without root.  For specs of layouts
** and worlds:
**
**   tree:read(path [, caller])          -> bytes | nil, errno name [, message]
**   tree:readlink(path [, caller])      -> target | nil, errno name
**   tree:list(path [, caller])          -> { names in readdir order } | nil, errno name
**   tree:stat(path [, caller])          -> { mode, uid, gid, nlink, ino, size, type }
**   tree:lstat(path [, caller])            (the last link not followed) | nil, errno name
**   tree:write(path, bytes [, caller])  -> count | nil, errno name [, message]
**   tree:world()                        -> the world served, or nil
**
** L: a layout (p.layout{...}), a layout script's path, or nil for the stock
** layout.  W: a world (p.world{...}), a world script's path, or nil for the
** host's tasks, read with this process's rights (root sees every task's
** files as the daemon does; another user gets what the kernel gives it).
** A world's zombify and vanish show in the tree at once: it serves that
** world's model, not a copy.
**
** A path is absolute within the tree ("/", "/1/stat", "/self/status") and
** is walked as the kernel walks one: component by component, each looked up
** for the caller (search permission on every directory), "." and ".."
** (the root's ".." is the root), and the tree's symlinks followed (self,
** thread-self, mounts, a layout's p.symlink; at most 40).  A link whose
** target is absolute (exe, cwd, root, fd/N: a file outside /proc) cannot
** be followed inside the tree: EXDEV; readlink and lstat show it.  read
** opens the file read-only and reads it from offset 0 to its end, as `cat`
** does; write opens it write-only and writes the bytes once at offset 0,
** as `echo -n ... >` does; both close it.  The caller (tree_caller.c)
** defaults to root with every capability.
*/
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lauxlib.h"
#include "lua.h"

#include "source/model.h"
#include "source/pidview.h"
#include "plua.h"
#include "plua_facts.h"
#include "plua_tree.h"

#define MAX_LINKS 40        /* Linux's MAXSYMLINKS */
#define MAX_DEPTH 256       /* directories a walk may stand in: more than a layout nests */
#define READ_CHUNK 65536    /* one read(2) of `cat` */

/* The core keeps one scratch per thread for the request it serves: a
** method called from inside a Lua file or select that a method runs would
** share it. */
static _Thread_local int serving;

static struct plua_tree *check_tree(lua_State *L)
{
	return luaL_checkudata(L, 1, PLUA_TREE_MT);
}

/* ------------------------------------------------------------------------
** the walk
*/

static const char *check_path(lua_State *L, int arg, size_t *len)
{
	const char *path = luaL_checklstring(L, arg, len);
	luaL_argcheck(L, *len > 0 && path[0] == '/', arg,
	              "a path in the tree starts with '/' (\"/1/stat\", \"/self/status\")");
	luaL_argcheck(L, memchr(path, '\0', *len) == NULL, arg, "a path has no NUL byte");
	return path;
}

/* Walk path for c; `follow`: follow a link in the last component too.
** The node reached in *out, or -errno as the kernel's walk would fail. */
static int walk(struct plua_tree *t, struct pl_caller *c, const char *path, size_t plen,
                int follow, struct pl_attr *out)
{
	struct pl_tree *k = &t->k;
	struct pl_attr stack[MAX_DEPTH]; /* the directories walked into, for ".." */
	int n = 1, links = 0;
	if (plen >= 4096) /* PATH_MAX, its NUL included */
		return -ENAMETOOLONG;
	int rc = pl_tree_getattr(k, NULL, PL_ROOT_INO, &stack[0]);
	if (rc < 0)
		return rc;
	struct pl_buf *rest = &t->path, *next = &t->next;
	pl_buf_reset(rest);
	pl_buf_add(rest, path, plen);
	if (pl_buf_status(rest) < 0)
		return -ENOMEM;
	size_t pos = 0;
	for (;;) {
		const char *s = rest->data;
		size_t len = rest->len;
		while (pos < len && s[pos] == '/')
			pos++;
		if (pos == len)
			break;
		size_t end = pos;
		while (end < len && s[end] != '/')
			end++;
		size_t after = end;
		while (after < len && s[after] == '/')
			after++;
		int last = after == len, slash = end < len;
		if (!S_ISDIR(stack[n - 1].mode))
			return -ENOTDIR;
		char name[256];
		if (end - pos > 255)
			return -ENAMETOOLONG;
		memcpy(name, s + pos, end - pos);
		name[end - pos] = '\0';
		pos = end;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (n > 1)
				n--;
			continue;
		}
		struct pl_attr a;
		if ((rc = pl_tree_lookup(k, c, stack[n - 1].ino, name, &a)) < 0)
			return rc;
		if (S_ISLNK(a.mode) && (!last || follow || slash)) {
			/* the target replaces the link, from the link's directory */
			if (++links > MAX_LINKS)
				return -ELOOP;
			pl_buf_reset(&t->link);
			if ((rc = pl_tree_readlink(k, c, a.ino, &t->link)) < 0)
				return rc;
			if (t->link.len == 0)
				return -ENOENT;
			if (t->link.data[0] == '/')
				return -EXDEV; /* outside the tree */
			pl_buf_reset(next);
			pl_buf_add(next, t->link.data, t->link.len);
			pl_buf_add(next, s + pos, len - pos);
			if (pl_buf_status(next) < 0)
				return -ENOMEM;
			struct pl_buf was = *rest;
			*rest = *next;
			*next = was;
			pos = 0;
			continue;
		}
		if (n == MAX_DEPTH)
			return -ENAMETOOLONG;
		stack[n++] = a;
	}
	/* "dir/": a name with a slash after it must be a directory */
	if (rest->len && rest->data[rest->len - 1] == '/' && !S_ISDIR(stack[n - 1].mode))
		return -ENOTDIR;
	*out = stack[n - 1];
	return 0;
}

/* ------------------------------------------------------------------------
** the operations, each from the node the walk reached; the result in t->out
*/

static int read_node(struct plua_tree *t, struct pl_caller *c, const struct pl_attr *a)
{
	struct pl_tree *k = &t->k;
	if (S_ISDIR(a->mode)) { /* a directory opens for reading; reading it fails */
		struct pl_dir *d;
		int rc = pl_tree_opendir(k, c, a->ino, &d);
		if (rc < 0)
			return rc;
		pl_tree_releasedir(d);
		return -EISDIR;
	}
	struct pl_file *f;
	int rc = pl_tree_open(k, c, a->ino, O_RDONLY, &f);
	if (rc < 0)
		return rc;
	for (uint64_t off = 0;;) {
		char *w = pl_buf_reserve(&t->out, READ_CHUNK);
		if (!w) {
			rc = -ENOMEM;
			break;
		}
		const char *data;
		ssize_t got = pl_tree_read(k, c, f, off, READ_CHUNK, w, &data);
		if (got <= 0) {
			rc = (int)got;
			break;
		}
		if (data != w)
			memmove(w, data, (size_t)got);
		t->out.len += (size_t)got;
		off += (uint64_t)got;
	}
	pl_tree_release(k, f);
	return rc;
}

static int write_node(struct plua_tree *t, struct pl_caller *c, const struct pl_attr *a,
                      const char *bytes, size_t len, ssize_t *count)
{
	struct pl_tree *k = &t->k;
	if (S_ISDIR(a->mode))
		return -EISDIR;
	struct pl_file *f;
	int rc = pl_tree_open(k, c, a->ino, O_WRONLY, &f);
	if (rc < 0)
		return rc;
	*count = pl_tree_write(k, c, f, 0, bytes, len);
	pl_tree_release(k, f);
	return *count < 0 ? (int)*count : 0;
}

/* The names, each ended by a NUL, into t->out; their number in *n. */
static int list_node(struct plua_tree *t, struct pl_caller *c, const struct pl_attr *a,
                     size_t *n)
{
	struct pl_tree *k = &t->k;
	struct pl_dir *d;
	int rc = pl_tree_opendir(k, c, a->ino, &d);
	if (rc < 0)
		return rc;
	const struct pl_dirent *ents;
	size_t count;
	rc = pl_tree_readdir(k, d, 0, &ents, &count);
	*n = 0;
	for (size_t i = 0; rc == 0 && i < count; i++) {
		if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, ".."))
			continue;
		pl_buf_add(&t->out, ents[i].name, strlen(ents[i].name) + 1);
		++*n;
	}
	pl_tree_releasedir(d);
	return rc < 0 ? rc : pl_buf_status(&t->out);
}

/* ------------------------------------------------------------------------
** methods
*/

/* Before the core is asked: the tree answers this thread's Lua files. */
static void enter(lua_State *L, struct plua_tree *t)
{
	if (serving)
		luaL_error(L, "p.tree: a tree cannot be asked from inside a Lua file or view select "
		           "that a tree is running");
	serving = 1;
	t->L = L;
	pl_buf_reset(&t->out);
	pl_buf_reset(&t->lua_error);
}

static void leave(struct plua_tree *t)
{
	serving = 0;
	t->L = NULL;
	pl_tree_request_done();
}

static void push_errno_name(lua_State *L, int e)
{
	const char *name = strerrorname_np(e);
	if (name)
		lua_pushstring(L, name);
	else
		lua_pushfstring(L, "errno %d", e);
}

/* nil, the errno's name, and for EIO from a Lua file the message why. */
static int failed(lua_State *L, struct plua_tree *t, int rc)
{
	lua_pushnil(L);
	push_errno_name(L, -rc);
	if (rc == -EIO && t->lua_error.len) {
		lua_pushlstring(L, t->lua_error.data, t->lua_error.len);
		return 3;
	}
	return 2;
}

static int tree_read(lua_State *L)
{
	struct plua_tree *t = check_tree(L);
	size_t plen;
	const char *path = check_path(L, 2, &plen);
	struct pl_caller c;
	plua_tree_caller(L, t, 3, &c);
	enter(L, t);
	struct pl_attr a;
	int rc = walk(t, &c, path, plen, 1, &a);
	if (rc == 0)
		rc = read_node(t, &c, &a);
	leave(t);
	if (rc < 0)
		return failed(L, t, rc);
	lua_pushlstring(L, t->out.data ? t->out.data : "", t->out.len);
	return 1;
}

static int tree_readlink(lua_State *L)
{
	struct plua_tree *t = check_tree(L);
	size_t plen;
	const char *path = check_path(L, 2, &plen);
	struct pl_caller c;
	plua_tree_caller(L, t, 3, &c);
	enter(L, t);
	struct pl_attr a;
	int rc = walk(t, &c, path, plen, 0, &a);
	if (rc == 0)
		rc = pl_tree_readlink(&t->k, &c, a.ino, &t->out);
	leave(t);
	if (rc < 0)
		return failed(L, t, rc);
	lua_pushlstring(L, t->out.data ? t->out.data : "", t->out.len);
	return 1;
}

static int tree_list(lua_State *L)
{
	struct plua_tree *t = check_tree(L);
	size_t plen, n = 0;
	const char *path = check_path(L, 2, &plen);
	struct pl_caller c;
	plua_tree_caller(L, t, 3, &c);
	enter(L, t);
	struct pl_attr a;
	int rc = walk(t, &c, path, plen, 1, &a);
	if (rc == 0)
		rc = list_node(t, &c, &a, &n);
	leave(t);
	if (rc < 0)
		return failed(L, t, rc);
	lua_createtable(L, (int)n, 0);
	const char *name = t->out.data;
	for (size_t i = 0; i < n; i++) {
		lua_pushstring(L, name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		name += strlen(name) + 1;
	}
	return 1;
}

static const char *type_name(uint32_t mode)
{
	return S_ISDIR(mode) ? "dir" : S_ISLNK(mode) ? "link" : "file";
}

static int stat_path(lua_State *L, int follow)
{
	struct plua_tree *t = check_tree(L);
	size_t plen;
	const char *path = check_path(L, 2, &plen);
	struct pl_caller c;
	plua_tree_caller(L, t, 3, &c);
	enter(L, t);
	struct pl_attr a;
	int rc = walk(t, &c, path, plen, follow, &a);
	leave(t);
	if (rc < 0)
		return failed(L, t, rc);
	lua_createtable(L, 0, 7);
	lua_pushinteger(L, a.mode);
	lua_setfield(L, -2, "mode");
	lua_pushinteger(L, a.uid);
	lua_setfield(L, -2, "uid");
	lua_pushinteger(L, a.gid);
	lua_setfield(L, -2, "gid");
	lua_pushinteger(L, a.nlink);
	lua_setfield(L, -2, "nlink");
	lua_pushinteger(L, (lua_Integer)a.ino);
	lua_setfield(L, -2, "ino");
	lua_pushinteger(L, (lua_Integer)a.size);
	lua_setfield(L, -2, "size");
	lua_pushstring(L, type_name(a.mode));
	lua_setfield(L, -2, "type");
	return 1;
}

static int tree_stat(lua_State *L)
{
	return stat_path(L, 1);
}

static int tree_lstat(lua_State *L)
{
	return stat_path(L, 0);
}

static int tree_write(lua_State *L)
{
	struct plua_tree *t = check_tree(L);
	size_t plen, len;
	const char *path = check_path(L, 2, &plen);
	const char *bytes = luaL_checklstring(L, 3, &len);
	struct pl_caller c;
	plua_tree_caller(L, t, 4, &c);
	enter(L, t);
	struct pl_attr a;
	ssize_t count = 0;
	int rc = walk(t, &c, path, plen, 1, &a);
	if (rc == 0)
		rc = write_node(t, &c, &a, bytes, len, &count);
	leave(t);
	if (rc < 0)
		return failed(L, t, rc);
	lua_pushinteger(L, (lua_Integer)count);
	return 1;
}

static int tree_world(lua_State *L)
{
	check_tree(L);
	lua_getiuservalue(L, 1, TREE_UV_WORLD);
	return 1;
}

static int tree_tostring(lua_State *L)
{
	struct plua_tree *t = check_tree(L);
	lua_pushfstring(L, "proclua.tree (%s%s): %p", t->host ? "host" : "world",
	                t->view ? ", view" : "", (void *)t);
	return 1;
}

/* The layout's Lua functions are refs of the state's registry, which the
** tree holds from its compiling until it is collected. */
static int tree_gc(lua_State *L)
{
	struct plua_tree *t = luaL_checkudata(L, 1, PLUA_TREE_MT);
	pl_tree_free_made(&t->k);
	if (t->view) /* first: it may have told the world's model to tell it of changes */
		t->view->ops->destroy(t->view);
	if (t->host)
		t->host->ops->destroy(t->host);
	t->view = t->host = t->inner = NULL;
	pl_layout_free(t->served); /* borrows the layout's strings */
	t->served = NULL;
	if (t->layout) {
		for (uint32_t i = 0; i < t->layout->nentries; i++) {
			const struct pl_entry *e = &t->layout->entries[i];
			if (e->ref != LUA_NOREF)
				luaL_unref(L, LUA_REGISTRYINDEX, e->ref);
			if (e->wref > 0)
				luaL_unref(L, LUA_REGISTRYINDEX, e->wref);
		}
		pl_layout_free(t->layout);
		t->layout = NULL;
	}
	luaL_unref(L, LUA_REGISTRYINDEX, t->select_ref);
	t->select_ref = LUA_NOREF;
	plua_state_unborrow(t->file_tasks);
	plua_state_unborrow(t->select_tasks);
	t->file_tasks = t->select_tasks = NULL;
	pl_buf_free(&t->lua_error);
	pl_buf_free(&t->out);
	pl_buf_free(&t->path);
	pl_buf_free(&t->next);
	pl_buf_free(&t->link);
	return 0;
}

/* ------------------------------------------------------------------------
** p.tree
*/

/*
** Run a layout or world script in this state, as the daemon runs it: with
** the modules beside it found first, and `require "proc"`, where no
** proc.lua is on the path, giving the stock layout; package.path is as it
** was afterwards.  Leaves the script's first result on the stack.
*/
static void run_script(lua_State *L, const char *path)
{
	int base = lua_gettop(L), preloaded = 0;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE); /* base + 1 */
	int has_package = lua_getfield(L, base + 1, "package") == LUA_TTABLE; /* base + 2 */
	if (has_package) {
		lua_getfield(L, base + 2, "path"); /* base + 3: as it was */
		const char *slash = strrchr(path, '/');
		if (slash)
			lua_pushlstring(L, path, (size_t)(slash - path));
		else
			lua_pushliteral(L, ".");
		lua_pushfstring(L, "%s/?.lua;%s", lua_tostring(L, -1),
		                lua_isstring(L, base + 3) ? lua_tostring(L, base + 3) : "");
		lua_setfield(L, base + 2, "path");
		lua_settop(L, base + 3);
		luaL_getsubtable(L, base + 2, "preload"); /* base + 4 */
		int found = 1;
		if (lua_getfield(L, base + 2, "searchpath") == LUA_TFUNCTION) {
			lua_pushliteral(L, "proc");
			lua_getfield(L, base + 2, "path");
			lua_call(L, 2, 1);
			found = !lua_isnil(L, -1);
		}
		lua_settop(L, base + 4);
		if (!found && lua_getfield(L, base + 1, "proc") == LUA_TNIL &&
		    lua_getfield(L, base + 4, "proc") == LUA_TNIL) {
			lua_pushcfunction(L, luaopen_proclua_stock);
			lua_setfield(L, base + 4, "proc");
			preloaded = 1;
		}
		lua_settop(L, base + 4);
	}
	int rc = luaL_loadfilex(L, path, "t");
	if (rc == LUA_OK)
		rc = lua_pcall(L, 0, 1, 0);
	if (has_package) {
		lua_pushvalue(L, base + 3);
		lua_setfield(L, base + 2, "path");
		if (preloaded) {
			lua_pushnil(L);
			lua_setfield(L, base + 4, "proc");
		}
	}
	if (rc == LUA_ERRFILE) /* no such script: the caller's mistake, at its line */
		luaL_argerror(L, 1, lua_tostring(L, -1));
	if (rc != LUA_OK)
		lua_error(L); /* the script's own "file:line: ..." */
	lua_replace(L, base + 1);
	lua_settop(L, base + 1);
}

static void check_args(lua_State *L)
{
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		if (!k || (strcmp(k, "layout") && strcmp(k, "world")))
			luaL_argerror(L, 1, lua_pushfstring(L, "unknown key %s%s%s (expected layout, world)",
			              k ? "'" : "", k ? k : luaL_typename(L, -1), k ? "'" : ""));
	}
}

/* The view of the layout at idx (p.layout's view = { root, select }). */
static int make_view(lua_State *L, struct plua_tree *t, int layout)
{
	if (lua_getfield(L, layout, "view") != LUA_TTABLE) {
		lua_pop(L, 1);
		return 0;
	}
	lua_getfield(L, -1, "root");
	pl_pid root = (pl_pid)lua_tointeger(L, -1);
	lua_pop(L, 1);
	if (lua_getfield(L, -1, "select") == LUA_TFUNCTION)
		t->select_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_pop(L, 1);
	lua_pop(L, 1);
	t->view = pl_pidview_new(t->inner, root,
	                         t->select_ref != LUA_NOREF ? plua_tree_select : NULL, t);
	return t->view ? 0 : -1;
}

static int tree_new(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	check_args(L);
	lua_settop(L, 1);
	/* 2: the world, or nil */
	const char *script = NULL;
	if (lua_getfield(L, 1, "world") == LUA_TSTRING)
		run_script(L, script = lua_pushstring(L, lua_tostring(L, 2)));
	if (script && !plua_world_model(L, -1))
		luaL_argerror(L, 1, lua_pushfstring(L, "world script %s returned %s; a world script "
		              "must return p.world { tasks = {...} }", script, luaL_typename(L, -1)));
	if (script)
		lua_replace(L, 2), lua_settop(L, 2);
	if (!lua_isnil(L, 2) && !plua_world_model(L, 2))
		luaL_argerror(L, 1, lua_pushfstring(L, "world must be a world (p.world{...}) or a world "
		              "script's path, not %s", luaL_typename(L, 2)));
	/* 3: the layout (nil: the stock one) */
	script = NULL;
	if (lua_getfield(L, 1, "layout") == LUA_TSTRING) {
		run_script(L, script = lua_pushstring(L, lua_tostring(L, 3)));
		if (!plua_is(L, -1, PLUA_LAYOUT_MT))
			luaL_argerror(L, 1, lua_pushfstring(L, "layout script %s returned %s; a layout "
			              "script must return p.layout { root = {...}, task = {...} }", script,
			              luaL_typename(L, -1)));
		lua_replace(L, 3);
		lua_settop(L, 3);
	} else if (lua_isnil(L, 3)) {
		lua_pop(L, 1);
		lua_pushcfunction(L, luaopen_proclua_stock);
		lua_call(L, 0, 1);
	}
	if (!plua_is(L, 3, PLUA_LAYOUT_MT))
		luaL_argerror(L, 1, lua_pushfstring(L, "layout must be a layout (p.layout{...}) or a "
		              "layout script's path, not %s", luaL_typename(L, 3)));

	/* 4: the tree, made after the world it holds, so that it is
	** finalized before that world is */
	struct plua_tree *t = lua_newuserdatauv(L, sizeof *t, TREE_NUV);
	memset(t, 0, sizeof *t);
	t->select_ref = LUA_NOREF;
	luaL_setmetatable(L, PLUA_TREE_MT);
	lua_pushvalue(L, 2);
	lua_setiuservalue(L, 4, TREE_UV_WORLD);
	t->layout = plua_compile(L, 3);
	struct pl_model *m = plua_world_model(L, 2);
	if (m) {
		t->inner = pl_model_source(m);
	} else if (!(t->inner = t->host = pl_host_source_new("/proc"))) {
		return luaL_error(L, "p.tree: /proc: %s", strerror(errno));
	}
	if (make_view(L, t, 3) < 0)
		return luaL_error(L, "p.tree: out of memory");
	struct pl_source *src = t->view ? t->view : t->inner;
	t->file_env.src = src;
	t->select_env.src = t->inner;
	if (!(t->file_tasks = plua_state_borrow(L, &t->file_env)) ||
	    !(t->select_tasks = plua_state_borrow(L, &t->select_env)))
		return luaL_error(L, "p.tree: out of memory");
	plua_task_metatable(L, t->file_tasks, 4);
	lua_setiuservalue(L, 4, TREE_UV_FILE_TASKS);
	plua_task_metatable(L, t->select_tasks, 4);
	lua_setiuservalue(L, 4, TREE_UV_SELECT_TASKS);
	if (!(t->served = pl_layout_with_settings(t->layout, t->inner)))
		return luaL_error(L, "p.tree: out of memory");
	t->k = (struct pl_tree){
		.layout = t->served,
		.src = src,
		.mtime = (int64_t)time(NULL),
		.lua_read = plua_tree_lua_read,
		.lua_write = plua_tree_lua_write,
		.lua_ctx = t,
		.self_fallback = m ? pl_source_self(src) : 0,
	};
	return 1;
}

static const luaL_Reg tree_methods[] = {
	{ "read", tree_read },
	{ "readlink", tree_readlink },
	{ "list", tree_list },
	{ "stat", tree_stat },
	{ "lstat", tree_lstat },
	{ "write", tree_write },
	{ "world", tree_world },
	{ NULL, NULL }
};

void plua_tree_register(lua_State *L)
{
	if (luaL_newmetatable(L, PLUA_TREE_MT)) {
		lua_pushcfunction(L, tree_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushcfunction(L, tree_tostring);
		lua_setfield(L, -2, "__tostring");
		luaL_newlib(L, tree_methods);
		lua_setfield(L, -2, "__index");
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, tree_new);
	lua_setfield(L, -2, "tree");
}
