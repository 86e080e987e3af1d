/* SPDX-License-Identifier: MIT */
/*
 * store/export.h - `vstrace export`: a trace turned into other formats,
 * read through the public cursor and views so that incomplete traces work
 * too.
 *
 *  - chrome (store/export_chrome.c): Chrome trace-event JSON, which
 *    Perfetto UI and chrome://tracing open.  One track per process and
 *    thread; scopes, context switches and calls as nested B/E slices; the
 *    instants (variable creations, errors, lost events, findings); flow
 *    arrows from a variable's creation through each later reuse.  Streams:
 *    memory grows with the number of threads, their nesting depth and the
 *    distinct strings, never with the number of events.
 *  - json / csv (store/export_rows.c): the rows of one public view
 *    (docs/schema.md), each prefixed with the trace's identity
 *    (trace_id, program, host, start_time), one JSON object per line or
 *    RFC 4180 CSV with a header; for loading many traces into one engine
 *    (docs/fleet.md).
 *  - dot (store/export_dot.c): a Graphviz digraph of the sharing: the
 *    variable-scope tree, its variables, reuse edges, direct variables and
 *    errors highlighted, findings attached.
 *
 * Every function writes to out and returns 0 or a negative vs_err with
 * err filled; a write error on out is VS_ERR_IO.
 */
#ifndef VS_STORE_EXPORT_H
#define VS_STORE_EXPORT_H

#include <stdio.h>

#include "store/db.h"

int vs_db_export_chrome(vs_db_reader *r, FILE *out, vs_error *err);

typedef enum vs_db_rows_format {
	VS_DB_ROWS_JSON = 0, /* one JSON object per line */
	VS_DB_ROWS_CSV = 1   /* RFC 4180 with a header row */
} vs_db_rows_format;

/* The public views export_rows accepts, NULL-terminated (events first). */
extern const char *const vs_db_export_views[];

/*
 * Rows of the public view `view` (one of vs_db_export_views; "events" by
 * default when NULL), in the view's key order, each led by the trace's
 * identity columns.  An unknown view is VS_ERR_USAGE.  On an incomplete
 * trace the derived views are computed in memory first (as `vstrace
 * query` does).
 */
int vs_db_export_rows(vs_db_reader *r, const char *view, vs_db_rows_format fmt, FILE *out,
                      vs_error *err);

/*
 * The trace's identity: a stable id (16 hex digits, a hash of the
 * recorder's start time, host, pid and program), and the program, host and
 * start time from meta ("" when absent).  Pointers valid until the reader
 * is closed; id is written to the caller's buffer.
 */
typedef struct vs_db_trace_identity {
	char id[17];
	const char *program, *host, *start_time;
} vs_db_trace_identity;
void vs_db_trace_identity_get(vs_db_reader *r, vs_db_trace_identity *out);

int vs_db_export_dot(vs_db_reader *r, FILE *out, vs_error *err);

/*
 * scenario (store/export_scenario.c): a scenario program (YAML,
 * docs/scenario-format.md) that re-does process opts->proc's recorded
 * calls (1 when opts or proc is 0) per thread in recorded order, with the
 * recorded outcomes as expectations; opts->free writes `interleave: free`.
 * When map is not NULL, *map (caller frees) gets one entry per step with
 * an expectation: the 1-based line of its `expect:` (the step is the line
 * before) and the event whose outcome it expects.
 */
typedef struct vs_db_scn_opts {
	uint32_t proc;
	int free;
} vs_db_scn_opts;

typedef struct vs_db_scn_line {
	int line;
	/* the event's process: a fork child's scenario re-does its ancestors' prefix */
	uint32_t proc;
	uint32_t tid;
	uint64_t seq;
	uint16_t kind;
} vs_db_scn_line;

int vs_db_export_scenario(vs_db_reader *r, const vs_db_scn_opts *opts, FILE *out,
                          vs_db_scn_line **map, size_t *nmap, vs_error *err);

#endif /* VS_STORE_EXPORT_H */
