/* SPDX-License-Identifier: MIT */
/*
 * tests for checker/report_sarif.c and the SARIF parts that GitHub code
 * scanning depends on: artifact URIs relative to a source root, partial
 * fingerprints (no line numbers, uniquification suffixes normalised,
 * distinct ranks), helpUri, and trace-level findings anchored at the
 * program's main source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "checker/report_impl.h"
#include "tests/unit/checker_testutil.h"

static char *artifact(const char *path, const char *root)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_FATAL(f != NULL);
	vs_check_report_sarif_artifact(f, path, root);
	fclose(f);
	return buf;
}

static void test_sarif_abs_path(void)
{
	char cwd[4096], want[4200];
	char *p = vs_check_report_abs_path("/a/./b/../c//d.c");
	VS_ASSERT_STR(p, "/a/c/d.c");
	free(p);
	p = vs_check_report_abs_path("/../..");
	VS_ASSERT_STR(p, "/");
	free(p);
	CU_ASSERT_FATAL(getcwd(cwd, sizeof cwd) != NULL);
	snprintf(want, sizeof want, "%s/y.c", strcmp(cwd, "/") ? cwd : "");
	p = vs_check_report_abs_path("x/../y.c");
	VS_ASSERT_STR(p, want);
	free(p);
	CU_ASSERT_PTR_NULL(vs_check_report_abs_path(NULL));
}

static void test_sarif_artifact_uri(void)
{
	char *s = artifact("/src/lib/a b%.c", "/src");
	VS_ASSERT_STR(s, "{\"uri\": \"lib/a%20b%25.c\", \"uriBaseId\": \"SRCROOT\"}");
	free(s);
	s = artifact("/src/x/../lib/c.c", "/src/");
	VS_ASSERT_STR(s, "{\"uri\": \"lib/c.c\", \"uriBaseId\": \"SRCROOT\"}");
	free(s);
	/* a sibling directory sharing the root's prefix is outside it */
	s = artifact("/srcx/y.c", "/src");
	VS_ASSERT_STR(s, "{\"uri\": \"file:///srcx/y.c\"}");
	free(s);
	s = artifact("/usr/include/vs/vs.h", "/src");
	VS_ASSERT_STR(s, "{\"uri\": \"file:///usr/include/vs/vs.h\"}");
	free(s);
	/* no root: as recorded */
	s = artifact("examples/layers.h", NULL);
	VS_ASSERT_STR(s, "{\"uri\": \"examples/layers.h\"}");
	free(s);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_FATAL(f != NULL);
	vs_check_report_sarif_base_ids(f, "/home/me/my proj");
	vs_check_report_sarif_base_ids(f, NULL);
	fclose(f);
	VS_ASSERT_STR(buf, "      \"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": "
	                   "\"file:///home/me/my%20proj/\"}},\n");
	free(buf);
}

/* writable copies for vs_check_finding's char * fields, freed by pool_free */
static char *pool[64];
static size_t n_pool;

static char *W(const char *s)
{
	char *d = strdup(s);
	CU_ASSERT_FATAL(d != NULL && n_pool < 64);
	return pool[n_pool++] = d;
}

static void pool_free(void)
{
	while (n_pool)
		free(pool[--n_pool]);
}

static vs_check_finding finding(vs_rule_id rule, const char *file, int line, const char *fn,
                                const char *scope, const char *var, const char *msg)
{
	vs_check_finding f;
	memset(&f, 0, sizeof f);
	f.rule = rule;
	f.file = W(file);
	f.line = line;
	f.function = W(fn);
	f.scope = W(scope);
	f.variable = W(var);
	f.message = W(msg);
	return f;
}

