/*
** Task facts as Lua values: one table (facts.c) names every fact of struct
** pl_task a world can declare, with the PL_F_* group that guarantees it.
** The world loader sets facts from it, a capture writes them out from it,
** and a Lua file's task object reads them through it, so a fact a world can
** declare is a fact a Lua file can read, under the same name.
*/
#ifndef PLUA_FACTS_H
#define PLUA_FACTS_H

#include "lua.h"

#include "record/arena.h"
#include "record/task.h"
#include "source/model.h"

/* Where a fact's value goes when a world sets it. */
struct plua_fact_ctx {
	lua_State *L;
	struct pl_arena *a;        /* the record's strings and lists */
	const char *who;           /* "world task 42", for messages */
};

enum plua_fact_type { PLUA_U64, PLUA_I64, PLUA_U32, PLUA_I32, PLUA_STR, PLUA_COMM, PLUA_CHAR,
                      PLUA_LIST };

struct plua_fact {
	const char *name;
	uint64_t group;            /* the PL_F_* group that guarantees it */
	uint8_t type;              /* enum plua_fact_type */
	uint16_t off;              /* scalars: the field in struct pl_task */
	/* Set from the value at idx, raising a Lua error naming c->who on a bad
	** value.  NULL: the scalar conversion (or, for a list, a fact only the
	** world loader itself places, as fds). */
	void (*set)(const struct plua_fact_ctx *c, int idx, struct pl_task *t);
	/* Lists: push the value, or nothing (returns 0) when the task has none. */
	int (*push)(lua_State *L, const struct pl_task *t);
};

extern const struct plua_fact plua_facts[];
extern const size_t plua_nfacts;

/* The length of the list at idx (its __len if it has one), raising an
** error naming c->who and `what` unless it is 0 to max: a length is
** about to size an allocation or a loop. */
size_t plua_list_len(lua_State *L, int idx, size_t max, const char *who, const char *what);

/* The fact of that name, or NULL. */
const struct plua_fact *plua_fact_find(const char *name);
/* Set fact f of t from the value at idx. */
void plua_fact_set(const struct plua_fact_ctx *c, const struct plua_fact *f, int idx,
                   struct pl_task *t);
/* Push fact f of t; 0 (nothing pushed) when the task has no such value. */
int plua_fact_push(lua_State *L, const struct plua_fact *f, const struct pl_task *t);
/* An integer fact's value as 64 bits (signed ones sign-extended), and
** pushed as plua_fact_push would push it. */
int plua_fact_is_integer(const struct plua_fact *f);
uint64_t plua_fact_bits(const struct plua_fact *f, const struct pl_task *t);
void plua_fact_push_bits(lua_State *L, const struct plua_fact *f, uint64_t v);
/* Every fact of the groups `groups` into the table on the stack top. */
void plua_facts_push(lua_State *L, const struct pl_task *t, uint64_t groups);

/* What smaps always prints of a region a world gives by maps alone. */
void plua_region_defaults(struct pl_arena *a, lua_State *L, struct pl_region *r);

/* world.c: p.world and world methods; the model inside the world object at
** idx, or NULL if it is not one (the object keeps owning it). */
#define PLUA_WORLD_MT "proclua.world"
void plua_world_register(lua_State *L);
struct pl_model *plua_world_model(lua_State *L, int idx);
/* The model of the world object at idx, which the caller owns from now on
** (the object still reads it); NULL if it is not a world owning one. */
struct pl_model *plua_world_take(lua_State *L, int idx);
/* Push a world object on m that never frees it. */
void plua_world_push_borrowed(lua_State *L, struct pl_model *m);

#endif
