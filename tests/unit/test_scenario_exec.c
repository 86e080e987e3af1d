/* SPDX-License-Identifier: MIT */
/*
 * tests for scenario/exec.c and scenario/expect.c: what a run reports
 * (entries, positions, counts), error propagation and handling, context
 * managers left open, behaviours, templates, and the deterministic thread
 * schedule (suite scenario_exec_threads).
 */
#include <stdio.h>
#include <stdlib.h>

#include "scenario/scenario.h"
#include "tests/unit/harness.h"
#include "tracer/alloc.h"
#include "vs/vs.h"

/* Loads and runs yaml; returns the report (NULL on a load/run error, which
 * is then asserted against want_err when given). */
static vs_scn_report *run_yaml(const char *yaml, vs_scn **out_s)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_scn_load_string(&s, "x.yaml", yaml, strlen(yaml), &e);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(e.msg, "");
	if (rc)
		return NULL;
	rc = vs_scn_run(s, &rep, &e);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(e.msg, "");
	*out_s = s;
	return rep;
}

static void done(vs_scn *s, vs_scn_report *rep)
{
	vs_scn_report_free(rep);
	vs_runtime_reset();
	vs_scn_free(s);
}

static void assert_entry(const vs_scn_report *rep, size_t i, vs_scn_entry_kind kind, int line,
                         int col, const char *thread, const char *text)
{
	const vs_scn_entry *e = vs_scn_report_at(rep, i);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	VS_ASSERT_INT(e->kind, kind);
	VS_ASSERT_INT(e->line, line);
	VS_ASSERT_INT(e->col, col);
	VS_ASSERT_STR(e->thread, thread);
	VS_ASSERT_STR(e->text, text);
}

static void test_created_reused(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("steps:\n"
	                              "  - variable_scope: {name: foo, reuse: auto}\n"
	                              "    body:\n"
	                              "      - get_variable: {name: v, shape: [1], as: a}\n"
	                              "        expect: {name: foo/v:0, created: true}\n"
	                              "      - get_variable: {name: v, shape: [1]}\n"
	                              "        expect: {same_as: a, created: false, scope: foo}\n",
	                              &s);
	if (!rep)
		return;
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->steps, 3);
	VS_ASSERT_INT(st->created, 1);
	VS_ASSERT_INT(st->reused, 1);
	VS_ASSERT_INT(st->checks, 5);
	VS_ASSERT_INT(st->failed, 0);
	VS_ASSERT_INT(vs_scn_report_ok(rep), 1);
	VS_ASSERT_INT(vs_scn_report_count(rep), 2);
	assert_entry(rep, 0, VS_SCN_ENT_CREATED, 4, 9, "main", "foo/v:0");
	assert_entry(rep, 1, VS_SCN_ENT_REUSED, 6, 9, "main", "foo/v:0");
	done(s, rep);
}

static void test_failed_expectations(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("steps:\n"
	                              "  - get_variable: {name: v, shape: [1], as: a}\n"
	                              "    expect: {name: w:0, created: false, shape: [2],\n"
	                              "             dtype: int32, trainable: false}\n"
	                              "  - get_variable: {name: w, shape: [1]}\n"
	                              "    expect: {same_as: a, error: ValueError}\n"
	                              "  - op: Add\n"
	                              "    expect: {name: Sub, collection: {variables: []}}\n",
	                              &s);
	if (!rep)
		return;
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->failed, 9);
	VS_ASSERT_INT(st->checks, 9);
	VS_ASSERT_INT(vs_scn_report_ok(rep), 0);
	assert_entry(rep, 1, VS_SCN_ENT_FAILED, 3, 14, "main", "name: expected 'w:0', got 'v:0'");
	assert_entry(rep, 2, VS_SCN_ENT_FAILED, 3, 25, "main", "created: expected false, got true");
	assert_entry(rep, 3, VS_SCN_ENT_FAILED, 4, 28, "main", "trainable: expected false, got true");
	assert_entry(rep, 4, VS_SCN_ENT_FAILED, 3, 41, "main", "shape: expected (2,), got (1,)");
	assert_entry(rep, 5, VS_SCN_ENT_FAILED, 4, 14, "main", "dtype: expected int32, got float32");
	assert_entry(rep, 7, VS_SCN_ENT_FAILED, 6, 14, "main",
	             "same_as: 'w:0' is a different variable, and 'a' is v:0");
	assert_entry(rep, 8, VS_SCN_ENT_FAILED, 6, 26, "main",
	             "error: expected ValueError, got no error");
	assert_entry(rep, 9, VS_SCN_ENT_FAILED, 8, 14, "main", "name: expected 'Sub', got 'Add'");
	assert_entry(rep, 10, VS_SCN_ENT_FAILED, 8, 38, "main",
	             "collection 'variables': expected [], got [v:0, w:0]");
	done(s, rep);
}

