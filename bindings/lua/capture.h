/*
** `proclua capture`, shared by its two halves: capture.c (live processes,
** through the host source) and capture_saved.c (a saved /proc tree, file
** by file).  Private to them.
*/
#ifndef PLUA_CAPTURE_H
#define PLUA_CAPTURE_H

#include "lua.h"

#include "record/task.h"

/* Drop from the task table on the stack top the facts that only repeat
** what this kernel prints anyway (stat_fields 52, status_lines of the
** task's own rules, no absent entries, VmPMD 0), so a world captured from
** this machine says no more than it needs. */
void plua_capture_drop_defaults(lua_State *L, const struct pl_task *t);

/* A saved tree being captured. */
struct plua_saved;

/* The tree at root; fill: what it lacks takes a world's defaults instead
** of being absent.  NULL (errno set) if root is not a directory. */
struct plua_saved *plua_saved_open(const char *root, int fill);
/*
** The world task table of pid, from root/pid/ (and its threads from
** task/<tid>/), pushed; what is missing or unreadable is reported on
** stderr as it is found.  0, or -errno with nothing pushed when the tree
** has no file of pid at all.
*/
int plua_saved_capture(lua_State *L, struct plua_saved *s, pl_pid pid);
/*
** Build the world from its text (as `proclua --world` would) and compare
** every saved file it serves with the saved bytes; each difference is
** reported on stderr with the saved file's path and the first line that
** differs.  0, or -1 when the world does not even load (reported).
*/
int plua_saved_verify(lua_State *L, struct plua_saved *s, const char *world, size_t len);
/* Whether a saved file was unreadable or is not served as saved. */
int plua_saved_problems(const struct plua_saved *s);
void plua_saved_close(struct plua_saved *s);

#endif