static void test_sarif_fingerprint(void)
{
	const vs_rule_id E1 = VS_RULE_VARIABLE_EXISTS;
	vs_check_finding a = finding(E1, "/src/m.c", 10, "build", "attention_1/calls",
	                             "attention_1/calls/kernel:0", "exists (at /src/m.c:10, #57)");
	vs_check_finding b = finding(E1, "/src/m.c", 99, "build", "attention_2/calls",
	                             "attention_2/calls/kernel", "exists (at /src/m.c:12, #3)");
	uint64_t h = vs_check_report_fingerprint(&a, "/src");
	/* lines, uniquification suffixes and digits in the message do not count */
	CU_ASSERT(h == vs_check_report_fingerprint(&b, "/src"));
	/* the same file under another checkout root: the same URI, the same hash */
	vs_check_finding moved = a;
	moved.file = W("/ci/work/m.c");
	CU_ASSERT(h == vs_check_report_fingerprint(&moved, "/ci/work"));
	/* but the rule, file, function, scope, variable base name and words do */
	vs_check_finding c = a;
	c.rule = VS_RULE_SHAPE_MISMATCH;
	CU_ASSERT(h != vs_check_report_fingerprint(&c, "/src"));
	c = a;
	c.file = W("/src/n.c");
	CU_ASSERT(h != vs_check_report_fingerprint(&c, "/src"));
	c = a;
	c.function = W("build_2x");
	CU_ASSERT(h != vs_check_report_fingerprint(&c, "/src"));
	c = a;
	c.scope = W("attention_x/calls");
	CU_ASSERT(h != vs_check_report_fingerprint(&c, "/src"));
	c = a;
	c.variable = W("attention_1/calls/bias:0");
	CU_ASSERT(h != vs_check_report_fingerprint(&c, "/src"));
	c = a;
	c.message = W("missing (at /src/m.c:10, #57)");
	CU_ASSERT(h != vs_check_report_fingerprint(&c, "/src"));
	/* the variable counts by its base name only */
	c = a;
	c.variable = W("other/kernel");
	CU_ASSERT(h == vs_check_report_fingerprint(&c, "/src"));

	void *ranks = vs_check_report_rank_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ranks);
	VS_ASSERT_INT(vs_check_report_rank(ranks, h), 1);
	VS_ASSERT_INT(vs_check_report_rank(ranks, h + 1), 1);
	VS_ASSERT_INT(vs_check_report_rank(ranks, h), 2);
	vs_check_report_rank_free(ranks);
	pool_free();
}

/* a LOST marker after call sites in helper() and main(): the trace-level
 * finding is anchored at main's call site, and SARIF points there with a
 * helpUri per rule under the configured base */
static void test_sarif_trace_level_anchor(void)
{
	tb b;
	tb_init(&b);
	tb_site(&b, 1, "lib/helper.c", 5, "helper");
	tb_site(&b, 2, "app/main.c", 17, "main");
	tb_site(&b, 3, "app/main.c", 30, "main");
	b.site = 0; /* the transport's marker has no call site */
	EVP(&b, VS_EV_LOST, 0, lost, .count_lo = 2);
	tb_run r = tb_check(&b);
	const vs_check_finding *f = tb_find(&r, VS_RULE_TRACE_LOSSY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_STR(f->file, "test");
	VS_ASSERT_STR(f->anchor_file, "app/main.c");
	VS_ASSERT_INT(f->anchor_line, 17);

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	CU_ASSERT_FATAL(out != NULL);
	vs_report_opts o = {.fail_on = VS_LEVEL_ERROR, .version = "1",
	                    .help_uri_base = "https://example.org/r", .source_root = "/"};
	VS_ASSERT_INT(vs_check_report(r.c, VS_REPORT_SARIF, &o, out, NULL), 0);
	fclose(out);
	char cwd[4096], want[4300];
	CU_ASSERT_FATAL(getcwd(cwd, sizeof cwd) != NULL);
	snprintf(want, sizeof want,
	         "\"artifactLocation\": {\"uri\": \"%s%sapp/main.c\", \"uriBaseId\": \"SRCROOT\"}, "
	         "\"region\": {\"startLine\": 17}}}], \"partialFingerprints\": {\"vscheck/v2\": \"",
	         cwd + 1, strcmp(cwd, "/") ? "/" : "");
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
	CU_ASSERT_PTR_NULL(strstr(buf, "\"uri\": \"test\""));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(buf, "\"helpUri\": \"https://example.org/r/VS001-trace-lost-events.md\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": "
	                                   "\"file:///\"}}"));
	free(buf);
	tb_done(&r);

	/* no call site at all: no anchor, the trace stays the location */
	tb_init(&b);
	EVP(&b, VS_EV_LOST, 0, lost, .count_lo = 2);
	r = tb_check(&b);
	f = tb_find(&r, VS_RULE_TRACE_LOSSY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NULL(f->anchor_file);
	tb_done(&r);
}

VS_SUITE_FN(checker_sarif)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_sarif_abs_path),
		VS_TEST(test_sarif_artifact_uri),
		VS_TEST(test_sarif_fingerprint),
		VS_TEST(test_sarif_trace_level_anchor),
		VS_TEST_END};
	vs_test_add_suite("checker_sarif", NULL, NULL, cases);
}
