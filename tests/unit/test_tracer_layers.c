/* SPDX-License-Identifier: MIT */
/*
 * The layers API (tracer/layers.c): TF 1.15's layer scope capture (unnamed
 * layers uniquify, named functional layers enter their name, reuse
 * layers capture by name), built layers reusing, add_weight's defaults,
 * the Dense / Conv / Conv2DTranspose / BatchNormalization builds, optimizer
 * slots and accumulators, ExponentialMovingAverage and the global step.
 */
#include "tests/unit/tracer_testutil.h"

static const char *vname(const vs_var *v)
{
	return v ? vs_var_name(v) : "(null)";
}

/* the i-th variable of the default graph's global collection */
static const char *gname(size_t i)
{
	return vname(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, i));
}

static size_t nglobal(void)
{
	return vs_collection_size(NULL, VS_GLOBAL_VARIABLES);
}

static void dense_ok(vs_layer *l, int64_t in, int64_t units)
{
	vs_error e;
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "vs_layer_dense", vs_layer_dense(l, in, units, NULL, &e), &e);
}

static void test_unnamed_layers_uniquify(void)
{
	rtt_reset();
	vs_layer a = {.base_name = "dense"}, b = {.base_name = "dense"};
	dense_ok(&a, 8, 4);
	dense_ok(&b, 4, 2);
	VS_ASSERT_INT(nglobal(), 4);
	VS_ASSERT_STR(gname(0), "dense/kernel:0");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(a.weights[0])), "(8, 4)");
	VS_ASSERT_STR(gname(1), "dense/bias:0");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(a.weights[1])), "(4,)");
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(a.weights[0])), VS_INIT_GLOROT_UNIFORM);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(a.weights[1])), VS_INIT_ZEROS);
	VS_ASSERT_STR(gname(2), "dense_1/kernel:0");
	VS_ASSERT_STR(gname(3), "dense_1/bias:0");
	VS_ASSERT_INT(a.built && b.built, 1);
}

static void test_named_layer_twice_fails_reuse_shares(void)
{
	rtt_reset();
	vs_error e;
	vs_layer a = {.base_name = "fc", .scope_name = "fc"};
	vs_layer b = {.base_name = "fc", .scope_name = "fc"};
	vs_layer c = {.base_name = "fc", .scope_name = "fc", .reuse = VS_REUSE_TRUE};
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "vs_layer_init", vs_layer_init(&a, &e), &e);
	dense_ok(&a, 3, 2);
	rtt_ok(__LINE__, __FILE__, "vs_layer_init", vs_layer_init(&b, &e), &e);
	int rc = vs_layer_dense(&b, 3, 2, NULL, &e);
	RTT_ASSERT_ERR_PREFIX(rc, e, VS_ERR_VALUE, RTT_E1("fc/kernel"));
	VS_ASSERT_INT(b.built, 0);
	VS_ASSERT_INT(b.depth, 0);
	VS_ASSERT_STR(rtt_cur_scope(), "");
	rtt_ok(__LINE__, __FILE__, "vs_layer_init", vs_layer_init(&c, &e), &e);
	dense_ok(&c, 3, 2);
	VS_ASSERT_INT(c.weights[0] == a.weights[0], 1);
	VS_ASSERT_INT(nglobal(), 2);
}

/* contrib layers: variable_scope(scope, 'fully_connected') as sc, Dense(_scope=sc) */
static void test_layer_scope_from_captured_scope(void)
{
	rtt_reset();
	vs_error e;
	vs_cm *s = VSCOPE_DEFAULT("fully_connected");
	vs_layer l = {.base_name = "fully_connected", .scope_from = vs_cm_varscope(s)};
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "init", vs_layer_init(&l, &e), &e);
	dense_ok(&l, 3, 2);
	EXIT(s);
	VS_ASSERT_STR(gname(0), "fully_connected/kernel:0"); /* not .../fully_connected/... */
	VS_ASSERT_STR(gname(1), "fully_connected/bias:0");
	VS_ASSERT_STR(vs_varscope_name(l.scope), "fully_connected");
}

