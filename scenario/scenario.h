/* SPDX-License-Identifier: MIT */
/*
 * scenario/scenario.h - YAML scenario programs: load, validate, run, check.
 *
 * A scenario (docs/scenario-format.md) drives libvs exactly as a C program
 * would.  Loading parses and validates the whole file into a tree first, so
 * a malformed program is rejected with one "line:col: what" error and
 * nothing runs; running walks the tree, calls libvs, checks the
 * expectations and collects what happened into a report.
 *
 * Ownership: every handle here has its pair (_load/_free, _run/_report_free);
 * strings returned by accessors belong to their handle.
 */
#ifndef VS_SCENARIO_H
#define VS_SCENARIO_H

#include <stddef.h>

#include "vs/error.h"

typedef struct vs_scn vs_scn;               /* a validated scenario program */
typedef struct vs_scn_report vs_scn_report; /* what one run did */

/*
 * Loads and validates the scenario in file path.  On success *out is a new
 * scenario (free with vs_scn_free).  On failure returns VS_ERR_IO (cannot
 * read), VS_ERR_FORMAT (malformed YAML, unknown key or step, wrong type or
 * value) or VS_ERR_NOT_FOUND (reference to an undefined scope, template,
 * function, ...), and err->msg reads "path:line:col: what is wrong".
 */
int vs_scn_load_file(vs_scn **out, const char *path, vs_error *err);

/* Same from memory; path is only used in messages and call sites. */
int vs_scn_load_string(vs_scn **out, const char *path, const char *text, size_t len, vs_error *err);

/* Frees s (NULL is fine).  Free it only after the runtime no longer uses
 * call sites that point into it (after vs_runtime_reset or _shutdown). */
void vs_scn_free(vs_scn *s);

/* The scenario's path and its `scenario:` title (NULL when absent). */
const char *vs_scn_path(const vs_scn *s);
const char *vs_scn_title(const vs_scn *s);

/* ------------------------------------------------------------------------
 * Running
 */
typedef enum vs_scn_entry_kind {
	VS_SCN_ENT_CREATED,  /* a step created a variable: text = its name */
	VS_SCN_ENT_REUSED,   /* a step returned an existing variable */
	VS_SCN_ENT_ERROR,    /* an error the step expected: text = "Kind: message" */
	VS_SCN_ENT_UNCAUGHT, /* an error nothing expected; it stopped its thread */
	VS_SCN_ENT_FAILED    /* a failed expectation: text = what differs */
} vs_scn_entry_kind;

typedef struct vs_scn_entry {
	vs_scn_entry_kind kind;
	int line, col;      /* position of the step (or expectation key) */
	const char *thread; /* "main" or the scenario thread's name */
	const char *text;
} vs_scn_entry;

typedef struct vs_scn_stats {
	size_t steps; /* steps executed */
	size_t created, reused;
	size_t errors; /* runtime errors raised (expected or not) */
	size_t uncaught;
	size_t checks; /* expectations evaluated */
	size_t failed; /* expectations that did not hold */
} vs_scn_stats;

/*
 * Runs s against libvs: resets the runtime (vs_runtime_reset), applies the
 * scenario's config, executes main and its threads, and leaves the runtime
 * state as the program left it.  Tracing is whatever sink is attached.
 * Returns 0 when the program ran (even if expectations failed or an error
 * went uncaught: see the report) with *out a new report (free with
 * vs_scn_report_free); a negative vs_err when it could not run (e.g. the
 * config was refused, VS_ERR_STATE for a thread started twice).
 */
int vs_scn_run(const vs_scn *s, vs_scn_report **out, vs_error *err);

void vs_scn_report_free(vs_scn_report *r);
const vs_scn_stats *vs_scn_report_stats(const vs_scn_report *r);
/* Entries in the order they happened (per thread; threads interleave). */
size_t vs_scn_report_count(const vs_scn_report *r);
const vs_scn_entry *vs_scn_report_at(const vs_scn_report *r, size_t i);
/* nonzero when the run passed: no failed expectation, no uncaught error */
int vs_scn_report_ok(const vs_scn_report *r);

#endif /* VS_SCENARIO_H */
