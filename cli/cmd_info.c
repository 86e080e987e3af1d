/* SPDX-License-Identifier: MIT */
/* cli/cmd_info.c - DEVELOPMENT PLACEHOLDER: replaced by the real command. */
#include <stdio.h>

#include "cli/cmds.h"

int vs_cmd_info(int argc, char **argv)
{
	fprintf(stderr, "vstrace: 'info' is not built yet\n");
	return 3;
}
