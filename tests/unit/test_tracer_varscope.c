/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for libvs variable scopes (docs/semantics.md §3):
 * string vs captured scopes, default_name counters and their resets, reuse
 * inheritance and reuse_variables(), E12-E17, auxiliary_name_scope,
 * original_name_scope and the inherited (and not inherited) defaults.
 */
#include "tests/unit/tracer_testutil.h"

static void test_seed_nested_names(void)
{
	rtt_reset();
	VS_ASSERT_STR(rtt_cur_scope(), "");
	vs_cm *a = VSCOPE("foo", NULL);
	VS_ASSERT_STR(rtt_cur_scope(), "foo");
	vs_cm *b = VSCOPE("bar", NULL);
	VS_ASSERT_STR(rtt_cur_scope(), "foo/bar");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "foo/bar/v:0");
	VS_ASSERT_STR(vs_var_store_key(v), "foo/bar/v");
	VS_ASSERT_STR(vs_var_op_name(v), "foo/bar/v");
	EXIT(b);
	VS_ASSERT_STR(rtt_cur_scope(), "foo");
	EXIT(a);
	VS_ASSERT_STR(rtt_cur_scope(), "");
}

static void test_null_opts_accepted(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_variable_scope(&cm, "n", NULL, &e), 0);
	VS_ASSERT_STR(rtt_cur_scope(), "n");
	/* NULL opts is get_variable("v") with every argument None: no shape */
	vs_var *v = NULL;
	int rc = vs_get_variable(&v, "v", NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E7);
	VS_ASSERT_INT(v == NULL, 1);
	EXIT(cm);
	VS_ASSERT_STR(rtt_cur_scope(), "");
}

static void test_string_reentry_ops_get_suffix(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_var *v1 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_get_name_scope(), "foo");
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs_get_variable_scope()), "foo/");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "foo/Add");
	EXIT(a);
	a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	VS_ASSERT_STR(rtt_cur_scope(), "foo");
	VS_ASSERT_STR(vs_get_name_scope(), "foo_1");
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs_get_variable_scope()), "foo_1/");
	vs_var *v2 = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(v1 == v2, 1);
	VS_ASSERT_STR(vs_var_name(v2), "foo/v:0");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "foo_1/Add");
	EXIT(a);
}

static void test_reuse_inheritance(void)
{
	rtt_reset();
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_FALSE);
	vs_cm *a = VSCOPE_REUSE("a", VS_REUSE_TRUE);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	vs_cm *b = VSCOPE("b", NULL);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	/* reuse=False is the same as None: it cannot undo an inherited True */
	vs_cm *c = VSCOPE_REUSE("c", VS_REUSE_FALSE);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	/* AUTO_REUSE under True: arg `or` parent -> AUTO_REUSE wins (truthy) */
	vs_cm *d = VSCOPE_REUSE("d", VS_REUSE_AUTO);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_AUTO);
	EXIT(d);
	EXIT(c);
	EXIT(b);
	EXIT(a);
	a = VSCOPE_REUSE("x", VS_REUSE_AUTO);
	b = VSCOPE("y", NULL);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_AUTO);
	c = VSCOPE_REUSE("z", VS_REUSE_TRUE);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	EXIT(c);
	EXIT(b);
	EXIT(a);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_FALSE);
}

static void test_reuse_variables_on_scope(void)
{
	rtt_reset();
	vs_error e;
	vs_var *v = NULL;
	vs_cm *a = VSCOPE("a", NULL);
	vs_var *w = GETVAR_SHAPE("w", VS_SHAPE(1));
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_reuse_variables(vs_get_variable_scope(), &e), 0);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	VS_ASSERT_INT(GETVAR_SHAPE("w", VS_SHAPE(1)) == w, 1);
	vs_error_init(&e);
	int rc = vs_get_variable(&v, "nope", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E2("a/nope"));
	vs_cm *b = VSCOPE("b", NULL);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	EXIT(b);
	EXIT(a);
	/* a string scope builds a fresh VariableScope each time */
	a = VSCOPE("a", NULL);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_FALSE);
	EXIT(a);
}

static void test_reuse_variables_on_root_poisons(void)
{
	rtt_reset();
	vs_error e;
	vs_var *v = NULL;
	vs_varscope *root = vs_get_variable_scope();
	VS_ASSERT_STR(vs_varscope_name(root), "");
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_reuse_variables(root, &e), 0);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	vs_cm *a = VSCOPE("model", NULL);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	vs_error_init(&e);
	int rc = vs_get_variable(&v, "Adam", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E2("model/Adam"));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
	EXIT(a);
	/* a new graph has its own root scope */
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_FALSE);
	EXIT(d);
}

static void test_default_name_counters(void)
{
	rtt_reset();
	const char *want[] = {"layer", "layer_1", "layer_2"};
	for (int i = 0; i < 3; i++) {
		vs_cm *a = VSCOPE_DEFAULT("layer");
		VS_ASSERT_STR(rtt_cur_scope(), want[i]);
		VS_ASSERT_STR(vs_get_name_scope(), want[i]);
		EXIT(a);
	}
	/* an explicit string scope counts too */
	vs_cm *a = VSCOPE("conv", NULL);
	EXIT(a);
	a = VSCOPE_DEFAULT("conv");
	VS_ASSERT_STR(rtt_cur_scope(), "conv_1");
	EXIT(a);
}

