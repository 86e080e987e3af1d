/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_simple.c - N (argv[1], default 10) get_variable calls, then
 * exits with status argv[2] (default 0). */
#include "tests/progs/progs.h"

int main(int argc, char **argv)
{
	prog_work("simple", prog_count(argc, argv, 1, 10));
	return prog_count(argc, argv, 2, 0);
}
