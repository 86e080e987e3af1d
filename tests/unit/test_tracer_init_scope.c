/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for init_scope and the context-switch log (docs/semantics.md
 * section 5, seed "init_scope"): lifting out of function graphs into the
 * innermost non-function graph or the eager context, control dependencies
 * and control flow cleared, the tape paused, the op name scope carried over
 * verbatim, and everything restored on exit.
 */
#include "tests/unit/tracer_testutil.h"

static vs_cm *init_scope_at(int line, const char *file)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_init_scope", vs_init_scope(&cm, &e), &e);
	return cm;
}
#define INIT_SCOPE() init_scope_at(__LINE__, __FILE__)

static vs_cm *simple_cm_at(int line, const char *file, int which)
{
	vs_cm *cm = NULL;
	vs_error e;
	int rc;
	vs_error_init(&e);
	switch (which) {
	case 0: rc = vs_eager_mode(&cm, &e); break;
	case 1: rc = vs_graph_mode(&cm, &e); break;
	case 2: rc = vs_cond(&cm, &e); break;
	case 3: rc = vs_while_loop(&cm, &e); break;
	case 4: rc = vs_gradient_tape(&cm, &e); break;
	default: rc = vs_stop_recording(&cm, &e); break;
	}
	rtt_ok(line, file, "context manager", rc, &e);
	return cm;
}
#define EAGER_MODE() simple_cm_at(__LINE__, __FILE__, 0)
#define GRAPH_MODE() simple_cm_at(__LINE__, __FILE__, 1)
#define COND() simple_cm_at(__LINE__, __FILE__, 2)
#define WHILE_LOOP() simple_cm_at(__LINE__, __FILE__, 3)
#define TAPE() simple_cm_at(__LINE__, __FILE__, 4)
#define STOP_RECORDING() simple_cm_at(__LINE__, __FILE__, 5)

static vs_cm *control_deps_at(int line, const char *file, vs_op *const *ops, size_t n)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_control_dependencies", vs_control_dependencies(&cm, ops, n, &e), &e);
	return cm;
}
#define CONTROL_DEPS(ops, n) control_deps_at(__LINE__, __FILE__, (ops), (n))

static void test_graph_mode_empty_stack_uses_global_graph(void)
{
	rtt_reset();
	vs_graph *global = vs_default_graph();
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_default_graph() == global, 1);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	/* the global graph was installed with as_default: one log entry */
	VS_ASSERT_INT(vs_context_switches_depth(), 1);
	EXIT(i);
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
	VS_ASSERT_INT(vs_default_graph() == global, 1);
}

static void test_context_switch_log(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("g");
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
	vs_cm *d = AS_DEFAULT(g);
	VS_ASSERT_INT(vs_context_switches_depth(), 1);
	vs_cm *em = EAGER_MODE();
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	VS_ASSERT_INT(vs_context_switches_depth(), 2);
	vs_cm *gm = GRAPH_MODE();
	/* graph_mode() switches mode but logs nothing */
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	VS_ASSERT_INT(vs_context_switches_depth(), 2);
	EXIT(gm);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	EXIT(em);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	VS_ASSERT_INT(vs_context_switches_depth(), 1);
	EXIT(d);
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
}

static void test_eager_runtime_starts_with_eager_entry(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	VS_ASSERT_INT(vs_context_switches_depth(), 1);
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	VS_ASSERT_INT(vs_context_switches_depth(), 2);
	EXIT(d);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	rtt_reset();
}