static void test_default_name_counters_case_sensitive(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE_DEFAULT("layer");
	EXIT(a);
	/* var-scope counters are case-sensitive, op names are not */
	a = VSCOPE_DEFAULT("Layer");
	VS_ASSERT_STR(rtt_cur_scope(), "Layer");
	VS_ASSERT_STR(vs_get_name_scope(), "Layer_1");
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs_get_variable_scope()), "Layer_1/");
	EXIT(a);
}

static void test_default_name_scope_diverges_from_op_scope(void)
{
	rtt_reset();
	OP("NoOp", "n");
	vs_cm *a = VSCOPE_DEFAULT("n");
	VS_ASSERT_STR(rtt_cur_scope(), "n");
	VS_ASSERT_STR(vs_get_name_scope(), "n_1");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "n/v:0");
	EXIT(a);
}

static void test_docstring_counter_reset(void)
{
	rtt_reset();
	vs_cm *foo = VSCOPE("foo", NULL);
	vs_cm *s = VSCOPE_DEFAULT("bar");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("a", VS_SHAPE(1))), "foo/bar/a:0");
	EXIT(s);
	s = VSCOPE_DEFAULT("bar");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("b", VS_SHAPE(1))), "foo/bar_1/b:0");
	EXIT(s);
	EXIT(foo);
	foo = VSCOPE("foo", NULL);
	s = VSCOPE_DEFAULT("bar");
	/* "Uses bar instead of bar_2!" */
	VS_ASSERT_STR(rtt_cur_scope(), "foo/bar");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("c", VS_SHAPE(1))), "foo/bar/c:0");
	EXIT(s);
	EXIT(foo);
}

static void test_counter_reset_lands_on_existing_name(void)
{
	rtt_reset();
	vs_error e;
	vs_var *v = NULL;
	vs_cm *foo = VSCOPE("foo", NULL);
	vs_cm *s = VSCOPE_DEFAULT("bar");
	GETVAR_SHAPE("w", VS_SHAPE(1));
	EXIT(s);
	EXIT(foo);
	foo = VSCOPE("foo", NULL);
	s = VSCOPE_DEFAULT("bar");
	vs_error_init(&e);
	int rc = vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("foo/bar/w"));
	EXIT(s);
	EXIT(foo);
}

static void test_jump_keeps_numbering(void)
{
	rtt_reset();
	vs_cm *d = VSCOPE("default", NULL);
	vs_varscope *def = vs_cm_varscope(d);
	VS_ASSERT_STR(vs_varscope_name(def), "default");
	vs_cm *l = VSCOPE_DEFAULT("layer");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("w", VS_SCALAR)), "default/layer/w:0");
	EXIT(l);
	l = VSCOPE_DEFAULT("layer");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("w", VS_SCALAR)), "default/layer_1/w:0");
	EXIT(l);
	vs_cm *j = VSCOPE_CAPTURED(def);
	EXIT(j);
	/* no matter the jump in the middle, unique numbering continues */
	l = VSCOPE_DEFAULT("layer");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("w", VS_SCALAR)), "default/layer_2/w:0");
	EXIT(l);
	EXIT(d);
}

static void test_captured_scope_reentry(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_varscope *foo = vs_cm_varscope(a);
	VS_ASSERT_INT(foo == vs_get_variable_scope(), 1);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	vs_cm *b = VSCOPE("bar", NULL);
	vs_cm *c = VSCOPE(NULL, (&(vs_varscope_opts){.scope = foo, .reuse = VS_REUSE_TRUE}));
	/* the captured name is absolute: not bar/foo */
	VS_ASSERT_STR(rtt_cur_scope(), "foo");
	/* the op name scope opens the last component inside the current one */
	VS_ASSERT_STR(vs_get_name_scope(), "bar/foo");
	/* original_name_scope is the captured scope's */
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs_get_variable_scope()), "foo/");
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("v", VS_SHAPE(1))), "foo/v:0");
	EXIT(c);
	VS_ASSERT_STR(rtt_cur_scope(), "bar");
	EXIT(b);
}

static void test_captured_scope_is_copied(void)
{
	rtt_reset();
	vs_error e;
	vs_cm *a = VSCOPE("foo", NULL);
	vs_varscope *foo = vs_cm_varscope(a);
	EXIT(a);
	vs_cm *b = VSCOPE_CAPTURED(foo);
	vs_varscope *copy = vs_get_variable_scope();
	VS_ASSERT_INT(copy != foo, 1);
	VS_ASSERT_INT(vs_varscope_id(copy) != vs_varscope_id(foo), 1);
	VS_ASSERT_INT(vs_cm_varscope(b) == copy, 1);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_reuse_variables(copy, &e), 0);
	VS_ASSERT_INT(vs_varscope_reuse(copy), VS_REUSE_TRUE);
	/* the captured object is untouched */
	VS_ASSERT_INT(vs_varscope_reuse(foo), VS_REUSE_FALSE);
	EXIT(b);
	/* and reuse_variables() on the captured object shows in later entries */
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_reuse_variables(foo, &e), 0);
	b = VSCOPE_CAPTURED(foo);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	EXIT(b);
}

