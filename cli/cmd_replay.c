/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_replay.c - `vstrace replay TRACE.db [--free] [--proc P]
 * [-o T2.db] [--keep FILE.yaml]`: re-executes a trace's calls through
 * libvs in this process and compares every outcome with the recorded one.
 *
 * The trace is exported as a scenario (store/export_scenario.c, with its
 * line -> event map), loaded and run exactly as `vstrace run` runs a
 * scenario (scenario/), optionally recorded with the in-process recorder.
 * The first failed expectation or uncaught error is the first divergence:
 * it is reported with the event it reproduces (seq, kind, thread) and what
 * was expected and got; exit 1.  Else `replay: N calls, all outcomes
 * identical`, exit 0.  Usage or an unreadable trace: 2; internal: 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "scenario/scenario.h"
#include "store/export.h"
#include "store/recorder.h"
#include "vs/vs.h"
#include "vs/internal/util.h"

enum { OPT_FREE = 'F', OPT_HELP = 'h', OPT_KEEP = 'k', OPT_OUTPUT = 'o', OPT_PROC = 'p' };

static const vs_cli_opt replay_opts[] = {
	{"free", 0, NULL,
         "run the threads freely (`interleave: free`), not in\n"
         "their recorded interleaving: finds order-dependent outcomes",
         OPT_FREE},
	{"proc", 'p', "P", "replay process P (default 1, the traced program)", OPT_PROC},
	{"output", 'o', "T2.db", "record the replay into the trace T2.db", OPT_OUTPUT},
	{"keep", 'k', "FILE.yaml", "also write the scenario that is replayed to FILE.yaml",
         OPT_KEEP},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const replay_synopsis[] = {
	"TRACE.db [--free] [--proc P] [-o T2.db] [--keep FILE.yaml]", NULL};

static const vs_cli_cmd replay_cmd = {
	"vstrace",
	"replay",
	replay_synopsis,
	"Re-executes the recorded calls through libvs (as `vstrace run` runs a\n"
	"scenario) and compares every outcome with the recorded one: the first\n"
	"divergence (event, expected, got) exits 1; `replay: N calls, all outcomes\n"
	"identical` exits 0.\n",
	replay_opts,
	sizeof replay_opts / sizeof replay_opts[0],
	NULL,
	0,
};

struct replay_args {
	const char *trace, *output, *keep;
	vs_db_scn_opts scn;
};

/* The scenario text of the trace, with its line map. */
static int export_text(const struct replay_args *a, char **text, size_t *len, vs_db_scn_line **map,
                       size_t *nmap, vs_error *err)
{
	vs_db_reader *r = NULL;
	FILE *f;
	int rc;
	*text = NULL;
	if ((rc = vs_db_reader_open(&r, a->trace, err)) < 0)
		return rc;
	if (a->scn.proc > vs_db_reader_process_count(r)) {
		rc = vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': no process %u in trace", a->trace,
		                  a->scn.proc);
		vs_db_reader_close(r);
		return rc;
	}
	if (!(f = open_memstream(text, len))) {
		vs_db_reader_close(r);
		return vs_error_nomem(err);
	}
	rc = vs_db_export_scenario(r, &a->scn, f, map, nmap, err);
	if (fclose(f) != 0 && rc == 0)
		rc = vs_error_nomem(err);
	vs_db_reader_close(r);
	return rc;
}

static const vs_db_scn_line *map_find(const vs_db_scn_line *map, size_t n, int line)
{
	/* a failed expectation is on the `expect:` line; an uncaught error on
	 * the step's line, the one before */
	for (size_t i = 0; i < n; i++)
		if (map[i].line == line || map[i].line == line + 1)
			return &map[i];
	return NULL;
}

/* Prints the outcome; returns the exit status.  An event of another
 * process (a fork child's scenario re-does its parent's prefix) says so. */
