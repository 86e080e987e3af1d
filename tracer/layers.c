/* SPDX-License-Identifier: MIT */
/*
 * tracer/layers.c - TF 1.15's naming rules for the library code that makes
 * variables: tf.compat.v1.layers (Layer.__call__ / add_weight and the
 * Dense, Conv and BatchNormalization builds), optimizer slots and non-slot
 * accumulators, ExponentialMovingAverage and the global step.
 *
 * Built only on the public libvs API (vs/vs.h), the way TensorFlow's Python
 * library is built on variable_scope and get_variable; the sources each
 * rule follows are named at each function (paths in the TF 1.15 tree).
 * Nothing here allocates except the optimizer's bookkeeping tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vs/internal/util.h"
#include "vs/vs.h"

#define LAYER_MAX_DEPTH 8

/* Leaves cm after a failure without losing the first error. */
static int leave(vs_site site, vs_cm *cm, int rc, vs_error *err)
{
	vs_error tmp;
	if (!cm)
		return rc;
	if (rc < 0) {
		vs_exit_at(site, cm, &tmp);
		return rc;
	}
	return vs_exit_at(site, cm, err);
}

/*
 * layers/base.py Layer.__init__: `if scope: with vs.variable_scope(scope) as
 * captured_scope: self._scope = captured_scope` (the functional forms pass
 * _scope=name, so a second tf.layers.dense(x, n, name="fc") without reuse
 * enters the same "fc" and fails on fc/kernel).  Otherwise the first call
 * captures it in Layer._set_scope: `if self._reuse: variable_scope(scope
 * or base_name)` else `variable_scope(scope, default_name=base_name)`, the
 * latter uniquifying the base name ("dense", "dense_1", ...).
 */
static int capture_scope(vs_site site, vs_layer *l, const char *name, const char *dflt,
                         vs_varscope *from, vs_error *err)
{
	vs_varscope_opts o = {.default_name = dflt, .scope = from};
	vs_cm *cm = NULL;
	int rc = vs_variable_scope_at(site, &cm, name, &o, err);
	if (rc < 0)
		return rc;
	l->scope = vs_cm_varscope(cm);
	return vs_exit_at(site, cm, err);
}

int vs_layer_init_at(vs_site site, vs_layer *l, vs_error *err)
{
	if (!l || !l->base_name)
		return vs_error_set(err, VS_ERR_INVALID, "layer without a base name");
	if (l->scope)
		return 0;
	if (l->scope_from)
		return capture_scope(site, l, NULL, NULL, l->scope_from, err);
	if (!l->scope_name || !*l->scope_name)
		return 0;
	return capture_scope(site, l, l->scope_name, NULL, NULL, err);
}

/*
 * Layer.__call__ / add_weight: variable_scope(self._scope, reuse=built or
 * _reuse, auxiliary_name_scope=False), and inside it
 * name_scope(self._current_scope.original_name_scope).  Both are entered
 * here, the absolute name scope first: the resulting names are the same
 * (auxiliary_name_scope=False leaves name scopes alone and a name ending in
 * '/' is used as is), and the op name scope never diverges from the
 * variable scope in between (no spurious VS111 note for library code).
 */
static int enter_layer_scope(vs_site site, vs_layer *l, vs_cm **vcm, vs_cm **ncm, vs_error *err)
{
	vs_varscope_opts o = {
		.scope = l->scope,
		.reuse = l->built ? VS_REUSE_TRUE : l->reuse,
		.auxiliary_name_scope = VS_FALSE,
	};
	int rc = vs_name_scope_at(site, ncm, vs_varscope_original_name_scope(l->scope),
	                          &(vs_name_scope_opts){0}, err);
	if (rc < 0)
		return rc;
	rc = vs_variable_scope_at(site, vcm, NULL, &o, err);
	if (rc < 0) {
		leave(site, *ncm, rc, err);
		*ncm = NULL;
	}
	return rc;
}

int vs_layer_call_enter_at(vs_site site, vs_layer *l, vs_error *err)
{
	if (!l || !l->base_name)
		return vs_error_set(err, VS_ERR_INVALID, "layer without a base name");
	if (l->depth >= LAYER_MAX_DEPTH)
		return vs_error_set(err, VS_ERR_INVALID, "layer calls nested too deep");
	if (!l->scope) {
		int reuse = l->reuse == VS_REUSE_TRUE || l->reuse == VS_REUSE_AUTO;
		int rc = reuse ? capture_scope(site, l, l->base_name, NULL, NULL, err)
		               : capture_scope(site, l, NULL, l->base_name, NULL, err);
		if (rc < 0)
			return rc;
	}
	vs_cm *v = NULL, *n = NULL;
	int rc = enter_layer_scope(site, l, &v, &n, err);
	if (rc < 0)
		return rc;
	l->cms[0][l->depth] = v;
	l->cms[1][l->depth] = n;
	l->depth++;
	return 0;
}

