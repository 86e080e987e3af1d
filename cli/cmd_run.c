/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_run.c - `vstrace run SCENARIO.yaml... [-o TRACE.db] [-q]`: loads
 * and validates each scenario (scenario/), runs it, optionally records the
 * run's own events into a trace (store/recorder.h; one scenario only), and
 * prints what happened.
 *
 * Exit: VS_EXIT_OK every run passed, VS_EXIT_FINDINGS an expectation failed
 * or an error went uncaught, VS_EXIT_USAGE bad usage or a malformed
 * scenario (that one did not run), VS_EXIT_INTERNAL internal; with several
 * scenarios the worst of their statuses.
 * Invariant: nothing runs unless the whole scenario loaded and validated.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "scenario/scenario.h"
#include "store/recorder.h"
#include "vs/vs.h"

enum { OPT_OUTPUT = 'o', OPT_QUIET = 'q', OPT_HELP = 'h', OPT_FORCE = 'f' };

static const vs_cli_opt run_opts[] = {
	{"output", 'o', "TRACE.db", "also record the run's events into TRACE.db", OPT_OUTPUT},
	{"force", 'f', NULL, "replace TRACE.db if it exists (as in 'vstrace record -f')",
         OPT_FORCE},
	{"quiet", 'q', NULL, "print only failures and the summary line", OPT_QUIET},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const run_synopsis[] = {"SCENARIO.yaml [-o TRACE.db [-f]] [-q]",
                                           "SCENARIO.yaml... [-q]", NULL};

static const vs_cli_cmd run_cmd = {
	"vstrace",
	"run",
	run_synopsis,
	"Runs a YAML scenario program against libvs (docs/scenario-format.md),\n"
	"checks its expectations and prints the variables created and reused\n"
	"and the errors raised.\n",
	run_opts,
	sizeof run_opts / sizeof run_opts[0],
	NULL,
	0,
};

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_report(const vs_scn *s, const vs_scn_report *rep, int quiet)
{
	const char *path = vs_scn_path(s);
	size_t n = vs_scn_report_count(rep);
	for (size_t i = 0; i < n; i++) {
		const vs_scn_entry *e = vs_scn_report_at(rep, i);
		const char *th = strcmp(e->thread, "main") ? e->thread : NULL;
		char where[64] = "";
		if (th)
			snprintf(where, sizeof where, " [thread %s]", th);
		switch (e->kind) {
		case VS_SCN_ENT_CREATED:
		case VS_SCN_ENT_REUSED:
		case VS_SCN_ENT_ERROR:
			if (!quiet)
				printf("%s:%d:%d: %s %s%s\n", path, e->line, e->col,
				       e->kind == VS_SCN_ENT_CREATED  ? "created"
				       : e->kind == VS_SCN_ENT_REUSED ? "reused"
				                                      : "expected error",
				       e->text, where);
			break;
		case VS_SCN_ENT_UNCAUGHT:
			fflush(stdout);
			fprintf(stderr, "vstrace: %s:%d:%d: uncaught %s%s\n", path, e->line, e->col,
			        e->text, where);
			break;
		case VS_SCN_ENT_FAILED:
			fflush(stdout);
			fprintf(stderr, "vstrace: %s:%d:%d: expectation failed: %s%s\n", path,
			        e->line, e->col, e->text, where);
			break;
		}
	}
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	fflush(stderr);
	printf("%s: %s: %zu %s, %zu created, %zu reused, %zu %s (%zu uncaught), "
	       "%zu %s, %zu failed\n",
	       path, vs_scn_report_ok(rep) ? "ok" : "FAILED", st->steps,
	       plural(st->steps, "step", "steps"), st->created, st->reused, st->errors,
	       plural(st->errors, "error", "errors"), st->uncaught, st->checks,
	       plural(st->checks, "expectation", "expectations"), st->failed);
}

/* The options and the scenario path; VS_EXIT_OK to run, PARSE_DONE after
 * --help, else the exit status. */
#define PARSE_DONE (-1)
static int parse_run_args(int argc, char **argv, int *first_in, const char **out, int *quiet)
{
	vs_cli_parser p;
	const char *v;
	int c, first, force = 0;
	vs_cli_begin(&p, &run_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		switch (c) {
		case OPT_OUTPUT: *out = v; break;
		case OPT_QUIET: *quiet = 1; break;
		case OPT_FORCE: force = 1; break;
		case OPT_HELP: vs_cli_help(stdout, &run_cmd); return PARSE_DONE;
		default: return VS_EXIT_USAGE; /* VS_CLI_ERROR, reported */
		}
	}
	first = vs_cli_operand(&p);
	if (*out && argc - first > 1)
		return vs_cli_usage_error(&run_cmd, "-o records one scenario ('%s' and '%s' given)",
		                          argv[first], argv[first + 1]);
	if (vs_cli_no_stdout(&run_cmd, "-o", *out, "a trace is a database file, not a stream"))
		return VS_EXIT_USAGE;
	if (argc - first < 1)
		return vs_cli_usage_error(&run_cmd, "expected a scenario file");
	if (*out && !force && access(*out, F_OK) == 0) { /* like vstrace record */
		fflush(stdout);
		fprintf(stderr, "vstrace: '%s': file exists (use -f to replace it)\n", *out);
		return VS_EXIT_USAGE;
	}
	*first_in = first;
	return VS_EXIT_OK;
}

static int run_one(const char *in, const char *out, int quiet);

int vs_cmd_run(int argc, char **argv)
{
	const char *out = NULL;
	int quiet = 0, first = 0, ret;
	if ((ret = parse_run_args(argc, argv, &first, &out, &quiet)) != VS_EXIT_OK)
		return ret == PARSE_DONE ? VS_EXIT_OK : ret;
	/* the worst status wins: internal, then usage, then findings */
	for (int i = first; i < argc; i++) {
		int st = run_one(argv[i], out, quiet);
		if (st == VS_EXIT_INTERNAL || (st == VS_EXIT_USAGE && ret != VS_EXIT_INTERNAL) ||
		    (st == VS_EXIT_FINDINGS && ret == VS_EXIT_OK))
			ret = st;
	}
	return ret;
}

/* One scenario: load, (record,) run, report; its exit status. */
static int run_one(const char *in, const char *out, int quiet)
{
	int ret;
	vs_scn *s = NULL;
	vs_scn_report *rep = NULL;
	vs_recorder *rec = NULL;
	vs_error err;
	vs_error_init(&err);
	if (vs_scn_load_file(&s, in, &err) < 0) {
		ret = vs_cli_fail("vstrace", err.code, &err);
		goto cleanup;
	}
	if (out && vs_recorder_start_self(&rec, out, &err) < 0) {
		vs_cli_fail("vstrace", err.code, &err);
		ret = VS_EXIT_USAGE; /* nothing ran: the output is at fault */
		goto cleanup;
	}
	if (vs_scn_run(s, &rep, &err) < 0) {
		vs_cli_fail("vstrace", err.code, &err);
		/* the scenario was valid, so only a state error is the user's */
		ret = err.code == VS_ERR_STATE ? VS_EXIT_USAGE : VS_EXIT_INTERNAL;
	} else {
		if (!quiet && vs_scn_title(s))
			printf("scenario: %s\n", vs_scn_title(s));
		print_report(s, rep, quiet);
		ret = vs_scn_report_ok(rep) ? VS_EXIT_OK : VS_EXIT_FINDINGS;
	}
	if (rec) {
		vs_recorder *r = rec;
		rec = NULL;
		if (vs_recorder_stop_self(r, ret, &err) < 0) {
			vs_cli_fail("vstrace", err.code, &err);
			ret = VS_EXIT_INTERNAL;
		}
	}
cleanup:
	if (rec) {
		vs_error ignored;
		vs_recorder_stop_self(rec, ret, &ignored);
	}
	vs_scn_report_free(rep);
	/* the runtime may hold call sites that point into the scenario */
	vs_runtime_shutdown();
	vs_scn_free(s);
	return ret;
}
