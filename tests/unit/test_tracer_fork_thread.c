/* SPDX-License-Identifier: MIT */
/*
 * Fork safety of the runtime's model locks: a second thread loops over
 * operations that take a graph's, a variable store's and a template's mutex
 * (get_variable with AUTO_REUSE, collection reads, template reads) while the
 * main thread forks repeatedly.  Every child must be able to use the same
 * graph, store and template (it would block forever on a mutex held by the
 * vanished thread without the atfork handlers) and exit 0 within 5 s.
 * Suite name contains "thread" so CI runs it under TSan.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/tracer_testutil.h"

#define RTF_FORKS 200
#define RTF_TIMEOUT_MS 5000

typedef struct fork_shared {
	vs_graph *graph;
	vs_template *tmpl;
	_Atomic int stop;
	_Atomic unsigned long loops;
	int rc; /* worker: first failure, 0 = none */
} fork_shared;

static int tmpl_fn(void *ud, void *call_arg, vs_error *err)
{
	(void)ud;
	(void)call_arg;
	(void)err;
	return 0;
}

/* "s/w" reused under AUTO_REUSE in the shared graph, plus collection and
 * template reads, until told to stop */
static void *worker(void *arg)
{
	fork_shared *sh = arg;
	vs_cm *g = NULL, *s = NULL;
	vs_var *v = NULL;
	int rc = vs_graph_as_default(&g, sh->graph, NULL);
	if (rc == 0)
		rc = vs_variable_scope(&s, "s", (&(vs_varscope_opts){.reuse = VS_REUSE_AUTO}), NULL);
	while (rc == 0 && !atomic_load(&sh->stop)) {
		rc = vs_get_variable(&v, "w", (&(vs_var_opts){.shape = VS_SHAPE(2)}), NULL);
		if (rc == 0 && vs_collection_size(sh->graph, VS_GLOBAL_VARIABLES) != 1)
			rc = -1;
		if (rc == 0 && vs_template_calls(sh->tmpl) != 0)
			rc = -1;
		atomic_fetch_add(&sh->loops, 1);
	}
	if (s)
		vs_exit(s, NULL);
	if (g)
		vs_exit(g, NULL);
	sh->rc = rc;
	return NULL;
}

/* the child: the same graph, store and template must be usable */
static void child_main(fork_shared *sh)
{
	vs_var *v = NULL;
	int ok = vs_get_variable(&v, "w", (&(vs_var_opts){.shape = VS_SHAPE(2)}), NULL) == 0 &&
	         v && strcmp(vs_var_name(v), "s/w:0") == 0 &&
	         vs_collection_size(sh->graph, VS_GLOBAL_VARIABLES) == 1 &&
	         vs_template_calls(sh->tmpl) == 0;
	_exit(ok ? 0 : 1);
}

/* waits up to RTF_TIMEOUT_MS for pid; kills it on timeout.  Returns its exit
 * status, or -1 when it hung or did not exit normally. */
static int wait_child(pid_t pid)
{
	int status = 0;
	for (int ms = 0; ms <= RTF_TIMEOUT_MS; ms++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		nanosleep(&(struct timespec){0, 1000000L}, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static void test_fork_while_locked(void)
{
	fork_shared sh = {0};
	vs_cm *g = NULL, *s = NULL;
	vs_var *v = NULL;
	VS_ASSERT_INT(vs_graph_new(&sh.graph, "forked", NULL), 0);
	VS_ASSERT_INT(vs_graph_as_default(&g, sh.graph, NULL), 0);
	VS_ASSERT_INT(vs_make_template(&sh.tmpl, "t", tmpl_fn, NULL, NULL, NULL), 0);
	VS_ASSERT_INT(
		vs_variable_scope(&s, "s", (&(vs_varscope_opts){.reuse = VS_REUSE_AUTO}), NULL), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "w", (&(vs_var_opts){.shape = VS_SHAPE(2)}), NULL), 0);
	VS_ASSERT_STR(vs_var_name(v), "s/w:0");

	pthread_t th;
	VS_ASSERT_INT(pthread_create(&th, NULL, worker, &sh), 0);
	while (atomic_load(&sh.loops) == 0) /* the worker is inside its loop */
		sched_yield();
	int exited_ok = 0, forked = 0;
	for (int i = 0; i < RTF_FORKS; i++) {
		pid_t pid = fork();
		if (pid == 0)
			child_main(&sh);
		if (pid < 0)
			break;
		forked++;
		if (wait_child(pid) == 0)
			exited_ok++;
	}
	atomic_store(&sh.stop, 1);
	pthread_join(th, NULL);
	VS_ASSERT_INT(forked, RTF_FORKS);
	VS_ASSERT_INT(exited_ok, RTF_FORKS);
	VS_ASSERT_INT(sh.rc, 0);
	VS_ASSERT_INT(vs_exit(s, NULL), 0);
	VS_ASSERT_INT(vs_exit(g, NULL), 0);
}

VS_SUITE_FN(tracer_fork_thread)
{
	static const vs_test_case cases[] = {VS_TEST(test_fork_while_locked), VS_TEST_END};
	vs_test_add_suite("tracer_fork_thread", rtt_suite_init, rtt_suite_clean, cases);
}