static void test_captured_reuse_flags(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("plain", NULL);
	vs_varscope *plain = vs_cm_varscope(a);
	EXIT(a);
	a = VSCOPE_REUSE("reusing", VS_REUSE_TRUE);
	vs_varscope *reusing = vs_cm_varscope(a);
	EXIT(a);
	/* captured non-reusing scope inside a reusing parent: captured flag wins */
	vs_cm *p = VSCOPE_REUSE("parent", VS_REUSE_TRUE);
	vs_cm *c = VSCOPE_CAPTURED(plain);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_FALSE);
	EXIT(c);
	EXIT(p);
	/* a captured reuse=True cannot be undone with reuse=False */
	c = VSCOPE(NULL, (&(vs_varscope_opts){.scope = reusing, .reuse = VS_REUSE_FALSE}));
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	EXIT(c);
	/* an explicit reuse=True / AUTO on re-entry applies */
	c = VSCOPE(NULL, (&(vs_varscope_opts){.scope = plain, .reuse = VS_REUSE_AUTO}));
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_AUTO);
	EXIT(c);
}

static void test_captured_tower_name_scopes(void)
{
	rtt_reset();
	vs_cm *s1 = VSCOPE("scope1", NULL);
	vs_cm *t = VSCOPE("tower", NULL);
	vs_varscope *tower = vs_cm_varscope(t);
	VS_ASSERT_STR(vs_varscope_original_name_scope(tower), "scope1/tower/");
	EXIT(t);
	EXIT(s1);
	vs_cm *x = NSCOPE("x");
	t = VSCOPE_CAPTURED(tower);
	VS_ASSERT_STR(rtt_cur_scope(), "scope1/tower");
	VS_ASSERT_STR(vs_get_name_scope(), "x/tower");
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs_get_variable_scope()), "scope1/tower/");
	EXIT(t);
	EXIT(x);
	t = VSCOPE_CAPTURED(tower);
	VS_ASSERT_STR(vs_get_name_scope(), "tower");
	EXIT(t);
	t = VSCOPE_CAPTURED(tower);
	VS_ASSERT_STR(vs_get_name_scope(), "tower_1");
	EXIT(t);
}

static void test_reenter_root_scope(void)
{
	rtt_reset();
	vs_varscope *root = vs_get_variable_scope();
	vs_cm *a = VSCOPE("a", NULL);
	vs_cm *r = VSCOPE_CAPTURED(root);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	/* the root has no name component: no name scope is opened */
	VS_ASSERT_STR(vs_get_name_scope(), "a");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("v", VS_SHAPE(1))), "v:0");
	EXIT(r);
	VS_ASSERT_STR(rtt_cur_scope(), "a");
	EXIT(a);
}

static void test_auxiliary_name_scope_false(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", (&(vs_varscope_opts){.auxiliary_name_scope = VS_FALSE}));
	VS_ASSERT_STR(rtt_cur_scope(), "foo");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs_get_variable_scope()), "");
	/* not inherited: a child opens its name scope normally */
	vs_cm *b = VSCOPE("child", NULL);
	VS_ASSERT_STR(vs_get_name_scope(), "child");
	EXIT(b);
	EXIT(a);
	vs_cm *o = VSCOPE("outer", NULL);
	vs_cm *i = VSCOPE("inner", (&(vs_varscope_opts){.auxiliary_name_scope = VS_FALSE}));
	VS_ASSERT_STR(rtt_cur_scope(), "outer/inner");
	VS_ASSERT_STR(vs_get_name_scope(), "outer");
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs_get_variable_scope()), "outer/");
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "outer/Add");
	EXIT(i);
	EXIT(o);
}

static void test_auxiliary_reenter_idiom(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_varscope *foo = vs_cm_varscope(a);
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "foo/Add");
	EXIT(a);
	/* variable_scope(vs, auxiliary_name_scope=False) as vs1:
	 *     name_scope(vs1.original_name_scope) */
	vs_cm *b = VSCOPE(NULL, (&(vs_varscope_opts){.scope = foo,
	                                             .auxiliary_name_scope = VS_FALSE}));
	vs_varscope *vs1 = vs_cm_varscope(b);
	VS_ASSERT_STR(vs_varscope_original_name_scope(vs1), "foo/");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	vs_cm *n = NSCOPE(vs_varscope_original_name_scope(vs1));
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "foo/Add_1");
	EXIT(n);
	EXIT(b);
}

