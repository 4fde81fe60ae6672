/*
** The memory handles may hold: a file's snapshot is kept by its handle so
** that one read loop sees one content, and each opener's uid may have at
** most PL_BUDGET_PER_UID bytes kept (all openers together at most
** PL_BUDGET_TOTAL).  A handle refused a snapshot serves each read from a
** fresh make of the file, as a seq_file does, which costs the reader time
** and the daemon nothing it keeps.
*/
#include "tree/node.h"

#include <pthread.h>

#define SLOTS 256 /* uids holding snapshots at once, before the last shares */

static struct { uint32_t uid; size_t bytes; } held[SLOTS];
static size_t total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The slot of uid (claimed if free); the last slot is everyone else's. */
static size_t slot_of(uint32_t uid)
{
	size_t i = (uid * 2654435761u) % (SLOTS - 1);
	for (size_t probe = 0; probe < SLOTS - 1; probe++, i = (i + 1) % (SLOTS - 1))
		if (held[i].uid == uid || held[i].bytes == 0) {
			held[i].uid = uid;
			return i;
		}
	return SLOTS - 1;
}

int pl_budget_take(uint32_t uid, size_t n)
{
	pthread_mutex_lock(&lock);
	size_t i = slot_of(uid);
	int ok = held[i].bytes + n <= PL_BUDGET_PER_UID && total + n <= PL_BUDGET_TOTAL;
	if (ok) {
		held[i].bytes += n;
		total += n;
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

void pl_budget_give(uint32_t uid, size_t n)
{
	pthread_mutex_lock(&lock);
	size_t i = slot_of(uid);
	held[i].bytes -= n <= held[i].bytes ? n : held[i].bytes;
	total -= n <= total ? n : total;
	pthread_mutex_unlock(&lock);
}
