/* SPDX-License-Identifier: MIT */
/*
 * checker/shadow.c - the shadow model (see shadow.h).
 *
 * State: per-thread stacks (variable scopes, contexts, creator scopes,
 * context managers of the control-deps/cond/tape/init_scope family, eager
 * stores, template calls, in-flight get_variable/creator/getter calls);
 * per-process tables (graphs, sites, templates, the variable store keyed by
 * (store id, key string id), and hashed name sets per graph).
 * Invariants: the shadow store never holds two variables under one
 * (store, key); a finding is derived only from events and this state;
 * after a LOST event the model no longer claims the trace inconsistent.
 * Strings are compared by id (a process interns each text once); only the
 * per-graph name sets hash texts (64-bit FNV-1a: a collision could make a
 * name look taken, with odds far below one in a billion per trace).
 */
#include "checker/shadow.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/map.h"
#include "store/schema.h"

/* ------------------------------------------------------------ stacks */

typedef struct stk {
	void *a;
	uint32_t n, cap;
} stk;

static void *stk_push(stk *s, size_t esz)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 8;
		void *a = realloc(s->a, cap * esz);
		if (!a)
			return NULL;
		s->a = a;
		s->cap = cap;
	}
	void *e = (char *)s->a + (size_t)s->n++ * esz;
	memset(e, 0, esz);
	return e;
}

#define STK_AT(s, T, i) (((T *)(s).a)[i])
#define STK_TOP(s, T) ((s).n ? &((T *)(s).a)[(s).n - 1] : NULL)

typedef struct vscope_frame {
	uint32_t scope_id, name, cm;
	uint32_t reuse;
	int diverged; /* its op name scope differs (children inherit the difference) */
	int captured; /* entered from a captured VariableScope object */
} vscope_frame;

typedef struct ctx_frame {
	uint32_t kind, graph, cm;
} ctx_frame;

enum { MISC_CDEPS = 1, MISC_CFLOW, MISC_INIT, MISC_TAPE, MISC_PAUSE, MISC_ESTORE };

typedef struct misc_frame {
	uint32_t type, cm, id;
	uint32_t saved_cdeps, saved_cflow, saved_tapes, saved_paused;
} misc_frame;

typedef struct tmpl_frame {
	uint32_t tmpl, index;
} tmpl_frame;

typedef struct getvar_frame {
	uint32_t call, req, key, shape, dtype, reuse, store, flags, site;
	int existed;
	uint64_t seq;
} getvar_frame;

typedef struct call_frame { /* creator or getter call */
	uint32_t call, depth, label, name;
} call_frame;

typedef struct direct_frame {
	uint32_t call;
} direct_frame;

typedef struct thr {
	uint32_t tid, parent_tid, parent_scope, parent_graph;
	int root_reuse, parent_root_reuse; /* reuse_variables() on the root scope */
	int parent_in_scope, parent_reusing; /* the parent's scope stack at the spawn */
	int ended;
	stk vscope, ctx, creators, misc, tmpl, getvar, ccall, gcall, direct;
	uint32_t cdeps, cflow, tapes, paused, estores;
	uint32_t err_num, err_msg;
	uint64_t err_seq;
} thr;

/* ------------------------------------------------------------ tables */

typedef struct graph_rec {
	uint32_t outer, flags, name;
} graph_rec;

typedef struct site_rec {
	uint32_t file, line, function;
} site_rec;

typedef struct var_rec {
	uint32_t var_id, key, name, shape, dtype, tid, site, tmpl, flags, graph;
	uint64_t seq;
} var_rec;

typedef struct tmpl_rec {
	uint32_t name, unique, calls, graph;
} tmpl_rec;

typedef struct name_rec { /* hashed names per graph */
	uint32_t kinds; /* NAME_KEY | NAME_DIRECT | NAME_PREFIX */
} name_rec;

enum { NAME_KEY = 1, NAME_DIRECT = 2, NAME_PREFIX = 4 };

struct vs_shadow {
	vs_shadow_resolve_fn resolve;
	void *rctx;
	vs_shadow_report_fn report;
	void *fctx;
	int quiet, lossy;
	int max_created;
	uint32_t global_graph;
	uint64_t events, last_seq;
	vs_check_map *threads;   /* tid -> thr */
	vs_check_map *graphs;    /* graph id -> graph_rec */
	vs_check_map *sites;     /* site id -> site_rec */
	vs_check_map *vars;      /* store << 32 | key str -> var_rec */
	vs_check_map *tmpls;     /* template id -> tmpl_rec */
	vs_check_map *uniques;   /* hash(graph, unique_name) -> template id */
	vs_check_map *names;     /* hash(graph, text) -> name_rec */
	char msg[1024];
	char path[1024];
};

/* ------------------------------------------------------------ helpers */

static const char *str(vs_shadow *s, uint32_t id)
{
	const char *t = id ? s->resolve(s->rctx, id) : NULL;
	return t ? t : "";
}

static uint64_t graph_text_hash(uint32_t graph, const char *a, size_t na, const char *b)
{
	uint64_t h = vs_check_hash(VS_CHECK_HASH0, &graph, sizeof graph);
	h = vs_check_hash(h, a, na);
	if (b)
		h = vs_check_hash(h, b, strlen(b));
	return h;
}

static void thr_release(thr *t)
{
	stk *all[] = {&t->vscope, &t->ctx, &t->creators, &t->misc, &t->tmpl,
	              &t->getvar, &t->ccall, &t->gcall, &t->direct};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]->a);
	memset(t, 0, sizeof *t);
}

static thr *thread_of(vs_shadow *s, uint32_t tid)
{
	int created = 0;
	thr *t = vs_check_map_put(s->threads, (uint64_t)tid + 1, &created);
	if (t && created)
		t->tid = tid;
	return t;
}