static void test_expected_errors(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml(
	    "steps:\n"
	    "  - variable_scope: {default_name: d, reuse: true}\n"
	    "    expect: {error: {kind: ValueError, message: \"reuse=True cannot be used without "
	    "a name_or_scope\"}}\n"
	    "  - variable_scope: {default_name: d, reuse: true}\n"
	    "    expect: {error: TypeError}\n"
	    "  - variable_scope: {default_name: d, reuse: true}\n"
	    "    expect: {error: {kind: ValueError, message: \"other\"}}\n"
	    "  - variable_scope: {default_name: d, reuse: true}\n"
	    "    expect: {error: {kind: ValueError, prefix: \"reuse=True\"}}\n"
	    "  - variable_scope: {default_name: d, reuse: true}\n"
	    "    expect: {error: {kind: ValueError, prefix: \"reuse=False\"}}\n",
	    &s);
	if (!rep)
		return;
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->errors, 5);
	VS_ASSERT_INT(st->uncaught, 0);
	VS_ASSERT_INT(st->failed, 3);
	const char *m = "reuse=True cannot be used without a name_or_scope";
	char buf[256];
	snprintf(buf, sizeof buf, "ValueError: %s", m);
	assert_entry(rep, 0, VS_SCN_ENT_ERROR, 2, 5, "main", buf);
	snprintf(buf, sizeof buf, "error: expected TypeError, got ValueError: %s", m);
	assert_entry(rep, 1, VS_SCN_ENT_FAILED, 5, 14, "main", buf);
	snprintf(buf, sizeof buf, "ValueError: %s", m);
	assert_entry(rep, 2, VS_SCN_ENT_ERROR, 4, 5, "main", buf);
	snprintf(buf, sizeof buf, "error message: expected 'other', got '%s'", m);
	assert_entry(rep, 3, VS_SCN_ENT_FAILED, 7, 14, "main", buf);
	snprintf(buf, sizeof buf, "error message: expected to start with 'reuse=False', got '%s'", m);
	assert_entry(rep, 6, VS_SCN_ENT_FAILED, 11, 14, "main", buf);
	done(s, rep);
}

static void test_uncaught_unwinds(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("steps:\n"
	                              "  - variable_scope: a\n"
	                              "  - name_scope: n\n"
	                              "  - variable_scope: b\n"
	                              "    body:\n"
	                              "      - get_variable: {name: v, shape: [1]}\n"
	                              "      - get_variable: {name: v, shape: [1]}\n"
	                              "      - get_variable: {name: never, shape: [1]}\n"
	                              "  - get_variable: {name: never2, shape: [1]}\n",
	                              &s);
	if (!rep)
		return;
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->steps, 5);
	VS_ASSERT_INT(st->created, 1);
	VS_ASSERT_INT(st->uncaught, 1);
	VS_ASSERT_INT(vs_scn_report_ok(rep), 0);
	const vs_scn_entry *e = vs_scn_report_at(rep, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	VS_ASSERT_INT(e->kind, VS_SCN_ENT_UNCAUGHT);
	VS_ASSERT_INT(e->line, 7);
	CU_ASSERT(!strncmp(e->text, "ValueError: Variable a/b/v already exists, disallowed.", 54));
	/* every context manager was exited on the way out */
	VS_ASSERT_STR(vs_varscope_name(vs_get_variable_scope()), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	done(s, rep);
}

static void test_open_cms_and_exit(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("steps:\n"
	                              "  - variable_scope: {name: a, cm: ca}\n"
	                              "  - variable_scope: {name: b, cm: cb}\n"
	                              "    expect: {scope: a/b}\n"
	                              "  - exit: cb\n"
	                              "  - check:\n"
	                              "    expect: {scope: a}\n"
	                              "  - exit: cb\n"
	                              "    expect: {error: ValueError}\n",
	                              &s);
	if (!rep)
		return;
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->failed, 1);
	/* exiting a cm twice is a scenario error: it cannot be expected away */
	assert_entry(rep, 0, VS_SCN_ENT_FAILED, 9, 14, "main",
	             "error: expected ValueError, got invalid state: context manager 'cb' is not open");
	VS_ASSERT_STR(vs_varscope_name(vs_get_variable_scope()), "");
	done(s, rep);
}

