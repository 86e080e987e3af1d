/* SPDX-License-Identifier: MIT */
/*
 * tests for checker/report*.c: golden output of every format for one
 * fixed set of findings (tests/unit/golden/checker_report.*; regenerate with
 * VS_UPDATE_GOLDEN=1 and review the diff), SARIF's required fields, the
 * verdict line, and docs/rules/ being in sync with the catalogue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "checker/report.h"
#include "tests/unit/checker_testutil.h"

#define GOLDEN_DIR "tests/unit/golden/"

/* three findings: an error (with a TF message holding quotes and a
 * newline), a warning at a trace-level location, a note */
static void build(tb *b)
{
	tb_init(b);
	tb_site(b, 1, "models/train.py", 42, "build");
	EVP(b, VS_EV_GRAPH_CREATE, VS_EVF_GLOBAL_DEFAULT, graph_create, .graph_id = 1,
	    .name = S(b, "g"));
	b->graph = 1;
	EVP(b, VS_EV_VARSCOPE_ENTER, 0, varscope, .requested = S(b, "m"), .full_name = S(b, "m"),
	    .reuse_asked = VS_REUSE_TRUE, .reuse = VS_REUSE_TRUE, .name_scope = S(b, "m/"),
	    .scope_id = 1, .cm = 1);
	uint32_t call = 1;
	EVP(b, VS_EV_GETVAR_ENTER, 0, getvar_enter, .requested = S(b, "w"),
	    .full_name = S(b, "m/w"), .dtype = VS_DT_FLOAT32, .reuse = VS_REUSE_TRUE,
	    .call_id = call, .scope_id = 1, .store_id = 100);
	EVP(b, VS_EV_ERROR, 0, error, .code = 1,
	    .message =
	        S(b,
	          "Variable m/w does not exist, or was not created with tf.get_variable(). Did you "
	          "mean to set reuse=tf.AUTO_REUSE in VarScope?\n<\"&'>"),
	    .tf_error = VS_TFE_VAR_MISSING);
	EVP(b, VS_EV_GETVAR_EXIT, 0, getvar_exit, .requested = S(b, "w"), .full_name = S(b, "m/w"),
	    .outcome = VS_OUT_ERROR, .reuse = VS_REUSE_TRUE, .call_id = call);
	EVP(b, VS_EV_VARSCOPE_EXIT, 0, varscope, .full_name = S(b, "m"), .scope_id = 1, .cm = 1);
	b->site = 0;
	EVP(b, VS_EV_LOST, 0, lost, .count_lo = 3);
	tb_site(b, 2, "models/train.py", 50, "build");
	EVP(b, VS_EV_VARSCOPE_ENTER, 0, varscope, .requested = S(b, "foo"),
	    .full_name = S(b, "foo"), .reuse = VS_REUSE_FALSE, .name_scope = S(b, "foo_1/"),
	    .scope_id = 2, .cm = 2);
	EVP(b, VS_EV_VARSCOPE_EXIT, 0, varscope, .full_name = S(b, "foo"), .scope_id = 2, .cm = 2);
}

static char *render(const vs_check *c, vs_report_format fmt, vs_level fail_on)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vs_report_opts o = {.fail_on = fail_on, .statistics = 0, .version = "9.9.9"};
	CU_ASSERT_FATAL(f != NULL);
	VS_ASSERT_INT(vs_check_report(c, fmt, &o, f, NULL), 0);
	fclose(f);
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

static void compare_golden(const char *name, const char *actual)
{
	char path[256];
	snprintf(path, sizeof path, GOLDEN_DIR "%s", name);
	if (getenv("VS_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");
		CU_ASSERT_FATAL(f != NULL);
		fputs(actual, f);
		fclose(f);
	}
	char *expected = slurp(path);
	CU_ASSERT_PTR_NOT_NULL(expected);
	VS_ASSERT_STR(actual, expected ? expected : "(missing golden file)");
	free(expected);
}

static void test_golden_formats(void)
{
	static const char *const names[VS_REPORT__COUNT] = {
		"checker_report.txt",   "checker_report.gcc",   "checker_report.json",
		"checker_report.sarif", "checker_report.junit.xml", "checker_report.github"};
	tb b;
	build(&b);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 3);
	for (int fmt = 0; fmt < VS_REPORT__COUNT; fmt++) {
		char *out = render(r.c, (vs_report_format)fmt, VS_LEVEL_WARNING);
		compare_golden(names[fmt], out);
		free(out);
	}
	tb_done(&r);
}

/* SARIF 2.1.0 fields GitHub code scanning requires, checked textually on
 * our own (known-layout) output */
