/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for make_template (docs/semantics.md §7, seed
 * "make_template"): the scale_by_y examples, the first call capturing the
 * scope at the call site, create_scope_now_, unique_name_ collisions and
 * reuse, nested templates, per-call name scopes, E22/E23/E24, a failed first
 * call being retried, custom_getter_ and the template properties.
 */
#include "tests/unit/tracer_testutil.h"

/* my_op(x, scalar_name): get_variable(scalar_name, shape=[], constant 1) */
typedef struct op_state {
	const char *scalar_name;
	vs_var *last;
	unsigned calls;
} op_state;

static int my_op(void *ud, void *call_arg, vs_error *err)
{
	op_state *st = ud;
	vs_var *v = NULL;
	int rc = vs_get_variable(&v, st->scalar_name,
	                         (&(vs_var_opts){.shape = VS_SCALAR,
	                                         .initializer = VS_INIT_CONST(1)}), err);
	st->calls++;
	if (rc == 0)
		st->last = v;
	return rc;
}

/* variable_scoped_function: get_variable("dummy", [1], zeros) */
static int scoped_fn(void *ud, void *call_arg, vs_error *err)
{
	vs_var **out = call_arg;
	vs_var *v = NULL;
	int rc = vs_get_variable(&v, "dummy",
	                         (&(vs_var_opts){.shape = VS_SHAPE(1),
	                                         .initializer = VS_INIT(VS_INIT_ZEROS)}), err);
	if (rc == 0 && out)
		*out = v;
	return rc;
}

static vs_template *make_at(int line, const char *file, const char *name, vs_template_fn fn,
                            void *ud, const vs_template_opts *o)
{
	vs_template *t = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_make_template", vs_make_template(&t, name, fn, ud, o, &e), &e);
	return t;
}
#define MAKE(name, fn, ud, o) make_at(__LINE__, __FILE__, (name), (fn), (ud), (o))

static void call_at(int line, const char *file, vs_template *t, void *arg)
{
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_template_call", vs_template_call(t, arg, &e), &e);
}
#define CALL(t, arg) call_at(__LINE__, __FILE__, (t), (arg))

static vs_var *call_scoped_at(int line, const char *file, vs_template *t)
{
	vs_var *v = NULL;
	call_at(line, file, t, &v);
	return v;
}
#define CALL_SCOPED(t) call_scoped_at(__LINE__, __FILE__, (t))

static void test_seed_scale_by_y(void)
{
	rtt_reset();
	op_state st = {"y", NULL, 0};
	vs_template *scale_by_y = MAKE("scale_by_y", my_op, &st, NULL);
	VS_ASSERT_STR(vs_template_name(scale_by_y), "scale_by_y");
	VS_ASSERT_INT(vs_template_variable_scope(scale_by_y) == NULL, 1);
	VS_ASSERT_INT(vs_template_calls(scale_by_y), 0);
	CALL(scale_by_y, NULL); /* z = scale_by_y(input1) */
	vs_var *z = st.last;
	CALL(scale_by_y, NULL); /* w = scale_by_y(input2) */
	VS_ASSERT_INT(st.last == z, 1);
	VS_ASSERT_STR(vs_var_name(z), "scale_by_y/y:0");
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(z)), VS_INIT_CONSTANT);
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(z)), "()");
	VS_ASSERT_INT(vs_template_calls(scale_by_y), 2);
	VS_ASSERT_STR(vs_template_variable_scope_name(scale_by_y), "scale_by_y/");
	VS_ASSERT_STR(vs_varscope_name(vs_template_variable_scope(scale_by_y)), "scale_by_y");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
}

