/*
** A short-lived child of the daemon, for what only a process in another
** namespace can learn (timens.c, netsys.c): made by the raw clone system
** call, as fork makes one but without the C library's fork handlers, with
** every signal blocked.  The daemon's other threads may hold the
** allocator's locks at the clone, so the child runs only system calls.
*/
#ifndef PL_SOURCE_CHILD_H
#define PL_SOURCE_CHILD_H

#include <stddef.h>
#include <sys/types.h>

/*
** Run fn(arg, out) in a child; out is the write end of a pipe whose read
** end the daemon reads until the child closes it, for at most timeout_ms
** at a time: its bytes, '\0'-terminated, in *text (malloc'd) and *len.
** 0 when the child wrote and exited with fn's 0; else -errno (-EIO: it
** failed, or said nothing in time and was killed).
*/
int pl_child_run(int (*fn)(void *arg, int out), void *arg, int timeout_ms, char **text,
                 size_t *len);

/* Write all of p[0, len) to fd (in a child: system calls only); 0 or -1. */
int pl_child_write(int fd, const char *p, size_t len);

#endif
