/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for eager mode (docs/semantics.md §8): no reuse and
 * no collections without a store, EagerVariableStore (get-or-create,
 * collections, sorted listings, copy), EagerTemplate, eager name scopes
 * (never uniquified) and the eager-only scope setter errors.
 */
#include "tests/unit/tracer_testutil.h"

static vs_eager_store *store_new_at(int line, const char *file, vs_eager_store *from)
{
	vs_eager_store *s = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_eager_store_new", vs_eager_store_new(&s, from, &e), &e);
	return s;
}
#define STORE_NEW() store_new_at(__LINE__, __FILE__, NULL)

static vs_cm *store_default_at(int line, const char *file, vs_eager_store *s)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_eager_store_as_default", vs_eager_store_as_default(&cm, s, &e), &e);
	return cm;
}
#define STORE_DEFAULT(s) store_default_at(__LINE__, __FILE__, (s))

static void eager_reset(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
}

static void test_no_reuse_by_default(void)
{
	eager_reset();
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	vs_var *v1 = GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_var *v2 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(v1 != v2, 1);
	/* same name: eager variables are not uniquified */
	VS_ASSERT_STR(vs_var_name(v1), "v:0");
	VS_ASSERT_STR(vs_var_name(v2), "v:0");
	VS_ASSERT_INT(vs_var_graph(v1) == NULL, 1);
	VS_ASSERT_INT(vs_var_is_resource(v1), 1);
	/* reuse=True and AUTO_REUSE scopes are ignored */
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_TRUE);
	vs_var *w1 = GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(w1), "s/w:0");
	EXIT(a);
	a = VSCOPE_REUSE("s", VS_REUSE_AUTO);
	vs_var *w2 = GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_INT(w1 != w2, 1);
	EXIT(a);
	/* and nothing lands in collections */
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_TRAINABLE_VARIABLES), 0);
}

static void test_eager_scopes_report_auto_reuse(void)
{
	eager_reset();
	vs_cm *a = VSCOPE("s", NULL);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_AUTO);
	VS_ASSERT_INT(vs_varscope_use_resource(vs_get_variable_scope()), VS_TRUE);
	EXIT(a);
}

static void test_eager_default_names_still_uniquified(void)
{
	eager_reset();
	vs_cm *a = VSCOPE_DEFAULT("s1");
	VS_ASSERT_STR(rtt_cur_scope(), "s1");
	EXIT(a);
	a = VSCOPE_DEFAULT("s1");
	VS_ASSERT_STR(rtt_cur_scope(), "s1_1");
	EXIT(a);
}

static void test_eager_name_scopes_not_uniquified(void)
{
	eager_reset();
	vs_cm *a = NSCOPE("foo");
	VS_ASSERT_STR(vs_cm_name(a), "foo/");
	VS_ASSERT_STR(vs_get_name_scope(), "foo");
	vs_cm *b = NSCOPE("bar");
	VS_ASSERT_STR(vs_cm_name(b), "foo/bar/");
	EXIT(b);
	EXIT(a);
	a = NSCOPE("foo");
	VS_ASSERT_STR(vs_cm_name(a), "foo/");
	/* absolute and reset forms */
	b = NSCOPE("abs/");
	VS_ASSERT_STR(vs_get_name_scope(), "abs");
	EXIT(b);
	b = NSCOPE("");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	EXIT(b);
	EXIT(a);
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

static void test_store_get_or_create(void)
{
	eager_reset();
	vs_eager_store *s = STORE_NEW();
	vs_cm *d = STORE_DEFAULT(s);
	vs_var *v1 = GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_var *v2 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(v1 == v2, 1);
	/* even under reuse=True the store creates missing variables (AUTO_REUSE) */
	vs_cm *a = VSCOPE_REUSE("r", VS_REUSE_TRUE);
	vs_var *w = GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(w), "r/w:0");
	EXIT(a);
	/* shape checks still apply */
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(2)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E3("v", "(2,)", "(1,)"));
	EXIT(d);
	/* outside the store: a new variable again */
	vs_var *v3 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(v3 != v1, 1);
	vs_var *got[4] = {0};
	VS_ASSERT_INT(vs_eager_store_variables(s, VS_TMPL_VARIABLES, got, 4), 2);
}

