/* SPDX-License-Identifier: MIT */
/*
 * tests for the checker's helper APIs that the rule and report suites do not
 * reach: the inline-value hash map (delete with backward shift, iteration,
 * clear), the report-format names, --list-rules, the escaping helpers of the
 * JSON/XML writers, vs_check_baseline_fill, --explain text, --statistics,
 * the report file writer's errors, and a truncated process without a signal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checker/map.h"
#include "checker/report.h"
#include "checker/report_impl.h"
#include "store/db.h"
#include "tests/unit/checker_testutil.h"

/* ------------------------------------------------------------------ map */

static void test_map_put_get_del(void)
{
	vs_check_map *m = vs_check_map_new(sizeof(uint64_t));
	int created = -1;
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NULL(vs_check_map_get(m, 7));
	vs_check_map_del(m, 7); /* empty map: no-op */
	vs_check_map_del(m, 0);
	VS_ASSERT_INT(vs_check_map_count(m), 0);
	CU_ASSERT_PTR_NULL(vs_check_map_put(m, 0, &created)); /* key 0 is reserved */
	uint64_t *v = vs_check_map_put(m, 7, &created);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	VS_ASSERT_INT(created, 1);
	VS_ASSERT_INT(*v, 0); /* zero-filled */
	*v = 70;
	v = vs_check_map_put(m, 7, &created);
	VS_ASSERT_INT(created, 0);
	VS_ASSERT_INT(*v, 70);
	vs_check_map_del(m, 8); /* absent: no-op */
	VS_ASSERT_INT(vs_check_map_count(m), 1);
	vs_check_map_del(m, 7);
	VS_ASSERT_INT(vs_check_map_count(m), 0);
	CU_ASSERT_PTR_NULL(vs_check_map_get(m, 7));
	vs_check_map_free(m);
	vs_check_map_free(NULL);
}

/*
 * Many keys through several grows; delete every third one in an order
 * that makes the backward shift move run members (including across the
 * end of the table), then check every key's presence and value.
 */
