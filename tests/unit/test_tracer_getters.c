/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for custom getters (docs/semantics.md sections 2.3, 2.4 and
 * 3.7): innermost-first composition, getters run on creation and on reuse at
 * the root name scope, a per-call getter replaces the scope's, captured
 * scopes bring their own getter, the nested sum/prod example and E9.
 */
#include "tests/unit/tracer_testutil.h"

/* a log of getter calls: "label:name:reuse;" entries */
static char glog[2048];
static char tag_a[] = "A", tag_b[] = "B", tag_c[] = "C", tag_g[] = "G", tag_p[] = "P",
            tag_z[] = "Z", tag_sum[] = "sum", tag_prod[] = "prod";

static void glog_add(const char *label, const vs_getter_args *a)
{
	size_t n = strlen(glog);
	snprintf(glog + n, sizeof glog - n, "%s:%s:%d;", label, a->name, (int)a->reuse);
}

/* logs and delegates unchanged */
static int logging_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a,
                          void *ud, vs_error *err)
{
	glog_add((const char *)ud, a);
	return vs_getter_next_call(next, out, a, err);
}

static void test_scope_getter_on_create_and_reuse(void)
{
	rtt_reset();
	glog[0] = '\0';
	vs_getter g = {logging_getter, tag_a, "A"};
	vs_cm *a = VSCOPE("foo", (&(vs_varscope_opts){.custom_getter = &g, .reuse = VS_REUSE_AUTO}));
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "foo/v:0");
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	EXIT(a);
	a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	/* a fresh string scope "foo" has no getter: only inherited ones count */
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	EXIT(a);
	/* getters receive the full name and the effective reuse */
	char want[256];
	snprintf(want, sizeof want, "A:foo/v:%d;A:foo/v:%d;", VS_REUSE_AUTO, VS_REUSE_AUTO);
	VS_ASSERT_STR(glog, want);
}

static void test_getter_sees_reuse_flag(void)
{
	rtt_reset();
	glog[0] = '\0';
	vs_getter g = {logging_getter, tag_g, "G"};
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.custom_getter = &g}));
	vs_varscope *s = vs_cm_varscope(a);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = s, .reuse = VS_REUSE_TRUE}));
	GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	char want[256];
	snprintf(want, sizeof want, "G:s/v:%d;G:s/v:%d;", VS_REUSE_FALSE, VS_REUSE_TRUE);
	VS_ASSERT_STR(glog, want);
}

static void test_composition_innermost_first(void)
{
	rtt_reset();
	glog[0] = '\0';
	vs_getter ga = {logging_getter, tag_a, "A"};
	vs_getter gb = {logging_getter, tag_b, "B"};
	vs_getter gc = {logging_getter, tag_c, "C"};
	vs_cm *a = VSCOPE("a", (&(vs_varscope_opts){.custom_getter = &ga}));
	vs_cm *b = VSCOPE("b", (&(vs_varscope_opts){.custom_getter = &gb}));
	vs_cm *n = VSCOPE("plain", NULL);
	vs_cm *c = VSCOPE("c", (&(vs_varscope_opts){.custom_getter = &gc}));
	GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(glog, "C:a/b/plain/c/v:1;B:a/b/plain/c/v:1;A:a/b/plain/c/v:1;");
	EXIT(c);
	glog[0] = '\0';
	GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_STR(glog, "B:a/b/plain/w:1;A:a/b/plain/w:1;");
	EXIT(n);
	EXIT(b);
	EXIT(a);
}

static void test_per_call_getter_replaces_scope_getter(void)
{
	rtt_reset();
	glog[0] = '\0';
	vs_getter ga = {logging_getter, tag_a, "A"};
	vs_getter gp = {logging_getter, tag_p, "P"};
	vs_cm *a = VSCOPE("a", (&(vs_varscope_opts){.custom_getter = &ga}));
	GETVAR("v", (&(vs_var_opts){.shape = VS_SHAPE(1), .custom_getter = &gp}));
	VS_ASSERT_STR(glog, "P:a/v:1;");
	EXIT(a);
}

