/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for variable_creator_scope (docs/semantics.md §6):
 * call order (innermost / highest priority first), kwargs rewriting,
 * creators that return an existing variable, create several or never
 * delegate, creators not called when get_variable reuses, the per-graph
 * creator stack borrowed by function graphs, direct Variable naming and E18.
 */
#include "tests/unit/tracer_testutil.h"

static char crlog[1024];
static char tag_c1[] = "c1", tag_c2[] = "c2", tag_c3[] = "c3";

static void crlog_add(const char *label, const vs_creator_args *a)
{
	size_t n = strlen(crlog);
	snprintf(crlog + n, sizeof crlog - n, "%s:%s;", label, a->name ? a->name : "(null)");
}

static int logging_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *a,
                           void *ud, vs_error *err)
{
	crlog_add((const char *)ud, a);
	return vs_creator_next_call(next, out, a, err);
}

static vs_cm *creator_scope_at(int line, const char *file, const vs_creator *c, int prio)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = prio ? vs_variable_creator_scope_prio(&cm, c, prio, &e)
	              : vs_variable_creator_scope(&cm, c, &e);
	rtt_ok(line, file, "vs_variable_creator_scope", rc, &e);
	return cm;
}
#define CREATOR(c) creator_scope_at(__LINE__, __FILE__, (c), 0)
#define CREATOR_PRIO(c, p) creator_scope_at(__LINE__, __FILE__, (c), (p))

static void test_creator_called_on_get_variable_create(void)
{
	rtt_reset();
	crlog[0] = '\0';
	vs_creator c1 = {logging_creator, tag_c1, "c1"};
	vs_cm *cs = CREATOR(&c1);
	vs_cm *a = VSCOPE_REUSE("foo", VS_REUSE_AUTO);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(2));
	VS_ASSERT_STR(vs_var_name(v), "foo/v:0");
	VS_ASSERT_STR(crlog, "c1:foo/v;");
	/* not called when get_variable reuses */
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(2)) == v, 1);
	VS_ASSERT_STR(crlog, "c1:foo/v;");
	EXIT(a);
	EXIT(cs);
	/* and no longer after the scope is left */
	GETVAR_SHAPE("w", VS_SHAPE(2));
	VS_ASSERT_STR(crlog, "c1:foo/v;");
}

static void test_innermost_first(void)
{
	rtt_reset();
	crlog[0] = '\0';
	vs_creator c1 = {logging_creator, tag_c1, "c1"};
	vs_creator c2 = {logging_creator, tag_c2, "c2"};
	vs_cm *s1 = CREATOR(&c1);
	vs_cm *s2 = CREATOR(&c2);
	VARIABLE(&(vs_creator_args){.name = "x"});
	VS_ASSERT_STR(crlog, "c2:x;c1:x;");
	EXIT(s2);
	EXIT(s1);
}

static void test_priority_order(void)
{
	rtt_reset();
	crlog[0] = '\0';
	vs_creator c1 = {logging_creator, tag_c1, "c1"};
	vs_creator c2 = {logging_creator, tag_c2, "c2"};
	vs_creator c3 = {logging_creator, tag_c3, "c3"};
	/* high priority entered first is still called first */
	vs_cm *s1 = CREATOR_PRIO(&c1, 200);
	vs_cm *s2 = CREATOR(&c2);         /* 100 */
	vs_cm *s3 = CREATOR_PRIO(&c3, 50);
	VARIABLE(&(vs_creator_args){.name = "x"});
	VS_ASSERT_STR(crlog, "c1:x;c2:x;c3:x;");
	EXIT(s3);
	EXIT(s2);
	EXIT(s1);
}

static char forced[] = "forced_name";
static int rename_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *a,
                          void *ud, vs_error *err)
{
	vs_creator_args b = *a;
	b.name = ud;
	return vs_creator_next_call(next, out, &b, err);
}

static void test_kwargs_rewrite(void)
{
	rtt_reset();
	crlog[0] = '\0';
	vs_creator outer = {logging_creator, tag_c1, "outer"};
	vs_creator inner = {rename_creator, forced, "rename"};
	vs_cm *s1 = CREATOR(&outer);
	vs_cm *s2 = CREATOR(&inner);
	vs_var *v = VARIABLE(&(vs_creator_args){.name = "x"});
	/* the outer creator sees what the inner one passed on */
	VS_ASSERT_STR(crlog, "c1:forced_name;");
	VS_ASSERT_STR(vs_var_name(v), "forced_name:0");
	EXIT(s2);
	EXIT(s1);
}

static vs_var *canned;
static int return_existing_creator(vs_var **out, vs_creator_next *next,
                                   const vs_creator_args *a, void *ud, vs_error *err)
{
	*out = canned;
	return 0;
}

