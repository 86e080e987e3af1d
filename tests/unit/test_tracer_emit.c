/* SPDX-License-Identifier: MIT */
/* tests for tracer/emit.c, tracer/memsink.c, tracer/event.c: interning, call
 * sites, sequence numbers, the memory sink, attach/detach and tracing off */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/harness.h"
#include "vs/event.h"
#include "vs/sink.h"
#include "vs/vs.h"

static int emit_init(void)
{
	vs_trace_attach(NULL, NULL, NULL);
	vs_runtime_reset();
	return 0;
}

static void test_intern_same_text_same_id(void)
{
	uint32_t a = vs_trace_intern("emit/alpha", 10);
	uint32_t b = vs_trace_intern("emit/alpha", 10);
	uint32_t c = vs_trace_intern("emit/alphabet", 13);
	uint32_t d = vs_trace_intern("emit/alphabet", 10); /* a prefix: same text as a */
	CU_ASSERT(a >= 1);
	VS_ASSERT_INT(b, a);
	CU_ASSERT(c != a);
	VS_ASSERT_INT(d, a);
	VS_ASSERT_STR(vs_trace_string(a), "emit/alpha");
	VS_ASSERT_STR(vs_trace_string(c), "emit/alphabet");
	VS_ASSERT_STR(vs_trace_string(0), NULL);
	VS_ASSERT_STR(vs_trace_string(0x7fffffff), NULL);
	uint32_t e = vs_trace_intern("", 0);
	CU_ASSERT(e >= 1);
	VS_ASSERT_STR(vs_trace_string(e), "");
}

static void test_off_mode_emits_nothing(void)
{
	vs_memsink *ms = vs_memsink_new();
	VS_ASSERT_INT(vs_trace_enabled(), 0);
	vs_error err;
	vs_error_init(&err);
	vs_cm *cm;
	VS_ASSERT_INT(vs_variable_scope(&cm, "off", NULL, &err), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_memsink_count(ms), 0);
	vs_trace_flush(); /* no-op when off */
	vs_memsink_free(ms);
}

static void test_attach_replays_strings_and_starts_process(void)
{
	uint32_t id = vs_trace_intern("emit/before-attach", 18);
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_trace_enabled(), 1);
	VS_ASSERT_STR(vs_memsink_string(ms, id), "emit/before-attach");
	VS_ASSERT_INT(vs_memsink_count(ms) >= 1, 1);
	const vs_event *e0 = vs_memsink_at(ms, 0);
	VS_ASSERT_INT(e0->kind, VS_EV_PROCESS_START);
	VS_ASSERT_INT(e0->process_start.pid, (uint32_t)getpid());
	VS_ASSERT_INT(e0->process_start.parent_pid, 0);
	/* the first event of this thread is preceded by THREAD_START */
	vs_cm *cm;
	VS_ASSERT_INT(vs_name_scope(&cm, "emit_ns", NULL, &err), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	long ts = vs_memsink_find(ms, VS_EV_THREAD_START, 0);
	long ns = vs_memsink_find(ms, VS_EV_NAME_SCOPE_ENTER, 0);
	CU_ASSERT(ts > 0 && ns > ts);
	VS_ASSERT_INT(vs_memsink_at(ms, (size_t)ts)->tid, vs_thread_id());
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_THREAD_START), 1);
	/* a new string reaches the sink before the event that uses it */
	const vs_event *en = vs_memsink_at(ms, (size_t)ns);
	VS_ASSERT_STR(vs_memsink_string(ms, en->name_scope.requested), "emit_ns");
	VS_ASSERT_STR(vs_memsink_string(ms, en->name_scope.resolved), "emit_ns/");
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	VS_ASSERT_INT(vs_trace_enabled(), 0);
	size_t n = vs_memsink_count(ms);
	VS_ASSERT_INT(vs_name_scope(&cm, "after", NULL, &err), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_memsink_count(ms), n);
	vs_memsink_free(ms);
}