int vs_layer_call_exit_at(vs_site site, vs_layer *l, int ok, vs_error *err)
{
	if (!l || l->depth <= 0)
		return vs_error_set(err, VS_ERR_INVALID, "layer call not entered");
	l->depth--;
	if (!ok) { /* unwinding after a failure: leave quietly, keep the caller's error */
		leave(site, l->cms[0][l->depth], -1, err);
		leave(site, l->cms[1][l->depth], -1, err);
		return 0;
	}
	int rc = leave(site, l->cms[0][l->depth], 0, err);
	rc = leave(site, l->cms[1][l->depth], rc, err);
	if (rc == 0)
		l->built = 1;
	return rc;
}

/* keras/engine/base_layer.py add_weight's defaults for a missing initializer */
static const vs_initializer *default_init(const vs_layer *l, vs_dtype dt)
{
	static const vs_initializer glorot = {.kind = VS_INIT_GLOROT_UNIFORM};
	static const vs_initializer zeros = {.kind = VS_INIT_ZEROS};
	const vs_initializer *s = vs_varscope_initializer(l->scope);
	if (s)
		return s; /* layers/base.py: initializer = scope.initializer */
	if (dt == VS_DT_FLOAT16 || dt == VS_DT_BFLOAT16 || dt == VS_DT_FLOAT32 ||
	    dt == VS_DT_FLOAT64)
		return &glorot;
	return &zeros;
}

/*
 * layers/base.py Layer.add_weight: ON_READ synchronization is for
 * non-trainable variables only; trainable defaults to True and is and-ed
 * with the layer's; the variable comes from get_variable inside the
 * layer's scope re-entered with reuse = built or _reuse.
 */
int vs_layer_add_weight_at(vs_site site, vs_var **out, vs_layer *l, const char *name,
                           const vs_var_opts *opts, vs_error *err)
{
	vs_var_opts o = opts ? *opts : (vs_var_opts){0};
	vs_cm *v = NULL, *n = NULL;
	vs_var *var = NULL;
	int rc;

	if (!l || !l->scope || !name || !out)
		return vs_error_set(err, VS_ERR_INVALID, "add_weight outside a layer call");
	if (o.synchronization == VS_SYNC_ON_READ) {
		if (o.trainable == VS_TRUE)
			return vs_error_set(
				err, VS_ERR_VALUE,
				"Synchronization value can be set to "
				"VariableSynchronization.ON_READ only for non-trainable "
				"variables. You have specified trainable=True and "
				"synchronization=VariableSynchronization.ON_READ.");
		o.trainable = VS_FALSE;
	} else if (o.trainable == VS_UNSET) {
		o.trainable = VS_TRUE;
	}
	if (l->trainable == VS_FALSE)
		o.trainable = VS_FALSE;
	if (!o.dtype)
		o.dtype = l->dtype ? l->dtype : VS_DT_FLOAT32;
	if (!o.initializer)
		o.initializer = default_init(l, o.dtype);
	rc = enter_layer_scope(site, l, &v, &n, err);
	if (rc < 0)
		return rc;
	rc = vs_get_variable_at(site, &var, name, &o, err);
	rc = leave(site, v, rc, err);
	rc = leave(site, n, rc, err);
	if (rc < 0)
		return rc;
	*out = var;
	if (!l->built && l->nweights < sizeof l->weights / sizeof l->weights[0])
		l->weights[l->nweights++] = var;
	return 0;
}

/* a weight of a build: `name` with shape, initializer, regularizer, constraint */
static int weight(vs_site site, vs_layer *l, const char *name, const vs_shape *shape,
                  const vs_initializer *init, const vs_regularizer *reg, const vs_constraint *con,
                  vs_error *err)
{
	vs_var *v = NULL;
	const vs_var_opts o = {.shape = shape,
	                       .initializer = init,
	                       .regularizer = reg,
	                       .constraint = con};
	return vs_layer_add_weight_at(site, &v, l, name, &o, err);
}

