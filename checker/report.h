/* SPDX-License-Identifier: MIT */
/*
 * checker/report.h - the finding reports: text, gcc, json, sarif (2.1.0),
 * junit (XML) and github (Actions workflow commands), and the rule
 * documentation (text and markdown) that --explain and docs/rules/ use.
 *
 * Every writer reads a finished vs_check (vs_check_finish called) and only
 * writes to the given stream; vs_check_report_file writes a file
 * atomically, so a failing run never leaves a half-written report.
 */
#ifndef VS_CHECK_REPORT_H
#define VS_CHECK_REPORT_H

#include <stdio.h>

#include "checker/check.h"

typedef enum vs_report_format {
	VS_REPORT_TEXT,
	VS_REPORT_GCC,
	VS_REPORT_JSON,
	VS_REPORT_SARIF,
	VS_REPORT_JUNIT,
	VS_REPORT_GITHUB,
	VS_REPORT__COUNT
} vs_report_format;

/* "text", "gcc", ...; the format named s, or -1 */
const char *vs_check_report_format_name(vs_report_format f);
int vs_check_report_format_from_name(const char *s);

typedef struct vs_report_opts {
	vs_level fail_on;    /* findings at or above fail (default error) */
	int statistics;      /* text: per-rule counts and replay speed */
	const char *version; /* tool version for SARIF/JSON */
	int stack_depth;     /* text: call-stack frames shown per stack (0: none;
	                       * JSON and SARIF carry every frame) */
	/* SARIF: rule pages are help_uri_base + "VS101-name.md" (NULL: the
	 * project's docs/rules/, VS_REPORT_DOCS_URL); artifact URIs are relative
	 * to source_root (an absolute directory; NULL: paths as recorded) */
	const char *help_uri_base;
	const char *source_root;
} vs_report_opts;

/* The project's home and its rule pages (override with -D at build time). */
#ifndef VS_REPORT_HOME_URL
#define VS_REPORT_HOME_URL "https://github.com/vstrace/vstrace"
#endif
#ifndef VS_REPORT_DOCS_URL
#define VS_REPORT_DOCS_URL VS_REPORT_HOME_URL "/blob/main/docs/rules/"
#endif

/* Writes the report to out (fmt must be one of vs_report_format).  0, or
 * VS_ERR_IO when the stream failed. */
int vs_check_report(const vs_check *c, vs_report_format fmt, const vs_report_opts *o, FILE *out,
                    vs_error *err);

/* Writes the report to path through a temporary file and rename. */
int vs_check_report_file(const vs_check *c, vs_report_format fmt, const vs_report_opts *o,
                         const char *path, vs_error *err);

/* The closing line ("vscheck: passed: ..."/"vscheck: failed: ...", no
 * newline) into buf. */
void vs_check_report_verdict(const vs_check *c, vs_level fail_on, char *buf, size_t n);

/* Rule documentation: text (--explain) or markdown (docs/rules/). */
void vs_check_explain(FILE *out, vs_rule_id id, int markdown);
/* The rule table (--list-rules). */
void vs_check_list_rules(FILE *out, const vs_rule_set *rs);
/* The docs/rules/ file name of a rule: "VS101-create-in-reuse-scope.md". */
void vs_check_rule_doc_name(vs_rule_id id, char *buf, size_t n);

#endif /* VS_CHECK_REPORT_H */
