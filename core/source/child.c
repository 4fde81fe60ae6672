/*
** A short-lived child of the daemon (see child.h).
*/
#include "source/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int pl_child_write(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* What the child writes, until it closes the pipe (each wait bounded). */
static int read_all(int fd, int timeout_ms, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int ready = poll(&pfd, 1, timeout_ms);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			break;
		if (n == cap) {
			char *more = realloc(buf, cap * 2 + 1);
			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			buf[n] = '\0';
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return -EIO;
}

int pl_child_run(int (*fn)(void *arg, int out), void *arg, int timeout_ms, char **text,
                 size_t *len)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	long pid = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid == 0) {
		close(p[0]);
		syscall(SYS_exit_group, fn(arg, p[1]) == 0 ? 0 : 1);
	}
	int err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -err;
	}
	*text = NULL;
	int rc = read_all(p[0], timeout_ms, text, len);
	if (rc < 0)
		kill((pid_t)pid, SIGKILL); /* our own child, not reaped yet */
	close(p[0]);
	int status = 0;
	while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = -EIO;
	if (rc < 0) {
		free(*text);
		*text = NULL;
	}
	return rc;
}