/* keras/layers/core.py Dense.build: kernel [last_dim, units], bias [units] */
int vs_layer_dense_build_at(vs_site site, vs_layer *l, int64_t in_dim, int64_t units,
                            const vs_layer_opts *opts, vs_error *err)
{
	static const vs_initializer zeros = {.kind = VS_INIT_ZEROS};
	const vs_layer_opts o = opts ? *opts : (vs_layer_opts){0};
	int rc = 0;
	if (!l || l->depth <= 0)
		return vs_error_set(err, VS_ERR_INVALID, "layer call not entered");
	if (!l->built) {
		rc = weight(site, l, "kernel", VS_SHAPE(in_dim, units), o.kernel_initializer,
		            o.kernel_regularizer, o.kernel_constraint, err);
		if (rc == 0 && o.use_bias != VS_FALSE)
			rc = weight(site, l, "bias", VS_SHAPE(units),
			            o.bias_initializer ? o.bias_initializer : &zeros,
			            o.bias_regularizer, o.bias_constraint, err);
	}
	return rc;
}

int vs_layer_dense_at(vs_site site, vs_layer *l, int64_t in_dim, int64_t units,
                      const vs_layer_opts *opts, vs_error *err)
{
	int rc = vs_layer_call_enter_at(site, l, err);
	if (rc < 0)
		return rc;
	rc = vs_layer_dense_build_at(site, l, in_dim, units, opts, err);
	int rc2 = vs_layer_call_exit_at(site, l, rc == 0, err);
	return rc < 0 ? rc : rc2;
}

/*
 * keras/layers/convolutional.py Conv.build: kernel_shape = kernel_size +
 * (input_dim, filters); Conv2DTranspose.build: kernel_size + (filters,
 * input_dim); bias (filters,).
 */
int vs_layer_conv_build_at(vs_site site, vs_layer *l, int rank, const int64_t *kernel_size,
                           int64_t in_ch, int64_t filters, int transpose, const vs_layer_opts *opts,
                           vs_error *err)
{
	static const vs_initializer zeros = {.kind = VS_INIT_ZEROS};
	const vs_layer_opts o = opts ? *opts : (vs_layer_opts){0};
	vs_shape ks = {.rank = rank + 2};
	if (rank < 1 || rank > VS_MAX_RANK - 2 || !kernel_size)
		return vs_error_set(err, VS_ERR_INVALID, "bad convolution rank %d", rank);
	for (int i = 0; i < rank; i++)
		ks.dims[i] = kernel_size[i];
	ks.dims[rank] = transpose ? filters : in_ch;
	ks.dims[rank + 1] = transpose ? in_ch : filters;
	int rc = 0;
	if (!l || l->depth <= 0)
		return vs_error_set(err, VS_ERR_INVALID, "layer call not entered");
	if (!l->built) {
		rc = weight(site, l, "kernel", &ks, o.kernel_initializer, o.kernel_regularizer,
		            o.kernel_constraint, err);
		if (rc == 0 && o.use_bias != VS_FALSE)
			rc = weight(site, l, "bias", VS_SHAPE(filters),
			            o.bias_initializer ? o.bias_initializer : &zeros,
			            o.bias_regularizer, o.bias_constraint, err);
	}
	return rc;
}

int vs_layer_conv_at(vs_site site, vs_layer *l, int rank, const int64_t *kernel_size, int64_t in_ch,
                     int64_t filters, int transpose, const vs_layer_opts *opts, vs_error *err)
{
	int rc = vs_layer_call_enter_at(site, l, err);
	if (rc < 0)
		return rc;
	rc = vs_layer_conv_build_at(site, l, rank, kernel_size, in_ch, filters, transpose, opts,
	                            err);
	int rc2 = vs_layer_call_exit_at(site, l, rc == 0, err);
	return rc < 0 ? rc : rc2;
}

/*
 * keras/layers/normalization.py BatchNormalization.build: gamma (scale,
 * ones), beta (center, zeros), then moving_mean (zeros) and moving_variance
 * (ones): non-trainable, ON_READ, MEAN, with the scope's partitioner off.
 */
