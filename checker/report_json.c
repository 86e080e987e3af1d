/* SPDX-License-Identifier: MIT */
/*
 * checker/report_json.c - the JSON report (vscheck's own, stable schema
 * "version": 1) and SARIF 2.1.0 for code-scanning services.
 *
 * SARIF: one run; tool.driver.rules holds every catalogue rule (id, name,
 * short/full description, help text and markdown, default level); each
 * result has ruleId/ruleIndex, level, message.text and one physical
 * location (artifact uri relative to the source root with uriBaseId
 * SRCROOT, see report_sarif.c; trace-level findings point at the program's
 * main source; region only when the line is known), the call stack as
 * codeFlows and relatedLocations (checker/report_stack.c), a "vscheck/v2"
 * partial fingerprint without line numbers, so code scanning tracks a
 * finding across line moves; each rule has a helpUri (its docs/rules/ page).
 */
#include "checker/report_impl.h"

#include <stdlib.h>
#include <string.h>

void vs_check_report_json(const vs_check *c, const vs_report_opts *o, FILE *out)
{
	vs_check_summary s;
	vs_check_summary_get(c, &s);
	fprintf(out,
	        "{\n  \"version\": 1,\n  \"tool\": \"vscheck\",\n  \"fail_on\": \"%s\",\n"
	        "  \"findings\": [",
	        vs_level_name(o->fail_on));
	int first = 1;
	for (size_t i = 0; i < vs_check_count(c); i++) {
		const vs_check_finding *f = vs_check_at(c, i);
		const vs_rule *r = vs_rule_get(f->rule);
		fprintf(out,
		        "%s\n    {\"code\": \"%s\", \"name\": \"%s\", \"level\": \"%s\", "
		        "\"message\": ",
		        first ? "" : ",", r->code, r->name, vs_level_name(f->level));
		first = 0;
		vs_check_report_json_str(out, f->message);
		fputs(", \"file\": ", out);
		vs_check_report_json_str(out, f->file);
		fprintf(out, ", \"line\": %d, \"function\": ", f->line);
		vs_check_report_json_str(out, f->function);
		fputs(", \"scope\": ", out);
		vs_check_report_json_str(out, f->scope);
		fputs(", \"variable\": ", out);
		vs_check_report_json_str(out, f->variable);
		fputs(", \"trace\": ", out);
		vs_check_report_json_str(out, f->trace);
		fprintf(out,
		        ", \"proc\": %u, \"tid\": %u, \"seq\": %llu, \"count\": %lu, "
		        "\"baselined\": %s",
		        f->proc, f->tid, (unsigned long long)f->seq, f->count,
		        f->baselined ? "true" : "false");
		vs_check_report_json_stack(out, f);
		fputc('}', out);
	}
	fprintf(out,
	        "%s],\n  \"summary\": {\"errors\": %lu, \"warnings\": %lu, \"notes\": %lu, "
	        "\"suppressed\": %lu, \"baselined\": %lu, \"traces\": %lu, \"events\": %llu}\n}\n",
	        first ? "" : "\n  ", s.by_level[VS_LEVEL_ERROR], s.by_level[VS_LEVEL_WARNING],
	        s.by_level[VS_LEVEL_NOTE], s.suppressed, s.baselined, s.traces,
	        (unsigned long long)s.events);
}

static const char *sarif_level(vs_level l)
{
	return l == VS_LEVEL_ERROR     ? "error"
	       : l == VS_LEVEL_WARNING ? "warning"
	       : l == VS_LEVEL_NOTE    ? "note"
	                               : "none";
}

/* the help markdown of a rule: the same text as docs/rules/ */
static void rule_help(FILE *out, const vs_rule *r, int markdown)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		vs_check_report_json_str(out, r->explanation);
		return;
	}
	if (markdown)
		fprintf(m, "%s\n\nBad:\n\n```python\n%s\n```\n\nGood:\n\n```python\n%s\n```\n",
		        r->explanation, r->bad, r->good);
	else
		fprintf(m, "%s\n\nBad:\n%s\n\nGood:\n%s\n", r->explanation, r->bad, r->good);
	fclose(m);
	vs_check_report_json_str(out, buf);
	free(buf);
}