static const char *scope_path(vs_shadow *s, const thr *t)
{
	const vscope_frame *f = STK_TOP(t->vscope, vscope_frame);
	return f ? str(s, f->name) : "";
}

/* the event kind's upper-case name (the trace format's table: the checker
 * never calls libvs) */
static const char *kind_label(unsigned kind)
{
	const char *name = vs_db_kind_name(kind);
	return name ? name : "UNKNOWN";
}

static void emit(vs_shadow *s, vs_rule_id rule, const vs_event *ev, const thr *t,
                 const char *variable, const char *fmt, ...) VS_PRINTF(6, 7);

static void emit(vs_shadow *s, vs_rule_id rule, const vs_event *ev, const thr *t,
                 const char *variable, const char *fmt, ...)
{
	if (s->quiet || !s->report)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof s->msg, fmt, ap);
	va_end(ap);
	vs_shadow_finding f;
	memset(&f, 0, sizeof f);
	f.rule = rule;
	f.message = s->msg;
	const site_rec *site = ev->site ? vs_check_map_get(s->sites, ev->site) : NULL;
	if (site) {
		f.file = str(s, site->file);
		f.line = (int)site->line;
		f.function = str(s, site->function);
	}
	f.scope = t ? scope_path(s, t) : "";
	f.variable = variable && *variable ? variable : NULL;
	f.tid = ev->tid;
	f.seq = ev->seq;
	s->report(s->fctx, &f);
}

static void inconsistent(vs_shadow *s, const vs_event *ev, const thr *t, const char *what,
                         const char *name)
{
	if (s->lossy) /* after a gap the model cannot tell */
		return;
	emit(s, VS_RULE_TRACE_INCONSISTENT, ev, t, name, "%s event #%llu: %s '%s'",
	     kind_label(ev->kind), (unsigned long long)ev->seq, what, name ? name : "");
}

/* the site as "file:line" for messages */
static const char *site_text(vs_shadow *s, uint32_t site, char *buf, size_t n)
{
	const site_rec *r = site ? vs_check_map_get(s->sites, site) : NULL;
	if (!r)
		snprintf(buf, n, "an unknown place");
	else
		snprintf(buf, n, "%s:%u", str(s, r->file), r->line);
	return buf;
}

/* ------------------------------------------------------------ lifecycle */

vs_shadow *vs_shadow_new(vs_shadow_resolve_fn resolve, void *rctx, vs_shadow_report_fn report,
                         void *fctx)
{
	vs_shadow *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->resolve = resolve;
	s->rctx = rctx;
	s->report = report;
	s->fctx = fctx;
	s->max_created = 1;
	s->threads = vs_check_map_new(sizeof(thr));
	s->graphs = vs_check_map_new(sizeof(graph_rec));
	s->sites = vs_check_map_new(sizeof(site_rec));
	s->vars = vs_check_map_new(sizeof(var_rec));
	s->tmpls = vs_check_map_new(sizeof(tmpl_rec));
	s->uniques = vs_check_map_new(sizeof(uint32_t));
	s->names = vs_check_map_new(sizeof(name_rec));
	if (!s->threads || !s->graphs || !s->sites || !s->vars || !s->tmpls || !s->uniques ||
	    !s->names) {
		vs_shadow_free(s);
		return NULL;
	}
	return s;
}

static void drop_threads(vs_shadow *s)
{
	size_t pos = 0;
	thr *t;
	while ((t = vs_check_map_next(s->threads, &pos, NULL)))
		thr_release(t);
	vs_check_map_clear(s->threads);
}

void vs_shadow_free(vs_shadow *s)
{
	if (!s)
		return;
	if (s->threads)
		drop_threads(s);
	vs_check_map_free(s->threads);
	vs_check_map_free(s->graphs);
	vs_check_map_free(s->sites);
	vs_check_map_free(s->vars);
	vs_check_map_free(s->tmpls);
	vs_check_map_free(s->uniques);
	vs_check_map_free(s->names);
	free(s);
}

void vs_shadow_reset(vs_shadow *s)
{
	drop_threads(s);
	vs_check_map_clear(s->graphs);
	vs_check_map_clear(s->sites);
	vs_check_map_clear(s->vars);
	vs_check_map_clear(s->tmpls);
	vs_check_map_clear(s->uniques);
	vs_check_map_clear(s->names);
	s->global_graph = 0;
	s->lossy = 0;
	s->events = 0;
	s->last_seq = 0;
}

void vs_shadow_set_quiet(vs_shadow *s, int quiet)
{
	s->quiet = quiet;
}

void vs_shadow_set_max_created(vs_shadow *s, int n)
{
	s->max_created = n;
}

void vs_shadow_stats_get(const vs_shadow *s, vs_shadow_stats *out)
{
	out->events = s->events;
	out->threads = vs_check_map_count(s->threads);
	out->variables = vs_check_map_count(s->vars);
	out->templates = vs_check_map_count(s->tmpls);
	out->sites = vs_check_map_count(s->sites);
	out->graphs = vs_check_map_count(s->graphs);
}

/* ------------------------------------------------------------ names */

/* records name (and every '/'-prefix of it) in graph's name set */
static int names_add(vs_shadow *s, uint32_t graph, const char *name, unsigned kind)
{
	size_t n = strlen(name);
	for (size_t i = 0; i <= n; i++) {
		if (i < n && name[i] != '/')
			continue;
		name_rec *r = vs_check_map_put(s->names, graph_text_hash(graph, name, i, NULL), NULL);
		if (!r)
			return VS_ERR_NOMEM;
		r->kinds |= i == n ? kind : NAME_PREFIX;
	}
	return 0;
}