static void test_captured_scope_brings_its_getter(void)
{
	rtt_reset();
	glog[0] = '\0';
	vs_getter ga = {logging_getter, tag_a, "A"};
	vs_getter gb = {logging_getter, tag_b, "B"};
	vs_getter gc = {logging_getter, tag_c, "C"};
	vs_cm *a = VSCOPE("cap", (&(vs_varscope_opts){.custom_getter = &ga}));
	vs_varscope *cap = vs_cm_varscope(a);
	EXIT(a);
	vs_cm *b = VSCOPE("b", (&(vs_varscope_opts){.custom_getter = &gb}));
	vs_cm *c = VSCOPE_CAPTURED(cap);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	/* the enclosing scope's getter B is not part of the chain */
	VS_ASSERT_STR(glog, "A:cap/v:1;");
	EXIT(c);
	glog[0] = '\0';
	/* an override on re-entry wraps the captured getter */
	c = VSCOPE(NULL, (&(vs_varscope_opts){.scope = cap, .custom_getter = &gc}));
	GETVAR_SHAPE("w", VS_SHAPE(1));
	VS_ASSERT_STR(glog, "C:cap/w:1;A:cap/w:1;");
	EXIT(c);
	EXIT(b);
}

static void test_set_custom_getter_replaces(void)
{
	rtt_reset();
	glog[0] = '\0';
	vs_error e;
	vs_getter ga = {logging_getter, tag_a, "A"};
	vs_getter gz = {logging_getter, tag_z, "Z"};
	vs_cm *a = VSCOPE("a", (&(vs_varscope_opts){.custom_getter = &ga}));
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_set_custom_getter(vs_get_variable_scope(), &gz, &e), 0);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(glog, "Z:a/v:1;");
	EXIT(a);
}

/* checks that the getter runs at the root name scope and names an op there */
static char seen_scope[64];
static char seen_op[64];
static int scope_probe_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a,
                              void *ud, vs_error *err)
{
	vs_op *op = NULL;
	snprintf(seen_scope, sizeof seen_scope, "%s", vs_get_name_scope());
	if (vs_op(&op, "Add", NULL, err) != 0)
		return err->code;
	snprintf(seen_op, sizeof seen_op, "%s", vs_op_name(op));
	return vs_getter_next_call(next, out, a, err);
}

static void test_getter_runs_at_root_name_scope(void)
{
	rtt_reset();
	vs_getter g = {scope_probe_getter, NULL, "probe"};
	vs_cm *n = NSCOPE("ns");
	vs_cm *a = VSCOPE("vs", (&(vs_varscope_opts){.custom_getter = &g}));
	seen_scope[0] = seen_op[0] = 'x';
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "vs/v:0");
	VS_ASSERT_STR(seen_scope, "");
	VS_ASSERT_STR(seen_op, "Add");
	VS_ASSERT_STR(vs_get_name_scope(), "ns/vs");
	EXIT(a);
	EXIT(n);
}

/* renames: name -> name + "/renamed" */
static int rename_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a,
                         void *ud, vs_error *err)
{
	char name[256];
	vs_getter_args b = *a;
	snprintf(name, sizeof name, "%s/renamed", a->name);
	b.name = name;
	return vs_getter_next_call(next, out, &b, err);
}

static void test_getter_rewrites_name(void)
{
	rtt_reset();
	vs_getter g = {rename_getter, NULL, "rename"};
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.custom_getter = &g}));
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "s/v/renamed:0");
	VS_ASSERT_STR(vs_var_store_key(v), "s/v/renamed");
	EXIT(a);
}

/* sum_getter / prod_getter of testNestedCustomGetters: two lookups each */
static int pair_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a, void *ud,
                       vs_error *err)
{
	const char *tag = ud;
	char name[256];
	vs_getter_args b = *a;
	vs_var *first = NULL, *second = NULL;
	int rc;
	b.name = name;
	snprintf(name, sizeof name, "%s/%s_0", a->name, tag);
	if ((rc = vs_getter_next_call(next, &first, &b, err)) != 0)
		return rc;
	snprintf(name, sizeof name, "%s/%s_1", a->name, tag);
	if ((rc = vs_getter_next_call(next, &second, &b, err)) != 0)
		return rc;
	*out = first;
	return 0;
}

static void test_nested_sum_prod_getters(void)
{
	rtt_reset();
	vs_getter prod = {pair_getter, tag_prod, "prod_getter"};
	vs_getter sum = {pair_getter, tag_sum, "sum_getter"};
	vs_cm *a = VSCOPE("prod_scope", (&(vs_varscope_opts){.custom_getter = &prod}));
	vs_cm *b = VSCOPE("sum_scope", (&(vs_varscope_opts){.custom_getter = &sum}));
	vs_cm *c = VSCOPE("inner_sum_scope", (&(vs_varscope_opts){.custom_getter = &sum}));
	GETVAR_SHAPE("v", VS_SHAPE(1, 2, 3));
	EXIT(c);
	EXIT(b);
	EXIT(a);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 8);
	const char *base = "prod_scope/sum_scope/inner_sum_scope/v";
	for (int i = 0; i < 8; i++) {
		char want[256];
		snprintf(want, sizeof want, "%s/sum_%d/sum_%d/prod_%d:0", base, (i >> 2) & 1,
		         (i >> 1) & 1, i & 1);
		vs_var *v = vs_collection_get(NULL, VS_GLOBAL_VARIABLES, (size_t)i);
		VS_ASSERT_STR(v ? vs_var_name(v) : NULL, want);
	}
}