static void test_map_delete_keeps_runs(void)
{
	enum { N = 2000 };
	vs_check_map *m = vs_check_map_new(sizeof(uint64_t));
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	for (uint64_t k = 1; k <= N; k++) {
		uint64_t *v = vs_check_map_put(m, k, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		*v = k * 10;
	}
	VS_ASSERT_INT(vs_check_map_count(m), N);
	for (uint64_t k = N; k >= 1; k--)
		if (k % 3 == 0)
			vs_check_map_del(m, k);
	VS_ASSERT_INT(vs_check_map_count(m), N - N / 3);
	int bad = 0;
	for (uint64_t k = 1; k <= N; k++) {
		uint64_t *v = vs_check_map_get(m, k);
		if (k % 3 == 0)
			bad += v != NULL;
		else
			bad += v == NULL || *v != k * 10;
	}
	VS_ASSERT_INT(bad, 0);
	/* iteration sees exactly the remaining keys, each once */
	size_t pos = 0, seen = 0;
	uint64_t key = 0, sum = 0, want = 0;
	uint64_t *v;
	while ((v = vs_check_map_next(m, &pos, &key)) != NULL) {
		seen++;
		sum += key;
		bad += *v != key * 10;
	}
	for (uint64_t k = 1; k <= N; k++)
		want += k % 3 ? k : 0;
	VS_ASSERT_INT(seen, N - N / 3);
	VS_ASSERT_INT(sum, want);
	VS_ASSERT_INT(bad, 0);
	/* delete the rest in insertion order */
	for (uint64_t k = 1; k <= N; k++)
		vs_check_map_del(m, k);
	VS_ASSERT_INT(vs_check_map_count(m), 0);
	pos = 0;
	CU_ASSERT_PTR_NULL(vs_check_map_next(m, &pos, NULL));
	vs_check_map_free(m);
}

static void test_map_clear_and_hash(void)
{
	vs_check_map *m = vs_check_map_new(0); /* value size 0 still works */
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	for (uint64_t k = 1; k <= 40; k++)
		CU_ASSERT_PTR_NOT_NULL(vs_check_map_put(m, k * 0x100000001ull, NULL));
	VS_ASSERT_INT(vs_check_map_count(m), 40);
	vs_check_map_clear(m);
	VS_ASSERT_INT(vs_check_map_count(m), 0);
	CU_ASSERT_PTR_NULL(vs_check_map_get(m, 0x100000001ull));
	int created = 0;
	CU_ASSERT_PTR_NOT_NULL(vs_check_map_put(m, 0x100000001ull, &created));
	VS_ASSERT_INT(created, 1);
	vs_check_map_free(m);
	/* FNV-1a 64 of "a" (published test vector); never 0 */
	CU_ASSERT(vs_check_hash(VS_CHECK_HASH0, "a", 1) == 0xaf63dc4c8601ec8cull);
	CU_ASSERT(vs_check_hash(VS_CHECK_HASH0, "", 0) == VS_CHECK_HASH0);
	CU_ASSERT(vs_check_hash(vs_check_hash(VS_CHECK_HASH0, "a", 1), "b", 1) ==
	          vs_check_hash(VS_CHECK_HASH0, "ab", 2));
}

/* ---------------------------------------------------------- report names */

static void test_report_format_names(void)
{
	static const char *const names[VS_REPORT__COUNT] = {"text",  "gcc",   "json",
	                                                    "sarif", "junit", "github"};
	for (int i = 0; i < VS_REPORT__COUNT; i++) {
		VS_ASSERT_STR(vs_check_report_format_name((vs_report_format)i), names[i]);
		VS_ASSERT_INT(vs_check_report_format_from_name(names[i]), i);
	}
	VS_ASSERT_STR(vs_check_report_format_name(VS_REPORT__COUNT), "?");
	VS_ASSERT_STR(vs_check_report_format_name((vs_report_format)-1), "?");
	VS_ASSERT_INT(vs_check_report_format_from_name("Text"), -1);
	VS_ASSERT_INT(vs_check_report_format_from_name("xml"), -1);
	VS_ASSERT_INT(vs_check_report_format_from_name(""), -1);
	VS_ASSERT_INT(vs_check_report_format_from_name(NULL), -1);
}

static char *capture_rules(const vs_rule_set *rs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vs_check_list_rules(f, rs);
	fclose(f);
	return buf;
}

/* the line of rule id in a --list-rules output, NULL if absent */
static char *rule_line(const char *out, vs_rule_id id, char *line, size_t n)
{
	const vs_rule *r = vs_rule_get(id);
	char head[16];
	snprintf(head, sizeof head, "%-6s ", r->code);
	for (const char *p = out; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (strncmp(p, head, strlen(head)) == 0 && l < n) {
			memcpy(line, p, l);
			line[l] = '\0';
			return line;
		}
		p = e ? e + 1 : NULL;
	}
	return NULL;
}

static void test_list_rules(void)
{
	vs_rule_set *rs = vs_rule_set_new();
	vs_error err;
	char line[512], want[512];
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	char *def = capture_rules(NULL);
	int lines = 0;
	for (const char *p = def; *p; p++)
		lines += *p == '\n';
	VS_ASSERT_INT(lines, VS_RULE__COUNT);
	const vs_rule *r = vs_rule_get(VS_RULE_CREATE_IN_REUSE_SCOPE);
	snprintf(want, sizeof want, "%-6s %-32s %-8s %s", r->code, r->name,
	         vs_level_name(r->level), r->summary);
	VS_ASSERT_STR(rule_line(def, VS_RULE_CREATE_IN_REUSE_SCOPE, line, sizeof line), want);
	VS_ASSERT_STR(r->code, "VS101");
	/* with a rule set: the configured level is listed */
	VS_ASSERT_INT(vs_rule_set_severity(rs, "VS101=note", &err), 0);
	char *cfg = capture_rules(rs);
	snprintf(want, sizeof want, "%-6s %-32s %-8s %s", r->code, r->name, "note", r->summary);
	VS_ASSERT_STR(rule_line(cfg, VS_RULE_CREATE_IN_REUSE_SCOPE, line, sizeof line), want);
	free(def);
	free(cfg);
	vs_rule_set_free(rs);
}

/* -------------------------------------------------------------- escaping */

typedef void (*esc_fn)(FILE *, const char *);

static char *esc(esc_fn fn, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fn(f, s);
	fclose(f);
	return buf;
}

#define ASSERT_ESC(fn, in, want)                                               \
	do {                                                                   \
		char *got_ = esc((fn), (in));                                  \
		VS_ASSERT_STR(got_, (want));                                   \
		free(got_);                                                    \
	} while (0)

static void test_escaping(void)
{
	ASSERT_ESC(vs_check_report_json_str, "a\"b\\c\nd\re\tf\001g/\xc3\xbc",
	           "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g/\xc3\xbc\"");
	ASSERT_ESC(vs_check_report_json_str, NULL, "\"\"");
	ASSERT_ESC(vs_check_report_xml_str, "<a href=\"x\">'&'</a>\001\n\t",
	           "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;?\n\t");
	ASSERT_ESC(vs_check_report_xml_str, NULL, "");
	/* attributes: newlines become character references */
	ASSERT_ESC(vs_check_report_xml_attr, "line1\nline <2>\n", "line1&#10;line &lt;2&gt;&#10;");
	ASSERT_ESC(vs_check_report_xml_attr, "\n\n", "&#10;&#10;");
	ASSERT_ESC(vs_check_report_xml_attr, NULL, "");
	/* a line longer than the helper's chunk buffer */
	char in[700], want[800];
	memset(in, 'x', 600);
	memcpy(in + 600, "&\nend", 6);
	memset(want, 'x', 600);
	memcpy(want + 600, "&amp;&#10;end", 14);
	ASSERT_ESC(vs_check_report_xml_attr, in, want);
}

/* ------------------------------------------------------- baseline fill */

enum { STORE = 100 }; /* a variable-store id */

/* one VS101 error in scope m at models/train.py:42 build(), found twice */
static void build_twice(tb *b)
{
	tb_init(b);
	tb_site(b, 1, "models/train.py", 42, "build");
	tb_graph(b, 1, VS_EVF_GLOBAL_DEFAULT);
	for (uint32_t i = 0; i < 2; i++) {
		tb_vs_enter(b, "m", "m", VS_REUSE_TRUE, VS_REUSE_TRUE, 10 + i, 0, "m/");
		tb_getvar(b, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_MISSING,
		          "Variable m/w does not exist, or was not created with "
		          "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?",
		          0);
		tb_vs_exit(b, "m", 10 + i);
	}
}

static void test_baseline_fill(void)
{
	tb b;
	build_twice(&b);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	const vs_check_finding *f = vs_check_at(r.c, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(f->rule, VS_RULE_CREATE_IN_REUSE_SCOPE);
	VS_ASSERT_INT(f->count, 2);
	vs_rule_baseline *bl = vs_rule_baseline_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(bl);
	VS_ASSERT_INT(vs_check_baseline_fill(r.c, bl, NULL), 0);
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 1);
	const char *code, *file, *fn, *var;
	unsigned long left, total;
	vs_rule_baseline_entry(bl, 0, &code, &file, &fn, &var, &left, &total);
	VS_ASSERT_STR(code, "VS101");
	VS_ASSERT_STR(file, "models/train.py");
	VS_ASSERT_STR(fn, "build");
	VS_ASSERT_STR(var, "m/w");
	VS_ASSERT_INT(left, 2);
	VS_ASSERT_INT(total, 2);
	tb_done(&r);

	/* the filled baseline silences the same run: both occurrences taken */
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	vs_error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	vs_check_set_baseline(c, bl);
	VS_ASSERT_INT(vs_check_events(c, "test", b.ev, b.n, tb_resolve, &b, &err), 0);
	VS_ASSERT_INT(vs_check_finish(c, NULL), 0);
	VS_ASSERT_INT(vs_check_max_level(c), VS_LEVEL_OFF);
	vs_check_summary s;
	vs_check_summary_get(c, &s);
	VS_ASSERT_INT(s.baselined, 2);
	VS_ASSERT_INT(s.by_level[VS_LEVEL_ERROR], 0);
	/* nothing stale: the entry is still listed, with no occurrence left */
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 1);
	vs_rule_baseline_entry(bl, 0, &code, &file, &fn, &var, &left, &total);
	VS_ASSERT_INT(left, 0);
	VS_ASSERT_INT(total, 2);
	VS_ASSERT_INT(tb_count(&(tb_run){rs, c}, VS_RULE_STALE_BASELINE), 0);
	/* a second fill adds the (baselined) finding again: total doubles */
	VS_ASSERT_INT(vs_check_baseline_fill(c, bl, NULL), 0);
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 1);
	vs_rule_baseline_entry(bl, 0, &code, &file, &fn, &var, &left, &total);
	VS_ASSERT_INT(left, 2);
	VS_ASSERT_INT(total, 4);
	vs_check_free(c);
	vs_rule_set_free(rs);
	vs_rule_baseline_free(bl);
}

