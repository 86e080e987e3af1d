/* SPDX-License-Identifier: MIT */
/*
 * cli/vscheck.c - the vscheck command: option table, dispatch, exit codes.
 *
 *   vscheck [OPTIONS] TRACE.db...
 *
 * Exit: 0 clean (nothing at or above --fail-on), 1 findings at or above it,
 * 2 usage, config or trace errors (a lossy or truncated trace too, unless
 * --allow-loss), 3 internal error.  All work is in checker/ and rules/;
 * this file only parses, dispatches and prints errors.
 * To add an option: add a row to `options` (its help text is --help) and a
 * case in parse_args.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/check.h"
#include "checker/report.h"
#include "cli/clicommon.h"
#include "rules/baseline.h"
#include "rules/rules.h"

#define VSCHECK_VERSION "0.1.0"
#define MAX_OUTPUTS 16
#define MAX_SPECS 128

/* parse_args: everything done (--help, --version), exit 0 */
#define PARSE_DONE (-1)

enum {
	EXIT_CLEAN = VS_EXIT_OK,
	EXIT_FINDINGS = VS_EXIT_FAILURE,
	EXIT_USAGE = VS_EXIT_USAGE,
	EXIT_INTERNAL = VS_EXIT_INTERNAL
};

enum {
	OPT_SELECT = 256, OPT_IGNORE, OPT_SEVERITY, OPT_FAIL_ON, OPT_FORMAT, OPT_BASELINE,
	OPT_WRITE_BASELINE, OPT_EXPLAIN, OPT_LIST_RULES, OPT_SHOW_CONFIG, OPT_STATISTICS,
	OPT_WRITE_FINDINGS, OPT_CONFIG, OPT_NO_CONFIG, OPT_ALLOW_LOSS, OPT_VERSION,
	OPT_STACK_DEPTH
};