static void test_seed_scale_by_y_reused_in_scope(void)
{
	rtt_reset();
	op_state st = {"y", NULL, 0};
	vs_cm *a = VSCOPE("scope", NULL);
	vs_varscope *vs = vs_cm_varscope(a);
	vs_template *scale_by_y = MAKE("scale_by_y", my_op, &st, NULL);
	CALL(scale_by_y, NULL);
	vs_var *z = st.last;
	CALL(scale_by_y, NULL);
	VS_ASSERT_INT(st.last == z, 1);
	VS_ASSERT_STR(vs_var_name(z), "scope/scale_by_y/y:0");
	EXIT(a);
	/* creates a template that reuses the variables above */
	a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = vs, .reuse = VS_REUSE_TRUE}));
	vs_template *scale_by_y2 = MAKE("scale_by_y", my_op, &st, NULL);
	CALL(scale_by_y2, NULL);
	VS_ASSERT_INT(st.last == z, 1);
	CALL(scale_by_y2, NULL);
	VS_ASSERT_INT(st.last == z, 1);
	VS_ASSERT_STR(vs_varscope_name(vs_template_variable_scope(scale_by_y2)),
	              "scope/scale_by_y");
	EXIT(a);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	VS_ASSERT_INT(st.calls, 4);
}

static void test_different_scalar_name_fails(void)
{
	rtt_reset_config(VS_UNSET, VS_TRUE);
	op_state st = {"y", NULL, 0};
	vs_template *t = MAKE("scale_by_y", my_op, &st, NULL);
	CALL(t, NULL);
	/* the docstring's warning: another name on a later call cannot be reused */
	st.scalar_name = "x";
	vs_error e;
	vs_error_init(&e);
	int rc = vs_template_call(t, NULL, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E2("scale_by_y/x") RTT_E24);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	rtt_reset();
}

static void test_first_call_scope_at_call_site(void)
{
	rtt_reset();
	vs_template *t1 = MAKE("s1", scoped_fn, NULL, NULL);
	vs_template *t2 = MAKE("s1", scoped_fn, NULL, NULL);
	vs_cm *a = VSCOPE("scope", NULL);
	vs_var *v1 = CALL_SCOPED(t1);
	vs_var *v3 = CALL_SCOPED(t2);
	EXIT(a);
	/* the template contract requires the following to ignore scope2 */
	a = VSCOPE("scope2", NULL);
	vs_var *v2 = CALL_SCOPED(t1);
	vs_var *v4 = CALL_SCOPED(t2);
	EXIT(a);
	VS_ASSERT_INT(v1 == v2, 1);
	VS_ASSERT_INT(v1 != v3, 1);
	VS_ASSERT_INT(v3 == v4, 1);
	VS_ASSERT_STR(vs_var_name(v1), "scope/s1/dummy:0");
	VS_ASSERT_STR(vs_var_name(v3), "scope/s1_1/dummy:0");
	VS_ASSERT_STR(vs_template_variable_scope_name(t1), "scope/s1/");
}

static void test_default_names_at_root(void)
{
	rtt_reset();
	vs_template *t1 = MAKE("s1", scoped_fn, NULL, NULL);
	vs_template *t2 = MAKE("s1", scoped_fn, NULL, NULL);
	VS_ASSERT_STR(vs_var_name(CALL_SCOPED(t1)), "s1/dummy:0");
	VS_ASSERT_STR(vs_var_name(CALL_SCOPED(t2)), "s1_1/dummy:0");
	VS_ASSERT_STR(vs_var_name(CALL_SCOPED(t1)), "s1/dummy:0");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
}

static void test_create_scope_now(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("s", NULL);
	vs_template *t = MAKE("t", scoped_fn, NULL, (&(vs_template_opts){.create_scope_now = 1}));
	/* captured now: no first call needed */
	VS_ASSERT_INT(vs_template_variable_scope(t) != NULL, 1);
	VS_ASSERT_STR(vs_varscope_name(vs_template_variable_scope(t)), "s/t");
	/* no name scope was opened by the constructor */
	VS_ASSERT_STR(vs_get_name_scope(), "s");
	EXIT(a);
	vs_cm *o = VSCOPE("elsewhere", NULL);
	VS_ASSERT_STR(vs_var_name(CALL_SCOPED(t)), "s/t/dummy:0");
	EXIT(o);
	/* the counter was bumped: the next template of that name gets t_1 */
	vs_template *u = MAKE("t", scoped_fn, NULL, (&(vs_template_opts){.create_scope_now = 1}));
	vs_template *w = MAKE("t", scoped_fn, NULL, (&(vs_template_opts){.create_scope_now = 1}));
	VS_ASSERT_STR(vs_varscope_name(vs_template_variable_scope(u)), "t");
	VS_ASSERT_STR(vs_varscope_name(vs_template_variable_scope(w)), "t_1");
}

