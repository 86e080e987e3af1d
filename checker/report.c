/* SPDX-License-Identifier: MIT */
/*
 * checker/report.c - report dispatch, the atomic file writer, the verdict
 * line, escaping helpers and the rule documentation (--explain, --list-rules,
 * docs/rules/ pages).  The docs are generated from the catalogue only, so the
 * checked-in files stay in sync by construction (a unit test compares).
 */
#include "checker/report_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/report.h"
#include "vs/internal/util.h"

static const char *const format_names[VS_REPORT__COUNT] = {"text",  "gcc",   "json",
                                                           "sarif", "junit", "github"};

const char *vs_check_report_format_name(vs_report_format f)
{
	return (unsigned)f < VS_REPORT__COUNT ? format_names[f] : "?";
}

int vs_check_report_format_from_name(const char *s)
{
	for (int i = 0; i < VS_REPORT__COUNT; i++)
		if (s && strcmp(s, format_names[i]) == 0)
			return i;
	return -1;
}

void vs_check_report_json_str(FILE *out, const char *s)
{
	vs_db_json_string(out, s ? s : "", s ? strlen(s) : 0);
}

void vs_check_report_xml_attr(FILE *out, const char *s)
{
	/* attribute values: a raw newline would be normalised to a space */
	for (const char *p = s ? s : ""; *p; p++) {
		const char *nl = strchr(p, '\n');
		if (!nl) {
			vs_check_report_xml_str(out, p);
			return;
		}
		char part[256];
		size_t n = (size_t)(nl - p);
		while (n >= sizeof part) {
			memcpy(part, p, sizeof part - 1);
			part[sizeof part - 1] = '\0';
			vs_check_report_xml_str(out, part);
			p += sizeof part - 1;
			n -= sizeof part - 1;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		vs_check_report_xml_str(out, part);
		fputs("&#10;", out);
		p = nl;
	}
}

void vs_check_report_xml_str(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* XML 1.0 forbids most control characters, even escaped */
			if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
				fputc('?', out);
			else
				fputc(*p, out);
		}
	}
}

void vs_check_report_verdict(const vs_check *c, vs_level fail_on, char *buf, size_t n)
{
	vs_check_summary s;
	unsigned long failing = 0;
	vs_check_summary_get(c, &s);
	for (int l = fail_on; l <= VS_LEVEL_ERROR; l++)
		failing += s.by_level[l];
	snprintf(buf, n,
	         "vscheck: %s: %lu finding%s at or above '%s' (%lu error%s, %lu warning%s, %lu "
	         "note%s; %lu suppressed, %lu baselined) in %lu trace%s",
	         failing ? "failed" : "passed", failing, failing == 1 ? "" : "s",
	         vs_level_name(fail_on), s.by_level[VS_LEVEL_ERROR],
	         s.by_level[VS_LEVEL_ERROR] == 1 ? "" : "s", s.by_level[VS_LEVEL_WARNING],
	         s.by_level[VS_LEVEL_WARNING] == 1 ? "" : "s", s.by_level[VS_LEVEL_NOTE],
	         s.by_level[VS_LEVEL_NOTE] == 1 ? "" : "s", s.suppressed, s.baselined, s.traces,
	         s.traces == 1 ? "" : "s");
}

int vs_check_report(const vs_check *c, vs_report_format fmt, const vs_report_opts *o, FILE *out,
                    vs_error *err)
{
	switch (fmt) {
	case VS_REPORT_TEXT: vs_check_report_text(c, o, out, 0); break;
	case VS_REPORT_GCC: vs_check_report_text(c, o, out, 1); break;
	case VS_REPORT_JSON: vs_check_report_json(c, o, out); break;
	case VS_REPORT_SARIF: vs_check_report_sarif(c, o, out); break;
	case VS_REPORT_JUNIT: vs_check_report_junit(c, o, out); break;
	case VS_REPORT_GITHUB: vs_check_report_github(c, o, out); break;
	default: VS_BUG("unknown report format %d", (int)fmt);
	}
	return ferror(out) ? vs_error_set(err, VS_ERR_IO, "cannot write the report") : 0;
}

