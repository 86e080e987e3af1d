/* SPDX-License-Identifier: MIT */
/*
 * tests/realworld/bugs/b29-triplet-root-reuse.c - a triplet network shares
 * its tower by calling reuse_variables() on the root scope.
 *
 * source: https://github.com/tensorflow/tensorflow/issues/21657
 * The anchor tower is built, then tf.get_variable_scope().reuse_variables()
 * is called at top level so the positive and negative towers share it;
 * AdamOptimizer(...).minimize(loss) then has to create its slots under a
 * root scope that reuses, and fails with "Variable .../Adam/ does not
 * exist".  The fix: build the towers under variable_scope(..., reuse=True)
 * instead of switching the root scope.
 */
#include "examples/common.h"
#include "examples/layers.h"

/* the shared tower: two dense layers under scope "net" */
static int tower(vs_error *err)
{
	vs_cm *net = NULL;
	int rc = vs_variable_scope(&net, "net", NULL, err);
	if (rc < 0)
		return rc;
	rc = ex_dense("fc1", 128, 64, NULL, err);
	if (rc >= 0)
		rc = ex_dense("fc2", 64, 16, NULL, err);
	return ex_leave(net, rc, err);
}

int main(void)
{
	vs_error err;
	vs_var *vars[8];
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (rc >= 0)
		rc = tower(&err); /* anchor */
	if (rc >= 0) /* share the tower for the other two inputs: EXPECT: any */
		rc = vs_varscope_reuse_variables(vs_get_variable_scope(), &err);
	if (rc >= 0)
		rc = tower(&err); /* positive */
	if (rc >= 0)
		rc = tower(&err); /* negative */
	if (rc >= 0) { /* optimizer = tf.train.AdamOptimizer().minimize(loss) */
		size_t n = ex_trainable_with_prefix("net/", vars, 8);
		rc = ex_adam_minimize(vars, n, &err);
	}
	return ex_finish(rc, &err);
}
