/* SPDX-License-Identifier: MIT */
/*
 * examples/layers.h - the "library" the example programs call: C stand-ins
 * for tf.compat.v1.layers.dense, a conv2d weight pair and AdamOptimizer's
 * variable creation, written on the public libvs API the way TensorFlow
 * writes them in Python, so the programs themselves only hold user code.
 *
 * Every variable a helper gets is handed to ex_got(): printed at once
 * (log NULL) or appended to a caller's ex_log (threads, which must not
 * print; see common.h).  Header only, like common.h.
 */
#ifndef VS_EXAMPLES_LAYERS_H
#define VS_EXAMPLES_LAYERS_H

#include <stdio.h>
#include <string.h>

#include "common.h"

#define EX_LOG_MAX 64

/* Variables got by one thread, to be reported after it is joined. */
struct ex_log {
	const vs_var *vars[EX_LOG_MAX];
	size_t n;
};

static inline void ex_got(struct ex_log *log, const vs_var *v)
{
	if (!log)
		ex_report(v);
	else if (log->n < EX_LOG_MAX)
		log->vars[log->n++] = v;
}

/*
 * tf.compat.v1.layers.dense(x, units, name=name) on an input of in_dim
 * features: scope `name`, variables "kernel" (in_dim, units) and "bias"
 * (units,) initialised to zeros.  Reuse follows the enclosing scope.
 */
static inline int ex_dense(const char *name, int64_t in_dim, int64_t units, struct ex_log *log,
                           vs_error *err)
{
	const vs_var_opts kernel_opts = {.shape = VS_SHAPE(in_dim, units)};
	const vs_var_opts bias_opts = {.shape = VS_SHAPE(units), .initializer = VS_INIT(VS_INIT_ZEROS)};
	vs_cm *scope = NULL;
	vs_var *kernel = NULL, *bias = NULL;
	int rc = vs_variable_scope(&scope, name, &(vs_varscope_opts){0}, err);
	if (rc)
		return rc;
	rc = vs_get_variable(&kernel, "kernel", &kernel_opts, err);
	if (!rc) {
		ex_got(log, kernel);
		rc = vs_get_variable(&bias, "bias", &bias_opts, err);
	}
	if (!rc)
		ex_got(log, bias);
	return ex_leave(scope, rc, err);
}

/*
 * A convolution layer as the TF1 CIFAR-10 tutorial writes it: scope `name`,
 * "weights" (k, k, in_ch, out_ch) and "biases" (out_ch,).
 */
static inline int ex_conv2d(const char *name, int64_t k, int64_t in_ch, int64_t out_ch,
                            struct ex_log *log, vs_error *err)
{
	const vs_var_opts weights_opts = {.shape = VS_SHAPE(k, k, in_ch, out_ch),
	                                  .initializer = VS_INIT(VS_INIT_TRUNCATED_NORMAL)};
	const vs_var_opts biases_opts = {.shape = VS_SHAPE(out_ch), .initializer = VS_INIT_CONST(0.1)};
	vs_cm *scope = NULL;
	vs_var *weights = NULL, *biases = NULL;
	int rc = vs_variable_scope(&scope, name, &(vs_varscope_opts){0}, err);
	if (rc)
		return rc;
	rc = vs_get_variable(&weights, "weights", &weights_opts, err);
	if (!rc) {
		ex_got(log, weights);
		rc = vs_get_variable(&biases, "biases", &biases_opts, err);
	}
	if (!rc)
		ex_got(log, biases);
	return ex_leave(scope, rc, err);
}

/*
 * The trainable variables of the default graph whose name starts with
 * prefix, in creation order: `[v for v in tf.trainable_variables() if
 * v.name.startswith(prefix)]`.  Returns how many were written.
 */
static inline size_t ex_trainable_with_prefix(const char *prefix, vs_var **out, size_t max)
{
	size_t n = vs_collection_size(NULL, VS_TRAINABLE_VARIABLES), k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		vs_var *v = vs_collection_get(NULL, VS_TRAINABLE_VARIABLES, i);
		if (strncmp(vs_var_name(v), prefix, strlen(prefix)) == 0)
			out[k++] = v;
	}
	return k;
}

/*
 * One zero-filled optimizer slot for `primary`, as TF's slot_creator makes
 * it: a default-named variable scope "<primary op name>/<op_name>" (so the
 * second slot of the same variable becomes ".../Adam_1") and
 * get_variable("") inside it, which gives the store key ".../Adam/" and the
 * variable name ".../Adam:0".
 */
static inline int ex_zeros_slot(const vs_var *primary, const char *op_name, vs_error *err)
{
	const vs_var_opts slot_opts = {
		.shape = vs_var_shape(primary),
		.dtype = vs_var_dtype(primary),
		.initializer = VS_INIT(VS_INIT_ZEROS),
		.trainable = VS_FALSE,
		.use_resource = vs_var_is_resource(primary) ? VS_TRUE : VS_FALSE,
	};
	char prefix[512];
	vs_cm *scope = NULL;
	vs_var *slot = NULL;
	int rc;

	snprintf(prefix, sizeof(prefix), "%s/%s", vs_var_op_name(primary), op_name);
	rc = vs_variable_scope(&scope, NULL, &(vs_varscope_opts){.default_name = prefix}, err);
	if (rc)
		return rc;
	rc = vs_get_variable(&slot, "", &slot_opts, err);
	if (!rc)
		ex_got(NULL, slot);
	return ex_leave(scope, rc, err);
}

/* One of Adam's non-slot accumulators: a plain, non-trainable tf.Variable. */
static inline int ex_adam_power(const char *name, double value, const vs_var *colocate,
                                vs_error *err)
{
	const vs_initializer init = {.kind = VS_INIT_VALUE, .value = value, .dtype = VS_DT_FLOAT32};
	const vs_creator_args args = {
		.name = name,
		.initial_value = &init,
		.trainable = VS_FALSE,
		.use_resource = vs_var_is_resource(colocate) ? VS_TRUE : VS_FALSE,
	};
	vs_var *v = NULL;
	int rc = vs_variable(&v, &args, err);
	if (!rc)
		ex_got(NULL, v);
	return rc;
}

/*
 * tf.compat.v1.train.AdamOptimizer().minimize(loss, var_list=vars): the
 * variables it makes, under init_scope as apply_gradients does: the
 * beta1_power and beta2_power accumulators (named by the op name scope, so
 * a second optimizer gets beta1_power_1), then slots "m" and "v" of every
 * variable (.../Adam and .../Adam_1).
 */
static inline int ex_adam_minimize(vs_var *const *vars, size_t n, vs_error *err)
{
	vs_cm *init = NULL;
	int rc;

	if (n == 0)
		return 0;
	rc = vs_init_scope(&init, err);
	if (rc)
		return rc;
	rc = ex_adam_power("beta1_power", 0.9, vars[0], err);
	if (!rc)
		rc = ex_adam_power("beta2_power", 0.999, vars[0], err);
	for (size_t i = 0; i < n && !rc; i++) {
		rc = ex_zeros_slot(vars[i], "Adam", err);     /* m */
		if (!rc)
			rc = ex_zeros_slot(vars[i], "Adam", err); /* v: uniquified to Adam_1 */
	}
	return ex_leave(init, rc, err);
}

#endif /* VS_EXAMPLES_LAYERS_H */
