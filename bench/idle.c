/*
** idle: hold N idle host processes, so the host's own `ps -e` has enough
** tasks for its per-task cost to show through its start-up.
**
**   idle N
**
** Forks N children that pause(); prints "ready N" on stdout (flushed) once
** all exist.  On SIGTERM or SIGINT it kills its children (SIGKILL, by pid),
** reaps them and exits 0; each child also has PR_SET_PDEATHSIG(SIGKILL), so
** none outlives it.  bench/run starts it and ends it by its pid.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	if (argc != 2 || atol(argv[1]) < 1) {
		fprintf(stderr, "usage: idle N\n");
		return 2;
	}
	long n = atol(argv[1]);
	pid_t *kids = calloc((size_t)n, sizeof *kids);
	if (!kids) {
		perror("idle");
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old); /* delivered only in sigsuspend */
	pid_t me = getpid();
	long made = 0;
	for (; made < n; made++) {
		pid_t p = fork();
		if (p < 0) {
			perror("idle: fork");
			break;
		}
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != me)
				_exit(0);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			for (;;)
				pause();
		}
		kids[made] = p;
	}
	if (made == n) {
		printf("ready %ld\n", made);
		fflush(stdout);
	}
	if (made < n)
		stop = 1;
	while (!stop)
		sigsuspend(&old);
	for (long i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
