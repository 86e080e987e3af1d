/* SPDX-License-Identifier: MIT */
/*
 * tests for the checker's and the rule set's error contract: every
 * fallible call fills a vs_error (out of memory through the allocation
 * hook that VS_GROW uses, a failing report stream), and the shadow model's
 * dispatch of event kinds (kinds without a handler and kinds from a newer
 * producer are counted and change nothing but the thread table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "checker/report.h"
#include "checker/shadow.h"
#include "rules/baseline.h"
#include "tests/unit/checker_testutil.h"
#include "tracer/alloc.h"

/* ------------------------------------------------------------ dispatch */

static int n_reported;

static void count_finding(void *ctx, const vs_shadow_finding *f)
{
	(void)ctx;
	(void)f;
	n_reported++;
}

static vs_event raw_event(uint64_t seq, uint32_t tid, unsigned kind)
{
	vs_event ev;
	memset(&ev, 0, sizeof ev);
	ev.seq = seq;
	ev.tid = tid;
	ev.kind = (uint16_t)kind;
	return ev;
}

/* a kind number event.h leaves unassigned (8), one past the list and one
 * far beyond it, and a known kind the rules do not read: each is counted,
 * notes its thread and reports nothing */
static void test_unknown_kinds(void)
{
	tb b;
	vs_error err;
	vs_shadow_stats st;
	tb_init(&b);
	vs_error_init(&err);
	n_reported = 0;
	vs_shadow *s = vs_shadow_new(tb_resolve, &b, count_finding, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	const unsigned kinds[] = {8, VS_EV__COUNT, 60000, VS_EV_NAME_SCOPE_ENTER};
	for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		vs_event ev = raw_event(i + 1, 3, kinds[i]);
		memset(ev.p, 0xff, sizeof ev.p); /* garbage payload: never read */
		VS_ASSERT_INT(vs_shadow_apply(s, &ev, &err), 0);
	}
	/* SITE belongs to the process: no thread for it */
	vs_event site = raw_event(5, 4, VS_EV_SITE);
	site.site_def.site_id = 1;
	VS_ASSERT_INT(vs_shadow_apply(s, &site, &err), 0);
	vs_shadow_finish(s, 0);
	vs_shadow_stats_get(s, &st);
	VS_ASSERT_INT(st.events, 5);
	VS_ASSERT_INT(st.threads, 1);
	VS_ASSERT_INT(st.sites, 1);
	VS_ASSERT_INT(st.variables, 0);
	VS_ASSERT_INT(n_reported, 0);
	VS_ASSERT_INT(err.code, 0);
	vs_shadow_free(s);
}

/* a stack that cannot grow: VS_ERR_NOMEM with the message, and the model
 * works again once memory is back */
static void test_shadow_out_of_memory(void)
{
	tb b;
	vs_error err;
	vs_shadow_stats st;
	tb_init(&b);
	vs_error_init(&err);
	n_reported = 0;
	tb_vs_enter(&b, "m", "m", 0, VS_REUSE_FALSE, 1, 0, "m/");
	vs_shadow *s = vs_shadow_new(tb_resolve, &b, count_finding, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	rt_alloc_fail_after(0);
	int rc = vs_shadow_apply(s, &b.ev[0], &err);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(rc, VS_ERR_NOMEM);
	VS_ASSERT_INT(err.code, VS_ERR_NOMEM);
	VS_ASSERT_STR(err.msg, "out of memory");
	vs_error_init(&err);
	VS_ASSERT_INT(vs_shadow_apply(s, &b.ev[0], &err), 0);
	tb_vs_exit(&b, "m", 1);
	VS_ASSERT_INT(vs_shadow_apply(s, &b.ev[1], &err), 0);
	vs_shadow_finish(s, 0);
	vs_shadow_stats_get(s, &st);
	VS_ASSERT_INT(st.events, 3);
	VS_ASSERT_INT(n_reported, 0); /* the scope closed properly */
	vs_shadow_free(s);
}

/* ------------------------------------------------------------ check */

/* the first finding cannot be kept: vs_check_events and vs_check_finish
 * both say so (allocations 1 and 2 are the trace list and its anchors, 3
 * the finding list) */
static void test_check_out_of_memory(void)
{
	tb b;
	vs_error err;
	tb_init(&b);
	EVP(&b, VS_EV_LOST, 0, lost, .count_lo = 2);
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	vs_error_init(&err);
	rt_alloc_fail_after(2);
	int rc = vs_check_events(c, "t", b.ev, b.n, tb_resolve, &b, &err);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(rc, VS_ERR_NOMEM);
	VS_ASSERT_STR(err.msg, "out of memory");
	VS_ASSERT_INT(vs_check_count(c), 0);
	vs_error_init(&err);
	VS_ASSERT_INT(vs_check_finish(c, &err), VS_ERR_NOMEM);
	VS_ASSERT_STR(err.msg, "out of memory");
	VS_ASSERT_INT(vs_check_finish(c, &err), 0); /* once only */
	vs_check_free(c);

	/* no room for the trace's name: nothing replayed */
	c = vs_check_new(rs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	vs_error_init(&err);
	rt_alloc_fail_after(0);
	rc = vs_check_events(c, "t", b.ev, b.n, tb_resolve, &b, &err);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(rc, VS_ERR_NOMEM);
	VS_ASSERT_STR(err.msg, "out of memory");
	vs_check_summary sum;
	vs_check_summary_get(c, &sum);
	VS_ASSERT_INT(sum.events, 0);
	VS_ASSERT_INT(sum.traces, 0);
	vs_check_free(c);
	vs_rule_set_free(rs);
}

/* vs_check_baseline_fill passes the baseline's out-of-memory on */
static void test_baseline_fill_out_of_memory(void)
{
	tb b;
	vs_error err;
	tb_init(&b);
	EVP(&b, VS_EV_LOST, 0, lost, .count_lo = 2);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	vs_rule_baseline *bl = vs_rule_baseline_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(bl);
	vs_error_init(&err);
	rt_alloc_fail_after(0);
	int rc = vs_check_baseline_fill(r.c, bl, &err);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(rc, VS_ERR_NOMEM);
	VS_ASSERT_STR(err.msg, "out of memory");
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 0);
	VS_ASSERT_INT(vs_check_baseline_fill(r.c, bl, &err), 0);
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 1);
	vs_rule_baseline_free(bl);
	tb_done(&r);
}

