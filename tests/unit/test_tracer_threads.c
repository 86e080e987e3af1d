/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for threads (docs/semantics.md sections 1, 3.5 and 9, seed
 * "variable_scope"): per-thread scope stacks and default-name counters, the
 * shared per-graph store (a second thread's creation collides), a new
 * thread starting at the root scope in the global default graph, and the
 * seed's capture-and-re-enter idiom.  Threads only record results; every
 * assertion runs on the CUnit thread after pthread_join.  Suite name
 * contains "thread" so CI runs it under TSan.
 */
#include "tests/unit/tracer_testutil.h"
#include "vs/event.h"
#include "vs/sink.h"

#define RTT_TXT 256

typedef struct thread_res {
	vs_varscope *captured; /* in: a scope to re-enter, or NULL */
	const char *scope_name; /* in: a string scope to enter, or NULL */
	const char *default_name; /* in: a default-named scope to enter, or NULL */
	vs_graph *graph;        /* in: graph to make default, or NULL */
	int rc;                 /* out: get_variable's return code */
	int err_code;
	char err_msg[VS_ERROR_MSG_MAX];
	char var_name[RTT_TXT];
	char start_scope[RTT_TXT];
	char start_name_scope[RTT_TXT];
	char scope_in[RTT_TXT];
	vs_graph *default_graph;
	int eager;
	uint32_t tid;
	vs_var *var;
} thread_res;

static void copy_str(char *dst, const char *src)
{
	snprintf(dst, RTT_TXT, "%s", src ? src : "(null)");
}

/* enters what res asks for, then get_variable("v", [1]) */
static void *worker(void *arg)
{
	thread_res *r = arg;
	vs_error e;
	vs_cm *g = NULL, *s = NULL, *d = NULL;
	vs_error_init(&e);
	r->tid = vs_thread_id();
	r->default_graph = vs_default_graph();
	r->eager = vs_executing_eagerly();
	copy_str(r->start_scope, vs_varscope_name(vs_get_variable_scope()));
	copy_str(r->start_name_scope, vs_get_name_scope());
	if (r->graph && vs_graph_as_default(&g, r->graph, &e) != 0)
		goto out;
	if (r->captured &&
	    vs_variable_scope(&s, NULL, (&(vs_varscope_opts){.scope = r->captured}), &e) != 0)
		goto out;
	if (r->scope_name && !r->captured &&
	    vs_variable_scope(&s, r->scope_name, (&(vs_varscope_opts){0}), &e) != 0)
		goto out;
	if (r->scope_name && r->captured &&
	    vs_variable_scope(&d, r->scope_name, (&(vs_varscope_opts){0}), &e) != 0)
		goto out;
	if (r->default_name &&
	    vs_variable_scope(&d, NULL, (&(vs_varscope_opts){.default_name = r->default_name}),
	                      &e) != 0)
		goto out;
	copy_str(r->scope_in, vs_varscope_name(vs_get_variable_scope()));
	r->rc = vs_get_variable(&r->var, "v", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	if (r->rc == 0 && r->var)
		copy_str(r->var_name, vs_var_name(r->var));
out:
	r->err_code = e.code;
	snprintf(r->err_msg, sizeof r->err_msg, "%s", e.msg);
	if (d)
		vs_exit(d, NULL);
	if (s)
		vs_exit(s, NULL);
	if (g)
		vs_exit(g, NULL);
	return NULL;
}

static void run_thread(thread_res *r)
{
	pthread_t th;
	VS_ASSERT_INT(vs_thread_create(&th, NULL, worker, r), 0);
	VS_ASSERT_INT(pthread_join(th, NULL), 0);
}

static void test_seed_capture_and_reenter(void)
{
	rtt_reset();
	vs_cm *m = VSCOPE("main", NULL);
	vs_varscope *main_thread_scope = vs_get_variable_scope();
	thread_res r = {.captured = main_thread_scope, .scope_name = "foo"};
	run_thread(&r);
	VS_ASSERT_INT(r.rc, 0);
	VS_ASSERT_STR(r.start_scope, "");
	VS_ASSERT_STR(r.scope_in, "main/foo");
	VS_ASSERT_STR(r.var_name, "main/foo/v:0");
	EXIT(m);
	/* the store is shared: the main thread can reuse it */
	m = VSCOPE_REUSE("main", VS_REUSE_TRUE);
	vs_cm *f = VSCOPE("foo", NULL);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == r.var, 1);
	EXIT(f);
	EXIT(m);
}

static void test_new_thread_starts_at_root_scope(void)
{
	rtt_reset();
	vs_cm *m = VSCOPE("main", NULL);
	vs_cm *n = NSCOPE("ns");
	thread_res r = {.scope_name = "bar"};
	run_thread(&r);
	VS_ASSERT_INT(r.rc, 0);
	VS_ASSERT_STR(r.start_scope, "");
	VS_ASSERT_STR(r.start_name_scope, "");
	VS_ASSERT_STR(r.var_name, "bar/v:0");
	/* the main thread's stacks are untouched */
	VS_ASSERT_STR(rtt_cur_scope(), "main");
	VS_ASSERT_STR(vs_get_name_scope(), "main/ns");
	EXIT(n);
	EXIT(m);
}

static void test_per_thread_counters_shared_store(void)
{
	rtt_reset_config(VS_UNSET, VS_TRUE);
	vs_cm *m = VSCOPE_DEFAULT("layer");
	VS_ASSERT_STR(rtt_cur_scope(), "layer");
	vs_var *mine = GETVAR_SHAPE("v", VS_SHAPE(1));
	VS_ASSERT_STR(vs_var_name(mine), "layer/v:0");
	EXIT(m);
	/* the thread's counters are its own: it also gets "layer" ... */
	thread_res r = {.default_name = "layer"};
	run_thread(&r);
	VS_ASSERT_STR(r.scope_in, "layer");
	/* ... and the shared store says the variable already exists */
	VS_ASSERT_INT(r.rc, VS_ERR_VALUE);
	VS_ASSERT_INT(r.err_code, VS_ERR_VALUE);
	VS_ASSERT_STR(r.err_msg, RTT_E1("layer/v"));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	/* while this thread's counter moved on */
	m = VSCOPE_DEFAULT("layer");
	VS_ASSERT_STR(rtt_cur_scope(), "layer_1");
	EXIT(m);
	rtt_reset();
}

static void test_two_threads_disjoint_scopes(void)
{
	rtt_reset();
	thread_res a = {.scope_name = "a"}, b = {.scope_name = "b"};
	pthread_t ta, tb;
	VS_ASSERT_INT(vs_thread_create(&ta, NULL, worker, &a), 0);
	VS_ASSERT_INT(vs_thread_create(&tb, NULL, worker, &b), 0);
	VS_ASSERT_INT(pthread_join(ta, NULL), 0);
	VS_ASSERT_INT(pthread_join(tb, NULL), 0);
	VS_ASSERT_INT(a.rc, 0);
	VS_ASSERT_INT(b.rc, 0);
	VS_ASSERT_STR(a.var_name, "a/v:0");
	VS_ASSERT_STR(b.var_name, "b/v:0");
	VS_ASSERT_INT(a.tid != b.tid, 1);
	VS_ASSERT_INT(a.tid != vs_thread_id(), 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 2);
}

static void test_two_threads_same_name_one_wins(void)
{
	rtt_reset_config(VS_UNSET, VS_TRUE);
	thread_res a = {.scope_name = "same"}, b = {.scope_name = "same"};
	pthread_t ta, tb;
	VS_ASSERT_INT(vs_thread_create(&ta, NULL, worker, &a), 0);
	VS_ASSERT_INT(vs_thread_create(&tb, NULL, worker, &b), 0);
	VS_ASSERT_INT(pthread_join(ta, NULL), 0);
	VS_ASSERT_INT(pthread_join(tb, NULL), 0);
	/* exactly one creates, the other gets E1 */
	VS_ASSERT_INT((a.rc == 0) + (b.rc == 0), 1);
	thread_res *loser = a.rc == 0 ? &b : &a;
	VS_ASSERT_INT(loser->rc, VS_ERR_VALUE);
	VS_ASSERT_STR(loser->err_msg, RTT_E1("same/v"));
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), 1);
	rtt_reset();
}

