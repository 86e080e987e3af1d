/* SPDX-License-Identifier: MIT */
/*
 * examples/gan_bug_noreuse.c - gan.c with the most common GAN bug.
 *
 * The second discriminator call, on the generator's output, forgets
 * reuse=True.  variable_scope("discriminator") is entered again without
 * reuse, so the first get_variable finds discriminator/hidden/kernel in the
 * store and TensorFlow stops with "Variable discriminator/hidden/kernel
 * already exists, disallowed. Did you mean to set reuse=True or
 * reuse=tf.AUTO_REUSE in VarScope?".  Fix: pass reuse=True (see gan.c), or
 * use reuse=tf.AUTO_REUSE in the discriminator.
 * Only the line marked BUG differs from gan.c.
 */
#include "common.h"
#include "layers.h"

enum { NOISE = 100, HIDDEN = 128, IMAGE = 784, MAX_VARS = 16 };

/* G(z): noise -> image */
static int generator(vs_error *err)
{
	vs_cm *scope = NULL;
	int rc = vs_variable_scope(&scope, "generator", &(vs_varscope_opts){0}, err);
	if (rc)
		return rc;
	rc = ex_dense("hidden", NOISE, HIDDEN, NULL, err);
	if (!rc)
		rc = ex_dense("out", HIDDEN, IMAGE, NULL, err);
	return ex_leave(scope, rc, err);
}

/* D(x): image -> logit "x is real"; reuse=VS_REUSE_TRUE shares the weights */
static int discriminator(vs_reuse reuse, vs_error *err)
{
	vs_cm *scope = NULL;
	int rc = vs_variable_scope(&scope, "discriminator", &(vs_varscope_opts){.reuse = reuse}, err);
	if (rc)
		return rc;
	rc = ex_dense("hidden", IMAGE, HIDDEN, NULL, err);
	if (!rc)
		rc = ex_dense("logits", HIDDEN, 1, NULL, err);
	return ex_leave(scope, rc, err);
}

/* AdamOptimizer().minimize(loss, var_list=<trainable variables under prefix>) */
static int train_op(const char *prefix, vs_error *err)
{
	vs_var *vars[MAX_VARS];
	size_t n = ex_trainable_with_prefix(prefix, vars, MAX_VARS);
	return ex_adam_minimize(vars, n, err);
}

static int build(vs_error *err)
{
	int rc;

	ex_step("G = generator(z)");
	rc = generator(err);
	if (rc)
		return rc;
	ex_step("D_real = discriminator(x)");
	rc = discriminator(VS_REUSE_FALSE, err);
	if (rc)
		return rc;
	ex_step("D_fake = discriminator(G)"); /* BUG */
	rc = discriminator(VS_REUSE_FALSE, err); /* BUG: reuse=True forgotten */
	if (rc)
		return rc;
	ex_step("AdamOptimizer().minimize(d_loss, var_list=d_vars)");
	rc = train_op("discriminator/", err);
	if (rc)
		return rc;
	ex_step("AdamOptimizer().minimize(g_loss, var_list=g_vars)");
	return train_op("generator/", err);
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