static void test_no_variable(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("steps:\n"
	                              "  - op: Add\n"
	                              "    expect: {trainable: true, initializer: ~}\n",
	                              &s);
	if (!rep)
		return;
	VS_ASSERT_INT(vs_scn_report_stats(rep)->failed, 2);
	assert_entry(rep, 0, VS_SCN_ENT_FAILED, 3, 14, "main",
	             "trainable: the step produced no variable");
	assert_entry(rep, 1, VS_SCN_ENT_FAILED, 3, 31, "main",
	             "initializer: the step produced no variable");
	CU_ASSERT_PTR_NULL(vs_scn_report_at(rep, 2));
	done(s, rep);
}

/* every expectation about the step's variable fails alike without one, in
 * key order (the order the keys are evaluated and reported) */
static void test_no_variable_every_key(void)
{
	static const char *const keys[] = {
		"same_as", "not_same_as", "created", "trainable", "resource", "partitions", "shape",
		"dtype", "initializer", "constraint", "caching_device"};
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("steps:\n"
	                              "  - get_variable: {name: v, shape: [1], as: a}\n"
	                              "  - check: ~\n"
	                              "    expect:\n"
	                              "      caching_device: ~\n"
	                              "      constraint: ~\n"
	                              "      initializer: zeros\n"
	                              "      dtype: float32\n"
	                              "      shape: [1]\n"
	                              "      partitions: 1\n"
	                              "      resource: false\n"
	                              "      trainable: true\n"
	                              "      created: true\n"
	                              "      not_same_as: a\n"
	                              "      same_as: a\n",
	                              &s);
	if (!rep)
		return;
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->failed, 11);
	VS_ASSERT_INT(st->checks, 11);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		char want[128];
		snprintf(want, sizeof want, "%s: the step produced no variable", keys[i]);
		/* entry 0 is the creation of v; the keys stand in reverse order */
		assert_entry(rep, i + 1, VS_SCN_ENT_FAILED, 15 - (int)i, 7, "main", want);
	}
	CU_ASSERT_PTR_NULL(vs_scn_report_at(rep, 12));
	done(s, rep);
}

static void test_behaviours_and_templates(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml(
	    "getters:\n  g: {name_prefix: pre_}\n"
	    "creators:\n  c: {set: {trainable: false}}\n"
	    "functions:\n"
	    "  f:\n    - get_variable: {name: w, shape: [1]}\n"
	    "  bad:\n    - get_variable: {name: w, shape: [2], dtype: int32}\n"
	    "steps:\n"
	    "  - creator_scope: c\n"
	    "    body:\n"
	    "      - get_variable: {name: v, shape: [1], custom_getter: g}\n"
	    "        expect: {name: pre_v:0, trainable: false, calls: {g: 1, c: 1}}\n"
	    "  - make_template: {name: t, function: f, as: t}\n"
	    "  - call: t\n"
	    "  - call: t\n"
	    "    expect: {template: {template: t, calls: 2, trainable: [t/w:0]}}\n"
	    "  - make_template: {name: t, function: bad, unique_name: t, as: t2}\n"
	    "  - call: t2\n"
	    "    expect: {error: {kind: ValueError, prefix: \"Variable t/w already exists\"}}\n"
	    "  - call: t3\n"
	    "  - make_template: {name: t3, function: f, as: t3}\n",
	    &s);
	if (!rep)
		return;
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->failed, 0);
	VS_ASSERT_INT(st->created, 2);
	VS_ASSERT_INT(st->reused, 1);
	VS_ASSERT_INT(st->uncaught, 1);
	size_t n = vs_scn_report_count(rep);
	/* the error entry is placed where the error was raised: in the function
	 * body (line 9), though the call step (line 20) is the one that expects it */
	assert_entry(rep, n - 2, VS_SCN_ENT_ERROR, 9, 7, "main", vs_scn_report_at(rep, n - 2)->text);
	CU_ASSERT(!strncmp(vs_scn_report_at(rep, n - 2)->text, "ValueError: Variable t/w already", 32));
	assert_entry(rep, n - 1, VS_SCN_ENT_UNCAUGHT, 22, 5, "main",
	             "invalid state: template 't3' is not bound yet");
	done(s, rep);
}

