/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_fork.c - 5 calls, fork; the child makes 7 calls and exits
 * 3, the parent waits, makes 2 more calls and exits 0. */
#include <sys/wait.h>
#include <unistd.h>

#include "tests/progs/progs.h"

int main(void)
{
	prog_work("parent", 5);
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		prog_work("child", 7);
		exit(3);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 3)
		return 4;
	prog_work("parent", 2);
	return 0;
}