/* linear_module: w, b and an "add" op; records the op name */
typedef struct lin_state {
	vs_var *w;
	char add[64];
} lin_state;

static int linear_module(void *ud, void *call_arg, vs_error *err)
{
	lin_state *st = call_arg;
	vs_op *op = NULL;
	int rc = vs_get_variable(&st->w, "w",
	                         (&(vs_var_opts){.shape = VS_SHAPE(4, 2),
	                                         .initializer = VS_INIT(VS_INIT_ZEROS)}), err);
	if (rc == 0)
		rc = vs_get_variable(&(vs_var *){NULL}, "b",
		                     (&(vs_var_opts){.shape = VS_SHAPE(2),
		                                     .initializer = VS_INIT(VS_INIT_ZEROS)}), err);
	if (rc == 0)
		rc = vs_op(&op, "Add", "add", err);
	if (rc == 0)
		snprintf(st->add, sizeof st->add, "%s", vs_op_name(op));
	return rc;
}

static void test_name_scopes_for_variable_scopes(void)
{
	rtt_reset();
	lin_state a = {0}, b = {0}, c = {0}, d = {0};
	vs_template_opts now = {.create_scope_now = 1};
	vs_template *linear1 = MAKE("foo", linear_module, NULL, &now);
	CALL(linear1, &a);
	CALL(linear1, &b);
	VS_ASSERT_STR(vs_varscope_name(vs_template_variable_scope(linear1)), "foo");
	VS_ASSERT_STR(vs_var_name(a.w), "foo/w:0");
	/* first application: same name scope as the variables */
	VS_ASSERT_STR(a.add, "foo/add");
	/* second application: a freshly uniquified name scope */
	VS_ASSERT_STR(b.add, "foo_1/add");
	vs_template *linear2 = MAKE("foo", linear_module, NULL, &now);
	CALL(linear2, &c);
	CALL(linear2, &d);
	VS_ASSERT_STR(vs_varscope_name(vs_template_variable_scope(linear2)), "foo_1");
	VS_ASSERT_STR(vs_var_name(c.w), "foo_1/w:0");
	/* 'foo_1' is already a name scope */
	VS_ASSERT_STR(c.add, "foo_1_1/add");
	VS_ASSERT_STR(d.add, "foo_1_2/add");
}

static void test_unique_name_collision(void)
{
	rtt_reset_config(VS_UNSET, VS_TRUE);
	vs_template *t1 = MAKE("_", scoped_fn, NULL, (&(vs_template_opts){.unique_name = "s1"}));
	VS_ASSERT_STR(vs_var_name(CALL_SCOPED(t1)), "s1/dummy:0");
	vs_template *t2 = NULL;
	vs_error e;
	vs_error_init(&e);
	int made_line = __LINE__ + 1;
	VS_ASSERT_INT(vs_make_template(&t2, "_", scoped_fn, NULL,
	                               (&(vs_template_opts){.unique_name = "s1"}), &e), 0);
	vs_var *v = NULL;
	int rc = vs_template_call(t2, &v, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	VS_ASSERT_INT(e.code, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("s1/dummy") RTT_E24);
	/* "originally defined at" is the template's construction site */
	char frame[128];
	snprintf(frame, sizeof frame, "line %d, in %s", made_line, __func__);
	RTT_ASSERT_CONTAINS(e.msg, frame);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	rtt_reset();
}

static void test_unique_name_and_reuse(void)
{
	rtt_reset();
	vs_error e;
	vs_template *t1 = MAKE("_", scoped_fn, NULL, (&(vs_template_opts){.unique_name = "s1"}));
	vs_var *v1 = CALL_SCOPED(t1);
	vs_var *v2 = CALL_SCOPED(t1);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_reuse_variables(vs_get_variable_scope(), &e), 0);
	vs_template *t2 = MAKE("_", scoped_fn, NULL, (&(vs_template_opts){.unique_name = "s1"}));
	vs_var *v3 = CALL_SCOPED(t2);
	VS_ASSERT_INT(v1 == v2, 1);
	VS_ASSERT_INT(v1 == v3, 1);
	VS_ASSERT_STR(vs_var_name(v1), "s1/dummy:0");
}

