/* SPDX-License-Identifier: MIT */
/*
 * checker/report_impl.h - helpers shared by the report_*.c writers only.
 */
#ifndef VS_CHECK_REPORT_IMPL_H
#define VS_CHECK_REPORT_IMPL_H

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
void vs_check_report_json_stack(FILE *out, const vs_check_finding *f);
void vs_check_report_sarif_stack(FILE *out, const vs_check_finding *f);

void vs_check_report_text(const vs_check *c, const vs_report_opts *o, FILE *out, int gcc);
void vs_check_report_json(const vs_check *c, const vs_report_opts *o, FILE *out);
void vs_check_report_sarif(const vs_check *c, const vs_report_opts *o, FILE *out);
void vs_check_report_junit(const vs_check *c, const vs_report_opts *o, FILE *out);
void vs_check_report_github(const vs_check *c, const vs_report_opts *o, FILE *out);

#endif