static void test_new_thread_sees_global_default_graph(void)
{
	rtt_reset();
	vs_graph *global = vs_default_graph();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_cm *m = VSCOPE("main", NULL);
	thread_res r = {.scope_name = "t"};
	run_thread(&r);
	VS_ASSERT_INT(r.default_graph == global, 1);
	VS_ASSERT_INT(r.default_graph != g, 1);
	VS_ASSERT_INT(r.rc, 0);
	/* its variable landed in the global graph's store, not in g */
	VS_ASSERT_INT(r.var && vs_var_graph(r.var) == global, 1);
	VS_ASSERT_INT(vs_collection_size(g, VS_GLOBAL_VARIABLES), 0);
	VS_ASSERT_INT(vs_collection_size(global, VS_GLOBAL_VARIABLES), 1);
	/* entering g explicitly puts it there */
	thread_res r2 = {.scope_name = "t", .graph = g};
	run_thread(&r2);
	VS_ASSERT_INT(r2.rc, 0);
	VS_ASSERT_INT(r2.var && vs_var_graph(r2.var) == g, 1);
	VS_ASSERT_STR(r2.var_name, "t/v:0");
	VS_ASSERT_INT(vs_collection_size(g, VS_GLOBAL_VARIABLES), 1);
	EXIT(m);
	EXIT(d);
}