static int null_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a, void *ud,
                       vs_error *err)
{
	*out = NULL;
	return 0;
}

static void test_getter_returns_non_variable(void)
{
	rtt_reset();
	vs_getter g = {null_getter, NULL, "null"};
	vs_var *out = (vs_var *)1;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                                       .custom_getter = &g}), &e), 0);
	VS_ASSERT_INT(out == NULL, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
}

static int failing_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a,
                          void *ud, vs_error *err)
{
	return vs_error_set(err, VS_ERR_VALUE, "getter refused %s", a->name);
}

static void test_getter_error_propagates(void)
{
	rtt_reset();
	vs_getter g = {failing_getter, NULL, "fail"};
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.custom_getter = &g}));
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, "getter refused s/v");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	EXIT(a);
	/* nothing half-created: a plain get_variable creates s/v */
	a = VSCOPE("s", NULL);
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("v", VS_SHAPE(1))), "s/v:0");
	EXIT(a);
}

static void test_e9_getter_not_callable(void)
{
	rtt_reset();
	vs_getter bad = {NULL, NULL, "not_a_function"};
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                                  .custom_getter = &bad}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E9 "not_a_function");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	/* as a scope getter the error surfaces at get_variable, not at entry */
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.custom_getter = &bad}));
	vs_error_init(&e);
	rc = vs_get_variable(&out, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E9 "not_a_function");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	EXIT(a);
}

/* records the kwargs the getter receives */
/* the kwargs' pointers are only valid during the call: copy the values out */
static vs_getter_args seen_args;
static char seen_name[128];
static char seen_shape[128];
static int seen_init_kind;
static int args_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a, void *ud,
                       vs_error *err)
{
	seen_args = *a;
	seen_args.name = NULL;
	seen_args.shape = NULL;
	seen_args.initializer = NULL;
	seen_args.regularizer = NULL;
	seen_args.collections = NULL;
	seen_args.caching_device = NULL;
	seen_args.partitioner = NULL;
	seen_args.constraint = NULL;
	snprintf(seen_name, sizeof seen_name, "%s", a->name);
	snprintf(seen_shape, sizeof seen_shape, "%s", a->shape ? rtt_shape_str(a->shape) : "(null)");
	seen_init_kind = rtt_kind(a->initializer);
	return vs_getter_next_call(next, out, a, err);
}

static void test_getter_kwargs(void)
{
	rtt_reset();
	vs_getter g = {args_getter, NULL, "args"};
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.custom_getter = &g,
	                                           .initializer = VS_INIT(VS_INIT_ONES)}));
	GETVAR_SHAPE("v", VS_SHAPE(4, 5));
	VS_ASSERT_STR(seen_name, "s/v");
	VS_ASSERT_STR(seen_shape, "(4, 5)");
	/* scope defaults are filled in before the getter runs */
	VS_ASSERT_INT(seen_args.dtype, VS_DT_FLOAT32);
	VS_ASSERT_INT(seen_init_kind, VS_INIT_ONES);
	VS_ASSERT_INT(seen_args.reuse, VS_REUSE_FALSE);
	/* trainable=None was validated to True */
	VS_ASSERT_INT(seen_args.trainable, VS_TRUE);
	EXIT(a);
}

VS_SUITE_FN(tracer_getters)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_scope_getter_on_create_and_reuse),
		VS_TEST(test_getter_sees_reuse_flag),
		VS_TEST(test_composition_innermost_first),
		VS_TEST(test_per_call_getter_replaces_scope_getter),
		VS_TEST(test_captured_scope_brings_its_getter),
		VS_TEST(test_set_custom_getter_replaces),
		VS_TEST(test_getter_runs_at_root_name_scope),
		VS_TEST(test_getter_rewrites_name),
		VS_TEST(test_nested_sum_prod_getters),
		VS_TEST(test_getter_returns_non_variable),
		VS_TEST(test_getter_error_propagates),
		VS_TEST(test_e9_getter_not_callable),
		VS_TEST(test_getter_kwargs),
		VS_TEST_END};
	vs_test_add_suite("tracer_getters", rtt_suite_init, rtt_suite_clean, cases);
}
