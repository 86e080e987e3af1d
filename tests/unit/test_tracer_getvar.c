/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for get_variable / get_local_variable (docs/semantics.md
 * section 2): the reuse decision table, E1-E8 with their exact texts, shape
 * and dtype compatibility, default initializers, collections, regularizers
 * and the op-name collision that gives a store key "foo/v" the name
 * "foo/v_1:0".  Each failing call must leave the store unchanged.
 */
#include "tests/unit/tracer_testutil.h"

static size_t n_global(void)
{
	return vs_collection_size(NULL, VS_GLOBAL_VARIABLES);
}

static size_t n_trainable(void)
{
	return vs_collection_size(NULL, VS_TRAINABLE_VARIABLES);
}

static void test_create_at_root(void)
{
	rtt_reset();
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(2, 3));
	VS_ASSERT_STR(vs_var_name(v), "v:0");
	VS_ASSERT_STR(vs_var_op_name(v), "v");
	VS_ASSERT_STR(vs_var_store_key(v), "v");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(v)), "(2, 3)");
	VS_ASSERT_INT(vs_var_dtype(v), VS_DT_FLOAT32);
	VS_ASSERT_INT(vs_var_trainable(v), 1);
	VS_ASSERT_INT(vs_var_is_resource(v), 0);
	VS_ASSERT_INT(vs_var_graph(v) == vs_default_graph(), 1);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(v)), VS_INIT_GLOROT_UNIFORM);
	VS_ASSERT_INT(vs_var_num_partitions(v), 0);
	VS_ASSERT_INT(n_global(), 1);
	VS_ASSERT_INT(n_trainable(), 1);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 0) == v, 1);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_TRAINABLE_VARIABLES, 0) == v, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_LOCAL_VARIABLES), 0);
}

static void test_e1_exists_ref_variable(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE("foo", NULL);
	vs_error_init(&e);
	int first_line = __LINE__ + 1;
	VS_ASSERT_INT(vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e), 0);
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	/* reference variables append " Originally defined at:\n\n<frames>" */
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	VS_ASSERT_INT(e.code, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("foo/v") " Originally defined at:\n\n");
	/* the frame is the first definition's call site, not this call's */
	char frame[128];
	snprintf(frame, sizeof frame, "line %d, in %s", first_line, __func__);
	RTT_ASSERT_CONTAINS(e.msg, frame);
	VS_ASSERT_INT(n_global(), 1);
	EXIT(a);
}

static void test_e1_exists_resource_variable_exact(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE("foo", (&(vs_varscope_opts){.use_resource = VS_TRUE}));
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(vs_var_is_resource(v), 1);
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E1("foo/v"));
	VS_ASSERT_INT(n_global(), 1);
	EXIT(a);
}

static void test_e1_exists_with_default_resource(void)
{
	rtt_reset_config(VS_UNSET, VS_TRUE);
	vs_var *out = NULL;
	vs_error e;
	vs_var *v = GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_INT(vs_var_is_resource(v), 1);
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "w", NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E1("w"));
	rtt_reset();
}

static void test_reuse_true_returns_existing(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	/* no shape at all is compatible */
	VS_ASSERT_INT(GETVAR("v", NULL) == v, 1);
	EXIT(a);
	VS_ASSERT_INT(n_global(), 1);
}

static void test_auto_reuse_get_or_create(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE_REUSE("foo", VS_REUSE_AUTO);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "foo/v:0");
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	VS_ASSERT_INT(n_global(), 1);
	EXIT(a);
	a = VSCOPE_REUSE("foo", VS_REUSE_AUTO);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	vs_var *w = GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(w), "foo/w:0");
	EXIT(a);
	VS_ASSERT_INT(n_global(), 2);
}

static void test_e2_missing_with_reuse(void)
{
	rtt_reset();
	vs_var *out = (vs_var *)1;
	vs_error e;
	vs_cm *a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E2("foo/v"));
	VS_ASSERT_INT(n_global(), 0);
	EXIT(a);
	/* nothing was remembered: a non-reusing scope creates it normally */
	a = VSCOPE("foo", NULL);
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("v", VS_SHAPE(1))), "foo/v:0");
	EXIT(a);
}

