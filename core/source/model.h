/*
** pl_model: the model source, tasks declared by a world rather than read
** from the host.  A world binding fills records (pl_model_add) whose strings
** and lists live in the model's arena, then seals it (pl_model_seal); the
** source then serves those facts through the same formatters as the host's.
**
** Worlds can change while mounted (a task becomes a zombie or vanishes);
** readers and changers are serialised by a rwlock inside the model.
*/
#ifndef PL_MODEL_H
#define PL_MODEL_H

#include "record/arena.h"
#include "source/aspace.h"
#include "source/source.h"
#include "record/task.h"

struct pl_model;

struct pl_model_fdinfo {
	int32_t fd;
	struct pl_fdinfo info;
};

struct pl_model *pl_model_new(void);
void pl_model_free(struct pl_model *m);
struct pl_source *pl_model_source(struct pl_model *m);
struct pl_arena *pl_model_arena(struct pl_model *m);

/*
** A new record for thread tid of group tgid (tid == tgid: the leader, whose
** record also serves /proc/<tgid>/).  Returns NULL when out of memory (a
** tid declared twice is found at pl_model_seal).  Fill it while its group
** is declared: a group's records are packed, and the pointers given out
** die, when a task of another group is added or at pl_model_seal.  Threads
** come right after their leader.
*/
struct pl_task *pl_model_add(struct pl_model *m, pl_pid tgid, pl_pid tid);
/*
** A separate /proc/<tgid>/ record for a leader, when the group's view
** differs from the leader thread's (summed faults and times, the group's
** exit code): starts as a copy of the leader's record as it is now.  Only
** for the group being declared.
*/
struct pl_task *pl_model_group_view(struct pl_model *m, pl_pid tgid);
/* The address space of group tgid (created on first use). */
struct pl_aspace *pl_model_aspace(struct pl_model *m, pl_pid tgid);
/* The world's machine-wide facts, to fill before sealing (strings and
** lists in the model's arena). */
struct pl_machine *pl_model_machine(struct pl_model *m);
/* The net/ files of the network namespace tasks name by inode `ino` in
** ns_ino[PL_NS_NET] (0: of every namespace the world does not name), to
** fill before sealing (lists and strings in the model's arena); the
** record moves when another namespace is added.  NULL: out of memory. */
struct pl_net *pl_model_netns(struct pl_model *m, uint64_t ino);
/* The offsets (PL_TIMENS_COUNT) of the time namespace tasks name by
** inode `ino` (ns/time_for_children shows them); undeclared: 0 0.
** 0 or -ENOMEM. */
int pl_model_timens(struct pl_model *m, uint64_t ino, const struct pl_timens_offset *off);
/* The initial time namespace (PROC_TIME_INIT_INO): always frozen, 0 0. */
#define PL_TIMENS_INIT_INO 4026531834u
/* fdinfo records of a task, parallel to its fds. */
int pl_model_set_fdinfo(struct pl_model *m, pl_pid tid, struct pl_model_fdinfo *fi, size_t n);

/* Check and index: every thread has a leader; thread lists are filled.
** Returns 0 or -EINVAL with a message in err. */
int pl_model_seal(struct pl_model *m, char *err, size_t errlen);

/* Run-time changes: the group turns into a zombie (no mm, state Z, one
** thread), or vanishes (reaped: ESRCH / ENOENT from then on). */
int pl_model_zombify(struct pl_model *m, pl_pid tgid);
int pl_model_vanish(struct pl_model *m, pl_pid tgid);

#endif