static void test_new_thread_graph_mode_and_eager_flag(void)
{
	rtt_reset();
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_eager_mode(&cm, &e), 0);
	VS_ASSERT_INT(vs_executing_eagerly(), 1);
	thread_res r = {.scope_name = "t"};
	run_thread(&r);
	/* the eager flag is per thread: the new thread starts in graph mode */
	VS_ASSERT_INT(r.eager, 0);
	VS_ASSERT_INT(r.rc, 0);
	EXIT(cm);
}

/* op names are shared per graph */
typedef struct op_res {
	vs_graph *g;
	char name[RTT_TXT];
} op_res;

static void *op_worker(void *arg)
{
	op_res *r = arg;
	vs_cm *d = NULL;
	vs_op *op = NULL;
	if (vs_graph_as_default(&d, r->g, NULL) != 0)
		return NULL;
	if (vs_op(&op, "Const", "x", NULL) == 0)
		copy_str(r->name, vs_op_name(op));
	vs_exit(d, NULL);
	return NULL;
}

static void test_op_names_shared_across_threads(void)
{
	rtt_reset();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	VS_ASSERT_STR(vs_op_name(OP("Const", "x")), "x");
	op_res r = {.g = g};
	pthread_t th;
	VS_ASSERT_INT(vs_thread_create(&th, NULL, op_worker, &r), 0);
	VS_ASSERT_INT(pthread_join(th, NULL), 0);
	VS_ASSERT_STR(r.name, "x_1");
	EXIT(d);
}

/* many threads hammering one store under AUTO_REUSE */
#define RTT_THREADS 6
#define RTT_ROUNDS 40

typedef struct stress_res {
	int idx;
	int failures;
	vs_var *first;
	int mismatches;
} stress_res;

static void *stress_worker(void *arg)
{
	stress_res *r = arg;
	char own[32];
	snprintf(own, sizeof own, "t%d", r->idx);
	for (int i = 0; i < RTT_ROUNDS; i++) {
		vs_cm *s = NULL;
		vs_var *v = NULL, *shared = NULL;
		if (vs_variable_scope(&s, own, (&(vs_varscope_opts){.reuse = VS_REUSE_AUTO}), NULL) != 0) {
			r->failures++;
			continue;
		}
		if (vs_get_variable(&v, "v", (&(vs_var_opts){.shape = VS_SHAPE(2)}), NULL) != 0)
			r->failures++;
		if (r->first == NULL)
			r->first = v;
		else if (r->first != v)
			r->mismatches++;
		if (vs_exit(s, NULL) != 0)
			r->failures++;
		if (vs_variable_scope(&s, "shared", (&(vs_varscope_opts){.reuse = VS_REUSE_AUTO}),
		                      NULL) != 0) {
			r->failures++;
			continue;
		}
		if (vs_get_variable(&shared, "w", (&(vs_var_opts){.shape = VS_SHAPE(2)}), NULL) != 0)
			r->failures++;
		if (vs_exit(s, NULL) != 0)
			r->failures++;
	}
	return NULL;
}

