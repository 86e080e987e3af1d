/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_query.c - `vstrace query TRACE.db "SQL" | -F FILE.sql
 * [--csv | --json]`: argument parsing only; store/sqlout.c runs the SQL
 * read-only and formats the rows.  Exit status: VS_EXIT_OK, VS_EXIT_USAGE
 * for bad usage, an unreadable trace, an SQL error (including any attempt
 * to write) or a query stopped by --timeout, VS_EXIT_INTERRUPTED (130) when
 * Ctrl-C stopped it, VS_EXIT_INTERNAL for an internal failure.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "vs/internal/util.h"

enum { OPT_CSV = 256, OPT_JSON, OPT_TIMEOUT, OPT_FILE = 'F', OPT_OLD_FILE = 'f', OPT_HELP = 'h' };

/* the default of --timeout: long enough for any sane query over a large
 * trace, short enough that a runaway one does not hang a script */
#define QUERY_TIMEOUT_S 60
#define VS_EXIT_INTERRUPTED 130 /* 128 + SIGINT, as shells report it */

static const vs_cli_opt query_opts[] = {
	{"csv", 0, NULL, "print the rows as CSV", OPT_CSV},
	{"json", 0, NULL, "print the rows as JSON", OPT_JSON},
	{"file", 'F', "FILE.sql", "read the SQL from FILE.sql ('-' for stdin)", OPT_FILE},
	/* -f is --force in every vstrace command; query's -f used to be --file */
	{NULL, 'f', NULL, NULL, OPT_OLD_FILE},
	{"timeout", 0, "SECONDS", "stop the query after SECONDS (default 60; 0 = no limit)",
         OPT_TIMEOUT},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const query_synopsis[] = {
	"TRACE.db [--csv | --json] \"SQL\"",
	"TRACE.db [--csv | --json] -F FILE.sql",
	NULL,
};

static const vs_cli_cmd query_cmd = {
	"vstrace",
	"query",
	query_synopsis,
	"Runs read-only SQL on a trace (views: events, variables, scopes, threads,\n"
	"processes, stats, findings, meta; see docs/schema.md) and prints the rows\n"
	"as an aligned table (default), CSV or JSON.\n",
	query_opts,
	sizeof query_opts / sizeof query_opts[0],
	NULL,
	0,
};

/* Reads a whole file (or stdin for "-"); caller frees. */
static char *slurp(const char *path, vs_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	if (!f) {
		if (errno == ENOENT)
			vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': no such file", path);
		else
			vs_error_set(err, VS_ERR_IO, "'%s': cannot read (%s)", path,
			             strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t n;
		if (VS_GROW(buf, cap, len + 4096) < 0) {
			vs_error_nomem(err);
			goto fail;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		vs_error_set(err, VS_ERR_IO, "'%s': read error", path);
		goto fail;
	}
	buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return NULL;
}

/* Ctrl-C: SQLite stops the running statement at its next step (the call
 * is safe from a signal handler: it only sets a flag) */
static sqlite3 *volatile running_db;
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	if (running_db)
		sqlite3_interrupt(running_db);
}

/* --timeout's value: a number of seconds >= 0 */
static int parse_timeout(const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (!*v || *end || errno || !isfinite(d) || d < 0)
		return -1;
	*out = d;
	return 0;
}

/* runs sql under the time limit and Ctrl-C; 0, a negative vs_err, or
 * VS_EXIT_INTERRUPTED when Ctrl-C stopped it */
static int run_limited(vs_db_reader *r, const char *sql, vs_db_out_format fmt, double timeout,
                       vs_error *err)
{
	/* tables are printed once complete; streamed formats only when piped */
	int tty = isatty(STDERR_FILENO) && (fmt == VS_DB_OUT_TABLE || !isatty(STDOUT_FILENO));
	vs_db_progress *prog = vs_db_progress_start(r, tty ? stderr : NULL,
	                                            "vstrace: running query");
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	if (!prog && timeout > 0)
		return vs_error_nomem(err);
	vs_db_progress_limit(prog, timeout);
	interrupted = 0;
	running_db = vs_db_reader_sqlite(r);
	sigaction(SIGINT, &sa, &old);
	int rc = vs_db_query_run(r, sql, fmt, stdout, err);
	sigaction(SIGINT, &old, NULL);
	running_db = NULL;
	int expired = vs_db_progress_expired(prog);
	vs_db_progress_stop(prog);
	if (rc < 0 && interrupted)
		return VS_EXIT_INTERRUPTED;
	if (rc < 0 && expired)
		return vs_error_set(
			err, VS_ERR_USAGE,
			"'%s': query: stopped after the time limit of %g s (see --timeout)",
			vs_db_reader_path(r), timeout);
	return rc;
}

int vs_cmd_query(int argc, char **argv)
{
	vs_db_out_format fmt = VS_DB_OUT_TABLE;
	const char *file = NULL, *sql = NULL, *v;
	char *text = NULL;
	vs_db_reader *r = NULL;
	vs_cli_parser p;
	vs_error err;
	double timeout = QUERY_TIMEOUT_S;
	int c, ret, nfmt = 0, first;
	vs_error_init(&err);
	vs_cli_begin(&p, &query_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		switch (c) {
		case OPT_CSV:
			fmt = VS_DB_OUT_CSV;
			nfmt++;
			break;
		case OPT_JSON:
			fmt = VS_DB_OUT_JSON;
			nfmt++;
			break;
		case OPT_FILE: file = v; break;
		case OPT_OLD_FILE:
			return vs_cli_usage_error(
				&query_cmd, "'-f' is not --file (in vstrace, -f means --force):"
					    " read the SQL from a file with -F FILE.sql");
		case OPT_TIMEOUT:
			if (parse_timeout(v, &timeout) < 0)
				return vs_cli_usage_error(
					&query_cmd, "--timeout takes a number of seconds >= 0");
			break;
		case OPT_HELP: vs_cli_help(stdout, &query_cmd); return VS_EXIT_OK;
		default: return VS_EXIT_USAGE; /* VS_CLI_ERROR, reported */
		}
	}
	first = vs_cli_operand(&p);
	if (nfmt > 1)
		return vs_cli_usage_error(&query_cmd, "--csv and --json exclude each other");
	if (argc - first != (file ? 1 : 2))
		return vs_cli_usage_error(&query_cmd,
		                          file ? "expected a trace file and -F FILE.sql"
		                               : "expected a trace file and one SQL text");
	if (file) {
		if (!(text = slurp(file, &err)))
			goto fail;
		sql = text;
	} else {
		sql = argv[first + 1];
	}
	if (vs_db_reader_open(&r, argv[first], &err) < 0)
		goto fail;
	c = run_limited(r, sql, fmt, timeout, &err);
	if (c == VS_EXIT_INTERRUPTED) {
		fflush(stdout);
		fprintf(stderr, "vstrace: query: interrupted\n");
		ret = VS_EXIT_INTERRUPTED;
		goto cleanup;
	}
	if (c < 0)
		goto fail;
	ret = fflush(stdout) ? VS_EXIT_INTERNAL : VS_EXIT_OK;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	vs_db_reader_close(r);
	free(text);
	return ret;
}
