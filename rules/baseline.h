/* SPDX-License-Identifier: MIT */
/*
 * rules/baseline.h - the baseline file: findings a project accepted when it
 * adopted vscheck, so that only new findings fail the build.
 *
 * Format (text, UTF-8, one entry per line, '#' starts a comment line):
 *   vscheck-baseline 1
 *   RULE <TAB> FILE <TAB> FUNCTION <TAB> VARIABLE <TAB> COUNT
 * RULE is the code; FILE, FUNCTION, VARIABLE are "-" when unknown; a TAB,
 * newline or backslash inside a field is written \t, \n, \\.  Entries are
 * keyed without line numbers, so edits elsewhere in a file keep them valid;
 * COUNT findings with the same key are absorbed.
 * Invariant: entries stay sorted by key when written, so a baseline file
 * diffs cleanly.
 */
#ifndef VS_RULES_BASELINE_H
#define VS_RULES_BASELINE_H

#include <stddef.h>

#include "vs/error.h"

typedef struct vs_rule_baseline vs_rule_baseline;

/* A new empty baseline.  NULL on OOM.  Free with vs_rule_baseline_free. */
vs_rule_baseline *vs_rule_baseline_new(void);
void vs_rule_baseline_free(vs_rule_baseline *b);

/* Loads path into b (VS_ERR_FORMAT "path:line: what" on a bad line). */
int vs_rule_baseline_load(vs_rule_baseline *b, const char *path, vs_error *err);

/* Adds count occurrences of a key (NULL fields = unknown).  0 or
 * VS_ERR_NOMEM. */
int vs_rule_baseline_add(vs_rule_baseline *b, const char *code, const char *file,
                         const char *function, const char *variable, unsigned long count,
                         vs_error *err);

/* Consumes one occurrence of the key; 1 when one was left, else 0. */
int vs_rule_baseline_take(vs_rule_baseline *b, const char *code, const char *file,
                          const char *function, const char *variable);

/* Number of entries (all of them; an entry is stale when vs_rule_baseline_entry
 * reports occurrences left after matching). */
size_t vs_rule_baseline_count(const vs_rule_baseline *b);
/* Entry i: its fields and how many occurrences were not matched. */
void vs_rule_baseline_entry(const vs_rule_baseline *b, size_t i, const char **code,
                            const char **file, const char **function, const char **variable,
                            unsigned long *left, unsigned long *total);

/* Writes b (sorted) to path atomically (temp file + rename). */
int vs_rule_baseline_write(const vs_rule_baseline *b, const char *path, vs_error *err);

#endif /* VS_RULES_BASELINE_H */
