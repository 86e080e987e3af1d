/* SPDX-License-Identifier: MIT */
/*
 * cli/clicommon.h - what vstrace and vscheck share: the exit statuses and
 * the one place that turns a vs_error into an error line and a status.
 *
 * Invariant: a failure is reported as exactly one line "PROG: MSG" on
 * stderr (stdout flushed first, so the two streams never interleave), and
 * the status is 3 only for an internal failure, 2 for bad usage or input.
 */
#ifndef VS_CLI_CLICOMMON_H
#define VS_CLI_CLICOMMON_H

#include "vs/error.h"

/* Exit statuses of both commands. */
enum {
	VS_EXIT_OK = 0,       /* success, nothing found */
	VS_EXIT_FAILURE = 1,  /* the run worked and found a failure (findings, failed expectations) */
	VS_EXIT_USAGE = 2,    /* bad usage or unusable input */
	VS_EXIT_INTERNAL = 3  /* out of memory or a bug in vstrace */
};

/*
 * The exit status for a vs_err code: VS_EXIT_INTERNAL for VS_ERR_NOMEM and
 * VS_ERR_INTERNAL, VS_EXIT_USAGE for every other code.
 */
int vs_cli_exit_status(int code);

/*
 * Reports a failed call that returned code (a negative vs_err) with its
 * detail in err: flushes stdout, prints "PROG: err->msg" on stderr (the
 * name of code when the callee left err empty) and returns
 * vs_cli_exit_status(code).  prog is the tool name ("vstrace").
 */
int vs_cli_fail(const char *prog, int code, const vs_error *err);

#endif
