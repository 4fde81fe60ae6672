/*
** Task facts as Lua values: scalar fields by name (facts.c), and whole
** world tasks (world.c).
*/
#ifndef PLUA_FACTS_H
#define PLUA_FACTS_H

#include "lua.h"

#include "record/arena.h"
#include "source/model.h"
#include "record/task.h"

/* Set scalar `key` from the value at idx; 1 if key is a scalar fact, 0 if
** not (raises a Lua error on a bad value, naming `who`). */
int plua_facts_scalar(lua_State *L, int idx, const char *key, struct pl_task *t,
                      struct pl_arena *a, const char *who);
/* Set every scalar fact of t into the table on the stack top. */
void plua_facts_push(lua_State *L, const struct pl_task *t);

/* world.c: p.world and world methods; the model inside the world object at
** idx, or NULL if it is not one (the object keeps owning it). */
#define PLUA_WORLD_MT "proclua.world"
void plua_world_register(lua_State *L);
struct pl_model *plua_world_model(lua_State *L, int idx);

#endif