static const struct opt_help {
	struct option opt;
	const char *arg, *help;
} options[] = {
	{{"select", required_argument, NULL, OPT_SELECT}, "RULES",
	 "check only these rules (codes, names or prefixes like VS2; comma-separated)"},
	{{"ignore", required_argument, NULL, OPT_IGNORE}, "RULES", "turn these rules off"},
	{{"severity", required_argument, NULL, OPT_SEVERITY}, "RULE=LEVEL",
	 "set a rule's level: off, note, warning, error"},
	{{"fail-on", required_argument, NULL, OPT_FAIL_ON}, "LEVEL",
	 "exit 1 on findings at or above LEVEL (error, warning, note; default error)"},
	{{"format", required_argument, NULL, OPT_FORMAT}, "FORMAT",
	 "stdout report: text, gcc, json, sarif, junit, github (markdown for --explain)"},
	{{"output", required_argument, NULL, 'o'}, "FORMAT:PATH",
	 "also write a FORMAT report to PATH (repeatable)"},
	{{"baseline", required_argument, NULL, OPT_BASELINE}, "FILE",
	 "do not report findings listed in FILE"},
	{{"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE}, "FILE",
	 "write every finding of this run to FILE as the new baseline"},
	{{"explain", required_argument, NULL, OPT_EXPLAIN}, "RULE|all", "explain a rule and exit"},
	{{"list-rules", no_argument, NULL, OPT_LIST_RULES}, NULL,
	 "list the rules with their effective levels and exit"},
	{{"show-config", no_argument, NULL, OPT_SHOW_CONFIG}, NULL,
	 "print the effective configuration and exit"},
	{{"statistics", no_argument, NULL, OPT_STATISTICS}, NULL,
	 "print per-rule counts and replay speed"},
	{{"stack-depth", required_argument, NULL, OPT_STACK_DEPTH}, "N",
	 "text: call-stack frames shown under each finding (default 16, 0 none)"},
	{{"write-findings", no_argument, NULL, OPT_WRITE_FINDINGS}, NULL,
	 "store the findings in each trace's findings table"},
	{{"config", required_argument, NULL, OPT_CONFIG}, "FILE",
	 "use FILE instead of the nearest .vscheck.yml"},
	{{"no-config", no_argument, NULL, OPT_NO_CONFIG}, NULL, "ignore any .vscheck.yml"},
	{{"allow-loss", no_argument, NULL, OPT_ALLOW_LOSS}, NULL,
	 "check traces that lost events or were truncated (exit 2 otherwise)"},
	{{"version", no_argument, NULL, OPT_VERSION}, NULL, "print the version and exit"},
	{{"help", no_argument, NULL, 'h'}, NULL, "show this help"},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

typedef struct args {
	const char *specs_select[MAX_SPECS], *specs_ignore[MAX_SPECS], *severity[MAX_SPECS];
	size_t n_select, n_ignore, n_severity;
	char *spec_buf[2 * MAX_SPECS];
	size_t n_spec_buf;
	int fail_on; /* -1 = not given */
	int format;
	int markdown;
	struct { int format; const char *path; } out[MAX_OUTPUTS];
	size_t n_out;
	const char *baseline, *write_baseline, *explain, *config;
	int list_rules, show_config, statistics, write_findings, no_config, allow_loss;
	int stack_depth;
	char **traces;
	int n_traces;
} args;

static void usage(FILE *f)
{
	fputs("usage: vscheck [OPTIONS] TRACE.db...\n\n"
	      "Replays vstrace traces through a shadow model of TensorFlow's variable\n"
	      "scoping and reports misuse by rule (see --list-rules, --explain RULE).\n\n",
	      f);
	for (size_t i = 0; i < N_OPTIONS; i++) {
		char left[64];
		const struct opt_help *o = &options[i];
		if (o->opt.val < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->opt.val, o->opt.name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->opt.name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		fprintf(f, "  %-30s %s\n", left, o->help);
	}
	fputs("\nexit status: 0 clean, 1 findings at or above --fail-on, 2 usage, config or\n"
	      "trace error, 3 internal error\n",
	      f);
}

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

static int parse_args(args *a, int argc, char **argv)
{
	struct option longopts[N_OPTIONS + 1];
	for (size_t i = 0; i < N_OPTIONS; i++)
		longopts[i] = options[i].opt;
	memset(&longopts[N_OPTIONS], 0, sizeof longopts[0]);
	a->fail_on = -1;
	a->format = VS_REPORT_TEXT;
	a->stack_depth = 16;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SELECT:
		case OPT_IGNORE:
			if (a->n_spec_buf >= 2 * MAX_SPECS ||
			    split_specs(a, optarg, c == OPT_SELECT ? a->specs_select : a->specs_ignore,
			                c == OPT_SELECT ? &a->n_select : &a->n_ignore) != 0)
				return fail(EXIT_USAGE, "too many rules in '%s'", optarg);
			break;
		case OPT_SEVERITY:
			if (a->n_severity >= MAX_SPECS)
				return fail(EXIT_USAGE, "too many --severity options");
			a->severity[a->n_severity++] = optarg;
			break;
		case OPT_FAIL_ON:
			a->fail_on = vs_level_from_name(optarg);
			if (a->fail_on <= VS_LEVEL_OFF)
				return fail(EXIT_USAGE,
				            "unknown --fail-on level '%s' (expected error, warning or note)",
				            optarg);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "markdown") == 0) {
				a->markdown = 1;
				break;
			}
			a->format = vs_check_report_format_from_name(optarg);
			if (a->format < 0)
				return fail(EXIT_USAGE,
				            "unknown format '%s' (expected text, gcc, json, sarif, junit, "
				            "github)",
				            optarg);
			break;
		case 'o': {
			const char *colon = strchr(optarg, ':');
			char name[16];
			if (!colon || colon == optarg || (size_t)(colon - optarg) >= sizeof name ||
			    !colon[1])
				return fail(EXIT_USAGE, "bad -o '%s' (expected FORMAT:PATH)", optarg);
			memcpy(name, optarg, (size_t)(colon - optarg));
			name[colon - optarg] = '\0';
			int fmt = vs_check_report_format_from_name(name);
			if (fmt < 0)
				return fail(EXIT_USAGE, "unknown format '%s' in -o", name);
			if (a->n_out >= MAX_OUTPUTS)
				return fail(EXIT_USAGE, "too many -o options");
			a->out[a->n_out].format = fmt;
			a->out[a->n_out++].path = colon + 1;
			break;
		}
		case OPT_BASELINE: a->baseline = optarg; break;
		case OPT_WRITE_BASELINE: a->write_baseline = optarg; break;
		case OPT_EXPLAIN: a->explain = optarg; break;
		case OPT_LIST_RULES: a->list_rules = 1; break;
		case OPT_SHOW_CONFIG: a->show_config = 1; break;
		case OPT_STATISTICS: a->statistics = 1; break;
		case OPT_STACK_DEPTH: {
			char *end;
			long d = strtol(optarg, &end, 10);
			if (!*optarg || *end || d < 0 || d > 64)
				return fail(EXIT_USAGE, "bad --stack-depth '%s' (expected 0 to 64)", optarg);
			a->stack_depth = (int)d;
			break;
		}
		case OPT_WRITE_FINDINGS: a->write_findings = 1; break;
		case OPT_CONFIG: a->config = optarg; break;
		case OPT_NO_CONFIG: a->no_config = 1; break;
		case OPT_ALLOW_LOSS: a->allow_loss = 1; break;
		case OPT_VERSION:
			printf("vscheck %s\n", VSCHECK_VERSION);
			return PARSE_DONE;
		case 'h':
			usage(stdout);
			return PARSE_DONE;
		case '?':
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "vscheck: unknown or incomplete option '-%c'\n", optopt);
			else
				fprintf(stderr, "vscheck: unknown or incomplete option '%s'\n",
				        argv[optind - 1]);
			fputs("usage: vscheck [OPTIONS] TRACE.db... (see --help)\n", stderr);
			return EXIT_USAGE;
		}
	}
	a->traces = argv + optind;
	a->n_traces = argc - optind;
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
	return code == VS_ERR_INVALID ? EXIT_INTERNAL : st;
}