static void test_err_no_name_no_default(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(&cm, NULL, &(vs_varscope_opts){0}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_TYPE, RTT_E12);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

static void test_err_bad_reuse_value(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(&cm, "s", &(vs_varscope_opts){.reuse = (vs_reuse)7}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E13);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	/* nothing was consumed: the name scope "s" is still free */
	vs_cm *a = VSCOPE("s", NULL);
	VS_ASSERT_STR(vs_get_name_scope(), "s");
	EXIT(a);
}

static void test_err_bad_auxiliary_name_scope(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(&cm, "s", &(vs_varscope_opts){.bad_auxiliary_name_scope = 1},
	                           &e);
	RTT_ASSERT_ERR_PREFIX(rc, e, VS_ERR_TYPE, RTT_E14);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

/* E14 quotes the value (str.format of the bad object): "maybe" and 2 */
static void test_err_bad_auxiliary_name_scope_text(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(&cm, "s",
	                           &(vs_varscope_opts){.bad_auxiliary_name_scope_text = "maybe"}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_TYPE, RTT_E14 "maybe");
	rc = vs_variable_scope(&cm, "s", &(vs_varscope_opts){.bad_auxiliary_name_scope = 2}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_TYPE, RTT_E14 "2");
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

/* variable_scope(123): neither a string nor a VariableScope; raised even
 * with a default_name, and the failed entry changes nothing */
static void test_err_bad_name_or_scope(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(&cm, NULL, &(vs_varscope_opts){.bad_name_or_scope = "123"}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_TYPE, RTT_E15);
	rc = vs_variable_scope(&cm, NULL,
	                       &(vs_varscope_opts){.bad_name_or_scope = "1.5", .default_name = "d"},
	                       &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_TYPE, RTT_E15);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
	VS_ASSERT_INT(vs_default_graph_stack_depth(), 0);
	/* the default name was not used up */
	vs_cm *d = VSCOPE_DEFAULT("d");
	VS_ASSERT_STR(rtt_cur_scope(), "d");
	VS_ASSERT_INT(vs_default_graph_stack_depth(), 1);
	EXIT(d);
	VS_ASSERT_INT(vs_default_graph_stack_depth(), 0);
}

static int reg_none(void *ud, vs_var *v)
{
	(void)v;
	++*(int *)ud;
	return 0;
}

/* TF's testVarScopeRegularizer: set_regularizer on the entered scope
 * applies to later variables; a regularizer returning None adds no loss */
static void test_set_regularizer(void)
{
	rtt_reset();
	int none_calls = 0;
	vs_regularizer adds = {NULL, NULL, "r1"}, none = {reg_none, &none_calls, "no_regularizer"};
	vs_cm *a = VSCOPE("tower", NULL);
	vs_varscope *s = vs_cm_varscope(a);
	VS_ASSERT_INT(vs_varscope_regularizer(s) == NULL, 1);
	VS_ASSERT_INT(vs_varscope_custom_getter(s) == NULL, 1);
	GETVAR_SHAPE("u", VS_SCALAR);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 0);
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_set_regularizer(s, &adds, &e), 0);
	VS_ASSERT_STR(vs_varscope_regularizer(s)->label, "r1");
	vs_var *w = GETVAR_SHAPE("w", VS_SCALAR);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 1);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_REGULARIZATION_LOSSES, 0) == w, 1);
	/* a sub-scope entered now inherits it */
	vs_cm *b = VSCOPE("sub", NULL);
	VS_ASSERT_STR(vs_varscope_regularizer(vs_cm_varscope(b))->label, "r1");
	EXIT(b);
	VS_ASSERT_INT(vs_varscope_set_regularizer(s, &none, &e), 0);
	GETVAR_SHAPE("z", VS_SCALAR);
	VS_ASSERT_INT(none_calls, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_REGULARIZATION_LOSSES), 1);
	VS_ASSERT_INT(vs_varscope_set_regularizer(s, NULL, &e), 0);
	VS_ASSERT_INT(vs_varscope_regularizer(s) == NULL, 1);
	VS_ASSERT_INT(vs_varscope_set_regularizer(NULL, &adds, &e), VS_ERR_INVALID);
	EXIT(a);
}

static int getter_pass(vs_var **out, vs_getter_next *next, const vs_getter_args *args, void *ud,
                       vs_error *err)
{
	(void)ud;
	return vs_getter_next_call(next, out, args, err);
}

/* the scope's custom getter is the innermost of the composed chain */
static void test_custom_getter_accessor(void)
{
	rtt_reset();
	vs_getter outer = {getter_pass, NULL, "outer"}, inner = {getter_pass, NULL, "inner"};
	vs_cm *a = VSCOPE("a", (&(vs_varscope_opts){.custom_getter = &outer}));
	VS_ASSERT_STR(vs_varscope_custom_getter(vs_cm_varscope(a))->label, "outer");
	vs_cm *b = VSCOPE("b", (&(vs_varscope_opts){.custom_getter = &inner}));
	VS_ASSERT_STR(vs_varscope_custom_getter(vs_cm_varscope(b))->label, "inner");
	EXIT(b);
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_set_custom_getter(vs_cm_varscope(a), NULL, &e), 0);
	VS_ASSERT_INT(vs_varscope_custom_getter(vs_cm_varscope(a)) == NULL, 1);
	EXIT(a);
}