static void test_e3_shape_mismatch(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE_REUSE("rnn", VS_REUSE_AUTO);
	vs_cm *b = VSCOPE("multi_rnn_cell", NULL);
	vs_cm *c = VSCOPE("cell_0", NULL);
	vs_cm *d = VSCOPE("basic_rnn_cell", NULL);
	vs_var *k = GETVAR_SHAPE("kernel", VS_SHAPE(178, 150));
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "kernel", (&(vs_var_opts){.shape = VS_SHAPE(300, 150)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               RTT_E3("rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel", "(300, 150)",
	                      "(178, 150)"));
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(k)), "(178, 150)");
	VS_ASSERT_INT(n_global(), 1);
	EXIT(d);
	EXIT(c);
	EXIT(b);
	EXIT(a);
}

static void test_e3_rank_and_scalar(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_AUTO);
	GETVAR_SHAPE("v", VS_SHAPE(2));
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(2, 1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E3("s/v", "(2, 1)", "(2,)"));
	vs_error_init(&e);
	rc = vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SCALAR}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E3("s/v", "()", "(2,)"));
	EXIT(a);
}

static void test_shape_compatibility(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_AUTO);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(2, 3));
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(2, VS_DIM_UNKNOWN)) == v, 1);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(VS_DIM_UNKNOWN, VS_DIM_UNKNOWN)) == v, 1);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE_UNKNOWN_RANK) == v, 1);
	VS_ASSERT_INT(GETVAR("v", NULL) == v, 1);
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(VS_DIM_UNKNOWN, 4)}),
	                         &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E3("s/v", "(?, 4)", "(2, 3)"));
	EXIT(a);
}

static void test_e4_dtype_mismatch(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_AUTO);
	vs_var *i = GETVAR("i", (&(vs_var_opts){.shape = VS_SHAPE(2), .dtype = VS_DT_INT32}));
	VS_ASSERT_INT(vs_var_dtype(i), VS_DT_INT32);
	/* the scope dtype (float32) is filled in before the check */
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "i", &(vs_var_opts){.shape = VS_SHAPE(2)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E4("s/i", "float32", "int32_ref"));
	vs_error_init(&e);
	rc = vs_get_variable(&out, "i", &(vs_var_opts){.dtype = VS_DT_INT64}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E4("s/i", "int64", "int32_ref"));
	VS_ASSERT_INT(GETVAR("i", (&(vs_var_opts){.dtype = VS_DT_INT32})) == i, 1);
	VS_ASSERT_INT(n_global(), 1);
	EXIT(a);
}

static void test_e5_constant_with_shape(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_initializer val = {.kind = VS_INIT_VALUE, .value = 1.0, .dtype = VS_DT_FLOAT32,
	                      .shape = VS_SHAPE(2)};
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "c", (&(vs_var_opts){.shape = VS_SHAPE(2), .initializer = &val}),
	                         &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E5);
	VS_ASSERT_INT(n_global(), 0);
	/* checked before existence: also for a variable that exists, under reuse */
	GETVAR("c", (&(vs_var_opts){.initializer = &val}));
	vs_cm *a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = vs_get_variable_scope(),
	                                            .reuse = VS_REUSE_TRUE}));
	vs_error_init(&e);
	rc = vs_get_variable(&out, "c", (&(vs_var_opts){.shape = VS_SHAPE(2), .initializer = &val}),
	                     &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E5);
	EXIT(a);
}

static void test_value_initializer_gives_shape_and_dtype(void)
{
	rtt_reset();
	vs_initializer val = {.kind = VS_INIT_VALUE, .value = 3.0, .dtype = VS_DT_FLOAT32,
	                      .shape = VS_SHAPE(4)};
	vs_var *c = GETVAR("c", (&(vs_var_opts){.initializer = &val}));
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(c)), "(4,)");
	VS_ASSERT_INT(vs_var_dtype(c), VS_DT_FLOAT32);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(c)), VS_INIT_VALUE);
	vs_initializer sc = {.kind = VS_INIT_VALUE, .value = 1.0, .dtype = VS_DT_FLOAT32};
	vs_var *s = GETVAR("s", (&(vs_var_opts){.initializer = &sc}));
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(s)), "()");
}

