/* SPDX-License-Identifier: MIT */
/*
 * tests/realworld/bugs/b30-decoder-root-reuse.c - a decoder switches the
 * root scope to reuse, and the model parts built after it fail.
 *
 * source: https://github.com/ufal/neuralmonkey/issues/169
 * The decoder calls tf.get_variable_scope().reuse_variables() on the
 * default scope before its runtime loop, so "any subsequent calls to
 * tf.get_variable are looking for existing variables": the output
 * projection built after the decoder does not exist.  The fix is to give
 * the decoder its own variable scope.
 */
#include "examples/common.h"
#include "examples/layers.h"

/* the decoder: training unroll, then the runtime unroll shares it */
static int decoder(vs_error *err)
{
	int rc = ex_dense("decoder_cell", 256, 256, NULL, err);
	if (rc >= 0) /* EXPECT: any */
		rc = vs_varscope_reuse_variables(vs_get_variable_scope(), err);
	if (rc >= 0)
		rc = ex_dense("decoder_cell", 256, 256, NULL, err);
	return rc;
}

int main(void)
{
	vs_error err;
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (rc >= 0)
		rc = ex_dense("encoder", 300, 256, NULL, &err);
	if (rc >= 0)
		rc = decoder(&err);
	if (rc >= 0)
		rc = ex_dense("output_projection", 256, 30000, NULL, &err);
	return ex_finish(rc, &err);
}
