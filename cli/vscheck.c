/* SPDX-License-Identifier: MIT */
/*
 * cli/vscheck.c - the vscheck command: option table, dispatch, exit codes.
 *
 *   vscheck [OPTIONS] TRACE.db...
 *
 * Exit: 0 clean (nothing at or above --fail-on; always with --write-baseline),
 * 1 findings at or above it,
 * 2 usage, config or trace errors (a lossy or truncated trace too, unless
 * --allow-loss), 3 internal error.  All work is in checker/ and rules/;
 * this file only parses, dispatches and prints errors.
 * To add an option: add a row to `options` (vs_cli_opt: getopt_long's
 * tables and --help come from it) and a case in parse_args.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checker/check.h"
#include "checker/report.h"
#include "cli/clicommon.h"
#include "rules/baseline.h"
#include "rules/rules.h"
#include "store/meter.h"
#include "vs/internal/util.h"

#ifndef VS_VERSION
#error "VS_VERSION comes from the Makefile (VERSION := ...)"
#endif

#define MAX_OUTPUTS 16
#define MAX_SPECS 128

/* parse_args: everything done (--help, --version), exit 0 */
#define PARSE_DONE (-1)

enum {
	OPT_OUTPUT = 'o',
	OPT_HELP = 'h',
	OPT_SELECT = 256,
	OPT_IGNORE,
	OPT_SEVERITY,
	OPT_FAIL_ON,
	OPT_FORMAT,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_EXPLAIN,
	OPT_LIST_RULES,
	OPT_SHOW_CONFIG,
	OPT_STATISTICS,
	OPT_WRITE_FINDINGS,
	OPT_CONFIG,
	OPT_NO_CONFIG,
	OPT_ALLOW_LOSS,
	OPT_ALLOW_INCOMPLETE,
	OPT_VERSION,
	OPT_SOURCE_ROOT,
	OPT_HELP_URI,
	OPT_PARTIAL,
	OPT_STACK_DEPTH
};