static void test_e6_initializer_dtype_mismatch(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_initializer val = {.kind = VS_INIT_VALUE, .value = 1, .dtype = VS_DT_INT32};
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "c", (&(vs_var_opts){.dtype = VS_DT_FLOAT32, .initializer = &val}),
	                         &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E6("<dtype: 'int32'>", "<dtype: 'float32'>"));
	VS_ASSERT_INT(n_global(), 0);
	/* a callable initializer is never checked against dtype */
	vs_initializer z = {.kind = VS_INIT_ZEROS, .dtype = VS_DT_INT32};
	vs_var *v = GETVAR("z", (&(vs_var_opts){.shape = VS_SHAPE(1), .dtype = VS_DT_FLOAT32,
	                                        .initializer = &z}));
	VS_ASSERT_INT(vs_var_dtype(v), VS_DT_FLOAT32);
	/* without an explicit dtype the value's dtype is used */
	vs_var *w = GETVAR("w", (&(vs_var_opts){.initializer = &val}));
	VS_ASSERT_INT(vs_var_dtype(w), VS_DT_INT32);
}

static void test_e7_initializer_not_valid(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "u", NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E7);
	vs_error_init(&e);
	rc = vs_get_variable(&out, "p", (&(vs_var_opts){.shape = VS_SHAPE(VS_DIM_UNKNOWN, 3)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E7);
	vs_error_init(&e);
	rc = vs_get_variable(&out, "k", &(vs_var_opts){.initializer = VS_INIT(VS_INIT_KERAS)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E7);
	VS_ASSERT_INT(n_global(), 0);
	/* a zero-argument callable needs no shape */
	vs_var *l = GETVAR("l", (&(vs_var_opts){.initializer = VS_INIT(VS_INIT_LAMBDA)}));
	VS_ASSERT_STR(vs_var_name(l), "l:0");
	VS_ASSERT_INT(n_global(), 1);
}

static void test_e8_no_default_initializer(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE("s", NULL);
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "c", (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                                   .dtype = VS_DT_COMPLEX64}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E8("s/c", "<dtype: 'complex64'>"));
	VS_ASSERT_INT(n_global(), 0);
	EXIT(a);
}

static void test_default_initializers_by_dtype(void)
{
	rtt_reset();
	static const struct {
		vs_dtype dt;
		vs_init_kind want;
	} cases[] = {
		{VS_DT_FLOAT32, VS_INIT_GLOROT_UNIFORM}, {VS_DT_FLOAT64, VS_INIT_GLOROT_UNIFORM},
		{VS_DT_FLOAT16, VS_INIT_GLOROT_UNIFORM}, {VS_DT_INT32, VS_INIT_ZEROS},
		{VS_DT_INT64, VS_INIT_ZEROS},            {VS_DT_UINT8, VS_INIT_ZEROS},
		{VS_DT_BOOL, VS_INIT_ZEROS},             {VS_DT_STRING, VS_INIT_ZEROS},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[16];
		snprintf(name, sizeof name, "v%zu", i);
		vs_var *v = GETVAR(name, (&(vs_var_opts){.shape = VS_SHAPE(1), .dtype = cases[i].dt}));
		VS_ASSERT_INT(vs_var_dtype(v), cases[i].dt);
		VS_ASSERT_INT(rtt_kind(vs_var_initializer(v)), cases[i].want);
	}
	/* an explicit initializer beats the scope's, which beats the default */
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.initializer = VS_INIT(VS_INIT_ONES)}));
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(GETVAR_SHAPE("x", VS_SHAPE(1)))), VS_INIT_ONES);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(GETVAR("y", (&(vs_var_opts){
	                  .shape = VS_SHAPE(1), .initializer = VS_INIT(VS_INIT_RANDOM_NORMAL)})))),
	              VS_INIT_RANDOM_NORMAL);
	EXIT(a);
}

static void test_collections_argument(void)
{
	rtt_reset();
	static const char *const foo[] = {"foo", NULL};
	vs_var *v = GETVAR("v", (&(vs_var_opts){.shape = VS_SHAPE(1), .collections = foo}));
	VS_ASSERT_INT(vs_collection_size(NULL, "foo"), 1);
	VS_ASSERT_INT(vs_collection_get(NULL, "foo", 0) == v, 1);
	VS_ASSERT_INT(n_trainable(), 1);
	VS_ASSERT_INT(n_global(), 0);
	vs_var *n = GETVAR("n", (&(vs_var_opts){.shape = VS_SHAPE(1), .trainable = VS_FALSE}));
	VS_ASSERT_INT(vs_var_trainable(n), 0);
	VS_ASSERT_INT(n_trainable(), 1);
	VS_ASSERT_INT(n_global(), 1);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 0) == n, 1);
}