/* ------------------------------------------------- atomic writer errors */

static void test_report_file_errors(void)
{
	tb b;
	vs_error err;
	char want[512];
	vs_report_opts o = {.fail_on = VS_LEVEL_WARNING, .statistics = 0, .version = "9.9.9"};
	build_twice(&b);
	tb_run r = tb_check(&b);
	vs_error_init(&err);
	VS_ASSERT_INT(vs_check_report_file(r.c, VS_REPORT_GCC, &o, "/nonexistent-dir/r.txt", &err),
	              VS_ERR_IO);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent-dir/r.txt': cannot write report: No such file or directory");
	/* the target is a directory: rename fails, the temporary is removed */
	char *dir = vs_test_tmp_path(".d");
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	VS_ASSERT_INT(vs_check_report_file(r.c, VS_REPORT_GCC, &o, dir, &err), VS_ERR_IO);
	snprintf(want, sizeof want, "'%s': cannot write report: Is a directory", dir);
	VS_ASSERT_STR(err.msg, want);
	snprintf(want, sizeof want, "%s.tmp%ld", dir, (long)getpid());
	VS_ASSERT_INT(access(want, F_OK), -1);
	VS_ASSERT_INT(rmdir(dir), 0);
	/* and the success path writes exactly the gcc report */
	VS_ASSERT_INT(vs_check_report_file(r.c, VS_REPORT_GCC, &o, dir, &err), 0);
	FILE *f = fopen(dir, "r");
	char got[1024] = "";
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(fread(got, 1, sizeof got - 1, f) > 0);
	fclose(f);
	VS_ASSERT_STR(got, "models/train.py:42:1: error: Variable m/w does not exist, or was not "
	                   "created with tf.get_variable(). Did you mean to set "
	                   "reuse=tf.AUTO_REUSE in VarScope? [VS101 create-in-reuse-scope]\n");
	unlink(dir);
	free(dir);
	tb_done(&r);
}

