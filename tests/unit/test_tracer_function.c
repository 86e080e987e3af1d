/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for traced functions (docs/semantics.md §5.4): defun
 * traces once per input signature (InitScopeTest.testEscapesDefunWhenIn-
 * GraphMode), tf.function's variable-creation rules and errors, and
 * make_template(create_graph_function_=True) (template_test.py).
 */
#include "tests/unit/tracer_testutil.h"

typedef struct body_ctx {
	const char *name; /* get_variable(name) inside init_scope, or NULL */
	int direct;       /* a tf.Variable instead */
	int runs;
	vs_graph *seen; /* the default graph while the body ran */
} body_ctx;

static int body(void *ud, void *call_arg, vs_error *err)
{
	body_ctx *b = ud;
	(void)call_arg;
	b->runs++;
	b->seen = vs_default_graph();
	vs_var *v;
	if (b->direct)
		return vs_variable(&v, &(vs_creator_args){.name = "v"}, err);
	if (!b->name)
		return 0;
	vs_cm *is;
	int rc = vs_init_scope(&is, err);
	if (rc < 0)
		return rc;
	rc = vs_get_variable(&v, b->name, &(vs_var_opts){.shape = VS_SHAPE(1)}, err);
	vs_exit(is, NULL);
	return rc;
}

static void test_defun_traces_once_per_signature(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *c = AS_DEFAULT(g);
	body_ctx b = {"bar", 0, 0, NULL};
	vs_function *f = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_function_new(&f, "compiled", body, &b, NULL, &e), 0);
	VS_ASSERT_STR(vs_function_name(f), "compiled");
	VS_ASSERT_INT(vs_function_call(f, "name=bar", NULL, &e), 0);
	VS_ASSERT_INT(b.runs, 1);
	VS_ASSERT_INT(vs_graph_building_function(b.seen), 1);
	VS_ASSERT_INT(vs_graph_outer(b.seen) == g, 1);
	VS_ASSERT_INT(vs_collection_size(g, VS_GLOBAL_VARIABLES), 1);
	VS_ASSERT_INT(vs_function_call(f, "name=bar", NULL, &e), 0);
	VS_ASSERT_INT(b.runs, 1); /* the trace is reused: no body, no variable */
	VS_ASSERT_INT(vs_collection_size(g, VS_GLOBAL_VARIABLES), 1);
	VS_ASSERT_INT(vs_function_traces(f), 1);
	VS_ASSERT_INT(vs_function_calls(f), 2);
	/* a new signature retraces; get_variable of an existing name in a
	 * non-reusing scope is then E1 */
	VS_ASSERT_INT(vs_function_call(f, "name=bar2", NULL, &e), VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("bar"));
	VS_ASSERT_INT(vs_function_traces(f), 2);
	VS_ASSERT_INT(vs_default_graph() == g, 1); /* the trace's graph was left */
	EXIT(c);
	VS_ASSERT_INT(vs_function_new(&f, NULL, NULL, NULL, NULL, &e), VS_ERR_INVALID);
	VS_ASSERT_INT(vs_function_call(NULL, NULL, NULL, &e), VS_ERR_INVALID);
}

static void test_tf_function_creation_rules(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	body_ctx always = {NULL, 1, 0, NULL};
	vs_function *f = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_function_new(&f, "f", body, &always, &(vs_function_opts){.tf_function = 1},
	                              &e),
	              0);
	int rc = vs_function_call(f, NULL, NULL, &e);
	RTT_ASSERT_ERR(
		rc, e, VS_ERR_VALUE,
		"tf.function-decorated function tried to create variables on non-first call.");
	VS_ASSERT_INT(always.runs, 2);
	/* a body that creates nothing on its first call but does later */
	body_ctx none = {NULL, 0, 0, NULL};
	vs_function *g = NULL;
	VS_ASSERT_INT(vs_function_new(&g, "g", body, &none, &(vs_function_opts){.tf_function = 1},
	                              &e),
	              0);
	VS_ASSERT_INT(vs_function_call(g, "a", NULL, &e), 0);
	none.direct = 1;
	rc = vs_function_call(g, "b", NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Creating variables on a non-first call to a function decorated with "
	               "tf.function.");
	VS_ASSERT_INT(vs_function_traces(g), 2);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
}

static int tmpl_body(void *ud, void *call_arg, vs_error *err)
{
	(void)call_arg;
	++*(int *)ud;
	vs_cm *s;
	int rc = vs_variable_scope(&s, "test", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO}, err);
	if (rc < 0)
		return rc;
	vs_var *v;
	rc = vs_get_variable(&v, "dummy", &(vs_var_opts){.shape = VS_SHAPE(1)}, err);
	vs_exit(s, NULL);
	return rc;
}

static void test_template_create_graph_function(void)
{
	rtt_reset();
	int runs = 0;
	vs_template *t = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_make_template(&t, "s1", tmpl_body, &runs,
	                               &(vs_template_opts){.create_graph_function = 1}, &e),
	              0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &e), 0);
	VS_ASSERT_INT(vs_template_call_sig(t, NULL, NULL, &e), 0);
	VS_ASSERT_INT(runs, 1);
	vs_var *vars[2];
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_VARIABLES, vars, 2), 1);
	VS_ASSERT_STR(vs_var_name(vars[0]), "s1/test/dummy:0");
	VS_ASSERT_INT(vs_template_calls(t), 2);
	/* another signature traces again (and reuses the variable) */
	VS_ASSERT_INT(vs_template_call_sig(t, "x=1", NULL, &e), 0);
	VS_ASSERT_INT(runs, 2);
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_VARIABLES, vars, 2), 1);
}

VS_SUITE_FN(tracer_function)
{
	static const vs_test_case cases[] = {VS_TEST(test_defun_traces_once_per_signature),
	                                     VS_TEST(test_tf_function_creation_rules),
	                                     VS_TEST(test_template_create_graph_function),
	                                     VS_TEST_END};
	vs_test_add_suite("tracer_function", rtt_suite_init, rtt_suite_clean, cases);
}