static void test_trainable_and_synchronization(void)
{
	rtt_reset();
	vs_var *r = GETVAR("r", (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                        .synchronization = VS_SYNC_ON_READ}));
	VS_ASSERT_INT(vs_var_trainable(r), 0);
	vs_var *t = GETVAR("t", (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                        .synchronization = VS_SYNC_ON_READ,
	                                        .trainable = VS_TRUE}));
	VS_ASSERT_INT(vs_var_trainable(t), 1);
	vs_var *w = GETVAR("w", (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                        .synchronization = VS_SYNC_ON_WRITE}));
	VS_ASSERT_INT(vs_var_trainable(w), 1);
	VS_ASSERT_INT(n_trainable(), 2);
	VS_ASSERT_INT(n_global(), 3);
}

static void test_reuse_ignores_creation_args(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_AUTO);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_var *again = GETVAR("v", (&(vs_var_opts){.shape = VS_SHAPE(1), .trainable = VS_FALSE,
	                                            .initializer = VS_INIT(VS_INIT_ONES)}));
	VS_ASSERT_INT(again == v, 1);
	VS_ASSERT_INT(vs_var_trainable(v), 1);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(v)), VS_INIT_GLOROT_UNIFORM);
	EXIT(a);
}

static void test_get_local_variable(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE("s", NULL);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_get_local_variable(&out, "loc", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e), 0);
	VS_ASSERT_STR(out ? vs_var_name(out) : NULL, "s/loc:0");
	VS_ASSERT_INT(out && !vs_var_trainable(out), 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_LOCAL_VARIABLES), 1);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_LOCAL_VARIABLES, 0) == out, 1);
	VS_ASSERT_INT(n_global(), 0);
	VS_ASSERT_INT(n_trainable(), 0);
	/* same naming and reuse rules as get_variable */
	vs_var *again = NULL;
	vs_error_init(&e);
	int rc = vs_get_local_variable(&again, "loc", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("s/loc"));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_LOCAL_VARIABLES), 1);
	EXIT(a);
	a = VSCOPE_REUSE("s", VS_REUSE_TRUE);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_get_local_variable(&again, "loc", NULL, &e), 0);
	VS_ASSERT_INT(again == out, 1);
	EXIT(a);
}

static void test_get_local_variable_collections(void)
{
	rtt_reset();
	static const char *const foo[] = {"foo", NULL};
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_get_local_variable(&out, "l", (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                                             .collections = foo}), &e), 0);
	VS_ASSERT_INT(vs_collection_size(NULL, "foo"), 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_LOCAL_VARIABLES), 1);
	VS_ASSERT_INT(n_global(), 0);
	VS_ASSERT_INT(n_trainable(), 0);
}

static void test_op_name_collision(void)
{
	rtt_reset();
	vs_cm *n = NSCOPE("foo");
	vs_var *d = VARIABLE(&(vs_creator_args){.name = "v"});
	VS_ASSERT_STR(vs_var_name(d), "foo/v:0");
	VS_ASSERT_INT(vs_var_store_key(d) == NULL, 1);
	EXIT(n);
	vs_cm *a = VSCOPE("foo", NULL);
	VS_ASSERT_STR(vs_get_name_scope(), "foo_1");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_store_key(v), "foo/v");
	VS_ASSERT_STR(vs_var_op_name(v), "foo/v_1");
	VS_ASSERT_STR(vs_var_name(v), "foo/v_1:0");
	EXIT(a);
	/* the store key is what reuse finds */
	a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	EXIT(a);
}

static void test_get_variable_runs_at_root_name_scope(void)
{
	rtt_reset();
	vs_cm *n = NSCOPE("ns");
	vs_cm *a = VSCOPE("vs", NULL);
	VS_ASSERT_STR(vs_get_name_scope(), "ns/vs");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_op_name(v), "vs/v");
	/* the caller's name scope is back afterwards */
	VS_ASSERT_STR(vs_get_name_scope(), "ns/vs");
	EXIT(a);
	EXIT(n);
}