static void test_runtime_config(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("config: {eager: true}\n"
	                              "steps:\n"
	                              "  - get_variable: {name: v, shape: [1]}\n"
	                              "    expect: {eager: true, resource: true}\n",
	                              &s);
	if (!rep)
		return;
	VS_ASSERT_INT(vs_scn_report_stats(rep)->failed, 0);
	VS_ASSERT_INT(vs_scn_report_stats(rep)->checks, 2);
	done(s, rep);
	/* the next run starts from a fresh (graph-mode) runtime */
	rep = run_yaml("steps:\n  - check:\n    expect: {eager: false}\n", &s);
	if (!rep)
		return;
	VS_ASSERT_INT(vs_scn_report_stats(rep)->failed, 0);
	done(s, rep);
}

/* ---------------------------------------------------------------- threads */

static const char *order_yaml =
	"threads:\n"
	"  t1:\n"
	"    - get_variable: {name: b, shape: [1]}\n"
	"    - yield: main\n"
	"    - get_variable: {name: d, shape: [1]}\n"
	"  t2:\n"
	"    - get_variable: {name: e, shape: [1]}\n"
	"steps:\n"
	"  - get_variable: {name: a, shape: [1]}\n"
	"  - start: t1\n"
	"  - start: t2\n"
	"  - yield: t1\n"
	"  - get_variable: {name: c, shape: [1]}\n"
	"  - join: t1\n";

static void test_deterministic_order(void)
{
	static const char *const want[] = {"a:0", "b:0", "c:0", "d:0", "e:0"};
	static const char *const who[] = {"main", "t1", "main", "t1", "t2"};
	for (int round = 0; round < 20; round++) {
		vs_scn *s = NULL;
		vs_scn_report *rep = run_yaml(order_yaml, &s);
		if (!rep)
			return;
		VS_ASSERT_INT(vs_scn_report_count(rep), 5);
		for (size_t i = 0; i < 5 && i < vs_scn_report_count(rep); i++) {
			VS_ASSERT_STR(vs_scn_report_at(rep, i)->text, want[i]);
			VS_ASSERT_STR(vs_scn_report_at(rep, i)->thread, who[i]);
		}
		done(s, rep);
	}
}

/* two threads that yield to each other: when the second ends, the thread
 * that handed it the baton has ended already; main gets it back */
static void test_mutual_yield(void)
{
	static const char *const want[] = {"x:0", "y:0", "z:0"};
	static const char *const who[] = {"a", "b", "main"};
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("threads:\n"
	                              "  a: [{yield: b}, {get_variable: {name: x, shape: [1]}}]\n"
	                              "  b: [{yield: a}, {get_variable: {name: y, shape: [1]}}]\n"
	                              "steps:\n"
	                              "  - start: a\n"
	                              "  - start: b\n"
	                              "  - yield: a\n"
	                              "  - get_variable: {name: z, shape: [1]}\n",
	                              &s);
	if (!rep)
		return;
	VS_ASSERT_INT(vs_scn_report_count(rep), 3);
	for (size_t i = 0; i < 3 && i < vs_scn_report_count(rep); i++) {
		VS_ASSERT_STR(vs_scn_report_at(rep, i)->text, want[i]);
		VS_ASSERT_STR(vs_scn_report_at(rep, i)->thread, who[i]);
	}
	done(s, rep);
}