static void test_err_name_and_scope(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_varscope *foo = vs_cm_varscope(a);
	EXIT(a);
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(&cm, "bar", &(vs_varscope_opts){.scope = foo}, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_TYPE, RTT_E15);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

static void test_err_default_name_with_reuse(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_variable_scope(
	    &cm, NULL, (&(vs_varscope_opts){.default_name = "d", .reuse = VS_REUSE_TRUE}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E16);
	/* AUTO_REUSE is truthy too */
	vs_error_init(&e);
	rc = vs_variable_scope(
	    &cm, NULL, (&(vs_varscope_opts){.default_name = "d", .reuse = VS_REUSE_AUTO}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E16);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	/* counters and names untouched: the next default scope is plain "d" */
	vs_cm *a = VSCOPE_DEFAULT("d");
	VS_ASSERT_STR(rtt_cur_scope(), "d");
	VS_ASSERT_STR(vs_get_name_scope(), "d");
	EXIT(a);
	/* reuse=False with default_name is fine (False == None) */
	a = VSCOPE(NULL, (&(vs_varscope_opts){.default_name = "d", .reuse = VS_REUSE_FALSE}));
	VS_ASSERT_STR(rtt_cur_scope(), "d_1");
	EXIT(a);
}

static void test_err_improper_nesting(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("a", NULL);
	vs_cm *b = VSCOPE("b", NULL);
	vs_error e;
	vs_error_init(&e);
	int rc = vs_exit(a, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_RUNTIME, RTT_E17);
	/* the failed exit left 'a' entered and 'a/b' current */
	VS_ASSERT_STR(rtt_cur_scope(), "a/b");
	EXIT(b);
	VS_ASSERT_STR(rtt_cur_scope(), "a");
	/* exiting 'a' again, now innermost, succeeds */
	EXIT(a);
	VS_ASSERT_STR(rtt_cur_scope(), "");
}

/* TF's testVarScopeNestingError (variable_scope_test.py): with aa: bb
 * entered by hand, cc entered; bb.__exit__ raises RuntimeError inside cc,
 * and after cc is left, bb.__exit__ succeeds.  The failed exit still runs
 * the name-scope and graph exits of TF's finally chain: the name scope is
 * back to 'aa' at the error, cc's exit restores 'aa/bb', and bb's second
 * exit (its name scope already left) keeps it. */
static void test_nesting_error_recovers(void)
{
	rtt_reset();
	vs_cm *aa = VSCOPE("aa", NULL);
	vs_cm *bb = VSCOPE("bb", NULL);
	vs_cm *cc = VSCOPE("cc", NULL);
	size_t depth = vs_context_switches_depth();
	VS_ASSERT_INT(depth, 3);
	vs_error e;
	vs_error_init(&e);
	int rc = vs_exit(bb, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_RUNTIME, RTT_E17);
	VS_ASSERT_STR(rtt_cur_scope(), "aa/bb/cc");
	VS_ASSERT_STR(vs_get_name_scope(), "aa");
	VS_ASSERT_INT(vs_context_switches_depth(), 2);
	EXIT(cc);
	VS_ASSERT_STR(rtt_cur_scope(), "aa/bb");
	VS_ASSERT_STR(vs_get_name_scope(), "aa/bb");
	EXIT(bb);
	VS_ASSERT_STR(rtt_cur_scope(), "aa");
	VS_ASSERT_STR(vs_get_name_scope(), "aa/bb");
	VS_ASSERT_INT(vs_context_switches_depth(), 1);
	EXIT(aa);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	VS_ASSERT_STR(vs_get_name_scope(), "");
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
	/* a variable after the recovery lands in the root scope again */
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "v:0");
}

static void test_inherited_defaults(void)
{
	rtt_reset();
	vs_constraint cons = {"unit_norm"};
	vs_partitioner part = vs_fixed_size_partitioner(2, 0);
	vs_cm *a = VSCOPE("a", (&(vs_varscope_opts){.initializer = VS_INIT(VS_INIT_ONES),
	                                           .dtype = VS_DT_FLOAT64,
	                                           .use_resource = VS_TRUE,
	                                           .caching_device = "/cpu:0",
	                                           .partitioner = &part,
	                                           .constraint = &cons}));
	vs_varscope *sa = vs_get_variable_scope();
	VS_ASSERT_INT(rtt_kind(vs_varscope_initializer(sa)), VS_INIT_ONES);
	VS_ASSERT_INT(vs_varscope_dtype(sa), VS_DT_FLOAT64);
	VS_ASSERT_INT(vs_varscope_use_resource(sa), VS_TRUE);
	VS_ASSERT_STR(vs_varscope_caching_device(sa), "/cpu:0");
	VS_ASSERT_INT(vs_varscope_partitioner(sa) != NULL, 1);
	VS_ASSERT_STR(rtt_label(vs_varscope_constraint(sa)), "unit_norm");
	vs_cm *b = VSCOPE("b", NULL);
	vs_varscope *sb = vs_get_variable_scope();
	VS_ASSERT_INT(rtt_kind(vs_varscope_initializer(sb)), VS_INIT_ONES);
	VS_ASSERT_INT(vs_varscope_dtype(sb), VS_DT_FLOAT64);
	VS_ASSERT_INT(vs_varscope_use_resource(sb), VS_TRUE);
	VS_ASSERT_STR(vs_varscope_caching_device(sb), "/cpu:0");
	VS_ASSERT_INT(vs_varscope_partitioner(sb) != NULL, 1);
	/* constraint is the only default that is not inherited */
	VS_ASSERT_INT(vs_varscope_constraint(sb) == NULL, 1);
	vs_var *v = GETVAR_SHAPE("v", VS_SCALAR); /* scalar: partitioner ignored */
	VS_ASSERT_STR(vs_var_name(v), "a/b/v:0");
	VS_ASSERT_INT(vs_var_dtype(v), VS_DT_FLOAT64);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(v)), VS_INIT_ONES);
	VS_ASSERT_INT(vs_var_is_resource(v), 1);
	VS_ASSERT_STR(vs_var_caching_device(v), "/cpu:0");
	VS_ASSERT_INT(vs_var_constraint(v) == NULL, 1);
	/* a non-given override replaces the inherited value */
	vs_cm *c = VSCOPE("c", (&(vs_varscope_opts){.initializer = VS_INIT(VS_INIT_ZEROS),
	                                           .dtype = VS_DT_INT32}));
	VS_ASSERT_INT(rtt_kind(vs_varscope_initializer(vs_get_variable_scope())), VS_INIT_ZEROS);
	VS_ASSERT_INT(vs_varscope_dtype(vs_get_variable_scope()), VS_DT_INT32);
	EXIT(c);
	EXIT(b);
	vs_var *w = GETVAR_SHAPE("w", VS_SCALAR);
	VS_ASSERT_STR(vs_var_constraint(w) ? vs_var_constraint(w)->label : NULL, "unit_norm");
	EXIT(a);
	VS_ASSERT_INT(vs_varscope_dtype(vs_get_variable_scope()), VS_DT_FLOAT32);
	VS_ASSERT_INT(vs_varscope_initializer(vs_get_variable_scope()) == NULL, 1);
}

