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
 * Events reach their handler through one table indexed by kind (the end of
 * this file); payload words are read by name only (vs/event.h).
 */
#include "checker/shadow.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/map.h"
#include "vs/internal/util.h"

/* ------------------------------------------------------------ stacks */

typedef struct stk {
	void *a;
	uint32_t n;
	size_t cap;
} stk;

/* room for a new top frame of esz bytes (uninitialised), NULL on OOM (the
 * stack is untyped, so this calls VS_GROW's helper itself) */
static inline void *stk_add(stk *s, size_t esz)
{
	if (s->n >= s->cap && vs_grow_(&s->a, &s->cap, (size_t)s->n + 1, esz) < 0)
		return NULL;
	return (char *)s->a + (size_t)s->n++ * esz;
}

/* a zeroed new top frame, NULL on OOM */
static void *stk_push(stk *s, size_t esz)
{
	void *e = stk_add(s, esz);
	if (e)
		memset(e, 0, esz);
	return e;
}

/* pushes a copy of the esz bytes at val: 0, or VS_ERR_NOMEM */
static inline int stk_push_copy(stk *s, const void *val, size_t esz, vs_error *err)
{
	void *e = stk_add(s, esz);
	if (!e)
		return vs_error_nomem(err);
	memcpy(e, val, esz);
	return 0;
}

#define STK_AT(s, T, i) (((T *)(s).a)[i])
#define STK_TOP(s, T) ((s).n ? &((T *)(s).a)[(s).n - 1] : NULL)

/* how a scope came to reuse (for "reuse leaked in from ..." messages) */
enum { REUSE_NONE = 0, REUSE_ASKED, REUSE_CAPTURED, REUSE_SWITCHED, REUSE_ROOT };

typedef struct vscope_frame {
	uint32_t scope_id, name, cm;
	uint32_t reuse;
	uint32_t site;        /* where the scope was entered */
	uint32_t requested;   /* the name or default_name asked for (str) */
	uint32_t reuse_site;  /* the call that made it reuse (0: it does not) */
	uint32_t reuse_name;  /* the scope that asked for it (str), 0 for the root */
	uint8_t reuse_how;    /* REUSE_* */
	uint8_t default_name; /* entered by default_name (uniquified) */
	uint8_t reported;     /* a reuse-intent finding was already given for it */
	int diverged;         /* its op name scope differs (children inherit the difference) */
	int captured;         /* entered from a captured VariableScope object */
} vscope_frame;

/* a default-named scope's origin, kept for its re-entries (default_origin) */
typedef struct dscope_rec {
	uint32_t requested, reuse_site, reuse_name;
	uint8_t reuse_how;
} dscope_rec;

/* an active variable_creator_scope: its context manager and creator label */
typedef struct creator_frame {
	uint32_t cm, label;
} creator_frame;

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
	uint64_t seq;
} tmpl_frame;

typedef struct getvar_frame {
	uint32_t call, req, key, shape, dtype, reuse, store, flags, site, graph;
	uint32_t true_calls; /* lookups by the true getter (custom getters may rename) */
	int existed;
	uint64_t seq;
} getvar_frame;

typedef struct call_frame { /* creator or getter call */
	uint32_t call, depth, label, name;
} call_frame;

typedef struct direct_frame {
	uint32_t call;
	int cflow_reported; /* VS302 given at its VARIABLE_ENTER */
	uint64_t seq;
} direct_frame;

typedef struct thr {
	uint32_t tid, parent_tid, parent_scope, parent_graph;
	int root_reuse, parent_root_reuse;   /* reuse_variables() on the root scope */
	uint32_t root_reuse_site;            /* where reuse_variables() switched the root */
	int parent_in_scope, parent_reusing; /* the parent's scope stack at the spawn */
	int ended;
	stk vscope, ctx, creators, misc, tmpl, getvar, ccall, gcall, direct;
	uint32_t cdeps, cflow, tapes, paused, estores;
	uint32_t err_num, err_msg;
	uint64_t err_seq;
	int named; /* its first call site is in thread_sites */
} thr;

/* ------------------------------------------------------------ tables */

typedef struct graph_rec {
	uint32_t outer, flags, name;
	uint32_t retrace; /* a function graph traced again under an earlier trace's name */
} graph_rec;

typedef struct site_rec {
	uint32_t file, line, function;
	uint32_t created_key; /* the first store key a get_variable here created (str) */
	uint32_t direct_name; /* the first variable a tf.Variable here created (str) */
	uint32_t place;       /* the first site id at this file, line and function:
	                       * a site also names its call stack, and per-place
	                       * facts (created_key, direct_name) live on the place */
} site_rec;

/* the variable-scope entry sites of a creation, outermost first: the
 * "call stack" the trace has, compared between two builds (VS113) */
#define CHAIN_MAX 8

typedef struct var_rec {
	uint32_t var_id, key, name, shape, dtype, tid, site, tmpl, flags, graph;
	uint32_t creators; /* hash of the active creator labels (a set) */
	uint32_t chain[CHAIN_MAX];
	uint32_t nchain;
	uint64_t seq;
} var_rec;

typedef struct tmpl_rec {
	uint32_t name, unique, calls, graph;
} tmpl_rec;

