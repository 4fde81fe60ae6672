/*
** timers: a process holding POSIX timers of each kind the kernel keeps,
** for the timers file: a signal with a pointer-sized value on
** CLOCK_MONOTONIC, one that notifies nobody (SIGEV_NONE) on
** CLOCK_REALTIME, one signalling its own thread (SIGEV_THREAD_ID) on
** CLOCK_BOOTTIME, and one with no event (SIGALRM to the process) on its
** cpu-time clock, whose id is negative.  None is armed.
**
** Prints "ready" on stdout once they exist, then waits for signals.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void make(clockid_t clock, struct sigevent *e)
{
	timer_t id;
	if (timer_create(clock, e, &id) != 0) {
		perror("timer_create");
		_exit(1);
	}
}

int main(void)
{
	struct sigevent e;
	memset(&e, 0, sizeof e);
	e.sigev_notify = SIGEV_SIGNAL;
	e.sigev_signo = SIGUSR1;
	e.sigev_value.sival_ptr = (void *)(uintptr_t)0xffff888812345678ull;
	make(CLOCK_MONOTONIC, &e);
	e.sigev_notify = SIGEV_NONE;
	make(CLOCK_REALTIME, &e);
	e.sigev_notify = SIGEV_THREAD_ID;
	e._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	e.sigev_signo = SIGRTMIN;
	make(CLOCK_BOOTTIME, &e);
	make(CLOCK_PROCESS_CPUTIME_ID, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
