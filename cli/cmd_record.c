/* SPDX-License-Identifier: MIT */
/* cli/cmd_record.c - DEVELOPMENT PLACEHOLDER: replaced by the real command. */
#include <stdio.h>

#include "cli/cmds.h"

int vs_cmd_record(int argc, char **argv)
{
	fprintf(stderr, "vstrace: 'record' is not built yet\n");
	return 3;
}
