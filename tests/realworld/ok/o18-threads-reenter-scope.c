/* SPDX-License-Identifier: MIT */
/*
 * tests/realworld/ok/o18-threads-reenter-scope.c - worker threads share
 * the main thread's encoder by re-entering its captured scope.
 *
 * source: https://github.com/tensorflow/tensorflow/issues/54449 (the
 * variable_scope note on threads: a thread does not see another thread's
 * scope; capture the scope object and re-enter it, as TF's test
 * testReenterMainScope does)
 */
#include <pthread.h>

#include "examples/common.h"

struct job {
	vs_graph *g;
	vs_varscope *model;
	vs_error err;
	int rc;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	vs_cm *graph = NULL, *model = NULL, *enc = NULL;
	vs_var *v = NULL;
	j->rc = vs_graph_as_default(&graph, j->g, &j->err);
	if (j->rc < 0)
		return NULL;
	j->rc = vs_variable_scope(&model, NULL, &(vs_varscope_opts){.scope = j->model}, &j->err);
	if (j->rc >= 0) {
		j->rc = vs_variable_scope(&enc, "encoder", NULL, &j->err);
		if (j->rc >= 0)
			j->rc = ex_leave(enc, vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(8, 8)},
			                                      &j->err), &j->err);
		j->rc = ex_leave(model, j->rc, &j->err);
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
			jobs[i] = (struct job){.g = g, .model = vs_cm_varscope(model)};
			vs_error_init(&jobs[i].err);
			if (vs_thread_create(&th[i], NULL, worker, &jobs[i]) != 0)
				rc = vs_error_set(&err, VS_ERR_IO, "cannot start a thread");
			else
				pthread_join(th[i], NULL);
			if (rc >= 0 && jobs[i].rc < 0) {
				ex_print_error(&jobs[i].err);
				rc = jobs[i].rc;
			}
		}
		rc = ex_leave(model, rc, &err);
	}
	return ex_finish(ex_leave(graph, rc, &err), &err);
}