static int batch_norm_build(vs_site site, vs_layer *l, int64_t channels, const vs_layer_opts *o,
                            vs_error *err)
{
	static const vs_initializer zeros = {.kind = VS_INIT_ZEROS};
	static const vs_initializer ones = {.kind = VS_INIT_ONES};
	const vs_shape *ps = VS_SHAPE(channels);
	int rc = 0;
	if (o->scale != VS_FALSE)
		rc = weight(site, l, "gamma", ps,
		            o->gamma_initializer ? o->gamma_initializer : &ones,
		            o->gamma_regularizer, NULL, err);
	if (rc == 0 && o->center != VS_FALSE)
		rc = weight(site, l, "beta", ps, o->beta_initializer ? o->beta_initializer : &zeros,
		            o->beta_regularizer, NULL, err);
	if (rc < 0)
		return rc;
	const vs_partitioner *p = vs_varscope_partitioner(l->scope);
	vs_partitioner saved = p ? *p : (vs_partitioner){0};
	if (p && (rc = vs_varscope_set_partitioner(l->scope, NULL, err)) < 0)
		return rc;
	vs_var *v = NULL;
	vs_var_opts mo = {.shape = ps,
	                  .trainable = VS_FALSE,
	                  .synchronization = VS_SYNC_ON_READ,
	                  .aggregation = VS_AGG_MEAN};
	mo.initializer = o->moving_mean_initializer ? o->moving_mean_initializer : &zeros;
	rc = vs_layer_add_weight_at(site, &v, l, "moving_mean", &mo, err);
	if (rc == 0) {
		mo.initializer = o->moving_variance_initializer ? o->moving_variance_initializer
		                                                : &ones;
		rc = vs_layer_add_weight_at(site, &v, l, "moving_variance", &mo, err);
	}
	if (p) {
		vs_error tmp;
		vs_varscope_set_partitioner(l->scope, &saved, rc < 0 ? &tmp : err);
	}
	return rc;
}

int vs_layer_batch_norm_build_at(vs_site site, vs_layer *l, int64_t channels,
                                 const vs_layer_opts *opts, vs_error *err)
{
	const vs_layer_opts o = opts ? *opts : (vs_layer_opts){0};
	if (!l || l->depth <= 0)
		return vs_error_set(err, VS_ERR_INVALID, "layer call not entered");
	return l->built ? 0 : batch_norm_build(site, l, channels, &o, err);
}

int vs_layer_batch_norm_at(vs_site site, vs_layer *l, int64_t channels, const vs_layer_opts *opts,
                           vs_error *err)
{
	int rc = vs_layer_call_enter_at(site, l, err);
	if (rc < 0)
		return rc;
	rc = vs_layer_batch_norm_build_at(site, l, channels, opts, err);
	int rc2 = vs_layer_call_exit_at(site, l, rc == 0, err);
	return rc < 0 ? rc : rc2;
}

/* ---- slots ---------------------------------------------------------------- */

/*
 * training/slot_creator.py create_slot_with_initializer / create_slot and
 * _create_slot_var: variable_scope(None, primary.op.name + "/" + name), the
 * current scope's partitioner set to None around get_variable(scope="",
 * initializer, trainable=False, use_resource=is_resource(primary),
 * shape=shape if callable(initializer) else None, validate_shape).
 */
int vs_slot_create_at(vs_site site, vs_var **out, const vs_var *primary, const char *op_name,
                      const vs_initializer *init, vs_error *err)
{
	char prefix[1024];
	vs_cm *cm = NULL;
	vs_var *slot = NULL;
	int rc;

	if (!primary || !op_name || !init || !out)
		return vs_error_set(err, VS_ERR_INVALID,
		                    "slot without a primary, name or initializer");
	int callable = init->kind != VS_INIT_VALUE;
	const vs_shape *shape = vs_var_shape(primary);
	vs_var_opts o = {
		.shape = callable ? shape : NULL,
		.dtype = callable ? vs_var_dtype(primary) : VS_DT_NONE,
		.initializer = init,
		.trainable = VS_FALSE,
		.use_resource = vs_var_is_resource(primary) ? VS_TRUE : VS_FALSE,
	};
	int full = shape && shape->rank >= 0;
	for (int i = 0; full && i < shape->rank; i++)
		full = shape->dims[i] >= 0;
	o.validate_shape = full ? VS_TRUE : VS_FALSE;
	snprintf(prefix, sizeof prefix, "%s/%s", vs_var_op_name(primary), op_name);
	rc = vs_variable_scope_at(site, &cm, NULL, &(vs_varscope_opts){.default_name = prefix},
	                          err);
	if (rc < 0)
		return rc;
	vs_varscope *s = vs_get_variable_scope();
	const vs_partitioner *p = vs_varscope_partitioner(s);
	vs_partitioner saved = p ? *p : (vs_partitioner){0};
	if (p)
		rc = vs_varscope_set_partitioner(s, NULL, err);
	if (rc == 0)
		rc = vs_get_variable_at(site, &slot, "", &o, err);
	if (p) {
		vs_error tmp;
		int r = vs_varscope_set_partitioner(s, &saved, rc < 0 ? &tmp : err);
		if (rc == 0)
			rc = r;
	}
	rc = leave(site, cm, rc, err);
	if (rc == 0)
		*out = slot;
	return rc;
}