typedef struct name_rec { /* hashed names per graph */
	uint32_t kinds;   /* NAME_KEY | NAME_DIRECT | NAME_PREFIX */
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
	vs_check_map *threads;      /* tid -> thr */
	vs_check_map *graphs;       /* graph id -> graph_rec */
	vs_check_map *sites;        /* site id -> site_rec */
	vs_check_map *places;       /* hash(file, line, function) -> first site id */
	vs_check_map *vars;         /* store << 32 | key str -> var_rec */
	vs_check_map *tmpls;        /* template id -> tmpl_rec */
	vs_check_map *uniques;      /* hash(graph, unique_name) -> template id */
	vs_check_map *names;        /* hash(graph, text) -> name_rec */
	vs_check_map *bykey;        /* hash(store, key text) -> key str id */
	vs_check_map *traces;       /* hash(outer graph, function name) -> first graph id */
	vs_check_map *tmpl_sites;   /* hash(graph, site, name) -> first template id */
	vs_check_map *thread_sites; /* tid + 1 -> its first call site (kept after its end) */
	vs_check_map *dscopes;      /* scope id -> dscope_rec (made by default_name) */
	uint32_t finding_tid;       /* the thread and event of the last finding */
	uint64_t finding_seq;
	char msg[1024];
	char path[1024];
	uint32_t other_site;                  /* related site of the next emit (then cleared) */
	vs_shadow_thread_name_fn thread_name; /* NULL: threads are numbers */
	void *nctx;
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
	stk *all[] = {&t->vscope, &t->ctx,   &t->creators, &t->misc,  &t->tmpl,
	              &t->getvar, &t->ccall, &t->gcall,    &t->direct};
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

/* "thread 'worker'" (a scenario thread, see vs_shadow_set_thread_names) or
 * "thread 3", into buf */
static const char *thread_label(vs_shadow *s, uint32_t tid, char *buf, size_t cap)
{
	const uint32_t *site = vs_check_map_get(s->thread_sites, (uint64_t)tid + 1);
	char name[64];
	if (site && s->thread_name && s->thread_name(s->nctx, *site, name, sizeof name))
		snprintf(buf, cap, "thread '%s'", name);
	else
		snprintf(buf, cap, "thread %u", tid);
	return buf;
}

/* remembers t's first call site, the source of its name (thread_label) */
static int note_thread_site(vs_shadow *s, thr *t, uint32_t site, vs_error *err)
{
	int created = 0;
	uint32_t *v = vs_check_map_put(s->thread_sites, (uint64_t)t->tid + 1, &created);
	if (!v)
		return vs_error_nomem(err);
	if (created)
		*v = site;
	t->named = 1;
	return 0;
}

void vs_shadow_set_thread_names(vs_shadow *s, vs_shadow_thread_name_fn fn, void *ctx)
{
	s->thread_name = fn;
	s->nctx = ctx;
}

static const char *scope_path(vs_shadow *s, const thr *t)
{
	const vscope_frame *f = STK_TOP(t->vscope, vscope_frame);
	return f ? str(s, f->name) : "";
}

/* the event kind's upper-case name, from the one kind list (event.h) */
static const char *kind_label(unsigned kind)
{
#define KIND_NAME_(name, num, member) [num] = #name,
	static const char *const names[VS_EV__COUNT] = {VS_EV_KIND_LIST(KIND_NAME_)};
#undef KIND_NAME_
	const char *name = kind < VS_EV__COUNT ? names[kind] : NULL;
	return name ? name : "UNKNOWN";
}

/* reports a finding of rule triggered by ev, located at call site `at` */
static void vemit(vs_shadow *s, vs_rule_id rule, const vs_event *ev, uint32_t at, const thr *t,
                  const char *variable, const char *fmt, va_list ap) VS_PRINTF(7, 0);

static void vemit(vs_shadow *s, vs_rule_id rule, const vs_event *ev, uint32_t at, const thr *t,
                  const char *variable, const char *fmt, va_list ap)
{
	if (s->quiet || !s->report)
		return;
	vsnprintf(s->msg, sizeof s->msg, fmt, ap);
	vs_shadow_finding f;
	memset(&f, 0, sizeof f);
	f.rule = rule;
	f.message = s->msg;
	const site_rec *site = at ? vs_check_map_get(s->sites, at) : NULL;
	if (site) {
		f.file = str(s, site->file);
		f.line = (int)site->line;
		f.function = str(s, site->function);
	}
	f.scope = t ? scope_path(s, t) : "";
	f.variable = variable && *variable ? variable : NULL;
	f.tid = ev->tid;
	f.seq = ev->seq;
	f.site = ev->site;
	f.relocated = at && at != ev->site;
	f.other_site = s->other_site;
	s->other_site = 0;
	s->finding_tid = ev->tid;
	s->finding_seq = ev->seq;
	s->report(s->fctx, &f);
}

static void emit(vs_shadow *s, vs_rule_id rule, const vs_event *ev, const thr *t,
                 const char *variable, const char *fmt, ...) VS_PRINTF(6, 7);

/* a finding at the event's own call site */
static void emit(vs_shadow *s, vs_rule_id rule, const vs_event *ev, const thr *t,
                 const char *variable, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(s, rule, ev, ev->site, t, variable, fmt, ap);
	va_end(ap);
}

static void emit_at(vs_shadow *s, vs_rule_id rule, const vs_event *ev, uint32_t at, const thr *t,
                    const char *variable, const char *fmt, ...) VS_PRINTF(7, 8);

/* a finding located at another call site than the event's (the cause) */
static void emit_at(vs_shadow *s, vs_rule_id rule, const vs_event *ev, uint32_t at, const thr *t,
                    const char *variable, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(s, rule, ev, at ? at : ev->site, t, variable, fmt, ap);
	va_end(ap);
}

/* emit() with a related site: the creating call of the variable concerned */
#define emit_related(s, other, ...) ((s)->other_site = (other), emit((s), __VA_ARGS__))

static void inconsistent(vs_shadow *s, const vs_event *ev, const thr *t, const char *what,
                         const char *name)
{
	if (s->lossy) /* after a gap the model cannot tell */
		return;
	emit(s, VS_RULE_TRACE_INCONSISTENT, ev, t, name, "%s event #%llu: %s '%s'",
	     kind_label(ev->kind), (unsigned long long)ev->seq, what, name ? name : "");
}

/* Two call sites are the same place in the code when their file, line and
 * function are: a site id also names the call stack it was reached through
 * (vs/event.h, SITE), so one source line has a site per call path. */
static int same_place(vs_shadow *s, uint32_t a, uint32_t b)
{
	if (a == b)
		return 1;
	const site_rec *x = a ? vs_check_map_get(s->sites, a) : NULL;
	const site_rec *y = b ? vs_check_map_get(s->sites, b) : NULL;
	return x && y && x->place == y->place;
}

/* the place id of site (its first site id at the same file, line, function) */
static uint32_t place_of(vs_shadow *s, uint32_t site)
{
	const site_rec *r = site ? vs_check_map_get(s->sites, site) : NULL;
	return r ? r->place : site;
}

/* the record of the place of site (where per-place facts are kept) */
static site_rec *place_rec(vs_shadow *s, uint32_t site)
{
	site_rec *r = site ? vs_check_map_get(s->sites, site) : NULL;
	return r && r->place != site ? vs_check_map_get(s->sites, r->place) : r;
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
	s->places = vs_check_map_new(sizeof(uint32_t));
	s->vars = vs_check_map_new(sizeof(var_rec));
	s->tmpls = vs_check_map_new(sizeof(tmpl_rec));
	s->uniques = vs_check_map_new(sizeof(uint32_t));
	s->names = vs_check_map_new(sizeof(name_rec));
	s->bykey = vs_check_map_new(sizeof(uint32_t));
	s->traces = vs_check_map_new(sizeof(uint32_t));
	s->tmpl_sites = vs_check_map_new(sizeof(uint32_t));
	s->dscopes = vs_check_map_new(sizeof(dscope_rec));
	s->thread_sites = vs_check_map_new(sizeof(uint32_t));
	if (!s->threads || !s->graphs || !s->sites || !s->places || !s->vars || !s->tmpls ||
	    !s->uniques || !s->names || !s->bykey || !s->traces || !s->tmpl_sites || !s->dscopes ||
	    !s->thread_sites) {
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
	vs_check_map_free(s->places);
	vs_check_map_free(s->vars);
	vs_check_map_free(s->tmpls);
	vs_check_map_free(s->uniques);
	vs_check_map_free(s->names);
	vs_check_map_free(s->bykey);
	vs_check_map_free(s->traces);
	vs_check_map_free(s->tmpl_sites);
	vs_check_map_free(s->dscopes);
	vs_check_map_free(s->thread_sites);
	free(s);
}

void vs_shadow_reset(vs_shadow *s)
{
	drop_threads(s);
	vs_check_map_clear(s->graphs);
	vs_check_map_clear(s->sites);
	vs_check_map_clear(s->places);
	vs_check_map_clear(s->vars);
	vs_check_map_clear(s->tmpls);
	vs_check_map_clear(s->uniques);
	vs_check_map_clear(s->names);
	vs_check_map_clear(s->bykey);
	vs_check_map_clear(s->traces);
	vs_check_map_clear(s->tmpl_sites);
	vs_check_map_clear(s->dscopes);
	vs_check_map_clear(s->thread_sites);
	s->global_graph = 0;
	s->lossy = 0;
	s->events = 0;
	s->last_seq = 0;
}

void vs_shadow_set_quiet(vs_shadow *s, int quiet) { s->quiet = quiet; }

void vs_shadow_set_max_created(vs_shadow *s, int n) { s->max_created = n; }

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
static int names_add(vs_shadow *s, uint32_t graph, const char *name, unsigned kind, vs_error *err)
{
	size_t n = strlen(name);
	for (size_t i = 0; i <= n; i++) {
		if (i < n && name[i] != '/')
			continue;
		name_rec *r = vs_check_map_put(s->names, graph_text_hash(graph, name, i, NULL),
		                               NULL);
		if (!r)
			return vs_error_nomem(err);
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

/* the MISC_* frame an enter or exit event opens or closes, with its
 * context manager id in *cm; only those kinds are routed here */
static uint32_t misc_frame_of(const vs_event *ev, uint32_t *cm)
{
	switch (ev->kind) {
	case VS_EV_INIT_SCOPE_ENTER:
	case VS_EV_INIT_SCOPE_EXIT: *cm = ev->init_scope.cm; return MISC_INIT;
	case VS_EV_CONTROL_DEPS_ENTER:
	case VS_EV_CONTROL_DEPS_EXIT: *cm = ev->control_deps.cm; return MISC_CDEPS;
	case VS_EV_CFLOW_ENTER:
	case VS_EV_CFLOW_EXIT: *cm = ev->cflow.cm; return MISC_CFLOW;
	case VS_EV_TAPE_PUSH:
	case VS_EV_TAPE_POP: *cm = ev->tape.cm; return MISC_TAPE;
	case VS_EV_TAPE_PAUSE:
	case VS_EV_TAPE_RESUME: *cm = ev->tape_pause.cm; return MISC_PAUSE;
	case VS_EV_EAGER_STORE_ENTER:
	case VS_EV_EAGER_STORE_EXIT: *cm = ev->eager_store.cm; return MISC_ESTORE;
	default: VS_BUG("event kind %u opens no context-manager frame", (unsigned)ev->kind);
	}
}

/* pushes a frame that saves the counters misc_pop restores */
static int misc_push(thr *t, uint32_t type, uint32_t cm, uint32_t id, vs_error *err)
{
	misc_frame *f = stk_push(&t->misc, sizeof *f);
	if (!f)
		return vs_error_nomem(err);
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

static const tmpl_frame *tmpl_top(const thr *t) { return STK_TOP(t->tmpl, tmpl_frame); }

/* ------------------------------------------------------------ events
 *
 * One handler per event kind, all of type handler_fn (the dispatch table
 * at the end).  t is the event's thread (NULL for the process-level kinds
 * SITE and LOST).  A handler returns 0 or a negative vs_err (only out of
 * memory: events never make the model fail).
 */

typedef int (*handler_fn)(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err);

static int on_site(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)t;
	const uint32_t at[3] = {ev->site_def.file, ev->site_def.line, ev->site_def.function};
	int created = 0;
	uint32_t *place = vs_check_map_put(s->places, vs_check_hash(VS_CHECK_HASH0, at, sizeof at),
	                                   &created);
	if (!place)
		return vs_error_nomem(err);
	if (created)
		*place = ev->site_def.site_id;
	site_rec *r = vs_check_map_put(s->sites, ev->site_def.site_id, NULL);
	if (!r)
		return vs_error_nomem(err);
	*r = (site_rec){at[0], at[1], at[2], 0, 0, *place};
	return 0;
}

static int on_lost(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)t;
	(void)err;
	uint64_t n = (uint64_t)ev->lost.count_hi << 32 | ev->lost.count_lo;
	emit(s, VS_RULE_TRACE_LOSSY, ev, NULL, NULL,
	     "%llu events lost after event #%llu: later findings may be wrong",
	     (unsigned long long)n, (unsigned long long)ev->seq);
	s->lossy = 1;
	return 0;
}

static int on_thread_start(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	uint32_t ptid = ev->thread_start.parent_tid;
	t->parent_tid = ptid;
	t->parent_scope = ev->thread_start.parent_scope;
	t->parent_graph = ev->thread_start.parent_graph;
	const thr *parent = ptid ? vs_check_map_get(s->threads, (uint64_t)ptid + 1) : NULL;
	t->parent_root_reuse = parent && parent->root_reuse;
	if (parent && parent->vscope.n) {
		const vscope_frame *top = STK_TOP(parent->vscope, vscope_frame);
		t->parent_in_scope = 1;
		t->parent_reusing = top->reuse == VS_REUSE_TRUE;
	}
	return 0;
}

static int on_thread_end(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	thr_release(t);
	vs_check_map_del(s->threads, (uint64_t)ev->tid + 1);
	return 0;
}

static int on_graph_create(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)t;
	graph_rec *g = vs_check_map_put(s->graphs, ev->graph_create.graph_id, NULL);
	if (!g)
		return vs_error_nomem(err);
	g->outer = ev->graph_create.outer_graph;
	g->flags = ev->flags;
	g->name = ev->graph_create.name;
	g->retrace = 0;
	if (ev->flags & VS_EVF_GLOBAL_DEFAULT)
		s->global_graph = ev->graph_create.graph_id;
	if (!(ev->flags & VS_EVF_BUILDING_FUNCTION) || !g->name)
		return 0;
	/* a function graph named like an earlier one in the same outer context
	 * is the same function traced again */
	const char *name = str(s, g->name);
	int created = 0;
	uint32_t *first = vs_check_map_put(s->traces,
	                                   graph_text_hash(g->outer, name, strlen(name), NULL),
	                                   &created);
	if (!first)
		return vs_error_nomem(err);
	if (created)
		*first = ev->graph_create.graph_id;
	else
		g->retrace = *first;
	return 0;
}

static int on_reset_graph(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)t;
	(void)err;
	s->global_graph = ev->reset_graph.new_graph;
	return 0;
}

static int on_ctx_push(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)s;
	const ctx_frame f = {ev->ctx.ctx_kind, ev->ctx.graph_id, ev->ctx.cm};
	return stk_push_copy(&t->ctx, &f, sizeof f, err);
}