static void test_sarif_required_fields(void)
{
	tb b;
	build(&b);
	tb_run r = tb_check(&b);
	char *s = render(r.c, VS_REPORT_SARIF, VS_LEVEL_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"version\": \"2.1.0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"driver\": {\n          \"name\": \"vscheck\""));
	/* every rule is described, with help */
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		char want[128];
		snprintf(want, sizeof want, "{\"id\": \"%s\", \"name\": \"%s\", \"shortDescription\"",
		         vs_rule_get((vs_rule_id)i)->code, vs_rule_get((vs_rule_id)i)->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, want));
	}
	int results = 0, helps = 0;
	for (const char *p = s; (p = strstr(p, "\"ruleId\": ")); p++)
		results++;
	for (const char *p = s; (p = strstr(p, "\"help\": {\"text\": ")); p++)
		helps++;
	VS_ASSERT_INT(results, 3);
	VS_ASSERT_INT(helps, VS_RULE__COUNT);
	/* each result has a message and a physical location with an uri */
	int locs = 0;
	for (const char *p = s; (p = strstr(p, "\"locations\": [{\"physicalLocation\": "
	                                       "{\"artifactLocation\": {\"uri\": \""));
	     p++)
		locs++;
	VS_ASSERT_INT(locs, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"region\": {\"startLine\": 42}"));
	CU_ASSERT_PTR_NULL(strstr(s, "\"startLine\": 0"));
	free(s);
	tb_done(&r);
}

static void test_verdict(void)
{
	tb b;
	build(&b);
	tb_run r = tb_check(&b);
	char v[512];
	vs_check_report_verdict(r.c, VS_LEVEL_ERROR, v, sizeof v);
	VS_ASSERT_STR(v, "vscheck: failed: 2 findings at or above 'error' (2 errors, 0 warnings, 1 "
	                 "note; 0 suppressed, 0 baselined) in 1 trace");
	tb_done(&r);

	tb_init(&b);
	r = tb_check(&b);
	vs_check_report_verdict(r.c, VS_LEVEL_NOTE, v, sizeof v);
	VS_ASSERT_STR(v, "vscheck: passed: 0 findings at or above 'note' (0 errors, 0 warnings, 0 "
	                 "notes; 0 suppressed, 0 baselined) in 1 trace");
	char *j = render(r.c, VS_REPORT_JUNIT, VS_LEVEL_ERROR);
	VS_ASSERT_STR(j, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                 "<testsuites name=\"vscheck\" tests=\"1\" failures=\"0\">\n"
	                 "  <testsuite name=\"vscheck\" tests=\"1\" failures=\"0\">\n"
	                 "    <testcase classname=\"vscheck\" name=\"no findings\"/>\n"
	                 "  </testsuite>\n</testsuites>\n");
	free(j);
	tb_done(&r);
}

static void test_report_file_atomic(void)
{
	tb b;
	vs_error err;
	build(&b);
	tb_run r = tb_check(&b);
	vs_report_opts o = {.fail_on = VS_LEVEL_ERROR, .statistics = 0, .version = "1"};
	char *path = vs_test_tmp_path(".sarif");
	VS_ASSERT_INT(vs_check_report_file(r.c, VS_REPORT_SARIF, &o, path, &err), 0);
	char *on_disk = slurp(path);
	char *mem = render(r.c, VS_REPORT_SARIF, VS_LEVEL_ERROR);
	/* the version differs: compare from "rules" on */
	CU_ASSERT_PTR_NOT_NULL_FATAL(on_disk);
	VS_ASSERT_STR(strstr(on_disk, "\"rules\""), strstr(mem, "\"rules\""));
	free(on_disk);
	free(mem);
	unlink(path);
	VS_ASSERT_INT(vs_check_report_file(r.c, VS_REPORT_TEXT, &o, "/nonexistent/dir/r.txt", &err),
	              VS_ERR_IO);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent/dir/r.txt': cannot write report: No such file or directory");
	free(path);
	tb_done(&r);
}

/* docs/rules/VSnnn-name.md are generated from the catalogue: in sync */
static void test_rule_docs_in_sync(void)
{
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		char name[128], path[256];
		char *buf = NULL;
		size_t len = 0;
		vs_check_rule_doc_name((vs_rule_id)i, name, sizeof name);
		snprintf(path, sizeof path, "docs/rules/%s", name);
		FILE *m = open_memstream(&buf, &len);
		vs_check_explain(m, (vs_rule_id)i, 1);
		fclose(m);
		char *onfile = slurp(path);
		if (!onfile)
			fprintf(stderr, "missing %s: run scripts/gen-rule-docs.sh\n", path);
		VS_ASSERT_STR(onfile, buf);
		free(onfile);
		free(buf);
	}
	/* the index lists every rule with its default level and summary */
	char *index = slurp("docs/rules/README.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(index);
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		const vs_rule *r = vs_rule_get((vs_rule_id)i);
		char row[512];
		snprintf(row, sizeof row, "| [%s](%s-%s.md) | %s | %s | %s |\n", r->code, r->code,
		         r->name, r->name, vs_level_name(r->level), r->summary);
		if (!strstr(index, row))
			fprintf(stderr, "docs/rules/README.md lacks: %s", row);
		CU_ASSERT_PTR_NOT_NULL(strstr(index, row));
	}
	free(index);
}

VS_SUITE_FN(checker_report)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_golden_formats),
		VS_TEST(test_sarif_required_fields),
		VS_TEST(test_verdict),
		VS_TEST(test_report_file_atomic),
		VS_TEST(test_rule_docs_in_sync),
		VS_TEST_END};
	vs_test_add_suite("checker_report", NULL, NULL, cases);
}
