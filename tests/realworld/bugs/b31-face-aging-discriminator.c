/* SPDX-License-Identifier: MIT */
/*
 * tests/realworld/bugs/b31-face-aging-discriminator.c - a GAN's
 * discriminator turns on reuse with reuse_variables() on the root scope.
 *
 * source: https://github.com/ZZUTK/Face-Aging-CAAE/issues/4 (same report:
 * https://github.com/HuiDingUMD/ExprGAN/issues/7)
 * discriminator_img(x, reuse_variables=True) runs
 * `if reuse_variables: tf.get_variable_scope().reuse_variables()` before
 * its layers, i.e. on the root scope; from then on every scope reuses, and
 * the AdamOptimizer for the encoder and generator cannot create its slots:
 * "Variable E_conv0/w/Adam/ does not exist".  The reporter's TF r0.12 did
 * not create slots with get_variable; TF >= 1.0 does.
 */
#include "examples/common.h"
#include "examples/layers.h"

static int discriminator_img(int reuse_variables, vs_error *err)
{
	if (reuse_variables) {
		int rc = vs_varscope_reuse_variables(vs_get_variable_scope(), err); /* EXPECT: any */
		if (rc < 0)
			return rc;
	}
	return ex_conv2d("D_img_conv0", 5, 3, 16, NULL, err);
}

int main(void)
{
	vs_error err;
	vs_var *vars[8];
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (rc >= 0)
		rc = ex_conv2d("E_conv0", 5, 3, 64, NULL, &err); /* encoder */
	if (rc >= 0)
		rc = discriminator_img(0, &err); /* D(real) */
	if (rc >= 0)
		rc = discriminator_img(1, &err); /* D(generated) */
	if (rc >= 0) { /* AdamOptimizer().minimize(loss, var_list=E_variables) */
		size_t n = ex_trainable_with_prefix("E_", vars, 8);
		rc = ex_adam_minimize(vars, n, &err);
	}
	return ex_finish(rc, &err);
}
