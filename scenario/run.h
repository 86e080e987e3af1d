/* SPDX-License-Identifier: MIT */
/*
 * scenario/run.h - what the executor (exec.c) shares with the expectation
 * checker (expect.c) during one run; internal to scenario/.
 *
 * The run owns the name bindings (`as:` results), the behaviours' call
 * counters and the report; all three are shared by the scenario's threads
 * and guarded by the run's mutex.
 */
#ifndef VS_SCENARIO_RUN_H
#define VS_SCENARIO_RUN_H

#include "scenario/ast.h"

typedef struct vs_scn_exec vs_scn_exec;

/* What a step produced, for its expectations. */
typedef struct vs_scn_outcome {
	int rc;                 /* 0 or the step's error code */
	const vs_error *err;    /* the error when rc < 0 */
	vs_var *var;            /* variable result (get_variable, variable), or NULL */
	int has_var;            /* the step is one that yields a variable */
	int created;            /* var was not seen before in this run */
	const char *name;       /* the step's resolved name (op, name scope, scope, ...) */
	vs_varscope *scope;     /* the scope a variable_scope step entered */
	char namebuf[512];      /* storage for name when the runtime does not own it */
} vs_scn_outcome;

/* The object bound to name in namespace ns, or NULL when not bound (yet). */
void *vs_scn_run_lookup(vs_scn_exec *r, vs_scn_ns ns, const char *name);

/* Calls so far of the getters and creators named name. */
long long vs_scn_run_calls(vs_scn_exec *r, const char *name);

/* Appends a report entry (text formatted); thread is "main" or a thread name. */
void vs_scn_run_note(vs_scn_exec *r, const char *thread, vs_scn_entry_kind kind, vs_scn_pos pos,
                     const char *fmt, ...) VS_PRINTF(5, 6);

/* Adds n to the report's count of evaluated expectations. */
void vs_scn_run_count_checks(vs_scn_exec *r, size_t n);

/*
 * Checks the expectations of st against o and the current runtime state
 * and notes every failure.  Phase VS_SCN_PHASE_STATE checks everything but
 * `error` (for context steps: right after entering, before the body);
 * VS_SCN_PHASE_ERROR checks `error` against the step's final outcome and
 * returns 1 when the error was expected (it counts as handled), else 0.
 */
enum { VS_SCN_PHASE_STATE, VS_SCN_PHASE_ERROR };
int vs_scn_expect_check(vs_scn_exec *r, const char *thread, const vs_scn_step *st,
                        const vs_scn_outcome *o, int phase);

#endif /* VS_SCENARIO_RUN_H */
