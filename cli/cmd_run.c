/* SPDX-License-Identifier: MIT */
/* cli/cmd_run.c - DEVELOPMENT PLACEHOLDER: replaced by the real command. */
#include <stdio.h>

#include "cli/cmds.h"

int vs_cmd_run(int argc, char **argv)
{
	fprintf(stderr, "vstrace: 'run' is not built yet\n");
	return 3;
}