static void test_stores_are_per_graph(void)
{
	rtt_reset();
	vs_graph *g1 = NEW_GRAPH("g1");
	vs_graph *g2 = NEW_GRAPH("g2");
	vs_cm *d = AS_DEFAULT(g1);
	vs_var *v1 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(vs_var_graph(v1) == g1, 1);
	EXIT(d);
	d = AS_DEFAULT(g2);
	vs_var *v2 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(vs_var_graph(v2) == g2, 1);
	VS_ASSERT_INT(v1 != v2, 1);
	VS_ASSERT_STR(vs_var_name(v2), "v:0");
	EXIT(d);
	VS_ASSERT_INT(vs_collection_size(g1, VS_GLOBAL_VARIABLES), 1);
	VS_ASSERT_INT(vs_collection_size(g2, VS_GLOBAL_VARIABLES), 1);
	VS_ASSERT_INT(n_global(), 0);
}

static void test_reset_default_graph_forgets(void)
{
	rtt_reset();
	vs_error e;
	vs_graph *old = vs_default_graph();
	GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_error_init(&e);
	VS_ASSERT_INT(vs_reset_default_graph(&e), 0);
	VS_ASSERT_INT(vs_default_graph() != old, 1);
	/* the notebook fix: model-building code can run again */
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "v:0");
	VS_ASSERT_INT(n_global(), 1);
}

static int reg_count;
static int reg_some(void *ud, vs_var *v)
{
	reg_count++;
	return ud != NULL;
}

static void test_regularizer(void)
{
	rtt_reset();
	reg_count = 0;
	vs_regularizer yes = {reg_some, &reg_count, "l2"};
	vs_regularizer no = {reg_some, NULL, "none"};
	GETVAR("a", (&(vs_var_opts){.shape = VS_SHAPE(1), .regularizer = &yes}));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 1);
	GETVAR("b", (&(vs_var_opts){.shape = VS_SHAPE(1), .regularizer = &no}));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 1);
	VS_ASSERT_INT(reg_count, 2);
	/* inherited from the scope; not called on reuse */
	vs_cm *s = VSCOPE_REUSE("s", VS_REUSE_AUTO);
	vs_cm *inner = VSCOPE("t", (&(vs_varscope_opts){.regularizer = &yes}));
	GETVAR_SHAPE("c", VS_SHAPE(1));
	VS_ASSERT_INT(reg_count, 3);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 2);
	GETVAR_SHAPE("c", VS_SHAPE(1));
	VS_ASSERT_INT(reg_count, 3);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 2);
	EXIT(inner);
	EXIT(s);
}

static void test_use_resource_choices(void)
{
	rtt_reset();
	VS_ASSERT_INT(vs_var_is_resource(GETVAR_SHAPE("ref", VS_SHAPE(1))), 0);
	VS_ASSERT_INT(vs_var_is_resource(GETVAR("res", (&(vs_var_opts){
	                  .shape = VS_SHAPE(1), .use_resource = VS_TRUE}))), 1);
	vs_cm *a = VSCOPE("r", (&(vs_varscope_opts){.use_resource = VS_TRUE}));
	VS_ASSERT_INT(vs_var_is_resource(GETVAR_SHAPE("x", VS_SHAPE(1))), 1);
	VS_ASSERT_INT(vs_var_is_resource(GETVAR("y", (&(vs_var_opts){
	                  .shape = VS_SHAPE(1), .use_resource = VS_FALSE}))), 0);
	EXIT(a);
}