static void test_store_adds_to_collections(void)
{
	eager_reset();
	static const char *const foo[] = {"foo", NULL};
	vs_eager_store *s = STORE_NEW();
	vs_cm *d = STORE_DEFAULT(s);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_var *f = GETVAR("f", (&(vs_var_opts){.shape = VS_SHAPE(1), .collections = foo}));
	vs_var *n = GETVAR("n", (&(vs_var_opts){.shape = VS_SHAPE(1), .trainable = VS_FALSE}));
	EXIT(d);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 0) == v, 1);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 1) == n, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, "foo"), 1);
	VS_ASSERT_INT(vs_collection_get(NULL, "foo", 0) == f, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_TRAINABLE_VARIABLES), 2);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_TRAINABLE_VARIABLES, 0) == v, 1);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_TRAINABLE_VARIABLES, 1) == f, 1);
}

static void test_store_listings_sorted(void)
{
	eager_reset();
	vs_eager_store *s = STORE_NEW();
	vs_cm *d = STORE_DEFAULT(s);
	GETVAR_SHAPE("b", VS_SHAPE(1));
	GETVAR("c", (&(vs_var_opts){.shape = VS_SHAPE(1), .trainable = VS_FALSE}));
	GETVAR_SHAPE("a", VS_SHAPE(1));
	EXIT(d);
	vs_var *got[4] = {0};
	VS_ASSERT_INT(vs_eager_store_variables(s, VS_TMPL_VARIABLES, got, 4), 3);
	VS_ASSERT_STR(got[0] ? vs_var_name(got[0]) : NULL, "a:0");
	VS_ASSERT_STR(got[1] ? vs_var_name(got[1]) : NULL, "b:0");
	VS_ASSERT_STR(got[2] ? vs_var_name(got[2]) : NULL, "c:0");
	VS_ASSERT_INT(vs_eager_store_variables(s, VS_TMPL_TRAINABLE, got, 4), 2);
	VS_ASSERT_STR(got[0] ? vs_var_name(got[0]) : NULL, "a:0");
	VS_ASSERT_STR(got[1] ? vs_var_name(got[1]) : NULL, "b:0");
	VS_ASSERT_INT(vs_eager_store_variables(s, VS_TMPL_NON_TRAINABLE, got, 4), 1);
	VS_ASSERT_STR(got[0] ? vs_var_name(got[0]) : NULL, "c:0");
}

static void test_store_copy(void)
{
	eager_reset();
	vs_eager_store *s = STORE_NEW();
	vs_cm *d = STORE_DEFAULT(s);
	vs_var *a = GETVAR_SHAPE("a", VS_SHAPE(2));
	vs_var *b = GETVAR("b", (&(vs_var_opts){.shape = VS_SHAPE(1), .trainable = VS_FALSE}));
	EXIT(d);
	vs_eager_store *c = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_eager_store_copy(&c, s, &e), 0);
	vs_var *got[4] = {0};
	VS_ASSERT_INT(vs_eager_store_variables(c, VS_TMPL_VARIABLES, got, 4), 2);
	VS_ASSERT_INT(got[0] != a && got[0] != NULL, 1);
	VS_ASSERT_INT(got[1] != b && got[1] != NULL, 1);
	VS_ASSERT_STR(got[0] ? vs_var_name(got[0]) : NULL, "a:0");
	VS_ASSERT_STR(got[1] ? vs_var_name(got[1]) : NULL, "b:0");
	VS_ASSERT_INT(got[0] && vs_var_trainable(got[0]), 1);
	VS_ASSERT_INT(got[1] && !vs_var_trainable(got[1]), 1);
	VS_ASSERT_STR(got[0] ? rtt_shape_str(vs_var_shape(got[0])) : NULL, "(2,)");
	/* the copy serves the same keys */
	d = STORE_DEFAULT(c);
	VS_ASSERT_INT(GETVAR_SHAPE("a", VS_SHAPE(2)) == got[0], 1);
	EXIT(d);
	/* the original is unchanged */
	VS_ASSERT_INT(vs_eager_store_variables(s, VS_TMPL_VARIABLES, got, 4), 2);
	VS_ASSERT_INT(got[0] == a, 1);
}