/* nested_template: two inner templates "nested" made and called per call */
typedef struct nest_out {
	vs_var *v1, *v2;
	size_t n1_vars, n2_vars, n1_train, n1_nontrain;
	vs_var *n1_first, *n2_first;
} nest_out;

static int nested_fn(void *ud, void *call_arg, vs_error *err)
{
	nest_out *o = call_arg;
	vs_template *n1 = NULL, *n2 = NULL;
	int rc;
	if ((rc = vs_make_template(&n1, "nested", scoped_fn, NULL, NULL, err)) != 0)
		return rc;
	if ((rc = vs_make_template(&n2, "nested", scoped_fn, NULL, NULL, err)) != 0)
		return rc;
	if ((rc = vs_template_call(n1, &o->v1, err)) != 0)
		return rc;
	if ((rc = vs_template_call(n2, &o->v2, err)) != 0)
		return rc;
	o->n1_vars = vs_template_variables(n1, VS_TMPL_VARIABLES, &o->n1_first, 1);
	o->n2_vars = vs_template_variables(n2, VS_TMPL_VARIABLES, &o->n2_first, 1);
	o->n1_train = vs_template_variables(n1, VS_TMPL_TRAINABLE, NULL, 0);
	o->n1_nontrain = vs_template_variables(n1, VS_TMPL_NON_TRAINABLE, NULL, 0);
	return 0;
}

static void test_nested_templates(void)
{
	rtt_reset();
	nest_out a = {0}, b = {0}, c = {0};
	vs_template *tmpl1 = MAKE("s1", nested_fn, NULL, NULL);
	vs_template *tmpl2 = MAKE("s1", nested_fn, NULL, NULL);
	CALL(tmpl1, &a);
	/* nested1 and nested2 do not share variables, and see only their own */
	VS_ASSERT_INT(a.v1 != a.v2, 1);
	VS_ASSERT_INT(a.n1_vars, 1);
	VS_ASSERT_INT(a.n1_first == a.v1, 1);
	VS_ASSERT_INT(a.n2_vars, 1);
	VS_ASSERT_INT(a.n2_first == a.v2, 1);
	VS_ASSERT_INT(a.n1_train, 1);
	VS_ASSERT_INT(a.n1_nontrain, 0);
	CALL(tmpl1, &b);
	CALL(tmpl2, &c);
	/* the same template shares variables, different templates do not */
	VS_ASSERT_INT(a.v1 == b.v1, 1);
	VS_ASSERT_INT(a.v2 == b.v2, 1);
	VS_ASSERT_INT(a.v1 != c.v1, 1);
	VS_ASSERT_INT(a.v2 != c.v2, 1);
	VS_ASSERT_STR(vs_var_name(a.v1), "s1/nested/dummy:0");
	VS_ASSERT_STR(vs_var_name(a.v2), "s1/nested_1/dummy:0");
	VS_ASSERT_STR(vs_var_name(c.v1), "s1_1/nested/dummy:0");
	VS_ASSERT_STR(vs_var_name(c.v2), "s1_1/nested_1/dummy:0");
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 4);
}

/* creates a tf.Variable (trainable per ud) on every call */
static int direct_var_fn(void *ud, void *call_arg, vs_error *err)
{
	vs_var *v = NULL;
	vs_tristate trainable = ud ? VS_TRUE : VS_FALSE;
	return vs_variable(&v, (&(vs_creator_args){.name = "direct", .trainable = trainable}), err);
}

static void test_e23_trainable_variable_on_second_call(void)
{
	rtt_reset();
	static char yes[] = "yes";
	vs_template *t = MAKE("t", direct_var_fn, yes, NULL);
	CALL(t, NULL);
	vs_error e;
	vs_error_init(&e);
	int rc = vs_template_call(t, NULL, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	VS_ASSERT_INT(e.code, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E23);
	RTT_ASSERT_CONTAINS(e.msg, "t_1/direct");
	RTT_ASSERT_CONTAINS(e.msg, RTT_E24);
}

static void test_non_trainable_variable_on_second_call_allowed(void)
{
	rtt_reset();
	vs_template *t = MAKE("t", direct_var_fn, NULL, NULL);
	CALL(t, NULL);
	CALL(t, NULL);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
	vs_var *second = vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 1);
	VS_ASSERT_STR(second ? vs_var_name(second) : NULL, "t_1/direct:0");
}