static void test_lift_out_of_function_graph_to_graph(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("outer");
	vs_cm *d = AS_DEFAULT(g);
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	VS_ASSERT_INT(vs_graph_building_function(f), 1);
	VS_ASSERT_INT(vs_graph_building_function(g), 0);
	VS_ASSERT_INT(vs_graph_outer(f) == g, 1);
	VS_ASSERT_INT(vs_graph_outer(g) == NULL, 1);
	vs_cm *fd = AS_DEFAULT(f);
	VS_ASSERT_INT(vs_default_graph() == f, 1);
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_default_graph() == g, 1);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	vs_op *op = OP("Const", NULL);
	VS_ASSERT_INT(vs_op_graph(op) == g, 1);
	EXIT(i);
	VS_ASSERT_INT(vs_default_graph() == f, 1);
	VS_ASSERT_INT(vs_op_graph(OP("Const", NULL)) == f, 1);
	EXIT(fd);
	EXIT(d);
}

static void test_lift_through_nested_function_graphs(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("outer");
	vs_cm *d = AS_DEFAULT(g);
	vs_graph *f1 = NEW_FUNC_GRAPH("f1");
	vs_cm *d1 = AS_DEFAULT(f1);
	vs_graph *f2 = NEW_FUNC_GRAPH("f2");
	VS_ASSERT_INT(vs_graph_outer(f2) == f1, 1);
	vs_cm *d2 = AS_DEFAULT(f2);
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_default_graph() == g, 1);
	EXIT(i);
	VS_ASSERT_INT(vs_default_graph() == f2, 1);
	EXIT(d2);
	EXIT(d1);
	EXIT(d);
}

static void test_lift_out_of_function_graph_to_eager(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	VS_ASSERT_INT(vs_graph_building_function(f), 1);
	vs_cm *fd = AS_DEFAULT(f);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	vs_cm *i = INIT_SCOPE();
	/* the seed: "Initialization runs with eager execution enabled" */
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	vs_op *op = OP("Const", NULL);
	VS_ASSERT_INT(vs_op_graph(op) == NULL, 1);
	EXIT(i);
	VS_ASSERT_INT(vs_executing_eagerly(), 0);
	VS_ASSERT_INT(vs_default_graph() == f, 1);
	EXIT(fd);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	rtt_reset();
}

static void test_function_graph_without_outer_falls_back_to_global(void)
{
	rtt_reset();
	vs_graph *global = vs_default_graph();
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	VS_ASSERT_INT(vs_graph_outer(f) == global, 1);
	vs_cm *fd = AS_DEFAULT(f);
	vs_cm *i = INIT_SCOPE();
	/* no non-function entry in the log: the global graph is the last resort */
	VS_ASSERT_INT(vs_default_graph() == global, 1);
	EXIT(i);
	VS_ASSERT_INT(vs_default_graph() == f, 1);
	EXIT(fd);
}

static void test_control_dependencies_cleared(void)
{
	rtt_reset();
	vs_op *a = OP("NoOp", "a");
	vs_op *b = OP("NoOp", "b");
	vs_op *deps[] = {a, b};
	vs_cm *c = CONTROL_DEPS(deps, 2);
	VS_ASSERT_INT(vs_control_inputs_count(), 2);
	VS_ASSERT_INT(vs_op_control_inputs(OP("Add", NULL)), 2);
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_control_inputs_count(), 0);
	VS_ASSERT_INT(vs_op_control_inputs(OP("Add", NULL)), 0);
	EXIT(i);
	VS_ASSERT_INT(vs_control_inputs_count(), 2);
	EXIT(c);
	VS_ASSERT_INT(vs_control_inputs_count(), 0);
}

static void test_control_dependencies_none_and_bad_input(void)
{
	rtt_reset();
	vs_op *a = OP("NoOp", "a");
	vs_cm *c = CONTROL_DEPS(&a, 1);
	vs_cm *n = CONTROL_DEPS(NULL, 0);
	VS_ASSERT_INT(vs_control_inputs_count(), 0);
	EXIT(n);
	VS_ASSERT_INT(vs_control_inputs_count(), 1);
	EXIT(c);
	vs_op *bad[] = {NULL};
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_control_dependencies(&cm, bad, 1, &e);
	VS_ASSERT_INT(rc, VS_ERR_TYPE);
	RTT_ASSERT_PREFIX(e.msg, "Control input must be Operation or Tensor: ");
	VS_ASSERT_INT(vs_control_inputs_count(), 0);
}