static void test_captured_scope_defaults(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("cap", (&(vs_varscope_opts){.initializer = VS_INIT(VS_INIT_ONES)}));
	vs_varscope *cap = vs_cm_varscope(a);
	EXIT(a);
	vs_cm *o = VSCOPE("other", (&(vs_varscope_opts){.initializer = VS_INIT(VS_INIT_ZEROS),
	                                               .dtype = VS_DT_INT32}));
	vs_cm *c = VSCOPE_CAPTURED(cap);
	/* the enclosing scope is ignored: defaults come from the captured one */
	VS_ASSERT_INT(rtt_kind(vs_varscope_initializer(vs_get_variable_scope())), VS_INIT_ONES);
	VS_ASSERT_INT(vs_varscope_dtype(vs_get_variable_scope()), VS_DT_FLOAT32);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(2));
	VS_ASSERT_STR(vs_var_name(v), "cap/v:0");
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(v)), VS_INIT_ONES);
	EXIT(c);
	EXIT(o);
}

static void test_set_dtype_and_initializer(void)
{
	rtt_reset();
	vs_error e;
	vs_cm *a = VSCOPE("s", NULL);
	vs_varscope *s = vs_get_variable_scope();
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_set_dtype(s, VS_DT_INT32, &e), 0);
	vs_var *v = GETVAR_SHAPE("i", VS_SHAPE(2));
	VS_ASSERT_INT(vs_var_dtype(v), VS_DT_INT32);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(v)), VS_INIT_ZEROS);
	VS_ASSERT_INT(vs_varscope_set_initializer(s, VS_INIT(VS_INIT_ONES), &e), 0);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(GETVAR_SHAPE("j", VS_SHAPE(2)))), VS_INIT_ONES);
	VS_ASSERT_INT(vs_varscope_set_use_resource(s, 1, &e), 0);
	VS_ASSERT_INT(vs_var_is_resource(GETVAR_SHAPE("k", VS_SHAPE(2))), 1);
	/* children of a mutated scope inherit the mutation */
	vs_cm *b = VSCOPE("t", NULL);
	VS_ASSERT_INT(vs_varscope_dtype(vs_get_variable_scope()), VS_DT_INT32);
	EXIT(b);
	EXIT(a);
}

static void test_varscope_get_collection_prefix(void)
{
	rtt_reset();
	vs_var *got[4];
	vs_cm *a = VSCOPE("foo", NULL);
	vs_varscope *foo = vs_cm_varscope(a);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	a = VSCOPE("foo_", NULL);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	a = VSCOPE("foobar", NULL);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	VS_ASSERT_INT(vs_varscope_collection(foo, VS_GLOBAL_VARIABLES, got, 4), 1);
	VS_ASSERT_INT(got[0] == v, 1);
	VS_ASSERT_INT(vs_varscope_collection(foo, VS_TRAINABLE_VARIABLES, got, 4), 1);
	VS_ASSERT_INT(vs_varscope_collection(foo, VS_LOCAL_VARIABLES, got, 4), 0);
	/* the root scope has no filter */
	VS_ASSERT_INT(vs_varscope_collection(vs_get_variable_scope(), VS_GLOBAL_VARIABLES, got, 4),
	              3);
}