static void test_thread_scopes(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("threads:\n"
	                              "  t:\n"
	                              "    - check:\n"
	                              "      expect: {scope: ''}\n"
	                              "    - variable_scope: {scope: m}\n"
	                              "      body:\n"
	                              "        - get_variable: {name: v, shape: [1]}\n"
	                              "          expect: {error: ValueError}\n"
	                              "steps:\n"
	                              "  - variable_scope: {name: main, as: m}\n"
	                              "    body:\n"
	                              "      - get_variable: {name: v, shape: [1]}\n"
	                              "      - start: t\n"
	                              "      - join: t\n",
	                              &s);
	if (!rep)
		return;
	VS_ASSERT_INT(vs_scn_report_stats(rep)->failed, 0);
	VS_ASSERT_INT(vs_scn_report_stats(rep)->errors, 1);
	assert_entry(rep, 1, VS_SCN_ENT_ERROR, 7, 11, "t", vs_scn_report_at(rep, 1)->text);
	done(s, rep);
}

static void test_free_interleave(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("interleave: free\n"
	                              "threads:\n"
	                              "  t1: [{get_variable: {name: x, shape: [1]}}, {yield: main}]\n"
	                              "  t2: [{get_variable: {name: y, shape: [1]}}]\n"
	                              "steps:\n"
	                              "  - start: t1\n"
	                              "  - start: t2\n"
	                              "  - join: t2\n"
	                              "  - join: t1\n"
	                              "  - check:\n"
	                              "    expect: {calls: {}}\n",
	                              &s);
	if (!rep)
		return;
	VS_ASSERT_INT(vs_scn_report_stats(rep)->created, 2);
	VS_ASSERT_INT(vs_scn_report_ok(rep), 1);
	done(s, rep);
}

static void test_thread_misuse(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = NULL;
	vs_error e;
	const char *yaml = "threads:\n  t: []\nsteps:\n  - start: t\n  - start: t\n";
	vs_error_init(&e);
	VS_ASSERT_INT(vs_scn_load_string(&s, "x.yaml", yaml, strlen(yaml), &e), 0);
	VS_ASSERT_INT(vs_scn_run(s, &rep, &e), VS_ERR_STATE);
	VS_ASSERT_STR(e.msg, "x.yaml:5:5: thread 't' was already started");
	CU_ASSERT_PTR_NULL(rep);
	vs_runtime_reset();
	vs_scn_free(s);
	/* two threads joining each other: refused instead of waiting forever */
	yaml = "threads:\n"
	       "  t1: [{join: t2}]\n"
	       "  t2: [{yield: main}, {join: t1}]\n"
	       "steps: [{start: t1}, {start: t2}, {yield: t2}, {yield: t1}]\n";
	VS_ASSERT_INT(vs_scn_load_string(&s, "x.yaml", yaml, strlen(yaml), &e), 0);
	VS_ASSERT_INT(vs_scn_run(s, &rep, &e), VS_ERR_STATE);
	VS_ASSERT_STR(e.msg, "x.yaml:3:24: joining thread 't1' would never end (it is joining this "
	                     "thread)");
	CU_ASSERT_PTR_NULL(rep);
	vs_runtime_reset();
	vs_scn_free(s);
}

/* a chain of 300 calls, each to the next function: the run stops it at
 * VS_SCN_MAX_RUN_DEPTH nested lists with a RuntimeError (catchable, like
 * Python's RecursionError), on the main thread and on a scenario thread */
static void test_call_depth_limit(void)
{
	size_t cap = 64 * 1024, n = 0;
	char *y = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(y);
	n += (size_t)sprintf(y + n, "functions:\n");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(y + n, "  f%d: [{call: {function: f%d}}]\n", i, i + 1);
	n += (size_t)sprintf(y + n, "  f300: [{get_variable: v}]\n"
	                            "threads:\n  t: [{call: {function: f0}}]\n"
	                            "steps:\n"
	                            "  - call: {function: f0}\n"
	                            "    expect: {error: RuntimeError}\n"
	                            "  - start: t\n"
	                            "  - join: t\n");
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml(y, &s);
	free(y);
	if (!rep)
		return;
	const char *msg = "RuntimeError: maximum nesting depth exceeded: 256 step lists (bodies "
	                  "and calls) are running on this thread";
	VS_ASSERT_INT(vs_scn_report_count(rep), 2);
	/* main runs f0..f254 in lists 2..256; f255's list is the 257th */
	assert_entry(rep, 0, VS_SCN_ENT_ERROR, 257, 11, "main", msg);
	assert_entry(rep, 1, VS_SCN_ENT_UNCAUGHT, 257, 11, "t", msg);
	const vs_scn_stats *st = vs_scn_report_stats(rep);
	VS_ASSERT_INT(st->errors, 2);
	VS_ASSERT_INT(st->uncaught, 1);
	VS_ASSERT_INT(st->created, 0);
	done(s, rep);
}

