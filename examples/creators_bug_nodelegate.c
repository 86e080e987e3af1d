/* SPDX-License-Identifier: MIT */
/*
 * examples/creators_bug_nodelegate.c - creators.c with a `track` creator
 * that forgets `return next_creator(**kwargs)`.
 *
 * A creator that does not delegate creates nothing, and one that returns
 * nothing hands None to TensorFlow as "the new variable".  get_variable
 * stores that None under the variable's name and then fails on it:
 * "AttributeError: 'NoneType' object has no attribute 'name'".
 * Only the lines marked BUG differ from creators.c.
 */
#include "common.h"
#include "layers.h"

enum { FEATURES = 784, CLASSES = 10, DEVICES = 2 };

/* creator: note what the rest of the chain made */
static int track_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *args,
                         void *ud, vs_error *err)
{
	*out = NULL; /* BUG: next_creator is never called, nothing is returned */
	return 0; /* BUG */
}

/* creator: one variable per device, the primary first; returns the primary */
static int mirror_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *args,
                          void *ud, vs_error *err)
{
	int rc = vs_creator_next_call(next, out, args, err);
	for (int i = 1; i < DEVICES && !rc; i++) {
		char name[512];
		vs_creator_args copy = *args;
		vs_var *replica = NULL;
		snprintf(name, sizeof(name), "%s/replica_%d", args->name, i);
		copy.name = name;
		rc = vs_creator_next_call(next, &replica, &copy, err);
	}
	return rc;
}

/* custom getter: get the weight and its average; evaluation reads the average */
static int ema_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *args, void *ud,
                      vs_error *err)
{
	const int *evaluating = ud;
	char name[512];
	vs_getter_args shadow_args = *args;
	vs_var *var = NULL, *shadow = NULL;
	int rc = vs_getter_next_call(next, &var, args, err);
	if (rc)
		return rc;
	snprintf(name, sizeof(name), "%s/ExponentialMovingAverage", args->name);
	shadow_args.name = name;
	shadow_args.trainable = VS_FALSE;
	rc = vs_getter_next_call(next, &shadow, &shadow_args, err);
	if (!rc)
		*out = *evaluating ? shadow : var;
	return rc;
}

/* logits = x @ weights + biases, in scope "linear" with the EMA getter */
static int linear(vs_reuse reuse, const vs_getter *getter, vs_error *err)
{
	const vs_varscope_opts scope_opts = {.reuse = reuse, .custom_getter = getter};
	const vs_var_opts weights_opts = {.shape = VS_SHAPE(FEATURES, CLASSES)};
	const vs_var_opts biases_opts = {.shape = VS_SHAPE(CLASSES),
	                                 .initializer = VS_INIT(VS_INIT_ZEROS)};
	vs_cm *scope = NULL;
	vs_var *weights = NULL, *biases = NULL;
	int rc = vs_variable_scope(&scope, "linear", &scope_opts, err);
	if (rc)
		return rc;
	rc = vs_get_variable(&weights, "weights", &weights_opts, err);
	if (!rc) {
		ex_report(weights);
		rc = vs_get_variable(&biases, "biases", &biases_opts, err);
	}
	if (!rc)
		ex_report(biases);
	return ex_leave(scope, rc, err);
}

static int build(struct ex_log *made, vs_error *err)
{
	int evaluating = 0;
	const vs_getter getter = {.fn = ema_getter, .ud = &evaluating, .label = "ema_getter"};
	const vs_creator track = {.fn = track_creator, .ud = made, .label = "track"};
	const vs_creator mirror = {.fn = mirror_creator, .ud = NULL, .label = "mirror"};
	vs_cm *outer = NULL, *inner = NULL;
	int rc;

	ex_step("with variable_creator_scope(track), variable_creator_scope(mirror):");
	rc = vs_variable_creator_scope(&outer, &track, err);
	if (rc)
		return rc;
	rc = vs_variable_creator_scope(&inner, &mirror, err);
	if (!rc) {
		ex_step("training: variable_scope(\"linear\", custom_getter=ema_getter)");
		rc = linear(VS_REUSE_INHERIT, &getter, err);
		if (!rc) {
			evaluating = 1;
			ex_step("evaluation: variable_scope(\"linear\", reuse=True, "
			        "custom_getter=ema_getter)");
			rc = linear(VS_REUSE_TRUE, &getter, err);
		}
		rc = ex_leave(inner, rc, err);
	}
	return ex_leave(outer, rc, err);
}

int main(void)
{
	vs_error err;
	struct ex_log made = {.n = 0};
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (!rc)
		rc = build(&made, &err);
	if (!rc) {
		ex_step("made by the creator chain, as track saw them");
		for (size_t i = 0; i < made.n; i++) {
			char desc[512];
			ex_describe(made.vars[i], desc, sizeof(desc));
			printf("  %s\n", desc);
		}
	}
	return ex_finish(rc, &err);
}
