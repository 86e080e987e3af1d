/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_report.c - `vstrace report TRACE.db [--sort KEY] [--json]`:
 * argument parsing only; store/usage.c aggregates the events per variable
 * scope and per call site.  Exit status: VS_EXIT_OK, VS_EXIT_USAGE for bad
 * usage or an unreadable trace, VS_EXIT_INTERNAL for an internal failure.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "vs/internal/util.h"

enum { OPT_HELP = 'h', OPT_SORT = 's', OPT_JSON = 256 };

static const vs_cli_opt report_opts[] = {
	{"sort", 's', "KEY",
         "order rows by time (default), events, created, reused, errors, calls,\n"
         "entries (largest first) or name",
         OPT_SORT},
	{"json", 0, NULL, "print {\"scopes\": [...], \"sites\": [...]} as JSON", OPT_JSON},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const report_synopsis[] = {"TRACE.db [--sort KEY] [--json]", NULL};

static const vs_cli_cmd report_cmd = {
	"vstrace",
	"report",
	report_synopsis,
	"Summarizes a trace like 'uftrace report': a table per variable scope\n"
	"(entries, variables created and reused, errors, events, inclusive time)\n"
	"and per call site (get_variable and Variable calls, the same counts, the\n"
	"time spent in those calls).\n",
	report_opts,
	sizeof report_opts / sizeof report_opts[0],
	NULL,
	0,
};

int vs_cmd_report(int argc, char **argv)
{
	vs_db_report_opts o = {NULL, 0};
	vs_db_reader *r = NULL;
	vs_db_progress *prog = NULL;
	vs_cli_parser p;
	vs_error err;
	const char *v;
	int c, ret;
	vs_error_init(&err);
	vs_cli_begin(&p, &report_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		switch (c) {
		case VS_CLI_ERROR: return VS_EXIT_USAGE;
		case OPT_HELP: vs_cli_help(stdout, &report_cmd); return VS_EXIT_OK;
		case OPT_JSON: o.json = 1; break;
		case OPT_SORT:
			if (!vs_db_report_sort_valid(v))
				return vs_cli_usage_error(
					&report_cmd,
					"unknown sort key '%s' (expected time, events, "
					"created, reused, errors, calls, entries or name)",
					v);
			o.sort = v;
			break;
		default: VS_BUG("option %d not handled", c);
		}
	}
	if (argc - vs_cli_operand(&p) != 1)
		return vs_cli_usage_error(&report_cmd, "expected one trace file");
	if (vs_db_reader_open(&r, argv[vs_cli_operand(&p)], &err) < 0)
		goto fail;
	if (isatty(STDERR_FILENO))
		prog = vs_db_progress_start(r, stderr, "vstrace: reading trace");
	c = vs_db_report_print(r, &o, stdout, &err);
	vs_db_progress_stop(prog);
	if (c < 0)
		goto fail;
	ret = fflush(stdout) ? VS_EXIT_INTERNAL : VS_EXIT_OK;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	vs_db_reader_close(r);
	return ret;
}
