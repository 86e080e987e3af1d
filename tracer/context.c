/* SPDX-License-Identifier: MIT */
/*
 * tracer/context.c - graphs and execution contexts: the global default
 * graph, graph.as_default, eager_mode/graph_mode, the per-thread
 * context_switches log, reset_default_graph, init_scope (docs/semantics.md §5),
 * control dependencies, cond/while contexts, gradient tapes and
 * stop_recording, and vs_exit's dispatch.
 *
 * Invariants: a thread's default-graph stack and context-switch log change
 * only through this file's push/pop pairs; every enter restores exactly what
 * it changed on exit; init_scope never emits CTX_PUSH/CTX_POP (its
 * INIT_SCOPE_ENTER/EXIT events describe the switch).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/alloc.h"
#include "tracer/rt.h"

static _Atomic(vs_graph *) g_global; /* written under rt_global_mu */

static const char *const graph_type = "<class 'tensorflow.python.framework.ops.Graph'>";
static const char *const func_graph_type =
	"<class 'tensorflow.python.framework.func_graph.FuncGraph'>";

/* ---- graphs -------------------------------------------------------------- */
static void graph_dtor(void *p)
{
	vs_graph *g = p;
	rt_map_free(&g->names);
	for (size_t i = 0; i < g->ncolls; i++)
		rt_vec_free(&g->colls[i].items);
	free(g->colls);
	pthread_mutex_destroy(&g->mu);
}

static vs_graph *rt_graph_create(const char *name, vs_graph *outer, int building_function,
                                 int global)
{
	vs_graph *g = rt_obj_new_mu(sizeof *g, graph_dtor, RT_LK_GRAPH, offsetof(vs_graph, mu));
	if (!g)
		return NULL;
	g->id = rt_id_next(&rt_global_ids.graph);
	g->name = rt_intern_cstr(name);
	if (rt_intern_failed(name, g->name))
		return NULL;
	g->building_function = building_function;
	g->outer = outer;
	g->root = outer ? outer->root : g;
	if (g->root == g) {
		g->store = rt_store_new(0);
		if (!g->store)
			return NULL;
	}
	return g;
}

static void emit_graph_create(vs_graph *g, uint32_t site, int global)
{
	unsigned fl = (g->building_function ? VS_EVF_BUILDING_FUNCTION : 0) |
	              (global ? VS_EVF_GLOBAL_DEFAULT : 0);
	RT_EMIT(VS_EV_GRAPH_CREATE, fl, site,
	        .graph_create = {.graph_id = g->id,
	                         .outer_graph = g->outer ? g->outer->id : 0,
	                         .name = rt_str_id(g->name)});
}

static vs_graph *rt_graph_global(void)
{
	vs_graph *g = atomic_load_explicit(&g_global, memory_order_acquire);
	if (g)
		return g;
	vs_graph *ng = rt_graph_create(NULL, NULL, 0, 1);
	if (!ng)
		return NULL;
	pthread_mutex_lock(&rt_global_mu);
	int won = g_global == NULL;
	if (won)
		g_global = ng;
	g = g_global;
	pthread_mutex_unlock(&rt_global_mu);
	if (won)
		emit_graph_create(ng, 0, 1);
	return g;
}

void rt_context_reset(void)
{
	pthread_mutex_lock(&rt_global_mu);
	g_global = NULL;
	pthread_mutex_unlock(&rt_global_mu);
}

vs_graph *rt_graph_default(rt_tls *t)
{
	if (t->gstack.n)
		return t->gstack.items[t->gstack.n - 1];
	return rt_graph_global();
}

static int rt_tls_is_eager(rt_tls *t) { return t->is_eager; }

uint32_t rt_event_graph(void)
{
	rt_tls *t = rt_tls_get();
	if (!t)
		return 0;
	if (t->ready && t->is_eager)
		return 0;
	if (t->ready && t->gstack.n)
		return ((vs_graph *)t->gstack.items[t->gstack.n - 1])->id;
	vs_graph *g = atomic_load_explicit(&g_global, memory_order_acquire);
	return g ? g->id : 0;
}