static int on_ctx_pop(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	const ctx_frame *top = STK_TOP(t->ctx, ctx_frame);
	/* TF's default-graph stack checks the graph on top, not which
	 * as_default() pushed it: a failed variable_scope exit leaves its graph
	 * in a finally while an inner scope's entry of the same graph is on top,
	 * and that pop succeeds (docs/semantics.md 3.4; the runtime does the
	 * same, tracer/context.c rt_graph_pop) */
	if (ev->ctx.ctx_kind == VS_CTX_GRAPH && top && top->kind == VS_CTX_GRAPH &&
	    top->graph == ev->ctx.graph_id) {
		t->ctx.n--;
		return 0;
	}
	int above = pop_to_cm(&t->ctx, sizeof(ctx_frame), offsetof(ctx_frame, cm), ev->ctx.cm);
	if (above > 0)
		emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL,
		     "Nesting violated for default stack of %s objects",
		     ev->ctx.ctx_kind == VS_CTX_GRAPH
		             ? "<class 'tensorflow.python.framework.ops.Graph'>"
		             : "context");
	return 0;
}

/* init_scope, control_dependencies, control flow, tape push/pause, eager
 * store: push a frame (tapes and stores keep their id), then count */
static int on_misc_enter(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	uint32_t cm;
	uint32_t type = misc_frame_of(ev, &cm);
	uint32_t id = type == MISC_TAPE     ? ev->tape.tape_id
	              : type == MISC_ESTORE ? ev->eager_store.store_id
	                                    : 0;
	int rc = misc_push(t, type, cm, id, err);
	if (rc < 0)
		return rc;
	switch (type) {
	case MISC_INIT: {
		/* the event's graph is the one lifted to; the caller's is from_graph */
		uint32_t lifted_to = ev->init_scope.graph_id;
		uint32_t from = ev->init_scope.from_graph ? ev->init_scope.from_graph : ev->graph;
		t->cdeps = t->cflow = 0;
		t->paused++;
		if ((ev->flags & VS_EVF_FALLBACK_GLOBAL) && outermost_graph(s, from) != lifted_to)
			emit(s, VS_RULE_INIT_SCOPE_FALLBACK, ev, t, NULL,
			     "init_scope found no outer context and fell back to the global "
			     "default "
			     "graph %u, not graph %u the caller was building",
			     lifted_to, outermost_graph(s, from));
		break;
	}
	case MISC_CDEPS:
		if (ev->flags & VS_EVF_CLEARED)
			t->cdeps = 0;
		else if (ev->control_deps.n_inputs)
			t->cdeps++;
		break;
	case MISC_CFLOW: t->cflow++; break;
	case MISC_TAPE: t->tapes++; break;
	case MISC_PAUSE: t->paused++; break;
	case MISC_ESTORE: t->estores++; break;
	default: VS_BUG("unknown frame type %u", type);
	}
	return 0;
}

static int on_misc_exit(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)s;
	(void)err;
	uint32_t cm;
	uint32_t type = misc_frame_of(ev, &cm);
	misc_pop(t, type, cm);
	return 0;
}

static void report_reuse_false(vs_shadow *s, const vs_event *ev, const thr *t,
                               const vscope_frame *parent, const char *full)
{
	emit(s, VS_RULE_REUSE_FALSE_NO_EFFECT, ev, t, NULL,
	     "reuse=False has no effect: variable scope '%s' reuses because %s", full,
	     ev->varscope.captured_scope ? "the scope object it re-enters reuses"
	     : parent                    ? "its parent scope reuses"
	                                 : "reuse_variables() was called on the root scope");
}

/* whether the scope's op name scope differs from its variable scope (a
 * difference is inherited by sub-scopes); reports the first one */
static int scope_diverges(vs_shadow *s, const vs_event *ev, const thr *t,
                          const vscope_frame *parent, const char *full)
{
	if (parent && parent->diverged)
		return 1;
	if (!ev->varscope.name_scope)
		return 0;
	const char *ns = str(s, ev->varscope.name_scope);
	size_t nf = strlen(full);
	if (strncmp(ns, full, nf) == 0 && ns[nf] == '/' && ns[nf + 1] == '\0')
		return 0;
	/* templates re-enter their scope under a new name scope by design */
	if (!t->tmpl.n)
		emit(s, VS_RULE_OP_SCOPE_DIVERGES, ev, t, NULL,
		     "op name scope '%s' differs from variable scope '%s/'", ns, full);
	return 1;
}

/* where a scope entered by ev gets its reuse from (sets the reuse_* fields
 * of f): its own reuse argument, the captured scope it re-enters, or what
 * it inherits (the parent, or reuse_variables() on the root scope).  A
 * scope that reuses without any of these (eager mode forces AUTO_REUSE)
 * has no source. */
static void reuse_origin(vs_shadow *s, const vs_event *ev, const thr *t, const vscope_frame *parent,
                         vscope_frame *f)
{
	const struct vs_evp_varscope *p = &ev->varscope;
	if (p->reuse != VS_REUSE_TRUE && p->reuse != VS_REUSE_AUTO)
		return;
	if (p->reuse_asked == VS_REUSE_TRUE || p->reuse_asked == VS_REUSE_AUTO) {
		f->reuse_site = ev->site;
		f->reuse_name = p->full_name;
		f->reuse_how = REUSE_ASKED;
	} else if (p->captured_scope && !*str(s, p->full_name) && t->root_reuse) {
		/* the root scope object re-entered: it reuses since reuse_variables() */
		f->reuse_site = t->root_reuse_site;
		f->reuse_how = REUSE_ROOT;
	} else if (p->captured_scope) {
		f->reuse_site = ev->site;
		f->reuse_name = p->full_name;
		f->reuse_how = REUSE_CAPTURED;
	} else if (parent && parent->reuse_how) {
		f->reuse_site = parent->reuse_site;
		f->reuse_name = parent->reuse_name;
		f->reuse_how = parent->reuse_how;
	} else if (!parent && t->root_reuse) {
		f->reuse_site = t->root_reuse_site;
		f->reuse_how = REUSE_ROOT;
	}
}

/*
 * A scope made by default_name keeps that origin when its VariableScope
 * object is re-entered: TF's layers take their default-named scope once
 * (Layer._set_scope) and re-enter the captured object at every call, so the
 * uniquified "conv2d_1" is the scope the layer's variables are asked for
 * in.  The re-entered copy reuses as the captured object did (TF copies its
 * reuse flag), so when it reuses only through that object, where the reuse
 * came from is the capture's (the AUTO_REUSE scope around the layer call),
 * not the layer's own re-entry.  Records f's origin for its own re-entries.
 * Returns 0, or -1 when out of memory.
 */
static int default_origin(vs_shadow *s, const vs_event *ev, vscope_frame *f)
{
	if (!f->scope_id)
		return 0;
	if (!f->default_name) {
		const dscope_rec *from = ev->varscope.captured_scope
		                                 ? vs_check_map_get(s->dscopes,
		                                                    ev->varscope.captured_scope)
		                                 : NULL;
		if (!from)
			return 0;
		f->default_name = 1;
		f->requested = from->requested;
		if (f->reuse_how == REUSE_CAPTURED && from->reuse_how) {
			f->reuse_site = from->reuse_site;
			f->reuse_name = from->reuse_name;
			f->reuse_how = from->reuse_how;
		}
	}
	dscope_rec *rec = vs_check_map_put(s->dscopes, f->scope_id, NULL);
	if (!rec)
		return -1;
	*rec = (dscope_rec){.requested = f->requested,
	                    .reuse_site = f->reuse_site,
	                    .reuse_name = f->reuse_name,
	                    .reuse_how = f->reuse_how};
	return 0;
}

