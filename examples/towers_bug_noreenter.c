/* SPDX-License-Identifier: MIT */
/*
 * examples/towers_bug_noreenter.c - towers.c whose tower threads do not
 * re-enter the scope captured by the main thread.
 *
 * A new thread starts at its own root variable scope, which does not
 * reuse: the reuse flag set in the main thread does not travel.  The
 * variable store, though, is shared by every thread of the graph, so each
 * tower thread finds conv1/weights already there and stops with "Variable
 * conv1/weights already exists, disallowed. Did you mean to set reuse=True
 * or reuse=tf.AUTO_REUSE in VarScope?".  (Had the main thread built under
 * a named scope, the threads would instead have silently made their own
 * unshared copies.)  Fix: `with tf.variable_scope(shared):` in the thread.
 * Only the lines marked BUG differ from towers.c.
 */
#include <pthread.h>

#include "common.h"
#include "layers.h"

enum { TOWERS = 3 };

/* What one tower thread is given and what it hands back. */
struct tower_job {
	vs_graph *graph;
	vs_varscope *shared; /* the scope captured by the main thread */
	struct ex_log log;   /* variables the tower got */
	vs_error err;
	int rc;
};

/* The CIFAR-10 tutorial's inference(): two convolutions and a classifier. */
static int tower(struct ex_log *log, vs_error *err)
{
	int rc = ex_conv2d("conv1", 5, 3, 64, log, err);
	if (!rc)
		rc = ex_conv2d("conv2", 5, 64, 64, log, err);
	if (!rc)
		rc = ex_dense("softmax_linear", 192, 10, log, err);
	return rc;
}

/* BUG: thread body that enters the graph but not the shared scope. */
static void *tower_thread(void *arg)
{
	struct tower_job *job = arg;
	vs_cm *graph = NULL; /* BUG: no scope */
	int rc;

	rc = vs_graph_as_default(&graph, job->graph, &job->err);
	if (!rc) /* BUG: builds the tower without re-entering job->shared */
		rc = ex_leave(graph, tower(&job->log, &job->err), &job->err); /* BUG */
	job->rc = rc;
	return NULL;
}

/*
 * Runs towers 1.. in threads under `shared` and waits for them.  A tower
 * thread that failed has its error printed under its own heading, the way
 * Python's threading module reports an exception in a thread; *failed
 * counts them.
 */
static int other_towers(vs_graph *g, vs_varscope *shared, int *failed, vs_error *err)
{
	struct tower_job jobs[TOWERS] = {{0}};
	pthread_t threads[TOWERS];
	int started = 0, rc = 0;

	for (int i = 1; i < TOWERS && !rc; i++) {
		jobs[i] = (struct tower_job){.graph = g, .shared = shared};
		vs_error_init(&jobs[i].err);
		if (vs_thread_create(&threads[i], NULL, tower_thread, &jobs[i]) != 0)
			rc = vs_error_set(err, VS_ERR_IO, "cannot start the thread of tower %d", i);
		else
			started = i;
	}
	for (int i = 1; i <= started; i++)
		pthread_join(threads[i], NULL);
	for (int i = 1; i <= started; i++) {
		ex_step("tower %d (thread)", i);
		for (size_t k = 0; k < jobs[i].log.n; k++)
			ex_report(jobs[i].log.vars[k]);
		if (jobs[i].rc) {
			ex_print_error(&jobs[i].err);
			++*failed;
		}
	}
	return rc;
}

/*
 * with tf.variable_scope(tf.get_variable_scope()) as shared:
 *     tower(0); shared.reuse_variables(); <towers 1.. in threads>
 * reuse_variables() changes the re-entered copy `shared`, not the root.
 */
static int build(vs_graph *g, int *failed, vs_error *err)
{
	vs_cm *scope = NULL;
	vs_varscope *shared;
	int rc = vs_variable_scope(&scope, NULL,
	                           &(vs_varscope_opts){.scope = vs_get_variable_scope()}, err);
	if (rc)
		return rc;
	shared = vs_cm_varscope(scope);
	ex_step("tower 0 (main thread)");
	rc = tower(NULL, err);
	if (!rc)
		rc = vs_varscope_reuse_variables(shared, err);
	if (!rc)
		rc = other_towers(g, shared, failed, err);
	return ex_leave(scope, rc, err);
}

int main(void)
{
	vs_error err;
	vs_graph *g = NULL;
	vs_cm *graph = NULL;
	int failed = 0, status, rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (!rc)
		rc = vs_graph_new(&g, "towers", &err);
	if (!rc)
		rc = vs_graph_as_default(&graph, g, &err);
	if (!rc)
		rc = ex_leave(graph, build(g, &failed, &err), &err);
	status = ex_finish(rc, &err);
	return failed ? 1 : status;
}
