/*
** timens: a process that made a new time namespace for its children
** (unshare(CLONE_NEWTIME)) and, without an argument, has not forked since:
** the namespace's offsets are still writable through its timens_offsets.
** With "enter", a child is forked into the namespace first (the kernel
** freezes the offsets when a task enters), and killed with its parent.
**
** Prints "ready" on stdout (then the child's pid with "enter"), then waits
** for signals.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int main(int argc, char **argv)
{
	if (unshare(CLONE_NEWTIME) != 0) {
		perror("unshare(CLONE_NEWTIME)");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "enter") == 0) {
		pid_t c = fork();
		if (c < 0) {
			perror("fork");
			return 1;
		}
		if (c == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		printf("ready %d\n", (int)c);
	} else {
		printf("ready\n");
	}
	fflush(stdout);
	for (;;)
		pause();
}