static void test_store_in_graph_mode(void)
{
	rtt_reset();
	vs_eager_store *s = STORE_NEW();
	vs_cm *d = STORE_DEFAULT(s);
	vs_var *v1 = GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_cm *a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = vs_get_variable_scope(),
	                                      .reuse = VS_REUSE_TRUE}));
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v1, 1);
	EXIT(a);
	vs_var *got[2] = {0};
	VS_ASSERT_INT(vs_eager_store_variables(s, VS_TMPL_VARIABLES, got, 2), 1);
	VS_ASSERT_INT(got[0] == v1, 1);
	EXIT(d);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_TRAINABLE_VARIABLES), 1);
	/* the graph's own store is back: v is not in it */
	vs_var *v3 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(v3 != v1, 1);
}

static void test_store_from_store_shares(void)
{
	eager_reset();
	vs_eager_store *s = STORE_NEW();
	vs_cm *d = STORE_DEFAULT(s);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(d);
	vs_eager_store *t = store_new_at(__LINE__, __FILE__, s);
	d = STORE_DEFAULT(t);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	EXIT(d);
}

static int scoped_fn(void *ud, void *call_arg, vs_error *err)
{
	vs_var **out = call_arg;
	return vs_get_variable(out, "dummy",
	                       (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                       .initializer = VS_INIT(VS_INIT_ZEROS)}), err);
}

static vs_var *call_at(int line, const char *file, vs_template *t)
{
	vs_var *v = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_template_call", vs_template_call(t, &v, &e), &e);
	return v;
}
#define CALL(t) call_at(__LINE__, __FILE__, (t))

static void test_eager_template_shares(void)
{
	eager_reset();
	vs_template *t1 = NULL, *t2 = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_make_template(&t1, "s1", scoped_fn, NULL, NULL, &e), 0);
	VS_ASSERT_INT(vs_make_template(&t2, "s1", scoped_fn, NULL, NULL, &e), 0);
	vs_var *v1 = CALL(t1);
	vs_var *v2 = CALL(t1);
	vs_var *v3 = CALL(t2);
	VS_ASSERT_INT(v1 == v2, 1);
	VS_ASSERT_INT(v1 != v3, 1);
	VS_ASSERT_STR(vs_var_name(v1), "s1/dummy:0");
	VS_ASSERT_STR(vs_var_name(v3), "s1_1/dummy:0");
	vs_var *got[2] = {0};
	VS_ASSERT_INT(vs_template_variables(t1, VS_TMPL_VARIABLES, got, 2), 1);
	VS_ASSERT_INT(got[0] == v1, 1);
	VS_ASSERT_INT(vs_template_variables(t1, VS_TMPL_LOCAL, got, 2), 0);
	VS_ASSERT_INT(vs_template_calls(t1), 2);
}