int rt_switch_push(rt_tls *t, int building_function, vs_graph *g)
{
	if (VS_GROW(t->sw, t->capsw, t->nsw + 1) < 0)
		return VS_ERR_NOMEM;
	t->sw[t->nsw].building_function = building_function;
	t->sw[t->nsw].graph = g;
	t->nsw++;
	return 0;
}

static void rt_switch_pop(rt_tls *t)
{
	if (t->nsw)
		t->nsw--;
}

int rt_graph_push(rt_tls *t, vs_graph *g)
{
	if (rt_switch_push(t, g->building_function, g) < 0)
		return VS_ERR_NOMEM;
	if (rt_vec_push(&t->gstack, g) < 0) {
		rt_switch_pop(t);
		return VS_ERR_NOMEM;
	}
	t->is_eager = 0;
	return 0;
}

static pthread_mutex_t g_cm_mu = PTHREAD_MUTEX_INITIALIZER;
static vs_cm *g_cms;

vs_cm *rt_cm_new(rt_cm_kind kind)
{
	vs_cm *cm = rt_calloc(1, sizeof *cm);
	if (!cm)
		return NULL;
	cm->kind = kind;
	cm->id = rt_id_next(&rt_global_ids.cm);
	pthread_mutex_lock(&g_cm_mu);
	cm->next = g_cms;
	if (g_cms)
		g_cms->prev = cm;
	g_cms = cm;
	pthread_mutex_unlock(&g_cm_mu);
	return cm;
}

/* frees cm and what its kind's state owns */
static void cm_release(vs_cm *cm)
{
	switch (cm->kind) {
	case RT_CM_VARSCOPE:
		if (cm->varscope.pure.captured)
			rt_map_free(&cm->varscope.pure.snapshot);
		break;
	case RT_CM_CONTROL_DEPS: rt_vec_free(&cm->control_deps.saved_ctl); break;
	case RT_CM_INIT_SCOPE:
		rt_vec_free(&cm->init_scope.saved_ctl);
		rt_vec_free(&cm->init_scope.saved_devs);
		break;
	default: break;
	}
	free(cm);
}

void rt_cm_free(vs_cm *cm)
{
	if (!cm)
		return;
	pthread_mutex_lock(&g_cm_mu);
	if (cm->prev)
		cm->prev->next = cm->next;
	else
		g_cms = cm->next;
	if (cm->next)
		cm->next->prev = cm->prev;
	pthread_mutex_unlock(&g_cm_mu);
	cm_release(cm);
}

void rt_cm_atfork(rt_fork_phase phase)
{
	switch (phase) {
	case RT_FORK_PREPARE: pthread_mutex_lock(&g_cm_mu); break;
	case RT_FORK_PARENT: pthread_mutex_unlock(&g_cm_mu); break;
	case RT_FORK_CHILD: pthread_mutex_init(&g_cm_mu, NULL); break;
	}
}

void rt_cm_free_all(void)
{
	pthread_mutex_lock(&g_cm_mu);
	vs_cm *cm = g_cms;
	g_cms = NULL;
	pthread_mutex_unlock(&g_cm_mu);
	while (cm) {
		vs_cm *n = cm->next;
		cm_release(cm);
		cm = n;
	}
}

int vs_graph_new_at(vs_site site, vs_graph **out, const char *name, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	vs_graph *g = rt_graph_create(name, NULL, 0, 0);
	if (!g)
		return vs_error_nomem(err);
	emit_graph_create(g, sid, 0);
	*out = g;
	return 0;
}

int vs_func_graph_new_at(vs_site site, vs_graph **out, const char *name, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	/* FuncGraph(outer_graph=get_default_graph()): in eager mode the global
	 * default graph, whose store and scope store the traces share */
	vs_graph *outer = rt_tls_is_eager(t) ? rt_graph_global() : rt_graph_default(t);
	if (!outer)
		return vs_error_nomem(err);
	vs_graph *g = rt_graph_create(name, outer, 1, 0);
	if (!g || rt_collection_copy_outer(g) < 0)
		return vs_error_nomem(err);
	emit_graph_create(g, sid, 0);
	*out = g;
	return 0;
}