static int explain(const args *a)
{
	if (strcmp(a->explain, "all") == 0) {
		for (int i = 0; i < VS_RULE__COUNT; i++) {
			if (i)
				fputs(a->markdown ? "\n" : "\n----\n\n", stdout);
			vs_check_explain(stdout, (vs_rule_id)i, a->markdown);
		}
		return EXIT_CLEAN;
	}
	int id = vs_rule_find(a->explain);
	if (id < 0)
		return fail(EXIT_USAGE, "unknown rule '%s' (see --list-rules)", a->explain);
	vs_check_explain(stdout, (vs_rule_id)id, a->markdown);
	return EXIT_CLEAN;
}

static int run(args *a)
{
	int ret = EXIT_INTERNAL, rc;
	vs_rule_set *rs = NULL;
	vs_check *chk = NULL;
	vs_rule_baseline *base = NULL, *nbase = NULL;
	char *found = NULL;
	vs_error err;
	unsigned bad_traces = 0;

	vs_error_init(&err);
	if (a->explain) {
		ret = explain(a);
		goto cleanup;
	}
	if (a->markdown) {
		ret = fail(EXIT_USAGE, "--format markdown is only for --explain");
		goto cleanup;
	}
	rs = vs_rule_set_new();
	if (!rs)
		goto oom;
	const char *cfg = a->config;
	if (!cfg && !a->no_config)
		cfg = found = vs_rule_set_find_config(".");
	if (cfg && (rc = vs_rule_set_load(rs, cfg, &err)) != 0) {
		ret = fail_err(rc, &err);
		goto cleanup;
	}
	if ((a->n_select && vs_rule_set_select(rs, a->specs_select, a->n_select, &err)) ||
	    (a->n_ignore && vs_rule_set_ignore(rs, a->specs_ignore, a->n_ignore, &err))) {
		ret = fail(EXIT_USAGE, "%s", err.msg);
		goto cleanup;
	}
	for (size_t i = 0; i < a->n_severity; i++)
		if (vs_rule_set_severity(rs, a->severity[i], &err) != 0) {
			ret = fail(EXIT_USAGE, "%s", err.msg);
			goto cleanup;
		}
	vs_level fail_on = a->fail_on > 0 ? (vs_level)a->fail_on
	                   : vs_rule_set_fail_on(rs) ? vs_rule_set_fail_on(rs)
	                                             : VS_LEVEL_ERROR;
	if (a->list_rules) {
		vs_check_list_rules(stdout, rs);
		ret = EXIT_CLEAN;
		goto cleanup;
	}
	if (a->show_config) {
		char *dump = vs_rule_set_dump(rs);
		if (!dump)
			goto oom;
		fputs(dump, stdout);
		free(dump);
		ret = EXIT_CLEAN;
		goto cleanup;
	}
	if (a->n_traces == 0) {
		fputs("vscheck: no trace given\nusage: vscheck [OPTIONS] TRACE.db... (see --help)\n",
		      stderr);
		ret = EXIT_USAGE;
		goto cleanup;
	}
	chk = vs_check_new(rs);
	if (!chk)
		goto oom;
	if (a->baseline) {
		base = vs_rule_baseline_new();
		if (!base)
			goto oom;
		if ((rc = vs_rule_baseline_load(base, a->baseline, &err)) != 0) {
			ret = fail_err(rc, &err);
			goto cleanup;
		}
		vs_check_set_baseline(chk, base);
	}
	for (int i = 0; i < a->n_traces; i++) {
		unsigned status = 0;
		if ((rc = vs_check_trace(chk, a->traces[i], &status, &err)) != 0) {
			ret = fail_err(rc, &err);
			goto cleanup;
		}
		if (status && !a->allow_loss) {
			fail(EXIT_USAGE, "%s: %s (use --allow-loss to accept its findings)", a->traces[i],
			     status & VS_CHECK_LOSSY ? "the trace lost events"
			                             : "the trace is truncated (the process crashed)");
			bad_traces++;
		}
	}
	if (vs_check_finish(chk, &err) < 0)
		goto oom;
	vs_report_opts ro = {fail_on, a->statistics, VSCHECK_VERSION, a->stack_depth};
	if (vs_check_report(chk, (vs_report_format)a->format, &ro, stdout, &err) < 0) {
		ret = fail(EXIT_USAGE, "cannot write the report to stdout");
		goto cleanup;
	}
	for (size_t i = 0; i < a->n_out; i++)
		if ((rc = vs_check_report_file(chk, (vs_report_format)a->out[i].format, &ro,
		                               a->out[i].path, &err)) != 0) {
			ret = fail_err(rc, &err);
			goto cleanup;
		}
	if (a->write_baseline) {
		nbase = vs_rule_baseline_new();
		if (!nbase || vs_check_baseline_fill(chk, nbase, &err) < 0)
			goto oom;
		if ((rc = vs_rule_baseline_write(nbase, a->write_baseline, &err)) != 0) {
			ret = fail_err(rc, &err);
			goto cleanup;
		}
	}
	if (a->write_findings)
		for (int i = 0; i < a->n_traces; i++)
			if ((rc = vs_check_write_findings(chk, a->traces[i], &err)) != 0) {
				ret = fail_err(rc, &err);
				goto cleanup;
			}
	if (bad_traces)
		ret = EXIT_USAGE;
	else
		ret = vs_check_max_level(chk) >= fail_on ? EXIT_FINDINGS : EXIT_CLEAN;
	goto cleanup;
oom:
	ret = fail(EXIT_INTERNAL, "out of memory");
cleanup:
	vs_rule_baseline_free(nbase);
	vs_rule_baseline_free(base);
	vs_check_free(chk);
	vs_rule_set_free(rs);
	free(found);
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
		ret = EXIT_CLEAN;
	for (size_t i = 0; i < a.n_spec_buf; i++)
		free(a.spec_buf[i]);
	return ret;
}