/* a stream that refuses writes: VS_ERR_IO "cannot write the report" */
static void test_report_stream_error(void)
{
	tb b;
	vs_error err;
	vs_report_opts o = {.fail_on = VS_LEVEL_ERROR, .statistics = 0, .version = "1"};
	tb_init(&b);
	EVP(&b, VS_EV_LOST, 0, lost, .count_lo = 2);
	tb_run r = tb_check(&b);
	char *path = vs_test_tmp_path(".txt");
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	f = fopen(path, "r"); /* read-only: every write fails */
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vs_error_init(&err);
	for (int fmt = 0; fmt < VS_REPORT__COUNT; fmt++) {
		clearerr(f);
		VS_ASSERT_INT(vs_check_report(r.c, (vs_report_format)fmt, &o, f, &err), VS_ERR_IO);
		VS_ASSERT_STR(err.msg, "cannot write the report");
	}
	fclose(f);
	unlink(path);
	free(path);
	tb_done(&r);
}

/* ------------------------------------------------------------ rules */

static void test_baseline_add_out_of_memory(void)
{
	vs_error err;
	vs_rule_baseline *bl = vs_rule_baseline_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(bl);
	vs_error_init(&err);
	rt_alloc_fail_after(0);
	int rc = vs_rule_baseline_add(bl, "VS101", "a.py", "f", "v", 1, &err);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(rc, VS_ERR_NOMEM);
	VS_ASSERT_INT(err.code, VS_ERR_NOMEM);
	VS_ASSERT_STR(err.msg, "out of memory");
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 0);
	VS_ASSERT_INT(vs_rule_baseline_add(bl, "VS101", "a.py", "f", "v", 1, &err), 0);
	/* the same key again merges: no growth, so no allocation to fail */
	rt_alloc_fail_after(0);
	rc = vs_rule_baseline_add(bl, "VS101", "a.py", "f", "v", 2, &err);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 1);
	const char *code, *file, *fn, *var;
	unsigned long left, total;
	vs_rule_baseline_entry(bl, 0, &code, &file, &fn, &var, &left, &total);
	VS_ASSERT_INT(total, 3);
	vs_rule_baseline_free(bl);
}

/* a config whose suppression cannot be stored: VS_ERR_NOMEM, and the rule
 * set keeps no config path */
static void test_config_out_of_memory(void)
{
	vs_error err;
	char *path = vs_test_tmp_path(".yml");
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("version: 1\nsuppress:\n  - rule: VS102\n    reason: shared on purpose\n", f);
	fclose(f);
	vs_rule_set *rs = vs_rule_set_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	vs_error_init(&err);
	rt_alloc_fail_after(0);
	int rc = vs_rule_set_load(rs, path, &err);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(rc, VS_ERR_NOMEM);
	VS_ASSERT_STR(err.msg, "out of memory");
	CU_ASSERT_PTR_NULL(vs_rule_set_config_path(rs));
	VS_ASSERT_INT(vs_rule_set_suppression_count(rs), 0);
	VS_ASSERT_INT(vs_rule_set_load(rs, path, &err), 0);
	VS_ASSERT_INT(vs_rule_set_suppression_count(rs), 1);
	VS_ASSERT_STR(vs_rule_set_suppression_at(rs, 0)->reason, "shared on purpose");
	vs_rule_set_free(rs);
	unlink(path);
	free(path);
}

VS_SUITE_FN(checker_errors)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_unknown_kinds),
		VS_TEST(test_shadow_out_of_memory),
		VS_TEST(test_check_out_of_memory),
		VS_TEST(test_baseline_fill_out_of_memory),
		VS_TEST(test_report_stream_error),
		VS_TEST(test_baseline_add_out_of_memory),
		VS_TEST(test_config_out_of_memory),
		VS_TEST_END};
	vs_test_add_suite("checker_errors", NULL, NULL, cases);
}
