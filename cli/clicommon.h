/* SPDX-License-Identifier: MIT */
/*
 * cli/clicommon.h - what vstrace and vscheck share: the exit statuses, the
 * option tables every command parses its arguments with (and generates its
 * --help from), and the one place that turns a vs_error into an error line
 * and a status.
 *
 * Invariant: a failure is reported as exactly one line "PROG: MSG" on
 * stderr (stdout flushed first, so the two streams never interleave); a
 * command-line error adds "(see 'PROG --help')".  The status is
 * VS_EXIT_INTERNAL only for an internal failure, VS_EXIT_USAGE for bad
 * usage or input.
 */
#ifndef VS_CLI_CLICOMMON_H
#define VS_CLI_CLICOMMON_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "vs/error.h"

/* Exit statuses of both commands (docs/architecture.md, "Errors are values"). */
enum vs_exit {
	VS_EXIT_OK = 0, /* success, nothing found */
	VS_EXIT_FINDINGS =
		1,         /* the run worked and found a failure (findings, failed expectations) */
	VS_EXIT_USAGE = 2, /* bad usage or unusable input */
	VS_EXIT_INTERNAL = 3 /* out of memory or a bug in vstrace */
};

/*
 * One option of a command.  The table is the whole truth about a
 * command's options: getopt_long's tables and the --help text are both
 * generated from it.
 */
typedef struct vs_cli_opt {
	const char *name; /* long name, without "--"; NULL: a short option only */
	char short_name;  /* 'o' for -o, 0 for none */
	const char *arg;  /* the value's name in --help ("FILE"); NULL: a flag */
	const char *help; /* one line per '\n'; NULL: hidden from --help (e.g. an
	                   * old spelling kept only to say what replaced it) */
	int id;           /* what vs_cli_next returns for it (> 0) */
} vs_cli_opt;

/* A command: its name, synopsis, description and options. */
typedef struct vs_cli_cmd {
	const char *tool;            /* "vstrace", "vscheck" */
	const char *name;            /* "show"; NULL for the tool itself */
	const char *const *synopsis; /* the operand forms, NULL-terminated */
	const char *about;           /* paragraph after the usage lines, or NULL */
	const vs_cli_opt *opts;
	size_t nopts;
	const char *footer;       /* paragraph after the options, or NULL */
	int operands_end_options; /* 1: the first operand ends the options (PROG ARGS) */
} vs_cli_cmd;

#define VS_CLI_MAX_OPTS 32
/* vs_cli_next: no more options (the operands start at vs_cli_operand) */
#define VS_CLI_END 0
/* vs_cli_next: an unknown option or a missing value, already reported */
#define VS_CLI_ERROR (-1)

typedef struct vs_cli_parser {
	const vs_cli_cmd *cmd;
	int argc;
	char **argv;
	char shortopts[3 * VS_CLI_MAX_OPTS + 3]; /* generated from cmd->opts */
	struct option longopts[VS_CLI_MAX_OPTS + 1];
} vs_cli_parser;

/* Starts parsing argv[1..argc-1] (argv[0] is the command's own name). */
void vs_cli_begin(vs_cli_parser *p, const vs_cli_cmd *cmd, int argc, char **argv);
/*
 * The next option: its id with *value set to its value (NULL for a flag),
 * VS_CLI_END when the options are over, or VS_CLI_ERROR after printing
 * "PROG: unknown option '-x' (see 'PROG --help')" or "option '--output'
 * needs a value".
 */
int vs_cli_next(vs_cli_parser *p, const char **value);
/* Index in argv of the first operand, once vs_cli_next returned VS_CLI_END. */
int vs_cli_operand(const vs_cli_parser *p);

/* Prints the command's --help text: usage lines, about, options, footer. */
void vs_cli_help(FILE *f, const vs_cli_cmd *cmd);
/*
 * Reports a command-line error: "TOOL: NAME: MSG (see 'TOOL NAME --help')"
 * on stderr (stdout flushed first); returns VS_EXIT_USAGE.
 */
int vs_cli_usage_error(const vs_cli_cmd *cmd, const char *fmt, ...) VS_PRINTF(2, 3);

/*
 * A file option that cannot take '-' (standard output): a trace is an
 * SQLite database, not a stream.  0 when value is not "-"; else reports
 * "TOOL: NAME: OPT -: WHY (see ...)" and returns VS_EXIT_USAGE, so no file
 * named '-' is ever created.  opt is the option as documented ("-o").
 */
int vs_cli_no_stdout(const vs_cli_cmd *cmd, const char *opt, const char *value, const char *why);

/*
 * The exit status for a vs_err code: VS_EXIT_INTERNAL for VS_ERR_NOMEM and
 * VS_ERR_INTERNAL, VS_EXIT_USAGE for every other code.
 */
enum vs_exit vs_cli_exit_status(int code);

/*
 * Reports a failed call that returned code (a negative vs_err) with its
 * detail in err: flushes stdout, prints "PROG: err->msg" on stderr (the
 * name of code when the callee left err empty) and returns
 * vs_cli_exit_status(code).  prog is the tool name ("vstrace").
 */
int vs_cli_fail(const char *prog, int code, const vs_error *err);

#endif