static void test_built_layer_reuses_in_its_name_scope(void)
{
	rtt_reset();
	vs_error e;
	vs_layer l = {.base_name = "dense"};
	vs_op *op = NULL;
	dense_ok(&l, 5, 5);
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "enter", vs_layer_call_enter(&l, &e), &e);
	VS_ASSERT_STR(vs_get_name_scope(), "dense");
	rtt_ok(__LINE__, __FILE__, "op", vs_op(&op, "MatMul", NULL, &e), &e);
	VS_ASSERT_STR(vs_op_name(op), "dense/MatMul");
	rtt_ok(__LINE__, __FILE__, "build", vs_layer_dense_build(&l, 5, 5, NULL, &e), &e);
	rtt_ok(__LINE__, __FILE__, "exit", vs_layer_call_exit(&l, 1, &e), &e);
	VS_ASSERT_INT(nglobal(), 2);
	VS_ASSERT_STR(vs_get_name_scope(), "");
}

static void test_layer_in_reusing_scope_and_errors(void)
{
	rtt_reset();
	vs_error e;
	vs_layer l = {.base_name = "d"};
	vs_cm *s = VSCOPE_REUSE("model", VS_REUSE_TRUE);
	vs_error_init(&e);
	int rc = vs_layer_dense(&l, 2, 2, NULL, &e);
	RTT_ASSERT_ERR_PREFIX(rc, e, VS_ERR_VALUE, RTT_E2("model/d/kernel"));
	EXIT(s);
	vs_layer none = {0};
	RTT_ASSERT_ERR(vs_layer_call_enter(&none, &e), e, VS_ERR_INVALID,
	               "layer without a base name");
	RTT_ASSERT_ERR(vs_layer_call_exit(&l, 1, &e), e, VS_ERR_INVALID, "layer call not entered");
	RTT_ASSERT_ERR(vs_layer_dense_build(&l, 1, 1, NULL, &e), e, VS_ERR_INVALID,
	               "layer call not entered");
	vs_var *v = NULL;
	RTT_ASSERT_ERR(vs_layer_add_weight(&v, &none, "w", NULL, &e), e, VS_ERR_INVALID,
	               "add_weight outside a layer call");
}

static void test_add_weight_on_read_and_trainable(void)
{
	rtt_reset();
	vs_error e;
	vs_var *v = NULL;
	vs_layer l = {.base_name = "bn", .trainable = VS_FALSE};
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "enter", vs_layer_call_enter(&l, &e), &e);
	int rc = vs_layer_add_weight(&v, &l, "m",
	                             &(vs_var_opts){.shape = VS_SHAPE(2), .trainable = VS_TRUE,
	                                            .synchronization = VS_SYNC_ON_READ},
	                             &e);
	RTT_ASSERT_ERR_PREFIX(rc, e, VS_ERR_VALUE, "Synchronization value can be set to "
	                      "VariableSynchronization.ON_READ only for non-trainable variables.");
	rtt_ok(__LINE__, __FILE__, "add_weight",
	       vs_layer_add_weight(&v, &l, "w", &(vs_var_opts){.shape = VS_SHAPE(2)}, &e), &e);
	VS_ASSERT_STR(vname(v), "bn/w:0");
	VS_ASSERT_INT(vs_var_trainable(v), 0); /* the layer is not trainable */
	rtt_ok(__LINE__, __FILE__, "add_weight int",
	       vs_layer_add_weight(&v, &l, "n", &(vs_var_opts){.shape = VS_SCALAR,
	                                                       .dtype = VS_DT_INT32}, &e), &e);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(v)), VS_INIT_ZEROS);
	rtt_ok(__LINE__, __FILE__, "exit", vs_layer_call_exit(&l, 1, &e), &e);
}

static void test_conv_and_transpose_kernels(void)
{
	rtt_reset();
	vs_error e;
	vs_layer c = {.base_name = "conv2d"}, t = {.base_name = "conv2d_transpose"};
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "conv",
	       vs_layer_conv(&c, 2, (int64_t[]){5, 3}, 3, 16,
	                     0, &(vs_layer_opts){.use_bias = VS_FALSE}, &e), &e);
	rtt_ok(__LINE__, __FILE__, "tconv",
	       vs_layer_conv(&t, 2, (int64_t[]){4, 4}, 16, 8, 1, NULL, &e), &e);
	VS_ASSERT_INT(nglobal(), 3);
	VS_ASSERT_STR(gname(0), "conv2d/kernel:0");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(c.weights[0])), "(5, 3, 3, 16)");
	VS_ASSERT_STR(gname(1), "conv2d_transpose/kernel:0");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(t.weights[0])), "(4, 4, 8, 16)");
	VS_ASSERT_STR(gname(2), "conv2d_transpose/bias:0");
	RTT_ASSERT_ERR(vs_layer_conv(&c, 0, (int64_t[]){1}, 1, 1, 0, NULL, &e), e, VS_ERR_INVALID,
	               "bad convolution rank 0");
}