int vs_graph_as_default_at(vs_site site, vs_cm **out, vs_graph *g, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!g)
		return vs_error_set(err, VS_ERR_INVALID, "no graph");
	uint32_t sid = rt_site_id(site);
	vs_cm *cm = rt_cm_new(RT_CM_GRAPH);
	if (!cm)
		return vs_error_nomem(err);
	cm->context.graph = g;
	cm->context.old_eager = t->is_eager;
	if (rt_graph_push(t, g) < 0) {
		rt_cm_free(cm);
		return vs_error_nomem(err);
	}
	RT_EMIT(VS_EV_CTX_PUSH, g->building_function ? VS_EVF_BUILDING_FUNCTION : 0, sid,
	        .ctx = {.ctx_kind = VS_CTX_GRAPH,
	                .graph_id = g->id,
	                .log_depth = (uint32_t)t->nsw,
	                .cm = cm->id});
	*out = cm;
	return 0;
}

static int graph_exit(rt_tls *t, uint32_t sid, vs_cm *cm, vs_error *err)
{
	return rt_graph_pop(t, sid, cm->context.graph, cm->context.old_eager, cm->id, err);
}

int rt_graph_pop(rt_tls *t, uint32_t sid, vs_graph *g, int old_eager, uint32_t cm, vs_error *err)
{
	t->is_eager = old_eager;
	rt_switch_pop(t);
	int rc = 0;
	if (!t->gstack.n || t->gstack.items[t->gstack.n - 1] != g)
		rc = rt_raise(sid, err, VS_ERR_ASSERTION, VS_TFE_STACK_NESTING,
		              "Nesting violated for default stack of %s objects",
		              g->building_function ? func_graph_type : graph_type);
	else
		t->gstack.n--;
	RT_EMIT(VS_EV_CTX_POP, 0, sid,
	        .ctx = {.ctx_kind = VS_CTX_GRAPH,
	                .graph_id = g->id,
	                .log_depth = (uint32_t)t->nsw,
	                .cm = cm});
	return rc;
}

int vs_eager_mode_at(vs_site site, vs_cm **out, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	vs_cm *cm = rt_cm_new(RT_CM_EAGER);
	if (!cm || rt_switch_push(t, 0, NULL) < 0) {
		rt_cm_free(cm);
		return vs_error_nomem(err);
	}
	cm->context.old_eager = t->is_eager;
	t->is_eager = 1;
	RT_EMIT(VS_EV_CTX_PUSH, 0, sid,
	        .ctx = {.ctx_kind = VS_CTX_EAGER, .log_depth = (uint32_t)t->nsw, .cm = cm->id});
	*out = cm;
	return 0;
}

int vs_graph_mode_at(vs_site site, vs_cm **out, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	vs_graph *g = rt_graph_default(t);
	vs_cm *cm = g ? rt_cm_new(RT_CM_GRAPH_MODE) : NULL;
	if (!cm)
		return vs_error_nomem(err);
	cm->context.old_eager = t->is_eager;
	t->is_eager = 0;
	RT_EMIT(VS_EV_CTX_PUSH, 0, sid,
	        .ctx = {.ctx_kind = VS_CTX_GRAPH_MODE,
	                .graph_id = g->id,
	                .log_depth = (uint32_t)t->nsw,
	                .cm = cm->id});
	*out = cm;
	return 0;
}

int vs_reset_default_graph_at(vs_site site, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	if (t->gstack.n)
		return rt_raise(sid, err, VS_ERR_ASSERTION, VS_TFE_RESET_NESTED,
		                "Do not use tf.reset_default_graph() to clear nested graphs. If "
		                "you need a cleared graph, exit the nesting and create a new "
		                "graph.");
	vs_graph *old = rt_graph_global();
	vs_graph *ng = rt_graph_create(NULL, NULL, 0, 1);
	if (!ng)
		return vs_error_nomem(err);
	pthread_mutex_lock(&rt_global_mu);
	g_global = ng;
	pthread_mutex_unlock(&rt_global_mu);
	emit_graph_create(ng, sid, 1);
	RT_EMIT(VS_EV_RESET_GRAPH, 0, sid,
	        .reset_graph = {.old_graph = old ? old->id : 0, .new_graph = ng->id});
	return 0;
}