static void test_return_existing_without_delegating(void)
{
	rtt_reset();
	canned = VARIABLE(&(vs_creator_args){.name = "existing"});
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	vs_creator c = {return_existing_creator, NULL, "canned"};
	vs_cm *s = CREATOR(&c);
	vs_var *v = VARIABLE(&(vs_creator_args){.name = "other"});
	VS_ASSERT_INT(v == canned, 1);
	VS_ASSERT_STR(vs_var_name(v), "existing:0");
	/* get_variable goes through the chain on creation too */
	vs_var *g = GETVAR_SHAPE("g", VS_SHAPE(1));
	VS_ASSERT_INT(g == canned, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	EXIT(s);
}

static int twice_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *a,
                         void *ud, vs_error *err)
{
	vs_var *first = NULL;
	vs_creator_args b = *a;
	char name[128];
	int rc;
	snprintf(name, sizeof name, "%s_extra", a->name);
	b.name = name;
	if ((rc = vs_creator_next_call(next, &first, &b, err)) != 0)
		return rc;
	return vs_creator_next_call(next, out, a, err);
}

static void test_creator_creates_several(void)
{
	rtt_reset();
	vs_creator c = {twice_creator, NULL, "twice"};
	vs_cm *s = CREATOR(&c);
	vs_var *v = VARIABLE(&(vs_creator_args){.name = "x"});
	VS_ASSERT_STR(vs_var_name(v), "x:0");
	EXIT(s);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
	vs_var *first = vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 0);
	VS_ASSERT_STR(first ? vs_var_name(first) : NULL, "x_extra:0");
}

static int failing_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *a,
                           void *ud, vs_error *err)
{
	return vs_error_set(err, VS_ERR_RUNTIME, "creator refused %s", a->name);
}

static void test_creator_error_not_stored(void)
{
	rtt_reset();
	vs_creator c = {failing_creator, NULL, "fail"};
	vs_cm *s = CREATOR(&c);
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_RUNTIME, "creator refused v");
	EXIT(s);
	/* the store did not remember v: creating it again is no E1 */
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "v:0");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
}

static void test_e18_improper_nesting(void)
{
	rtt_reset();
	vs_creator c1 = {logging_creator, tag_c1, "c1"};
	vs_creator c2 = {logging_creator, tag_c2, "c2"};
	vs_cm *s1 = CREATOR(&c1);
	vs_cm *s2 = CREATOR(&c2);
	vs_error e;
	vs_error_init(&e);
	int rc = vs_exit(s1, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_RUNTIME, RTT_E18);
	vs_exit(s2, NULL); /* frees s2; TF's state is not meaningful after this */
	rtt_reset();
}

/* what the probe saw; pointers in the kwargs are only valid during the call,
 * so the pointed-to values are copied out */
static vs_creator_args seen;
static char seen_name[128];
static char seen_scope[64];
static char seen_shape[128];
static char seen_coll0[64];
static int seen_ncoll;
static int probe_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *a,
                         void *ud, vs_error *err)
{
	seen = *a;
	seen.name = NULL;
	seen.shape = NULL;
	seen.collections = NULL;
	seen.initial_value = NULL;
	seen.constraint = NULL;
	seen.caching_device = NULL;
	snprintf(seen_name, sizeof seen_name, "%s", a->name ? a->name : "(null)");
	snprintf(seen_scope, sizeof seen_scope, "%s", vs_get_name_scope());
	snprintf(seen_shape, sizeof seen_shape, "%s", a->shape ? rtt_shape_str(a->shape) : "(null)");
	seen_ncoll = -1;
	seen_coll0[0] = '\0';
	if (a->collections) {
		for (seen_ncoll = 0; a->collections[seen_ncoll]; seen_ncoll++)
			;
		if (seen_ncoll)
			snprintf(seen_coll0, sizeof seen_coll0, "%s", a->collections[0]);
	}
	return vs_creator_next_call(next, out, a, err);
}