static int on_varscope_enter(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const char *full = str(s, ev->varscope.full_name);
	const vscope_frame *parent = STK_TOP(t->vscope, vscope_frame);
	if (ev->varscope.reuse_asked == VS_REUSE_FALSE && ev->varscope.reuse == VS_REUSE_TRUE)
		report_reuse_false(s, ev, t, parent, full);
	int diverged = scope_diverges(s, ev, t, parent, full);
	/* under reuse, landing on existing variables is the sharing asked for */
	if ((ev->flags & VS_EVF_DEFAULT_NAME) && *full && ev->varscope.reuse == VS_REUSE_FALSE) {
		const name_rec *r = names_get(s, ev->graph, full, NULL);
		if (r && (r->kinds & NAME_PREFIX))
			emit(s, VS_RULE_DEFAULT_NAME_COLLISION, ev, t, NULL,
			     "default_name scope '%s' lands on a name that already holds variables",
			     full);
	}
	/* a string sub-scope of a reusing scope must reuse */
	if (parent && parent->reuse == VS_REUSE_TRUE && ev->varscope.captured_scope == 0 &&
	    ev->varscope.reuse != VS_REUSE_TRUE)
		inconsistent(s, ev, t, "scope does not inherit its parent's reuse=True", full);
	vscope_frame f = {
		.scope_id = ev->varscope.scope_id,
		.name = ev->varscope.full_name,
		.cm = ev->varscope.cm,
		.reuse = ev->varscope.reuse,
		.site = ev->site,
		.requested = ev->varscope.requested,
		.default_name = (ev->flags & VS_EVF_DEFAULT_NAME) != 0,
		.diverged = diverged,
		.captured = ev->varscope.captured_scope != 0,
	};
	reuse_origin(s, ev, t, parent, &f);
	if (default_origin(s, ev, &f) < 0)
		return vs_error_nomem(err);
	return stk_push_copy(&t->vscope, &f, sizeof f, err);
}

static int on_varscope_exit(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	const vscope_frame *top = STK_TOP(t->vscope, vscope_frame);
	const char *full = str(s, ev->varscope.full_name);
	if (top && top->cm == ev->varscope.cm) {
		t->vscope.n--;
		return 0;
	}
	for (uint32_t i = t->vscope.n; i-- > 0;) {
		if (STK_AT(t->vscope, vscope_frame, i).cm != ev->varscope.cm)
			continue;
		/* TF raises E17 before restoring anything: the scopes stay as they
		 * were, the inner one current */
		emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL,
		     "Improper nesting of variable_scope. ('%s' exited while '%s' is still open)",
		     full, str(s, top->name));
		return 0;
	}
	inconsistent(s, ev, t, "exit of a variable scope that is not open", full);
	return 0;
}

static int on_reuse_variables(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	if (ev->flags & VS_EVF_ROOT_SCOPE) {
		char me[96];
		t->root_reuse = 1;
		t->root_reuse_site = ev->site;
		emit(s, VS_RULE_ROOT_REUSE_VARIABLES, ev, t, NULL,
		     "reuse_variables() on the root variable scope: every later scope of %s reuses",
		     thread_label(s, ev->tid, me, sizeof me));
	}
	vscope_frame *top = STK_TOP(t->vscope, vscope_frame);
	if (top && top->scope_id == ev->reuse_variables.scope_id) {
		top->reuse = VS_REUSE_TRUE;
		top->reuse_site = ev->site;
		top->reuse_name = top->name;
		top->reuse_how = REUSE_SWITCHED;
	}
	return 0;
}

static int on_creator_scope_enter(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)s;
	const creator_frame f = {ev->creator_scope.cm, ev->creator_scope.label};
	return stk_push_copy(&t->creators, &f, sizeof f, err);
}

static int on_creator_scope_exit(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	if (pop_to_cm(&t->creators, sizeof(creator_frame), offsetof(creator_frame, cm),
	              ev->creator_scope.cm) > 0)
		emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL,
		     "Exiting variable_creator_scope without proper nesting.");
	return 0;
}

/* the variable record for (store, key), or NULL */
static var_rec *store_get(vs_shadow *s, uint32_t store, uint32_t key)
{
	if (!store || !key)
		return NULL;
	return vs_check_map_get(s->vars, (uint64_t)store << 32 | key);
}

/* the variable record for the first n bytes of text as a key of store
 * (keys are found by text through the bykey index), or NULL */
static var_rec *store_find_text(vs_shadow *s, uint32_t store, const char *text, size_t n)
{
	const uint32_t *id = vs_check_map_get(s->bykey, graph_text_hash(store, text, n, NULL));
	var_rec *r = id ? store_get(s, store, *id) : NULL;
	if (!r) /* a hash collision must not pass for a match */
		return NULL;
	const char *k = str(s, r->key);
	return strlen(k) == n && memcmp(k, text, n) == 0 ? r : NULL;
}

/* ------------------------------------------------------------ causes
 *
 * Where reuse came from, as the trace knows it: the scope that asked for
 * reuse=True/AUTO_REUSE, the captured scope re-entered, reuse_variables()
 * on a scope or on the root scope.  Findings about reuse point there. */

typedef struct reuse_src {
	uint32_t site, name;
	int how;
	uint32_t reuse;
} reuse_src;

static reuse_src reuse_source(const thr *t)
{
	const vscope_frame *top = STK_TOP(t->vscope, vscope_frame);
	if (top)
		return (reuse_src){top->reuse_site, top->reuse_name, top->reuse_how, top->reuse};
	if (t->root_reuse)
		return (reuse_src){t->root_reuse_site, 0, REUSE_ROOT, VS_REUSE_TRUE};
	return (reuse_src){0, 0, REUSE_NONE, VS_REUSE_FALSE};
}

/* "variable_scope('a', reuse=True) at f.c:3", "reuse_variables() on the
 * root scope at f.c:9", ... */
static const char *reuse_text(vs_shadow *s, const reuse_src *r, char *buf, size_t n)
{
	char where[512];
	site_text(s, r->site, where, sizeof where);
	const char *flag = r->reuse == VS_REUSE_AUTO ? "tf.AUTO_REUSE" : "True";
	switch (r->how) {
	case REUSE_ASKED:
		if (*str(s, r->name))
			snprintf(buf, n, "variable_scope('%s', reuse=%s) at %s", str(s, r->name),
			         flag, where);
		else
			snprintf(buf, n, "variable_scope(tf.get_variable_scope(), reuse=%s) at %s",
			         flag, where);
		break;
	case REUSE_CAPTURED:
		snprintf(buf, n, "the re-entered scope '%s', which reuses, at %s", str(s, r->name),
		         where);
		break;
	case REUSE_SWITCHED:
		snprintf(buf, n, "reuse_variables() on scope '%s' at %s", str(s, r->name), where);
		break;
	case REUSE_ROOT:
		snprintf(buf, n, "reuse_variables() on the root scope at %s", where);
		break;
	default: snprintf(buf, n, "an unknown place"); break;
	}
	return buf;
}

/* an order-insensitive hash of the thread's active creator labels */
static uint32_t creators_sig(const thr *t)
{
	uint32_t h = 0;
	for (uint32_t i = 0; i < t->creators.n; i++) {
		uint32_t x = STK_AT(t->creators, creator_frame, i).label * 0x9E3779B1u;
		h += x ^ (x >> 15);
	}
	return h;
}

/* "{a, b}" or "none": the thread's active creator labels */
static const char *creators_text(vs_shadow *s, const thr *t, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < t->creators.n && len + 1 < n; i++) {
		const char *l = str(s, STK_AT(t->creators, creator_frame, i).label);
		int w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "{", *l ? l : "?");
		len += w > 0 ? (size_t)w : 0;
	}
	if (!t->creators.n)
		snprintf(buf, n, "none");
	else if (len + 1 < n)
		snprintf(buf + len, n - len, "}");
	return buf;
}

