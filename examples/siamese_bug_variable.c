/* SPDX-License-Identifier: MIT */
/*
 * examples/siamese_bug_variable.c - siamese.c with a learnable temperature
 * made by tf.Variable inside the template.
 *
 * tf.Variable does not go through the variable store, so the template
 * cannot share it: the second call makes a new trainable variable
 * (tower_1/temperature:0) and the template stops with "Trainable variable
 * created when calling a template after the first time, perhaps you used
 * tf.Variable when you meant tf.get_variable: [...]".  Fix: create it with
 * tf.compat.v1.get_variable("temperature", shape=[]).
 * Only the lines marked BUG differ from siamese.c.
 */
#include "common.h"
#include "layers.h"

enum { IMAGE = 784, FC = 1024, EMBEDDING = 2, MAX_VARS = 16 };

/* The tower (the template's function): three fully connected layers. */
static int tower_fn(void *ud, void *input, vs_error *err)
{
	int rc = ex_dense("fc1", IMAGE, FC, NULL, err);
	if (!rc)
		rc = ex_dense("fc2", FC, FC, NULL, err);
	if (!rc)
		rc = ex_dense("fc3", FC, EMBEDDING, NULL, err);
	if (!rc) { /* BUG: tf.Variable(1.0, name="temperature") */
		const vs_initializer one = {.kind = VS_INIT_VALUE, .value = 1.0, .dtype = VS_DT_FLOAT32}; /* BUG */
		const vs_creator_args args = {.name = "temperature", .initial_value = &one}; /* BUG */
		vs_var *temperature = NULL; /* BUG */
		rc = vs_variable(&temperature, &args, err); /* BUG */
		if (!rc) /* BUG */
			ex_report(temperature); /* BUG */
	} /* BUG */
	return rc;
}

static int build(vs_error *err)
{
	char x1[] = "x1", x2[] = "x2"; /* the two input batches (only named here) */
	vs_template *tower = NULL;
	vs_var *vars[MAX_VARS];
	size_t n;
	int rc;

	rc = vs_make_template(&tower, "tower", tower_fn, NULL, &(vs_template_opts){0}, err);
	if (rc)
		return rc;
	ex_step("left = tower(x1)");
	rc = vs_template_call(tower, x1, err);
	if (rc)
		return rc;
	ex_step("right = tower(x2)");
	rc = vs_template_call(tower, x2, err);
	if (rc)
		return rc;
	ex_step("tower.trainable_variables");
	n = vs_template_variables(tower, VS_TMPL_TRAINABLE, vars, MAX_VARS);
	for (size_t i = 0; i < n && i < MAX_VARS; i++)
		printf("  %s\n", vs_var_name(vars[i]));
	return 0;
}

int main(void)
{
	vs_error err;
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (!rc)
		rc = build(&err);
	return ex_finish(rc, &err);
}
