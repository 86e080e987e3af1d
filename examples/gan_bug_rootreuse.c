/* SPDX-License-Identifier: MIT */
/*
 * examples/gan_bug_rootreuse.c - gan.c as the DCGAN tutorials of 2016 wrote it.
 *
 * Instead of reuse=True on the second discriminator call, the program
 * calls tf.get_variable_scope().reuse_variables() at top level.  That
 * turns the ROOT scope into a reusing scope for the rest of the program,
 * and there is no way back.  The discriminator is shared correctly, but
 * when AdamOptimizer creates its slot variables (get_variable inside the
 * now-reusing root) TensorFlow stops with "Variable
 * discriminator/hidden/kernel/Adam/ does not exist, or was not created
 * with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in
 * VarScope?" - far away from the line at fault.
 * Only the lines marked BUG differ from gan.c.
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
	/* BUG: makes every later scope of this thread reuse, for good */
	ex_step("tf.get_variable_scope().reuse_variables()"); /* BUG */
	rc = vs_varscope_reuse_variables(vs_get_variable_scope(), err); /* BUG */
	if (rc) /* BUG */
		return rc; /* BUG */
	ex_step("D_fake = discriminator(G)"); /* BUG */
	rc = discriminator(VS_REUSE_FALSE, err); /* BUG: relies on the root's reuse */
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