static void test_exit_restores_after_nested_default(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE_DEFAULT("blk");
	vs_cm *b = VSCOPE_DEFAULT("blk");
	VS_ASSERT_STR(rtt_cur_scope(), "blk/blk");
	VS_ASSERT_STR(vs_get_name_scope(), "blk/blk");
	EXIT(b);
	b = VSCOPE_DEFAULT("blk");
	VS_ASSERT_STR(rtt_cur_scope(), "blk/blk_1");
	EXIT(b);
	EXIT(a);
	a = VSCOPE_DEFAULT("blk");
	VS_ASSERT_STR(rtt_cur_scope(), "blk_1");
	b = VSCOPE_DEFAULT("blk");
	VS_ASSERT_STR(rtt_cur_scope(), "blk_1/blk");
	EXIT(b);
	EXIT(a);
}

/* ---- the variable_scope seed's examples, one test each ---- */

static vs_var *seed_foo(void)
{
	vs_cm *a = VSCOPE_REUSE("foo", VS_REUSE_AUTO);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	return v;
}

static void test_seed_auto_reuse(void)
{
	rtt_reset();
	vs_var *v1 = seed_foo(); /* creates v */
	vs_var *v2 = seed_foo(); /* gets the same, existing v */
	VS_ASSERT_INT(v1 == v2, 1);
	VS_ASSERT_STR(vs_var_name(v1), "foo/v:0");
}

static void test_seed_reuse_true(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	vs_var *v1 = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	VS_ASSERT_INT(v1 == v, 1);
}

static void test_seed_capture_and_reuse_variables(void)
{
	rtt_reset();
	vs_error e;
	vs_cm *a = VSCOPE("model", NULL);
	vs_varscope *scope = vs_cm_varscope(a);
	vs_var *w1 = GETVAR_SHAPE("conv_w", VS_SHAPE(3, 3)); /* my_image_filter(input1) */
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_reuse_variables(scope, &e), 0);
	vs_var *w2 = GETVAR_SHAPE("conv_w", VS_SHAPE(3, 3)); /* my_image_filter(input2) */
	EXIT(a);
	VS_ASSERT_INT(w1 == w2, 1);
	VS_ASSERT_STR(vs_var_name(w1), "model/conv_w:0");
}

static void test_seed_accidental_sharing_raises(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE("foo", NULL);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("foo/v"));
	EXIT(a);
}

static void test_seed_reuse_missing_raises(void)
{
	rtt_reset();
	vs_var *out = NULL;
	vs_error e;
	vs_cm *a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E2("foo/v"));
	EXIT(a);
}

static void test_seed_reenter_premade_scope(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_varscope *vs = vs_cm_varscope(a);
	EXIT(a);
	/* re-enter the variable scope, then restore the original name_scope */
	vs_cm *b = VSCOPE(NULL, (&(vs_varscope_opts){.scope = vs,
	                                            .auxiliary_name_scope = VS_FALSE}));
	vs_varscope *vs1 = vs_cm_varscope(b);
	vs_cm *n = NSCOPE(vs_varscope_original_name_scope(vs1));
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "foo/v:0");
	vs_op *c = OP("Const", "c");
	VS_ASSERT_STR(vs_op_name(c), "foo/c");
	EXIT(n);
	EXIT(b);
}

static void test_seed_reuse_is_inherited(void)
{
	rtt_reset();
	vs_cm *root = VSCOPE("root", NULL);
	vs_cm *a = VSCOPE("foo", NULL);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	EXIT(root);
	root = VSCOPE_REUSE("root", VS_REUSE_TRUE);
	/* "if we open a reusing scope, then all its sub-scopes become reusing" */
	a = VSCOPE("foo", NULL);
	VS_ASSERT_INT(vs_varscope_reuse(vs_get_variable_scope()), VS_REUSE_TRUE);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	EXIT(a);
	EXIT(root);
}

static void test_seed_reuse_does_not_affect_op_names(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("foo", NULL);
	VS_ASSERT_STR(vs_op_name(OP("Mul", "mult")), "foo/mult");
	EXIT(a);
	a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	/* github#6189: setting reuse does not impact the naming of other ops */
	VS_ASSERT_STR(vs_op_name(OP("Mul", "mult")), "foo_1/mult");
	EXIT(a);
}

static void test_setters_in_graph_mode(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_cm *a = VSCOPE("s", NULL);
	vs_varscope *s = vs_get_variable_scope();
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_set_caching_device(s, "/cpu:0", &e), 0);
	VS_ASSERT_STR(vs_varscope_caching_device(s), "/cpu:0");
	VS_ASSERT_STR(vs_var_caching_device(GETVAR_SHAPE("c", VS_SHAPE(1))), "/cpu:0");
	VS_ASSERT_INT(vs_varscope_set_partitioner(s, &p, &e), 0);
	VS_ASSERT_INT(vs_var_num_partitions(GETVAR_SHAPE("p", VS_SHAPE(4))), 2);
	VS_ASSERT_INT(vs_varscope_set_use_resource(s, 0, &e), 0);
	VS_ASSERT_INT(vs_varscope_use_resource(s), VS_FALSE);
	EXIT(a);
}

static void test_captured_exit_restores_counter_snapshot(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("a", NULL);
	vs_varscope *sa = vs_cm_varscope(a);
	vs_cm *x = VSCOPE_DEFAULT("x");
	VS_ASSERT_STR(rtt_cur_scope(), "a/x");
	EXIT(x);
	vs_cm *c = VSCOPE_CAPTURED(sa);
	x = VSCOPE_DEFAULT("x");
	VS_ASSERT_STR(rtt_cur_scope(), "a/x_1");
	EXIT(x);
	EXIT(c);
	/* the captured scope's exit restored the counters: x_1 is free again */
	x = VSCOPE_DEFAULT("x");
	VS_ASSERT_STR(rtt_cur_scope(), "a/x_1");
	EXIT(x);
	EXIT(a);
}

