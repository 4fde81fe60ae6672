/*
** The input as a layout script, loaded as `proclua --check` loads one
** (plua_open_with: the restricted environment, the Lua memory limit, the
** load's time limit, the stock layout on the module path for require
** "proc"), then, if it loads, what the daemon would run of it: each Lua
** file once for this process (as /proc/<pid>/FILE or at the top level),
** and the view's select.  A script may fail in any way it likes; a crash,
** a sanitizer report, a leak or a hang may not.
**
** The limits are the daemon's (served.c: 5 s to load, 1 s a call; the
** Lua memory limit, at 64 MiB here, see lua_sandbox.h): a load or a call
** stuck past its limit inside a C function is abandoned by design, its
** thread left running and its memory kept, which LeakSanitizer reports;
** with the daemon's limits only a call stuck for seconds is.  At most
** three Lua files run, so that an input stays within the 10 s a run
** allows each.
*/
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "plua.h"
#include "source/source.h"
#include "lua_sandbox.h"

#define LUA_FILES_RUN 3

static struct pl_source *host;
static char layout_path[PATH_MAX];

static void quiet(const char *fmt, ...)
{
	(void)fmt; /* a Lua file's failure is the script's business */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(layout_path, sizeof layout_path, "%s/layout.lua", sandbox_dir());
	host = pl_host_source_new("/proc");
	if (!host) {
		perror("fuzz: /proc");
		abort();
	}
	plua_log = quiet;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sandbox_write(layout_path, data, size);
	struct pl_source *src = host;
	struct plua_limits lim = { .load_seconds = 5.0, .call_seconds = 1.0 };
	char err[1024];
	const char *failed;
	struct plua *p = plua_open_with(layout_path, NULL, PROCLUA_SOURCE_DIR "/scripts/proc.lua",
	                                &src, &lim, err, sizeof err, &failed);
	if (!p)
		return 0;
	const struct pl_layout *l = plua_layout(p);
	int run = 0;
	for (uint32_t i = 0; i < l->nentries && run < LUA_FILES_RUN; i++) {
		const struct pl_entry *e = &l->entries[i];
		if (e->kind != PL_K_LUA)
			continue;
		struct pl_buf out = PL_BUF_INIT;
		struct pl_caller root;
		pl_caller_init_root(&root);
		plua_read(p, e->ref, e->scope == PL_SCOPE_TASK ? getpid() : 0, 0, &root, &out);
		pl_buf_free(&out);
		run++;
	}
	pl_pid root;
	int has_select;
	if (plua_view(p, &root, &has_select) && has_select)
		plua_select(p, getpid());
	plua_close(p);
	return 0;
}
