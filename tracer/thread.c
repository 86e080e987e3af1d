/* SPDX-License-Identifier: MIT */
/*
 * tracer/thread.c - per-thread state: creation on first use, the per-(graph,
 * thread) records, vs_thread_create's parent link, and the thread-exit
 * destructor that emits THREAD_END.
 *
 * Invariant: rt_tls is reachable only from its own thread (a _Thread_local
 * pointer plus a pthread key whose destructor frees it); model objects it
 * points to are registry-owned and not freed here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/alloc.h"
#include "tracer/rt.h"

static _Thread_local rt_tls *g_tls;
static pthread_key_t g_key;
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;
static _Atomic uint32_t g_tids;

static void free_model(rt_tls *t)
{
	rt_graph_thread *p = t->graph_threads;
	while (p) {
		rt_graph_thread *n = p->next;
		rt_map_free(&p->counts);
		rt_vec_free(&p->ctl_ops);
		rt_vec_free(&p->devs);
		free(p);
		p = n;
	}
	t->graph_threads = NULL;
	rt_map_free(&t->graph_thread_by_graph);
	rt_vec_free(&t->gstack);
	rt_vec_free(&t->tmpl);
	rt_vec_free(&t->eager_devs);
	free(t->sw);
	t->sw = NULL;
	t->nsw = t->capsw = 0;
	t->ready = 0;
	t->tapes = t->stop_depth = 0;
	t->is_eager = 0;
	t->eager_scope = NULL;
}

static void tls_destroy(void *arg)
{
	rt_tls *t = arg;
	if (!t)
		return;
	t->exiting = 1;
	g_tls = t;
	rt_emit_thread_end(t->tid, t->gen == rt_emit_generation());
	free_model(t);
	g_tls = NULL;
	free(t);
}

/* The runtime's pthread_atfork handlers (registered once, by emit.c's
 * once_init): every runtime mutex is taken in the documented lock order
 * (tracer/rt.h), so no vanished thread holds one in the child.  The forking
 * thread's rt_tls is untouched; other threads' state is gone with them. */
void rt_fork_prepare(void)
{
	rt_registry_atfork(RT_FORK_PREPARE, 0);
	rt_cm_atfork(RT_FORK_PREPARE);
	rt_emit_atfork(RT_FORK_PREPARE);
}

void rt_fork_parent(void)
{
	rt_emit_atfork(RT_FORK_PARENT);
	rt_cm_atfork(RT_FORK_PARENT);
	rt_registry_atfork(RT_FORK_PARENT, 0);
}

void rt_fork_child(void)
{
	rt_tls *t = g_tls;
	rt_registry_atfork(RT_FORK_CHILD, t ? t->tid : 0);
	rt_cm_atfork(RT_FORK_CHILD);
	rt_emit_atfork(RT_FORK_CHILD);
}

static void key_init(void)
{
	pthread_key_create(&g_key, tls_destroy);
	rt_emit_init_once(); /* registers the fork handlers */
}

rt_tls *rt_tls_get(void)
{
	rt_tls *t = g_tls;
	if (__builtin_expect(t != NULL, 1))
		return t;
	pthread_once(&g_key_once, key_init);
	t = rt_calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->tid = atomic_fetch_add(&g_tids, 1) + 1;
	g_tls = t;
	pthread_setspecific(g_key, t);
	return t;
}

rt_tls *rt_tls_model(void)
{
	rt_tls *t = rt_tls_get();
	if (!t)
		return NULL;
	if (__builtin_expect(t->ready, 1))
		return t;
	pthread_mutex_lock(&rt_global_mu);
	rt_global_used = 1;
	int eager = rt_global_opts.eager == VS_TRUE;
	pthread_mutex_unlock(&rt_global_mu);
	t->eager_scope = rt_empty();
	if (!t->eager_scope || (eager && rt_switch_push(t, 0, NULL) < 0))
		return NULL;
	t->ready = 1;
	t->is_eager = eager;
	return t;
}

void rt_tls_reset_model(rt_tls *t) { free_model(t); }

void rt_tls_free_self(void)
{
	rt_tls *t = g_tls;
	if (!t)
		return;
	free_model(t);
	pthread_setspecific(g_key, NULL);
	g_tls = NULL;
	free(t);
}

rt_graph_thread *rt_graph_thread_get(rt_tls *t, vs_graph *g)
{
	if (!g)
		return NULL;
	rt_graph_thread *p = (rt_graph_thread *)rt_map_get(&t->graph_thread_by_graph, g, 0);
	if (p)
		return p;
	p = rt_calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->g = g;
	p->name_stack = rt_empty();
	if (!p->name_stack || rt_map_put(&t->graph_thread_by_graph, g, (intptr_t)p) < 0) {
		free(p);
		return NULL;
	}
	p->next = t->graph_threads;
	t->graph_threads = p;
	return p;
}

rt_graph_thread *rt_graph_thread_root(rt_tls *t, vs_graph *g)
{
	if (!g)
		return NULL;
	rt_graph_thread *p = rt_graph_thread_get(t, g->root);
	if (p && !p->scope)
		p->scope = rt_varscope_root();
	return p && p->scope ? p : NULL;
}

uint32_t vs_thread_id(void)
{
	rt_tls *t = rt_tls_get();
	return t ? t->tid : 0;
}

typedef struct rt_spawn_args {
	void *(*fn)(void *);
	void *arg;
	uint32_t ptid, pscope, pgraph;
} rt_spawn_args;

static void *trampoline(void *arg)
{
	rt_spawn_args st = *(rt_spawn_args *)arg;
	free(arg);
	rt_tls *t = rt_tls_get();
	if (t) {
		t->parent_tid = st.ptid;
		t->parent_scope_sid = st.pscope;
		t->parent_graph = st.pgraph;
		rt_emit_thread_start();
	}
	return st.fn(st.arg);
}

int vs_thread_create_at(vs_site site, pthread_t *th, const pthread_attr_t *attr,
                        void *(*fn)(void *), void *arg)
{
	(void)site;
	rt_spawn_args *st = rt_calloc(1, sizeof *st);
	if (!st)
		return ENOMEM;
	st->fn = fn;
	st->arg = arg;
	rt_tls *t = rt_tls_model();
	if (t) {
		st->ptid = t->tid;
		vs_graph *g = rt_graph_default(t);
		st->pgraph = g ? g->id : 0;
		vs_varscope *s = rt_varscope_current(t);
		st->pscope = s ? (RT_TRACING() ? rt_str_id(s->name) : 0) : 0;
	}
	int rc = pthread_create(th, attr, trampoline, st);
	if (rc != 0)
		free(st);
	return rc;
}
