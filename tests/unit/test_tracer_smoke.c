/* SPDX-License-Identifier: MIT */
/* tests for libvs end to end: the seed examples in a few calls each */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/harness.h"
#include "tracer/alloc.h"
#include "tracer/ring.h"
#include "vs/sink.h"
#include "vs/vs.h"

static int smoke_init(void)
{
	vs_runtime_reset();
	return 0;
}

static void test_seed_foo_bar_v(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_cm *foo, *bar;
	vs_var *v = NULL;
	VS_ASSERT_INT(vs_variable_scope(&foo, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&bar, "bar", NULL, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_STR(vs_var_name(v), "foo/bar/v:0");
	VS_ASSERT_INT(vs_exit(bar, &err), 0);
	VS_ASSERT_INT(vs_exit(foo, &err), 0);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_TRAINABLE_VARIABLES), 1);
}

static void test_seed_reuse_errors(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_cm *cm;
	vs_var *v = NULL, *w = NULL;
	VS_ASSERT_INT(vs_variable_scope(&cm, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&cm, "foo", &(vs_varscope_opts){.reuse = VS_REUSE_TRUE}, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&w, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	CU_ASSERT_PTR_EQUAL(v, w);
	VS_ASSERT_INT(vs_get_variable(&w, "u", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err),
	              VS_ERR_VALUE);
	VS_ASSERT_STR(err.msg, "Variable foo/u does not exist, or was not created with "
	                       "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?");
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&cm, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&w, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err),
	              VS_ERR_VALUE);
	VS_ASSERT_INT(strncmp(err.msg, "Variable foo/v already exists, disallowed. Did you mean to "
	                               "set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally "
	                               "defined at:\n\n  File \"",
	                      95),
	              0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
}

static void test_seed_auto_reuse_and_ops(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_cm *cm, *ns;
	vs_var *a = NULL, *b = NULL;
	vs_op *op = NULL;
	for (int i = 0; i < 2; i++) {
		VS_ASSERT_INT(vs_variable_scope(&cm, "foo", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO}, &err), 0);
		VS_ASSERT_INT(vs_get_variable(i ? &b : &a, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
		VS_ASSERT_INT(vs_op(&op, "Add", NULL, &err), 0);
		VS_ASSERT_STR(vs_op_name(op), i ? "foo_1/Add" : "foo/Add");
		VS_ASSERT_INT(vs_exit(cm, &err), 0);
	}
	CU_ASSERT_PTR_EQUAL(a, b);
	VS_ASSERT_INT(vs_name_scope(&ns, "foo", NULL, &err), 0);
	VS_ASSERT_STR(vs_cm_name(ns), "foo_2/");
	VS_ASSERT_INT(vs_exit(ns, &err), 0);
}

static void test_seed_default_name(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_cm *foo, *a, *b;
	VS_ASSERT_INT(vs_variable_scope(&foo, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&a, NULL, &(vs_varscope_opts){.default_name = "bar"}, &err), 0);
	VS_ASSERT_STR(vs_varscope_name(vs_cm_varscope(a)), "foo/bar");
	VS_ASSERT_INT(vs_exit(a, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&b, NULL, &(vs_varscope_opts){.default_name = "bar"}, &err), 0);
	VS_ASSERT_STR(vs_varscope_name(vs_cm_varscope(b)), "foo/bar_1");
	VS_ASSERT_INT(vs_exit(b, &err), 0);
	VS_ASSERT_INT(vs_exit(foo, &err), 0);
	/* the counters below foo restart when foo is re-entered */
	VS_ASSERT_INT(vs_variable_scope(&foo, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&a, NULL, &(vs_varscope_opts){.default_name = "bar"}, &err), 0);
	VS_ASSERT_STR(vs_varscope_name(vs_cm_varscope(a)), "foo/bar");
	VS_ASSERT_INT(vs_exit(a, &err), 0);
	VS_ASSERT_INT(vs_exit(foo, &err), 0);
}

static int tmpl_fn(void *ud, void *arg, vs_error *err)
{
	vs_var **out = arg;
	return vs_get_variable(out, "w", &(vs_var_opts){.shape = VS_SHAPE(2)}, err);
}

static void test_seed_template(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_template *t = NULL;
	vs_var *a = NULL, *b = NULL;
	VS_ASSERT_INT(vs_make_template(&t, "s1", tmpl_fn, NULL, NULL, &err), 0);
	VS_ASSERT_INT(vs_template_call(t, &a, &err), 0);
	VS_ASSERT_INT(vs_template_call(t, &b, &err), 0);
	VS_ASSERT_STR(vs_var_name(a), "s1/w:0");
	CU_ASSERT_PTR_EQUAL(a, b);
	VS_ASSERT_INT(vs_template_calls(t), 2);
	VS_ASSERT_STR(vs_template_variable_scope_name(t), "s1/");
	VS_ASSERT_INT(vs_template_variables(t, VS_TMPL_TRAINABLE, NULL, 0), 1);
}

static int user_fn_tf_variable(void *ud, void *arg, vs_error *err)
{
	vs_var *v;
	vs_creator_args a = {.name = "x", .initial_value = VS_INIT_CONST(1)};
	return vs_variable(&v, &a, err);
}

static void test_seed_template_trainable_error(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_template *t = NULL;
	VS_ASSERT_INT(vs_make_template(&t, "s1", user_fn_tf_variable, NULL, NULL, &err), 0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &err), 0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &err), VS_ERR_VALUE);
	CU_ASSERT(strstr(err.msg, "Trainable variable created when calling a template after the "
	                          "first time, perhaps you used tf.Variable when you meant "
	                          "tf.get_variable: [<tf.Variable 's1_1/x:0'") != NULL);
	CU_ASSERT(strstr(err.msg, "\n\noriginally defined at:\n  File \"") != NULL);
}