static const name_rec *names_get(vs_shadow *s, uint32_t graph, const char *a, const char *b)
{
	return vs_check_map_get(s->names, graph_text_hash(graph, a, strlen(a), b));
}

/* ------------------------------------------------------------ contexts */

/* pops frames of stack st down to and including the one with cm; returns
 * the number of frames above it (0 = proper nesting), -1 when absent */
static int pop_to_cm(stk *st, size_t esz, size_t cm_off, uint32_t cm)
{
	for (uint32_t i = st->n; i-- > 0;) {
		uint32_t c;
		memcpy(&c, (char *)st->a + i * esz + cm_off, sizeof c);
		if (c == cm) {
			int above = (int)(st->n - 1 - i);
			st->n = i;
			return above;
		}
	}
	return -1;
}

/* the MISC_* frame an enter or exit event kind opens or closes, 0 if none */
static uint32_t misc_type_of(uint32_t kind)
{
	switch (kind) {
	case VS_EV_INIT_SCOPE_ENTER:
	case VS_EV_INIT_SCOPE_EXIT: return MISC_INIT;
	case VS_EV_CONTROL_DEPS_ENTER:
	case VS_EV_CONTROL_DEPS_EXIT: return MISC_CDEPS;
	case VS_EV_CFLOW_ENTER:
	case VS_EV_CFLOW_EXIT: return MISC_CFLOW;
	case VS_EV_TAPE_PUSH:
	case VS_EV_TAPE_POP: return MISC_TAPE;
	case VS_EV_TAPE_PAUSE:
	case VS_EV_TAPE_RESUME: return MISC_PAUSE;
	case VS_EV_EAGER_STORE_ENTER:
	case VS_EV_EAGER_STORE_EXIT: return MISC_ESTORE;
	default: return 0;
	}
}

/* pushes a frame that saves the counters misc_pop restores */
static int misc_push(thr *t, uint32_t type, uint32_t cm, uint32_t id)
{
	misc_frame *f = stk_push(&t->misc, sizeof *f);
	if (!f)
		return VS_ERR_NOMEM;
	f->type = type;
	f->cm = cm;
	f->id = id;
	f->saved_cdeps = t->cdeps;
	f->saved_cflow = t->cflow;
	f->saved_tapes = t->tapes;
	f->saved_paused = t->paused;
	return 0;
}

static void misc_pop(thr *t, uint32_t type, uint32_t cm)
{
	for (uint32_t i = t->misc.n; i-- > 0;) {
		misc_frame *f = &STK_AT(t->misc, misc_frame, i);
		if (f->type != type || f->cm != cm)
			continue;
		t->cdeps = f->saved_cdeps;
		t->cflow = f->saved_cflow;
		t->tapes = f->saved_tapes;
		t->paused = f->saved_paused;
		if (type == MISC_ESTORE && t->estores)
			t->estores--;
		t->misc.n = i;
		return;
	}
}

static int has_graph_ctx(const thr *t)
{
	for (uint32_t i = 0; i < t->ctx.n; i++)
		if (STK_AT(t->ctx, ctx_frame, i).kind == VS_CTX_GRAPH)
			return 1;
	return 0;
}

/* the non-function graph a (function) graph is nested in */
static uint32_t outermost_graph(vs_shadow *s, uint32_t graph)
{
	for (int hops = 0; graph && hops < 64; hops++) {
		const graph_rec *g = vs_check_map_get(s->graphs, graph);
		if (!g || !(g->flags & VS_EVF_BUILDING_FUNCTION) || !g->outer)
			break;
		graph = g->outer;
	}
	return graph;
}

static const tmpl_frame *tmpl_top(const thr *t)
{
	return STK_TOP(t->tmpl, tmpl_frame);
}

/* ------------------------------------------------------------ events */

static int on_varscope_enter(vs_shadow *s, const vs_event *ev, thr *t)
{
	const char *full = str(s, ev->p[1]);
	const vscope_frame *parent = STK_TOP(t->vscope, vscope_frame);
	if (ev->p[2] == 1 /* FALSE */ && ev->p[3] == 2 /* TRUE */)
		emit(s, VS_RULE_REUSE_FALSE_NO_EFFECT, ev, t, NULL,
		     "reuse=False has no effect: variable scope '%s' reuses because %s", full,
		     ev->p[4] ? "the scope object it re-enters reuses"
		     : parent ? "its parent scope reuses"
		              : "reuse_variables() was called on the root scope");
	int diverged = parent && parent->diverged;
	if (ev->p[5] && !diverged) {
		const char *ns = str(s, ev->p[5]);
		size_t nf = strlen(full);
		if (!(strncmp(ns, full, nf) == 0 && ns[nf] == '/' && ns[nf + 1] == '\0')) {
			diverged = 1;
			/* templates re-enter their scope under a new name scope by design */
			if (!t->tmpl.n)
				emit(s, VS_RULE_OP_SCOPE_DIVERGES, ev, t, NULL,
				     "op name scope '%s' differs from variable scope '%s/'", ns, full);
		}
	}
	if ((ev->flags & VS_EVF_DEFAULT_NAME) && *full) {
		const name_rec *r = names_get(s, ev->graph, full, NULL);
		if (r && (r->kinds & NAME_PREFIX))
			emit(s, VS_RULE_DEFAULT_NAME_COLLISION, ev, t, NULL,
			     "default_name scope '%s' lands on a name that already holds variables", full);
	}
	/* a string sub-scope of a reusing scope must reuse */
	if (parent && parent->reuse == 2 && ev->p[4] == 0 && ev->p[3] != 2)
		inconsistent(s, ev, t, "scope does not inherit its parent's reuse=True", full);
	vscope_frame *f = stk_push(&t->vscope, sizeof *f);
	if (!f)
		return VS_ERR_NOMEM;
	f->scope_id = ev->p[6];
	f->name = ev->p[1];
	f->reuse = ev->p[3];
	f->cm = ev->p[7];
	f->diverged = diverged;
	f->captured = ev->p[4] != 0;
	return 0;
}

