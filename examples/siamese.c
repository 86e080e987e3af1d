/* SPDX-License-Identifier: MIT */
/*
 * examples/siamese.c - a Siamese network: one tower, two inputs.
 *
 * Both images of a pair go through the same tower, so both calls must use
 * the same weights.  tf.compat.v1.make_template does the bookkeeping: the
 * first call creates the variables in a fresh scope "tower", every later
 * call re-enters that scope with reuse=True.  The twin
 * siamese_bug_variable.c creates a trainable tf.Variable inside the
 * template, which the template rejects on its second call.
 * Python equivalent:
 *   tower = tf.compat.v1.make_template("tower", tower_fn)
 *   left = tower(x1); right = tower(x2)
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
