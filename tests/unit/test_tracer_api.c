/* SPDX-License-Identifier: MIT */
/*
 * tests for the small public helpers of libvs that the conformance suites
 * only reach in passing: the name tables (error codes, outcomes,
 * initializers, dtypes), graph names, vs_unique_name's argument checks and
 * vs_runtime_shutdown (the runtime must be usable again after it).
 */
#include "tests/unit/tracer_testutil.h"
#include "vs/event.h"
#include "vs/sink.h"

static int api_init(void)
{
	vs_runtime_reset();
	return 0;
}

static void test_err_names(void)
{
	VS_ASSERT_STR(vs_err_name(VS_OK), "success");
	VS_ASSERT_STR(vs_err_name(VS_ERR_VALUE), "ValueError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_RUNTIME), "RuntimeError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_TYPE), "TypeError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_ASSERTION), "AssertionError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_NOT_IMPLEMENTED), "NotImplementedError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_ATTRIBUTE), "AttributeError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_NOMEM), "out of memory");
	VS_ASSERT_STR(vs_err_name(VS_ERR_INVALID), "invalid argument");
	VS_ASSERT_STR(vs_err_name(VS_ERR_IO), "i/o error");
	VS_ASSERT_STR(vs_err_name(VS_ERR_FORMAT), "malformed input");
	VS_ASSERT_STR(vs_err_name(VS_ERR_VERSION), "unsupported version");
	VS_ASSERT_STR(vs_err_name(VS_ERR_NOT_FOUND), "not found");
	VS_ASSERT_STR(vs_err_name(VS_ERR_USAGE), "usage error");
	VS_ASSERT_STR(vs_err_name(VS_ERR_STATE), "invalid state");
	VS_ASSERT_STR(vs_err_name(VS_ERR_INTERNAL), "internal error");
	VS_ASSERT_STR(vs_err_name(-7), "unknown error");
	VS_ASSERT_STR(vs_err_name(1), "unknown error");
	/* the TF kinds are exactly -1..-6 */
	VS_ASSERT_INT(vs_err_is_tf(VS_OK), 0);
	VS_ASSERT_INT(vs_err_is_tf(VS_ERR_VALUE), 1);
	VS_ASSERT_INT(vs_err_is_tf(VS_ERR_ATTRIBUTE), 1);
	VS_ASSERT_INT(vs_err_is_tf(-7), 0);
	VS_ASSERT_INT(vs_err_is_tf(VS_ERR_NOMEM), 0);
}

static void test_outcome_names(void)
{
	VS_ASSERT_STR(vs_outcome_name(VS_OUT_CREATED), "created");
	VS_ASSERT_STR(vs_outcome_name(VS_OUT_REUSED), "reused");
	VS_ASSERT_STR(vs_outcome_name(VS_OUT_ERROR), "error");
	VS_ASSERT_STR(vs_outcome_name(VS_OUT_OTHER), "other");
	VS_ASSERT_STR(vs_outcome_name(0), "");
	VS_ASSERT_STR(vs_outcome_name(200), "");
}

static void test_init_kind_names(void)
{
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_NONE), "None");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_ZEROS), "zeros");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_ONES), "ones");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_CONSTANT), "constant");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_GLOROT_UNIFORM), "glorot_uniform");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_RANDOM_NORMAL), "random_normal");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_RANDOM_UNIFORM), "random_uniform");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_TRUNCATED_NORMAL), "truncated_normal");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_KERAS), "keras");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_LAMBDA), "lambda");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_VALUE), "value");
	VS_ASSERT_STR(vs_init_kind_name((vs_init_kind)99), "unknown");
}