vs_graph *vs_default_graph(void)
{
	rt_tls *t = rt_tls_model();
	return t ? rt_graph_default(t) : NULL;
}

int vs_executing_eagerly(void)
{
	rt_tls *t = rt_tls_model();
	return t ? t->is_eager : 0;
}

int vs_graph_building_function(const vs_graph *g) { return g ? g->building_function : 0; }

vs_graph *vs_graph_outer(const vs_graph *g) { return g ? g->outer : NULL; }

uint32_t vs_graph_id(const vs_graph *g) { return g ? g->id : 0; }

const char *vs_graph_name(const vs_graph *g) { return g ? g->name : NULL; }

size_t vs_context_switches_depth(void)
{
	rt_tls *t = rt_tls_model();
	return t ? t->nsw : 0;
}

size_t vs_default_graph_stack_depth(void)
{
	rt_tls *t = rt_tls_model();
	return t ? t->gstack.n : 0;
}

/* ---- tapes --------------------------------------------------------------- */
/* returns 1 if it stopped the tapes */
static int rt_tape_stop_enter(rt_tls *t) { return t->stop_depth++ == 0; }

static void rt_tape_stop_exit(rt_tls *t)
{
	if (t->stop_depth)
		t->stop_depth--;
}

int vs_gradient_tape_at(vs_site site, vs_cm **out, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	vs_cm *cm = rt_cm_new(RT_CM_TAPE);
	if (!cm)
		return vs_error_nomem(err);
	cm->tape.id = rt_id_next(&rt_global_ids.tape);
	t->tapes++;
	RT_EMIT(VS_EV_TAPE_PUSH, 0, sid, .tape = {.tape_id = cm->tape.id, .cm = cm->id});
	*out = cm;
	return 0;
}

int vs_stop_recording_at(vs_site site, vs_cm **out, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	vs_cm *cm = rt_cm_new(RT_CM_STOP_REC);
	if (!cm)
		return vs_error_nomem(err);
	cm->stop_recording.stopped = rt_tape_stop_enter(t);
	RT_EMIT(VS_EV_TAPE_PAUSE, 0, sid,
	        .tape_pause = {.stopped = (uint32_t)cm->stop_recording.stopped, .cm = cm->id});
	*out = cm;
	return 0;
}

int vs_tape_recording(void)
{
	rt_tls *t = rt_tls_model();
	return t ? t->tapes > 0 && t->stop_depth == 0 : 0;
}

/* ---- control dependencies and control flow -------------------------------- */
int vs_control_dependencies_at(vs_site site, vs_cm **out, vs_op *const *inputs, size_t n,
                               vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	int clear = inputs == NULL && n == 0;
	if (!t->is_eager)
		for (size_t i = 0; i < n; i++)
			if (!inputs || !inputs[i])
				return rt_raise(sid, err, VS_ERR_TYPE, VS_TFE_CONTROL_INPUT,
				                "Control input must be Operation or Tensor: %s",
				                "None");
	rt_graph_thread *p = t->is_eager ? NULL : rt_graph_thread_get(t, rt_graph_default(t));
	if (!t->is_eager && !p)
		return vs_error_nomem(err);
	vs_cm *cm = rt_cm_new(RT_CM_CONTROL_DEPS);
	if (!cm)
		return vs_error_nomem(err);
	cm->control_deps.graph_thread = p;
	cm->control_deps.cleared = clear;
	cm->control_deps.n_inputs = n;
	if (p) {
		cm->control_deps.old_ctl = p->ctl_ops.n;
		cm->control_deps.old_cflow = p->cflow;
		if (clear) {
			cm->control_deps.saved_ctl = p->ctl_ops;
			memset(&p->ctl_ops, 0, sizeof p->ctl_ops);
			p->cflow = 0;
		} else {
			/* new ops get the union of the controllers' inputs */
			for (size_t i = 0; i < n; i++) {
				size_t k = 0;
				while (k < p->ctl_ops.n && p->ctl_ops.items[k] != inputs[i])
					k++;
				if (k == p->ctl_ops.n && rt_vec_push(&p->ctl_ops, inputs[i]) < 0) {
					p->ctl_ops.n = cm->control_deps.old_ctl;
					rt_cm_free(cm);
					return vs_error_nomem(err);
				}
			}
		}
	}
	RT_EMIT(VS_EV_CONTROL_DEPS_ENTER, clear ? VS_EVF_CLEARED : 0, sid,
	        .control_deps = {.n_inputs = (uint32_t)n, .cm = cm->id});
	*out = cm;
	return 0;
}

