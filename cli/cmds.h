/* SPDX-License-Identifier: MIT */
/*
 * cli/cmds.h - the vstrace subcommands.  Each lives in cli/cmd_<name>.c,
 * parses its arguments with its own option table (vs_cli_cmd,
 * cli/clicommon.h, which also generates its --help) and calls into
 * tracer/, store/ or scenario/; it returns an exit status (enum vs_exit,
 * or the recorded program's status) and prints errors as
 * "vstrace: '<file>': <what>".
 *
 * To add a command: write cli/cmd_<name>.c with vs_cmd_<name>(), declare it
 * here, add a row to the table in cli/vstrace.c (name, function, summary),
 * and document it and its options in docs/man/vstrace.1 (t4910 checks).
 */
#ifndef VS_CLI_CMDS_H
#define VS_CLI_CMDS_H

int vs_cmd_record(int argc, char **argv);
int vs_cmd_run(int argc, char **argv);
int vs_cmd_info(int argc, char **argv);
int vs_cmd_show(int argc, char **argv);
int vs_cmd_query(int argc, char **argv);
int vs_cmd_report(int argc, char **argv);
int vs_cmd_export(int argc, char **argv);
int vs_cmd_replay(int argc, char **argv);

#endif
