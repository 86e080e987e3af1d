/* SPDX-License-Identifier: MIT */
/*
 * store/meter.h - a progress line for long steps that count their work
 * (events converted into a trace, events a timeline has read): on a
 * terminal's stderr only, after half a second, at most ten times a second,
 * "LABEL: DONE of TOTAL events (P%), RATE events/s, ETA S s" (without
 * "of TOTAL", percentage and ETA when the total is unknown), erased by
 * vs_meter_end so the command's own output never mixes with it.
 *
 * A step deep inside the store (the spool conversion) finds its meter in
 * vs_meter_current, which a command sets around the call; NULL (the
 * default) costs one test per batch of events.
 *
 * Test hook: VSTRACE_PROGRESS_NOW=1 in the environment draws on every
 * update from the start (the tests run small traces under a pseudo-TTY).
 */
#ifndef VS_STORE_METER_H
#define VS_STORE_METER_H

#include <stdint.h>
#include <stdio.h>

typedef struct vs_meter {
	FILE *tty;         /* where the line goes; NULL: count only */
	const char *label; /* "vstrace: writing 'T.db'" */
	const char *phase; /* a word after the counts ("indexing"), or NULL */
	uint64_t done, total, next;
	double start, last;
	int shown, now;
} vs_meter;

/* the meter of the step in progress, for code that cannot be passed one */
extern vs_meter *vs_meter_current;

/* Starts a meter (total 0: unknown).  tty NULL makes every call a no-op
 * but the counting. */
void vs_meter_init(vs_meter *m, FILE *tty, const char *label, uint64_t total);
/* Restarts the clock and the count (the work begins now); m may be NULL. */
void vs_meter_begin(vs_meter *m, uint64_t total);
/* Counts n more done; m may be NULL. */
void vs_meter_add(vs_meter *m, uint64_t n);
/* Names the current phase ("indexing") and redraws; m may be NULL. */
void vs_meter_phase(vs_meter *m, const char *phase);
/* Erases the line if it was drawn; m may be NULL. */
void vs_meter_end(vs_meter *m);

#endif