size_t vs_control_inputs_count(void)
{
	rt_tls *t = rt_tls_model();
	if (!t || t->is_eager)
		return 0;
	rt_graph_thread *p = rt_graph_thread_get(t, rt_graph_default(t));
	return p ? p->ctl_ops.n : 0;
}

/* always inlined: rt_site_id takes the public entry's frame (tracer/emit.h) */
static inline __attribute__((always_inline)) int
cflow_enter(vs_site site, vs_cm **out, rt_cm_kind kind, unsigned ck, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	rt_graph_thread *p = rt_graph_thread_get(t, rt_graph_default(t));
	vs_cm *cm = p ? rt_cm_new(kind) : NULL;
	if (!cm)
		return vs_error_nomem(err);
	cm->cflow.graph_thread = p;
	cm->cflow.old_cflow = p->cflow;
	p->cflow++;
	RT_EMIT(VS_EV_CFLOW_ENTER, 0, sid, .cflow = {.cflow_kind = ck, .cm = cm->id});
	*out = cm;
	return 0;
}

int vs_cond_at(vs_site site, vs_cm **out, vs_error *err)
{
	return cflow_enter(site, out, RT_CM_COND, VS_CFLOW_COND, err);
}

int vs_while_loop_at(vs_site site, vs_cm **out, vs_error *err)
{
	return cflow_enter(site, out, RT_CM_WHILE, VS_CFLOW_WHILE, err);
}

int vs_in_control_flow(void)
{
	rt_tls *t = rt_tls_model();
	if (!t || t->is_eager)
		return 0;
	rt_graph_thread *p = rt_graph_thread_get(t, rt_graph_default(t));
	return p ? p->cflow > 0 : 0;
}

/* ---- init_scope (docs/semantics.md §5.2) --------------------------------------- */
/* "scope/" interned ("" for the root or a name too long); NULL on OOM */
static rt_istr scope_with_slash(rt_istr scope)
{
	char buf[VS_ERROR_MSG_MAX];
	size_t len = strlen(scope);
	if (!len || len + 2 >= sizeof buf)
		return rt_empty();
	memcpy(buf, scope, len);
	buf[len] = '/';
	return rt_intern(buf, len + 1);
}

/* the outermost context not building a function: *target (NULL with
 * *to_eager for the eager context); the global graph when the stack is
 * empty or every entry builds a function (s->fallback) */
static int init_scope_target(rt_tls *t, uint32_t sid, vs_graph *g, rt_init_scope *s,
                             vs_graph **target, int *to_eager, vs_error *err)
{
	*target = NULL;
	*to_eager = 0;
	if (!t->gstack.n) {
		if (g->building_function)
			return rt_raise(sid, err, VS_ERR_RUNTIME, VS_TFE_INIT_SCOPE,
			                "The global graph is building a function.");
		*target = g;
		s->fallback = 1;
		return 0;
	}
	for (size_t i = t->nsw; i-- > 0;) {
		if (!t->sw[i].building_function) {
			*target = t->sw[i].graph;
			*to_eager = *target == NULL;
			return 0;
		}
	}
	*target = rt_graph_global();
	if (!*target)
		return vs_error_nomem(err);
	s->fallback = 1;
	return 0;
}

/* _get_outer_context_and_inner_device_stack's device: the current graph's
 * device if it has a device stack, else the first non-empty stack of the
 * context-switch entries from the innermost down to (and with) the one
 * init_scope lifts to; NULL when every one is empty */