static int on_getvar_enter(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const struct vs_evp_getvar_enter *p = &ev->getvar_enter;
	/* eager without an EagerVariableStore: every call creates (no sharing) */
	int unshared = (ev->flags & VS_EVF_EAGER) && !t->estores && !t->tmpl.n;
	/* reuse=True raises E11 (reported at the exit) */
	if (unshared && p->reuse != VS_REUSE_TRUE)
		emit(s, VS_RULE_EAGER_NO_STORE, ev, t, str(s, p->full_name),
		     "get_variable('%s') in eager mode without an EagerVariableStore or template: "
		     "every call creates a new variable",
		     str(s, p->requested));
	getvar_frame *f = stk_push(&t->getvar, sizeof *f);
	if (!f)
		return vs_error_nomem(err);
	*f = (getvar_frame){
		.call = p->call_id,
		.req = p->requested,
		.key = p->full_name,
		.shape = p->shape,
		.dtype = p->dtype,
		.reuse = p->reuse,
		.store = unshared ? 0 : p->store_id,
		.flags = ev->flags,
		.site = ev->site,
		.graph = ev->graph,
		.seq = ev->seq,
	};
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

/* the innermost default-named scope on the thread's stack, or NULL */
static vscope_frame *innermost_default(thr *t)
{
	for (uint32_t i = t->vscope.n; i-- > 0;)
		if (STK_AT(t->vscope, vscope_frame, i).default_name)
			return &STK_AT(t->vscope, vscope_frame, i);
	return NULL;
}

/* the length of "parent/req" when full is "parent/req_N" (a default name
 * uniquified by the counter), else 0 */
static size_t uniquified_base(const char *full, const char *req)
{
	const char *last = strrchr(full, '/');
	last = last ? last + 1 : full;
	const char *rlast = strrchr(req, '/');
	rlast = rlast ? rlast + 1 : req;
	size_t nr = strlen(rlast);
	if (strncmp(last, rlast, nr) != 0 || last[nr] != '_' || !last[nr + 1])
		return 0;
	for (const char *d = last + nr + 1; *d; d++)
		if (*d < '0' || *d > '9')
			return 0;
	return (size_t)(last - full) + nr;
}

/*
 * VS114: a get_variable under reuse that creates (AUTO_REUSE) or fails
 * (reuse=True) because its default-named scope was uniquified ("conv2d"
 * became "conv2d_1") while the first instance holds the same variable:
 * the reuse asked for shares nothing.  Reported once per scope, at the
 * reuse that was asked for.  Returns 1 when reported.
 */
static int shares_nothing(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                          const char *what)
{
	vscope_frame *d = innermost_default(t);
	if (!d || !d->reuse_how || !g->store)
		return 0;
	/* a layer re-enters its scope around each variable: once per layer */
	for (uint32_t i = 0; i < t->vscope.n; i++) {
		const vscope_frame *o = &STK_AT(t->vscope, vscope_frame, i);
		if (o->reported && o->name == d->name)
			return 0;
	}
	const char *full = str(s, d->name), *req = str(s, d->requested), *key = str(s, g->key);
	size_t nbase = strchr(req, '/') ? 0 : uniquified_base(full, req);
	size_t nf = strlen(full);
	if (!nbase || strncmp(key, full, nf) != 0 || key[nf] != '/')
		return 0;
	snprintf(s->path, sizeof s->path, "%.*s/%s", (int)nbase, full, key + nf + 1);
	const var_rec *first = store_find_text(s, g->store, s->path, strlen(s->path));
	if (!first)
		return 0;
	for (uint32_t i = 0; i < t->vscope.n; i++)
		if (STK_AT(t->vscope, vscope_frame, i).name == d->name)
			STK_AT(t->vscope, vscope_frame, i).reported = 1;
	reuse_src r = reuse_source(t);
	char how[1024], where[512];
	emit_at(s, VS_RULE_REUSE_SHARES_NOTHING, ev, r.site, t, key,
	        "%s shares nothing: default_name '%s' was uniquified to '%s', so '%s' %s instead "
	        "of "
	        "reusing '%s' (first created at %s); name the layer, or enter the reusing scope "
	        "once per call",
	        reuse_text(s, &r, how, sizeof how), req, full, key, what, s->path,
	        site_text(s, first->site, where, sizeof where));
	return 1;
}

/*
 * VS117: a library's companion variable (an optimizer slot, a moving
 * average, a batch-norm statistic: get_variable in a fresh default-named
 * scope named after another variable or op, "w/Adam") asked for under
 * reuse, where it cannot exist: TF either fails (existing == NULL, E2) or,
 * when the default-name counters restarted and the scope got the earlier
 * build's name, silently binds the earlier build's companion (existing:
 * two optimizers or averages then share one slot).  Reported once per
 * scope, at the reuse that leaked into it.
 */
static void companion_under_reuse(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                                  const var_rec *existing)
{
	vscope_frame *top = STK_TOP(t->vscope, vscope_frame);
	if (!top || !top->default_name || top->reported || !top->reuse_how ||
	    !strchr(str(s, top->requested), '/'))
		return;
	top->reported = 1;
	reuse_src r = reuse_source(t);
	char how[1024], where[512];
	const char *key = str(s, g->key);
	char first[512] = "";
	if (existing) {
		char at[480];
		snprintf(first, sizeof first,
		         " (it silently binds the one first created at %s, "
		         "so two builds share one companion)",
		         site_text(s, existing->site, at, sizeof at));
	}
	/* a silent bind under reuse asked for on purpose (towers): the
	 * companion's creation inside it is the line to move; otherwise (E2,
	 * or reuse leaked from the root scope) the reuse is */
	uint32_t at_site = existing && r.how != REUSE_ROOT ? ev->site : r.site;
	emit_at(s, VS_RULE_COMPANION_UNDER_REUSE, ev, at_site, t, key,
	        "'%s' (at %s) is a companion variable, created by a library in the fresh "
	        "default-named scope '%s': it cannot exist under reuse%s, and reuse leaked into it "
	        "from %s; create optimizer slots, moving averages and batch-norm statistics "
	        "outside the reusing scope",
	        key, site_text(s, g->site, where, sizeof where), str(s, top->name), first,
	        reuse_text(s, &r, how, sizeof how));
}

/*
 * VS312: a variable created under another set of variable creators than
 * the variable it belongs to (the longest '/'-prefix of its key that is a
 * variable: "w" for the slot "w/Adam/"), e.g. a model built outside a
 * distribution strategy's scope whose optimizer slots are made inside it.
 * Reported at the first variable's creation: that is the call to move.
 */
static void creators_mismatch(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                              uint32_t sig)
{
	const char *key = str(s, g->key);
	for (size_t j = strlen(key); j-- > 1;) {
		if (key[j] != '/')
			continue;
		const var_rec *prim = store_find_text(s, g->store, key, j);
		if (!prim)
			continue;
		if (prim->creators != sig) {
			char now[512], where[512];
			emit_at(s, VS_RULE_CREATOR_STACK_MISMATCH, ev, prim->site, t,
			        str(s, prim->key),
			        "'%s' was created here under other variable creators than '%s', "
			        "which "
			        "belongs to it (created at %s under %s): create the model and its "
			        "optimizer or moving averages under the same creator scope (e.g. "
			        "strategy.scope())",
			        str(s, prim->key), key, site_text(s, g->site, where, sizeof where),
			        creators_text(s, t, now, sizeof now));
		}
		return;
	}
}

/* VS311: a variable created while a function is traced again */
static void created_in_retrace(vs_shadow *s, const vs_event *ev, const thr *t, uint32_t graph,
                               const char *name)
{
	const graph_rec *gr = graph ? vs_check_map_get(s->graphs, graph) : NULL;
	if (!gr || !gr->retrace)
		return;
	emit(s, VS_RULE_FUNCTION_RETRACE_CREATES, ev, t, name,
	     "tf.function-decorated function tried to create variables on non-first call: '%s' "
	     "is created while function '%s' is traced again (graph %u; first trace: graph %u); "
	     "create variables outside the function or only on its first call",
	     name, str(s, gr->name), graph, gr->retrace);
}

/* records the variable a get_variable created under key g->key, with the
 * scope chain and creators it was created under, and runs the rules that
 * compare it with earlier variables */
static int store_created(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                         uint32_t var, vs_error *err)
{
	var_rec *r = vs_check_map_put(s->vars, (uint64_t)g->store << 32 | g->key, NULL);
	if (!r)
		return vs_error_nomem(err);
	const char *key = str(s, g->key);
	uint32_t *id = vs_check_map_put(s->bykey, graph_text_hash(g->store, key, strlen(key), NULL),
	                                NULL);
	if (!id)
		return vs_error_nomem(err);
	*id = g->key;
	*r = (var_rec){.var_id = var,
	               .key = g->key,
	               .tid = ev->tid,
	               .site = g->site,
	               .seq = ev->seq,
	               .creators = creators_sig(t)};
	for (uint32_t i = 0; i < t->vscope.n && i < CHAIN_MAX; i++)
		r->chain[r->nchain++] = STK_AT(t->vscope, vscope_frame, i).site;
	site_rec *sr = place_rec(s, g->site);
	if (sr && !sr->created_key)
		sr->created_key = g->key;
	creators_mismatch(s, ev, t, g, r->creators);
	return 0;
}

/* The call that differs between the build that created a variable and
 * the one creating it again: the first variable-scope entry whose call site
 * differs from the first build's (the scope chain is the call stack the
 * trace has), or 0 when the chains agree (then only the get_variable is
 * known). */
static uint32_t build_differs(vs_shadow *s, const thr *t, const var_rec *first)
{
	for (uint32_t i = 0; i < t->vscope.n; i++) {
		uint32_t site = STK_AT(t->vscope, vscope_frame, i).site;
		if (i >= first->nchain || !same_place(s, site, first->chain[i]))
			return i < CHAIN_MAX ? site : 0;
	}
	return 0;
}

/* E1 (VS_TFE_VAR_EXISTS) at the exit of get_variable */
static void getvar_exists(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                          const var_rec *existing, const char *tfmsg)
{
	const char *key = str(s, g->key);
	char where[512], again[512];
	if (!g->existed && !(g->flags & VS_EVF_PARTITIONED))
		inconsistent(s, ev, t, "E1 raised but the store does not hold", key);
	if (existing && same_place(s, existing->site, g->site) && existing->tid == ev->tid) {
		s->other_site = existing->site; /* related: the first build's call */
		emit_at(s, VS_RULE_MODEL_BUILT_TWICE, ev, build_differs(s, t, existing), t, key,
		        "the code that created '%s' runs again in the same graph (model built "
		        "twice, "
		        "or a second call without reuse=True): first created at %s, created again "
		        "at %s: %s",
		        key, site_text(s, existing->site, where, sizeof where),
		        site_text(s, g->site, again, sizeof again),
		        *tfmsg ? tfmsg : "already exists");
	} else
		emit_related(s, existing ? existing->site : 0, VS_RULE_VARIABLE_EXISTS, ev, t, key,
		             "%s",
		             *tfmsg ? tfmsg
		                    : "Variable already exists, disallowed. Did you mean to set "
		                      "reuse=True "
		                      "or reuse=tf.AUTO_REUSE in VarScope?");
	if (existing && existing->tid != ev->tid) {
		char me[96], other[96];
		emit(s, VS_RULE_THREAD_NAME_COLLISION, ev, t, key,
		     "%s collides with %s on variable '%s' (created at %s)",
		     thread_label(s, ev->tid, me, sizeof me),
		     thread_label(s, existing->tid, other, sizeof other), key,
		     site_text(s, existing->site, where, sizeof where));
	}
}

static void getvar_error(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                         const var_rec *existing)
{
	const char *key = str(s, g->key);
	const char *tfmsg = t->err_seq > g->seq ? str(s, t->err_msg) : "";
	uint32_t num = t->err_seq > g->seq ? t->err_num : VS_TFE_NONE;
	const tmpl_frame *tf = tmpl_top(t);
	switch (num) {
	case VS_TFE_VAR_EXISTS: getvar_exists(s, ev, t, g, existing, tfmsg); break;
	case VS_TFE_VAR_MISSING:
		if (g->existed && !(g->flags & VS_EVF_PARTITIONED))
			inconsistent(s, ev, t, "E2 raised but the store holds", key);
		if (tf && tf->index > 1)
			emit(s, VS_RULE_TEMPLATE_MISSING_VARIABLE, ev, t, key,
			     "call %u of a template gets '%s', which its first call never created: "
			     "%s",
			     tf->index, key, tfmsg);
		else
			emit(s, VS_RULE_CREATE_IN_REUSE_SCOPE, ev, t, key, "%s", tfmsg);
		if (!shares_nothing(s, ev, t, g, "does not exist"))
			companion_under_reuse(s, ev, t, g, NULL);
		break;
	/* related: the call that created the variable (same code reached by
	 * another path is placed where the paths part, checker/check.c) */
	case VS_TFE_SHARE_SHAPE:
		emit_related(s, existing ? existing->site : 0, VS_RULE_SHAPE_MISMATCH, ev, t, key,
		             "%s", tfmsg);
		break;
	case VS_TFE_SHARE_DTYPE:
		emit_related(s, existing ? existing->site : 0, VS_RULE_DTYPE_MISMATCH, ev, t, key,
		             "%s", tfmsg);
		break;
	case VS_TFE_EAGER_REUSE: emit(s, VS_RULE_EAGER_NO_STORE, ev, t, key, "%s", tfmsg); break;
	default: break;
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
	char me[96];
	const char *who = thread_label(s, ev->tid, me, sizeof me);
	if (*ps)
		emit(s, VS_RULE_THREAD_SCOPE_NOT_ENTERED, ev, t, key,
		     "%s creates '%s' under its own root scope while its parent thread was "
		     "in scope '%s'",
		     who, key, ps);
	else if (t->parent_in_scope)
		emit(s, VS_RULE_THREAD_SCOPE_NOT_ENTERED, ev, t, key,
		     "%s creates '%s' under its own root scope while its parent thread was "
		     "inside a re-entered root scope%s",
		     who, key, t->parent_reusing ? " that reuses" : "");
	else if (t->parent_root_reuse && !t->root_reuse)
		emit(s, VS_RULE_THREAD_SCOPE_NOT_ENTERED, ev, t, key,
		     "%s creates '%s' under its own non-reusing root scope while its parent "
		     "thread's root scope reuses",
		     who, key);
}

/* a get_variable that created: the store holds what the chain returned */
static int getvar_created(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                          int checked, vs_error *err)
{
	const char *key = str(s, g->key);
	check_thread_root(s, ev, t, key);
	created_in_retrace(s, ev, t, g->graph, key);
	if (g->reuse == VS_REUSE_AUTO)
		shares_nothing(s, ev, t, g, "is created");
	/* a custom getter's lookups were recorded at the true getter's return */
	if (!checked || g->true_calls)
		return 0;
	if (g->existed)
		inconsistent(s, ev, t, "recorded as created but the store already holds", key);
	else if (g->reuse == VS_REUSE_TRUE)
		inconsistent(s, ev, t, "recorded as created under reuse=True", key);
	return store_created(s, ev, t, g, ev->getvar_exit.variable, err);
}

static void getvar_reused(vs_shadow *s, const vs_event *ev, thr *t, const getvar_frame *g,
                          const var_rec *existing, int checked)
{
	const char *key = str(s, g->key);
	char where[512];
	if (checked && !g->existed)
		inconsistent(s, ev, t, "recorded as reused but the store does not hold", key);
	else if (checked && g->reuse == VS_REUSE_FALSE)
		inconsistent(s, ev, t, "recorded as reused under reuse=False", key);
	if (existing && g->reuse == VS_REUSE_AUTO && !same_place(s, existing->site, g->site))
		emit_related(s, existing->site, VS_RULE_AUTO_REUSE_OTHER_SITE, ev, t, key,
		             "AUTO_REUSE returns '%s', first created at %s", key,
		             site_text(s, existing->site, where, sizeof where));
	if (existing && g->reuse != VS_REUSE_TRUE && existing->tid != ev->tid) {
		char me[96], other[96];
		emit(s, VS_RULE_THREAD_NAME_COLLISION, ev, t, key,
		     "%s silently shares variable '%s' created by %s at %s",
		     thread_label(s, ev->tid, me, sizeof me), key,
		     thread_label(s, existing->tid, other, sizeof other),
		     site_text(s, existing->site, where, sizeof where));
	}
	/* VS115: the call that created one variable in the first build now
	 * binds to another one, first created elsewhere */
	const site_rec *sr = existing && !same_place(s, existing->site, g->site)
	                             ? place_rec(s, g->site)
	                             : NULL;
	if (sr && sr->created_key && sr->created_key != g->key)
		emit(s, VS_RULE_REUSE_BINDS_OTHER_SITE, ev, t, key,
		     "reuse binds '%s', first created at %s by another call, but this call created "
		     "'%s' in the first build: two layers collapse onto one name under reuse "
		     "(unnamed "
		     "layers?) and share the wrong weights",
		     key, site_text(s, existing->site, where, sizeof where),
		     str(s, sr->created_key));
	if (existing && g->reuse == VS_REUSE_TRUE)
		companion_under_reuse(s, ev, t, g, existing);
}

static int on_getvar_exit(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	getvar_frame g;
	if (!getvar_pop(t, ev->getvar_exit.call_id, &g)) {
		inconsistent(s, ev, t, "exit of a get_variable call that never started",
		             str(s, ev->getvar_exit.full_name));
		return 0;
	}
	var_rec *existing = store_get(s, g.store, g.key);
	int checked = g.store && !(g.flags & VS_EVF_PARTITIONED);
	switch (ev->getvar_exit.outcome) {
	case VS_OUT_ERROR:
		getvar_error(s, ev, t, &g, existing);
		if (t->err_seq > g.seq && t->err_num == VS_TFE_VAR_EXISTS)
			check_thread_root(s, ev, t, str(s, g.key));
		return 0;
	case VS_OUT_CREATED: return getvar_created(s, ev, t, &g, checked, err);
	case VS_OUT_REUSED: getvar_reused(s, ev, t, &g, existing, checked); return 0;
	default: return 0;
	}
}

/* the template findings of a VAR_CREATE */
static void var_create_template(vs_shadow *s, const vs_event *ev, thr *t, const char *name)
{
	uint32_t tmpl = ev->var_create.template_id;
	const tmpl_frame *tf = tmpl_top(t);
	const tmpl_rec *tr = tmpl ? vs_check_map_get(s->tmpls, tmpl) : NULL;
	uint32_t index = tf && tf->tmpl == tmpl ? tf->index : (tr ? tr->calls : 0);
	int trainable = (ev->flags & VS_EVF_TRAINABLE) != 0;
	if (!tmpl)
		return;
	if ((ev->flags & VS_EVF_DIRECT) && trainable) {
		if (index > 1)
			emit(s, VS_RULE_TEMPLATE_TRAINABLE_VARIABLE, ev, t, name,
			     "Trainable variable created when calling a template after the first "
			     "time, "
			     "perhaps you used tf.Variable when you meant tf.get_variable: %s",
			     name);
		else
			emit(s, VS_RULE_TEMPLATE_TRAINABLE_VARIABLE, ev, t, name,
			     "trainable tf.Variable '%s' created inside template '%s': it is not "
			     "shared, "
			     "and TensorFlow raises from the second call",
			     name, tr ? str(s, tr->name) : "?");
	} else if (index > 1 && !trainable) {
		emit(s, VS_RULE_TEMPLATE_LATE_VARIABLE, ev, t, name,
		     "non-trainable variable '%s' created by call %u of template '%s'", name, index,
		     tr ? str(s, tr->name) : "?");
	}
}

/* the context findings of a VAR_CREATE: function graphs, control
 * dependencies, tapes, a thread's graph */
static void var_create_context(vs_shadow *s, const vs_event *ev, thr *t, const char *name)
{
	uint32_t graph = ev->var_create.graph_id;
	const graph_rec *gr = graph ? vs_check_map_get(s->graphs, graph) : NULL;
	if (gr && (gr->flags & VS_EVF_BUILDING_FUNCTION))
		emit(s, VS_RULE_FUNCTION_NOT_LIFTED, ev, t, name,
		     "variable '%s' created inside function graph '%s' without init_scope", name,
		     str(s, gr->name));
	const direct_frame *df = STK_TOP(t->direct, direct_frame);
	int cflow = t->cflow && !(df && df->cflow_reported);
	if ((ev->flags & VS_EVF_IN_CONTROL_DEPS) || t->cdeps || cflow)
		emit(s, VS_RULE_CONTROL_DEPS_VARIABLE, ev, t, name,
		     "variable '%s' created under %s without init_scope", name,
		     cflow ? "cond/while_loop" : "control dependencies");
	if (t->tapes && !t->paused)
		emit(s, VS_RULE_TAPE_VARIABLE, ev, t, name,
		     "variable '%s' created while a gradient tape records", name);
	if (t->parent_graph && graph && graph != t->parent_graph && graph == s->global_graph &&
	    !has_graph_ctx(t)) {
		char me[96];
		emit(s, VS_RULE_THREAD_GLOBAL_GRAPH, ev, t, name,
		     "%s creates '%s' in the global default graph, not in graph %u its parent was "
		     "building",
		     thread_label(s, ev->tid, me, sizeof me), name, t->parent_graph);
	}
}

/* a VAR_CREATE's names in its graph's name set: the store key of a
 * get_variable, or a direct variable's name without ":0" */
static int var_create_names(vs_shadow *s, const vs_event *ev, thr *t, const char *name,
                            vs_error *err)
{
	uint32_t graph = ev->var_create.graph_id;
	const char *key = str(s, ev->var_create.key);
	if (!graph)
		return 0;
	if (ev->var_create.key && !(ev->flags & VS_EVF_PARTITIONED)) {
		const name_rec *nr = names_get(s, graph, key, NULL);
		if (nr && (nr->kinds & NAME_DIRECT))
			emit(s, VS_RULE_DIRECT_VARIABLE_COLLISION, ev, t, key,
			     "get_variable key '%s' collides with a tf.Variable of the same name; "
			     "the variable is named '%s'",
			     key, name);
	}
	if (ev->var_create.key)
		return names_add(s, graph, key, NAME_KEY, err);
	if (!(ev->flags & VS_EVF_DIRECT))
		return 0;
	size_t n = strlen(name);
	char buf[512];
	if (n >= 2 && strcmp(name + n - 2, ":0") == 0)
		n -= 2;
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return names_add(s, graph, buf, NAME_DIRECT, err);
}

static int on_var_create(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const char *name = str(s, ev->var_create.name);
	var_create_template(s, ev, t, name);
	var_create_context(s, ev, t, name);
	site_rec *sr = (ev->flags & VS_EVF_DIRECT) ? place_rec(s, ev->site) : NULL;
	if (sr && !sr->direct_name)
		sr->direct_name = ev->var_create.name;
	return var_create_names(s, ev, t, name, err);
}

/* VS116: a trainable tf.Variable created (outside get_variable and
 * templates, which have their own rules) while the variable scope reuses:
 * it ignores the store, so a build meant to share makes new weights */
static void bypasses_reuse(vs_shadow *s, const vs_event *ev, const thr *t, const char *name)
{
	if (!(ev->flags & VS_EVF_TRAINABLE) || t->getvar.n || t->tmpl.n || !ev->graph)
		return;
	reuse_src r = reuse_source(t);
	if (!r.how || (r.reuse != VS_REUSE_TRUE && r.reuse != VS_REUSE_AUTO))
		return;
	char how[1024], first[600] = "";
	/* the same call made one before: the build that was meant to share */
	const site_rec *sr = place_rec(s, ev->site);
	if (sr && sr->direct_name)
		snprintf(first, sizeof first, "; this call first created '%s'",
		         str(s, sr->direct_name));
	emit(s, VS_RULE_VARIABLE_BYPASSES_REUSE, ev, t, name,
	     "tf.Variable '%s' is created although the variable scope reuses (%s): tf.Variable "
	     "ignores reuse and the variable store, so this makes a new variable instead of "
	     "sharing one%s; use tf.get_variable",
	     name, reuse_text(s, &r, how, sizeof how), first);
}

static int on_variable_enter(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const char *ns = str(s, ev->variable_enter.name_scope);
	const char *req = str(s, ev->variable_enter.requested);
	const name_rec *nr = ev->graph && *req ? names_get(s, ev->graph, ns, req) : NULL;
	size_t nns = strlen(ns);
	snprintf(s->path, sizeof s->path, "%s%s%s", ns, nns && ns[nns - 1] != '/' ? "/" : "",
	         *req ? req : "Variable");
	if (nr && (nr->kinds & NAME_KEY))
		emit(s, VS_RULE_DIRECT_VARIABLE_COLLISION, ev, t, s->path,
		     "tf.Variable named '%s' collides with a get_variable key of the same name",
		     s->path);
	bypasses_reuse(s, ev, t, s->path);
	created_in_retrace(s, ev, t, ev->graph, s->path);
	direct_frame f = {ev->variable_enter.call_id, 0, ev->seq};
	/* the initial value is computed here, inside the cond/while context,
	 * before the constructor's init_scope lifts the variable out */
	if (t->cflow) {
		emit(s, VS_RULE_CONTROL_DEPS_VARIABLE, ev, t, s->path,
		     "tf.Variable '%s' is created inside cond/while_loop: its initial value comes "
		     "from inside a control-flow construct (TF: \"Initializer for variable ... is "
		     "from inside a control-flow construct\"); create it outside, or pass a "
		     "callable initial value",
		     s->path);
		f.cflow_reported = 1;
	}
	return stk_push_copy(&t->direct, &f, sizeof f, err);
}

static int on_variable_exit(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)s;
	(void)err;
	for (uint32_t i = t->direct.n; i-- > 0;)
		if (STK_AT(t->direct, direct_frame, i).call == ev->variable_exit.call_id) {
			t->direct.n = i;
			break;
		}
	return 0;
}

/* VS205: make_template runs again at the same call site with the same
 * name: the code that builds the model ran twice and made a second,
 * unshared template instead of calling the first one again */
static int template_made_again(vs_shadow *s, const vs_event *ev, const thr *t, vs_error *err)
{
	const struct vs_evp_template_make *p = &ev->template_make;
	const char *name = str(s, p->name);
	uint64_t h = graph_text_hash(place_of(s, ev->site), name, strlen(name), NULL);
	int created = 0;
	uint32_t *first = vs_check_map_put(s->tmpl_sites, h, &created);
	if (!first)
		return vs_error_nomem(err);
	/* a template made in another graph is another model (graph 0: the
	 * global graph not created yet) */
	const tmpl_rec *fr = created ? NULL : vs_check_map_get(s->tmpls, *first);
	if (created || (fr && fr->graph && ev->graph && fr->graph != ev->graph)) {
		*first = p->template_id;
		return 0;
	}
	emit(s, VS_RULE_TEMPLATE_MADE_AGAIN, ev, t, NULL,
	     "make_template('%s') runs again here: this new template shares nothing with the one "
	     "made here before; make the template once and call it again",
	     name);
	return 0;
}

static int on_template_make(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const struct vs_evp_template_make *p = &ev->template_make;
	tmpl_rec *r = vs_check_map_put(s->tmpls, p->template_id, NULL);
	if (!r)
		return vs_error_nomem(err);
	r->name = p->name;
	r->unique = p->unique_name;
	r->graph = ev->graph;
	if (!p->unique_name)
		return template_made_again(s, ev, t, err);
	const char *u = str(s, p->unique_name);
	int created = 0;
	uint32_t *owner = vs_check_map_put(s->uniques,
	                                   graph_text_hash(ev->graph, u, strlen(u), NULL),
	                                   &created);
	if (!owner)
		return vs_error_nomem(err);
	if (!created && *owner != p->template_id) {
		const tmpl_rec *o = vs_check_map_get(s->tmpls, *owner);
		emit(s, VS_RULE_TEMPLATE_UNIQUE_NAME, ev, t, NULL,
		     "template '%s' uses unique_name_ '%s' already used by template '%s'",
		     str(s, p->name), u, o ? str(s, o->name) : "?");
	} else {
		*owner = p->template_id;
	}
	return 0;
}

static int on_template_enter(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const struct vs_evp_template_enter *p = &ev->template_enter;
	tmpl_rec *r = vs_check_map_get(s->tmpls, p->template_id);
	if (r) {
		if (p->call_index != r->calls + 1)
			inconsistent(s, ev, t, "template call index out of sequence for",
			             str(s, r->name));
		r->calls = p->call_index;
	}
	const tmpl_frame f = {p->template_id, p->call_index, ev->seq};
	return stk_push_copy(&t->tmpl, &f, sizeof f, err);
}

static int on_template_exit(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)s;
	(void)err;
	const struct vs_evp_template_exit *p = &ev->template_exit;
	for (uint32_t i = t->tmpl.n; i-- > 0;)
		if (STK_AT(t->tmpl, tmpl_frame, i).tmpl == p->template_id &&
		    STK_AT(t->tmpl, tmpl_frame, i).index == p->call_index) {
			t->tmpl.n = i;
			break;
		}
	return 0;
}