static void test_control_flow_cleared(void)
{
	rtt_reset();
	VS_ASSERT_INT(vs_in_control_flow(), 0);
	vs_cm *c = COND();
	VS_ASSERT_INT(vs_in_control_flow(), 1);
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_in_control_flow(), 0);
	EXIT(i);
	VS_ASSERT_INT(vs_in_control_flow(), 1);
	EXIT(c);
	vs_cm *w = WHILE_LOOP();
	VS_ASSERT_INT(vs_in_control_flow(), 1);
	i = INIT_SCOPE();
	VS_ASSERT_INT(vs_in_control_flow(), 0);
	EXIT(i);
	EXIT(w);
	VS_ASSERT_INT(vs_in_control_flow(), 0);
}

static void test_tape_paused(void)
{
	rtt_reset();
	VS_ASSERT_INT(vs_tape_recording(), 0);
	vs_cm *t = TAPE();
	VS_ASSERT_INT(vs_tape_recording(), 1);
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_tape_recording(), 0);
	EXIT(i);
	VS_ASSERT_INT(vs_tape_recording(), 1);
	/* stop_recording nests: only the outermost restarts the tape */
	vs_cm *s1 = STOP_RECORDING();
	vs_cm *s2 = STOP_RECORDING();
	VS_ASSERT_INT(vs_tape_recording(), 0);
	EXIT(s2);
	VS_ASSERT_INT(vs_tape_recording(), 0);
	EXIT(s1);
	VS_ASSERT_INT(vs_tape_recording(), 1);
	EXIT(t);
	VS_ASSERT_INT(vs_tape_recording(), 0);
}

static void test_tape_paused_in_eager_fast_path(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	vs_cm *t = TAPE();
	VS_ASSERT_INT(vs_tape_recording(), 1);
	size_t depth = vs_context_switches_depth();
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_tape_recording(), 0);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	VS_ASSERT_INT(vs_context_switches_depth(), depth);
	EXIT(i);
	VS_ASSERT_INT(vs_tape_recording(), 1);
	EXIT(t);
	rtt_reset();
}

static void test_name_scope_carried_over(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_cm *n = NSCOPE("inner");
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_STR(vs_get_name_scope(), "inner");
	/* re-entered verbatim, not re-uniquified */
	VS_ASSERT_STR(vs_op_name(OP("Add", NULL)), "inner/Add");
	EXIT(i);
	VS_ASSERT_STR(vs_get_name_scope(), "inner");
	EXIT(n);
	EXIT(d);
}

static void test_name_scope_carried_from_function_graph(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_cm *outer_ns = NSCOPE("model");
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	vs_cm *fd = AS_DEFAULT(f);
	/* tf.function starts with an empty name scope (issue #35649) */
	VS_ASSERT_STR(vs_get_name_scope(), "");
	vs_cm *n = NSCOPE("f");
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_default_graph() == g, 1);
	VS_ASSERT_STR(vs_get_name_scope(), "f");
	vs_op *op = OP("Add", NULL);
	VS_ASSERT_STR(vs_op_name(op), "f/Add");
	VS_ASSERT_INT(vs_op_graph(op) == g, 1);
	EXIT(i);
	VS_ASSERT_STR(vs_get_name_scope(), "f");
	EXIT(n);
	EXIT(fd);
	VS_ASSERT_STR(vs_get_name_scope(), "model");
	EXIT(outer_ns);
	EXIT(d);
}

static void test_eager_name_scope_carried(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	vs_cm *n = NSCOPE("inner");
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	vs_cm *fd = AS_DEFAULT(f);
	vs_cm *n2 = NSCOPE("in_fn");
	vs_cm *i = INIT_SCOPE();
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	VS_ASSERT_STR(vs_get_name_scope(), "in_fn");
	EXIT(i);
	EXIT(n2);
	EXIT(fd);
	VS_ASSERT_STR(vs_get_name_scope(), "inner");
	EXIT(n);
	rtt_reset();
}