static rt_istr init_scope_inner_device(rt_tls *t, vs_graph *g)
{
	rt_graph_thread *p = rt_graph_thread_get(t, g);
	if (p && p->devs.n)
		return rt_device_top(&p->devs);
	for (size_t i = t->nsw; i-- > 0;) {
		vs_graph *sg = t->sw[i].graph;
		rt_graph_thread *sp = sg ? rt_graph_thread_get(t, sg) : NULL;
		if (sp && sp->devs.n)
			return rt_device_top(&sp->devs);
		if (!t->sw[i].building_function)
			break;
	}
	return NULL;
}

/* swaps *devs for a one-entry stack holding dev (none for NULL), saving the
 * old one in s (restored by init_scope_restore_devs) */
static int init_scope_swap_devs(rt_init_scope *s, rt_vec *devs, rt_istr dev)
{
	rt_vec fresh = {0};
	if (dev && rt_vec_push(&fresh, (void *)(uintptr_t)dev) < 0)
		return VS_ERR_NOMEM;
	s->saved_devs = *devs;
	*devs = fresh;
	s->swapped_devs = 1;
	return 0;
}

static void init_scope_restore_devs(rt_init_scope *s, rt_vec *devs)
{
	if (!s->swapped_devs)
		return;
	rt_vec_free(devs);
	*devs = s->saved_devs;
	memset(&s->saved_devs, 0, sizeof s->saved_devs);
	s->swapped_devs = 0;
}

/* lifts to the eager context, carrying the name scope over */
static int init_scope_to_eager(rt_tls *t, rt_init_scope *s, rt_istr scope, rt_istr dev,
                               vs_error *err)
{
	rt_istr escope = scope_with_slash(scope);
	if (!escope || init_scope_swap_devs(s, &t->eager_devs, dev) < 0)
		return vs_error_nomem(err);
	if (rt_switch_push(t, 0, NULL) < 0) {
		init_scope_restore_devs(s, &t->eager_devs);
		return vs_error_nomem(err);
	}
	s->pushed_eager = 1;
	t->is_eager = 1;
	s->old_ns = t->eager_scope;
	t->eager_scope = escope;
	return 0;
}

/* lifts to graph target: the name scope carried over, no control inputs,
 * outside control flow (all restored on exit) */
static int init_scope_to_graph(rt_tls *t, rt_init_scope *s, vs_graph *target, rt_istr scope,
                               rt_istr dev, vs_error *err)
{
	rt_graph_thread *tp = rt_graph_thread_get(t, target);
	if (!tp || init_scope_swap_devs(s, &tp->devs, dev) < 0)
		return vs_error_nomem(err);
	if (rt_graph_push(t, target) < 0) {
		init_scope_restore_devs(s, &tp->devs);
		return vs_error_nomem(err);
	}
	s->pushed_graph = 1;
	s->target = target;
	s->graph_thread = tp;
	s->old_ns = tp->name_stack;
	tp->name_stack = scope;
	s->saved_ctl = tp->ctl_ops;
	memset(&tp->ctl_ops, 0, sizeof tp->ctl_ops);
	s->old_cflow = tp->cflow;
	tp->cflow = 0;
	return 0;
}