static void test_seq_is_gapless_and_sites_registered_once(void)
{
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	for (int i = 0; i < 3; i++) {
		vs_cm *cm;
		VS_ASSERT_INT(vs_name_scope(&cm, "loop", NULL, &err), 0); /* one site */
		VS_ASSERT_INT(vs_exit(cm, &err), 0);                       /* another */
	}
	size_t n = vs_memsink_count(ms);
	for (size_t i = 1; i < n; i++)
		VS_ASSERT_INT(vs_memsink_at(ms, i)->seq, vs_memsink_at(ms, i - 1)->seq + 1);
	long first = vs_memsink_find(ms, VS_EV_NAME_SCOPE_ENTER, 0);
	CU_ASSERT(first > 0);
	const vs_event *en = vs_memsink_at(ms, (size_t)first);
	CU_ASSERT(en->site != 0);
	/* the SITE event for that id came before, once, with file, line and function */
	size_t sites_for_id = 0;
	for (size_t i = 0; i < n; i++) {
		const vs_event *e = vs_memsink_at(ms, i);
		if (e->kind != VS_EV_SITE || e->site_def.site_id != en->site)
			continue;
		sites_for_id++;
		CU_ASSERT(i < (size_t)first);
		VS_ASSERT_STR(vs_memsink_string(ms, e->site_def.file), __FILE__);
		VS_ASSERT_STR(vs_memsink_string(ms, e->site_def.function), "test_seq_is_gapless_and_sites_registered_once");
	}
	VS_ASSERT_INT(sites_for_id, 1);
	long second = vs_memsink_find(ms, VS_EV_NAME_SCOPE_ENTER, (size_t)first + 1);
	VS_ASSERT_INT(vs_memsink_at(ms, (size_t)second)->site, en->site);
	/* a re-attach replays the known sites after PROCESS_START */
	vs_memsink *ms2 = vs_memsink_new();
	VS_ASSERT_INT(vs_memsink_attach(ms2, &err), 0);
	VS_ASSERT_INT(vs_memsink_at(ms2, 0)->kind, VS_EV_PROCESS_START);
	CU_ASSERT(vs_memsink_count_kind(ms2, VS_EV_SITE) >= 2);
	CU_ASSERT(vs_memsink_at(ms2, 0)->seq > vs_memsink_at(ms, n - 1)->seq);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	vs_memsink_free(ms2);
	vs_memsink_free(ms);
}

static void test_memsink_find_count_clear(void)
{
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	vs_cm *a, *b;
	VS_ASSERT_INT(vs_name_scope(&a, "x", NULL, &err), 0);
	VS_ASSERT_INT(vs_name_scope(&b, "y", NULL, &err), 0);
	VS_ASSERT_INT(vs_exit(b, &err), 0);
	VS_ASSERT_INT(vs_exit(a, &err), 0);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_NAME_SCOPE_ENTER), 2);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_NAME_SCOPE_EXIT), 2);
	long i = vs_memsink_find(ms, VS_EV_NAME_SCOPE_EXIT, 0);
	const vs_event *ex = vs_memsink_at(ms, (size_t)i);
	VS_ASSERT_STR(vs_memsink_string(ms, ex->name_scope.resolved), "x/"); /* the restored scope */
	VS_ASSERT_INT(vs_memsink_find(ms, VS_EV_TEMPLATE_MAKE, 0), -1);
	VS_ASSERT_STR((const char *)vs_memsink_at(ms, 100000), NULL);
	vs_memsink_clear(ms);
	VS_ASSERT_INT(vs_memsink_count(ms), 0);
	VS_ASSERT_STR(vs_memsink_string(ms, vs_trace_intern("x/", 2)), "x/"); /* strings kept */
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	vs_memsink_free(ms);
	VS_ASSERT_INT(vs_memsink_attach(NULL, &err), VS_ERR_INVALID);
}

static void test_error_event(void)
{
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	vs_cm *cm;
	VS_ASSERT_INT(vs_variable_scope(&cm, NULL, NULL, &err), VS_ERR_TYPE);
	long i = vs_memsink_find(ms, VS_EV_ERROR, 0);
	CU_ASSERT(i > 0);
	const vs_event *e = vs_memsink_at(ms, (size_t)i);
	VS_ASSERT_INT(e->error.code, -VS_ERR_TYPE);
	VS_ASSERT_INT(e->error.tf_error, VS_TFE_SCOPE_NAME_REQUIRED);
	VS_ASSERT_STR(vs_memsink_string(ms, e->error.message),
	              "If default_name is None then name_or_scope is required");
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	vs_memsink_free(ms);
}

static size_t reentrant_events;
static int reentrant_calls;

static void reentrant_event(void *ctx, const vs_event *ev)
{
	reentrant_events++;
	if (ev->kind == VS_EV_NAME_SCOPE_ENTER && reentrant_calls++ == 0) {
		vs_cm *cm; /* a sink that calls back into libvs is not traced */
		vs_error err;
		if (vs_name_scope(&cm, "inner", NULL, &err) == 0)
			vs_exit(cm, &err);
	}
}

static void test_sink_reentry_not_traced(void)
{
	static const vs_sink_ops ops = {.event = reentrant_event};
	vs_error err;
	vs_error_init(&err);
	reentrant_events = 0;
	reentrant_calls = 0;
	VS_ASSERT_INT(vs_trace_attach(&ops, NULL, &err), 0);
	size_t base = reentrant_events; /* PROCESS_START, THREAD_START, SITEs */
	vs_cm *cm;
	VS_ASSERT_INT(vs_name_scope(&cm, "outer", NULL, &err), 0);
	VS_ASSERT_STR(vs_cm_name(cm), "outer/");
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	VS_ASSERT_INT(reentrant_calls, 1);
	/* ENTER + EXIT of "outer" and the SITE events of its two call sites */
	VS_ASSERT_INT(reentrant_events - base, 4);
}