/* ---- optimizers ----------------------------------------------------------- */
const char *vs_optimizer_default_name(vs_optimizer_kind k)
{
	switch (k) {
	case VS_OPT_GRADIENT_DESCENT: return "GradientDescent";
	case VS_OPT_MOMENTUM: return "Momentum";
	case VS_OPT_ADAM: return "Adam";
	case VS_OPT_RMSPROP: return "RMSProp";
	case VS_OPT_ADAGRAD: return "Adagrad";
	}
	return NULL;
}

void vs_optimizer_free(vs_optimizer *o)
{
	if (!o)
		return;
	free(o->done);
	free(o->nonslot);
	o->done = NULL;
	o->nonslot = NULL;
	o->ndone = o->capdone = o->nnonslot = o->capnonslot = 0;
}

/*
 * optimizer.py _create_non_slot_variable: once per (name, graph),
 * variable_scope.variable(initial_value, name=name, trainable=False,
 * use_resource=is_resource(colocate_with)) - a tf.Variable named by the
 * name scope, so a second optimizer's accumulator is "beta1_power_1".
 */
static int non_slot(vs_site site, const char *name, double value, const vs_var *colocate,
                    vs_error *err)
{
	const vs_initializer init = {.kind = VS_INIT_VALUE, .value = value, .dtype = VS_DT_FLOAT32};
	const vs_creator_args a = {
		.name = name,
		.initial_value = &init,
		.trainable = VS_FALSE,
		.use_resource = vs_var_is_resource(colocate) ? VS_TRUE : VS_FALSE,
	};
	vs_var *v = NULL;
	return vs_variable_at(site, &v, &a, err);
}

/* adam.py _create_slots: beta accumulators colocated with the first var by name */
static int adam_non_slots(vs_site site, vs_optimizer *o, vs_var *const *vars, size_t n,
                          vs_error *err)
{
	vs_graph *g = vs_var_graph(vars[0]);
	for (size_t i = 0; i < o->nnonslot; i++)
		if (o->nonslot[i] == g)
			return 0;
	const vs_var *first = vars[0];
	for (size_t i = 1; i < n; i++)
		if (strcmp(vs_var_name(vars[i]), vs_var_name(first)) < 0)
			first = vars[i];
	int rc = non_slot(site, "beta1_power", 0.9, first, err);
	if (rc == 0)
		rc = non_slot(site, "beta2_power", 0.999, first, err);
	if (rc < 0)
		return rc;
	if (VS_GROW(o->nonslot, o->capnonslot, o->nnonslot + 1) < 0)
		return vs_error_nomem(err);
	o->nonslot[o->nnonslot++] = g;
	return 0;
}

/* the slots one primary gets, in each optimizer's _create_slots order */
static int primary_slots(vs_site site, vs_optimizer *o, const vs_var *v, const char *name,
                         vs_error *err)
{
	static const vs_initializer zeros = {.kind = VS_INIT_ZEROS};
	static const vs_initializer ones = {.kind = VS_INIT_ONES};
	vs_var *s = NULL;
	int rc = 0;
	switch (o->kind) {
	case VS_OPT_GRADIENT_DESCENT: break;
	case VS_OPT_MOMENTUM: /* momentum.py: _zeros_slot(v, "momentum", self._name) */
		rc = vs_slot_create_at(site, &s, v, name, &zeros, err);
		break;
	case VS_OPT_ADAM: /* adam.py: _zeros_slot(v, "m", ...), _zeros_slot(v, "v", ...) */
		rc = vs_slot_create_at(site, &s, v, name, &zeros, err);
		if (rc == 0)
			rc = vs_slot_create_at(site, &s, v, name, &zeros, err);
		break;
	case VS_OPT_RMSPROP: /* rmsprop.py: "rms" (ones), "mg" if centered, "momentum" */
		rc = vs_slot_create_at(site, &s, v, name, &ones, err);
		if (rc == 0 && o->centered)
			rc = vs_slot_create_at(site, &s, v, name, &zeros, err);
		if (rc == 0)
			rc = vs_slot_create_at(site, &s, v, name, &zeros, err);
		break;
	case VS_OPT_ADAGRAD: { /* adagrad.py: "accumulator", constant(0.1) */
		const vs_initializer acc = {.kind = VS_INIT_CONSTANT, .value = 0.1};
		rc = vs_slot_create_at(site, &s, v, name, &acc, err);
		break;
	}
	}
	return rc;
}

