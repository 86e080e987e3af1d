/* SPDX-License-Identifier: MIT */
/*
 * store/report.h - human and machine renderings of a trace, used by
 * `vstrace info`, `vstrace show` and `vstrace query` (the commands only
 * parse arguments): the summary (store/info.c), the indented per-thread
 * timeline (store/timeline.c), read-only SQL with table/CSV/JSON output
 * (store/sqlout.c), and a progress line for long reads (store/progress.c).
 * All write to a caller-supplied FILE and report failures through vs_error.
 */
#ifndef VS_STORE_REPORT_H
#define VS_STORE_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "store/db.h"

struct sqlite3;
struct sqlite3_stmt;

/* Writes the n bytes at s (NULs allowed) as a JSON string literal: quote,
 * backslash and control characters escaped, DEL as \u007f.  Shared with the
 * checker's JSON and SARIF reports. */
void vs_db_json_string(FILE *out, const char *s, size_t n);

/* One row of st as `vstrace query` and `vstrace export` print it, without a
 * line end.  vs_db_csv_row: the columns' text (names: the column names
 * instead), comma separated, quoted as RFC 4180 where a value holds a
 * comma, quote or line break; NULL is empty.  vs_db_json_row: an object
 * {"column": value, ...} in column order; integers and finite reals as
 * numbers, NULL and non-finite reals as null, blobs as hex strings, text
 * as strings. */
void vs_db_csv_row(FILE *out, struct sqlite3_stmt *st, int names);
void vs_db_json_row(FILE *out, struct sqlite3_stmt *st);

/* The summary of `vstrace info`: program, command line, exit status,
 * duration, processes, threads, variables, losses, event counts per kind. */
int vs_db_info_print(vs_db_reader *r, FILE *out, vs_error *err);
/* The same summary as one JSON object (store/info_json.c). */
int vs_db_info_json(vs_db_reader *r, FILE *out, vs_error *err);
/* What both summaries count, from the raw tables: events, nanoseconds from
 * the first event to the last, threads, variables created, TF errors. */
typedef struct vs_db_info_counts {
	int64_t events, duration_ns, threads, variables, errors;
} vs_db_info_counts;
int vs_db_info_counts_get(vs_db_reader *r, vs_db_info_counts *out, vs_error *err);
/* Process i (as vs_db_reader_process), its number of events and whether
 * the recorder saw it end. */
int vs_db_info_process(vs_db_reader *r, uint32_t i, vs_db_process *p, int64_t *events, int *ended,
                       vs_error *err);

typedef struct vs_db_show_opts {
	uint32_t proc;          /* only this process (0 = all) */
	uint32_t tid;           /* only this thread (0 = all; see also tids) */
	int kind;               /* only this event kind (-1 = all but SITE, MODULE, STACK;
	                         * see also kinds) */
	const char *scope_glob; /* only events whose variable scope matches (NULL = all) */
	const uint32_t *tids;   /* only these threads too (ntids of them) */
	size_t ntids;
	uint64_t kinds[2];  /* a bit per kind: only these (all 0: see kind) */
	uint64_t from, to;  /* only seq from..to (0 = open) */
	unsigned max_depth; /* only lines nested less deep (0 = any) */
	int fold;           /* hide the internal sub-events of public calls */
	int color;          /* ANSI colours (errors, outcomes, call sites) */
	uint32_t stacks;    /* frames of the call stack under the first event of
	                         * each call (0: none) */
	FILE *progress;     /* a progress line here (a terminal's stderr), NULL: none */
} vs_db_show_opts;

/* The indented per-thread timeline of `vstrace show` (opts NULL: every
 * event but SITE, unfolded).  Folded, a variable_scope's graph push and
 * name scope and get_variable's name scope are not shown, nor (unless
 * kinds are asked for) the default creator and true getter with what they
 * do; a call with no line inside it is one line, its enter's text and its
 * exit's outcome (`get_variable "a/w" ... = created`); indentation counts
 * only the lines shown; a multi-line message continues under its event's
 * column. */
int vs_db_show_print(vs_db_reader *r, const vs_db_show_opts *opts, FILE *out, vs_error *err);

typedef enum vs_db_out_format {
	VS_DB_OUT_TABLE = 0, /* aligned columns with a header */
	VS_DB_OUT_CSV = 1,   /* RFC 4180, header row */
	VS_DB_OUT_JSON = 2   /* one array of objects per statement */
} vs_db_out_format;

/*
 * Runs every statement of sql on the reader's connection and prints the
 * rows.  On an incomplete trace, the views scopes and variables are first
 * derived in memory (the file is not written).  Only reads are allowed: a statement that would write fails with
 * VS_ERR_USAGE before it runs.  SQL errors are VS_ERR_USAGE with SQLite's
 * message.
 */
int vs_db_query_run(vs_db_reader *r, const char *sql, vs_db_out_format fmt, FILE *out,
                    vs_error *err);

/* `vstrace report`: per-scope and per-call-site tables (store/usage.c). */
typedef struct vs_db_report_opts {
	const char *sort; /* time (default), events, created, reused, errors, calls,
	                   * entries (descending) or name (ascending) */
	int json;         /* {"scopes": [...], "sites": [...]} instead of tables */
} vs_db_report_opts;
int vs_db_report_print(vs_db_reader *r, const vs_db_report_opts *o, FILE *out, vs_error *err);
/* 1 when key is one of the sort keys above */
int vs_db_report_sort_valid(const char *key);

/*
 * A progress line on tty while the reader's connection works (tty NULL:
 * no line, only the limit below).  It appears only after half a second and
 * is erased by vs_db_progress_stop, so quick commands print nothing.
 * Caller stops it.  NULL on OOM.
 */
typedef struct vs_db_progress vs_db_progress;
vs_db_progress *vs_db_progress_start(vs_db_reader *r, FILE *tty, const char *label);
void vs_db_progress_stop(vs_db_progress *p);
/* (harden) Stops the connection's statements (they fail with SQLite's
 * "interrupted") once seconds (> 0; 0 = no limit) have passed since
 * vs_db_progress_start; vs_db_progress_expired then returns 1. */
void vs_db_progress_limit(vs_db_progress *p, double seconds);
int vs_db_progress_expired(const vs_db_progress *p);

#endif /* VS_STORE_REPORT_H */