/* The allocation-failure loop over the scenario runner: with the n-th
 * hooked allocation (and every later one) failing, for n = 0, 1, ..., a run
 * either fails with VS_ERR_NOMEM "out of memory" or completes with a
 * report in which every error is the runtime's "out of memory"; never a
 * crash or a leak (ASan, valgrind).  The loop ends at the first n whose run
 * passes whole. */
static void test_alloc_failures(void)
{
	static const char *yaml = "getters:\n  g: {set: {trainable: false}}\n"
	                          "creators:\n  c: ~\n"
	                          "functions:\n  dense:\n    - get_variable: {name: w, shape: [2]}\n"
	                          "steps:\n"
	                          "  - variable_scope: {name: m, custom_getter: g}\n"
	                          "    body:\n"
	                          "      - creator_scope: c\n"
	                          "        body:\n"
	                          "          - get_variable: {name: v, shape: [1, 2]}\n"
	                          "      - make_template: {name: t, function: dense, as: t}\n"
	                          "      - call: t\n"
	                          "      - call: t\n"
	                          "      - name_scope: n\n"
	                          "        body: [{op: Add}]\n";
	vs_scn *s = NULL;
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_scn_load_string(&s, "oom.yaml", yaml, strlen(yaml), &err), 0);
	if (!s)
		return;
	long n, failing = 0;
	for (n = 0; n < 10000; n++) {
		vs_scn_report *rep = NULL;
		vs_runtime_reset();
		vs_error_init(&err);
		rt_alloc_fail_after(n);
		int rc = vs_scn_run(s, &rep, &err);
		rt_alloc_fail_after(-1);
		if (rc < 0) {
			VS_ASSERT_INT(rc, VS_ERR_NOMEM);
			VS_ASSERT_STR(err.msg, "out of memory");
			failing++;
			continue;
		}
		int ok = vs_scn_report_ok(rep);
		for (size_t i = 0; i < vs_scn_report_count(rep); i++) {
			const vs_scn_entry *e = vs_scn_report_at(rep, i);
			if (e->kind == VS_SCN_ENT_UNCAUGHT || e->kind == VS_SCN_ENT_ERROR)
				CU_ASSERT(strstr(e->text, "out of memory") != NULL);
		}
		vs_scn_report_free(rep);
		if (ok)
			break;
		failing++;
	}
	CU_ASSERT(n < 10000);
	CU_ASSERT(failing > 10); /* the loop did reach into the run */
	vs_runtime_reset();
	vs_scn_free(s);
}

VS_SUITE_FN(scenario_exec)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_created_reused), VS_TEST(test_failed_expectations),
		VS_TEST(test_expected_errors), VS_TEST(test_uncaught_unwinds),
		VS_TEST(test_open_cms_and_exit), VS_TEST(test_no_variable),
		VS_TEST(test_no_variable_every_key),
		VS_TEST(test_behaviours_and_templates),
		VS_TEST(test_runtime_config), VS_TEST(test_alloc_failures), VS_TEST_END};
	static const vs_test_case thread_cases[] = {
		VS_TEST(test_call_depth_limit), VS_TEST(test_deterministic_order), VS_TEST(test_mutual_yield),
		VS_TEST(test_thread_scopes),
		VS_TEST(test_free_interleave), VS_TEST(test_thread_misuse), VS_TEST_END};
	vs_test_add_suite("scenario_exec", NULL, NULL, cases);
	vs_test_add_suite("scenario_exec_threads", NULL, NULL, thread_cases);
}