/* fails with a TypeError the first time, works afterwards */
static int flaky_fn(void *ud, void *call_arg, vs_error *err)
{
	int *calls = ud;
	if ((*calls)++ == 0)
		return vs_error_set(err, VS_ERR_TYPE, "got an unexpected keyword argument 'is_training'");
	return scoped_fn(NULL, call_arg, err);
}

static void test_failed_first_call_retried(void)
{
	rtt_reset();
	const int now[] = {1, 0};
	const char *want[] = {"f1/dummy:0", "f1_1/dummy:0"};
	for (int i = 0; i < 2; i++) {
		int calls = 0;
		vs_template *t = MAKE("f1", flaky_fn, &calls,
		                      (&(vs_template_opts){.create_scope_now = now[i]}));
		vs_error e;
		vs_error_init(&e);
		vs_var *v = NULL;
		int rc = vs_template_call(t, &v, &e);
		VS_ASSERT_INT(rc, VS_ERR_TYPE);
		RTT_ASSERT_PREFIX(e.msg, "got an unexpected keyword argument 'is_training'" RTT_E24);
		/* the variable was not created, so this succeeds and creates it */
		VS_ASSERT_STR(vs_var_name(CALL_SCOPED(t)), want[i]);
		VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), (size_t)i + 1);
		/* and later calls reuse it */
		VS_ASSERT_STR(vs_var_name(CALL_SCOPED(t)), want[i]);
	}
}

static void test_e22_name_none(void)
{
	rtt_reset();
	vs_template *t = (vs_template *)1;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_make_template(&t, NULL, scoped_fn, NULL, NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E22);
}

static int counting_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a,
                           void *ud, vs_error *err)
{
	(*(int *)ud)++;
	return vs_getter_next_call(next, out, a, err);
}

static void test_custom_getter_runs_every_call(void)
{
	rtt_reset();
	int count = 0;
	vs_getter g = {counting_getter, &count, "counter"};
	vs_template *t = MAKE("t", scoped_fn, NULL, (&(vs_template_opts){.custom_getter = &g}));
	vs_var *v1 = CALL_SCOPED(t);
	VS_ASSERT_INT(count, 1);
	vs_var *v2 = CALL_SCOPED(t);
	VS_ASSERT_INT(count, 2);
	VS_ASSERT_INT(v1 == v2, 1);
	/* the getter belongs to the template's scope only */
	GETVAR_SHAPE("outside", VS_SHAPE(1));
	VS_ASSERT_INT(count, 2);
}

/* a trainable and a non-trainable get_variable */
static int two_vars_fn(void *ud, void *call_arg, vs_error *err)
{
	vs_var *v = NULL;
	int rc = vs_get_variable(&v, "w", (&(vs_var_opts){.shape = VS_SHAPE(1)}), err);
	if (rc == 0)
		rc = vs_get_variable(&v, "step", (&(vs_var_opts){.shape = VS_SCALAR,
		                                                .dtype = VS_DT_INT64,
		                                                .trainable = VS_FALSE}), err);
	return rc;
}

static void test_template_variable_properties(void)
{
	rtt_reset();
	vs_var *got[4] = {0};
	vs_template *t = MAKE("t", two_vars_fn, NULL, NULL);
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_GLOBAL, got, 4), 0);
	GETVAR_SHAPE("unrelated", VS_SHAPE(1));
	CALL(t, NULL);
	CALL(t, NULL);
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_GLOBAL, got, 4), 2);
	VS_ASSERT_STR(got[0] ? vs_var_name(got[0]) : NULL, "t/w:0");
	VS_ASSERT_STR(got[1] ? vs_var_name(got[1]) : NULL, "t/step:0");
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_TRAINABLE, got, 4), 1);
	VS_ASSERT_STR(got[0] ? vs_var_name(got[0]) : NULL, "t/w:0");
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_NON_TRAINABLE, got, 4), 1);
	VS_ASSERT_STR(got[0] ? vs_var_name(got[0]) : NULL, "t/step:0");
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_LOCAL, got, 4), 0);
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_VARIABLES, got, 4), 2);
	/* max smaller than the count: the total is still returned */
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_GLOBAL, got, 1), 2);
}

