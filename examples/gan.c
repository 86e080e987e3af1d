/* SPDX-License-Identifier: MIT */
/*
 * examples/gan.c - a GAN on MNIST-sized data, the TF1 way.
 *
 * The discriminator D is applied twice, to real images and to the
 * generator's output, and both applications must use ONE set of weights:
 * the second call re-enters variable_scope("discriminator") with
 * reuse=True.  Then one AdamOptimizer per network creates its slots.
 * The buggy twins differ in one place each:
 *   gan_bug_noreuse.c    the second call forgets reuse=True  (E1)
 *   gan_bug_rootreuse.c  reuse_variables() on the root scope (E2, later)
 * Python equivalent of what main builds:
 *   G = generator(z); D_real = discriminator(x)
 *   D_fake = discriminator(G, reuse=True)
 *   AdamOptimizer().minimize(d_loss, var_list=d_vars)   # then g_vars
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
	ex_step("D_fake = discriminator(G, reuse=True)");
	rc = discriminator(VS_REUSE_TRUE, err);
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
