/* SPDX-License-Identifier: MIT */
/* cli/cmd_query.c - DEVELOPMENT PLACEHOLDER: replaced by the real command. */
#include <stdio.h>

#include "cli/cmds.h"

int vs_cmd_query(int argc, char **argv)
{
	fprintf(stderr, "vstrace: 'query' is not built yet\n");
	return 3;
}