static void test_shape_and_dtype_formatting(void)
{
	char buf[64];
	const struct {
		const vs_shape *s;
		const char *want;
	} cases[] = {
		{VS_SHAPE(2, 3), "(2, 3)"},
		{VS_SHAPE(2), "(2,)"},
		{VS_SCALAR, "()"},
		{VS_SHAPE(VS_DIM_UNKNOWN, 3), "(?, 3)"},
		{VS_SHAPE_UNKNOWN_RANK, "<unknown>"},
		{NULL, "None"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = vs_shape_format(cases[i].s, buf, sizeof buf);
		VS_ASSERT_STR(buf, cases[i].want);
		VS_ASSERT_INT(n, strlen(cases[i].want));
	}
	/* snprintf semantics: the full length is returned even when truncated */
	VS_ASSERT_INT(vs_shape_format(VS_SHAPE(300, 150), buf, 4), 10);
	VS_ASSERT_STR(buf, "(30");
	VS_ASSERT_STR(vs_dtype_name(VS_DT_FLOAT32), "float32");
	VS_ASSERT_STR(vs_dtype_name(VS_DT_INT64), "int64");
	VS_ASSERT_STR(vs_dtype_name(VS_DT_BOOL), "bool");
	VS_ASSERT_STR(vs_dtype_name(VS_DT_COMPLEX64), "complex64");
	VS_ASSERT_INT(vs_dtype_name((vs_dtype)999) == NULL, 1);
	VS_ASSERT_INT(vs_dtype_from_name("int32"), VS_DT_INT32);
	VS_ASSERT_INT(vs_dtype_from_name("bfloat16"), VS_DT_BFLOAT16);
	VS_ASSERT_INT(vs_dtype_from_name("nope"), VS_DT_NONE);
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_ZEROS), "zeros");
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_GLOROT_UNIFORM), "glorot_uniform");
}

static void test_configure_only_when_fresh(void)
{
	vs_error e;
	vs_runtime_opts o = {.use_resource = VS_TRUE};
	rtt_reset();
	vs_error_init(&e);
	VS_ASSERT_INT(vs_runtime_configure(&o, &e), 0);
	VS_ASSERT_INT(vs_var_is_resource(GETVAR_SHAPE("v", VS_SHAPE(1))), 1);
	/* too late once the runtime is in use */
	vs_error_init(&e);
	VS_ASSERT_INT(vs_runtime_configure(&o, &e), VS_ERR_STATE);
	VS_ASSERT_INT(e.code, VS_ERR_STATE);
	rtt_reset();
	VS_ASSERT_INT(vs_var_is_resource(GETVAR_SHAPE("v", VS_SHAPE(1))), 0);
}

static void test_collection_out_of_range(void)
{
	rtt_reset();
	GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 1) == NULL, 1);
	VS_ASSERT_INT(vs_collection_get(NULL, "no_such_key", 0) == NULL, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, "no_such_key"), 0);
}

VS_SUITE_FN(tracer_getvar)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_create_at_root),
		VS_TEST(test_e1_exists_ref_variable),
		VS_TEST(test_e1_exists_resource_variable_exact),
		VS_TEST(test_e1_exists_with_default_resource),
		VS_TEST(test_reuse_true_returns_existing),
		VS_TEST(test_auto_reuse_get_or_create),
		VS_TEST(test_e2_missing_with_reuse),
		VS_TEST(test_e3_shape_mismatch),
		VS_TEST(test_e3_rank_and_scalar),
		VS_TEST(test_shape_compatibility),
		VS_TEST(test_e4_dtype_mismatch),
		VS_TEST(test_e5_constant_with_shape),
		VS_TEST(test_value_initializer_gives_shape_and_dtype),
		VS_TEST(test_e6_initializer_dtype_mismatch),
		VS_TEST(test_e7_initializer_not_valid),
		VS_TEST(test_e8_no_default_initializer),
		VS_TEST(test_default_initializers_by_dtype),
		VS_TEST(test_collections_argument),
		VS_TEST(test_trainable_and_synchronization),
		VS_TEST(test_reuse_ignores_creation_args),
		VS_TEST(test_get_local_variable),
		VS_TEST(test_get_local_variable_collections),
		VS_TEST(test_op_name_collision),
		VS_TEST(test_get_variable_runs_at_root_name_scope),
		VS_TEST(test_stores_are_per_graph),
		VS_TEST(test_reset_default_graph_forgets),
		VS_TEST(test_regularizer),
		VS_TEST(test_use_resource_choices),
		VS_TEST(test_shape_and_dtype_formatting),
		VS_TEST(test_configure_only_when_fresh),
		VS_TEST(test_collection_out_of_range),
		VS_TEST_END};
	vs_test_add_suite("tracer_getvar", rtt_suite_init, rtt_suite_clean, cases);
}
