/* SPDX-License-Identifier: MIT */
/*
 * checker/report_junit.c - JUnit XML for CI systems that display test
 * reports (GitLab, Jenkins): one testsuite per rule that fired, one
 * testcase per finding; findings at or above --fail-on are <failure>s.
 * A clean run is one passing testcase, so the report is never empty.
 */
#include "checker/report_impl.h"

static void testcase(FILE *out, const vs_check_finding *f, vs_level fail_on)
{
	const vs_rule *r = vs_rule_get(f->rule);
	fputs("    <testcase classname=\"vscheck.", out);
	vs_check_report_xml_str(out, r->code);
	fputs("\" name=\"", out);
	vs_check_report_xml_str(out, f->file);
	if (f->line > 0)
		fprintf(out, ":%d", f->line);
	if (f->variable && *f->variable) {
		fputs(" ", out);
		vs_check_report_xml_str(out, f->variable);
	}
	fputs("\" file=\"", out);
	vs_check_report_xml_str(out, f->file);
	fprintf(out, "\" line=\"%d\">\n", f->line);
	if (f->level >= fail_on) {
		fputs("      <failure type=\"", out);
		vs_check_report_xml_str(out, vs_level_name(f->level));
		fputs("\" message=\"", out);
		vs_check_report_xml_attr(out, f->message);
		fputs("\">", out);
	} else {
		fputs("      <system-out>", out);
	}
	fprintf(out, "%s: ", vs_level_name(f->level));
	vs_check_report_xml_str(out, f->message);
	fprintf(out, " [%s %s]\nscope '", r->code, r->name);
	vs_check_report_xml_str(out, *f->scope ? f->scope : "(root)");
	const char *th = vs_check_report_thread(f);
	if (th) {
		fputs("', thread '", out);
		vs_check_report_xml_str(out, th);
		fputs("'", out);
	} else {
		fprintf(out, "', thread %u", f->tid);
	}
	fprintf(out, ", process %u, event #%llu, %lu time%s\n", f->proc, (unsigned long long)f->seq,
	        f->count, f->count == 1 ? "" : "s");
	fputs(f->level >= fail_on ? "</failure>\n" : "</system-out>\n", out);
	fputs("    </testcase>\n", out);
}

void vs_check_report_junit(const vs_check *c, const vs_report_opts *o, FILE *out)
{
	unsigned long total = 0, failures = 0;
	size_t n = vs_check_count(c);
	for (size_t i = 0; i < n; i++) {
		const vs_check_finding *f = vs_check_at(c, i);
		if (f->baselined)
			continue;
		total++;
		failures += f->level >= o->fail_on;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"vscheck\" tests=\"%lu\" failures=\"%lu\">\n",
	        total ? total : 1, failures);
	if (!total) {
		fputs("  <testsuite name=\"vscheck\" tests=\"1\" failures=\"0\">\n"
		      "    <testcase classname=\"vscheck\" name=\"no findings\"/>\n"
		      "  </testsuite>\n</testsuites>\n",
		      out);
		return;
	}
	for (int id = 0; id < VS_RULE__COUNT; id++) {
		unsigned long t = 0, fl = 0;
		for (size_t i = 0; i < n; i++) {
			const vs_check_finding *f = vs_check_at(c, i);
			if (f->baselined || (int)f->rule != id)
				continue;
			t++;
			fl += f->level >= o->fail_on;
		}
		if (!t)
			continue;
		const vs_rule *r = vs_rule_get((vs_rule_id)id);
		fprintf(out, "  <testsuite name=\"%s %s\" tests=\"%lu\" failures=\"%lu\">\n",
		        r->code, r->name, t, fl);
		for (size_t i = 0; i < n; i++) {
			const vs_check_finding *f = vs_check_at(c, i);
			if (!f->baselined && (int)f->rule == id)
				testcase(out, f, o->fail_on);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
}