static void test_captured_reentry_nests_op_scope(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("alpha", NULL);
	vs_cm *b = VSCOPE("beta", NULL);
	vs_varscope *beta = vs_cm_varscope(b);
	vs_cm *c = VSCOPE_CAPTURED(beta);
	/* issue #5512: the op scope nests, the variable name does not */
	VS_ASSERT_STR(vs_op_name(OP("Add", "my_op")), "alpha/beta/beta/my_op");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("my_var", VS_SHAPE(1))), "alpha/beta/my_var:0");
	EXIT(c);
	EXIT(b);
	EXIT(a);
	/* a captured scope with an override: dtype given on re-entry applies */
	c = VSCOPE(NULL, (&(vs_varscope_opts){.scope = beta, .dtype = VS_DT_INT32}));
	VS_ASSERT_INT(vs_varscope_dtype(vs_get_variable_scope()), VS_DT_INT32);
	VS_ASSERT_INT(vs_varscope_dtype(beta), VS_DT_FLOAT32);
	EXIT(c);
}

static void test_slash_in_scope_name(void)
{
	rtt_reset();
	vs_cm *a = VSCOPE("a/b", NULL);
	VS_ASSERT_STR(rtt_cur_scope(), "a/b");
	VS_ASSERT_STR(vs_get_name_scope(), "a/b");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("v", VS_SHAPE(1))), "a/b/v:0");
	EXIT(a);
	/* "a/b" was marked used as a whole; "a" itself is still free */
	a = VSCOPE("a", NULL);
	VS_ASSERT_STR(vs_get_name_scope(), "a");
	vs_cm *b = VSCOPE_REUSE("b", VS_REUSE_TRUE);
	VS_ASSERT_STR(vs_get_name_scope(), "a/b_1");
	VS_ASSERT_STR(vs_var_name(GETVAR_SHAPE("v", VS_SHAPE(1))), "a/b/v:0");
	EXIT(b);
	EXIT(a);
}

VS_SUITE_FN(tracer_varscope)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_seed_nested_names),
		VS_TEST(test_null_opts_accepted),
		VS_TEST(test_string_reentry_ops_get_suffix),
		VS_TEST(test_reuse_inheritance),
		VS_TEST(test_reuse_variables_on_scope),
		VS_TEST(test_reuse_variables_on_root_poisons),
		VS_TEST(test_default_name_counters),
		VS_TEST(test_default_name_counters_case_sensitive),
		VS_TEST(test_default_name_scope_diverges_from_op_scope),
		VS_TEST(test_docstring_counter_reset),
		VS_TEST(test_counter_reset_lands_on_existing_name),
		VS_TEST(test_jump_keeps_numbering),
		VS_TEST(test_captured_scope_reentry),
		VS_TEST(test_captured_scope_is_copied),
		VS_TEST(test_captured_reuse_flags),
		VS_TEST(test_captured_tower_name_scopes),
		VS_TEST(test_reenter_root_scope),
		VS_TEST(test_auxiliary_name_scope_false),
		VS_TEST(test_auxiliary_reenter_idiom),
		VS_TEST(test_err_no_name_no_default),
		VS_TEST(test_err_bad_reuse_value),
		VS_TEST(test_err_bad_auxiliary_name_scope),
		VS_TEST(test_err_bad_auxiliary_name_scope_text),
		VS_TEST(test_err_bad_name_or_scope),
		VS_TEST(test_set_regularizer),
		VS_TEST(test_custom_getter_accessor),
		VS_TEST(test_err_name_and_scope),
		VS_TEST(test_err_default_name_with_reuse),
		VS_TEST(test_err_improper_nesting),
		VS_TEST(test_nesting_error_recovers),
		VS_TEST(test_inherited_defaults),
		VS_TEST(test_captured_scope_defaults),
		VS_TEST(test_set_dtype_and_initializer),
		VS_TEST(test_varscope_get_collection_prefix),
		VS_TEST(test_exit_restores_after_nested_default),
		VS_TEST(test_seed_auto_reuse),
		VS_TEST(test_seed_reuse_true),
		VS_TEST(test_seed_capture_and_reuse_variables),
		VS_TEST(test_seed_accidental_sharing_raises),
		VS_TEST(test_seed_reuse_missing_raises),
		VS_TEST(test_seed_reenter_premade_scope),
		VS_TEST(test_seed_reuse_is_inherited),
		VS_TEST(test_seed_reuse_does_not_affect_op_names),
		VS_TEST(test_setters_in_graph_mode),
		VS_TEST(test_captured_exit_restores_counter_snapshot),
		VS_TEST(test_captured_reentry_nests_op_scope),
		VS_TEST(test_slash_in_scope_name),
		VS_TEST_END};
	vs_test_add_suite("tracer_varscope", rtt_suite_init, rtt_suite_clean, cases);
}