/* pops the innermost frame of (call, depth) and everything above it */
static void pop_call(stk *st, uint32_t call, uint32_t depth, call_frame *out)
{
	memset(out, 0, sizeof *out);
	for (uint32_t i = st->n; i-- > 0;)
		if (STK_AT(*st, call_frame, i).call == call &&
		    STK_AT(*st, call_frame, i).depth == depth) {
			*out = STK_AT(*st, call_frame, i);
			st->n = i;
			return;
		}
}

/* pushes the frame of a creator or getter call */
static int push_call(stk *st, uint32_t call, uint32_t depth, uint32_t label, uint32_t name,
                     vs_error *err)
{
	const call_frame f = {call, depth, label, name};
	return stk_push_copy(st, &f, sizeof f, err);
}

static int on_creator_call(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)s;
	const struct vs_evp_creator_call *p = &ev->creator_call;
	return push_call(&t->ccall, p->call_id, p->depth, p->label, p->name, err);
}

static int on_creator_return(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	const struct vs_evp_creator_return *p = &ev->creator_return;
	call_frame c;
	pop_call(&t->ccall, p->call_id, p->depth, &c);
	if (p->label && p->outcome != VS_OUT_ERROR && (p->outcome == VS_OUT_OTHER || !p->variable))
		emit(s, VS_RULE_CREATOR_NO_VARIABLE, ev, t, str(s, c.name),
		     "variable creator '%s' returned no variable for '%s'", str(s, p->label),
		     str(s, c.name));
	if (p->depth == 0 && p->n_created > (uint32_t)s->max_created)
		emit(s, VS_RULE_CREATOR_MULTIPLE, ev, t, str(s, c.name),
		     "one request for '%s' created %u variables", str(s, c.name), p->n_created);
	return 0;
}

