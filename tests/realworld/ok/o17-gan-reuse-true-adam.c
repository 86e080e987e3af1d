/* SPDX-License-Identifier: MIT */
/*
 * tests/realworld/ok/o17-gan-reuse-true-adam.c - a GAN whose discriminator
 * is shared through its own scope's reuse flag, then trained with Adam.
 *
 * source: https://github.com/tensorflow/tensorflow/issues/11637 (and the
 * explanation in https://github.com/tensorflow/tensorflow/issues/6220:
 * the optimizer must run where reuse is off)
 * discriminator(x, reuse) enters variable_scope("discriminator",
 * reuse=reuse); the second call passes reuse=True.  The root scope never
 * reuses, so both optimizers create their slots.
 */
#include "examples/common.h"
#include "examples/layers.h"

static int discriminator(vs_reuse reuse, vs_error *err)
{
	vs_cm *d = NULL;
	int rc = vs_variable_scope(&d, "discriminator", &(vs_varscope_opts){.reuse = reuse}, err);
	if (rc < 0)
		return rc;
	rc = ex_dense("hidden", 784, 128, NULL, err);
	if (rc >= 0)
		rc = ex_dense("logits", 128, 1, NULL, err);
	return ex_leave(d, rc, err);
}

static int generator(vs_error *err)
{
	vs_cm *g = NULL;
	int rc = vs_variable_scope(&g, "generator", NULL, err);
	if (rc < 0)
		return rc;
	rc = ex_dense("hidden", 100, 784, NULL, err);
	return ex_leave(g, rc, err);
}

int main(void)
{
	vs_error err;
	vs_var *vars[8];
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (rc >= 0)
		rc = generator(&err);
	if (rc >= 0)
		rc = discriminator(VS_REUSE_INHERIT, &err); /* D(real) */
	if (rc >= 0)
		rc = discriminator(VS_REUSE_TRUE, &err); /* D(G(z)) */
	if (rc >= 0)
		rc = ex_adam_minimize(vars, ex_trainable_with_prefix("discriminator/", vars, 8), &err);
	if (rc >= 0)
		rc = ex_adam_minimize(vars, ex_trainable_with_prefix("generator/", vars, 8), &err);
	return ex_finish(rc, &err);
}
