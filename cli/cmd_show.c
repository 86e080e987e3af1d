/* SPDX-License-Identifier: MIT */
/* cli/cmd_show.c - DEVELOPMENT PLACEHOLDER: replaced by the real command. */
#include <stdio.h>

#include "cli/cmds.h"

int vs_cmd_show(int argc, char **argv)
{
	fprintf(stderr, "vstrace: 'show' is not built yet\n");
	return 3;
}