int rt_init_scope_enter(rt_tls *t, uint32_t sid, rt_init_scope *s, vs_error *err)
{
	memset(s, 0, sizeof *s);
	s->cm = rt_id_next(&rt_global_ids.cm);
	if (t->is_eager) {
		s->eager_fast = 1;
		rt_tape_stop_enter(t);
		s->active = 1;
		RT_EMIT(VS_EV_INIT_SCOPE_ENTER, 0, sid,
		        .init_scope = {.ctx_kind = VS_CTX_EAGER,
		                       .name_scope = rt_str_id(t->eager_scope),
		                       .cm = s->cm});
		return 0;
	}
	vs_graph *g = rt_graph_default(t);
	rt_graph_thread *gp = g ? rt_graph_thread_get(t, g) : NULL;
	if (!gp)
		return vs_error_nomem(err);
	/* the current op name scope, re-entered absolutely in the target */
	rt_istr scope = gp->name_stack;
	vs_graph *target;
	int to_eager;
	int rc = init_scope_target(t, sid, g, s, &target, &to_eager, err);
	if (rc < 0)
		return rc;
	if (!target && !to_eager)
		return rt_raise(sid, err, VS_ERR_RUNTIME, VS_TFE_INIT_SCOPE,
		                "All graphs are building functions, and no eager context was "
		                "previously active.");
	s->lifted = g->building_function;
	s->old_eager = t->is_eager;
	rt_istr dev = init_scope_inner_device(t, g);
	rc = to_eager ? init_scope_to_eager(t, s, scope, dev, err)
	              : init_scope_to_graph(t, s, target, scope, dev, err);
	if (rc < 0)
		return rc;
	rt_tape_stop_enter(t);
	s->active = 1;
	unsigned fl = (s->lifted ? VS_EVF_LIFTED : 0) | (s->fallback ? VS_EVF_FALLBACK_GLOBAL : 0);
	RT_EMIT(VS_EV_INIT_SCOPE_ENTER, fl, sid,
	        .init_scope = {.ctx_kind = to_eager ? VS_CTX_EAGER : VS_CTX_GRAPH,
	                       .graph_id = target ? target->id : 0,
	                       .name_scope = rt_str_id(scope_with_slash(scope)),
	                       .cm = s->cm,
	                       .from_graph = g->id});
	return 0;
}

void rt_init_scope_exit(rt_tls *t, uint32_t sid, rt_init_scope *s)
{
	if (!s->active)
		return;
	s->active = 0;
	rt_tape_stop_exit(t);
	if (s->eager_fast) {
		RT_EMIT(VS_EV_INIT_SCOPE_EXIT, 0, sid, .init_scope = {.cm = s->cm});
		return;
	}
	if (s->pushed_eager) {
		t->eager_scope = s->old_ns;
		init_scope_restore_devs(s, &t->eager_devs);
		rt_switch_pop(t);
	} else if (s->pushed_graph) {
		init_scope_restore_devs(s, &s->graph_thread->devs);
		rt_vec_free(&s->graph_thread->ctl_ops);
		s->graph_thread->ctl_ops = s->saved_ctl;
		memset(&s->saved_ctl, 0, sizeof s->saved_ctl);
		s->graph_thread->cflow = s->old_cflow;
		s->graph_thread->name_stack = s->old_ns;
		if (t->gstack.n)
			t->gstack.n--;
		rt_switch_pop(t);
	}
	t->is_eager = s->old_eager;
	RT_EMIT(VS_EV_INIT_SCOPE_EXIT, 0, sid, .init_scope = {.cm = s->cm});
}

int vs_init_scope_at(vs_site site, vs_cm **out, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	vs_cm *cm = rt_cm_new(RT_CM_INIT_SCOPE);
	if (!cm)
		return vs_error_nomem(err);
	int rc = rt_init_scope_enter(t, sid, &cm->init_scope, err);
	if (rc < 0) {
		rt_cm_free(cm);
		return rc;
	}
	*out = cm;
	return 0;
}

/* ---- vs_exit ------------------------------------------------------------- */
static int cm_exit(rt_tls *t, uint32_t sid, vs_cm *cm, vs_error *err);

int vs_exit_at(vs_site site, vs_cm *cm, vs_error *err)
{
	if (!cm)
		return vs_error_set(err, VS_ERR_INVALID, "no context manager");
	rt_tls *t = rt_tls_model();
	if (!t) {
		rt_cm_free(cm);
		return vs_error_nomem(err);
	}
	uint32_t sid = rt_site_id(site);
	if (cm->exit_failed && cm->kind != RT_CM_VARSCOPE) {
		/* TF's generator context managers are finished once their exit
		 * raised: exiting them again does nothing */
		rt_cm_free(cm);
		return 0;
	}
	int rc = cm_exit(t, sid, cm, err);
	if (rc < 0) {
		/* TF leaves a context manager whose exit raised entered */
		cm->exit_failed = 1;
		return rc;
	}
	rt_cm_free(cm);
	return rc;
}