static void test_kind_names(void)
{
	VS_ASSERT_STR(vs_ev_kind_name(VS_EV_GETVAR_ENTER), "GETVAR_ENTER");
	VS_ASSERT_STR(vs_ev_kind_name(VS_EV_ERROR), "ERROR");
	VS_ASSERT_STR(vs_ev_kind_name(VS_EV__COUNT), NULL);
	VS_ASSERT_STR(vs_ev_kind_name(7), NULL);
	VS_ASSERT_INT(vs_ev_kind_from_name("var_create"), VS_EV_VAR_CREATE);
	VS_ASSERT_INT(vs_ev_kind_from_name("nope"), -1);
	VS_ASSERT_INT(vs_ev_kind_from_name(NULL), -1);
	VS_ASSERT_STR(vs_outcome_name(VS_OUT_REUSED), "reused");
	VS_ASSERT_STR(vs_outcome_name(99), "");
	for (unsigned k = 1; k < VS_EV__COUNT; k++)
		if (vs_ev_kind_name(k))
			VS_ASSERT_INT(vs_ev_kind_from_name(vs_ev_kind_name(k)), k);
}

static void test_shapes_and_dtypes(void)
{
	char b[64];
	VS_ASSERT_INT(vs_shape_format(VS_SHAPE(2, 3), b, sizeof b), 6);
	VS_ASSERT_STR(b, "(2, 3)");
	vs_shape_format(VS_SHAPE(2), b, sizeof b);
	VS_ASSERT_STR(b, "(2,)");
	vs_shape_format(VS_SCALAR, b, sizeof b);
	VS_ASSERT_STR(b, "()");
	vs_shape_format(VS_SHAPE(VS_DIM_UNKNOWN, 3), b, sizeof b);
	VS_ASSERT_STR(b, "(?, 3)");
	vs_shape_format(VS_SHAPE_UNKNOWN_RANK, b, sizeof b);
	VS_ASSERT_STR(b, "<unknown>");
	vs_shape_format(NULL, b, sizeof b);
	VS_ASSERT_STR(b, "None");
	VS_ASSERT_INT(vs_shape_format(VS_SHAPE(300, 150), b, 4), 10);
	VS_ASSERT_STR(b, "(30");
	VS_ASSERT_STR(vs_dtype_name(VS_DT_FLOAT32), "float32");
	VS_ASSERT_STR(vs_dtype_name(VS_DT__COUNT), NULL);
	VS_ASSERT_INT(vs_dtype_from_name("int32"), VS_DT_INT32);
	VS_ASSERT_INT(vs_dtype_from_name("float"), VS_DT_NONE);
	VS_ASSERT_STR(vs_init_kind_name(VS_INIT_GLOROT_UNIFORM), "glorot_uniform");
}

static uint32_t child_tid;

static void *child_main(void *arg)
{
	vs_error err;
	vs_error_init(&err);
	child_tid = vs_thread_id();
	vs_var *v = NULL;
	vs_get_variable(&v, "t", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err);
	return NULL;
}

