/* SPDX-License-Identifier: MIT */
/*
 * cli/vstrace.c - the vstrace command: argument dispatch only.  The work is
 * done by the subcommands (cli/cmd_*.c) on top of tracer/, store/ and
 * scenario/.  How to add a command: see cli/cmds.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"

#ifndef VS_VERSION
#error "VS_VERSION comes from the Makefile (VERSION := ...)"
#endif

static const struct vs_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} cmds[] = {
	{"record", vs_cmd_record, "run a program linked with libvs and record its events"},
	{"run", vs_cmd_run, "run a YAML scenario program (and check its expectations)"},
	{"info", vs_cmd_info, "summarize a trace: program, exit, counts, losses"},
	{"show", vs_cmd_show, "print a trace as an indented per-thread timeline"},
	{"query", vs_cmd_query, "run read-only SQL on a trace"},
	{"recover", vs_cmd_recover, "make a trace of what a stopped recording wrote"},
	{"report", vs_cmd_report,
         "per-scope and per-call-site tables: calls, variables, errors, time"},
	{"export", vs_cmd_export,
         "write a trace as Chrome/Perfetto JSON, JSON/CSV rows, DOT or a scenario"},
	{"replay", vs_cmd_replay,
         "re-execute a trace's calls through libvs and compare the outcomes"},
};

enum { OPT_HELP = 'h', OPT_VERSION = 256 };

static const vs_cli_opt top_opts[] = {
	{"help", 'h', NULL, "show this help", OPT_HELP},
	{"version", 0, NULL, "print the version and exit", OPT_VERSION},
};

static const char *const top_synopsis[] = {"<command> [options] [args]", NULL};

static const vs_cli_cmd top_cmd = {
	"vstrace", NULL, top_synopsis, NULL, top_opts, sizeof top_opts / sizeof top_opts[0],
	NULL,      1,
};

static int help(FILE *f, int status)
{
	vs_cli_help(f, &top_cmd);
	fprintf(f, "\ncommands:\n");
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'vstrace <command> --help' describes a command.\n");
	return status;
}

int main(int argc, char **argv)
{
	vs_cli_parser p;
	const char *v, *name;
	int c, first;
	vs_cli_begin(&p, &top_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		switch (c) {
		case OPT_HELP: return help(stdout, VS_EXIT_OK);
		case OPT_VERSION: printf("vstrace %s\n", VS_VERSION); return VS_EXIT_OK;
		default: return VS_EXIT_USAGE; /* VS_CLI_ERROR, reported */
		}
	}
	first = vs_cli_operand(&p);
	if (first >= argc)
		return help(stderr, VS_EXIT_USAGE);
	name = argv[first];
	if (!strcmp(name, "help") && first + 1 < argc) { /* vstrace help CMD = CMD --help */
		char help_opt[] = "--help";
		char *sub[] = {argv[first + 1], help_opt, NULL};
		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			if (!strcmp(argv[first + 1], cmds[i].name))
				return cmds[i].fn(2, sub);
		return vs_cli_usage_error(&top_cmd, "unknown command '%s'", argv[first + 1]);
	}
	if (!strcmp(name, "help"))
		return help(stdout, VS_EXIT_OK);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(name, cmds[i].name))
			return cmds[i].fn(argc - first, argv + first);
	return vs_cli_usage_error(&top_cmd, "unknown command '%s'", name);
}
