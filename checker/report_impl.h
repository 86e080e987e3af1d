/* SPDX-License-Identifier: MIT */
/*
 * checker/report_impl.h - helpers shared by the report_*.c writers only.
 */
#ifndef VS_CHECK_REPORT_IMPL_H
#define VS_CHECK_REPORT_IMPL_H

#include <stdint.h>
#include <stdio.h>

#include "checker/report.h"

/* s as a JSON string literal, quotes included */
void vs_check_report_json_str(FILE *out, const char *s);
/* s with &, <, >, ", ' escaped for XML text and attributes */
void vs_check_report_xml_str(FILE *out, const char *s);
/* the same for an attribute value (newlines as &#10;) */
void vs_check_report_xml_attr(FILE *out, const char *s);

/* a finding's call stacks (checker/report_stack.c) */
void vs_check_report_text_stack(FILE *out, const vs_check_finding *f, int depth);
/* the scenario thread's name when the finding's stack ends in a scenario's
 * thread body (checker/stackloc.h), else NULL (report "thread N") */
const char *vs_check_report_thread(const vs_check_finding *f);
void vs_check_report_json_stack(FILE *out, const vs_check_finding *f);
/* SARIF codeFlows/relatedLocations; root as for vs_check_report_sarif_artifact */
void vs_check_report_sarif_stack(FILE *out, const vs_check_finding *f, const char *root);

/* SARIF (report_sarif.c): path made absolute against the current
 * directory and cleaned of "." and ".." (malloc'd; NULL on OOM) */
char *vs_check_report_abs_path(const char *path);
/* an artifactLocation object for path: SRCROOT-relative under root, else a
 * file:// URI; root NULL = the path as recorded */
void vs_check_report_sarif_artifact(FILE *out, const char *path, const char *root);
/* the run's "originalUriBaseIds" member line (nothing when root is NULL) */
void vs_check_report_sarif_base_ids(FILE *out, const char *root);
/* the fingerprint hash of a finding (no line numbers; see report_sarif.c) */
uint64_t vs_check_report_fingerprint(const vs_check_finding *f, const char *root);
/* ranks of equal fingerprints within one report */
void *vs_check_report_rank_new(void);
unsigned long vs_check_report_rank(void *ranks, uint64_t h);
void vs_check_report_rank_free(void *ranks);

void vs_check_report_text(const vs_check *c, const vs_report_opts *o, FILE *out, int gcc);
void vs_check_report_json(const vs_check *c, const vs_report_opts *o, FILE *out);
void vs_check_report_sarif(const vs_check *c, const vs_report_opts *o, FILE *out);
void vs_check_report_junit(const vs_check *c, const vs_report_opts *o, FILE *out);
void vs_check_report_github(const vs_check *c, const vs_report_opts *o, FILE *out);

#endif