/* Getter calls: each one has its own call id and a depth in the chain
 * (the getter at depth d calls the next one at depth d + 1).  The true
 * getter (label 0) looks the store up under the name it is given, which a
 * custom getter may have rewritten: the in-flight get_variable follows
 * that name, not the one the user asked for. */
static int on_getter_call(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const struct vs_evp_getter_call *p = &ev->getter_call;
	getvar_frame *g = STK_TOP(t->getvar, getvar_frame);
	if (!p->label && g) {
		g->key = p->name;
		g->existed = store_get(s, g->store, g->key) != NULL;
		g->true_calls++;
	}
	return push_call(&t->gcall, p->call_id, p->depth, p->label, p->name, err);
}

static int on_getter_return(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	const struct vs_evp_getter_return *p = &ev->getter_return;
	call_frame c;
	pop_call(&t->gcall, p->call_id, p->depth, &c);
	/* VS308: a custom getter hands back a variable stored under another
	 * name than it was asked for (one that also makes companions under
	 * other names and returns the requested variable is fine) */
	if (p->label && c.name && p->key && p->key != c.name &&
	    (p->outcome == VS_OUT_CREATED || p->outcome == VS_OUT_REUSED))
		emit(s, VS_RULE_GETTER_RENAMES, ev, t, str(s, c.name),
		     "custom getter '%s' was asked for '%s' and returned '%s': the variable lives "
		     "under a name the caller never asked for",
		     str(s, p->label), str(s, c.name), str(s, p->key));
	getvar_frame *g = STK_TOP(t->getvar, getvar_frame);
	/* a lookup of the true getter that created: record it now (a getter
	 * may look up several names in one get_variable) */
	if (p->label || !g || p->outcome != VS_OUT_CREATED || !g->store ||
	    (g->flags & VS_EVF_PARTITIONED))
		return 0;
	if (!c.name)
		return 0;
	g->key = c.name;
	if (store_get(s, g->store, g->key))
		inconsistent(s, ev, t, "recorded as created but the store already holds",
		             str(s, g->key));
	else if (g->reuse == VS_REUSE_TRUE)
		inconsistent(s, ev, t, "recorded as created under reuse=True", str(s, g->key));
	return store_created(s, ev, t, g, p->variable, err);
}