static int optimizer_slots(vs_site site, vs_optimizer *o, vs_var *const *vars, size_t n,
                           vs_error *err)
{
	const char *name = o->name ? o->name : vs_optimizer_default_name(o->kind);
	int rc = 0;
	if (o->kind == VS_OPT_ADAM)
		rc = adam_non_slots(site, o, vars, n, err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int seen = 0;
		for (size_t j = 0; j < o->ndone && !seen; j++)
			seen = o->done[j] == vars[i];
		if (seen) /* optimizer.py _zeros_slot: one slot per (slot name, var) */
			continue;
		rc = primary_slots(site, o, vars[i], name, err);
		if (rc == 0) {
			if (VS_GROW(o->done, o->capdone, o->ndone + 1) < 0)
				return vs_error_nomem(err);
			o->done[o->ndone++] = vars[i];
		}
	}
	return rc;
}

/* optimizer.py apply_gradients: `with ops.init_scope(): self._create_slots(var_list)` */
int vs_optimizer_create_slots_at(vs_site site, vs_optimizer *o, vs_var *const *vars, size_t n,
                                 vs_error *err)
{
	vs_cm *init = NULL;
	if (!o || (n && !vars) || !vs_optimizer_default_name(o->kind))
		return vs_error_set(err, VS_ERR_INVALID, "bad optimizer");
	if (n == 0)
		return 0;
	int rc = vs_init_scope_at(site, &init, err);
	if (rc < 0)
		return rc;
	rc = optimizer_slots(site, o, vars, n, err);
	return leave(site, init, rc, err);
}

/*
 * moving_averages.py ExponentialMovingAverage.apply: `with
 * ops.init_scope(): avg = slot_creator.create_slot(var,
 * var.initialized_value(), self.name, colocate_with_primary=True)`.
 */
int vs_ema_average_at(vs_site site, vs_var **out, const vs_var *var, const char *ema_name,
                      vs_error *err)
{
	vs_cm *init = NULL;
	if (!var || !out)
		return vs_error_set(err, VS_ERR_INVALID, "moving average of no variable");
	const vs_initializer value = {.kind = VS_INIT_VALUE,
	                              .dtype = vs_var_dtype(var),
	                              .shape = vs_var_shape(var)};
	int rc = vs_init_scope_at(site, &init, err);
	if (rc < 0)
		return rc;
	rc = vs_slot_create_at(site, out, var, ema_name ? ema_name : "ExponentialMovingAverage",
	                       &value, err);
	return leave(site, init, rc, err);
}

/*
 * training_util.py get_or_create_global_step: the GLOBAL_STEP collection's
 * variable if any, else create_global_step: under name_scope(None),
 * get_variable("global_step", shape=[], dtype=int64, zeros, trainable=False,
 * aggregation=ONLY_FIRST_REPLICA, collections=[GLOBAL_VARIABLES, GLOBAL_STEP]).
 */
int vs_get_or_create_global_step_at(vs_site site, vs_var **out, vs_error *err)
{
	static const char *const colls[] = {VS_GLOBAL_VARIABLES, "global_step", NULL};
	static const vs_initializer zeros = {.kind = VS_INIT_ZEROS};
	if (!out)
		return vs_error_set(err, VS_ERR_INVALID, "no output");
	if (vs_collection_size(NULL, "global_step") > 0) {
		*out = vs_collection_get(NULL, "global_step", 0);
		return 0;
	}
	vs_cm *ns = NULL;
	int rc = vs_name_scope_at(site, &ns, NULL, &(vs_name_scope_opts){0}, err);
	if (rc < 0)
		return rc;
	const vs_var_opts o = {
		.shape = VS_SCALAR,
		.dtype = VS_DT_INT64,
		.initializer = &zeros,
		.trainable = VS_FALSE,
		.collections = colls,
		.aggregation = VS_AGG_ONLY_FIRST_REPLICA,
	};
	rc = vs_get_variable_at(site, out, "global_step", &o, err);
	return leave(site, ns, rc, err);
}