static void on_varscope_exit(vs_shadow *s, const vs_event *ev, thr *t)
{
	const vscope_frame *top = STK_TOP(t->vscope, vscope_frame);
	if (top && top->cm == ev->p[7]) {
		t->vscope.n--;
		return;
	}
	char inner[256];
	snprintf(inner, sizeof inner, "%s", top ? str(s, top->name) : "");
	int above = pop_to_cm(&t->vscope, sizeof(vscope_frame), offsetof(vscope_frame, cm), ev->p[7]);
	if (above < 0)
		inconsistent(s, ev, t, "exit of a variable scope that is not open", str(s, ev->p[1]));
	else
		emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL,
		     "Improper nesting of variable_scope. ('%s' exited while '%s' is still open)",
		     str(s, ev->p[1]), inner);
}

static void on_ctx_pop(vs_shadow *s, const vs_event *ev, thr *t)
{
	const ctx_frame *top = STK_TOP(t->ctx, ctx_frame);
	if (top && top->cm == ev->p[3]) {
		t->ctx.n--;
		return;
	}
	int above = pop_to_cm(&t->ctx, sizeof(ctx_frame), offsetof(ctx_frame, cm), ev->p[3]);
	if (above > 0)
		emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL,
		     "Nesting violated for default stack of %s objects",
		     ev->p[0] == VS_CTX_GRAPH ? "<class 'tensorflow.python.framework.ops.Graph'>"
		                              : "context");
}

/* the variable record for (store, key), or NULL */
static var_rec *store_get(vs_shadow *s, uint32_t store, uint32_t key)
{
	if (!store || !key)
		return NULL;
	return vs_check_map_get(s->vars, (uint64_t)store << 32 | key);
}

static int on_getvar_enter(vs_shadow *s, const vs_event *ev, thr *t)
{
	/* reuse=True raises E11 (reported at the exit) */
	if ((ev->flags & VS_EVF_EAGER) && !t->estores && !t->tmpl.n && ev->p[4] != 2)
		emit(s, VS_RULE_EAGER_NO_STORE, ev, t, str(s, ev->p[1]),
		     "get_variable('%s') in eager mode without an EagerVariableStore or template: "
		     "every call creates a new variable",
		     str(s, ev->p[0]));
	getvar_frame *f = stk_push(&t->getvar, sizeof *f);
	if (!f)
		return VS_ERR_NOMEM;
	f->call = ev->p[5];
	f->req = ev->p[0];
	f->key = ev->p[1];
	f->shape = ev->p[2];
	f->dtype = ev->p[3];
	f->reuse = ev->p[4];
	/* eager without an EagerVariableStore: every call creates (no sharing) */
	f->store = (ev->flags & VS_EVF_EAGER) && !t->estores && !t->tmpl.n ? 0 : ev->p[7];
	f->flags = ev->flags;
	f->site = ev->site;
	f->seq = ev->seq;
	f->existed = store_get(s, f->store, f->key) != NULL;
	return 0;
}

/* the in-flight get_variable with call id (popped into *out), 0 if none */
static int getvar_pop(thr *t, uint32_t call, getvar_frame *out)
{
	for (uint32_t i = t->getvar.n; i-- > 0;) {
		if (STK_AT(t->getvar, getvar_frame, i).call != call)
			continue;
		*out = STK_AT(t->getvar, getvar_frame, i);
		t->getvar.n = i;
		return 1;
	}
	return 0;
}

static void getvar_error(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                         const var_rec *existing)
{
	const char *key = str(s, g->key);
	const char *tfmsg = t->err_seq > g->seq ? str(s, t->err_msg) : "";
	uint32_t num = t->err_seq > g->seq ? t->err_num : 0;
	const tmpl_frame *tf = tmpl_top(t);
	char where[512];
	switch (num) {
	case 1:
		if (!g->existed && !(g->flags & VS_EVF_PARTITIONED))
			inconsistent(s, ev, t, "E1 raised but the store does not hold", key);
		if (existing && existing->site == g->site && existing->tid == ev->tid)
			emit(s, VS_RULE_MODEL_BUILT_TWICE, ev, t, key,
			     "the code that created '%s' runs again in the same graph (model built twice, or "
			     "a second call without reuse=True): %s", key,
			     *tfmsg ? tfmsg : "already exists");
		else
			emit(s, VS_RULE_VARIABLE_EXISTS, ev, t, key, "%s",
			     *tfmsg ? tfmsg
			            : "Variable already exists, disallowed. Did you mean to set reuse=True "
			              "or reuse=tf.AUTO_REUSE in VarScope?");
		if (existing && existing->tid != ev->tid)
			emit(s, VS_RULE_THREAD_NAME_COLLISION, ev, t, key,
			     "thread %u collides with thread %u on variable '%s' (created at %s)", ev->tid,
			     existing->tid, key, site_text(s, existing->site, where, sizeof where));
		break;
	case 2:
		if (g->existed && !(g->flags & VS_EVF_PARTITIONED))
			inconsistent(s, ev, t, "E2 raised but the store holds", key);
		if (tf && tf->index > 1)
			emit(s, VS_RULE_TEMPLATE_MISSING_VARIABLE, ev, t, key,
			     "call %u of a template gets '%s', which its first call never created: %s",
			     tf->index, key, tfmsg);
		else
			emit(s, VS_RULE_CREATE_IN_REUSE_SCOPE, ev, t, key, "%s", tfmsg);
		break;
	case 3:
		emit(s, VS_RULE_SHAPE_MISMATCH, ev, t, key, "%s", tfmsg);
		break;
	case 4:
		emit(s, VS_RULE_DTYPE_MISMATCH, ev, t, key, "%s", tfmsg);
		break;
	case 11:
		emit(s, VS_RULE_EAGER_NO_STORE, ev, t, key, "%s", tfmsg);
		break;
	default:
		break;
	}
}

