/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_query.c - `vstrace query TRACE.db "SQL" | -f FILE.sql
 * [--csv | --json]`: argument parsing only; store/sqlout.c runs the SQL
 * read-only and formats the rows.  Exit status: 0, 2 for bad usage, an
 * unreadable trace or an SQL error (including any attempt to write), 3 for
 * an internal failure.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "vs/internal/util.h"

static void usage(FILE *f, int full)
{
	fputs("usage: vstrace query TRACE.db [--csv | --json] \"SQL\"\n"
	      "       vstrace query TRACE.db [--csv | --json] -f FILE.sql\n", f);
	if (full)
		fputs("\n"
		      "Runs read-only SQL on a trace (views: events, variables, scopes, threads,\n"
		      "processes, stats, findings, meta; see docs/schema.md) and prints the rows\n"
		      "as an aligned table (default), CSV or JSON.\n",
		      f);
}

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "vstrace: query: %s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
	        arg ? "'" : "");
	usage(stderr, 0);
	return 2;
}

/* Reads a whole file (or stdin for "-"); caller frees. */
static char *slurp(const char *path, vs_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	if (!f) {
		if (errno == ENOENT)
			vs_error_set(err, VS_ERR_NOT_FOUND, "%s: no such file", path);
		else
			vs_error_set(err, VS_ERR_IO, "%s: cannot read (%s)", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t n;
		if (cap - len < 4096) {
			char *b = realloc(buf, cap ? 2 * cap : 8192);
			if (!b) {
				vs_error_nomem(err);
				goto fail;
			}
			buf = b;
			cap = cap ? 2 * cap : 8192;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		vs_error_set(err, VS_ERR_IO, "%s: read error", path);
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

int vs_cmd_query(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"csv", no_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
		{"file", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0}};
	vs_db_out_format fmt = VS_DB_OUT_TABLE;
	const char *file = NULL, *sql = NULL;
	char *text = NULL;
	vs_db_reader *r = NULL;
	vs_db_progress *prog = NULL;
	vs_error err;
	int c, ret = 2, nfmt = 0;
	vs_error_init(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': fmt = VS_DB_OUT_CSV; nfmt++; break;
		case 'j': fmt = VS_DB_OUT_JSON; nfmt++; break;
		case 'f': file = optarg; break;
		case 'h': usage(stdout, 1); return 0;
		case ':': return bad("missing value for", argv[optind - 1]);
		default: return bad("unknown option", argv[optind - 1]);
		}
	}
	if (nfmt > 1)
		return bad("--csv and --json exclude each other", NULL);
	if (argc - optind != (file ? 1 : 2))
		return bad(file ? "expected a trace file and -f FILE.sql"
		                : "expected a trace file and one SQL text",
		           NULL);
	if (file) {
		if (!(text = slurp(file, &err)))
			goto fail;
		sql = text;
	} else {
		sql = argv[optind + 1];
	}
	if (vs_db_reader_open(&r, argv[optind], &err))
		goto fail;
	/* tables are printed once complete; streamed formats only when piped */
	if (isatty(STDERR_FILENO) && (fmt == VS_DB_OUT_TABLE || !isatty(STDOUT_FILENO)))
		prog = vs_db_progress_start(r, stderr, "vstrace: running query");
	c = vs_db_query_run(r, sql, fmt, stdout, &err);
	vs_db_progress_stop(prog);
	if (c)
		goto fail;
	ret = fflush(stdout) ? 3 : 0;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	vs_db_reader_close(r);
	free(text);
	return ret;
}