static const vs_cli_opt options[] = {
	{"select", 0, "RULES",
         "check only these rules (codes, names or prefixes like VS2; comma-separated)", OPT_SELECT},
	{"ignore", 0, "RULES", "turn these rules off", OPT_IGNORE},
	{"severity", 0, "RULE=LEVEL", "set a rule's level: off, note, warning, error",
         OPT_SEVERITY},
	{"fail-on", 0, "LEVEL",
         "exit 1 on findings at or above LEVEL (error, warning, note; default error)", OPT_FAIL_ON},
	{"format", 0, "FORMAT",
         "stdout report: text, gcc, json, sarif, junit, github (markdown for --explain)",
         OPT_FORMAT},
	{"output", 'o', "FORMAT:PATH",
         "also write a FORMAT report to PATH (repeatable; PATH '-': stdout,\n"
         "instead of the --format report)",
         OPT_OUTPUT},
	{"baseline", 0, "FILE", "do not report findings listed in FILE", OPT_BASELINE},
	{"write-baseline", 0, "FILE", "write every finding of this run to FILE as the new baseline",
         OPT_WRITE_BASELINE},
	{"explain", 0, "RULE|all", "explain a rule and exit", OPT_EXPLAIN},
	{"list-rules", 0, NULL, "list the rules with their effective levels and exit",
         OPT_LIST_RULES},
	{"show-config", 0, NULL, "print the effective configuration and exit", OPT_SHOW_CONFIG},
	{"statistics", 0, NULL, "print per-rule counts and replay speed", OPT_STATISTICS},
	{"stack-depth", 0, "N", "text: call-stack frames shown per finding (default 16, 0 none)",
         OPT_STACK_DEPTH},
	{"write-findings", 0, NULL, "store the findings in each trace's findings table",
         OPT_WRITE_FINDINGS},
	{"config", 0, "FILE", "use FILE instead of the nearest .vscheck.yml", OPT_CONFIG},
	{"no-config", 0, NULL, "ignore any .vscheck.yml", OPT_NO_CONFIG},
	{"allow-loss", 0, NULL,
         "check traces that lost events or were truncated (exit 2 otherwise)", OPT_ALLOW_LOSS},
	{"source-root", 0, "DIR",
         "SARIF paths are relative to DIR (default: the directory of .vscheck.yml,\n"
         "else the current directory)",
         OPT_SOURCE_ROOT},
	{"help-uri-base", 0, "URL", "SARIF rule help pages are URL/VS101-name.md", OPT_HELP_URI},
	{"partial", 0, NULL,
         "these traces are part of a larger set: do not report unused\n"
         "suppressions (VS004) or stale baseline entries (VS005)",
         OPT_PARTIAL},
	{"allow-incomplete", 0, NULL,
         "check traces whose recording stopped early (exit 2 otherwise)", OPT_ALLOW_INCOMPLETE},
	{"version", 0, NULL, "print the version and exit", OPT_VERSION},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const vscheck_synopsis[] = {"[OPTIONS] TRACE.db...", NULL};

static const vs_cli_cmd vscheck_cmd = {
	"vscheck",
	NULL,
	vscheck_synopsis,
	"Replays vstrace traces through a shadow model of TensorFlow's variable\n"
	"scoping and reports misuse by rule (see --list-rules, --explain RULE).\n",
	options,
	sizeof options / sizeof options[0],
	"exit status: 0 clean (always with --write-baseline), 1 findings at or above\n"
	"--fail-on, 2 usage, config or "
	"trace error, 3 internal error\n",
	0,
};

typedef struct args {
	const char *specs_select[MAX_SPECS], *specs_ignore[MAX_SPECS], *severity[MAX_SPECS];
	size_t n_select, n_ignore, n_severity;
	char *spec_buf[2 * MAX_SPECS];
	size_t n_spec_buf;
	int fail_on; /* -1 = not given */
	int format;
	int format_given; /* --format or -o FORMAT:- chose the stdout report */
	int markdown;
	struct {
		int format;
		const char *path;
	} out[MAX_OUTPUTS];
	size_t n_out;
	const char *baseline, *write_baseline, *explain, *config, *source_root, *help_uri;
	int list_rules, show_config, statistics, write_findings, no_config, allow_loss, partial;
	int allow_incomplete;
	int stack_depth; /* frames shown per stack in the text report */
	char **traces;
	int n_traces;
} args;

static int fail(int code, const char *fmt, ...) VS_PRINTF(2, 3);

static int fail(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("vscheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* splits a comma list into dst (strings owned by a->spec_buf) */
static int split_specs(args *a, const char *list, const char **dst, size_t *n)
{
	char *copy = strdup(list);
	if (!copy)
		return -1;
	a->spec_buf[a->n_spec_buf++] = copy;
	for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (*n >= MAX_SPECS)
			return -1;
		dst[(*n)++] = tok;
	}
	return 0;
}

/* -o FORMAT:PATH */
static int parse_output(args *a, const char *v)
{
	const char *colon = strchr(v, ':');
	char name[16];
	int fmt;
	if (!colon || colon == v || (size_t)(colon - v) >= sizeof name || !colon[1])
		return vs_cli_usage_error(&vscheck_cmd, "bad -o '%s' (expected FORMAT:PATH)", v);
	memcpy(name, v, (size_t)(colon - v));
	name[colon - v] = '\0';
	fmt = vs_check_report_format_from_name(name);
	if (fmt < 0)
		return vs_cli_usage_error(&vscheck_cmd, "unknown format '%s' in -o", name);
	if (strcmp(colon + 1, "-") == 0) { /* -o FORMAT:- is the stdout report */
		if (a->format_given && a->format != fmt)
			return vs_cli_usage_error(&vscheck_cmd,
			                          "-o %s: stdout already gets the %s report", v,
			                          vs_check_report_format_name(a->format));
		a->format = fmt;
		a->format_given = 1;
		return 0;
	}
	if (a->n_out >= MAX_OUTPUTS)
		return vs_cli_usage_error(&vscheck_cmd, "too many -o options");
	a->out[a->n_out].format = fmt;
	a->out[a->n_out++].path = colon + 1;
	return 0;
}

/* options with a value that needs checking; 0 or an exit status */
static int parse_value(args *a, int c, const char *v)
{
	char *end;
	long d;
	switch (c) {
	case OPT_STACK_DEPTH:
		d = strtol(v, &end, 10);
		if (!*v || *end || d < 0 || d > 64)
			return vs_cli_usage_error(&vscheck_cmd, "bad --stack-depth '%s' (0 to 64)",
			                          v);
		a->stack_depth = (int)d;
		return 0;
	case OPT_SELECT:
	case OPT_IGNORE:
		if (a->n_spec_buf >= 2 * MAX_SPECS ||
		    split_specs(a, v, c == OPT_SELECT ? a->specs_select : a->specs_ignore,
		                c == OPT_SELECT ? &a->n_select : &a->n_ignore) < 0)
			return vs_cli_usage_error(&vscheck_cmd, "too many rules in '%s'", v);
		return 0;
	case OPT_SEVERITY:
		if (a->n_severity >= MAX_SPECS)
			return vs_cli_usage_error(&vscheck_cmd, "too many --severity options");
		a->severity[a->n_severity++] = v;
		return 0;
	case OPT_FAIL_ON:
		a->fail_on = vs_level_from_name(v);
		if (a->fail_on <= VS_LEVEL_OFF)
			return vs_cli_usage_error(
				&vscheck_cmd,
				"unknown --fail-on level '%s' (expected error, warning or note)",
				v);
		return 0;
	case OPT_FORMAT:
		if (strcmp(v, "markdown") == 0) {
			a->markdown = 1;
			return 0;
		}
		if (a->format_given && a->format != vs_check_report_format_from_name(v))
			return vs_cli_usage_error(&vscheck_cmd,
			                          "--format %s: stdout already gets the %s "
			                          "report",
			                          v, vs_check_report_format_name(a->format));
		a->format_given = 1;
		a->format = vs_check_report_format_from_name(v);
		if (a->format < 0)
			return vs_cli_usage_error(
				&vscheck_cmd,
				"unknown format '%s' (expected text, gcc, json, sarif, "
				"junit, github)",
				v);
		return 0;
	case OPT_OUTPUT: return parse_output(a, v);
	default: VS_BUG("option %d not handled", c);
	}
}

static int parse_args(args *a, int argc, char **argv)
{
	vs_cli_parser p;
	const char *v;
	int c, ret;
	a->fail_on = -1;
	a->format = VS_REPORT_TEXT;
	a->stack_depth = 16;
	vs_cli_begin(&p, &vscheck_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		switch (c) {
		case VS_CLI_ERROR: return VS_EXIT_USAGE;
		case OPT_BASELINE: a->baseline = v; break;
		case OPT_WRITE_BASELINE: a->write_baseline = v; break;
		case OPT_EXPLAIN: a->explain = v; break;
		case OPT_LIST_RULES: a->list_rules = 1; break;
		case OPT_SHOW_CONFIG: a->show_config = 1; break;
		case OPT_STATISTICS: a->statistics = 1; break;
		case OPT_WRITE_FINDINGS: a->write_findings = 1; break;
		case OPT_CONFIG: a->config = v; break;
		case OPT_NO_CONFIG: a->no_config = 1; break;
		case OPT_ALLOW_LOSS: a->allow_loss = 1; break;
		case OPT_SOURCE_ROOT: a->source_root = v; break;
		case OPT_HELP_URI: a->help_uri = v; break;
		case OPT_PARTIAL: a->partial = 1; break;
		case OPT_ALLOW_INCOMPLETE: a->allow_incomplete = 1; break;
		case OPT_VERSION: printf("vscheck %s\n", VS_VERSION); return PARSE_DONE;
		case OPT_HELP: vs_cli_help(stdout, &vscheck_cmd); return PARSE_DONE;
		default:
			if ((ret = parse_value(a, c, v)) != 0)
				return ret;
		}
	}
	a->traces = argv + vs_cli_operand(&p);
	a->n_traces = argc - vs_cli_operand(&p);
	return 0;
}

/*
 * Prints err for a call that returned code and returns the exit status.
 * Unlike in vstrace, every input vscheck reads is validated before a
 * library call, so an invalid argument is a bug here.
 */
static int fail_err(int code, const vs_error *err)
{
	int st = vs_cli_fail("vscheck", code, err);
	return code == VS_ERR_INVALID ? VS_EXIT_INTERNAL : st;
}

static int explain(const args *a)
{
	if (strcmp(a->explain, "all") == 0) {
		for (int i = 0; i < VS_RULE__COUNT; i++) {
			if (i)
				fputs(a->markdown ? "\n" : "\n----\n\n", stdout);
			vs_check_explain(stdout, (vs_rule_id)i, a->markdown);
		}
		return VS_EXIT_OK;
	}
	int id = vs_rule_find(a->explain);
	if (id < 0)
		return fail(VS_EXIT_USAGE, "unknown rule '%s' (see --list-rules)", a->explain);
	vs_check_explain(stdout, (vs_rule_id)id, a->markdown);
	return VS_EXIT_OK;
}

static int check_traces(args *a, vs_rule_set *rs, vs_level fail_on);

/* The rule set: config file, then --select, --ignore, --severity.  0 or
 * the exit status (reported). */
static int load_rules(const args *a, vs_rule_set *rs, char **found)
{
	vs_error err;
	int rc;
	vs_error_init(&err);
	const char *cfg = a->config;
	if (!cfg && !a->no_config)
		cfg = *found = vs_rule_set_find_config(".");
	if (cfg && (rc = vs_rule_set_load(rs, cfg, &err)) < 0)
		return fail_err(rc, &err);
	if ((a->n_select && vs_rule_set_select(rs, a->specs_select, a->n_select, &err) < 0) ||
	    (a->n_ignore && vs_rule_set_ignore(rs, a->specs_ignore, a->n_ignore, &err) < 0))
		return fail(VS_EXIT_USAGE, "%s", err.msg);
	for (size_t i = 0; i < a->n_severity; i++)
		if (vs_rule_set_severity(rs, a->severity[i], &err) < 0)
			return fail(VS_EXIT_USAGE, "%s", err.msg);
	/* a partial run cannot know that a suppression or baseline entry is
	 * unused: the traces it did not check may use it */
	static const char *const housekeeping[] = {"VS004", "VS005"};
	if (a->partial && vs_rule_set_ignore(rs, housekeeping, 2, &err) < 0)
		return fail_err(err.code, &err);
	return 0;
}

/* --explain, --list-rules, --show-config or the check of the traces */
static int run(args *a)
{
	int ret = VS_EXIT_INTERNAL;
	vs_rule_set *rs = NULL;
	char *found = NULL;

	if (a->explain)
		return explain(a);
	if (a->markdown)
		return fail(VS_EXIT_USAGE, "--format markdown is only for --explain");
	rs = vs_rule_set_new();
	if (!rs)
		goto oom;
	if ((ret = load_rules(a, rs, &found)) != 0)
		goto cleanup;
	vs_level fail_on = a->fail_on > 0            ? (vs_level)a->fail_on
	                   : vs_rule_set_fail_on(rs) ? vs_rule_set_fail_on(rs)
	                                             : VS_LEVEL_ERROR;
	if (a->list_rules) {
		vs_check_list_rules(stdout, rs);
		ret = VS_EXIT_OK;
		goto cleanup;
	}
	if (a->show_config) {
		char *dump = vs_rule_set_dump(rs);
		if (!dump)
			goto oom;
		fputs(dump, stdout);
		free(dump);
		ret = VS_EXIT_OK;
		goto cleanup;
	}
	if (a->n_traces == 0) {
		ret = vs_cli_usage_error(&vscheck_cmd, "no trace given");
		goto cleanup;
	}
	ret = check_traces(a, rs, fail_on);
	goto cleanup;
oom:
	ret = fail(VS_EXIT_INTERNAL, "out of memory");
cleanup:
	vs_rule_set_free(rs);
	free(found);
	return ret;
}

/* The absolute source root for SARIF (malloc'd): --source-root, else the
 * directory of the configuration file, else the current directory.  NULL
 * after reporting an error. */
static char *source_root(const args *a, const vs_rule_set *rs)
{
	const char *cfg = vs_rule_set_config_path(rs);
	char *root;
	if (a->source_root) {
		root = realpath(a->source_root, NULL);
		if (!root)
			fail(VS_EXIT_USAGE, "'%s': not a usable --source-root: %s", a->source_root,
			     strerror(errno));
		return root;
	}
	root = realpath(cfg ? cfg : ".", NULL);
	if (root && cfg) {
		char *slash = strrchr(root, '/');
		if (slash)
			slash[slash == root] = '\0';
	}
	if (!root)
		fail(VS_EXIT_INTERNAL, "cannot resolve the source root: %s", strerror(errno));
	return root;
}

/* The progress line on a terminal's stderr (store/meter.h): per trace,
 * after half a second, events replayed and the rate (the total is not
 * known before the replay). */
typedef struct progress {
	vs_meter m;
	const char *trace; /* the trace the line is about; NULL: none yet */
	uint64_t seen;     /* events of the run counted so far */
	char label[512];
} progress;

static void on_progress(void *ctx, const char *trace, uint64_t events)
{
	progress *p = ctx;
	if (p->trace != trace) { /* a new trace: a new line, a new clock */
		vs_meter_end(&p->m);
		snprintf(p->label, sizeof p->label, "vscheck: checking '%s'", trace);
		vs_meter_begin(&p->m, 0);
		p->trace = trace;
	}
	vs_meter_add(&p->m, events - p->seen);
	p->seen = events;
}

static void progress_end(progress *p)
{
	vs_meter_end(&p->m);
	p->trace = NULL;
}

/* 1 (and the line saying why) when a trace with this status may not pass:
 * incomplete without --allow-incomplete, lossy or truncated without
 * --allow-loss; else 0 */
static int refused(const args *a, const char *path, unsigned status)
{
	if ((status & VS_CHECK_INCOMPLETE) && !a->allow_incomplete) {
		fail(VS_EXIT_USAGE,
		     "'%s': the trace is incomplete: its recording stopped early and an unknown "
		     "number of events is missing (use --allow-incomplete to accept its findings)",
		     path);
		return 1;
	}
	if ((status & (VS_CHECK_LOSSY | VS_CHECK_TRUNCATED)) && !a->allow_loss) {
		fail(VS_EXIT_USAGE, "'%s': %s (use --allow-loss to accept its findings)", path,
		     status & VS_CHECK_LOSSY ? "the trace lost events"
		                             : "the trace is truncated (the process crashed)");
		return 1;
	}
	return 0;
}

/* Replays every trace; *bad counts the traces that make the run fail (empty,
 * or refused: see refused()), *empty the empty ones.  0, or the exit status
 * after an error that ends the run (reported). */
static int replay_traces(const args *a, vs_check *chk, progress *prog, unsigned *bad,
                         unsigned *empty)
{
	vs_error err;
	vs_error_init(&err);
	for (int i = 0; i < a->n_traces; i++) {
		unsigned status = 0;
		int rc = vs_check_trace(chk, a->traces[i], &status, &err);
		progress_end(prog); /* before any message about the trace */
		if (rc < 0)
			return fail_err(rc, &err);
		if (status & VS_CHECK_EMPTY) {
			fail(VS_EXIT_USAGE,
			     "'%s': the trace holds no events: the program never loaded libvs (a "
			     "wrong "
			     "LD_LIBRARY_PATH, or a program not linked with libvs?)",
			     a->traces[i]);
			(*bad)++;
			(*empty)++;
		} else {
			*bad += (unsigned)refused(a, a->traces[i], status);
		}
	}
	return 0;
}

/* The report on stdout and the -o files: 0, or the exit status (reported). */
static int write_reports(const args *a, vs_check *chk, const vs_report_opts *ro, vs_error *err)
{
	int rc;
	if (vs_check_report(chk, (vs_report_format)a->format, ro, stdout, err) < 0)
		return fail(VS_EXIT_USAGE, "cannot write the report to stdout");
	for (size_t i = 0; i < a->n_out; i++)
		if ((rc = vs_check_report_file(chk, (vs_report_format)a->out[i].format, ro,
		                               a->out[i].path, err)) < 0)
			return fail_err(rc, err);
	return 0;
}

/* Checks the traces, writes the reports, baseline and findings; the exit
 * status. */
static int check_traces(args *a, vs_rule_set *rs, vs_level fail_on)
{
	int ret = VS_EXIT_INTERNAL, rc;
	vs_check *chk = NULL;
	vs_rule_baseline *base = NULL, *nbase = NULL;
	vs_error err;
	unsigned bad_traces = 0, empty_traces = 0;
	char *root = source_root(a, rs);
	vs_error_init(&err);
	if (!root)
		return a->source_root ? VS_EXIT_USAGE : VS_EXIT_INTERNAL;
	chk = vs_check_new(rs);
	if (!chk)
		goto oom;
	progress prog = {.trace = NULL};
	vs_meter_init(&prog.m, isatty(STDERR_FILENO) ? stderr : NULL, prog.label, 0);
	if (isatty(STDERR_FILENO)) /* the meter looks at the clock every 4096 events */
		vs_check_set_progress(chk, on_progress, &prog, prog.m.now ? 1 : 256);
	if (a->baseline) {
		base = vs_rule_baseline_new();
		if (!base)
			goto oom;
		if ((rc = vs_rule_baseline_load(base, a->baseline, &err)) < 0) {
			ret = fail_err(rc, &err);
			goto cleanup;
		}
		vs_check_set_baseline(chk, base);
	}
	if ((rc = replay_traces(a, chk, &prog, &bad_traces, &empty_traces)) != 0) {
		ret = rc;
		goto cleanup;
	}
	if (empty_traces == (unsigned)a->n_traces) { /* nothing checked: no report */
		ret = VS_EXIT_USAGE;
		goto cleanup;
	}
	if (vs_check_finish(chk, &err) < 0)
		goto oom;
	vs_report_opts ro = {.fail_on = fail_on,
	                     .statistics = a->statistics,
	                     .version = VS_VERSION,
	                     .help_uri_base = a->help_uri,
	                     .source_root = root,
	                     .stack_depth = a->stack_depth};
	if ((rc = write_reports(a, chk, &ro, &err)) != 0) {
		ret = rc;
		goto cleanup;
	}
	if (a->write_baseline) {
		nbase = vs_rule_baseline_new();
		if (!nbase || vs_check_baseline_fill(chk, nbase, &err) < 0)
			goto oom;
		if ((rc = vs_rule_baseline_write(nbase, a->write_baseline, &err)) < 0) {
			ret = fail_err(rc, &err);
			goto cleanup;
		}
	}
	if (a->write_findings)
		for (int i = 0; i < a->n_traces; i++)
			if ((rc = vs_check_write_findings(chk, a->traces[i], &err)) < 0) {
				ret = fail_err(rc, &err);
				goto cleanup;
			}
	if (bad_traces)
		ret = VS_EXIT_USAGE;
	else if (a->write_baseline) /* the findings are accepted, not failed */
		ret = VS_EXIT_OK;
	else
		ret = vs_check_max_level(chk) >= fail_on ? VS_EXIT_FINDINGS : VS_EXIT_OK;
	goto cleanup;
oom:
	ret = fail(VS_EXIT_INTERNAL, "out of memory");
cleanup:
	vs_rule_baseline_free(nbase);
	vs_rule_baseline_free(base);
	vs_check_free(chk);
	free(root);
	return ret;
}

int main(int argc, char **argv)
{
	args a;
	memset(&a, 0, sizeof a);
	int ret = parse_args(&a, argc, argv);
	if (ret == 0)
		ret = run(&a);
	else if (ret == PARSE_DONE)
		ret = VS_EXIT_OK;
	for (size_t i = 0; i < a.n_spec_buf; i++)
		free(a.spec_buf[i]);
	return ret;
}