/* the exit of cm's kind; does not free cm */
static int cm_exit(rt_tls *t, uint32_t sid, vs_cm *cm, vs_error *err)
{
	int rc = 0;
	switch (cm->kind) {
	case RT_CM_GRAPH: rc = graph_exit(t, sid, cm, err); break;
	case RT_CM_EAGER:
		t->is_eager = cm->context.old_eager;
		rt_switch_pop(t);
		RT_EMIT(VS_EV_CTX_POP, 0, sid,
		        .ctx = {.ctx_kind = VS_CTX_EAGER,
		                .log_depth = (uint32_t)t->nsw,
		                .cm = cm->id});
		break;
	case RT_CM_GRAPH_MODE: {
		vs_graph *g = rt_graph_default(t);
		t->is_eager = cm->context.old_eager;
		RT_EMIT(VS_EV_CTX_POP, 0, sid,
		        .ctx = {.ctx_kind = VS_CTX_GRAPH_MODE,
		                .graph_id = g ? g->id : 0,
		                .log_depth = (uint32_t)t->nsw,
		                .cm = cm->id});
		break;
	}
	case RT_CM_INIT_SCOPE: rt_init_scope_exit(t, sid, &cm->init_scope); break;
	case RT_CM_CONTROL_DEPS:
		if (cm->control_deps.graph_thread && cm->control_deps.cleared) {
			rt_vec_free(&cm->control_deps.graph_thread->ctl_ops);
			cm->control_deps.graph_thread->ctl_ops = cm->control_deps.saved_ctl;
			memset(&cm->control_deps.saved_ctl, 0, sizeof cm->control_deps.saved_ctl);
		} else if (cm->control_deps.graph_thread) {
			cm->control_deps.graph_thread->ctl_ops.n = cm->control_deps.old_ctl;
		}
		if (cm->control_deps.graph_thread)
			cm->control_deps.graph_thread->cflow = cm->control_deps.old_cflow;
		RT_EMIT(VS_EV_CONTROL_DEPS_EXIT, 0, sid, .control_deps = {.cm = cm->id});
		break;
	case RT_CM_COND:
	case RT_CM_WHILE:
		cm->cflow.graph_thread->cflow = cm->cflow.old_cflow;
		RT_EMIT(VS_EV_CFLOW_EXIT, 0, sid,
		        .cflow = {.cflow_kind = cm->kind == RT_CM_COND ? VS_CFLOW_COND
		                                                       : VS_CFLOW_WHILE,
		                  .cm = cm->id});
		break;
	case RT_CM_TAPE:
		if (t->tapes)
			t->tapes--;
		RT_EMIT(VS_EV_TAPE_POP, 0, sid, .tape = {.tape_id = cm->tape.id, .cm = cm->id});
		break;
	case RT_CM_STOP_REC:
		rt_tape_stop_exit(t);
		RT_EMIT(VS_EV_TAPE_RESUME, 0, sid,
		        .tape_pause = {.stopped = (uint32_t)cm->stop_recording.stopped,
		                       .cm = cm->id});
		break;
	case RT_CM_NAME_SCOPE: rt_name_scope_exit(t, sid, &cm->name_scope); break;
	case RT_CM_VARSCOPE: rc = rt_varscope_exit(t, sid, &cm->varscope, err); break;
	case RT_CM_CREATOR: rc = rt_creator_scope_exit(t, sid, cm, err); break;
	case RT_CM_EAGER_STORE: rc = rt_eager_store_exit(t, sid, cm, err); break;
	case RT_CM_DEVICE: rt_device_exit(t, cm); break;
	}
	return rc;
}

const char *vs_cm_name(const vs_cm *cm)
{
	if (!cm)
		return NULL;
	if (cm->kind == RT_CM_NAME_SCOPE)
		return cm->name_scope.resolved;
	return NULL;
}

vs_varscope *vs_cm_varscope(const vs_cm *cm)
{
	return cm && cm->kind == RT_CM_VARSCOPE ? cm->varscope.pure.scope : NULL;
}
