/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for the variable store itself (docs/semantics.md §2.4,
 * §2.5, §8): _VariableStore.get_variable with a per-call reuse of False,
 * True and None (get-or-create), in graph and eager mode, the eager
 * RuntimeError, EagerVariableStore over an existing store (E27), and
 * executing_eagerly_outside_functions().
 */
#include "tests/unit/tracer_testutil.h"

static vs_var *store_get_at(int line, const char *file, vs_var_store *s, const char *name,
                            vs_reuse reuse, const vs_shape *shape)
{
	vs_var *v = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_var_store_get_variable",
	       vs_var_store_get_variable(s, &v, name, reuse, &(vs_var_opts){.shape = shape}, &e),
	       &e);
	return v;
}
#define STORE_GET(s, name, reuse, shape) \
	store_get_at(__LINE__, __FILE__, (s), (name), (reuse), (shape))

/* TF's testGetVar / testNameExists (variable_scope_test.py, store tests of
 * TF 1.x): reuse None gets or creates, False fails on an existing name,
 * True on a missing one */
static void test_store_per_call_reuse(void)
{
	rtt_reset();
	vs_var_store *vs = vs_default_var_store();
	CU_ASSERT_PTR_NOT_NULL_FATAL(vs);
	VS_ASSERT_INT(vs_var_store_holds_eager(vs), 0);
	vs_var *v = STORE_GET(vs, "v", VS_REUSE_INHERIT, VS_SHAPE(1));
	vs_var *v1 = STORE_GET(vs, "v", VS_REUSE_INHERIT, VS_SHAPE(1));
	VS_ASSERT_INT(v == v1, 1);
	VS_ASSERT_STR(vs_var_name(v), "v:0");
	STORE_GET(vs, "w", VS_REUSE_FALSE, VS_SHAPE(1));
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_var_store_get_variable(vs, &out, "v", VS_REUSE_FALSE,
	                                   &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("v"));
	VS_ASSERT_INT(STORE_GET(vs, "v", VS_REUSE_TRUE, VS_SHAPE(1)) == v, 1);
	rc = vs_var_store_get_variable(vs, &out, "u", VS_REUSE_TRUE,
	                               &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E2("u"));
	VS_ASSERT_INT(out == NULL, 1);
	/* the store get_variable ignores variable scopes: the name is the key */
	vs_cm *sc = VSCOPE("scope", NULL);
	VS_ASSERT_INT(STORE_GET(vs, "v", VS_REUSE_AUTO, VS_SHAPE(1)) == v, 1);
	EXIT(sc);
	/* the same store the root scope's get_variable (reuse False) sees */
	rc = vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("v"));
	sc = VSCOPE_REUSE("", VS_REUSE_TRUE);
	VS_ASSERT_INT(GETVAR_SHAPE("w", VS_SHAPE(1)) != NULL, 1);
	EXIT(sc);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
}

/* a store of its own is independent of the graph's */
static void test_store_new_is_separate(void)
{
	rtt_reset();
	vs_var_store *s = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_var_store_new(&s, &e), 0);
	VS_ASSERT_INT(s != vs_default_var_store(), 1);
	vs_var *a = STORE_GET(s, "v", VS_REUSE_FALSE, VS_SHAPE(2));
	vs_var *b = GETVAR_SHAPE("v", VS_SHAPE(2));
	VS_ASSERT_INT(a != b, 1);
	/* the op names are uniquified in the graph even so */
	VS_ASSERT_STR(vs_var_name(a), "v:0");
	VS_ASSERT_STR(vs_var_name(b), "v_1:0");
	VS_ASSERT_STR(vs_var_store_key(b), "v");
	/* the dtype defaults to float32 (no scope dtype applies) */
	vs_cm *sc = VSCOPE("d", (&(vs_varscope_opts){.dtype = VS_DT_INT32}));
	VS_ASSERT_INT(vs_var_dtype(STORE_GET(s, "x", VS_REUSE_INHERIT, VS_SCALAR)), VS_DT_FLOAT32);
	EXIT(sc);
	VS_ASSERT_INT(vs_var_store_new(NULL, &e), VS_ERR_INVALID);
}

/* the op name follows the current name scope: TF enters no
 * name_scope(None) in _VariableStore.get_variable */
static void test_store_op_name_follows_name_scope(void)
{
	rtt_reset();
	vs_cm *ns = NSCOPE("outer");
	vs_var *v = STORE_GET(vs_default_var_store(), "k", VS_REUSE_INHERIT, VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_store_key(v), "k");
	VS_ASSERT_STR(vs_var_name(v), "outer/k:0");
	EXIT(ns);
}

/* eager: reuse=True (and AUTO_REUSE) on a store without eager variables is
 * E11; False and None create every time and remember nothing */