/* ------------------------------------------------------- text renderings */

static char *explain(vs_rule_id id)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vs_check_explain(f, id, 0);
	fclose(f);
	return buf;
}

/* --explain in text: header, summary, explanation, option, indented examples */
static void test_explain_text(void)
{
	char *got = explain(VS_RULE_CREATOR_MULTIPLE);
	VS_ASSERT_STR(got,
	              "VS307 creator-creates-many (default: note, category: context)\n\n"
	              "  a creator creates more variables than requested.\n\n"
	              "  One request should produce one variable.  A creator that calls "
	              "`next_creator` several times leaves extra variables in the graph.  "
	              "Option `max-created` (default 1) is the number allowed per request.\n\n"
	              "  Option: max-created (default 1)\n\n"
	              "  Bad:\n"
	              "    def creator(next_creator, **kw):\n"
	              "        next_creator(**kw)\n"
	              "        return next_creator(**kw)\n"
	              "\n  Good:\n"
	              "    def creator(next_creator, **kw):\n"
	              "        return next_creator(**kw)\n"
	              "\n  Bad, as a scenario (the test suite checks that it raises this rule):\n"
	              "    creators:\n"
	              "      twice: {repeat: 2}\n"
	              "    steps:\n"
	              "      - creator_scope: twice\n"
	              "        body:\n"
	              "          - variable: {name: x, initial_value: {kind: value, value: 0.0}}\n"
	              "\n  Good, as a scenario (checked not to raise it):\n"
	              "    creators:\n"
	              "      once: ~\n"
	              "    steps:\n"
	              "      - creator_scope: once\n"
	              "        body:\n"
	              "          - variable: {name: x, initial_value: {kind: value, value: 0.0}}\n");
	free(got);
	/* a rule that cannot be a program says why instead */
	got = explain(VS_RULE_TRACE_LOSSY);
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "\n  Not written as a scenario: a trace that lost events "
	                                   "is made by the recorder in discard mode, not by a "
	                                   "program (tests/e2e/t1050-record-discard.sh).\n"));
	CU_ASSERT_PTR_NULL(strstr(got, "as a scenario ("));
	free(got);
	/* a rule without an option has no Option line */
	got = explain(VS_RULE_CREATOR_NO_VARIABLE);
	CU_ASSERT_PTR_NULL(strstr(got, "Option:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "\n  Good:\n    def creator(next_creator, **kw):\n"
	                                   "        print(kw['name'])\n"
	                                   "        return next_creator(**kw)\n"));
	free(got);
}