/* base (NULL: the project's docs/rules/) + page, as a JSON string */
static void help_uri(FILE *out, const char *base, const char *page)
{
	char buf[1024];
	if (!base)
		base = VS_REPORT_DOCS_URL;
	size_t n = strlen(base);
	snprintf(buf, sizeof buf, "%s%s%s", base, n && base[n - 1] == '/' ? "" : "/", page);
	vs_check_report_json_str(out, buf);
}

void vs_check_report_sarif(const vs_check *c, const vs_report_opts *o, FILE *out)
{
	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
	      "        \"driver\": {\n          \"name\": \"vscheck\",\n",
	      out);
	fputs("          \"version\": ", out);
	vs_check_report_json_str(out, o->version ? o->version : "0");
	fputs(",\n          \"informationUri\": \"" VS_REPORT_HOME_URL "\"", out);
	fputs(",\n          \"rules\": [", out);
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		const vs_rule *r = vs_rule_get((vs_rule_id)i);
		fprintf(out, "%s\n            {\"id\": \"%s\", \"name\": \"%s\", ", i ? "," : "",
		        r->code, r->name);
		fputs("\"shortDescription\": {\"text\": ", out);
		vs_check_report_json_str(out, r->summary);
		fputs("}, \"fullDescription\": {\"text\": ", out);
		vs_check_report_json_str(out, r->explanation);
		fputs("}, \"help\": {\"text\": ", out);
		rule_help(out, r, 0);
		fputs(", \"markdown\": ", out);
		rule_help(out, r, 1);
		char page[160];
		vs_check_rule_doc_name((vs_rule_id)i, page, sizeof page);
		fputs("}, \"helpUri\": ", out);
		help_uri(out, o->help_uri_base, page);
		fprintf(out,
		        ", \"defaultConfiguration\": {\"level\": \"%s\"}, "
		        "\"properties\": {\"tags\": [\"%s\"]}}",
		        sarif_level(r->level == VS_LEVEL_OFF ? VS_LEVEL_WARNING : r->level),
		        r->category);
	}
	fputs("\n          ]\n        }\n      },\n", out);
	vs_check_report_sarif_base_ids(out, o->source_root);
	fputs("      \"results\": [", out);
	int first = 1;
	void *ranks = vs_check_report_rank_new();
	for (size_t i = 0; i < vs_check_count(c); i++) {
		const vs_check_finding *f = vs_check_at(c, i);
		const vs_rule *r = vs_rule_get(f->rule);
		if (f->baselined)
			continue;
		fprintf(out,
		        "%s\n        {\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"%s\", "
		        "\"message\": {\"text\": ",
		        first ? "" : ",", r->code, (int)f->rule, sarif_level(f->level));
		first = 0;
		vs_check_report_json_str(out, f->message);
		/* trace-level findings point at the program's source, not the .db */
		const char *file = f->anchor_file ? f->anchor_file : f->file;
		int line = f->anchor_file ? f->anchor_line : f->line;
		fputs("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": ", out);
		vs_check_report_sarif_artifact(out, file, o->source_root);
		if (line > 0)
			fprintf(out, ", \"region\": {\"startLine\": %d}", line);
		uint64_t h = vs_check_report_fingerprint(f, o->source_root);
		fputs("}}]", out);
		vs_check_report_sarif_stack(out, f, o->source_root);
		fprintf(out, ", \"partialFingerprints\": {\"vscheck/v2\": \"%016llx:%lu\"}",
		        (unsigned long long)h, vs_check_report_rank(ranks, h));
		fprintf(out, ", \"properties\": {\"scope\": ");
		vs_check_report_json_str(out, f->scope);
		fprintf(out, ", \"thread\": %u, \"process\": %u, \"seq\": %llu, \"count\": %lu}}",
		        f->tid, f->proc, (unsigned long long)f->seq, f->count);
	}
	vs_check_report_rank_free(ranks);
	fputs(first ? "]\n    }\n  ]\n}\n" : "\n      ]\n    }\n  ]\n}\n", out);
}
