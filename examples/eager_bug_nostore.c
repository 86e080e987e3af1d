/* SPDX-License-Identifier: MIT */
/*
 * examples/eager_bug_nostore.c - eager.c without the EagerVariableStore.
 *
 * The same TF1 model code, run eagerly with no store: each forward pass
 * creates a fresh set of variables with the same names (eager mode neither
 * remembers nor uniquifies them), so the second batch is computed with new,
 * untrained weights.  Nothing fails: the output only shows "created" twice
 * and twice as many variable objects.  Fix: see eager.c.
 * Only the lines marked BUG differ from eager.c (the store is gone).
 */
#include "common.h"
#include "layers.h"

enum { FEATURES = 4, HIDDEN = 8, CLASSES = 3, BATCHES = 2 }; /* BUG: no MAX_VARS */

/* model(x): with tf.variable_scope("mlp"): two dense layers */
static int model(vs_error *err)
{
	vs_cm *scope = NULL;
	int rc = vs_variable_scope(&scope, "mlp", &(vs_varscope_opts){0}, err);
	if (rc)
		return rc;
	rc = ex_dense("hidden", FEATURES, HIDDEN, NULL, err);
	if (!rc)
		rc = ex_dense("logits", HIDDEN, CLASSES, NULL, err);
	return ex_leave(scope, rc, err);
}

static int build(vs_error *err)
{
	int rc = 0; /* BUG: no store, nothing to list */

	/* BUG: no store = tf.compat.v1.EagerVariableStore() */
	for (int batch = 0; batch < BATCHES && !rc; batch++) {
		ex_step("batch %d: model(x)", batch); /* BUG */
		rc = model(err); /* BUG: no `with store.as_default():` */
	}
	if (rc)
		return rc;
	/* BUG: no store.variables() to list */
	printf("distinct variable objects: %zu\n", ex_known_count());
	return 0;
}

int main(void)
{
	vs_error err;
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_EAGER, &err);
	if (!rc)
		rc = build(&err);
	return ex_finish(rc, &err);
}