static void test_batch_norm_variables(void)
{
	rtt_reset();
	vs_error e;
	vs_layer l = {.base_name = "batch_normalization"};
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_cm *s = VSCOPE("net", (&(vs_varscope_opts){.partitioner = &p}));
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "bn",
	       vs_layer_batch_norm(&l, 6, &(vs_layer_opts){.center = VS_FALSE}, &e), &e);
	EXIT(s);
	VS_ASSERT_INT(l.nweights, 3);
	VS_ASSERT_STR(vname(l.weights[0]), "net/batch_normalization/gamma");
	VS_ASSERT_INT(vs_var_num_partitions(l.weights[0]), 2);
	/* moving statistics: partitioner off, non-trainable, ones/zeros */
	VS_ASSERT_STR(vname(l.weights[1]), "net/batch_normalization/moving_mean:0");
	VS_ASSERT_INT(vs_var_trainable(l.weights[1]), 0);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(l.weights[1])), VS_INIT_ZEROS);
	VS_ASSERT_STR(vname(l.weights[2]), "net/batch_normalization/moving_variance:0");
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(l.weights[2])), VS_INIT_ONES);
	VS_ASSERT_INT(vs_varscope_partitioner(l.scope) != NULL, 1); /* restored */
}

static vs_var *var(const char *name, const vs_shape *shape)
{
	return GETVAR_SHAPE(name, shape);
}

static void test_adam_slots_and_accumulators(void)
{
	rtt_reset();
	vs_error e;
	vs_var *vars[2] = {var("b", VS_SHAPE(3)), var("a", VS_SHAPE(2, 2))};
	vs_optimizer o1 = {.kind = VS_OPT_ADAM}, o2 = {.kind = VS_OPT_ADAM};
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "slots", vs_optimizer_create_slots(&o1, vars, 2, &e), &e);
	rtt_ok(__LINE__, __FILE__, "again", vs_optimizer_create_slots(&o1, vars, 2, &e), &e);
	VS_ASSERT_INT(nglobal(), 8);
	const char *want[] = {"b:0", "a:0", "beta1_power:0", "beta2_power:0", "b/Adam:0",
	                      "b/Adam_1:0", "a/Adam:0", "a/Adam_1:0"};
	for (size_t i = 0; i < 8; i++)
		VS_ASSERT_STR(gname(i), want[i]);
	VS_ASSERT_INT(vs_var_trainable(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 4)), 0);
	rtt_ok(__LINE__, __FILE__, "second", vs_optimizer_create_slots(&o2, vars, 1, &e), &e);
	VS_ASSERT_STR(gname(8), "beta1_power_1:0");
	VS_ASSERT_STR(gname(10), "b/Adam_2:0");
	VS_ASSERT_STR(gname(11), "b/Adam_3:0");
	vs_optimizer_free(&o1);
	vs_optimizer_free(&o2);
	vs_optimizer bad = {.kind = (vs_optimizer_kind)42};
	RTT_ASSERT_ERR(vs_optimizer_create_slots(&bad, vars, 1, &e), e, VS_ERR_INVALID,
	               "bad optimizer");
}

static void test_other_optimizers(void)
{
	rtt_reset();
	vs_error e;
	vs_var *w = var("w", VS_SHAPE(4));
	vs_optimizer m = {.kind = VS_OPT_MOMENTUM}, r = {.kind = VS_OPT_RMSPROP, .centered = 1};
	vs_optimizer g = {.kind = VS_OPT_GRADIENT_DESCENT}, a = {.kind = VS_OPT_ADAGRAD,
	                                                           .name = "Ada"};
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "momentum", vs_optimizer_create_slots(&m, &w, 1, &e), &e);
	rtt_ok(__LINE__, __FILE__, "rmsprop", vs_optimizer_create_slots(&r, &w, 1, &e), &e);
	rtt_ok(__LINE__, __FILE__, "gd", vs_optimizer_create_slots(&g, &w, 1, &e), &e);
	rtt_ok(__LINE__, __FILE__, "adagrad", vs_optimizer_create_slots(&a, &w, 1, &e), &e);
	const char *want[] = {"w:0", "w/Momentum:0", "w/RMSProp:0", "w/RMSProp_1:0",
	                      "w/RMSProp_2:0", "w/Ada:0"};
	VS_ASSERT_INT(nglobal(), 6);
	for (size_t i = 0; i < 6; i++)
		VS_ASSERT_STR(gname(i), want[i]);
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 2))),
	              VS_INIT_ONES);
	VS_ASSERT_STR(vs_optimizer_default_name(VS_OPT_RMSPROP), "RMSProp");
	VS_ASSERT_STR(vs_optimizer_default_name(VS_OPT_GRADIENT_DESCENT), "GradientDescent");
	vs_optimizer_free(&m);
	vs_optimizer_free(&r);
	vs_optimizer_free(&g);
	vs_optimizer_free(&a);
}