static void test_creator_kwargs_from_get_variable(void)
{
	rtt_reset();
	vs_creator c = {probe_creator, NULL, "probe"};
	vs_cm *s = CREATOR(&c);
	vs_cm *n = NSCOPE("ns");
	vs_cm *a = VSCOPE("vs", NULL);
	GETVAR("v", (&(vs_var_opts){.shape = VS_SHAPE(3), .dtype = VS_DT_FLOAT64,
	                             .trainable = VS_FALSE}));
	VS_ASSERT_STR(seen_name, "vs/v");
	/* get_variable runs creators at the root op name scope */
	VS_ASSERT_STR(seen_scope, "");
	VS_ASSERT_INT(seen.dtype, VS_DT_FLOAT64);
	VS_ASSERT_INT(seen.trainable, VS_FALSE);
	VS_ASSERT_INT(seen.v2, 0);
	VS_ASSERT_STR(seen_shape, "(3,)");
	/* get_local_variable: collections=[LOCAL_VARIABLES], trainable=False */
	vs_var *l = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_get_local_variable(&l, "l", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e), 0);
	VS_ASSERT_STR(seen_name, "vs/l");
	VS_ASSERT_INT(seen.trainable, VS_FALSE);
	VS_ASSERT_INT(seen_ncoll, 1);
	VS_ASSERT_STR(seen_coll0, VS_LOCAL_VARIABLES);
	EXIT(a);
	/* a direct tf.Variable runs them in the caller's name scope */
	VARIABLE((&(vs_creator_args){.name = "d", .v2 = 1}));
	VS_ASSERT_STR(seen_name, "d");
	VS_ASSERT_STR(seen_scope, "ns");
	VS_ASSERT_INT(seen.v2, 1);
	EXIT(n);
	EXIT(s);
}

static void test_creator_stack_per_graph(void)
{
	rtt_reset();
	crlog[0] = '\0';
	vs_creator c1 = {logging_creator, tag_c1, "c1"};
	vs_cm *s = CREATOR(&c1);
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	VARIABLE(&(vs_creator_args){.name = "in_g"});
	VS_ASSERT_STR(crlog, "");
	EXIT(d);
	VARIABLE(&(vs_creator_args){.name = "in_global"});
	VS_ASSERT_STR(crlog, "c1:in_global;");
	EXIT(s);
}

static void test_function_graph_borrows_creators(void)
{
	rtt_reset();
	crlog[0] = '\0';
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_creator c1 = {logging_creator, tag_c1, "c1"};
	vs_cm *s = CREATOR(&c1);
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	VS_ASSERT_INT(vs_graph_outer(f) == g, 1);
	vs_cm *fd = AS_DEFAULT(f);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(crlog, "c1:v;");
	/* lifted: the variable lives in the outer graph's store */
	VS_ASSERT_INT(vs_var_graph(v) == g, 1);
	EXIT(fd);
	EXIT(s);
	EXIT(d);
}

static void test_direct_variable_naming(void)
{
	rtt_reset();
	VS_ASSERT_STR(vs_var_name(VARIABLE(&(vs_creator_args){0})), "Variable:0");
	VS_ASSERT_STR(vs_var_name(VARIABLE(&(vs_creator_args){0})), "Variable_1:0");
	vs_cm *a = VSCOPE("foo", NULL);
	vs_var *v = VARIABLE(&(vs_creator_args){0});
	VS_ASSERT_STR(vs_var_name(v), "foo/Variable:0");
	VS_ASSERT_INT(vs_var_store_key(v) == NULL, 1);
	EXIT(a);
	/* issue #1797: in a re-entered variable scope tf.Variable follows the op scope */
	a = VSCOPE("foo", NULL);
	VS_ASSERT_STR(vs_var_name(VARIABLE(&(vs_creator_args){0})), "foo_1/Variable:0");
	EXIT(a);
	/* direct variables are not in the store: get_variable("Variable") creates */
	vs_var *g = GETVAR_SHAPE("Variable", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_store_key(g), "Variable");
	VS_ASSERT_STR(vs_var_name(g), "Variable_2:0");
}

static void test_direct_variable_trainable(void)
{
	rtt_reset();
	vs_var *t = VARIABLE(&(vs_creator_args){.name = "t"});
	vs_var *n = VARIABLE((&(vs_creator_args){.name = "n", .trainable = VS_FALSE}));
	VS_ASSERT_INT(vs_var_trainable(t), 1);
	VS_ASSERT_INT(vs_var_trainable(n), 0);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_TRAINABLE_VARIABLES), 1);
	static const char *const loc[] = {VS_LOCAL_VARIABLES, NULL};
	VARIABLE((&(vs_creator_args){.name = "l", .trainable = VS_FALSE, .collections = loc}));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_LOCAL_VARIABLES), 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
}

VS_SUITE_FN(tracer_creators)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_creator_called_on_get_variable_create),
		VS_TEST(test_innermost_first),
		VS_TEST(test_priority_order),
		VS_TEST(test_kwargs_rewrite),
		VS_TEST(test_return_existing_without_delegating),
		VS_TEST(test_creator_creates_several),
		VS_TEST(test_creator_error_not_stored),
		VS_TEST(test_e18_improper_nesting),
		VS_TEST(test_creator_kwargs_from_get_variable),
		VS_TEST(test_creator_stack_per_graph),
		VS_TEST(test_function_graph_borrows_creators),
		VS_TEST(test_direct_variable_naming),
		VS_TEST(test_direct_variable_trainable),
		VS_TEST_END};
	vs_test_add_suite("tracer_creators", rtt_suite_init, rtt_suite_clean, cases);
}
