/*
** Building a world: world.c reads p.world{} (tasks, threads, the machine,
** self, zombies) and leaves the parts to world_task.c (one task record),
** world_memory.c (its address space) and world_machine.c (the machine-wide
** files).  Private to those files.
*/
#ifndef PLUA_WORLD_BUILD_H
#define PLUA_WORLD_BUILD_H

#include <stdint.h>

#include "lua.h"

#include "record/arena.h"
#include "record/machine.h"
#include "record/task.h"
#include "source/model.h"

/* One p.world{} call while it builds its model: the model, its arena, the
** task being read (for messages) and what every task of it shares. */
struct world_build {
	lua_State *L;
	struct pl_model *m;
	struct pl_arena *a;
	char who[48];              /* "world task 42" for messages */
	struct pl_task *dflt;      /* default lists, parsed once, shared by every task */
	struct pl_model_fdinfo *dflt_fdinfo;
};

/* world.c: reading the declaration. */
/* Whether the table at idx gives key (what it leaves out takes a default). */
int plua_world_has(lua_State *L, int idx, const char *key);
/* The integer at idx: a Lua integer or a string ("0x1f"), so masks above
** 2^63 survive; anything else raises an error naming wb->who and what. */
uint64_t plua_world_int_at(struct world_build *wb, int idx, const char *what);
/* The integer at key of the table at idx, or dflt when it is absent. */
uint64_t plua_world_int_field(struct world_build *wb, int idx, const char *key, uint64_t dflt);

/* world_task.c: the record of task tid of group tgid from the task table at
** task (for a thread, leader is its leader's table, else 0), added to the
** model; and every key of the table at idx applied to t. */
struct pl_task *plua_world_add_task(struct world_build *wb, int task, int leader, pl_pid tgid,
                                    pl_pid tid);
void plua_world_apply(struct world_build *wb, int idx, struct pl_task *t);

/* world_memory.c: argv and env of the task table at idx into t's address
** space, then its mem and unmap; and the [stack] region a task shows when
** its world gives no maps. */
void plua_world_place_memory(struct world_build *wb, int idx, struct pl_task *t);
void plua_world_default_regions(struct world_build *wb, struct pl_task *t);

/* world_machine.c: the machine = { ... } table at idx into m. */
void plua_world_read_machine(struct world_build *wb, int idx, struct pl_machine *m);
/* world_devices.c: interrupts, softirqs, diskstats, partitions (before
** the stat and vmstat they feed). */
void plua_world_read_devices(struct world_build *wb, int idx, uint32_t ncpu, struct pl_machine *m);
/* world_locks.c: machine.locks (records or text; none by default). */
void plua_world_read_locks(struct world_build *wb, int idx, struct pl_machine *m);
/* world_tty.c: machine.tty_drivers (records or text; a Debian VM's by default). */
void plua_world_read_tty_drivers(struct world_build *wb, int idx, struct pl_machine *m);
/* world_tables.c: machine.sysvipc (records or text), slabinfo, buddyinfo,
** devices, misc, consoles, execdomains, crypto (text; a Debian VM's by default). */
void plua_world_read_tables(struct world_build *wb, int idx, struct pl_machine *m);
/* world_sysctl.c: machine.sysctl, over the defaults of a machine with
** total_kb of memory. */
void plua_world_read_sysctl(struct world_build *wb, int idx, uint64_t total_kb, struct pl_machine *m);

/* world_net.c: net = { ... } at idx (0: none given) into the model's
** network namespaces. */
void plua_world_read_net(struct world_build *wb, int idx);

/* world_timens.c: timens = { [ino] = { monotonic =, boottime = } } at idx
** into the model's time namespaces. */
void plua_world_read_timens(struct world_build *wb, int idx);

#endif