static void test_get_variable_lifted_from_function_graph(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_cm *a = VSCOPE("model", NULL);
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	vs_cm *fd = AS_DEFAULT(f);
	/* the function graph shares the scope store and the variable store */
	VS_ASSERT_STR(rtt_cur_scope(), "model");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "model/v:0");
	VS_ASSERT_INT(vs_var_graph(v) == g, 1);
	EXIT(fd);
	VS_ASSERT_INT(vs_collection_size(g, VS_GLOBAL_VARIABLES), 1);
	/* a retrace in a non-reusing scope: E1 from the shared store */
	fd = AS_DEFAULT(NEW_FUNC_GRAPH("fn2"));
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, RTT_E1("model/v"));
	EXIT(fd);
	EXIT(a);
	EXIT(d);
}

static void test_get_variable_in_function_graph_over_eager(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	vs_cm *fd = AS_DEFAULT(f);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	/* lifted into the eager context: an eager resource variable */
	VS_ASSERT_INT(vs_var_graph(v) == NULL, 1);
	VS_ASSERT_INT(vs_var_is_resource(v), 1);
	EXIT(fd);
	rtt_reset();
}

static void test_get_variable_under_control_deps_and_tape(void)
{
	rtt_reset();
	vs_op *a = OP("NoOp", "a");
	vs_cm *c = CONTROL_DEPS(&a, 1);
	vs_cm *cf = COND();
	vs_cm *t = TAPE();
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(v), "v:0");
	/* the caller's context is intact afterwards */
	VS_ASSERT_INT(vs_control_inputs_count(), 1);
	VS_ASSERT_INT(vs_in_control_flow(), 1);
	VS_ASSERT_INT(vs_tape_recording(), 1);
	EXIT(t);
	EXIT(cf);
	EXIT(c);
}

static void test_nested_init_scope(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_cm *f = AS_DEFAULT(NEW_FUNC_GRAPH("fn"));
	vs_cm *i1 = INIT_SCOPE();
	vs_cm *i2 = INIT_SCOPE();
	VS_ASSERT_INT(vs_default_graph() == g, 1);
	EXIT(i2);
	VS_ASSERT_INT(vs_default_graph() == g, 1);
	EXIT(i1);
	VS_ASSERT_INT(vs_graph_building_function(vs_default_graph()), 1);
	EXIT(f);
	EXIT(d);
}

static void test_reset_default_graph_nested(void)
{
	rtt_reset();
	vs_graph *global = vs_default_graph();
	vs_cm *d = AS_DEFAULT(NEW_GRAPH("g"));
	vs_error e;
	vs_error_init(&e);
	int rc = vs_reset_default_graph(&e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_ASSERTION, RTT_E29);
	EXIT(d);
	VS_ASSERT_INT(vs_default_graph() == global, 1);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_reset_default_graph(&e), 0);
	VS_ASSERT_INT(vs_default_graph() != global, 1);
}

static void test_default_stack_nesting_violated(void)
{
	rtt_reset();
	vs_cm *d1 = AS_DEFAULT(NEW_GRAPH("g1"));
	vs_cm *d2 = AS_DEFAULT(NEW_GRAPH("g2"));
	vs_error e;
	vs_error_init(&e);
	int rc = vs_exit(d1, &e);
	VS_ASSERT_INT(rc, VS_ERR_ASSERTION);
	RTT_ASSERT_PREFIX(e.msg, "Nesting violated for default stack of ");
	vs_exit(d2, NULL); /* frees d2 */
	rtt_reset();
}