/* a thread creating under its own root scope (its scope chain does not
 * start from a captured scope) although its parent thread was in a scope,
 * or had made its root scope reuse: the capture-and-re-enter idiom was
 * missed */
static void check_thread_root(vs_shadow *s, const vs_event *ev, thr *t, const char *key)
{
	if (!t->parent_tid)
		return;
	for (uint32_t i = 0; i < t->vscope.n; i++)
		if (STK_AT(t->vscope, vscope_frame, i).captured)
			return;
	const char *ps = str(s, t->parent_scope);
	if (*ps)
		emit(s, VS_RULE_THREAD_SCOPE_NOT_ENTERED, ev, t, key,
		     "thread %u creates '%s' under its own root scope while its parent thread was "
		     "in scope '%s'",
		     ev->tid, key, ps);
	else if (t->parent_in_scope)
		emit(s, VS_RULE_THREAD_SCOPE_NOT_ENTERED, ev, t, key,
		     "thread %u creates '%s' under its own root scope while its parent thread was "
		     "inside a re-entered root scope%s",
		     ev->tid, key, t->parent_reusing ? " that reuses" : "");
	else if (t->parent_root_reuse && !t->root_reuse)
		emit(s, VS_RULE_THREAD_SCOPE_NOT_ENTERED, ev, t, key,
		     "thread %u creates '%s' under its own non-reusing root scope while its parent "
		     "thread's root scope reuses",
		     ev->tid, key);
}

static int on_getvar_exit(vs_shadow *s, const vs_event *ev, thr *t)
{
	getvar_frame g;
	if (!getvar_pop(t, ev->p[5], &g)) {
		inconsistent(s, ev, t, "exit of a get_variable call that never started",
		             str(s, ev->p[1]));
		return 0;
	}
	const char *key = str(s, g.key);
	var_rec *existing = store_get(s, g.store, g.key);
	int checked = g.store && !(g.flags & VS_EVF_PARTITIONED);
	char where[512];
	switch (ev->p[3]) {
	case VS_OUT_ERROR:
		getvar_error(s, ev, t, &g, existing);
		if (t->err_seq > g.seq && t->err_num == 1)
			check_thread_root(s, ev, t, key);
		break;
	case VS_OUT_CREATED:
		if (checked && g.existed)
			inconsistent(s, ev, t, "recorded as created but the store already holds", key);
		else if (checked && g.reuse == 2)
			inconsistent(s, ev, t, "recorded as created under reuse=True", key);
		check_thread_root(s, ev, t, key);
		if (checked) { /* the store holds what the chain returned */
			var_rec *r = vs_check_map_put(s->vars, (uint64_t)g.store << 32 | g.key, NULL);
			if (!r)
				return VS_ERR_NOMEM;
			r->var_id = ev->p[2];
			r->key = g.key;
			r->tid = ev->tid;
			r->site = g.site;
			r->seq = ev->seq;
			r->shape = ev->p[6];
			r->dtype = ev->p[7];
		}
		break;
	case VS_OUT_REUSED:
		if (checked && !g.existed)
			inconsistent(s, ev, t, "recorded as reused but the store does not hold", key);
		else if (checked && g.reuse == 1)
			inconsistent(s, ev, t, "recorded as reused under reuse=False", key);
		if (existing && g.reuse == 3 && existing->site != g.site)
			emit(s, VS_RULE_AUTO_REUSE_OTHER_SITE, ev, t, key,
			     "AUTO_REUSE returns '%s', first created at %s", key,
			     site_text(s, existing->site, where, sizeof where));
		if (existing && g.reuse != 2 && existing->tid != ev->tid)
			emit(s, VS_RULE_THREAD_NAME_COLLISION, ev, t, key,
			     "thread %u silently shares variable '%s' created by thread %u at %s",
			     ev->tid, key, existing->tid,
			     site_text(s, existing->site, where, sizeof where));
		break;
	default:
		break;
	}
	return 0;
}

