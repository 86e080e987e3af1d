/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_shutdown.c - like the README's first program: N (argv[1],
 * default 10) get_variable calls, then vs_runtime_shutdown() before
 * returning status argv[2] (default 0). */
#include "tests/progs/progs.h"

int main(int argc, char **argv)
{
	prog_work("shut", prog_count(argc, argv, 1, 10));
	vs_runtime_shutdown();
	return prog_count(argc, argv, 2, 0);
}