static void test_variable_scope_enters_its_graph(void)
{
	rtt_reset();
	/* graph mode: variable_scope enters graph.as_default() */
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
	vs_cm *a = VSCOPE("a", NULL);
	VS_ASSERT_INT(vs_context_switches_depth(), 1);
	EXIT(a);
	VS_ASSERT_INT(vs_context_switches_depth(), 0);
	/* ... unless the default graph is building a function */
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_cm *fd = AS_DEFAULT(NEW_FUNC_GRAPH("fn"));
	size_t depth = vs_context_switches_depth();
	VS_ASSERT_INT(depth, 2);
	a = VSCOPE("a", NULL);
	VS_ASSERT_INT(vs_context_switches_depth(), depth);
	EXIT(a);
	EXIT(fd);
	EXIT(d);
}

static vs_cm *device_at(int line, const char *file, const char *dev)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_device", vs_device(&cm, dev, &e), &e);
	return cm;
}
#define DEVICE(d) device_at(__LINE__, __FILE__, (d))

/* InitScopeTest.testPreservesDevices (ops_test.py) */
static void test_init_scope_preserves_devices(void)
{
	rtt_reset();
	vs_graph *g0 = NEW_GRAPH("g0");
	vs_cm *c0 = AS_DEFAULT(g0), *d0 = DEVICE("CPU:0");
	VS_ASSERT_STR(vs_current_device(), "/device:CPU:0");
	vs_graph *g1 = NEW_FUNC_GRAPH("g1");
	vs_cm *c1 = AS_DEFAULT(g1);
	VS_ASSERT_STR(vs_current_device(), ""); /* a graph's device stack is its own */
	vs_cm *d1 = DEVICE("GPU:0");
	vs_cm *is = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_init_scope(&is, &e), 0);
	VS_ASSERT_INT(vs_default_graph() == g0, 1);
	vs_op *on_gpu = OP("Const", NULL);
	VS_ASSERT_STR(vs_op_device(on_gpu), "/device:GPU:0");
	EXIT(is);
	vs_op *still = OP("Const", NULL);
	VS_ASSERT_STR(vs_op_device(still), "/device:GPU:0");
	EXIT(d1);
	EXIT(c1);
	vs_op *on_cpu = OP("Const", NULL);
	VS_ASSERT_STR(vs_op_device(on_cpu), "/device:CPU:0");
	EXIT(d0);
	EXIT(c0);
}

/* device merging and tf.device(None); variables and their initializers */
static void test_device_merge_and_variables(void)
{
	rtt_reset();
	vs_cm *a = DEVICE("/job:ps/replica:0/task:1");
	vs_cm *b = DEVICE("/gpu:2");
	VS_ASSERT_STR(vs_current_device(), "/job:ps/replica:0/task:1/device:GPU:2");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_device(v), "/job:ps/replica:0/task:1/device:GPU:2");
	vs_op *init = vs_var_initializer_op(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(init);
	VS_ASSERT_STR(vs_op_name(init), "v/Assign");
	VS_ASSERT_STR(vs_op_type(init), "Assign");
	VS_ASSERT_STR(vs_op_device(init), "/job:ps/replica:0/task:1/device:GPU:2");
	vs_cm *c = DEVICE(NULL);
	VS_ASSERT_STR(vs_current_device(), "");
	vs_cm *d = DEVICE("device:CPU:*");
	VS_ASSERT_STR(vs_current_device(), "/device:CPU:*");
	EXIT(d);
	EXIT(c);
	EXIT(b);
	VS_ASSERT_STR(vs_current_device(), "/job:ps/replica:0/task:1");
	EXIT(a);
	VS_ASSERT_STR(vs_current_device(), "");
	/* a resource variable's initializer is an AssignVariableOp; made in
	 * init_scope, it has no control inputs */
	vs_op *dep = OP("NoOp", NULL);
	vs_cm *cd = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_control_dependencies(&cd, &dep, 1, &e), 0);
	vs_var *r = GETVAR("r", (&(vs_var_opts){.shape = VS_SHAPE(1), .use_resource = VS_TRUE}));
	VS_ASSERT_STR(vs_op_type(vs_var_initializer_op(r)), "AssignVariableOp");
	VS_ASSERT_INT(vs_op_control_inputs(vs_var_initializer_op(r)), 0);
	VS_ASSERT_INT(vs_op_control_inputs(OP("Add", NULL)), 1);
	EXIT(cd);
	VS_ASSERT_INT(vs_var_initializer_op(NULL) == NULL, 1);
	VS_ASSERT_INT(vs_op_device(NULL) == NULL, 1);
	VS_ASSERT_INT(vs_device(NULL, "CPU:0", &e), VS_ERR_INVALID);
}

