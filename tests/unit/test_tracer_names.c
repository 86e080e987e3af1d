/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for libvs name scopes, graph.unique_name and op naming
 * (docs/semantics.md §4) and the scope-name validity errors E20/E21.
 * Every test starts from a fresh runtime (rtt_reset) and checks exact names.
 */
#include "tests/unit/tracer_testutil.h"

static void test_name_scope_basic(void)
{
	rtt_reset();
	VS_ASSERT_STR(vs_get_name_scope(), "");
	vs_cm *a = NSCOPE("foo");
	VS_ASSERT_STR(vs_cm_name(a), "foo/");
	VS_ASSERT_STR(vs_get_name_scope(), "foo");
	vs_cm *b = NSCOPE("bar");
	VS_ASSERT_STR(vs_cm_name(b), "foo/bar/");
	VS_ASSERT_STR(vs_get_name_scope(), "foo/bar");
	EXIT(b);
	VS_ASSERT_STR(vs_get_name_scope(), "foo");
	EXIT(a);
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

static void test_name_scope_reentry_uniquified(void)
{
	rtt_reset();
	const char *want[] = {"foo/", "foo_1/", "foo_2/", "foo_3/"};
	for (int i = 0; i < 4; i++) {
		vs_cm *a = NSCOPE("foo");
		VS_ASSERT_STR(vs_cm_name(a), want[i]);
		EXIT(a);
	}
	/* nested scopes are uniquified within their parent only */
	vs_cm *a = NSCOPE("foo");
	VS_ASSERT_STR(vs_cm_name(a), "foo_4/");
	vs_cm *b = NSCOPE("foo");
	VS_ASSERT_STR(vs_cm_name(b), "foo_4/foo/");
	EXIT(b);
	EXIT(a);
}

static void test_name_scope_absolute_not_marked(void)
{
	rtt_reset();
	vs_cm *a = NSCOPE("outer");
	vs_cm *b = NSCOPE("abs/");
	VS_ASSERT_STR(vs_cm_name(b), "abs/");
	VS_ASSERT_STR(vs_get_name_scope(), "abs");
	vs_op *op = OP("Add", NULL);
	VS_ASSERT_STR(vs_op_name(op), "abs/Add");
	EXIT(b);
	VS_ASSERT_STR(vs_get_name_scope(), "outer");
	EXIT(a);
	/* "abs/" was entered verbatim and not marked used: "abs" is still free */
	vs_cm *c = NSCOPE("abs");
	VS_ASSERT_STR(vs_cm_name(c), "abs/");
	EXIT(c);
}

static void test_name_scope_none_resets_to_root(void)
{
	rtt_reset();
	vs_cm *a = NSCOPE("foo");
	vs_cm *b = NSCOPE(NULL);
	VS_ASSERT_STR(vs_cm_name(b), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	VS_ASSERT_STR(vs_op_name(OP("Const", NULL)), "Const");
	EXIT(b);
	VS_ASSERT_STR(vs_get_name_scope(), "foo");
	vs_cm *c = NSCOPE("");
	VS_ASSERT_STR(vs_cm_name(c), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	EXIT(c);
	VS_ASSERT_STR(vs_get_name_scope(), "foo");
	EXIT(a);
}

static void test_name_scope_default_name(void)
{
	rtt_reset();
	vs_cm *a = NSCOPE_DEFAULT("d");
	VS_ASSERT_STR(vs_cm_name(a), "d/");
	EXIT(a);
	a = NSCOPE_DEFAULT("d");
	VS_ASSERT_STR(vs_cm_name(a), "d_1/");
	EXIT(a);
	/* an explicit name wins over default_name */
	vs_cm *b = rtt_nscope_at(__LINE__, __FILE__, "n", "d");
	VS_ASSERT_STR(vs_cm_name(b), "n/");
	EXIT(b);
}

static void test_unique_name_sequence(void)
{
	rtt_reset();
	char buf[64];
	vs_error e;
	vs_error_init(&e);
	const char *want[] = {"foo", "foo_1", "foo_2"};
	for (int i = 0; i < 3; i++) {
		VS_ASSERT_INT(vs_unique_name("foo", 1, buf, sizeof buf, &e), 0);
		VS_ASSERT_STR(buf, want[i]);
	}
	VS_ASSERT_INT(vs_unique_name("foo_1", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo_1_1");
}

static void test_unique_name_out_of_order(void)
{
	rtt_reset();
	char buf[64];
	vs_error e;
	vs_error_init(&e);
	const char *in[] = {"myop_2", "myop", "myop", "myop"};
	const char *want[] = {"myop_2", "myop", "myop_1", "myop_3"};
	for (int i = 0; i < 4; i++) {
		VS_ASSERT_INT(vs_unique_name(in[i], 1, buf, sizeof buf, &e), 0);
		VS_ASSERT_STR(buf, want[i]);
	}
}

static void test_unique_name_case_insensitive(void)
{
	rtt_reset();
	char buf[64];
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_unique_name("foo", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo");
	VS_ASSERT_INT(vs_unique_name("Foo", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "Foo_1");
	VS_ASSERT_INT(vs_unique_name("FOO", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "FOO_2");
	/* name scopes share the table: bar then Bar */
	vs_cm *a = NSCOPE("bar");
	EXIT(a);
	a = NSCOPE("Bar");
	VS_ASSERT_STR(vs_cm_name(a), "Bar_1/");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "Bar_1/Add");
	EXIT(a);
}

static void test_unique_name_mark_as_used(void)
{
	rtt_reset();
	char buf[64];
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_unique_name("foo", 0, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo");
	VS_ASSERT_INT(vs_unique_name("foo", 0, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo");
	VS_ASSERT_INT(vs_unique_name("foo", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo");
	VS_ASSERT_INT(vs_unique_name("foo", 0, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo_1");
	VS_ASSERT_INT(vs_unique_name("foo", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo_1");
	VS_ASSERT_INT(vs_unique_name("foo", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "foo_2");
}

static void test_unique_name_in_scope(void)
{
	rtt_reset();
	char buf[64];
	vs_error e;
	vs_error_init(&e);
	vs_cm *a = NSCOPE("ns");
	VS_ASSERT_INT(vs_unique_name("x", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "ns/x");
	VS_ASSERT_INT(vs_unique_name("x", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "ns/x_1");
	EXIT(a);
	/* the scope name itself is taken at the root */
	VS_ASSERT_INT(vs_unique_name("ns", 1, buf, sizeof buf, &e), 0);
	VS_ASSERT_STR(buf, "ns_1");
}

static void test_op_default_names(void)
{
	rtt_reset();
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "Add");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "Add_1");
	vs_op *named = OP("Mul", "prod");
	VS_ASSERT_STR(vs_op_name(named), "prod");
	VS_ASSERT_STR(vs_op_type(named), "Mul");
	VS_ASSERT_STR(vs_op_name(OP("Mul", "prod")), "prod_1");
	vs_cm *a = NSCOPE("foo");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "foo/Add");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "foo/Add_1");
	EXIT(a);
	VS_ASSERT_INT(vs_op_graph(named) == vs_default_graph(), 1);
	VS_ASSERT_INT(vs_op_control_inputs(named), 0);
}

static void test_op_name_with_slash_verbatim(void)
{
	rtt_reset();
	/* with name_scope("s") as scope: op(name=scope) names the result op "s" */
	vs_cm *a = NSCOPE("s");
	VS_ASSERT_STR(vs_op_name(OP("Add", vs_cm_name(a))), "s");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "s/Add");
	EXIT(a);
}

static void test_ops_and_scopes_share_table(void)
{
	rtt_reset();
	VS_ASSERT_STR(vs_op_name(OP("Const", "bar")), "bar");
	vs_cm *a = NSCOPE("bar");
	VS_ASSERT_STR(vs_cm_name(a), "bar_1/");
	EXIT(a);
	a = NSCOPE("baz");
	EXIT(a);
	VS_ASSERT_STR(vs_op_name(OP("Const", "baz")), "baz_1");
}

static void test_names_are_per_graph(void)
{
	rtt_reset();
	vs_cm *a = NSCOPE("foo");
	EXIT(a);
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	VS_ASSERT_INT(vs_default_graph() == g, 1);
	a = NSCOPE("foo");
	VS_ASSERT_STR(vs_cm_name(a), "foo/");
	vs_op *op = OP("Add", NULL);
	VS_ASSERT_STR(vs_op_name(op), "foo/Add");
	VS_ASSERT_INT(vs_op_graph(op) == g, 1);
	EXIT(a);
	EXIT(d);
	a = NSCOPE("foo");
	VS_ASSERT_STR(vs_cm_name(a), "foo_1/");
	EXIT(a);
}

static void test_name_stack_per_graph(void)
{
	rtt_reset();
	vs_cm *a = NSCOPE("outer");
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	/* a freshly entered graph has its own (empty) name stack */
	VS_ASSERT_STR(vs_get_name_scope(), "");
	EXIT(d);
	VS_ASSERT_STR(vs_get_name_scope(), "outer");
	EXIT(a);
}

static void test_invalid_root_scope_name(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_name_scope(&cm, "-bad", &(vs_name_scope_opts){0}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("-bad"));
	VS_ASSERT_INT(cm == NULL, 1);
	VS_ASSERT_STR(vs_get_name_scope(), "");
	/* a leading underscore is not allowed at the root */
	vs_error_init(&e);
	rc = vs_name_scope(&cm, "_foo", &(vs_name_scope_opts){0}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("_foo"));
	/* the trailing-slash form is validated too */
	vs_error_init(&e);
	rc = vs_name_scope(&cm, "_class/", &(vs_name_scope_opts){0}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("_class/"));
	/* state unchanged: the next scope is the first of its name */
	vs_cm *a = NSCOPE("ok");
	VS_ASSERT_STR(vs_cm_name(a), "ok/");
	EXIT(a);
}

static void test_invalid_nested_scope_name(void)
{
	rtt_reset();
	vs_cm *a = NSCOPE("foo");
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_name_scope(&cm, "a b", &(vs_name_scope_opts){0}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20("a b"));
	vs_error_init(&e);
	rc = vs_name_scope(&cm, "x:0", &(vs_name_scope_opts){0}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20("x:0"));
	VS_ASSERT_STR(vs_get_name_scope(), "foo");
	/* nested names may start with '_' and may contain '>' and '-' */
	vs_cm *b = NSCOPE("_x");
	VS_ASSERT_STR(vs_cm_name(b), "foo/_x/");
	EXIT(b);
	b = NSCOPE("a>b-c");
	VS_ASSERT_STR(vs_cm_name(b), "foo/a>b-c/");
	EXIT(b);
	EXIT(a);
	/* at the root, '.' and digits may start a name */
	b = NSCOPE(".dot");
	VS_ASSERT_STR(vs_cm_name(b), ".dot/");
	EXIT(b);
	b = NSCOPE("9lives");
	VS_ASSERT_STR(vs_cm_name(b), "9lives/");
	EXIT(b);
}

static void test_invalid_name_via_variable_scope(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(&cm, "-bad", &(vs_varscope_opts){0}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("-bad"));
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	/* nothing was left entered: a normal scope works and exits cleanly */
	vs_cm *a = VSCOPE("good", NULL);
	VS_ASSERT_STR(rtt_cur_scope(), "good");
	EXIT(a);
	VS_ASSERT_STR(rtt_cur_scope(), "");
}

static void test_name_scope_none_none_values(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_name_scope(&cm, NULL, &(vs_name_scope_opts){.values_given = 1}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E21);
	VS_ASSERT_STR(vs_get_name_scope(), "");
	/* without values it is the reset-to-root idiom, not an error */
	vs_cm *a = NSCOPE("x");
	vs_cm *b = NSCOPE(NULL);
	VS_ASSERT_STR(vs_get_name_scope(), "");
	EXIT(b);
	EXIT(a);
}

static void test_variable_names_ignore_name_scope(void)
{
	rtt_reset();
	vs_cm *a = NSCOPE("ns");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "v:0");
	vs_cm *b = VSCOPE("foo", NULL);
	VS_ASSERT_STR(vs_get_name_scope(), "ns/foo");
	vs_var *w = GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(w), "foo/w:0");
	/* but tf.Variable follows the name scope */
	vs_var *d = VARIABLE(&(vs_creator_args){.name = "d"});
	VS_ASSERT_STR(vs_var_name(d), "ns/foo/d:0");
	EXIT(b);
	EXIT(a);
}

static void test_variable_names_are_validated(void)
{
	rtt_reset();
	vs_var *v = NULL;
	vs_error e;
	/* the variable op is named by name_scope(full_name) at the root */
	vs_error_init(&e);
	int rc = vs_get_variable(&v, "a b", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("a b"));
	vs_error_init(&e);
	rc = vs_get_variable(&v, "_u", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("_u"));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	/* nothing was stored: the same call fails the same way, not with E1 */
	vs_error_init(&e);
	rc = vs_get_variable(&v, "a b", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("a b"));
	/* below a scope the full name starts with the scope: "_u" is fine there */
	vs_cm *a = VSCOPE("s", NULL);
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("_u", VS_SHAPE(1))), "s/_u:0");
	vs_error_init(&e);
	rc = vs_get_variable(&v, "a b", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("s/a b"));
	EXIT(a);
	/* a direct Variable is named in the current name scope */
	vs_cm *n = NSCOPE("ns");
	vs_error_init(&e);
	rc = vs_variable(&v, (&(vs_creator_args){.name = "x y"}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20("x y"));
	EXIT(n);
	vs_error_init(&e);
	rc = vs_variable(&v, (&(vs_creator_args){.name = "x y"}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E20_ROOT("x y"));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
}

VS_SUITE_FN(tracer_names)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_name_scope_basic),
		VS_TEST(test_name_scope_reentry_uniquified),
		VS_TEST(test_name_scope_absolute_not_marked),
		VS_TEST(test_name_scope_none_resets_to_root),
		VS_TEST(test_name_scope_default_name),
		VS_TEST(test_unique_name_sequence),
		VS_TEST(test_unique_name_out_of_order),
		VS_TEST(test_unique_name_case_insensitive),
		VS_TEST(test_unique_name_mark_as_used),
		VS_TEST(test_unique_name_in_scope),
		VS_TEST(test_op_default_names),
		VS_TEST(test_op_name_with_slash_verbatim),
		VS_TEST(test_ops_and_scopes_share_table),
		VS_TEST(test_names_are_per_graph),
		VS_TEST(test_name_stack_per_graph),
		VS_TEST(test_invalid_root_scope_name),
		VS_TEST(test_invalid_nested_scope_name),
		VS_TEST(test_invalid_name_via_variable_scope),
		VS_TEST(test_name_scope_none_none_values),
		VS_TEST(test_variable_names_ignore_name_scope),
		VS_TEST(test_variable_names_are_validated),
		VS_TEST_END};
	vs_test_add_suite("tracer_names", rtt_suite_init, rtt_suite_clean, cases);
}