int vs_check_report_file(const vs_check *c, vs_report_format fmt, const vs_report_opts *o,
                         const char *path, vs_error *err)
{
	int ret = VS_ERR_IO;
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	FILE *f = NULL;
	if (!tmp)
		return vs_error_nomem(err);
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		ret = vs_error_set(err, VS_ERR_IO, "'%s': cannot write report: %s", path,
		                   strerror(errno));
		goto cleanup;
	}
	int rc = vs_check_report(c, fmt, o, f, NULL);
	if (fclose(f) != 0 || rc < 0) {
		f = NULL;
		unlink(tmp);
		ret = vs_error_set(err, VS_ERR_IO, "'%s': cannot write report", path);
		goto cleanup;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		ret = vs_error_set(err, VS_ERR_IO, "'%s': cannot write report: %s", path,
		                   strerror(errno));
		unlink(tmp);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(tmp);
	return ret;
}

/* ------------------------------------------------------------ rule docs */

void vs_check_rule_doc_name(vs_rule_id id, char *buf, size_t n)
{
	const vs_rule *r = vs_rule_get(id);
	snprintf(buf, n, "%s-%s.md", r->code, r->name);
}

static void indent(FILE *out, const char *text, const char *prefix)
{
	fputs(prefix, out);
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n' && p[1])
			fputs(prefix, out);
	}
	if (!*text || text[strlen(text) - 1] != '\n')
		fputc('\n', out);
}

void vs_check_explain(FILE *out, vs_rule_id id, int markdown)
{
	const vs_rule *r = vs_rule_get(id);
	if (markdown) {
		fprintf(out,
		        "<!-- generated by `vscheck --explain %s --format markdown`; do not edit "
		        "-->\n"
		        "# %s %s\n\n"
		        "- **Default level:** %s\n- **Category:** %s\n",
		        r->code, r->code, r->name, vs_level_name(r->level), r->category);
		if (r->option)
			fprintf(out, "- **Option:** `%s` (default %d)\n", r->option,
			        r->option_default);
		fprintf(out,
		        "\n%s.\n\n%s\n\n## Bad\n\n```python\n%s\n```\n\n## Good\n\n```python\n%s\n"
		        "```\n",
		        r->summary, r->explanation, r->bad, r->good);
		if (r->bad_scenario)
			fprintf(out,
			        "\n## As scenarios\n\nThe same examples as scenario programs "
			        "(`vstrace run`); the test suite runs both: the bad one must raise "
			        "%s, "
			        "the good one must not.\n\n```yaml\n# bad\n%s```\n\n```yaml\n# "
			        "good\n%s```\n",
			        r->code, r->bad_scenario, r->good_scenario);
		else
			fprintf(out, "\n## As scenarios\n\nNot written as a scenario: %s.\n",
			        r->why_no_scenario);
		return;
	}
	fprintf(out, "%s %s (default: %s, category: %s)\n\n  %s.\n\n", r->code, r->name,
	        vs_level_name(r->level), r->category, r->summary);
	fprintf(out, "  %s\n\n", r->explanation);
	if (r->option)
		fprintf(out, "  Option: %s (default %d)\n\n", r->option, r->option_default);
	fputs("  Bad:\n", out);
	indent(out, r->bad, "    ");
	fputs("\n  Good:\n", out);
	indent(out, r->good, "    ");
	if (!r->bad_scenario) {
		fprintf(out, "\n  Not written as a scenario: %s.\n", r->why_no_scenario);
		return;
	}
	fputs("\n  Bad, as a scenario (the test suite checks that it raises this rule):\n", out);
	indent(out, r->bad_scenario, "    ");
	fputs("\n  Good, as a scenario (checked not to raise it):\n", out);
	indent(out, r->good_scenario, "    ");
}

void vs_check_list_rules(FILE *out, const vs_rule_set *rs)
{
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		const vs_rule *r = vs_rule_get((vs_rule_id)i);
		vs_level l = rs ? vs_rule_set_level(rs, (vs_rule_id)i) : r->level;
		fprintf(out, "%-6s %-32s %-8s %s\n", r->code, r->name, vs_level_name(l),
		        r->summary);
	}
}
