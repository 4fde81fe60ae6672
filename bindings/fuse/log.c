/*
** Where the daemon's messages go once it runs in the background.
**
** fuse_daemonize points stderr at /dev/null, and every message the daemon
** writes after (a Lua file's error with its file and line, a notice of
** libfuse's own) would be lost.  So stderr is pointed again: at the file
** --log names (appended to, so several runs share it), or else into a pipe
** whose lines a thread hands to syslog ("proclua[PID]", facility daemon),
** where journalctl -t proclua finds them.  In the foreground stderr stays.
*/
#include "pl_fuse.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* Each line of the pipe becomes one syslog message. */
static void *to_syslog(void *arg)
{
	FILE *in = fdopen((int)(intptr_t)arg, "r");
	if (!in)
		return NULL;
	char line[4096];
	while (fgets(line, sizeof line, in)) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		syslog(LOG_WARNING, "%s", line);
	}
	fclose(in);
	return NULL;
}

int pl_log_start(const char *path, int foreground)
{
	if (path) {
		int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			return -errno;
		close(fd);
		setvbuf(stderr, NULL, _IOLBF, 0);
		return 0;
	}
	if (foreground)
		return 0;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	openlog("proclua", LOG_PID, LOG_DAEMON);
	pthread_t t;
	if (dup2(p[1], STDERR_FILENO) < 0 ||
	    pthread_create(&t, NULL, to_syslog, (void *)(intptr_t)p[0]) != 0) {
		close(p[0]);
		close(p[1]);
		return -EIO;
	}
	close(p[1]);
	pthread_detach(t);
	setvbuf(stderr, NULL, _IOLBF, 0);
	return 0;
}