static int on_var_create(vs_shadow *s, const vs_event *ev, thr *t)
{
	const char *name = str(s, ev->p[1]);
	const char *key = str(s, ev->p[2]);
	uint32_t graph = ev->p[6], tmpl = ev->p[7];
	const tmpl_frame *tf = tmpl_top(t);
	const tmpl_rec *tr = tmpl ? vs_check_map_get(s->tmpls, tmpl) : NULL;
	const graph_rec *gr = graph ? vs_check_map_get(s->graphs, graph) : NULL;
	int direct = (ev->flags & VS_EVF_DIRECT) != 0;
	uint32_t index = tf && tf->tmpl == tmpl ? tf->index : (tr ? tr->calls : 0);

	if (tmpl && direct && (ev->flags & VS_EVF_TRAINABLE)) {
		if (index > 1)
			emit(s, VS_RULE_TEMPLATE_TRAINABLE_VARIABLE, ev, t, name,
			     "Trainable variable created when calling a template after the first time, "
			     "perhaps you used tf.Variable when you meant tf.get_variable: %s",
			     name);
		else
			emit(s, VS_RULE_TEMPLATE_TRAINABLE_VARIABLE, ev, t, name,
			     "trainable tf.Variable '%s' created inside template '%s': it is not shared, "
			     "and TensorFlow raises from the second call",
			     name, tr ? str(s, tr->name) : "?");
	} else if (tmpl && index > 1 && !(ev->flags & VS_EVF_TRAINABLE)) {
		emit(s, VS_RULE_TEMPLATE_LATE_VARIABLE, ev, t, name,
		     "non-trainable variable '%s' created by call %u of template '%s'", name, index,
		     tr ? str(s, tr->name) : "?");
	}
	if (gr && (gr->flags & VS_EVF_BUILDING_FUNCTION))
		emit(s, VS_RULE_FUNCTION_NOT_LIFTED, ev, t, name,
		     "variable '%s' created inside function graph '%s' without init_scope", name,
		     str(s, gr->name));
	if ((ev->flags & VS_EVF_IN_CONTROL_DEPS) || t->cdeps || t->cflow)
		emit(s, VS_RULE_CONTROL_DEPS_VARIABLE, ev, t, name,
		     "variable '%s' created under %s without init_scope", name,
		     t->cflow ? "cond/while_loop" : "control dependencies");
	if (t->tapes && !t->paused)
		emit(s, VS_RULE_TAPE_VARIABLE, ev, t, name,
		     "variable '%s' created while a gradient tape records", name);
	if (t->parent_graph && graph && graph != t->parent_graph && graph == s->global_graph &&
	    !has_graph_ctx(t))
		emit(s, VS_RULE_THREAD_GLOBAL_GRAPH, ev, t, name,
		     "thread %u creates '%s' in the global default graph, not in graph %u its parent "
		     "was building",
		     ev->tid, name, t->parent_graph);

	if (graph && ev->p[2] && !(ev->flags & VS_EVF_PARTITIONED)) {
		const name_rec *nr = names_get(s, graph, key, NULL);
		if (nr && (nr->kinds & NAME_DIRECT))
			emit(s, VS_RULE_DIRECT_VARIABLE_COLLISION, ev, t, key,
			     "get_variable key '%s' collides with a tf.Variable of the same name; "
			     "the variable is named '%s'",
			     key, name);
	}
	if (graph) {
		int rc = 0;
		if (ev->p[2])
			rc = names_add(s, graph, key, NAME_KEY);
		else if (direct) {
			size_t n = strlen(name);
			char buf[512];
			if (n >= 2 && strcmp(name + n - 2, ":0") == 0)
				n -= 2;
			if (n < sizeof buf) {
				memcpy(buf, name, n);
				buf[n] = '\0';
				rc = names_add(s, graph, buf, NAME_DIRECT);
			}
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int on_variable_enter(vs_shadow *s, const vs_event *ev, thr *t)
{
	const char *ns = str(s, ev->p[1]), *req = str(s, ev->p[0]);
	const name_rec *nr = ev->graph && *req ? names_get(s, ev->graph, ns, req) : NULL;
	if (nr && (nr->kinds & NAME_KEY)) {
		snprintf(s->path, sizeof s->path, "%s%s", ns, req);
		emit(s, VS_RULE_DIRECT_VARIABLE_COLLISION, ev, t, s->path,
		     "tf.Variable named '%s' collides with a get_variable key of the same name",
		     s->path);
	}
	direct_frame *f = stk_push(&t->direct, sizeof *f);
	if (!f)
		return VS_ERR_NOMEM;
	f->call = ev->p[5];
	return 0;
}

static int on_template_make(vs_shadow *s, const vs_event *ev, thr *t)
{
	tmpl_rec *r = vs_check_map_put(s->tmpls, ev->p[0], NULL);
	if (!r)
		return VS_ERR_NOMEM;
	r->name = ev->p[1];
	r->unique = ev->p[2];
	r->graph = ev->graph;
	if (!ev->p[2])
		return 0;
	const char *u = str(s, ev->p[2]);
	int created = 0;
	uint32_t *owner = vs_check_map_put(s->uniques, graph_text_hash(ev->graph, u, strlen(u), NULL),
	                                   &created);
	if (!owner)
		return VS_ERR_NOMEM;
	if (!created && *owner != ev->p[0]) {
		const tmpl_rec *o = vs_check_map_get(s->tmpls, *owner);
		emit(s, VS_RULE_TEMPLATE_UNIQUE_NAME, ev, t, NULL,
		     "template '%s' uses unique_name_ '%s' already used by template '%s'",
		     str(s, ev->p[1]), u, o ? str(s, o->name) : "?");
	} else {
		*owner = ev->p[0];
	}
	return 0;
}

static int on_template_call(vs_shadow *s, const vs_event *ev, thr *t)
{
	tmpl_rec *r = vs_check_map_get(s->tmpls, ev->p[0]);
	if (r) {
		if (ev->p[1] != r->calls + 1)
			inconsistent(s, ev, t, "template call index out of sequence for",
			             str(s, r->name));
		r->calls = ev->p[1];
	}
	tmpl_frame *f = stk_push(&t->tmpl, sizeof *f);
	if (!f)
		return VS_ERR_NOMEM;
	f->tmpl = ev->p[0];
	f->index = ev->p[1];
	return 0;
}

/* pops the innermost frame of (call, depth) and everything above it */
static void pop_call(stk *st, uint32_t call, uint32_t depth, call_frame *out)
{
	memset(out, 0, sizeof *out);
	for (uint32_t i = st->n; i-- > 0;)
		if (STK_AT(*st, call_frame, i).call == call && STK_AT(*st, call_frame, i).depth == depth) {
			*out = STK_AT(*st, call_frame, i);
			st->n = i;
			return;
		}
}

/* pushes the frame of a CREATOR_CALL or GETTER_CALL (same payload layout) */
static int push_call(stk *st, const vs_event *ev)
{
	call_frame *f = stk_push(st, sizeof *f);
	if (!f)
		return VS_ERR_NOMEM;
	f->call = ev->p[5];
	f->depth = ev->p[0];
	f->label = ev->p[1];
	f->name = ev->p[2];
	return 0;
}

static int on_creator_call(vs_shadow *s, const vs_event *ev, thr *t)
{
	return push_call(&t->ccall, ev);
}

static void on_creator_return(vs_shadow *s, const vs_event *ev, thr *t)
{
	call_frame c;
	pop_call(&t->ccall, ev->p[5], ev->p[0], &c);
	if (ev->p[1] && ev->p[6] != VS_OUT_ERROR && (ev->p[6] == VS_OUT_OTHER || !ev->p[2]))
		emit(s, VS_RULE_CREATOR_NO_VARIABLE, ev, t, str(s, c.name),
		     "variable creator '%s' returned no variable for '%s'", str(s, ev->p[1]),
		     str(s, c.name));
	if (ev->p[0] == 0 && ev->p[7] > (uint32_t)s->max_created)
		emit(s, VS_RULE_CREATOR_MULTIPLE, ev, t, str(s, c.name),
		     "one request for '%s' created %u variables", str(s, c.name), ev->p[7]);
}

static int on_getter_call(vs_shadow *s, const vs_event *ev, thr *t)
{
	const call_frame *outer = STK_TOP(t->gcall, call_frame);
	if (outer && outer->call == ev->p[5] && outer->label && outer->name != ev->p[2])
		emit(s, VS_RULE_GETTER_RENAMES, ev, t, str(s, outer->name),
		     "custom getter '%s' asked for '%s' but passed '%s' on", str(s, outer->label),
		     str(s, outer->name), str(s, ev->p[2]));
	return push_call(&t->gcall, ev);
}

static void on_getter_return(vs_shadow *s, const vs_event *ev, thr *t)
{
	call_frame c;
	(void)s;
	pop_call(&t->gcall, ev->p[5], ev->p[0], &c);
}

static int on_error(vs_shadow *s, const vs_event *ev, thr *t)
{
	t->err_num = ev->p[2];
	t->err_msg = ev->p[1];
	t->err_seq = ev->seq;
	if (ev->p[2] == 17 || ev->p[2] == 18 || ev->p[2] == 28)
		emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL, "%s", str(s, ev->p[1]));
	return 0;
}

/* init_scope, control_dependencies, control flow, tape push/pause, eager
 * store: push a frame (tapes and stores keep their id), then count */
static int on_misc_enter(vs_shadow *s, const vs_event *ev, thr *t)
{
	uint32_t type = misc_type_of(ev->kind);
	uint32_t id = type == MISC_TAPE || type == MISC_ESTORE ? ev->p[0] : 0;
	if (misc_push(t, type, ev->p[3], id) < 0)
		return VS_ERR_NOMEM;
	switch (type) {
	case MISC_INIT:
		t->cdeps = t->cflow = 0;
		t->paused++;
		if ((ev->flags & VS_EVF_FALLBACK_GLOBAL) && outermost_graph(s, ev->graph) != ev->p[1])
			emit(s, VS_RULE_INIT_SCOPE_FALLBACK, ev, t, NULL,
			     "init_scope found no outer context and fell back to the global default "
			     "graph %u, not graph %u the caller was building",
			     ev->p[1], outermost_graph(s, ev->graph));
		break;
	case MISC_CDEPS:
		if (ev->flags & VS_EVF_CLEARED)
			t->cdeps = 0;
		else if (ev->p[0])
			t->cdeps++;
		break;
	case MISC_CFLOW: t->cflow++; break;
	case MISC_TAPE: t->tapes++; break;
	case MISC_PAUSE: t->paused++; break;
	case MISC_ESTORE: t->estores++; break;
	}
	return 0;
}

int vs_shadow_apply(vs_shadow *s, const vs_event *ev)
{
	s->events++;
	s->last_seq = ev->seq;
	if (ev->kind == VS_EV_SITE) {
		site_rec *r = vs_check_map_put(s->sites, ev->p[0], NULL);
		if (!r)
			return VS_ERR_NOMEM;
		r->file = ev->p[1];
		r->line = ev->p[2];
		r->function = ev->p[3];
		return 0;
	}
	if (ev->kind == VS_EV_LOST) {
		uint64_t n = (uint64_t)ev->p[1] << 32 | ev->p[0];
		emit(s, VS_RULE_TRACE_LOSSY, ev, NULL, NULL,
		     "%llu events lost after event #%llu: later findings may be wrong",
		     (unsigned long long)n, (unsigned long long)ev->seq);
		s->lossy = 1;
		return 0;
	}
	thr *t = thread_of(s, ev->tid);
	if (!t)
		return VS_ERR_NOMEM;
	switch (ev->kind) {
	case VS_EV_THREAD_START: {
		t->parent_tid = ev->p[1];
		t->parent_scope = ev->p[2];
		t->parent_graph = ev->p[3];
		const thr *parent = ev->p[1] ? vs_check_map_get(s->threads, (uint64_t)ev->p[1] + 1) : NULL;
		t->parent_root_reuse = parent && parent->root_reuse;
		if (parent && parent->vscope.n) {
			const vscope_frame *top = STK_TOP(parent->vscope, vscope_frame);
			t->parent_in_scope = 1;
			t->parent_reusing = top->reuse == 2;
		}
		break;
	}
	case VS_EV_THREAD_END:
		thr_release(t);
		vs_check_map_del(s->threads, (uint64_t)ev->tid + 1);
		break;
	case VS_EV_GRAPH_CREATE: {
		graph_rec *g = vs_check_map_put(s->graphs, ev->p[0], NULL);
		if (!g)
			return VS_ERR_NOMEM;
		g->outer = ev->p[1];
		g->flags = ev->flags;
		g->name = ev->p[2];
		if (ev->flags & VS_EVF_GLOBAL_DEFAULT)
			s->global_graph = ev->p[0];
		break;
	}
	case VS_EV_RESET_GRAPH:
		s->global_graph = ev->p[1];
		break;
	case VS_EV_CTX_PUSH: {
		ctx_frame *f = stk_push(&t->ctx, sizeof *f);
		if (!f)
			return VS_ERR_NOMEM;
		f->kind = ev->p[0];
		f->graph = ev->p[1];
		f->cm = ev->p[3];
		break;
	}
	case VS_EV_CTX_POP:
		on_ctx_pop(s, ev, t);
		break;
	case VS_EV_INIT_SCOPE_ENTER:
	case VS_EV_CONTROL_DEPS_ENTER:
	case VS_EV_CFLOW_ENTER:
	case VS_EV_TAPE_PUSH:
	case VS_EV_TAPE_PAUSE:
	case VS_EV_EAGER_STORE_ENTER:
		return on_misc_enter(s, ev, t);
	case VS_EV_INIT_SCOPE_EXIT:
	case VS_EV_CONTROL_DEPS_EXIT:
	case VS_EV_CFLOW_EXIT:
	case VS_EV_TAPE_POP:
	case VS_EV_TAPE_RESUME:
	case VS_EV_EAGER_STORE_EXIT:
		misc_pop(t, misc_type_of(ev->kind), ev->p[3]);
		break;
	case VS_EV_VARSCOPE_ENTER:
		return on_varscope_enter(s, ev, t);
	case VS_EV_VARSCOPE_EXIT:
		on_varscope_exit(s, ev, t);
		break;
	case VS_EV_REUSE_VARIABLES: {
		if (ev->flags & VS_EVF_ROOT_SCOPE) {
			t->root_reuse = 1;
			emit(s, VS_RULE_ROOT_REUSE_VARIABLES, ev, t, NULL,
			     "reuse_variables() on the root variable scope: every later scope of thread "
			     "%u reuses",
			     ev->tid);
		}
		vscope_frame *top = STK_TOP(t->vscope, vscope_frame);
		if (top && top->scope_id == ev->p[0])
			top->reuse = 2;
		break;
	}
	case VS_EV_CREATOR_SCOPE_ENTER: {
		uint32_t *cm = stk_push(&t->creators, sizeof *cm);
		if (!cm)
			return VS_ERR_NOMEM;
		*cm = ev->p[3];
		break;
	}
	case VS_EV_CREATOR_SCOPE_EXIT:
		if (t->creators.n && STK_AT(t->creators, uint32_t, t->creators.n - 1) == ev->p[3])
			t->creators.n--;
		else if (pop_to_cm(&t->creators, sizeof(uint32_t), 0, ev->p[3]) > 0)
			emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL,
			     "Exiting variable_creator_scope without proper nesting.");
		break;
	case VS_EV_CREATOR_CALL:
		return on_creator_call(s, ev, t);
	case VS_EV_CREATOR_RETURN:
		on_creator_return(s, ev, t);
		break;
	case VS_EV_GETTER_CALL:
		return on_getter_call(s, ev, t);
	case VS_EV_GETTER_RETURN:
		on_getter_return(s, ev, t);
		break;
	case VS_EV_GETVAR_ENTER:
		return on_getvar_enter(s, ev, t);
	case VS_EV_GETVAR_EXIT:
		return on_getvar_exit(s, ev, t);
	case VS_EV_VARIABLE_ENTER:
		return on_variable_enter(s, ev, t);
	case VS_EV_VARIABLE_EXIT:
		for (uint32_t i = t->direct.n; i-- > 0;)
			if (STK_AT(t->direct, direct_frame, i).call == ev->p[5]) {
				t->direct.n = i;
				break;
			}
		break;
	case VS_EV_VAR_CREATE:
		return on_var_create(s, ev, t);
	case VS_EV_TEMPLATE_MAKE:
		return on_template_make(s, ev, t);
	case VS_EV_TEMPLATE_CALL_ENTER:
		return on_template_call(s, ev, t);
	case VS_EV_TEMPLATE_CALL_EXIT:
		for (uint32_t i = t->tmpl.n; i-- > 0;)
			if (STK_AT(t->tmpl, tmpl_frame, i).tmpl == ev->p[0] &&
			    STK_AT(t->tmpl, tmpl_frame, i).index == ev->p[1]) {
				t->tmpl.n = i;
				break;
			}
		break;
	case VS_EV_ERROR:
		return on_error(s, ev, t);
	default:
		break;
	}
	return 0;
}

void vs_shadow_finish(vs_shadow *s, int truncated)
{
	size_t pos = 0;
	thr *t;
	if (truncated)
		return;
	while ((t = vs_check_map_next(s->threads, &pos, NULL))) {
		const vscope_frame *top = STK_TOP(t->vscope, vscope_frame);
		if (!top)
			continue;
		vs_event ev;
		memset(&ev, 0, sizeof ev);
		ev.kind = VS_EV_PROCESS_END;
		ev.tid = t->tid;
		ev.seq = s->last_seq;
		inconsistent(s, &ev, t, "the process ended with a variable scope still open",
		             str(s, top->name));
	}
}
