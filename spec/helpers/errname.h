/*
** The errno name the helpers print ("ENOENT"), so a spec compares names,
** not numbers or locale-dependent messages.  Header-only: each helper is a
** program of one file.
*/
#ifndef PL_SPEC_ERRNAME_H
#define PL_SPEC_ERRNAME_H

#include <stdio.h>
#include <string.h>

static const char *errname(int e)
{
	static char buf[32];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof buf, "E%d", e);
	return buf;
}

#endif