static void test_dtype_names_round_trip(void)
{
	for (unsigned i = 1; i < VS_DT__COUNT; i++) {
		const char *n = vs_dtype_name((vs_dtype)i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		VS_ASSERT_INT(vs_dtype_from_name(n), i);
	}
	VS_ASSERT_STR(vs_dtype_name(VS_DT_FLOAT32), "float32");
	VS_ASSERT_INT(vs_dtype_from_name("int32"), VS_DT_INT32);
	VS_ASSERT_INT(vs_dtype_from_name(NULL), VS_DT_NONE);
	VS_ASSERT_INT(vs_dtype_from_name("float"), VS_DT_NONE);
	VS_ASSERT_INT(vs_dtype_from_name(""), VS_DT_NONE);
	CU_ASSERT_PTR_NULL(vs_dtype_name(VS_DT__COUNT));
}

static void test_graph_names(void)
{
	vs_error err;
	vs_graph *g = NULL, *f = NULL;
	vs_cm *cm;
	vs_error_init(&err);
	vs_runtime_reset();
	VS_ASSERT_INT(vs_graph_new(&g, "train", &err), 0);
	VS_ASSERT_STR(vs_graph_name(g), "train");
	CU_ASSERT_PTR_NULL(vs_graph_outer(g));
	VS_ASSERT_INT(vs_graph_building_function(g), 0);
	VS_ASSERT_INT(vs_graph_as_default(&cm, g, &err), 0);
	VS_ASSERT_INT(vs_func_graph_new(&f, "fn", &err), 0);
	VS_ASSERT_STR(vs_graph_name(f), "fn");
	CU_ASSERT_PTR_EQUAL(vs_graph_outer(f), g);
	VS_ASSERT_INT(vs_graph_building_function(f), 1);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	CU_ASSERT_PTR_NULL(vs_graph_name(NULL));
	VS_ASSERT_INT(vs_graph_id(NULL), 0);
	CU_ASSERT(vs_graph_id(f) > vs_graph_id(g));
}

static void test_unique_name_args(void)
{
	vs_error err;
	char buf[64];
	vs_error_init(&err);
	vs_runtime_reset();
	VS_ASSERT_INT(vs_unique_name(NULL, 1, buf, sizeof buf, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "no name");
	VS_ASSERT_INT(vs_unique_name("dense", 1, buf, sizeof buf, &err), 0);
	VS_ASSERT_STR(buf, "dense");
	/* not marked: the next call sees the same candidate */
	VS_ASSERT_INT(vs_unique_name("dense", 0, buf, sizeof buf, &err), 0);
	VS_ASSERT_STR(buf, "dense_1");
	VS_ASSERT_INT(vs_unique_name("dense", 1, NULL, 0, &err), 0);
	VS_ASSERT_INT(vs_unique_name("dense", 1, buf, 4, &err), 0);
	VS_ASSERT_STR(buf, "den");
}

/* shutdown detaches the sink (after flushing it), forgets every object and
 * every interned string; the next call starts a fresh runtime */
static void test_runtime_shutdown(void)
{
	vs_error err;
	vs_memsink *ms = vs_memsink_new();
	vs_cm *cm;
	vs_var *v = NULL;
	vs_error_init(&err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
	vs_runtime_reset();
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_trace_enabled(), 1);
	VS_ASSERT_INT(vs_variable_scope(&cm, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_STR(vs_var_name(v), "foo/v:0");
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	vs_runtime_shutdown();
	VS_ASSERT_INT(vs_trace_enabled(), 0);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VAR_CREATE), 1);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VARSCOPE_EXIT), 1);
	size_t n = vs_memsink_count(ms);
	/* a second shutdown is harmless */
	vs_runtime_shutdown();
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	VS_ASSERT_INT(vs_variable_scope(&cm, "foo", NULL, &err), 0);
	CU_ASSERT_PTR_NULL(vs_cm_name(cm)); /* only name scopes have one */
	VS_ASSERT_STR(vs_varscope_name(vs_cm_varscope(cm)), "foo");
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_STR(vs_var_name(v), "foo/v:0");
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	/* detached: nothing more reached the sink */
	VS_ASSERT_INT(vs_memsink_count(ms), n);
	vs_memsink_free(ms);
	vs_runtime_reset();
}

/* vs_op: a missing type is the caller's bug; a name ending in '/' is taken
 * literally (TF's name_from_scope_name), without uniquifying */
static void test_op_names(void)
{
	vs_error err;
	vs_op *op = NULL, *op2 = NULL;
	vs_error_init(&err);
	vs_runtime_reset();
	VS_ASSERT_INT(vs_op(&op, NULL, "x", &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "op without a type");
	CU_ASSERT_PTR_NULL(op);
	VS_ASSERT_INT(vs_op(&op, "MatMul", "layer/", &err), 0);
	VS_ASSERT_STR(vs_op_name(op), "layer");
	VS_ASSERT_INT(vs_op(&op2, "MatMul", "layer/", &err), 0);
	VS_ASSERT_STR(vs_op_name(op2), "layer");
	/* as in TF's create_op, the literal name is not marked as used */
	VS_ASSERT_INT(vs_op(&op2, "MatMul", "layer", &err), 0);
	VS_ASSERT_STR(vs_op_name(op2), "layer");
	VS_ASSERT_INT(vs_op(&op2, "MatMul", "layer", &err), 0);
	VS_ASSERT_STR(vs_op_name(op2), "layer_1");
	VS_ASSERT_INT(vs_op(&op2, "MatMul", NULL, &err), 0);
	VS_ASSERT_STR(vs_op_name(op2), "MatMul");
}

VS_SUITE_FN(tracer_api)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_err_names),
		VS_TEST(test_outcome_names),
		VS_TEST(test_init_kind_names),
		VS_TEST(test_dtype_names_round_trip),
		VS_TEST(test_graph_names),
		VS_TEST(test_unique_name_args),
		VS_TEST(test_op_names),
		VS_TEST(test_runtime_shutdown),
		VS_TEST_END};
	vs_test_add_suite("tracer_api", api_init, NULL, cases);
}
