/*
** reaper: run a spec as a child subreaper.
**
**   reaper COMMAND [ARG...]
**
** Specs start processes, kill them by pid and wait for them; a process
** whose parent dies (the zombie of the differential spec, once its parent
** is killed) is re-parented to the nearest subreaper.  Without one it goes
** to pid 1, which in some containers never reaps.  The reaper sets itself
** subreaper, runs COMMAND with default signal dispositions (a spec started
** from a background job would otherwise hand SIGINT ignored to every
** process it starts), forwards SIGINT/SIGTERM/SIGHUP to it, reaps every
** orphan, and exits with COMMAND's status.
**
** With PROCLUA_SPEC_PRELOAD set (a sanitizer build), COMMAND runs with it
** as LD_PRELOAD.
**
** When COMMAND has exited, anything still running below the reaper was
** leaked by the spec: the reaper names it, kills it by pid, and fails the
** run if COMMAND had succeeded.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/* The live (non-zombie) children of this process, read from procfs. */
static int live_children(pid_t *out, int max)
{
	char path[64], state;
	int n = 0;
	pid_t pid;
	FILE *f;

	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d", &pid) == 1) {
		FILE *s;
		char sp[64];

		snprintf(sp, sizeof sp, "/proc/%d/stat", (int)pid);
		s = fopen(sp, "r");
		if (!s)
			continue;
		/* state follows the last ')' */
		{
			char line[4096], *rp;
			size_t len = fread(line, 1, sizeof line - 1, s);
			line[len] = '\0';
			rp = strrchr(line, ')');
			state = rp && rp[1] == ' ' ? rp[2] : '?';
		}
		fclose(s);
		if (state != 'Z' && state != 'X')
			out[n++] = pid;
	}
	fclose(f);
	return n;
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void comm_of(pid_t pid, char *buf, size_t n)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, (int)n, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

int main(int argc, char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
	struct sigaction sa;
	sigset_t none;
	int status = 0, rc, leaked = 0;
	pid_t w;

	if (argc < 2) {
		fputs("usage: reaper COMMAND [ARG...]\n", stderr);
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		perror("reaper: PR_SET_CHILD_SUBREAPER");
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	child = fork();
	if (child < 0) {
		perror("reaper: fork");
		return 1;
	}
	if (child == 0) {
		for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			signal(sigs[i], SIG_DFL);
		/* a sanitizer build: the interpreter loads the instrumented Lua
		** module, so it needs the sanitizer runtime first */
		const char *preload = getenv("PROCLUA_SPEC_PRELOAD");
		if (preload && *preload)
			setenv("LD_PRELOAD", preload, 1);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "reaper: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward;
	for (size_t i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, NULL);

	for (;;) {
		w = waitpid(-1, &status, 0);
		if (w == child)
			break;
		if (w < 0 && errno != EINTR) {
			perror("reaper: waitpid");
			return 1;
		}
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	/* Whatever is still running was leaked.  A process in the middle of
	** dying gets a moment (bounded) before it counts as a leak. */
	for (int round = 0; round < 100; round++) {
		pid_t left[256];
		int n;

		reap_all();
		n = live_children(left, 256);
		if (n == 0)
			break;
		for (int i = 0; round >= 40 && i < n; i++) {
			char comm[64];

			comm_of(left[i], comm, sizeof comm);
			fprintf(stderr, "reaper: the spec left pid %d (%s) running; killing it\n",
				(int)left[i], comm);
			kill(left[i], SIGKILL);
			leaked = 1;
		}
		usleep(50000);
	}
	reap_all();
	if (leaked && rc == 0)
		rc = 1;
	return rc;
}