static void test_seed_events(void)
{
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	vs_cm *cm;
	vs_var *v;
	VS_ASSERT_INT(vs_variable_scope(&cm, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_memsink_at(ms, 0)->kind, VS_EV_PROCESS_START);
	long i = vs_memsink_find(ms, VS_EV_GETVAR_EXIT, 0);
	CU_ASSERT(i > 0);
	const vs_event *e = vs_memsink_at(ms, (size_t)i);
	VS_ASSERT_STR(vs_memsink_string(ms, e->getvar_exit.full_name), "foo/v");
	VS_ASSERT_INT(e->getvar_exit.outcome, VS_OUT_CREATED);
	i = vs_memsink_find(ms, VS_EV_VAR_CREATE, 0);
	CU_ASSERT(i > 0);
	e = vs_memsink_at(ms, (size_t)i);
	VS_ASSERT_STR(vs_memsink_string(ms, e->var_create.name), "foo/v:0");
	VS_ASSERT_STR(vs_memsink_string(ms, e->var_create.collections), "variables,trainable_variables");
	for (size_t k = 1; k < vs_memsink_count(ms); k++)
		VS_ASSERT_INT(vs_memsink_at(ms, k)->seq, vs_memsink_at(ms, k - 1)->seq + 1);
	vs_trace_attach(NULL, NULL, NULL);
	vs_memsink_free(ms);
}

static void test_seed_variable_name_collision(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_cm *ns, *vs;
	vs_var *d = NULL, *g = NULL;
	vs_creator_args a = {.name = "v", .initial_value = VS_INIT_CONST(1), .shape = VS_SHAPE(1)};
	VS_ASSERT_INT(vs_name_scope(&ns, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_variable(&d, &a, &err), 0);
	VS_ASSERT_INT(vs_exit(ns, &err), 0);
	VS_ASSERT_STR(vs_var_name(d), "foo/v:0");
	VS_ASSERT_STR(vs_var_store_key(d), NULL);
	VS_ASSERT_INT(vs_variable_scope(&vs, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&g, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_INT(vs_exit(vs, &err), 0);
	VS_ASSERT_STR(vs_var_name(g), "foo/v_1:0");
	VS_ASSERT_STR(vs_var_store_key(g), "foo/v");
}

static void test_seed_lifting(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_graph *g, *fg;
	vs_cm *gcm, *fcm, *cd, *cond;
	vs_op *op;
	vs_var *v = NULL, *w = NULL;
	VS_ASSERT_INT(vs_graph_new(&g, "outer", &err), 0);
	VS_ASSERT_INT(vs_graph_as_default(&gcm, g, &err), 0);
	VS_ASSERT_INT(vs_op(&op, "Const", NULL, &err), 0);
	static const char *const mine[] = {"mine", NULL};
	vs_var *c = NULL;
	VS_ASSERT_INT(vs_get_variable(&c, "c", &(vs_var_opts){.shape = VS_SHAPE(1), .collections = mine},
	                              &err), 0);
	VS_ASSERT_INT(vs_func_graph_new(&fg, "fn", &err), 0);
	/* other collections are copied at construction, variable ones shared */
	VS_ASSERT_INT(vs_collection_size(fg, "mine"), 1);
	VS_ASSERT_INT(vs_collection_size(fg, VS_TRAINABLE_VARIABLES), 1);
	VS_ASSERT_INT(vs_graph_as_default(&fcm, fg, &err), 0);
	VS_ASSERT_INT(vs_control_dependencies(&cd, &op, 1, &err), 0);
	VS_ASSERT_INT(vs_cond(&cond, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	/* lifted out of the function graph: lives in (and is remembered by) the outer graph */
	CU_ASSERT_PTR_EQUAL(vs_var_graph(v), g);
	VS_ASSERT_INT(vs_control_inputs_count(), 1);
	VS_ASSERT_INT(vs_in_control_flow(), 1);
	vs_creator_args a = {.name = "nl", .initial_value = VS_INIT_CONST(1), .shape = VS_SHAPE(1),
	                     .no_lifting = 1};
	VS_ASSERT_INT(vs_variable(&w, &a, &err), 0);
	CU_ASSERT_PTR_EQUAL(vs_var_graph(w), fg);
	VS_ASSERT_INT(vs_exit(cond, &err), 0);
	VS_ASSERT_INT(vs_exit(cd, &err), 0);
	VS_ASSERT_INT(vs_exit(fcm, &err), 0);
	VS_ASSERT_INT(vs_collection_size(g, VS_GLOBAL_VARIABLES), 2); /* c is only in "mine" */
	VS_ASSERT_INT(vs_collection_size(g, VS_TRAINABLE_VARIABLES), 3);
	/* the store is the outer graph's: a second get_variable in g sees v */
	VS_ASSERT_INT(vs_get_variable(&w, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err),
	              VS_ERR_VALUE);
	VS_ASSERT_INT(vs_exit(gcm, &err), 0);
}

static void test_seed_eager_duplicates(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_cm *e, *s;
	vs_var *a = NULL, *b = NULL;
	VS_ASSERT_INT(vs_eager_mode(&e, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&s, "foo", &(vs_varscope_opts){.reuse = VS_REUSE_TRUE}, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&a, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&b, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	CU_ASSERT(a != b);
	VS_ASSERT_STR(vs_var_name(a), "foo/v:0");
	VS_ASSERT_STR(vs_var_name(b), "foo/v:0");
	VS_ASSERT_INT(vs_var_is_resource(a), 1);
	VS_ASSERT_INT(vs_exit(s, &err), 0);
	VS_ASSERT_INT(vs_exit(e, &err), 0);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 0);
}

static void test_e4_ref_and_resource_dtype(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_var *r, *x;
	VS_ASSERT_INT(vs_get_variable(&r, "r", &(vs_var_opts){.shape = VS_SHAPE(1), .dtype = VS_DT_INT32}, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&r, "s", &(vs_var_opts){.shape = VS_SHAPE(1), .dtype = VS_DT_INT32,
	                                                      .use_resource = VS_TRUE}, &err), 0);
	vs_cm *cm;
	VS_ASSERT_INT(vs_variable_scope(&cm, NULL, &(vs_varscope_opts){.scope = vs_get_variable_scope(),
	                                                                .reuse = VS_REUSE_TRUE}, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&x, "r", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), VS_ERR_VALUE);
	VS_ASSERT_STR(err.msg, "Trying to share variable r, but specified dtype float32 and found dtype "
	                       "int32_ref.");
	VS_ASSERT_INT(vs_get_variable(&x, "s", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), VS_ERR_VALUE);
	VS_ASSERT_STR(err.msg, "Trying to share variable s, but specified dtype float32 and found dtype "
	                       "int32.");
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
}

static void test_control_inputs_union(void)
{
	vs_error err;
	vs_error_init(&err);
	vs_runtime_reset();
	vs_op *a, *b, *op;
	vs_cm *c1, *c2, *c3, *is;
	VS_ASSERT_INT(vs_op(&a, "Const", "a", &err), 0);
	VS_ASSERT_INT(vs_op(&b, "Const", "b", &err), 0);
	VS_ASSERT_INT(vs_control_dependencies(&c1, &a, 1, &err), 0);
	vs_op *ab[] = {a, b, a};
	VS_ASSERT_INT(vs_control_dependencies(&c2, ab, 3, &err), 0);
	VS_ASSERT_INT(vs_control_inputs_count(), 2);
	VS_ASSERT_INT(vs_op(&op, "Add", NULL, &err), 0);
	VS_ASSERT_INT(vs_op_control_inputs(op), 2);
	VS_ASSERT_INT(vs_init_scope(&is, &err), 0);
	VS_ASSERT_INT(vs_control_inputs_count(), 0);
	VS_ASSERT_INT(vs_exit(is, &err), 0);
	VS_ASSERT_INT(vs_control_dependencies(&c3, NULL, 0, &err), 0);
	VS_ASSERT_INT(vs_control_inputs_count(), 0);
	VS_ASSERT_INT(vs_exit(c3, &err), 0);
	VS_ASSERT_INT(vs_control_inputs_count(), 2);
	VS_ASSERT_INT(vs_exit(c2, &err), 0);
	VS_ASSERT_INT(vs_control_inputs_count(), 1);
	VS_ASSERT_INT(vs_exit(c1, &err), 0);
	VS_ASSERT_INT(vs_control_inputs_count(), 0);
	vs_op *bad[] = {a, NULL};
	VS_ASSERT_INT(vs_control_dependencies(&c1, bad, 2, &err), VS_ERR_TYPE);
	VS_ASSERT_STR(err.msg, "Control input must be Operation or Tensor: None");
}

static void test_composite_event_order(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	vs_cm *cm;
	vs_var *v;
	VS_ASSERT_INT(vs_variable_scope(&cm, "foo", NULL, &err), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	static const unsigned want[] = {
		VS_EV_CTX_PUSH, VS_EV_NAME_SCOPE_ENTER, VS_EV_VARSCOPE_ENTER, VS_EV_GETVAR_ENTER,
		VS_EV_NAME_SCOPE_ENTER, VS_EV_CREATOR_CALL, VS_EV_INIT_SCOPE_ENTER,
		VS_EV_NAME_SCOPE_ENTER, VS_EV_VAR_CREATE, VS_EV_VAR_INFO, VS_EV_OP_CREATE,
		VS_EV_NAME_SCOPE_EXIT, VS_EV_INIT_SCOPE_EXIT, VS_EV_CREATOR_RETURN, VS_EV_NAME_SCOPE_EXIT,
		VS_EV_GETVAR_EXIT, VS_EV_VARSCOPE_EXIT, VS_EV_NAME_SCOPE_EXIT, VS_EV_CTX_POP,
	};
	const char *resolved[] = {"foo/", "", "foo/v/"};
	size_t k = 0, ns = 0;
	for (size_t i = 0; i < vs_memsink_count(ms); i++) {
		const vs_event *e = vs_memsink_at(ms, i);
		if (e->kind == VS_EV_SITE || e->kind == VS_EV_THREAD_START ||
		    e->kind == VS_EV_PROCESS_START || e->kind == VS_EV_GRAPH_CREATE ||
		    e->kind == VS_EV_MODULE || e->kind == VS_EV_STACK)
			continue;
		CU_ASSERT_FATAL(k < sizeof want / sizeof want[0]);
		VS_ASSERT_STR(vs_ev_kind_name(e->kind), vs_ev_kind_name(want[k]));
		if (e->kind == VS_EV_NAME_SCOPE_ENTER && ns < 3)
			VS_ASSERT_STR(vs_memsink_string(ms, e->name_scope.resolved), resolved[ns++]);
		if (e->kind == VS_EV_INIT_SCOPE_ENTER) {
			VS_ASSERT_INT(e->init_scope.ctx_kind, VS_CTX_GRAPH);
			VS_ASSERT_INT(e->init_scope.graph_id, vs_graph_id(vs_default_graph()));
			VS_ASSERT_INT(e->flags, 0);
		}
		k++;
	}
	VS_ASSERT_INT(k, sizeof want / sizeof want[0]);
	vs_memsink_free(ms);
}

static int oom_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a, void *ud,
                      vs_error *err)
{
	return vs_getter_next_call(next, out, a, err);
}

static int oom_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *a, void *ud,
                       vs_error *err)
{
	return vs_creator_next_call(next, out, a, err);
}

#define TRY(x)                                                                 \
	do {                                                                   \
		int rc_ = (x);                                                 \
		if (rc_ < 0)                                                   \
			return rc_;                                            \
	} while (0)

/* a bit of everything; returns the first error */
static int oom_scenario(vs_error *err)
{
	vs_cm *a, *b, *c, *d;
	vs_var *v;
	vs_op *op;
	vs_graph *g;
	vs_template *t;
	vs_getter gt = {oom_getter, NULL, "g"};
	vs_creator cr = {oom_creator, NULL, "c"};
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_regularizer reg = {NULL, NULL, "l2"}; /* collects every variable's loss */
	TRY(vs_graph_new(&g, "oom", err));
	TRY(vs_graph_as_default(&a, g, err));
	TRY(vs_variable_scope(&b, "outer", &(vs_varscope_opts){.custom_getter = &gt}, err));
	TRY(vs_variable_creator_scope(&c, &cr, err));
	TRY(vs_get_variable(&v, "v",
	                    &(vs_var_opts){.shape = VS_SHAPE(2), .regularizer = &reg,
	                                   .caching_device = "/cpu:0"},
	                    err));
	TRY(vs_get_variable(&v, "p", &(vs_var_opts){.shape = VS_SHAPE(4, 2), .partitioner = &p}, err));
	TRY(vs_op(&op, "Add", NULL, err));
	TRY(vs_init_scope(&d, err));
	TRY(vs_exit(d, err));
	TRY(vs_exit(c, err));
	TRY(vs_variable_scope(&c, NULL, &(vs_varscope_opts){.scope = vs_cm_varscope(b), .reuse = VS_REUSE_TRUE}, err));
	TRY(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(2)}, err));
	TRY(vs_exit(c, err));
	TRY(vs_exit(b, err));
	TRY(vs_make_template(&t, "tm", tmpl_fn, NULL, &(vs_template_opts){.create_scope_now = 1}, err));
	TRY(vs_template_call(t, &v, err));
	TRY(vs_template_call(t, &v, err));
	vs_creator_args ca = {.name = "d", .initial_value = VS_INIT_CONST(1), .shape = VS_SHAPE(1)};
	TRY(vs_variable(&v, &ca, err));
	TRY(vs_exit(a, err));
	vs_eager_store *es;
	TRY(vs_eager_store_new(&es, NULL, err));
	TRY(vs_eager_mode(&a, err));
	TRY(vs_eager_store_as_default(&b, es, err));
	TRY(vs_get_variable(&v, "e", &(vs_var_opts){.shape = VS_SHAPE(1)}, err));
	TRY(vs_exit(b, err));
	TRY(vs_eager_store_copy(&es, es, err));
	TRY(vs_exit(a, err));
	return 0;
}

/*
 * The allocation-failure loop: runs scenario with the n-th allocation (and
 * every later one) failing, for n = 0, 1, ..., until a run succeeds.  Every
 * failing run must report VS_ERR_NOMEM with a message that starts "out of
 * memory" (ASan and valgrind check it freed what it had).  Returns the number of failing runs, or -1
 * when a run failed otherwise or none succeeded within max.
 */
static long oom_loop(int (*scenario)(void *arg, vs_error *err), void *arg, int reset, long max)
{
	long n_failed = 0;
	for (long n = 0; n < max; n++) {
		vs_error err;
		if (reset)
			vs_runtime_reset();
		vs_error_init(&err);
		rt_alloc_fail_after(n);
		int rc = scenario(arg, &err);
		rt_alloc_fail_after(-1);
		if (rc == 0)
			return n_failed;
		if (rc != VS_ERR_NOMEM) {
			VS_ASSERT_STR(err.msg, "out of memory"); /* shows the misreported error */
			VS_ASSERT_INT(n, -1);
			return -1;
		}
		/* a template call adds where the template was defined (as TF) */
		CU_ASSERT(strncmp(err.msg, "out of memory", 13) == 0);
		n_failed++;
	}
	return -1;
}

static int oom_runtime(void *arg, vs_error *err)
{
	(void)arg;
	return oom_scenario(err);
}

/* ring-sink setup (what autotrace does at start) and a reader of its
 * segment, in directory arg */
static int oom_ring_setup(void *arg, vs_error *err)
{
	vs_ring_config cfg = {arg, 8, 0};
	vs_ring_sink *s = NULL;
	vs_ring_reader *r = NULL;
	int rc = vs_ring_sink_open(&s, &cfg, err);
	if (rc < 0) {
		CU_ASSERT(s == NULL);
		return rc;
	}
	rc = vs_ring_reader_open(&r, vs_ring_sink_path(s), err);
	if (rc < 0) {
		CU_ASSERT(r == NULL);
	} else {
		vs_ring_reader_close(r);
	}
	unlink(vs_ring_sink_path(s));
	vs_ring_sink_free(s);
	return rc;
}

static void test_oom_every_allocation(void)
{
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	long n_failed = oom_loop(oom_runtime, NULL, 1, 5000);
	CU_ASSERT(n_failed > 30); /* the scenario really allocates: many failure points */
	vs_runtime_reset();
	vs_error_init(&err);
	VS_ASSERT_INT(oom_scenario(&err), 0); /* and a clean run afterwards works */
	vs_trace_attach(NULL, NULL, NULL);
	vs_memsink_free(ms);
	/* the ring transport's setup: the sink, its directory copy and its
	 * per-ring state, then the reader, its ring table and string buffer */
	char *dir = vs_test_tmp_path("-oom-ring");
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	VS_ASSERT_INT(oom_loop(oom_ring_setup, dir, 0, 100), 6);
	rmdir(dir);
	free(dir);
}

VS_SUITE_FN(tracer_smoke)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_seed_foo_bar_v),
		VS_TEST(test_seed_reuse_errors),
		VS_TEST(test_seed_auto_reuse_and_ops),
		VS_TEST(test_seed_default_name),
		VS_TEST(test_seed_template),
		VS_TEST(test_seed_template_trainable_error),
		VS_TEST(test_seed_events),
		VS_TEST(test_seed_variable_name_collision),
		VS_TEST(test_seed_lifting),
		VS_TEST(test_seed_eager_duplicates),
		VS_TEST(test_e4_ref_and_resource_dtype),
		VS_TEST(test_control_inputs_union),
		VS_TEST(test_composite_event_order),
		VS_TEST(test_oom_every_allocation),
		VS_TEST_END,
	};
	vs_test_add_suite("tracer_smoke", smoke_init, NULL, cases);
}
