/*
** selfstate PROC: what a process reads of its own state under PROC (a
** /proc, the kernel's or a mount), from a second thread while the first
** waits for it in pthread_join, one line each:
**
**   self <state letter of PROC/self/stat>
**   thread-self <state letter of PROC/thread-self/stat>
**   status <the State: line of PROC/thread-self/status, its value>
**   wchan <PROC/thread-self/wchan>
**
** or "<what> <errno name>" where a read fails.  PROC/self/stat shows the
** group's leader (asleep in the join); PROC/thread-self/ shows the reader.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"

static const char *proc;

static int slurp(const char *rel, char *buf, size_t size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", proc, rel);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	return 0;
}

/* The state letter: the field after the comm's closing parenthesis. */
static void stat_state(const char *what, const char *rel)
{
	char buf[4096];
	int rc = slurp(rel, buf, sizeof buf);
	const char *close = rc == 0 ? strrchr(buf, ')') : NULL;
	if (rc < 0)
		printf("%s %s\n", what, errname(-rc));
	else
		printf("%s %c\n", what, close && close[1] == ' ' ? close[2] : '?');
}

/* Until the leader sleeps in the join (the kernel's /proc says), at most
** 10 s: only then does the group's file show it asleep. */
static void wait_for_the_leader(void)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)getpid(), (int)getpid());
	for (int i = 0; i < 10000; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = '\0';
		const char *close_paren = strrchr(buf, ')');
		if (close_paren && close_paren[1] == ' ' && close_paren[2] == 'S')
			return;
		usleep(1000);
	}
}

static void *reader(void *arg)
{
	(void)arg;
	char buf[8192];
	wait_for_the_leader();
	stat_state("self", "self/stat");
	stat_state("thread-self", "thread-self/stat");
	int rc = slurp("thread-self/status", buf, sizeof buf);
	const char *state = rc == 0 ? strstr(buf, "\nState:\t") : NULL;
	if (state) {
		state += 8;
		printf("status %.*s\n", (int)strcspn(state, "\n"), state);
	} else {
		printf("status %s\n", rc < 0 ? errname(-rc) : "?");
	}
	rc = slurp("thread-self/wchan", buf, sizeof buf);
	printf("wchan %s\n", rc < 0 ? errname(-rc) : buf);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	proc = argc > 1 ? argv[1] : "/proc";
	if (pthread_create(&t, NULL, reader, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	return fflush(stdout) == 0 ? 0 : 1;
}