static void test_store_eager(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	vs_var_store *vs = vs_default_var_store();
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_var_store_get_variable(vs, &out, "v", VS_REUSE_TRUE, NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_RUNTIME, RTT_E11);
	rc = vs_var_store_get_variable(vs, &out, "v", VS_REUSE_AUTO, NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_RUNTIME, RTT_E11);
	vs_var *a = STORE_GET(vs, "v", VS_REUSE_INHERIT, VS_SHAPE(1));
	vs_var *b = STORE_GET(vs, "v", VS_REUSE_FALSE, VS_SHAPE(1));
	VS_ASSERT_INT(a != b, 1);
	VS_ASSERT_INT(vs_var_is_resource(a), 1);
	/* an EagerVariableStore's store gets or creates whatever reuse says */
	vs_eager_store *es = NULL;
	VS_ASSERT_INT(vs_eager_store_new(&es, NULL, &e), 0);
	vs_var_store *s = vs_eager_store_var_store(es);
	VS_ASSERT_INT(vs_var_store_holds_eager(s), 1);
	vs_var *c = STORE_GET(s, "v", VS_REUSE_FALSE, VS_SHAPE(1));
	VS_ASSERT_INT(STORE_GET(s, "v", VS_REUSE_FALSE, VS_SHAPE(1)) == c, 1);
	VS_ASSERT_INT(STORE_GET(s, "v", VS_REUSE_TRUE, VS_SHAPE(1)) == c, 1);
}

/* EagerVariableStore(store): E27 for a store without eager variables (the
 * graph's), shared with one that has them */
static void test_eager_store_from_store(void)
{
	rtt_reset();
	vs_eager_store *es = NULL, *es2 = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_eager_store_from_store(&es, vs_default_var_store(), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Cannot construct EagerVariableStore from a VariableStore object that does "
	               "not hold eager variables.");
	VS_ASSERT_INT(vs_var_store_holds_eager(vs_default_var_store()), 0);
	VS_ASSERT_INT(vs_eager_store_new(&es, NULL, &e), 0);
	VS_ASSERT_INT(vs_eager_store_from_store(&es2, vs_eager_store_var_store(es), &e), 0);
	VS_ASSERT_INT(vs_eager_store_var_store(es2) == vs_eager_store_var_store(es), 1);
	vs_cm *d = NULL;
	VS_ASSERT_INT(vs_eager_store_as_default(&d, es, &e), 0);
	VS_ASSERT_INT(vs_default_var_store() == vs_eager_store_var_store(es), 1);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(d);
	vs_var *list[2];
	VS_ASSERT_INT(vs_eager_store_variables(es2, VS_TMPL_VARIABLES, list, 2), 1);
	VS_ASSERT_INT(list[0] == v, 1);
	VS_ASSERT_INT(vs_eager_store_from_store(&es2, NULL, &e), VS_ERR_INVALID);
}

/* executing_eagerly_outside_functions(): graph mode no, eager yes, and a
 * function graph traced from eager yes */
static void test_executing_eagerly_outside_functions(void)
{
	rtt_reset();
	VS_ASSERT_INT(vs_executing_eagerly_outside_functions(), 0);
	vs_graph *f = NEW_FUNC_GRAPH("f");
	vs_cm *c = AS_DEFAULT(f);
	VS_ASSERT_INT(vs_executing_eagerly_outside_functions(), 0);
	EXIT(c);
	rtt_reset_config(VS_TRUE, VS_UNSET);
	VS_ASSERT_INT(vs_executing_eagerly_outside_functions(), 1);
	vs_graph *global = vs_default_graph();
	vs_var_store *eager_default = vs_default_var_store();
	f = NEW_FUNC_GRAPH("f");
	/* traced from eager: the outer graph is the global graph, whose store
	 * the trace shares (FuncGraph(outer_graph=get_default_graph())) */
	VS_ASSERT_INT(vs_graph_outer(f) == global, 1);
	c = AS_DEFAULT(f);
	VS_ASSERT_INT(vs_default_var_store() == eager_default, 1);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	VS_ASSERT_INT(vs_executing_eagerly_outside_functions(), 1);
	EXIT(c);
}

VS_SUITE_FN(tracer_store)
{
	static const vs_test_case cases[] = {VS_TEST(test_store_per_call_reuse),
	                                     VS_TEST(test_store_new_is_separate),
	                                     VS_TEST(test_store_op_name_follows_name_scope),
	                                     VS_TEST(test_store_eager),
	                                     VS_TEST(test_eager_store_from_store),
	                                     VS_TEST(test_executing_eagerly_outside_functions),
	                                     VS_TEST_END};
	vs_test_add_suite("tracer_store", rtt_suite_init, rtt_suite_clean, cases);
}
