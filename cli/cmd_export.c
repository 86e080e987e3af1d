/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_export.c - `vstrace export --format F TRACE.db [-o FILE]
 * [--view V] [--proc P] [--free]`: argument parsing only; the formats are
 * written by store/export_*.c (store/export.h).  Exit status: VS_EXIT_OK,
 * VS_EXIT_USAGE for bad usage or an unreadable trace, VS_EXIT_INTERNAL for
 * an internal failure (or a failed write).
 * Invariant: with -o, a failed export leaves no half-written file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/export.h"
#include "vs/internal/util.h"

enum {
	OPT_FORMAT = 256,
	OPT_OLD_FORMAT = 'f',
	OPT_FREE = 'F',
	OPT_HELP = 'h',
	OPT_OUTPUT = 'o',
	OPT_PROC = 'p',
	OPT_VIEW = 'v'
};

static const vs_cli_opt export_opts[] = {
	{"format", 0, "F",
         "chrome (trace-event JSON for Perfetto UI), json or csv (rows\n"
         "of a view, with the trace's identity), dot (Graphviz), scenario\n"
         "(a YAML repro)",
         OPT_FORMAT},
	{"output", 'o', "FILE", "write to FILE instead of standard output ('-': standard output)",
         OPT_OUTPUT},
	{"view", 'v', "V",
         "json/csv: the view: events (default), variables, scopes,\n"
         "threads, processes, stats, findings",
         OPT_VIEW},
	{"proc", 'p', "P", "scenario: the process to export (default 1, the traced program)",
         OPT_PROC},
	{"free", 0, NULL, "scenario: `interleave: free` instead of the recorded interleaving",
         OPT_FREE},
	{"help", 'h', NULL, "show this help", OPT_HELP},
	/* -f is --force in every vstrace command; export's -f used to be --format */
	{NULL, 'f', NULL, NULL, OPT_OLD_FORMAT},
};

static const char *const export_synopsis[] = {
	"--format chrome|json|csv|dot|scenario TRACE.db [-o FILE] [--view V] [--proc P] [--free]",
	NULL};

static const vs_cli_cmd export_cmd = {
	"vstrace",
	"export",
	export_synopsis,
	"Writes the trace in another format: a Chrome/Perfetto timeline, the rows of a\n"
	"public view as JSON Lines or CSV (every row carries the trace's identity), a\n"
	"Graphviz picture of the variable sharing, or a scenario that re-does the\n"
	"recorded calls with their outcomes as expectations (see docs/recording.md).\n",
	export_opts,
	sizeof export_opts / sizeof export_opts[0],
	NULL,
	0,
};

struct export_args {
	const char *format, *output, *view;
	vs_db_scn_opts scn;
};

static int export_option(struct export_args *a, int c, const char *v)
{
	char *end;
	unsigned long n;
	switch (c) {
	case OPT_FORMAT: a->format = v; break;
	case OPT_OLD_FORMAT:
		return vs_cli_usage_error(&export_cmd, "'-f' is not --format (in vstrace, -f means"
		                                       " --force): use --format F");
	case OPT_OUTPUT: a->output = strcmp(v, "-") ? v : NULL; break; /* -o -: stdout */
	case OPT_VIEW: a->view = v; break;
	case OPT_FREE: a->scn.free = 1; break;
	case OPT_PROC:
		n = strtoul(v, &end, 10);
		if (!*v || *v == '-' || *end || n == 0 || n > UINT32_MAX)
			return vs_cli_usage_error(&export_cmd, "bad process number '%s'", v);
		a->scn.proc = (uint32_t)n;
		break;
	default: VS_BUG("option %d not handled", c);
	}
	return VS_EXIT_OK;
}

static int run_format(vs_db_reader *r, const struct export_args *a, FILE *out, vs_error *err)
{
	if (!strcmp(a->format, "chrome"))
		return vs_db_export_chrome(r, out, err);
	if (!strcmp(a->format, "json"))
		return vs_db_export_rows(r, a->view, VS_DB_ROWS_JSON, out, err);
	if (!strcmp(a->format, "csv"))
		return vs_db_export_rows(r, a->view, VS_DB_ROWS_CSV, out, err);
	if (!strcmp(a->format, "dot"))
		return vs_db_export_dot(r, out, err);
	if (a->scn.proc > vs_db_reader_process_count(r))
		return vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': no process %u in trace",
		                    vs_db_reader_path(r), a->scn.proc);
	return vs_db_export_scenario(r, &a->scn, out, NULL, NULL, err);
}

static int check_args(const struct export_args *a)
{
	static const char *const formats[] = {"chrome", "json", "csv", "dot", "scenario"};
	int known = 0;
	if (!a->format)
		return vs_cli_usage_error(&export_cmd, "--format is required");
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		known |= !strcmp(a->format, formats[i]);
	if (!known)
		return vs_cli_usage_error(&export_cmd, "unknown format '%s'", a->format);
	if (a->view && strcmp(a->format, "json") && strcmp(a->format, "csv"))
		return vs_cli_usage_error(&export_cmd, "--view needs --format json or csv");
	if ((a->scn.proc || a->scn.free) && strcmp(a->format, "scenario"))
		return vs_cli_usage_error(&export_cmd, "--proc and --free need --format scenario");
	return VS_EXIT_OK;
}

int vs_cmd_export(int argc, char **argv)
{
	struct export_args a;
	vs_db_reader *r = NULL;
	vs_cli_parser p;
	vs_error err;
	FILE *out = stdout;
	const char *v;
	int c, ret;
	memset(&a, 0, sizeof a);
	vs_error_init(&err);
	vs_cli_begin(&p, &export_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		if (c == VS_CLI_ERROR)
			return VS_EXIT_USAGE;
		if (c == OPT_HELP) {
			vs_cli_help(stdout, &export_cmd);
			return VS_EXIT_OK;
		}
		if ((ret = export_option(&a, c, v)) != VS_EXIT_OK)
			return ret;
	}
	if ((ret = check_args(&a)) != VS_EXIT_OK)
		return ret;
	if (argc - vs_cli_operand(&p) != 1)
		return vs_cli_usage_error(&export_cmd, "expected one trace file");
	if (vs_db_reader_open(&r, argv[vs_cli_operand(&p)], &err) < 0)
		goto fail;
	if (a.output && !(out = fopen(a.output, "w"))) {
		out = stdout;
		vs_error_set(&err, VS_ERR_IO, "cannot write '%s'", a.output);
		a.output = NULL; /* nothing of ours to remove */
		goto fail;
	}
	if (run_format(r, &a, out, &err) < 0)
		goto fail;
	if (fflush(out) != 0 || ferror(out)) {
		vs_error_set(&err, VS_ERR_IO, "cannot write '%s'", a.output ? a.output : "stdout");
		goto fail;
	}
	ret = VS_EXIT_OK;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
	if (a.output && out != stdout) {
		fclose(out);
		out = stdout;
		unlink(a.output);
	}
cleanup:
	if (out != stdout && fclose(out) != 0 && ret == VS_EXIT_OK)
		ret = vs_cli_fail("vstrace", VS_ERR_IO, &err);
	vs_db_reader_close(r);
	return ret;
}