static void test_concurrent_auto_reuse(void)
{
	rtt_reset();
	pthread_t th[RTT_THREADS];
	stress_res res[RTT_THREADS];
	for (int i = 0; i < RTT_THREADS; i++) {
		res[i] = (stress_res){.idx = i};
		VS_ASSERT_INT(vs_thread_create(&th[i], NULL, stress_worker, &res[i]), 0);
	}
	for (int i = 0; i < RTT_THREADS; i++)
		VS_ASSERT_INT(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < RTT_THREADS; i++) {
		VS_ASSERT_INT(res[i].failures, 0);
		VS_ASSERT_INT(res[i].mismatches, 0);
	}
	/* one v per thread plus one shared w */
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), RTT_THREADS + 1);
}

static void test_thread_start_event_records_parent(void)
{
	rtt_reset();
	vs_error e;
	vs_error_init(&e);
	vs_memsink *ms = vs_memsink_new();
	VS_ASSERT_INT(ms != NULL, 1);
	if (!ms)
		return;
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_cm *m = VSCOPE("main", NULL);
	vs_memsink_clear(ms);
	thread_res r = {.scope_name = "t"};
	run_thread(&r);
	EXIT(m);
	EXIT(d);
	long i = vs_memsink_find(ms, VS_EV_THREAD_START, 0);
	VS_ASSERT_INT(i >= 0, 1);
	if (i >= 0) {
		const vs_event *ev = vs_memsink_at(ms, (size_t)i);
		VS_ASSERT_INT(ev->tid, r.tid);
		VS_ASSERT_INT(ev->thread_start.parent_tid, vs_thread_id());
		VS_ASSERT_STR(vs_memsink_string(ms, ev->thread_start.parent_scope), "main");
		VS_ASSERT_INT(ev->thread_start.parent_graph, vs_graph_id(g));
	}
	/* the thread's get_variable ran in the global graph */
	i = vs_memsink_find(ms, VS_EV_GETVAR_ENTER, 0);
	VS_ASSERT_INT(i >= 0, 1);
	if (i >= 0) {
		const vs_event *ev = vs_memsink_at(ms, (size_t)i);
		VS_ASSERT_INT(ev->tid, r.tid);
		VS_ASSERT_INT(ev->graph != vs_graph_id(g), 1);
		VS_ASSERT_STR(vs_memsink_string(ms, ev->getvar_enter.full_name), "t/v");
	}
	VS_ASSERT_INT(vs_memsink_find(ms, VS_EV_THREAD_END, 0) >= 0, 1);
	vs_trace_attach(NULL, NULL, NULL);
	vs_memsink_free(ms);
}

VS_SUITE_FN(tracer_threads)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_seed_capture_and_reenter),
		VS_TEST(test_new_thread_starts_at_root_scope),
		VS_TEST(test_per_thread_counters_shared_store),
		VS_TEST(test_two_threads_disjoint_scopes),
		VS_TEST(test_two_threads_same_name_one_wins),
		VS_TEST(test_new_thread_sees_global_default_graph),
		VS_TEST(test_new_thread_graph_mode_and_eager_flag),
		VS_TEST(test_op_names_shared_across_threads),
		VS_TEST(test_concurrent_auto_reuse),
		VS_TEST(test_thread_start_event_records_parent),
		VS_TEST_END};
	vs_test_add_suite("tracer_threads", rtt_suite_init, rtt_suite_clean, cases);
}
