/* SPDX-License-Identifier: MIT */
/*
 * checker/check.h - the checker driver: replays traces (or in-memory event
 * arrays) through the shadow model, filters the findings through the rule
 * set, suppressions and baseline, and keeps them for the reports.
 *
 * Findings are deduplicated: the same rule at the same call site, scope
 * and variable with the same message (for rules whose messages carry
 * per-occurrence details - thread or event numbers, uniquified names - any
 * message) found again, as in a loop building the same thing, bumps the
 * count of the first finding.  So memory is bounded by the program's
 * places, not by the trace's length.
 * Call stacks: a finding from a trace carries its event's call stack, and
 * one about a variable made elsewhere the stack of that creation; a "built
 * twice" finding (VS113, VS109) is placed at the frame where the two
 * stacks part (checker/stackloc.h), the call that built it again.
 * Invariant: the finding list holds only findings at a level above off that
 * no suppression silenced, in detection order (trace, process, seq).
 */
#ifndef VS_CHECK_H
#define VS_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "checker/shadow.h"
#include "checker/stackloc.h"
#include "rules/baseline.h"
#include "rules/rules.h"
#include "vs/event.h"

typedef struct vs_check vs_check;

/* A kept finding (plain data owned by the vs_check). */
typedef struct vs_check_finding {
	vs_rule_id rule;
	vs_level level;
	char *message;
	char *file;        /* source path; for trace-level findings the trace or config */
	int line;          /* 0 = unknown */
	char *function;    /* "" unknown */
	char *scope;       /* variable scope path, "" root */
	char *variable;    /* "" none */
	const char *trace; /* the trace it came from (owned by the vs_check) */
	uint32_t proc, tid;
	uint64_t seq;
	unsigned long count; /* occurrences folded into this one */
	int baselined;       /* matched a baseline entry (reported only as count) */
	/* call stacks (traces recorded with stacks; checker/stackloc.h) */
	uint32_t stack;         /* the event's stack id in proc (stacks view), 0 none */
	vs_check_frame *frames; /* that stack, innermost (the call into libvs) first */
	size_t nframes;
	vs_check_frame *related; /* about a variable made elsewhere (VS102, VS109,
	                           * VS113): the stack of its creating call */
	size_t nrelated;
	/* trace-level findings (file is the trace): a place of the program's
	 * own source for reports that must name a repository file (SARIF): the
	 * first call site in main(), else the first call site; NULL when the
	 * trace has none (set by vs_check_finish, owned by the vs_check) */
	const char *anchor_file;
	int anchor_line;
} vs_check_finding;

/*
 * A checker using rule set rs (borrowed: must outlive the vs_check; its
 * suppression use counts are updated).  NULL on OOM.  vs_check_free frees.
 */
vs_check *vs_check_new(vs_rule_set *rs);
void vs_check_free(vs_check *c);

/* Trace status flags returned by vs_check_trace (EMPTY: not one event, the
 * program never loaded libvs; INCOMPLETE: the recording stopped early,
 * events are missing and their number is unknown). */
enum { VS_CHECK_LOSSY = 1, VS_CHECK_TRUNCATED = 2, VS_CHECK_EMPTY = 4, VS_CHECK_INCOMPLETE = 8 };

/*
 * Replays every process of the trace at path (fork children start from
 * their parent's state at the fork).  Returns 0 or a negative vs_err (trace
 * unreadable: VS_ERR_FORMAT, VS_ERR_NOT_FOUND, ...); *status gets
 * VS_CHECK_LOSSY / VS_CHECK_TRUNCATED / VS_CHECK_EMPTY / VS_CHECK_INCOMPLETE bits.
 */
int vs_check_trace(vs_check *c, const char *path, unsigned *status, vs_error *err);

/*
 * Replays an in-memory event array of one process (tests, vs_memsink
 * captures): label names it in findings; resolve/rctx resolve strings.
 */
int vs_check_events(vs_check *c, const char *label, const vs_event *ev, size_t n,
                    vs_shadow_resolve_fn resolve, void *rctx, vs_error *err);

/* Progress: fn(ctx, trace, events replayed so far in the run) after every
 * `every` events (every > 0) of vs_check_trace / vs_check_events. */
typedef void vs_check_progress_fn(void *ctx, const char *trace, uint64_t events);
void vs_check_set_progress(vs_check *c, vs_check_progress_fn *fn, void *ctx, uint64_t every);

/* Uses baseline b (borrowed) to mark findings; call before vs_check_finish. */
void vs_check_set_baseline(vs_check *c, vs_rule_baseline *b);

/*
 * Ends the run: matches the baseline, adds VS004 (unused suppressions) and
 * VS005 (stale baseline entries) when enabled.  Call once, after the traces
 * (later calls do nothing).  0, or VS_ERR_NOMEM when a finding of the run
 * could not be kept.
 */
int vs_check_finish(vs_check *c, vs_error *err);

size_t vs_check_count(const vs_check *c);
const vs_check_finding *vs_check_at(const vs_check *c, size_t i);

/* Adds the key of every finding of the run (baselined or not, except VS004
 * and VS005) with its count to b, for --write-baseline.  0 or VS_ERR_NOMEM. */
int vs_check_baseline_fill(const vs_check *c, vs_rule_baseline *b, vs_error *err);

/* Writes the findings of trace path into its findings table. */
int vs_check_write_findings(const vs_check *c, const char *path, vs_error *err);

/* Totals over kept, non-baselined findings. */
typedef struct vs_check_summary {
	unsigned long by_level[4]; /* indexed by vs_level (occurrences, counts folded) */
	unsigned long by_rule[VS_RULE__COUNT];
	unsigned long suppressed, baselined, duplicates, disabled;
	unsigned long traces, processes;
	uint64_t events;
	double seconds; /* replay time */
	size_t peak_variables, peak_threads;
} vs_check_summary;
void vs_check_summary_get(const vs_check *c, vs_check_summary *out);

/* The highest level among kept, non-baselined findings (OFF = none). */
vs_level vs_check_max_level(const vs_check *c);

#endif /* VS_CHECK_H */