static void test_template_with_empty_name(void)
{
	rtt_reset();
	vs_template *t = MAKE("", scoped_fn, NULL, NULL);
	vs_cm *a = VSCOPE("outer", NULL);
	vs_var *x = GETVAR_SHAPE("x", VS_SCALAR);
	vs_var *v = CALL_SCOPED(t);
	EXIT(a);
	VS_ASSERT_STR(vs_template_variable_scope_name(t), "outer/");
	VS_ASSERT_STR(vs_var_name(v), "outer//dummy:0");
	vs_var *got[4] = {0};
	/* the prefix filter over-matches: x is listed too */
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_GLOBAL, got, 4), 2);
	VS_ASSERT_INT(got[0] == x, 1);
	VS_ASSERT_INT(got[1] == v, 1);
}

static void test_template_in_eager_rejects_unique_name(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	vs_template *t = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_make_template(&t, "t", scoped_fn, NULL,
	                          (&(vs_template_opts){.unique_name = "u"}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E25);
	rtt_reset();
}

static void test_create_scope_now_scope_details(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("outer", (&(vs_varscope_opts){.dtype = VS_DT_INT32}));
	vs_template *t = MAKE("t", scoped_fn, NULL, (&(vs_template_opts){.create_scope_now = 1}));
	EXIT(a);
	vs_varscope *s = vs_template_variable_scope(t);
	VS_ASSERT_INT(s != NULL, 1);
	if (!s)
		return;
	VS_ASSERT_STR(vs_varscope_name(s), "outer/t");
	/* built by a bare _pure_variable_scope: no name scope, so the original
	 * name scope is the bare name, and its default dtype=float32 wins over
	 * the inherited int32 */
	VS_ASSERT_STR(vs_varscope_original_name_scope(s), "t");
	VS_ASSERT_INT(vs_varscope_dtype(s), VS_DT_FLOAT32);
	VS_ASSERT_INT(vs_var_dtype(CALL_SCOPED(t)), VS_DT_FLOAT32);
}

static void test_create_scope_now_keeps_captured_reuse(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_TRUE);
	vs_template *t = MAKE("t", scoped_fn, NULL, (&(vs_template_opts){.create_scope_now = 1}));
	EXIT(a);
	/* the first call re-enters the captured scope with reuse=False, i.e. with
	 * the captured flag: a template built in a reusing scope reuses at once */
	vs_var *v = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_template_call(t, &v, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E2("s/t/dummy") RTT_E24);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	/* once the variable exists, the template picks it up */
	a = VSCOPE("s", NULL);
	vs_cm *b = VSCOPE("t", NULL);
	vs_var *made = NULL;
	VS_ASSERT_INT(scoped_fn(NULL, &made, &e), 0);
	EXIT(b);
	EXIT(a);
	VS_ASSERT_INT(CALL_SCOPED(t) == made, 1);
}

VS_SUITE_FN(tracer_templates)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_seed_scale_by_y),
		VS_TEST(test_seed_scale_by_y_reused_in_scope),
		VS_TEST(test_different_scalar_name_fails),
		VS_TEST(test_first_call_scope_at_call_site),
		VS_TEST(test_default_names_at_root),
		VS_TEST(test_create_scope_now),
		VS_TEST(test_name_scopes_for_variable_scopes),
		VS_TEST(test_unique_name_collision),
		VS_TEST(test_unique_name_and_reuse),
		VS_TEST(test_nested_templates),
		VS_TEST(test_e23_trainable_variable_on_second_call),
		VS_TEST(test_non_trainable_variable_on_second_call_allowed),
		VS_TEST(test_failed_first_call_retried),
		VS_TEST(test_e22_name_none),
		VS_TEST(test_custom_getter_runs_every_call),
		VS_TEST(test_template_variable_properties),
		VS_TEST(test_template_with_empty_name),
		VS_TEST(test_template_in_eager_rejects_unique_name),
		VS_TEST(test_create_scope_now_scope_details),
		VS_TEST(test_create_scope_now_keeps_captured_reuse),
		VS_TEST_END};
	vs_test_add_suite("tracer_templates", rtt_suite_init, rtt_suite_clean, cases);
}
