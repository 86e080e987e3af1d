/* SPDX-License-Identifier: MIT */
/*
 * tests/realworld/bugs/b32-threads-no-reenter.c - worker threads build
 * their part of the model without re-entering the main thread's scope.
 *
 * source: https://github.com/tensorflow/tensorflow/issues/54449 (the
 * variable_scope note on threads it asks about: scopes are thread-local,
 * the store is shared, "if another thread tries to create a new variable
 * with the same name ... it will fail unless reuse is True")
 * The main thread builds the shared encoder under scope "model" with
 * reuse on; each worker thread enters the graph but not the scope, so it
 * starts at its own non-reusing root scope and creates "encoder/w" at the
 * root, a second, unshared copy (the second worker then fails with
 * "already exists").
 */
#include <pthread.h>

#include "examples/common.h"

struct job {
	vs_graph *g;
	vs_error err;
	int rc;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	vs_cm *graph = NULL, *enc = NULL;
	vs_var *v = NULL;
	j->rc = vs_graph_as_default(&graph, j->g, &j->err);
	if (j->rc < 0)
		return NULL;
	j->rc = vs_variable_scope(&enc, "encoder", NULL, &j->err); /* EXPECT: any */
	if (j->rc >= 0) {
		j->rc = vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(8, 8)}, &j->err);
		j->rc = ex_leave(enc, j->rc, &j->err);
	}
	j->rc = ex_leave(graph, j->rc, &j->err);
	return NULL;
}

int main(void)
{
	vs_error err;
	vs_graph *g = NULL;
	vs_cm *graph = NULL, *model = NULL, *enc = NULL;
	vs_var *v = NULL;
	struct job jobs[2];
	pthread_t th[2];
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (rc >= 0)
		rc = vs_graph_new(&g, "g", &err);
	if (rc >= 0)
		rc = vs_graph_as_default(&graph, g, &err);
	if (rc < 0)
		return ex_finish(rc, &err);
	rc = vs_variable_scope(&model, "model", NULL, &err);
	if (rc >= 0) {
		rc = vs_variable_scope(&enc, "encoder", NULL, &err);
		if (rc >= 0)
			rc = ex_leave(enc, vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(8, 8)},
			                                   &err), &err);
		if (rc >= 0)
			rc = vs_varscope_reuse_variables(vs_cm_varscope(model), &err);
		for (int i = 0; i < 2 && rc >= 0; i++) {
			jobs[i] = (struct job){.g = g};
			vs_error_init(&jobs[i].err);
			if (vs_thread_create(&th[i], NULL, worker, &jobs[i]) != 0)
				rc = vs_error_set(&err, VS_ERR_IO, "cannot start a thread");
			else
				pthread_join(th[i], NULL);
		}
		rc = ex_leave(model, rc, &err);
	}
	for (int i = 0; i < 2; i++)
		if (jobs[i].rc < 0)
			ex_print_error(&jobs[i].err);
	return ex_finish(ex_leave(graph, rc, &err), &err);
}
