/* SPDX-License-Identifier: MIT */
/*
 * examples/eager.c - TF1 model code run eagerly (TF 2.x), sharing kept.
 *
 * In eager mode tf.compat.v1.get_variable remembers nothing: every call
 * makes a new variable, whatever the reuse flag says.  Wrapping the calls
 * in an EagerVariableStore brings sharing back: inside store.as_default()
 * get_variable is get-or-create (AUTO_REUSE) and the store keeps the
 * variables.  The twin eager_bug_nostore.c leaves the store out and
 * silently gets a new set of weights on every forward pass - no error.
 * Python equivalent:
 *   store = tf.compat.v1.EagerVariableStore()
 *   for x in batches:
 *       with store.as_default(): logits = model(x)
 */
#include "common.h"
#include "layers.h"

enum { FEATURES = 4, HIDDEN = 8, CLASSES = 3, BATCHES = 2, MAX_VARS = 16 };

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
	vs_eager_store *store = NULL;
	vs_var *vars[MAX_VARS];
	size_t n;
	int rc;

	rc = vs_eager_store_new(&store, NULL, err);
	for (int batch = 0; batch < BATCHES && !rc; batch++) {
		vs_cm *as_default = NULL;
		ex_step("batch %d: with store.as_default(): model(x)", batch);
		rc = vs_eager_store_as_default(&as_default, store, err);
		if (!rc)
			rc = ex_leave(as_default, model(err), err);
	}
	if (rc)
		return rc;
	ex_step("store.variables()");
	n = vs_eager_store_variables(store, VS_TMPL_VARIABLES, vars, MAX_VARS);
	for (size_t i = 0; i < n && i < MAX_VARS; i++)
		printf("  %s\n", vs_var_name(vars[i]));
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