static void test_e25_unique_name_in_eager(void)
{
	eager_reset();
	vs_template *t = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_make_template(&t, "s", scoped_fn, NULL,
	                          (&(vs_template_opts){.unique_name = "u"}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E25);
}

static void test_eager_setter_errors(void)
{
	eager_reset();
	vs_error e;
	vs_cm *a = VSCOPE("s", NULL);
	vs_varscope *s = vs_get_variable_scope();
	vs_error_init(&e);
	int rc = vs_varscope_set_use_resource(s, 0, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "When eager execution is enabled, use_resource cannot be set to false.");
	VS_ASSERT_INT(vs_varscope_use_resource(s), VS_TRUE);
	vs_error_init(&e);
	rc = vs_varscope_set_caching_device(s, "/cpu:0", &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_NOT_IMPLEMENTED,
	               "Caching devices are not yet supported when eager execution is enabled.");
	VS_ASSERT_INT(vs_varscope_caching_device(s) == NULL, 1);
	EXIT(a);
	/* a caching_device override is applied with set_caching_device: "are" */
	vs_cm *cm = NULL;
	vs_error_init(&e);
	rc = vs_variable_scope(&cm, "c", (&(vs_varscope_opts){.caching_device = "/cpu:0"}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_NOT_IMPLEMENTED,
	               "Caching devices are not yet supported when eager execution is enabled.");
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	/* the constructor's own check ("is") fires for an inherited caching device:
	 * a scope built in graph mode, re-entered in eager mode */
	vs_cm *gm = NULL;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_graph_mode(&gm, &e), 0);
	vs_cm *g = VSCOPE("built_in_graph", (&(vs_varscope_opts){.caching_device = "/cpu:0"}));
	vs_varscope *cap = vs_cm_varscope(g);
	EXIT(g);
	EXIT(gm);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	vs_error_init(&e);
	rc = vs_variable_scope(&cm, NULL, (&(vs_varscope_opts){.scope = cap}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_NOT_IMPLEMENTED,
	               "Caching devices is not yet supported when eager execution is enabled.");
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

static void test_eager_mode_cm_in_graph_runtime(void)
{
	rtt_reset();
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_eager_mode(&cm, &e), 0);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	vs_var *v1 = GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_var *v2 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(v1 != v2, 1);
	VS_ASSERT_INT(vs_var_graph(v1) == NULL, 1);
	EXIT(cm);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
}

static void test_e26_eager_template_in_graph_mode(void)
{
	eager_reset();
	vs_template *t = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_make_template(&t, "s", scoped_fn, NULL, NULL, &e), 0);
	vs_cm *gm = NULL;
	VS_ASSERT_INT(vs_graph_mode(&gm, &e), 0);
	vs_var *v = NULL;
	vs_error_init(&e);
	int rc = vs_template_call(t, &v, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_RUNTIME,
	               "<class 'tensorflow.python.ops.template.EagerTemplate'> objects can only be "
	               "used when eager execution is enabled, use tf.Template for graph "
	               "construction");
	EXIT(gm);
	VS_ASSERT_INT(vs_template_calls(t), 0);
	/* back in eager mode it works */
	VS_ASSERT_STR(vs_var_name(CALL(t)), "s/dummy:0");
}

static void test_eager_template_nested_shares_store(void)
{
	eager_reset();
	vs_eager_store *s = STORE_NEW();
	vs_cm *d = STORE_DEFAULT(s);
	vs_template *t = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_make_template(&t, "s1", scoped_fn, NULL, NULL, &e), 0);
	vs_var *v1 = CALL(t);
	vs_var *v2 = CALL(t);
	VS_ASSERT_INT(v1 == v2, 1);
	EXIT(d);
	/* an outer eager-storing store active at first use is shared */
	vs_var *got[2] = {0};
	VS_ASSERT_INT(vs_eager_store_variables(s, VS_TMPL_VARIABLES, got, 2), 1);
	VS_ASSERT_INT(got[0] == v1, 1);
}

static void test_init_scope_keeps_eager_name_scope(void)
{
	eager_reset();
	vs_cm *n = NSCOPE("inner");
	vs_cm *i = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_init_scope(&i, &e), 0);
	VS_ASSERT_STR(vs_get_name_scope(), "inner");
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	EXIT(i);
	EXIT(n);
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

VS_SUITE_FN(tracer_eager)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_no_reuse_by_default),
		VS_TEST(test_eager_scopes_report_auto_reuse),
		VS_TEST(test_eager_default_names_still_uniquified),
		VS_TEST(test_eager_name_scopes_not_uniquified),
		VS_TEST(test_store_get_or_create),
		VS_TEST(test_store_adds_to_collections),
		VS_TEST(test_store_listings_sorted),
		VS_TEST(test_store_copy),
		VS_TEST(test_store_in_graph_mode),
		VS_TEST(test_store_from_store_shares),
		VS_TEST(test_eager_template_shares),
		VS_TEST(test_e25_unique_name_in_eager),
		VS_TEST(test_eager_setter_errors),
		VS_TEST(test_eager_mode_cm_in_graph_runtime),
		VS_TEST(test_e26_eager_template_in_graph_mode),
		VS_TEST(test_eager_template_nested_shares_store),
		VS_TEST(test_init_scope_keeps_eager_name_scope),
		VS_TEST_END};
	vs_test_add_suite("tracer_eager", rtt_suite_init, rtt_suite_clean, cases);
}
