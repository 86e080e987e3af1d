/* SPDX-License-Identifier: MIT */
/*
 * examples/layers.h - the "library" the example programs call:
 * tf.compat.v1.layers.dense and AdamOptimizer's variable creation through
 * libvs's layers API (vs_layer_*, vs_optimizer_*: TF 1.15's naming rules,
 * tracer/layers.c), and the CIFAR-10 tutorial's conv2d weight pair written
 * on get_variable, so the programs themselves only hold user code.
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
 * The variables one library call got, in order: whether each was met
 * before is decided for all of them first, since a report marks every
 * variable in the collections as met.
 */
static inline void ex_got_all(struct ex_log *log, vs_var *const *vars, size_t n)
{
	int known[EX_LOG_MAX];
	if (log) {
		for (size_t i = 0; i < n; i++)
			ex_got(log, vars[i]);
		return;
	}
	for (size_t i = 0; i < n && i < EX_LOG_MAX; i++)
		known[i] = ex_is_known(vars[i]);
	for (size_t i = 0; i < n && i < EX_LOG_MAX; i++)
		ex_report_known(vars[i], known[i]);
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
 * tf.compat.v1.layers.dense(x, units, name=name) on an input of in_dim
 * features, through libvs's layers API (tracer/layers.c): Layer.__init__
 * captures variable_scope(name) (reuse follows the enclosing scope), the
 * call re-enters it with auxiliary_name_scope=False and its original name
 * scope, and Dense.build gets "kernel" (in_dim, units) and "bias" (units,)
 * initialised to zeros.  A fresh layer object per call, as the functional
 * form makes one; what the build got is reported in order.
 */
static inline int ex_dense(const char *name, int64_t in_dim, int64_t units, struct ex_log *log,
                           vs_error *err)
{
	vs_layer layer = {.base_name = name, .scope_name = name};
	int rc = vs_layer_init(&layer, err);
	if (rc < 0)
		return rc;
	rc = vs_layer_dense(&layer, in_dim, units, NULL, err);
	if (rc == 0)
		ex_got_all(log, layer.weights, layer.nweights);
	return rc;
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
 * tf.compat.v1.train.AdamOptimizer().minimize(loss, var_list=vars): the
 * variables apply_gradients makes, through libvs's vs_optimizer (which
 * follows optimizer.py, adam.py and slot_creator.py): under init_scope the
 * beta1_power and beta2_power accumulators (tf.Variables named by the op
 * name scope, so a second optimizer gets beta1_power_1), then the "m" and
 * "v" slots of every variable in variable_scope(None,
 * default_name=<var>/Adam) (.../Adam and .../Adam_1).  The new variables
 * are reported in creation order, also when a slot fails.
 */
static inline int ex_adam_minimize(vs_var *const *vars, size_t n, vs_error *err)
{
	vs_optimizer adam = {.kind = VS_OPT_ADAM};
	size_t before = vs_collection_size(NULL, VS_GLOBAL_VARIABLES);
	int rc = vs_optimizer_create_slots(&adam, vars, n, err);
	size_t after = vs_collection_size(NULL, VS_GLOBAL_VARIABLES);
	vs_var *made[EX_LOG_MAX];
	size_t k = 0;
	for (size_t i = before; i < after && k < EX_LOG_MAX; i++)
		made[k++] = vs_collection_get(NULL, VS_GLOBAL_VARIABLES, i);
	ex_got_all(NULL, made, k);
	vs_optimizer_free(&adam);
	return rc;
}

#endif /* VS_EXAMPLES_LAYERS_H */
