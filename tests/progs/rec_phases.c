/* SPDX-License-Identifier: MIT */
/*
 * tests/progs/rec_phases.c - N1 (argv[1]) get_variable calls, then, with
 * argv[3] = DIR: creates DIR/ready and waits for DIR/go; then N2 (argv[2])
 * calls and creates DIR/done.  Lets a test stop the recorder between the
 * phases so that a small ring overflows deterministically.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "tests/progs/progs.h"

static void touch(const char *dir, const char *name)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
}

static void wait_for(const char *dir, const char *name)
{
	char p[4096];
	struct timespec ts = {0, 1000000};
	snprintf(p, sizeof p, "%s/%s", dir, name);
	while (access(p, F_OK) != 0)
		nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 3 ? argv[3] : NULL;
	prog_work("one", prog_count(argc, argv, 1, 10));
	if (dir) {
		touch(dir, "ready");
		wait_for(dir, "go");
	}
	prog_work("two", prog_count(argc, argv, 2, 10));
	if (dir)
		touch(dir, "done");
	return 0;
}
