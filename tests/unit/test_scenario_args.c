/* SPDX-License-Identifier: MIT */
/*
 * tests for the argument kinds of scenario steps that no scenario file
 * used (found by the coverage audit): `regularizer: returns_none` versus
 * `adds_loss`, `partitioner: {parts: [..]}` (explicit partition counts)
 * and `partitioner: not_sequence` (TF's "must return a sequence" error),
 * and the text of a failed `reuse` expectation.
 * Each run is checked by its expectations (report ok) and by the runtime
 * state it leaves behind.
 */
#include <stdlib.h>

#include "scenario/scenario.h"
#include "tests/unit/harness.h"
#include "vs/vs.h"

/* loads and runs yaml; NULL (after failed asserts) on a load/run error */
static vs_scn_report *run_yaml(const char *yaml, vs_scn **out_s)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = NULL;
	vs_error e;
	vs_error_init(&e);
	*out_s = NULL;
	VS_ASSERT_INT(vs_scn_load_string(&s, "args.yaml", yaml, strlen(yaml), &e), 0);
	VS_ASSERT_STR(e.msg, "");
	if (!s)
		return NULL;
	VS_ASSERT_INT(vs_scn_run(s, &rep, &e), 0);
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

/* the report passed; on failure print its entries */
static void assert_ok(const vs_scn_report *rep)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep);
	int ok = vs_scn_report_ok(rep);
	VS_ASSERT_INT(ok, 1);
	for (size_t i = 0; !ok && i < vs_scn_report_count(rep); i++)
		fprintf(stderr, "  %d:%d %s\n", vs_scn_report_at(rep, i)->line,
		        vs_scn_report_at(rep, i)->col, vs_scn_report_at(rep, i)->text);
}

static void test_regularizer_kinds(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml(
	        "steps:\n"
	        "  - get_variable: {name: a, shape: [1], regularizer: adds_loss}\n"
	        "  - get_variable: {name: b, shape: [1], regularizer: returns_none}\n"
	        "  - get_variable: {name: c, shape: [1]}\n"
	        "    expect: {collection: {regularization_losses: [a:0]}}\n",
	        &s);
	assert_ok(rep);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 1);
	VS_ASSERT_STR(vs_var_name(vs_collection_get(NULL, VS_REGULARIZATION_LOSSES, 0)), "a:0");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 3);
	done(s, rep);
}

static void test_partitioner_parts(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml(
	        "steps:\n"
	        "  - get_variable: {name: p, shape: [4, 2], partitioner: {parts: [2, 1]}, as: p}\n"
	        "    expect: {partitions: 2, shape: [4, 2]}\n"
	        "  - get_variable: {name: q, shape: [4, 2], partitioner: {parts: [2]}}\n"
	        "    expect: {error: {kind: ValueError, message: \"Partitioner returned a "
	        "partition list that does not match the Variable's rank: [2] vs. (4, 2)\"}}\n"
	        "  - get_variable: {name: r, shape: [4, 2], partitioner: {parts: [2, 2]}}\n"
	        "    expect: {error: {kind: ValueError, message: \"Can only slice a variable along "
	        "one dimension: shape: (4, 2), partitioning: [2, 2]\"}}\n",
	        &s);
	assert_ok(rep);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
	VS_ASSERT_STR(vs_var_name(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 0)), "p/part_0:0");
	VS_ASSERT_STR(vs_var_name(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 1)), "p/part_1:0");
	done(s, rep);
}

static void test_partitioner_not_sequence(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml(
	        "steps:\n"
	        "  - get_variable: {name: p, shape: [4], partitioner: not_sequence}\n"
	        "    expect: {error: {kind: ValueError, message: \"Partitioner must return a "
	        "sequence, but saw: not_sequence\"}}\n",
	        &s);
	assert_ok(rep);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	done(s, rep);
}

/* a failed reuse expectation names both values (true/false/auto) */
static void test_reuse_expectation_fails(void)
{
	vs_scn *s = NULL;
	vs_scn_report *rep = run_yaml("steps:\n"
	                              "  - variable_scope: {name: foo, reuse: auto}\n"
	                              "    body:\n"
	                              "      - get_variable: {name: v, shape: [1]}\n"
	                              "        expect: {reuse: true}\n"
	                              "      - get_variable: {name: v, shape: [1]}\n"
	                              "        expect: {reuse: auto}\n",
	                              &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep);
	VS_ASSERT_INT(vs_scn_report_ok(rep), 0);
	size_t failed = 0;
	for (size_t i = 0; i < vs_scn_report_count(rep); i++) {
		const vs_scn_entry *e = vs_scn_report_at(rep, i);
		if (e->kind != VS_SCN_ENT_FAILED)
			continue;
		failed++;
		VS_ASSERT_INT(e->line, 5);
		VS_ASSERT_INT(e->col, 18); /* the key "reuse" */
		VS_ASSERT_STR(e->text, "reuse: expected true, got auto");
	}
	VS_ASSERT_INT(failed, 1);
	done(s, rep);
}

VS_SUITE_FN(scenario_args)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_regularizer_kinds),
		VS_TEST(test_partitioner_parts),
		VS_TEST(test_partitioner_not_sequence),
		VS_TEST(test_reuse_expectation_fails),
		VS_TEST_END};
	vs_test_add_suite("scenario_args", NULL, NULL, cases);
}
