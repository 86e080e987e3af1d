/* SPDX-License-Identifier: MIT */
/*
 * cli/vstrace.c - the vstrace command: argument dispatch only.  The work is
 * done by the subcommands (cli/cmd_*.c) on top of tracer/, store/ and
 * scenario/.  How to add a command: see cli/cmds.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"

#ifndef VS_VERSION
#define VS_VERSION "0.1.0"
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
};

static void usage(FILE *f)
{
	fprintf(f, "usage: vstrace <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'vstrace <command> --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vstrace %s\n", VS_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "vstrace: unknown command '%s' (see 'vstrace --help')\n", argv[1]);
	return 2;
}
