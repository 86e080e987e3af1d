/* SPDX-License-Identifier: MIT */
/*
 * examples/funcgraph_bug_nolift.c - funcgraph.c with lifting turned off for
 * the layer's call counter.
 *
 * tf.Variable(..., experimental_enable_variable_lifting=False) skips the
 * init_scope of the variable's constructor, so a variable created while
 * train_step is traced is created IN the function graph: it belongs to one
 * trace, is made again by the next one, and cannot be initialised or
 * saved from the main graph.  Nothing fails here; the output shows
 * "in graph train_step" where funcgraph.c shows "in graph main".  Fix:
 * leave lifting on, or create the variable under tf.init_scope().
 * Only the line marked BUG differs from funcgraph.c.
 */
#include "common.h"
#include "layers.h"

enum { FEATURES = 784, UNITS = 10 };

struct dense_layer {
	const char *name;
	int64_t in_dim, units;
	int built;
	vs_var *calls; /* how often the layer ran */
};

/* layer(x) */
static int layer_call(struct dense_layer *l, vs_error *err)
{
	char op_name[256];
	vs_op *matmul = NULL;
	int rc;

	if (!l->built) {
		vs_cm *init = NULL;
		ex_step("layer(x), first call: build() under tf.init_scope()");
		rc = vs_init_scope(&init, err);
		if (!rc)
			rc = ex_leave(init, ex_dense(l->name, l->in_dim, l->units, NULL, err), err);
		if (rc)
			return rc;
		l->built = 1;
	}
	if (!l->calls) {
		const vs_initializer zero = {.kind = VS_INIT_VALUE, .dtype = VS_DT_INT64};
		const vs_creator_args args = {
			.name = "calls",
			.initial_value = &zero,
			.trainable = VS_FALSE,
			.v2 = 1,
			.no_lifting = 1, /* BUG */
		};
		ex_step("layer(x): tf.Variable(0, name=\"calls\", trainable=False)");
		rc = vs_variable(&l->calls, &args, err);
		if (rc)
			return rc;
		ex_report(l->calls);
	}
	snprintf(op_name, sizeof(op_name), "%s/MatMul", l->name);
	rc = vs_op(&matmul, "MatMul", op_name, err);
	if (!rc) {
		const vs_graph *g = vs_op_graph(matmul);
		printf("op %s in graph %s\n", vs_op_name(matmul), g ? vs_graph_name(g) : "(eager)");
	}
	return rc;
}

/* Traces train_step once: a function graph over the current graph. */
static int trace_train_step(struct dense_layer *layer, vs_error *err)
{
	vs_graph *fg = NULL;
	vs_cm *as_default = NULL;
	int rc = vs_func_graph_new(&fg, "train_step", err);
	if (rc)
		return rc;
	ex_step("tracing train_step (function graph %s, outer graph %s)", vs_graph_name(fg),
	        vs_graph_name(vs_graph_outer(fg)));
	rc = vs_graph_as_default(&as_default, fg, err);
	if (rc)
		return rc;
	return ex_leave(as_default, layer_call(layer, err), err);
}

int main(void)
{
	vs_error err;
	vs_graph *g = NULL;
	vs_cm *as_default = NULL;
	struct dense_layer layer = {.name = "dense", .in_dim = FEATURES, .units = UNITS};
	int rc;

	vs_error_init(&err);
	ex_show_graphs(1);
	rc = ex_configure(EX_GRAPH, &err);
	if (!rc)
		rc = vs_graph_new(&g, "main", &err);
	if (!rc)
		rc = vs_graph_as_default(&as_default, g, &err);
	if (!rc)
		rc = ex_leave(as_default, trace_train_step(&layer, &err), &err);
	return ex_finish(rc, &err);
}
