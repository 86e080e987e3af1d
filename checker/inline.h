/* SPDX-License-Identifier: MIT */
/*
 * checker/inline.h - inline suppressions: comments in the user's own
 * source next to the call, like clang-tidy's NOLINT or ruff's noqa:
 *
 *   vs_get_variable(&w, "w", &o, &err); // vscheck: ignore VS113 -- built twice on purpose
 *   # vscheck: ignore VS111,VS105 -- reason        (YAML scenarios)
 *
 * A comment (after //, / * or #) holding "vscheck: ignore RULES -- REASON"
 * silences findings of RULES (codes, names or prefixes, comma- or
 * space-separated) at its own line and at the line below it.  The reason is
 * required, as in .vscheck.yml: a comment without one silences nothing and
 * is reported.  Files are read when a finding or a call site names them
 * (as recorded, so relative to the current directory); unreadable files
 * have no suppressions.
 */
#ifndef VS_CHECK_INLINE_H
#define VS_CHECK_INLINE_H

#include <stddef.h>

#include "rules/rules.h"

typedef struct vs_inline vs_inline;

/* One inline suppression (plain data owned by the vs_inline). */
typedef struct vs_inline_supp {
	const char *file;
	int line;
	char *rules;        /* the RULES text as written */
	char *reason;       /* "" when missing */
	int bad_rule;       /* a spec in RULES names no rule */
	unsigned long used; /* findings it silenced */
} vs_inline_supp;

/* NULL on OOM. */
vs_inline *vs_inline_new(void);
void vs_inline_free(vs_inline *in);

/* Notes that file (a recorded source path) belongs to the checked
 * program, so its unused suppressions are reported.  0 or VS_ERR_NOMEM. */
int vs_inline_note_file(vs_inline *in, const char *file);

/* The valid suppression silencing rule id at file:line (counting the
 * use), or NULL; *nomem set when the file could not be indexed. */
const vs_inline_supp *vs_inline_match(vs_inline *in, vs_rule_id id, const char *file, int line,
                                      int *nomem);

/* Reads every noted file not read yet; then the suppressions of all read
 * files are available in file order.  0 or VS_ERR_NOMEM. */
int vs_inline_load_all(vs_inline *in);
size_t vs_inline_count(const vs_inline *in);
const vs_inline_supp *vs_inline_at(const vs_inline *in, size_t i);

#endif /* VS_CHECK_INLINE_H */