/* eager variables have no initializer op; eager device scopes */
static void test_eager_device_no_initializer(void)
{
	rtt_reset_config(VS_TRUE, VS_UNSET);
	vs_cm *d = DEVICE("GPU:1");
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_INT(vs_var_initializer_op(v) == NULL, 1);
	VS_ASSERT_STR(vs_var_device(v), "/device:GPU:1");
	EXIT(d);
	VS_ASSERT_STR(vs_current_device(), "");
}

/* testControlFlowInitialization: a tensor initial value from inside a
 * while_loop is E34; a callable one is made in init_scope and works */
static void test_cflow_value_initializer(void)
{
	rtt_reset();
	vs_cm *w = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_while_loop(&w, &e), 0);
	vs_var *v = NULL;
	int rc = vs_variable(&v, &(vs_creator_args){.name = "v",
	                                            .initial_value = VS_INIT(VS_INIT_VALUE)},
	                     &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Initializer for variable v/ is from inside a control-flow construct, such "
	               "as a loop or conditional. When creating a variable inside a loop or "
	               "conditional, use a lambda as the initializer.");
	VS_ASSERT_INT(v == NULL, 1);
	v = VARIABLE((&(vs_creator_args){.name = "v", .initial_value = VS_INIT(VS_INIT_LAMBDA)}));
	VS_ASSERT_STR(vs_var_name(v), "v_1:0");
	EXIT(w);
	v = VARIABLE((&(vs_creator_args){.name = "x", .initial_value = VS_INIT(VS_INIT_VALUE)}));
	VS_ASSERT_STR(vs_var_name(v), "x:0");
}

VS_SUITE_FN(tracer_init_scope)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_cflow_value_initializer),
		VS_TEST(test_init_scope_preserves_devices),
		VS_TEST(test_device_merge_and_variables),
		VS_TEST(test_eager_device_no_initializer),
		VS_TEST(test_graph_mode_empty_stack_uses_global_graph),
		VS_TEST(test_context_switch_log),
		VS_TEST(test_eager_runtime_starts_with_eager_entry),
		VS_TEST(test_lift_out_of_function_graph_to_graph),
		VS_TEST(test_lift_through_nested_function_graphs),
		VS_TEST(test_lift_out_of_function_graph_to_eager),
		VS_TEST(test_function_graph_without_outer_falls_back_to_global),
		VS_TEST(test_control_dependencies_cleared),
		VS_TEST(test_control_dependencies_none_and_bad_input),
		VS_TEST(test_control_flow_cleared),
		VS_TEST(test_tape_paused),
		VS_TEST(test_tape_paused_in_eager_fast_path),
		VS_TEST(test_name_scope_carried_over),
		VS_TEST(test_name_scope_carried_from_function_graph),
		VS_TEST(test_eager_name_scope_carried),
		VS_TEST(test_get_variable_lifted_from_function_graph),
		VS_TEST(test_get_variable_in_function_graph_over_eager),
		VS_TEST(test_get_variable_under_control_deps_and_tape),
		VS_TEST(test_nested_init_scope),
		VS_TEST(test_reset_default_graph_nested),
		VS_TEST(test_default_stack_nesting_violated),
		VS_TEST(test_variable_scope_enters_its_graph),
		VS_TEST_END};
	vs_test_add_suite("tracer_init_scope", rtt_suite_init, rtt_suite_clean, cases);
}