static int report(const vs_scn *s, const vs_scn_report *rep, const vs_db_scn_line *map, size_t nmap,
                  uint32_t proc)
{
	char of[32];
	size_t n = vs_scn_report_count(rep);
	for (size_t i = 0; i < n; i++) {
		const vs_scn_entry *e = vs_scn_report_at(rep, i);
		const vs_db_scn_line *m;
		if (e->kind != VS_SCN_ENT_FAILED && e->kind != VS_SCN_ENT_UNCAUGHT)
			continue;
		m = map_find(map, nmap, e->line);
		of[0] = '\0';
		if (m && m->proc != proc)
			snprintf(of, sizeof of, " of process %u", m->proc);
		if (m)
			printf("replay: divergence at event #%llu (%s) of thread %u%s: %s%s\n",
			       (unsigned long long)m->seq, vs_ev_kind_name(m->kind), m->tid, of,
			       e->kind == VS_SCN_ENT_UNCAUGHT ? "uncaught " : "", e->text);
		else
			printf("replay: divergence at %s:%d: %s%s\n", vs_scn_path(s), e->line,
			       e->kind == VS_SCN_ENT_UNCAUGHT ? "uncaught " : "", e->text);
		return VS_EXIT_FINDINGS;
	}
	printf("replay: %zu calls, all outcomes identical\n", vs_scn_report_stats(rep)->steps);
	return VS_EXIT_OK;
}

static int keep_text(const char *path, const char *text, size_t len, vs_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		if (f)
			fclose(f);
		return vs_error_set(err, VS_ERR_IO, "cannot write '%s'", path);
	}
	return 0;
}

/* Loads and runs the text (recorded into a->output when set). */
static int replay_run(const struct replay_args *a, const char *text, size_t len,
                      const vs_db_scn_line *map, size_t nmap, vs_error *err)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = NULL;
	vs_recorder *rec = NULL;
	char name[4096];
	int ret;
	snprintf(name, sizeof name, "%s.replay.yaml", a->trace);
	if (vs_scn_load_string(&s, name, text, len, err) < 0) {
		/* the exporter wrote something the loader refuses: a bug */
		vs_error_prefix(err, "replay: exported scenario refused");
		err->code = VS_ERR_INTERNAL;
		return vs_cli_fail("vstrace", VS_ERR_INTERNAL, err);
	}
	if (a->output && vs_recorder_start_self(&rec, a->output, err) < 0) {
		vs_cli_fail("vstrace", err->code, err);
		vs_scn_free(s);
		return VS_EXIT_USAGE;
	}
	if (vs_scn_run(s, &rep, err) < 0)
		ret = vs_cli_fail("vstrace",
		                  err->code == VS_ERR_STATE ? VS_ERR_INTERNAL : err->code, err);
	else
		ret = report(s, rep, map, nmap, a->scn.proc ? a->scn.proc : 1);
	if (rec && vs_recorder_stop_self(rec, ret, err) < 0)
		ret = vs_cli_fail("vstrace", err->code, err);
	vs_scn_report_free(rep);
	vs_runtime_shutdown(); /* call sites point into the scenario */
	vs_scn_free(s);
	return ret;
}

int vs_cmd_replay(int argc, char **argv)
{
	struct replay_args a;
	vs_cli_parser p;
	vs_error err;
	vs_db_scn_line *map = NULL;
	size_t nmap = 0, len = 0;
	char *text = NULL, *end;
	const char *v;
	unsigned long n;
	int c, ret;
	memset(&a, 0, sizeof a);
	vs_error_init(&err);
	vs_cli_begin(&p, &replay_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		switch (c) {
		case VS_CLI_ERROR: return VS_EXIT_USAGE;
		case OPT_HELP: vs_cli_help(stdout, &replay_cmd); return VS_EXIT_OK;
		case OPT_FREE: a.scn.free = 1; break;
		case OPT_OUTPUT: a.output = v; break;
		case OPT_KEEP: a.keep = v; break;
		case OPT_PROC:
			n = strtoul(v, &end, 10);
			if (!*v || *v == '-' || *end || n == 0 || n > UINT32_MAX)
				return vs_cli_usage_error(&replay_cmd, "bad process number '%s'",
				                          v);
			a.scn.proc = (uint32_t)n;
			break;
		default: VS_BUG("option %d not handled", c);
		}
	}
	if (argc - vs_cli_operand(&p) != 1)
		return vs_cli_usage_error(&replay_cmd, "expected one trace file");
	if (vs_cli_no_stdout(&replay_cmd, "-o", a.output,
	                     "a trace is a database file, not a stream") != 0 ||
	    vs_cli_no_stdout(&replay_cmd, "--keep", a.keep,
	                     "standard output carries the replay's result") != 0)
		return VS_EXIT_USAGE;
	a.trace = argv[vs_cli_operand(&p)];
	if (export_text(&a, &text, &len, &map, &nmap, &err) < 0 ||
	    (a.keep && keep_text(a.keep, text, len, &err) < 0))
		ret = vs_cli_fail("vstrace", err.code, &err);
	else
		ret = replay_run(&a, text, len, map, nmap, &err);
	free(text);
	free(map);
	return ret;
}