/* the text report folds repeats ("(2 times)") and --statistics counts them */
static void test_text_report_statistics(void)
{
	tb b;
	char *buf = NULL;
	size_t len = 0;
	vs_report_opts o = {.fail_on = VS_LEVEL_WARNING, .statistics = 1, .version = "9.9.9"};
	build_twice(&b);
	tb_run r = tb_check(&b);
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(vs_check_report(r.c, VS_REPORT_TEXT, &o, f, NULL), 0);
	fclose(f);
	const char *head =
	        "models/train.py:42: error: Variable m/w does not exist, or was not created with "
	        "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope? [VS101 "
	        "create-in-reuse-scope]\n"
	        "    scope 'm', thread 1, in build(); event #6 of process 1: vstrace show test "
	        "--proc 1 --thread 1 --around 6\n"
	        "    (2 times)\n"
	        "statistics:\n"
	        "  VS101  create-in-reuse-scope            2\n"
	        "  ";
	/* compare the fixed prefix (printing both sides on failure) */
	char *prefix = strndup(buf, strlen(head));
	VS_ASSERT_STR(prefix, head);
	free(prefix);
	/* the speed line varies; the totals line does not */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " events in 1 process checked in "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\n  1 duplicates folded, 0 suppressed, 0 baselined, "
	                                   "0 from disabled rules\n"));
	free(buf);
	tb_done(&r);
}

/* a process that ended with unfinished threads but no signal: VS002 text */
static void test_trace_truncated_without_signal(void)
{
	vs_error err;
	vs_db_writer *w = NULL;
	uint32_t p1 = 0;
	unsigned status = 0;
	tb b;
	char *path = vs_test_tmp_path(".db");
	tb_init(&b);
	tb_site(&b, 1, "train.py", 10, "build");
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 1, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &p1, 77, 1, 0, 0, &err), 0);
	for (uint32_t id = 1; id < b.nstr; id++)
		VS_ASSERT_INT(vs_db_writer_string(w, p1, id, b.str[id], (uint32_t)strlen(b.str[id]),
		                                  &err),
		              0);
	for (size_t i = 0; i < b.n; i++)
		VS_ASSERT_INT(vs_db_writer_event(w, p1, &b.ev[i], &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_end(w, p1, 0, 0, 1, &err), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, &err), 0);

	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	VS_ASSERT_INT(vs_check_trace(c, path, &status, &err), 0);
	VS_ASSERT_INT(vs_check_finish(c, NULL), 0);
	VS_ASSERT_INT(status, VS_CHECK_TRUNCATED);
	VS_ASSERT_INT(vs_check_count(c), 1);
	VS_ASSERT_INT(vs_check_at(c, 0)->rule, VS_RULE_TRACE_TRUNCATED);
	VS_ASSERT_STR(vs_check_at(c, 0)->message,
	              "process 1 (pid 77) did not finish its events: the trace is truncated");
	VS_ASSERT_STR(vs_check_at(c, 0)->file, path);
	/* a missing trace: the reader's error, nothing kept */
	VS_ASSERT_INT(vs_check_trace(c, "/nonexistent-dir/t.db", &status, &err), VS_ERR_NOT_FOUND);
	VS_ASSERT_STR(err.msg, "'/nonexistent-dir/t.db': no such file");
	VS_ASSERT_INT(status, 0);
	VS_ASSERT_INT(vs_check_count(c), 1);
	vs_check_free(c);
	vs_rule_set_free(rs);
	unlink(path);
	free(path);
}

VS_SUITE_FN(checker_api)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_map_put_get_del),
		VS_TEST(test_map_delete_keeps_runs),
		VS_TEST(test_map_clear_and_hash),
		VS_TEST(test_report_format_names),
		VS_TEST(test_list_rules),
		VS_TEST(test_escaping),
		VS_TEST(test_baseline_fill),
		VS_TEST(test_report_file_errors),
		VS_TEST(test_explain_text),
		VS_TEST(test_text_report_statistics),
		VS_TEST(test_trace_truncated_without_signal),
		VS_TEST_END};
	vs_test_add_suite("checker_api", NULL, NULL, cases);
}