static void test_slots_in_scopes(void)
{
	rtt_reset();
	vs_error e;
	vs_var *w = var("w", VS_SHAPE(2)), *s = NULL;
	vs_error_init(&e);
	/* slot_creator nests under the current variable scope */
	vs_cm *t = VSCOPE("train", NULL);
	rtt_ok(__LINE__, __FILE__, "slot",
	       vs_slot_create(&s, w, "Momentum", VS_INIT(VS_INIT_ZEROS), &e), &e);
	VS_ASSERT_STR(vname(s), "train/w/Momentum:0");
	EXIT(t);
	/* ... and fails in a reusing scope */
	vs_cm *r = VSCOPE_REUSE("train", VS_REUSE_TRUE);
	int rc = vs_slot_create(&s, w, "Adam", VS_INIT(VS_INIT_ZEROS), &e);
	RTT_ASSERT_ERR_PREFIX(rc, e, VS_ERR_VALUE, RTT_E2("train/w/Adam/"));
	EXIT(r);
	RTT_ASSERT_ERR(vs_slot_create(&s, NULL, "x", VS_INIT(VS_INIT_ZEROS), &e), e,
	               VS_ERR_INVALID, "slot without a primary, name or initializer");
}

static void test_ema_and_global_step(void)
{
	rtt_reset();
	vs_error e;
	vs_var *w = var("w", VS_SHAPE(3)), *avg = NULL, *gs = NULL, *gs2 = NULL;
	vs_error_init(&e);
	vs_cm *c = NULL;
	vs_op *op = OP("NoOp", "dep");
	rtt_ok(__LINE__, __FILE__, "ctl", vs_control_dependencies(&c, &op, 1, &e), &e);
	rtt_ok(__LINE__, __FILE__, "ema", vs_ema_average(&avg, w, NULL, &e), &e);
	EXIT(c);
	VS_ASSERT_STR(vname(avg), "w/ExponentialMovingAverage:0");
	VS_ASSERT_INT(rtt_kind(vs_var_initializer(avg)), VS_INIT_VALUE);
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(avg)), "(3,)");
	vs_cm *s = VSCOPE("outer", NULL);
	vs_cm *n = NSCOPE("ns");
	rtt_ok(__LINE__, __FILE__, "global step", vs_get_or_create_global_step(&gs, &e), &e);
	EXIT(n);
	EXIT(s);
	VS_ASSERT_STR(vname(gs), "outer/global_step:0");
	VS_ASSERT_INT(vs_var_dtype(gs), VS_DT_INT64);
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(gs)), "()");
	VS_ASSERT_INT(vs_collection_size(NULL, "global_step"), 1);
	rtt_ok(__LINE__, __FILE__, "again", vs_get_or_create_global_step(&gs2, &e), &e);
	VS_ASSERT_INT(gs2 == gs, 1);
	RTT_ASSERT_ERR(vs_ema_average(&avg, NULL, NULL, &e), e, VS_ERR_INVALID,
	               "moving average of no variable");
}

VS_SUITE_FN(tracer_layers)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_unnamed_layers_uniquify),
		VS_TEST(test_named_layer_twice_fails_reuse_shares),
		VS_TEST(test_layer_scope_from_captured_scope),
		VS_TEST(test_built_layer_reuses_in_its_name_scope),
		VS_TEST(test_layer_in_reusing_scope_and_errors),
		VS_TEST(test_add_weight_on_read_and_trainable),
		VS_TEST(test_conv_and_transpose_kernels),
		VS_TEST(test_batch_norm_variables),
		VS_TEST(test_adam_slots_and_accumulators),
		VS_TEST(test_other_optimizers),
		VS_TEST(test_slots_in_scopes),
		VS_TEST(test_ema_and_global_step),
		VS_TEST_END};
	vs_test_add_suite("tracer_layers", rtt_suite_init, rtt_suite_clean, cases);
}