static void test_thread_start_and_end(void)
{
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	vs_graph *g;
	vs_cm *gcm, *scm;
	VS_ASSERT_INT(vs_graph_new(&g, "g", &err), 0);
	VS_ASSERT_INT(vs_graph_as_default(&gcm, g, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&scm, "main", NULL, &err), 0);
	pthread_t th;
	VS_ASSERT_INT(vs_thread_create(&th, NULL, child_main, NULL), 0);
	pthread_join(th, NULL);
	VS_ASSERT_INT(vs_exit(scm, &err), 0);
	VS_ASSERT_INT(vs_exit(gcm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	CU_ASSERT(child_tid != 0 && child_tid != vs_thread_id());
	const vs_event *start = NULL, *end = NULL;
	size_t child_events = 0;
	for (size_t i = 0; i < vs_memsink_count(ms); i++) {
		const vs_event *e = vs_memsink_at(ms, i);
		if (e->tid != child_tid)
			continue;
		child_events++;
		if (e->kind == VS_EV_THREAD_START)
			start = e;
		if (e->kind == VS_EV_THREAD_END)
			end = e;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(start);
	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	CU_ASSERT(start->seq < end->seq);
	VS_ASSERT_INT(start->thread_start.parent_tid, vs_thread_id());
	VS_ASSERT_STR(vs_memsink_string(ms, start->thread_start.parent_scope), "main");
	VS_ASSERT_INT(start->thread_start.parent_graph, vs_graph_id(g));
	CU_ASSERT(child_events >= 4); /* start, getvar enter/exit..., end */
	/* the child's get_variable ran in the global graph at the root scope */
	long gx = vs_memsink_find(ms, VS_EV_GETVAR_EXIT, 0);
	CU_ASSERT(gx >= 0);
	VS_ASSERT_STR(vs_memsink_string(ms, vs_memsink_at(ms, (size_t)gx)->getvar_exit.full_name), "t");
	vs_memsink_free(ms);
}

static void test_fork_child_process_start(void)
{
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	vs_cm *cm;
	VS_ASSERT_INT(vs_name_scope(&cm, "pre", NULL, &err), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	uint64_t last = vs_memsink_at(ms, vs_memsink_count(ms) - 1)->seq;
	size_t before = vs_memsink_count(ms);
	pid_t parent = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		const vs_event *ps = vs_memsink_at(ms, before);
		bad |= !ps || ps->kind != VS_EV_PROCESS_START;
		bad |= ps && (ps->seq != 1 || ps->process_start.pid != (uint32_t)getpid() ||
		              ps->process_start.parent_pid != (uint32_t)parent || ps->process_start.parent_last_seq != (uint32_t)last);
		vs_cm *c2;
		bad |= vs_name_scope(&c2, "child", NULL, &err) != 0;
		bad |= vs_exit(c2, &err) != 0;
		const vs_event *ts = vs_memsink_at(ms, before + 1);
		bad |= !ts || ts->kind != VS_EV_THREAD_START || ts->seq != 2;
		_exit(bad ? 3 : 0);
	}
	CU_ASSERT_FATAL(pid > 0);
	int st = 0;
	waitpid(pid, &st, 0);
	CU_ASSERT(WIFEXITED(st));
	VS_ASSERT_INT(WEXITSTATUS(st), 0);
	VS_ASSERT_INT(vs_memsink_count(ms), before); /* the parent saw none of it */
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	vs_memsink_free(ms);
}

#define NTHREADS 4
#define NVARS 50

static void *stress_main(void *arg)
{
	vs_error err;
	vs_error_init(&err);
	vs_cm *cm;
	int bad = 0;
	for (int i = 0; i < NVARS; i++) {
		char name[32];
		snprintf(name, sizeof name, "v%d", i);
		vs_var *v = NULL;
		bad |= vs_variable_scope(&cm, "shared", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO}, &err);
		bad |= vs_get_variable(&v, name, &(vs_var_opts){.shape = VS_SHAPE(1)}, &err);
		bad |= vs_exit(cm, &err);
	}
	return bad ? arg : NULL;
}

static void test_concurrent_tracing(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	pthread_t th[NTHREADS];
	for (int i = 0; i < NTHREADS; i++)
		VS_ASSERT_INT(vs_thread_create(&th[i], NULL, stress_main, &th[i]), 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *r = &th[i];
		pthread_join(th[i], &r);
		CU_ASSERT_PTR_NULL(r);
	}
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	/* one shared store: NVARS variables, every other call reused one */
	VS_ASSERT_INT(vs_collection_size(NULL, VS_GLOBAL_VARIABLES), NVARS);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VAR_CREATE), NVARS);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_GETVAR_EXIT), NTHREADS * NVARS);
	size_t starts = 0;
	for (size_t i = 0; i < vs_memsink_count(ms); i++) {
		const vs_event *e = vs_memsink_at(ms, i);
		starts += e->kind == VS_EV_THREAD_START && e->tid != vs_thread_id();
	}
	VS_ASSERT_INT(starts, NTHREADS);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_THREAD_END), NTHREADS);
	/* seq is gapless across threads: the sink got every number once */
	size_t n = vs_memsink_count(ms);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t q = vs_memsink_at(ms, i)->seq;
		lo = q < lo ? q : lo;
		hi = q > hi ? q : hi;
	}
	VS_ASSERT_INT(hi - lo + 1, n);
	vs_memsink_free(ms);
}

VS_SUITE_FN(tracer_emit)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_intern_same_text_same_id),
		VS_TEST(test_off_mode_emits_nothing),
		VS_TEST(test_attach_replays_strings_and_starts_process),
		VS_TEST(test_seq_is_gapless_and_sites_registered_once),
		VS_TEST(test_memsink_find_count_clear),
		VS_TEST(test_error_event),
		VS_TEST(test_sink_reentry_not_traced),
		VS_TEST(test_kind_names),
		VS_TEST(test_shapes_and_dtypes),
		VS_TEST_END,
	};
	vs_test_add_suite("tracer_emit", emit_init, NULL, cases);
	static const vs_test_case thread_cases[] = {
		VS_TEST(test_thread_start_and_end),
		VS_TEST(test_fork_child_process_start),
		VS_TEST(test_concurrent_tracing),
		VS_TEST_END,
	};
	vs_test_add_suite("tracer_emit_threads", emit_init, NULL, thread_cases);
}
