/*
** spt: a process that sets its title the way setproctitle() does, by
** writing over its own argv strings in place, so that the last byte of
** the argv area (arg_end - 1) is no longer NUL and Linux's cmdline takes
** its "proctitle" path (get_mm_proctitle).
**
**   spt 1   the title runs past the argv area into the first environment
**           string and ends with a NUL there: cmdline is the title plus
**           that NUL.
**   spt 2   the title covers argv and the environment beyond one page
**           from arg_start without a NUL: cmdline is the first 4096
**           bytes of it, no NUL.
**
** spt first re-executes itself with a fixed argv and environment (big
** enough for mode 2), so the layout of the argv and environment areas does
** not depend on who started it.  When the title is written it prints
** "ready <arg_len> <title_len>" on stdout and waits for signals forever.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define MODE1_INTO_ENV 16    /* title bytes written past arg_end */
#define MODE2_TITLE    5000  /* > 4096: past one page from arg_start */
#define MODE2_ENV_EACH 3000  /* three strings: ~9 KiB of environment */

static char *env_string(const char *name, int fill, size_t n)
{
	size_t nl = strlen(name);
	char *s = malloc(nl + n + 1);

	if (!s)
		exit(1);
	memcpy(s, name, nl);
	memset(s + nl, fill, n);
	s[nl + n] = '\0';
	return s;
}

static void reexec(const char *self, const char *mode)
{
	char *argv[] = { (char *)self, (char *)mode, "staged",
			 "first argument", "", "third argument, with spaces",
			 NULL };
	char *env1[] = {
		"SPT_FIRST=the first environment string, long enough for the title's tail",
		"SPT_SECOND=second",
		NULL
	};
	char *env2[] = {
		env_string("SPT_A=", 'a', MODE2_ENV_EACH),
		env_string("SPT_B=", 'b', MODE2_ENV_EACH),
		env_string("SPT_C=", 'c', MODE2_ENV_EACH),
		NULL
	};

	execve("/proc/self/exe", argv, mode[0] == '1' ? env1 : env2);
	perror("spt: execve /proc/self/exe");
	exit(1);
}

/* The title: a recognisable, NUL-free pattern. */
static void fill_title(char *dst, size_t n)
{
	static const char pat[] = "spt-title-0123456789-";

	for (size_t i = 0; i < n; i++)
		dst[i] = pat[i % (sizeof pat - 1)];
}

int main(int argc, char **argv)
{
	char *arg_start, *arg_end, *env_end;
	size_t arg_len, title_len;

	if (argc < 2 || (strcmp(argv[1], "1") && strcmp(argv[1], "2"))) {
		fputs("usage: spt 1|2\n", stderr);
		return 2;
	}
	if (argc < 3 || strcmp(argv[2], "staged"))
		reexec(argv[0], argv[1]);

	arg_start = argv[0];
	arg_end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	if (!environ[0] || environ[0] != arg_end) {
		fputs("spt: the environment does not follow argv\n", stderr);
		return 1;
	}
	env_end = environ[0];
	for (char **e = environ; *e; e++)
		env_end = *e + strlen(*e) + 1;
	arg_len = (size_t)(arg_end - arg_start);
	title_len = argv[1][0] == '1' ? arg_len + MODE1_INTO_ENV : MODE2_TITLE;
	if (title_len + 1 > (size_t)(env_end - arg_start)) {
		fputs("spt: the argv and environment areas are too small\n", stderr);
		return 1;
	}
	/* A first environment string too short would put the NUL elsewhere. */
	if (argv[1][0] == '1' && strlen(environ[0]) < MODE1_INTO_ENV + 1) {
		fputs("spt: the first environment string is too short\n", stderr);
		return 1;
	}
	fill_title(arg_start, title_len);
	arg_start[title_len] = '\0';

	printf("ready %zu %zu\n", arg_len, title_len);
	fflush(stdout);
	for (;;)
		pause();
}
