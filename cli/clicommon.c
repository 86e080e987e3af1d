/* SPDX-License-Identifier: MIT */
/*
 * cli/clicommon.c - the error reporting shared by vstrace and vscheck
 * (see cli/clicommon.h).  Invariant: one line per failure, one status
 * mapping for both tools.
 */
#include <stdio.h>

#include "cli/clicommon.h"

int vs_cli_exit_status(int code)
{
	return code == VS_ERR_NOMEM || code == VS_ERR_INTERNAL ? VS_EXIT_INTERNAL : VS_EXIT_USAGE;
}

int vs_cli_fail(const char *prog, int code, const vs_error *err)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", prog, err->msg[0] ? err->msg : vs_err_name(code));
	return vs_cli_exit_status(code);
}
