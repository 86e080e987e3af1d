/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_shutdown.c - N (argv[1], default 10) get_variable calls,
 * then vs_runtime_shutdown() (as the README's first program does), then
 * exits with status argv[2] (default 0). */
#include "tests/progs/progs.h"

int main(int argc, char **argv)
{
	prog_work("down", prog_count(argc, argv, 1, 10));
	vs_runtime_shutdown();
	return prog_count(argc, argv, 2, 0);
}