/* the seq of the event that started the thread's innermost call in
 * flight (get_variable, tf.Variable, template call), 0 if none */
static uint64_t open_call_seq(const thr *t)
{
	uint64_t seq = 0;
	const getvar_frame *g = STK_TOP(t->getvar, getvar_frame);
	const direct_frame *d = STK_TOP(t->direct, direct_frame);
	const tmpl_frame *m = STK_TOP(t->tmpl, tmpl_frame);
	if (g && g->seq > seq)
		seq = g->seq;
	if (d && d->seq > seq)
		seq = d->seq;
	if (m && m->seq > seq)
		seq = m->seq;
	return seq;
}

/*
 * VS118: an error TensorFlow raised that no other rule explains, so that
 * a failing program never checks clean.  Explained: the store errors of
 * get_variable (VS101-VS104, VS113, VS204, VS305 at its exit), the
 * nesting errors (VS309, here), and any error after which a finding was
 * already given inside the same call (VS201 for E23, VS306 for a creator
 * that returned nothing, an inner error of a template call).
 */
static void unexplained_error(vs_shadow *s, const vs_event *ev, const thr *t)
{
	uint32_t num = ev->error.tf_error;
	int code = -(int)ev->error.code;
	if (!vs_err_is_tf(code))
		return;
	switch (num) {
	case VS_TFE_VAR_EXISTS:
	case VS_TFE_VAR_MISSING:
	case VS_TFE_SHARE_SHAPE:
	case VS_TFE_SHARE_DTYPE:
	case VS_TFE_EAGER_REUSE:
		if (t->getvar.n)
			return;
		break;
	case VS_TFE_SCOPE_NESTING:
	case VS_TFE_CREATOR_NESTING:
	case VS_TFE_STACK_NESTING: return;
	default: break;
	}
	uint64_t since = open_call_seq(t);
	if (since && s->finding_tid == ev->tid && s->finding_seq >= since)
		return;
	emit(s, VS_RULE_TF_ERROR, ev, t, NULL, "TensorFlow raised %s: %s", vs_err_name(code),
	     str(s, ev->error.message));
}

static int on_error(vs_shadow *s, const vs_event *ev, thr *t, vs_error *err)
{
	(void)err;
	uint32_t num = ev->error.tf_error;
	t->err_num = num;
	t->err_msg = ev->error.message;
	t->err_seq = ev->seq;
	if (num == VS_TFE_SCOPE_NESTING || num == VS_TFE_CREATOR_NESTING ||
	    num == VS_TFE_STACK_NESTING)
		emit(s, VS_RULE_IMPROPER_NESTING, ev, t, NULL, "%s", str(s, ev->error.message));
	unexplained_error(s, ev, t);
	return 0;
}

/* ------------------------------------------------------------ dispatch */

/* What an event kind does: its handler (NULL = only its thread is noted)
 * and whether it belongs to no thread (SITE, LOST). */
typedef struct handler {
	handler_fn fn;
	int process_level;
} handler;

static const handler handlers[VS_EV__COUNT] = {
	[VS_EV_SITE] = {on_site, 1},
	[VS_EV_LOST] = {on_lost, 1},
	[VS_EV_THREAD_START] = {on_thread_start, 0},
	[VS_EV_THREAD_END] = {on_thread_end, 0},
	[VS_EV_GRAPH_CREATE] = {on_graph_create, 0},
	[VS_EV_RESET_GRAPH] = {on_reset_graph, 0},
	[VS_EV_CTX_PUSH] = {on_ctx_push, 0},
	[VS_EV_CTX_POP] = {on_ctx_pop, 0},
	[VS_EV_INIT_SCOPE_ENTER] = {on_misc_enter, 0},
	[VS_EV_CONTROL_DEPS_ENTER] = {on_misc_enter, 0},
	[VS_EV_CFLOW_ENTER] = {on_misc_enter, 0},
	[VS_EV_TAPE_PUSH] = {on_misc_enter, 0},
	[VS_EV_TAPE_PAUSE] = {on_misc_enter, 0},
	[VS_EV_EAGER_STORE_ENTER] = {on_misc_enter, 0},
	[VS_EV_INIT_SCOPE_EXIT] = {on_misc_exit, 0},
	[VS_EV_CONTROL_DEPS_EXIT] = {on_misc_exit, 0},
	[VS_EV_CFLOW_EXIT] = {on_misc_exit, 0},
	[VS_EV_TAPE_POP] = {on_misc_exit, 0},
	[VS_EV_TAPE_RESUME] = {on_misc_exit, 0},
	[VS_EV_EAGER_STORE_EXIT] = {on_misc_exit, 0},
	[VS_EV_VARSCOPE_ENTER] = {on_varscope_enter, 0},
	[VS_EV_VARSCOPE_EXIT] = {on_varscope_exit, 0},
	[VS_EV_REUSE_VARIABLES] = {on_reuse_variables, 0},
	[VS_EV_CREATOR_SCOPE_ENTER] = {on_creator_scope_enter, 0},
	[VS_EV_CREATOR_SCOPE_EXIT] = {on_creator_scope_exit, 0},
	[VS_EV_CREATOR_CALL] = {on_creator_call, 0},
	[VS_EV_CREATOR_RETURN] = {on_creator_return, 0},
	[VS_EV_GETTER_CALL] = {on_getter_call, 0},
	[VS_EV_GETTER_RETURN] = {on_getter_return, 0},
	[VS_EV_GETVAR_ENTER] = {on_getvar_enter, 0},
	[VS_EV_GETVAR_EXIT] = {on_getvar_exit, 0},
	[VS_EV_VARIABLE_ENTER] = {on_variable_enter, 0},
	[VS_EV_VARIABLE_EXIT] = {on_variable_exit, 0},
	[VS_EV_VAR_CREATE] = {on_var_create, 0},
	[VS_EV_TEMPLATE_MAKE] = {on_template_make, 0},
	[VS_EV_TEMPLATE_CALL_ENTER] = {on_template_enter, 0},
	[VS_EV_TEMPLATE_CALL_EXIT] = {on_template_exit, 0},
	[VS_EV_ERROR] = {on_error, 0},
	/* the other kinds of event.h (PROCESS_START/END, NAME_SCOPE_*,
	 * OP_CREATE, EAGER_STORE_NEW, ...) change no state the rules read */
};

/* a kind this model does not know (a newer producer's): its thread is
 * noted, nothing else */
static const handler unknown_kind = {NULL, 0};

int vs_shadow_apply(vs_shadow *s, const vs_event *ev, vs_error *err)
{
	s->events++;
	s->last_seq = ev->seq;
	const handler *h = ev->kind < VS_EV__COUNT ? &handlers[ev->kind] : &unknown_kind;
	thr *t = NULL;
	if (!h->process_level && !(t = thread_of(s, ev->tid)))
		return vs_error_nomem(err);
	int rc;
	if (t && !t->named && ev->site && s->thread_name &&
	    (rc = note_thread_site(s, t, ev->site, err)) < 0)
		return rc;
	return h->fn ? h->fn(s, ev, t, err) : 0;
}

void vs_shadow_finish(vs_shadow *s, int truncated)
{
	size_t pos = 0;
	thr *t;
	if (truncated)
		return;
	/* a program that returns early (after an error) leaves its scopes
	 * open: normal, and at most worth a note at the scope never left */
	while ((t = vs_check_map_next(s->threads, &pos, NULL))) {
		if (!t->vscope.n)
			continue;
		const vscope_frame *outer = &STK_AT(t->vscope, vscope_frame, 0);
		vs_event ev;
		memset(&ev, 0, sizeof ev);
		ev.kind = VS_EV_PROCESS_END;
		ev.tid = t->tid;
		ev.seq = s->last_seq;
		emit_at(s, VS_RULE_SCOPE_LEFT_OPEN, &ev, outer->site, t, NULL,
		        "variable scope '%s' entered here was never exited: the process ended "
		        "inside "
		        "it%s",
		        str(s, outer->name),
		        t->vscope.n > 1 ? " (and inside the scopes opened in it)" : "");
	}
}
