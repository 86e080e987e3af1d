/* SPDX-License-Identifier: MIT */
/*
 * scenario/exec.c - runs a validated scenario against libvs.
 *
 * Each step list runs like a Python block: a context step with `body:`
 * enters its context manager, runs the body and exits; one without a body
 * stays entered until an `exit:` step or the end of the enclosing list
 * (exited innermost first).  A libvs error that the failing step (or an
 * enclosing step) does not expect behaves like an uncaught exception: the
 * open context managers of every enclosing list are exited and the thread
 * stops.  Getters and creators are C callbacks whose behaviour is the
 * declared one; template bodies run from libvs's template callback.
 * Each step kind has one handler in step_fns (indexed by vs_scn_kind).
 *
 * Threads (sched.c) and getter/creator behaviours (behave.c) live in
 * their own files; this one owns the steps, the bindings and the report.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/run.h"
#include "vs/sink.h"
#include "vs/internal/util.h"

struct vs_scn_binding {
	vs_scn_ns ns;
	const char *name;  /* borrowed from the tree */
	void *obj;         /* for NS_CM: vs_cm ** (the slot in its frame) */
	const void *frame; /* NS_CM: the frame that owns the slot */
};
typedef struct vs_scn_binding binding;

struct vs_scn_report {
	vs_scn_entry *v;
	size_t n, cap;
	vs_scn_stats stats;
};

/* a frame: the context managers a step list has open, and the bindings
 * of `cm:` names that point into it (cleared when the list ends) */
typedef struct frame {
	vs_cm **cms;
	const vs_scn_step **owners;
	size_t n;
	size_t *bound; /* indices in run->binds */
	size_t nbound, capbound;
} frame;

/* ----------------------------------------------------------------- report */

void vs_scn_run_note(vs_scn_exec *r, const char *thread, vs_scn_entry_kind kind, vs_scn_pos pos,
                     const char *fmt, ...)
{
	char buf[VS_ERROR_MSG_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&r->mu);
	vs_scn_report *rep = r->rep;
	switch (kind) {
	case VS_SCN_ENT_CREATED: rep->stats.created++; break;
	case VS_SCN_ENT_REUSED: rep->stats.reused++; break;
	case VS_SCN_ENT_ERROR: break;
	case VS_SCN_ENT_UNCAUGHT: rep->stats.uncaught++; break;
	case VS_SCN_ENT_FAILED: rep->stats.failed++; break;
	}
	if (VS_GROW(rep->v, rep->cap, rep->n + 1) < 0)
		goto out; /* the counters above still tell */
	char *text = strdup(buf);
	if (!text)
		goto out;
	rep->v[rep->n++] = (vs_scn_entry){kind, pos.line, pos.col, thread, text};
out:
	pthread_mutex_unlock(&r->mu);
}

static void count(vs_scn_exec *r, size_t *field)
{
	pthread_mutex_lock(&r->mu);
	(*field)++;
	pthread_mutex_unlock(&r->mu);
}

void vs_scn_run_count_checks(vs_scn_exec *r, size_t n)
{
	pthread_mutex_lock(&r->mu);
	r->rep->stats.checks += n;
	pthread_mutex_unlock(&r->mu);
}

/* --------------------------------------------------------------- bindings */

/*
 * Bindings and the set of variables seen are hash tables (open addressing,
 * at most half full), so a scenario with many names runs in time linear in
 * its steps.  All under r->mu.
 */
static size_t name_hash(vs_scn_ns ns, const char *name)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ (unsigned)ns;
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = (h ^ *c) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 31));
}

static size_t ptr_hash(const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(h ^ (h >> 29));
}

/* the index slot of (ns, name): its binding's, or the empty one it takes */
static size_t *bind_slot(vs_scn_exec *r, vs_scn_ns ns, const char *name)
{
	size_t mask = r->nbind_idx - 1;
	for (size_t i = name_hash(ns, name) & mask;; i = (i + 1) & mask) {
		size_t b = r->bind_idx[i];
		if (!b || (r->binds[b - 1].ns == ns && !strcmp(r->binds[b - 1].name, name)))
			return &r->bind_idx[i];
	}
}

static int bind_index_reserve(vs_scn_exec *r)
{
	if (2 * (r->nbinds + 1) <= r->nbind_idx)
		return 0;
	size_t n = r->nbind_idx ? 2 * r->nbind_idx : 64, *old = r->bind_idx, nold = r->nbind_idx;
	if (!(r->bind_idx = calloc(n, sizeof *r->bind_idx))) {
		r->bind_idx = old;
		return VS_ERR_NOMEM;
	}
	r->nbind_idx = n;
	for (size_t i = 0; i < nold; i++)
		if (old[i])
			*bind_slot(r, r->binds[old[i] - 1].ns, r->binds[old[i] - 1].name) = old[i];
	free(old);
	return 0;
}

void *vs_scn_run_lookup(vs_scn_exec *r, vs_scn_ns ns, const char *name)
{
	void *obj = NULL;
	pthread_mutex_lock(&r->mu);
	if (r->nbind_idx) {
		size_t b = *bind_slot(r, ns, name);
		obj = b ? r->binds[b - 1].obj : NULL;
	}
	pthread_mutex_unlock(&r->mu);
	return obj;
}

/* binds name; *at (when at) gets the binding's index in r->binds */
static int bind_in(vs_scn_exec *r, vs_scn_ns ns, const char *name, void *obj, const void *owner,
                   size_t *at, vs_error *err)
{
	int rc = 0;
	pthread_mutex_lock(&r->mu);
	if (bind_index_reserve(r) < 0 || VS_GROW(r->binds, r->capbinds, r->nbinds + 1) < 0) {
		rc = vs_error_nomem(err);
		goto out;
	}
	size_t *slot = bind_slot(r, ns, name);
	if (!*slot) {
		r->binds[r->nbinds++] = (binding){ns, name, NULL, NULL};
		*slot = r->nbinds;
	}
	r->binds[*slot - 1].obj = obj; /* rebinding, like a Python assignment */
	r->binds[*slot - 1].frame = owner;
	if (at)
		*at = *slot - 1;
out:
	pthread_mutex_unlock(&r->mu);
	return rc;
}

static int bind(vs_scn_exec *r, vs_scn_ns ns, const char *name, void *obj, vs_error *err)
{
	return bind_in(r, ns, name, obj, NULL, NULL, err);
}

/* Marks v seen; returns 1 when it was new (a creation). */
static int see_var(vs_scn_exec *r, const vs_var *v)
{
	int fresh = 1;
	pthread_mutex_lock(&r->mu);
	if (2 * (r->nseen + 1) > r->capseen) {
		size_t n = r->capseen ? 2 * r->capseen : 64;
		const vs_var **nv = calloc(n, sizeof *nv);
		if (!nv)
			goto out; /* counted as new: only the created/reused tally suffers */
		for (size_t i = 0; i < r->capseen; i++)
			if (r->seen[i]) {
				size_t j = ptr_hash(r->seen[i]) & (n - 1);
				while (nv[j])
					j = (j + 1) & (n - 1);
				nv[j] = r->seen[i];
			}
		free(r->seen);
		r->seen = nv;
		r->capseen = n;
	}
	size_t j = ptr_hash(v) & (r->capseen - 1);
	while (r->seen[j] && r->seen[j] != v)
		j = (j + 1) & (r->capseen - 1);
	if (r->seen[j])
		fresh = 0;
	else {
		r->seen[j] = v;
		r->nseen++;
	}
out:
	pthread_mutex_unlock(&r->mu);
	return fresh;
}

long long vs_scn_run_calls(vs_scn_exec *r, const char *name)
{
	long long n = 0;
	pthread_mutex_lock(&r->mu);
	for (size_t i = 0; i < r->s->nbehaves; i++)
		if (!strcmp(r->s->behaves[i].name, name))
			n += r->behaves[i].calls;
	pthread_mutex_unlock(&r->mu);
	return n;
}

static int regularizer_none(void *ud, vs_var *v) { return 0; }

static int partitioner_parts(void *ud, const vs_shape *shape, vs_dtype dtype, int64_t *parts,
                             int max_parts)
{
	const vs_scn_part *p = ud;
	int n = p->nparts < max_parts ? p->nparts : max_parts;
	for (int i = 0; i < n; i++)
		parts[i] = p->parts[i];
	return n;
}

static int partitioner_not_seq(void *ud, const vs_shape *shape, vs_dtype dtype, int64_t *parts,
                               int max_parts)
{
	return -1;
}

/* ---------------------------------------------------------------- helpers */

/* a step's call site: the scenario file and line, in the scenario function
 * (or thread) running it, so findings name the scenario's own functions */
static vs_site site_of(const vs_scn_thr *ts, const vs_scn_step *st)
{
	vs_site s = {ts->run->s->path, st->pos.line, ts->fn ? ts->fn : ts->name};
	return s;
}

/* runs the body of scenario function def on ts, its call sites named after
 * it, under a symbolic frame for the call step at ts->call_line (0: no call
 * step, the frame only names def) */
static int exec_function(vs_scn_thr *ts, const vs_scn_func *def)
{
	const char *outer = ts->fn;
	int line = ts->call_line;
	ts->call_line = 0;
	int pushed = vs_scn_frame_push(ts, line, def->name);
	int rc = vs_scn_exec_list(ts, &def->body);
	vs_scn_frame_pop(ts, pushed, outer);
	return rc;
}

static const char *str_or_null(const vs_scn_val *v)
{
	return v->set && !v->is_null ? v->str : NULL;
}

/* A scenario-level error: not a TensorFlow exception, cannot be expected. */
static int unbound(vs_scn_thr *ts, const char *what, const char *name)
{
	return vs_error_set(&ts->err, VS_ERR_STATE, "%s '%s' is not bound yet", what, name);
}

typedef struct argbuf { /* storage for the pointers in option structs */
	vs_initializer init;
	vs_regularizer reg;
	vs_partitioner part;
	vs_constraint constraint;
} argbuf;

static const vs_initializer *arg_init(const vs_scn_val *v, vs_initializer *buf)
{
	if (!v->set || v->is_null)
		return NULL;
	*buf = v->init;
	buf->shape = v->init_has_shape ? &v->init_shape : NULL;
	return buf;
}

static const vs_regularizer *arg_reg(const vs_scn_val *v, vs_regularizer *buf)
{
	if (!v->set || v->is_null)
		return NULL;
	buf->fn = v->regularizer_adds ? NULL : regularizer_none;
	buf->ud = NULL;
	buf->label = v->regularizer_adds ? "adds_loss" : "returns_none";
	return buf;
}

static const vs_partitioner *arg_part(const vs_scn_val *v, vs_partitioner *buf)
{
	if (!v->set || v->is_null)
		return NULL;
	switch (v->part.kind) {
	case VS_SCN_PART_FIXED:
		*buf = vs_fixed_size_partitioner(v->part.shards, v->part.axis);
		break;
	case VS_SCN_PART_PARTS:
		*buf = (vs_partitioner){partitioner_parts, (void *)(uintptr_t)&v->part, "parts"};
		break;
	case VS_SCN_PART_NOT_CALLABLE: *buf = (vs_partitioner){NULL, NULL, "not_callable"}; break;
	case VS_SCN_PART_NOT_SEQUENCE:
		*buf = (vs_partitioner){partitioner_not_seq, NULL, "not_sequence"};
		break;
	}
	return buf;
}

static const vs_constraint *arg_constraint(const vs_scn_val *v, vs_constraint *buf)
{
	if (!v->set)
		return NULL;
	buf->label = v->str;
	return buf;
}

static const vs_getter *arg_getter(vs_scn_exec *r, const vs_scn_val *v)
{
	if (!v->set || v->is_null)
		return NULL;
	int i = vs_scn_find_behave(r->s, v->str, 0);
	return i >= 0 ? &r->behaves[i].getter : NULL;
}

static const char *const *arg_list(const vs_scn_val *v)
{
	return v->set ? (const char *const *)v->list.v : NULL;
}

static vs_tristate tri(const vs_scn_val *v)
{
	return !v->set ? VS_UNSET : v->b ? VS_TRUE : VS_FALSE;
}

static vs_dtype arg_dtype(const vs_scn_val *v) { return v->set ? v->dtype : VS_DT_NONE; }

static void fill_var_opts(vs_scn_exec *r, const vs_scn_val *a, vs_var_opts *o, argbuf *ab)
{
	memset(o, 0, sizeof *o);
	o->shape = a[VS_SCN_A_SHAPE].set ? &a[VS_SCN_A_SHAPE].shape : NULL;
	o->dtype = arg_dtype(&a[VS_SCN_A_DTYPE]);
	o->initializer = arg_init(&a[VS_SCN_A_INITIALIZER], &ab->init);
	o->regularizer = arg_reg(&a[VS_SCN_A_REGULARIZER], &ab->reg);
	o->trainable = tri(&a[VS_SCN_A_TRAINABLE]);
	o->collections = arg_list(&a[VS_SCN_A_COLLECTIONS]);
	o->caching_device = str_or_null(&a[VS_SCN_A_CACHING_DEVICE]);
	o->partitioner = arg_part(&a[VS_SCN_A_PARTITIONER], &ab->part);
	o->validate_shape = tri(&a[VS_SCN_A_VALIDATE_SHAPE]);
	o->use_resource = tri(&a[VS_SCN_A_USE_RESOURCE]);
	o->custom_getter = arg_getter(r, &a[VS_SCN_A_CUSTOM_GETTER]);
	o->constraint = arg_constraint(&a[VS_SCN_A_CONSTRAINT], &ab->constraint);
	o->synchronization = a[VS_SCN_A_SYNCHRONIZATION].sync;
	o->aggregation = a[VS_SCN_A_AGGREGATION].agg;
}

static int lookup_scope(vs_scn_thr *ts, const vs_scn_val *a, vs_varscope **out)
{
	const vs_scn_val *v = &a[VS_SCN_A_SCOPE];
	if (!v->set) {
		*out = vs_get_variable_scope();
		return 0;
	}
	*out = vs_scn_run_lookup(ts->run, VS_SCN_NS_SCOPE, v->str);
	return *out ? 0 : unbound(ts, "scope", v->str);
}

/* ------------------------------------------------------------- templates */

static int template_fn(void *ud, void *call_arg, vs_error *err)
{
	vs_scn_fn *xf = ud;
	vs_scn_thr *ts = call_arg;
	int rc = exec_function(ts, xf->def);
	if (rc < 0)
		vs_error_copy(err, &ts->err);
	return rc;
}

/* ------------------------------------------------------------------ steps */

/* exits cms of f from the top down to depth `keep`; first error wins */
static int unwind(vs_scn_thr *ts, frame *f, size_t keep, int quiet)
{
	int rc = 0;
	while (f->n > keep) {
		vs_cm *cm = f->cms[--f->n];
		if (!cm)
			continue;
		vs_error e;
		vs_error_init(&e);
		int x = vs_exit_at(site_of(ts, f->owners[f->n]), cm, &e);
		if (x < 0 && rc == 0 && !quiet) {
			rc = x;
			vs_error_copy(&ts->err, &e);
			ts->err_pos = f->owners[f->n]->pos;
		}
	}
	return rc;
}

/*
 * One step's call into libvs.  A handler makes the call the step kind
 * names, puts the context manager it entered (if any) in *cm, and what it
 * produced in *o; a libvs error goes into e, a scenario-level error
 * (unbound name, a failed nested list) into ts->err.
 */
typedef struct step_call {
	vs_scn_thr *ts;
	vs_scn_exec *r;
	const vs_scn_step *st;
	const vs_scn_val *a; /* st->a */
	vs_site site;
	vs_cm **cm;
	vs_scn_outcome *o;
	vs_error *e;
	argbuf ab;
} step_call;

typedef int step_fn(step_call *x);

/* binds the step's result to its `as:` name, when it has one */
static int bind_as(step_call *x, vs_scn_ns ns, void *obj)
{
	const vs_scn_val *as = &x->a[VS_SCN_A_AS];
	return as->set ? bind(x->r, ns, as->str, obj, x->e) : 0;
}

static int step_graph(step_call *x)
{
	vs_graph *g = NULL;
	const char *name = str_or_null(&x->a[VS_SCN_A_NAME]);
	int rc = x->st->kind == VS_SCN_GRAPH ? vs_graph_new_at(x->site, &g, name, x->e)
	                                     : vs_func_graph_new_at(x->site, &g, name, x->e);
	if (rc < 0)
		return rc;
	x->o->name = vs_graph_name(g);
	if ((rc = bind_as(x, VS_SCN_NS_GRAPH, g)) < 0)
		return rc;
	if (x->a[VS_SCN_A_BODY].set || x->a[VS_SCN_A_CM].set)
		return vs_graph_as_default_at(x->site, x->cm, g, x->e);
	return 0;
}

static int step_as_default(step_call *x)
{
	const char *name = x->a[VS_SCN_A_GRAPH].str;
	vs_graph *g = vs_scn_run_lookup(x->r, VS_SCN_NS_GRAPH, name);
	if (!g)
		return unbound(x->ts, "graph", name);
	x->o->name = vs_graph_name(g);
	return vs_graph_as_default_at(x->site, x->cm, g, x->e);
}

/* the context steps that take no argument: one libvs call each */
typedef int plain_cm_fn(vs_site site, vs_cm **out, vs_error *err);
static plain_cm_fn *const plain_cms[VS_SCN_KIND__COUNT] = {
	[VS_SCN_EAGER_MODE] = vs_eager_mode_at,
	[VS_SCN_GRAPH_MODE] = vs_graph_mode_at,
	[VS_SCN_INIT_SCOPE] = vs_init_scope_at,
	[VS_SCN_COND] = vs_cond_at,
	[VS_SCN_WHILE_LOOP] = vs_while_loop_at,
	[VS_SCN_GRADIENT_TAPE] = vs_gradient_tape_at,
	[VS_SCN_STOP_RECORDING] = vs_stop_recording_at,
};

static int step_plain_cm(step_call *x)
{
	VS_ASSERT(plain_cms[x->st->kind]);
	return plain_cms[x->st->kind](x->site, x->cm, x->e);
}

/* raise: raises a TF exception (e.g. a function that fails before it does
 * anything: the TypeError of a bad keyword argument) */
static int step_raise(step_call *x)
{
	const vs_scn_val *when = &x->a[VS_SCN_A_WHEN];
	if (when->set && !when->b)
		return 0;
	const char *kind = x->a[VS_SCN_A_ERROR].str;
	int code = vs_scn_err_code(kind);
	if (!code)
		return vs_error_set(&x->ts->err, VS_ERR_STATE, "unknown error kind '%s'", kind);
	const char *msg = str_or_null(&x->a[VS_SCN_A_MESSAGE]);
	return vs_error_set(x->e, code, "%s", msg ? msg : "");
}

/* tf.device(name); `device: ~` is tf.device(None) */
static int step_device(step_call *x)
{
	return vs_device_at(x->site, x->cm, str_or_null(&x->a[VS_SCN_A_NAME]), x->e);
}

static int step_reset_default_graph(step_call *x)
{
	return vs_reset_default_graph_at(x->site, x->e);
}

static int step_name_scope(step_call *x)
{
	vs_name_scope_opts no = {str_or_null(&x->a[VS_SCN_A_DEFAULT_NAME]),
	                         x->a[VS_SCN_A_VALUES].set && x->a[VS_SCN_A_VALUES].b};
	int rc = vs_name_scope_at(x->site, x->cm, str_or_null(&x->a[VS_SCN_A_NAME]), &no, x->e);
	if (rc >= 0)
		x->o->name = vs_cm_name(*x->cm);
	return rc;
}

static int step_op(step_call *x)
{
	vs_op *op = NULL;
	int rc = vs_op_at(x->site, &op, x->a[VS_SCN_A_TYPE].str, str_or_null(&x->a[VS_SCN_A_NAME]),
	                  x->e);
	if (rc < 0)
		return rc;
	x->o->name = vs_op_name(op);
	x->o->op = op;
	return bind_as(x, VS_SCN_NS_OP, op);
}

static int step_unique_name(step_call *x)
{
	const vs_scn_val *mark = &x->a[VS_SCN_A_MARK_AS_USED];
	vs_scn_outcome *o = x->o;
	int rc = vs_unique_name(x->a[VS_SCN_A_NAME].str, !mark->set || mark->b, o->namebuf,
	                        sizeof o->namebuf, x->e);
	if (rc >= 0)
		o->name = o->namebuf;
	return rc;
}

static int step_control_dependencies(step_call *x)
{
	const vs_scn_val *in = &x->a[VS_SCN_A_INPUTS];
	const vs_scn_strlist *l = &in->list;
	if (in->is_null)
		return vs_control_dependencies_at(x->site, x->cm, NULL, 0, x->e);
	vs_op **ops = calloc(l->n ? l->n : 1, sizeof *ops);
	if (!ops)
		return vs_error_nomem(x->e);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] && !(ops[i] = vs_scn_run_lookup(x->r, VS_SCN_NS_OP, l->v[i]))) {
			free(ops);
			return unbound(x->ts, "op", l->v[i]);
		}
	int rc = vs_control_dependencies_at(x->site, x->cm, (vs_op *const *)ops, l->n, x->e);
	free(ops);
	return rc;
}

/* variable_scope's scope defaults and flags */
static void fill_scope_opts(step_call *x, vs_varscope_opts *vo)
{
	const vs_scn_val *a = x->a;
	vo->reuse = a[VS_SCN_A_REUSE].reuse;
	vo->initializer = arg_init(&a[VS_SCN_A_INITIALIZER], &x->ab.init);
	vo->regularizer = arg_reg(&a[VS_SCN_A_REGULARIZER], &x->ab.reg);
	vo->caching_device = str_or_null(&a[VS_SCN_A_CACHING_DEVICE]);
	vo->partitioner = arg_part(&a[VS_SCN_A_PARTITIONER], &x->ab.part);
	vo->custom_getter = arg_getter(x->r, &a[VS_SCN_A_CUSTOM_GETTER]);
	vo->dtype = arg_dtype(&a[VS_SCN_A_DTYPE]);
	vo->use_resource = tri(&a[VS_SCN_A_USE_RESOURCE]);
	vo->constraint = arg_constraint(&a[VS_SCN_A_CONSTRAINT], &x->ab.constraint);
	if (a[VS_SCN_A_AUX_NAME_SCOPE].set) {
		if (a[VS_SCN_A_AUX_NAME_SCOPE].aux_bad)
			vo->bad_auxiliary_name_scope_text = a[VS_SCN_A_AUX_NAME_SCOPE].str;
		vo->auxiliary_name_scope = a[VS_SCN_A_AUX_NAME_SCOPE].b ? VS_TRUE : VS_FALSE;
	}
}

static int step_variable_scope(step_call *x)
{
	const vs_scn_val *a = x->a;
	vs_varscope_opts vo;
	memset(&vo, 0, sizeof vo);
	vo.default_name = str_or_null(&a[VS_SCN_A_DEFAULT_NAME]);
	if (a[VS_SCN_A_SCOPE].set) {
		vo.scope = vs_scn_run_lookup(x->r, VS_SCN_NS_SCOPE, a[VS_SCN_A_SCOPE].str);
		if (!vo.scope)
			return unbound(x->ts, "scope", a[VS_SCN_A_SCOPE].str);
	}
	fill_scope_opts(x, &vo);
	const char *name = str_or_null(&a[VS_SCN_A_NAME]);
	if (name && a[VS_SCN_A_NAME].not_str) { /* variable_scope(123) */
		vo.bad_name_or_scope = name;
		name = NULL;
	}
	int rc = vs_variable_scope_at(x->site, x->cm, name, &vo, x->e);
	if (rc < 0)
		return rc;
	x->o->scope = vs_cm_varscope(*x->cm);
	x->o->name = x->o->scope ? vs_varscope_name(x->o->scope) : NULL;
	return bind_as(x, VS_SCN_NS_SCOPE, x->o->scope);
}

static int step_capture_scope(step_call *x)
{
	x->o->scope = vs_get_variable_scope();
	x->o->name = vs_varscope_name(x->o->scope);
	return bind_as(x, VS_SCN_NS_SCOPE, x->o->scope);
}

static int step_capture_graph(step_call *x)
{
	vs_graph *g = vs_default_graph();
	x->o->name = vs_graph_name(g);
	return bind_as(x, VS_SCN_NS_GRAPH, g);
}

static int step_reuse_variables(step_call *x)
{
	vs_varscope *s;
	int rc = lookup_scope(x->ts, x->a, &s);
	if (rc < 0)
		return rc;
	x->o->scope = s;
	return vs_varscope_reuse_variables_at(x->site, s, x->e);
}

static int step_scope_set(step_call *x)
{
	const vs_scn_val *a = x->a;
	vs_error *e = x->e;
	vs_varscope *s;
	int rc = lookup_scope(x->ts, x->a, &s);
	x->o->scope = s;
	if (rc >= 0 && a[VS_SCN_A_INITIALIZER].set)
		rc = vs_varscope_set_initializer(s, arg_init(&a[VS_SCN_A_INITIALIZER], &x->ab.init),
		                                 e);
	if (rc >= 0 && a[VS_SCN_A_REGULARIZER].set)
		rc = vs_varscope_set_regularizer(s, arg_reg(&a[VS_SCN_A_REGULARIZER], &x->ab.reg),
		                                 e);
	if (rc >= 0 && a[VS_SCN_A_DTYPE].set)
		rc = vs_varscope_set_dtype(s, a[VS_SCN_A_DTYPE].dtype, e);
	if (rc >= 0 && a[VS_SCN_A_USE_RESOURCE].set)
		rc = vs_varscope_set_use_resource(s, a[VS_SCN_A_USE_RESOURCE].b, e);
	if (rc >= 0 && a[VS_SCN_A_CACHING_DEVICE].set)
		rc = vs_varscope_set_caching_device(s, a[VS_SCN_A_CACHING_DEVICE].str, e);
	if (rc >= 0 && a[VS_SCN_A_PARTITIONER].set)
		rc = vs_varscope_set_partitioner(s, arg_part(&a[VS_SCN_A_PARTITIONER], &x->ab.part),
		                                 e);
	if (rc >= 0 && a[VS_SCN_A_CUSTOM_GETTER].set)
		rc = vs_varscope_set_custom_getter(s, arg_getter(x->r, &a[VS_SCN_A_CUSTOM_GETTER]),
		                                   e);
	return rc;
}

static int step_creator_scope(step_call *x)
{
	const vs_scn_val *prio = &x->a[VS_SCN_A_PRIORITY];
	int i = vs_scn_find_behave(x->r->s, x->a[VS_SCN_A_CREATOR].str, 1);
	VS_ASSERT(i >= 0); /* the loader checked every creator reference */
	const vs_creator *c = &x->r->behaves[i].creator;
	if (prio->set)
		return vs_variable_creator_scope_prio_at(x->site, x->cm, c, (int)prio->i, x->e);
	return vs_variable_creator_scope_at(x->site, x->cm, c, x->e);
}

static int step_get_variable(step_call *x)
{
	vs_var_opts vo;
	const char *name = x->a[VS_SCN_A_NAME].str;
	fill_var_opts(x->r, x->a, &vo, &x->ab);
	x->o->has_var = 1;
	return x->st->kind == VS_SCN_GET_VARIABLE
	               ? vs_get_variable_at(x->site, &x->o->var, name, &vo, x->e)
	               : vs_get_local_variable_at(x->site, &x->o->var, name, &vo, x->e);
}

static int step_variable(step_call *x)
{
	const vs_scn_val *a = x->a;
	vs_creator_args ca;
	memset(&ca, 0, sizeof ca);
	ca.name = str_or_null(&a[VS_SCN_A_NAME]);
	ca.initial_value = arg_init(&a[VS_SCN_A_INITIAL_VALUE], &x->ab.init);
	ca.trainable = tri(&a[VS_SCN_A_TRAINABLE]);
	ca.collections = arg_list(&a[VS_SCN_A_COLLECTIONS]);
	ca.validate_shape = tri(&a[VS_SCN_A_VALIDATE_SHAPE]);
	ca.caching_device = str_or_null(&a[VS_SCN_A_CACHING_DEVICE]);
	ca.dtype = arg_dtype(&a[VS_SCN_A_DTYPE]);
	ca.constraint = arg_constraint(&a[VS_SCN_A_CONSTRAINT], &x->ab.constraint);
	ca.use_resource = tri(&a[VS_SCN_A_USE_RESOURCE]);
	ca.synchronization = a[VS_SCN_A_SYNCHRONIZATION].sync;
	ca.aggregation = a[VS_SCN_A_AGGREGATION].agg;
	ca.shape = a[VS_SCN_A_SHAPE].set ? &a[VS_SCN_A_SHAPE].shape : NULL;
	ca.v2 = a[VS_SCN_A_V2].set && a[VS_SCN_A_V2].b;
	x->o->has_var = 1;
	return vs_variable_at(x->site, &x->o->var, &ca, x->e);
}

static int step_make_template(step_call *x)
{
	const vs_scn_val *a = x->a;
	vs_template *t = NULL;
	int fi = vs_scn_find_func(x->r->s, a[VS_SCN_A_FUNCTION].str);
	VS_ASSERT(fi >= 0); /* the loader checked every function reference */
	vs_template_opts to = {a[VS_SCN_A_CREATE_SCOPE_NOW].set && a[VS_SCN_A_CREATE_SCOPE_NOW].b,
	                       str_or_null(&a[VS_SCN_A_UNIQUE_NAME]),
	                       arg_getter(x->r, &a[VS_SCN_A_CUSTOM_GETTER]),
	                       a[VS_SCN_A_CREATE_GRAPH_FUNCTION].set &&
	                               a[VS_SCN_A_CREATE_GRAPH_FUNCTION].b};
	int rc = vs_make_template_at(x->site, &t, str_or_null(&a[VS_SCN_A_NAME]), template_fn,
	                             &x->r->funcs[fi], &to, x->e);
	if (rc < 0)
		return rc;
	x->o->name = vs_template_name(t);
	return bind_as(x, VS_SCN_NS_TEMPLATE, t);
}

int vs_scn_frame_push(vs_scn_thr *ts, int line, const char *callee)
{
	vs_site at = {ts->run->s->path, line, ts->fn ? ts->fn : ts->name};
	ts->fn = callee; /* running callee, recorded or not */
	return vs_trace_frame_push(at, callee, NULL) < 0 ? 0 : 1;
}

void vs_scn_frame_pop(vs_scn_thr *ts, int pushed, const char *caller)
{
	if (pushed)
		vs_trace_frame_pop();
	ts->fn = caller;
}

/* the text of call argument name in the current call, or NULL */
static const char *param_text(const vs_scn_thr *ts, const char *name)
{
	if (!ts->nframes)
		return NULL;
	const vs_scn_argframe *f = &ts->frames[ts->nframes - 1];
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->names[i], name))
			return f->vals[i];
	return NULL;
}

/* pushes the call's resolved `args:` as the current frame and writes its
 * input signature ("k=v,k2=v2", "" without arguments) into sig */
static int push_args(step_call *x, char *sig, size_t n)
{
	vs_scn_thr *ts = x->ts;
	const vs_scn_val *av = &x->a[VS_SCN_A_ARGS];
	size_t cnt = av->set ? av->list.n : 0, at = 0;
	const char **vals = calloc(cnt ? cnt : 1, sizeof *vals);
	if (!vals || VS_GROW(ts->frames, ts->capframes, ts->nframes + 1) < 0) {
		free(vals);
		return vs_error_nomem(&ts->err);
	}
	sig[0] = '\0';
	for (size_t i = 0; i < cnt; i++) {
		const char *v = av->argvals.v[i];
		if (v[0] == '$' && v[1] && !(v = param_text(ts, v + 1))) {
			int rc = vs_error_set(&ts->err, VS_ERR_STATE, "no call argument '%s'",
			                      av->argvals.v[i] + 1);
			free(vals);
			return rc;
		}
		vals[i] = v;
		at += (size_t)snprintf(sig + at, at < n ? n - at : 0, "%s%s=%s", i ? "," : "",
		                       av->list.v[i], v);
	}
	ts->frames[ts->nframes++] = (vs_scn_argframe){(const char *const *)av->list.v, vals, cnt};
	return 0;
}

static void pop_args(vs_scn_thr *ts) { free(ts->frames[--ts->nframes].vals); }

/* call: a template, a traced function object or a function (inline) */
static int step_call_(step_call *x)
{
	const vs_scn_val *a = x->a;
	char sig[512];
	vs_template *t = NULL;
	vs_function *f = NULL;
	if (a[VS_SCN_A_TEMPLATE].set &&
	    !(t = vs_scn_run_lookup(x->r, VS_SCN_NS_TEMPLATE, a[VS_SCN_A_TEMPLATE].str)))
		return unbound(x->ts, "template", a[VS_SCN_A_TEMPLATE].str);
	if (a[VS_SCN_A_TRACED].set &&
	    !(f = vs_scn_run_lookup(x->r, VS_SCN_NS_FUNCOBJ, a[VS_SCN_A_TRACED].str)))
		return unbound(x->ts, "function object", a[VS_SCN_A_TRACED].str);
	int rc = push_args(x, sig, sizeof sig);
	if (rc < 0)
		return rc;
	x->ts->call_line = x->st->pos.line; /* the frame exec_function pushes */
	if (t) {
		x->o->name = vs_template_name(t);
		rc = vs_template_call_sig_at(x->site, t, sig, x->ts, x->e);
	} else if (f) {
		x->o->name = vs_function_name(f);
		rc = vs_function_call_at(x->site, f, sig, x->ts, x->e);
	} else {
		int fi = vs_scn_find_func(x->r->s, a[VS_SCN_A_FUNCTION].str);
		VS_ASSERT(fi >= 0); /* the loader checked every function reference */
		rc = exec_function(x->ts, &x->r->s->funcs[fi]);
		if (rc < 0)
			vs_error_copy(x->e, &x->ts->err);
	}
	x->ts->call_line = 0; /* not consumed when a traced function was cached */
	pop_args(x->ts);
	return rc;
}

/* def_function: a defun / tf.function object around a declared function */
static int step_def_function(step_call *x)
{
	const vs_scn_val *a = x->a;
	vs_function *f = NULL;
	int fi = vs_scn_find_func(x->r->s, a[VS_SCN_A_FUNCTION].str);
	VS_ASSERT(fi >= 0); /* the loader checked every function reference */
	vs_function_opts fo = {a[VS_SCN_A_TF_FUNCTION].set && a[VS_SCN_A_TF_FUNCTION].b};
	const char *name = str_or_null(&a[VS_SCN_A_NAME]);
	int rc = vs_function_new_at(x->site, &f, name ? name : a[VS_SCN_A_FUNCTION].str,
	                            template_fn, &x->r->funcs[fi], &fo, x->e);
	if (rc < 0)
		return rc;
	x->o->name = vs_function_name(f);
	return bind_as(x, VS_SCN_NS_FUNCOBJ, f);
}

static int step_eager_store(step_call *x)
{
	vs_eager_store *from = NULL, *out = NULL;
	int fresh = x->st->kind == VS_SCN_EAGER_STORE;
	const vs_scn_val *src = &x->a[fresh ? VS_SCN_A_FROM : VS_SCN_A_STORE];
	const vs_scn_val *vsv = &x->a[VS_SCN_A_VAR_STORE];
	if (src->set && !(from = vs_scn_run_lookup(x->r, VS_SCN_NS_STORE, src->str)))
		return unbound(x->ts, "eager store", src->str);
	vs_var_store *over = NULL;
	if (vsv->set && !(over = vs_scn_run_lookup(x->r, VS_SCN_NS_VARSTORE, vsv->str)))
		return unbound(x->ts, "variable store", vsv->str);
	int rc = over    ? vs_eager_store_from_store_at(x->site, &out, over, x->e)
	         : fresh ? vs_eager_store_new_at(x->site, &out, from, x->e)
	                 : vs_eager_store_copy_at(x->site, &out, from, x->e);
	if (rc < 0)
		return rc;
	return bind_as(x, VS_SCN_NS_STORE, out);
}

static int step_eager_store_scope(step_call *x)
{
	const char *name = x->a[VS_SCN_A_STORE].str;
	vs_eager_store *s = vs_scn_run_lookup(x->r, VS_SCN_NS_STORE, name);
	if (!s)
		return unbound(x->ts, "eager store", name);
	return vs_eager_store_as_default_at(x->site, x->cm, s, x->e);
}

/* var_store: a fresh _VariableStore(); capture_store: the default one */
static int step_var_store(step_call *x)
{
	vs_var_store *s = NULL;
	if (x->st->kind == VS_SCN_CAPTURE_STORE) {
		s = vs_default_var_store();
	} else {
		int rc = vs_var_store_new_at(x->site, &s, x->e);
		if (rc < 0)
			return rc;
	}
	return bind_as(x, VS_SCN_NS_VARSTORE, s);
}

/* _VariableStore.get_variable(name, reuse=...) on a bound or the default store */
static int step_store_get_variable(step_call *x)
{
	const vs_scn_val *vsv = &x->a[VS_SCN_A_VAR_STORE];
	vs_var_store *s = vsv->set ? vs_scn_run_lookup(x->r, VS_SCN_NS_VARSTORE, vsv->str)
	                           : vs_default_var_store();
	if (!s)
		return unbound(x->ts, "variable store", vsv->str);
	vs_var_opts vo;
	fill_var_opts(x->r, x->a, &vo, &x->ab);
	x->o->has_var = 1;
	return vs_var_store_get_variable_at(x->site, s, &x->o->var, x->a[VS_SCN_A_NAME].str,
	                                    x->a[VS_SCN_A_REUSE].reuse, &vo, x->e);
}

static int step_thread(step_call *x)
{
	int rc = vs_scn_sched_step(x->ts, x->st, x->site);
	if (rc < 0)
		vs_error_copy(x->e, &x->ts->err);
	return rc;
}

/* exit: leaves a cm bound with `cm:` wherever its frame is */
static int step_exit(step_call *x)
{
	const char *name = x->a[VS_SCN_A_CM].str;
	vs_cm **slot = vs_scn_run_lookup(x->r, VS_SCN_NS_CM, name);
	if (!slot || !*slot)
		return vs_error_set(x->e, VS_ERR_STATE, "context manager '%s' is not open", name);
	vs_cm *cm = *slot;
	*slot = NULL;
	int rc = vs_exit_at(x->site, cm, x->e);
	if (rc < 0)
		*slot = cm; /* a failed exit leaves it entered (TF), still bound */
	return rc;
}

/* check: only evaluates its expectations */
static int step_check(step_call *x)
{
	(void)x;
	return 0;
}

/* the handler of every step kind (ast.h); the loader hands out no other kind */
static step_fn *const step_fns[VS_SCN_KIND__COUNT] = {
	[VS_SCN_GRAPH] = step_graph,
	[VS_SCN_FUNC_GRAPH] = step_graph,
	[VS_SCN_AS_DEFAULT] = step_as_default,
	[VS_SCN_EAGER_MODE] = step_plain_cm,
	[VS_SCN_GRAPH_MODE] = step_plain_cm,
	[VS_SCN_RESET_DEFAULT_GRAPH] = step_reset_default_graph,
	[VS_SCN_INIT_SCOPE] = step_plain_cm,
	[VS_SCN_NAME_SCOPE] = step_name_scope,
	[VS_SCN_OP] = step_op,
	[VS_SCN_UNIQUE_NAME] = step_unique_name,
	[VS_SCN_CONTROL_DEPENDENCIES] = step_control_dependencies,
	[VS_SCN_COND] = step_plain_cm,
	[VS_SCN_WHILE_LOOP] = step_plain_cm,
	[VS_SCN_GRADIENT_TAPE] = step_plain_cm,
	[VS_SCN_STOP_RECORDING] = step_plain_cm,
	[VS_SCN_VARIABLE_SCOPE] = step_variable_scope,
	[VS_SCN_CAPTURE_SCOPE] = step_capture_scope,
	[VS_SCN_CAPTURE_GRAPH] = step_capture_graph,
	[VS_SCN_REUSE_VARIABLES] = step_reuse_variables,
	[VS_SCN_SCOPE_SET] = step_scope_set,
	[VS_SCN_CREATOR_SCOPE] = step_creator_scope,
	[VS_SCN_GET_VARIABLE] = step_get_variable,
	[VS_SCN_GET_LOCAL_VARIABLE] = step_get_variable,
	[VS_SCN_VARIABLE] = step_variable,
	[VS_SCN_MAKE_TEMPLATE] = step_make_template,
	[VS_SCN_CALL] = step_call_,
	[VS_SCN_EAGER_STORE] = step_eager_store,
	[VS_SCN_EAGER_STORE_COPY] = step_eager_store,
	[VS_SCN_EAGER_STORE_SCOPE] = step_eager_store_scope,
	[VS_SCN_DEVICE] = step_device,
	[VS_SCN_DEF_FUNCTION] = step_def_function,
	[VS_SCN_RAISE] = step_raise,
	[VS_SCN_VAR_STORE] = step_var_store,
	[VS_SCN_CAPTURE_STORE] = step_var_store,
	[VS_SCN_STORE_GET_VARIABLE] = step_store_get_variable,
	[VS_SCN_START] = step_thread,
	[VS_SCN_JOIN] = step_thread,
	[VS_SCN_YIELD] = step_thread,
	[VS_SCN_EXIT] = step_exit,
	[VS_SCN_CHECK] = step_check,
};

/* st's arguments with every `$NAME` replaced by the current call's value */
static int resolve_params(vs_scn_thr *ts, const vs_scn_step *st, vs_scn_val *av)
{
	memcpy(av, st->a, sizeof st->a);
	for (int a = 0; a < VS_SCN_A__COUNT; a++) {
		if (!av[a].param)
			continue;
		const char *text = param_text(ts, av[a].param);
		if (!text)
			return vs_error_set(&ts->err, VS_ERR_STATE, "no call argument '%s'",
			                    av[a].param);
		if (vs_scn_param_value(a, text, &av[a]) < 0)
			return vs_error_set(&ts->err, VS_ERR_STATE,
			                    "call argument '%s' = '%s' is not a valid value here",
			                    av[a].param, text);
	}
	return 0;
}

/* runs st's handler: 0, or < 0 with the error in e (or in ts->err) */
static int call_step(vs_scn_thr *ts, const vs_scn_step *st, vs_cm **cm, vs_scn_outcome *o,
                     vs_error *e)
{
	VS_ASSERT((unsigned)st->kind < VS_SCN_KIND__COUNT && step_fns[st->kind]);
	vs_scn_val av[VS_SCN_A__COUNT];
	if (st->has_params && resolve_params(ts, st, av) < 0)
		return ts->err.code;
	step_call x = {.ts = ts,
	               .r = ts->run,
	               .st = st,
	               .a = st->has_params ? av : st->a,
	               .site = site_of(ts, st),
	               .cm = cm,
	               .o = o,
	               .e = e};
	return step_fns[st->kind](&x);
}

/* an error raised by st itself starts propagating from st's position */
static void raise_here(vs_scn_thr *ts, const vs_scn_step *st, int count_tf)
{
	ts->err_pos = st->pos;
	ts->err_pending = 1;
	if (count_tf && vs_err_is_tf(ts->err.code))
		count(ts->run, &ts->run->rep->stats.errors);
}

/*
 * A context step entered cm: with a body, run it and exit; without one,
 * keep cm open in the frame (bound to its `cm:` name) until an `exit:`
 * step or the end of the list.
 */
static int enter_context(vs_scn_thr *ts, frame *f, const vs_scn_step *st, vs_cm *cm)
{
	vs_scn_exec *r = ts->run;
	if (st->a[VS_SCN_A_BODY].set) {
		int rc = vs_scn_exec_list(ts, &st->a[VS_SCN_A_BODY].body);
		vs_error x;
		vs_error_init(&x);
		int xr = vs_exit_at(site_of(ts, st), cm, &x);
		if (rc == 0 && xr < 0) { /* an error of the exit itself */
			rc = xr;
			vs_error_copy(&ts->err, &x);
			raise_here(ts, st, 1);
		}
		return rc;
	}
	f->cms[f->n] = cm;
	f->owners[f->n] = st;
	size_t at = 0;
	if (st->a[VS_SCN_A_CM].set &&
	    ((VS_GROW(f->bound, f->capbound, f->nbound + 1) < 0 && vs_error_nomem(&ts->err)) ||
	     bind_in(r, VS_SCN_NS_CM, st->a[VS_SCN_A_CM].str, &f->cms[f->n], f, &at, &ts->err) <
	             0)) {
		vs_exit_at(site_of(ts, st), cm, NULL);
		raise_here(ts, st, 0);
		return ts->err.code;
	}
	if (st->a[VS_SCN_A_CM].set)
		f->bound[f->nbound++] = at;
	f->n++;
	return 0;
}

/* a variable result: counted as created or reused, bound to `as:` */
static int note_var(vs_scn_thr *ts, const vs_scn_step *st, vs_scn_outcome *o)
{
	vs_scn_exec *r = ts->run;
	o->created = see_var(r, o->var);
	vs_scn_run_note(r, ts->name, o->created ? VS_SCN_ENT_CREATED : VS_SCN_ENT_REUSED, st->pos,
	                "%s", vs_var_name(o->var));
	const vs_scn_val *as = &st->a[VS_SCN_A_AS];
	int rc = as->set ? bind(r, VS_SCN_NS_VAR, as->str, o->var, &ts->err) : 0;
	if (rc < 0)
		raise_here(ts, st, 0);
	return rc;
}

/* `expect: {error: ...}`: like `try: <step> except <kind>`, the error is
 * handled either way */
static int expect_error(vs_scn_thr *ts, const vs_scn_step *st, vs_scn_outcome *o, int rc)
{
	vs_scn_exec *r = ts->run;
	o->rc = rc;
	o->err = &ts->err;
	if (vs_scn_sched_fatal(r))
		return rc;
	vs_scn_expect_check(r, ts->name, st, o, VS_SCN_PHASE_ERROR);
	if (rc < 0) {
		vs_scn_run_note(r, ts->name, VS_SCN_ENT_ERROR, ts->err_pos, "%s: %s",
		                vs_err_name(ts->err.code), ts->err.msg);
		ts->err_pending = 0;
		rc = 0;
	}
	return rc;
}

static int run_step(vs_scn_thr *ts, frame *f, const vs_scn_step *st)
{
	vs_scn_exec *r = ts->run;
	vs_scn_outcome o;
	vs_error e;
	vs_cm *cm = NULL;
	memset(&o, 0, sizeof o);
	vs_error_init(&e);
	count(r, &r->rep->stats.steps);
	int rc = call_step(ts, st, &cm, &o, &e);
	if (rc < 0) {
		/* the error as this step sees it (a template call may have added to
		 * the message of its body's error) */
		if (e.code)
			vs_error_copy(&ts->err, &e);
		if (!ts->err_pending) /* raised here, not by a nested step */
			raise_here(ts, st, 1);
	}
	if (rc == 0 && o.has_var && o.var)
		rc = note_var(ts, st, &o);
	if (st->has_expect && (rc == 0 || st->ex.err_code))
		vs_scn_expect_check(r, ts->name, st, &o, VS_SCN_PHASE_STATE);
	if (rc == 0 && cm)
		rc = enter_context(ts, f, st, cm);
	if (st->has_expect && st->ex.err_code)
		rc = expect_error(ts, st, &o, rc);
	return rc < 0 ? rc : 0;
}

int vs_scn_exec_list(vs_scn_thr *ts, const vs_scn_list *l)
{
	frame f;
	int rc = 0;
	if (ts->depth >= VS_SCN_MAX_RUN_DEPTH) {
		vs_error_set(&ts->err, VS_ERR_RUNTIME,
		             "maximum nesting depth exceeded: %d step lists (bodies and calls) "
		             "are running on this thread",
		             VS_SCN_MAX_RUN_DEPTH);
		ts->err_pending = 1; /* raised at the first step that could not run */
		ts->err_pos = l->n ? l->v[0].pos : (vs_scn_pos){0, 0};
		count(ts->run, &ts->run->rep->stats.errors);
		return VS_ERR_RUNTIME;
	}
	f.n = 0;
	f.bound = NULL;
	f.nbound = f.capbound = 0;
	f.cms = calloc(l->n ? l->n : 1, sizeof *f.cms);
	f.owners = calloc(l->n ? l->n : 1, sizeof *f.owners);
	if (!f.cms || !f.owners) {
		free(f.cms);
		free(f.owners);
		vs_error_nomem(&ts->err);
		ts->err_pending = 1;
		return VS_ERR_NOMEM;
	}
	ts->depth++;
	for (size_t i = 0; i < l->n && rc == 0; i++)
		rc = run_step(ts, &f, &l->v[i]);
	ts->depth--;
	/* leave what is still open: an error while unwinding for another error
	 * is dropped, like an exception raised in __exit__ during propagation */
	int xr = unwind(ts, &f, 0, rc < 0);
	if (rc == 0 && xr < 0) {
		rc = xr;
		ts->err_pending = 1;
		if (vs_err_is_tf(ts->err.code))
			count(ts->run, &ts->run->rep->stats.errors);
	}
	/* cms bound with `cm:` in this frame are gone now (unless the name was
	 * bound again elsewhere since) */
	pthread_mutex_lock(&ts->run->mu);
	for (size_t i = 0; i < f.nbound; i++) {
		binding *b = &ts->run->binds[f.bound[i]];
		if (b->ns == VS_SCN_NS_CM && b->frame == &f) {
			b->obj = NULL;
			b->frame = NULL;
		}
	}
	pthread_mutex_unlock(&ts->run->mu);
	free(f.bound);
	free(f.cms);
	free(f.owners);
	return rc;
}

/* ------------------------------------------------------------------- run */

static void run_free(vs_scn_exec *r)
{
	for (size_t i = 0; r->behaves && i < r->s->nbehaves; i++)
		vs_scn_beh_free(&r->behaves[i]);
	for (size_t i = 0; r->ts && i < r->nts; i++)
		free(r->ts[i].frames);
	free(r->binds);
	free(r->bind_idx);
	free(r->seen);
	free(r->behaves);
	free(r->funcs);
	free(r->ts);
	free(r->from);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
}

int vs_scn_run(const vs_scn *s, vs_scn_report **out, vs_error *err)
{
	vs_scn_exec r;
	vs_scn_report *rep = NULL;
	int rc = VS_ERR_NOMEM;
	*out = NULL;
	memset(&r, 0, sizeof r);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	r.s = s;
	r.nts = s->nthreads + 1;
	rep = calloc(1, sizeof *rep);
	r.behaves = calloc(s->nbehaves ? s->nbehaves : 1, sizeof *r.behaves);
	r.funcs = calloc(s->nfuncs ? s->nfuncs : 1, sizeof *r.funcs);
	r.ts = calloc(r.nts, sizeof *r.ts);
	r.from = calloc(r.nts, sizeof *r.from);
	if (!rep || !r.behaves || !r.funcs || !r.ts || !r.from) {
		vs_error_nomem(err);
		vs_error_prefix(err, "%s", s->path);
		goto cleanup;
	}
	r.rep = rep;
	for (size_t i = 0; i < s->nbehaves; i++) {
		vs_scn_beh *xb = &r.behaves[i];
		vs_scn_beh_init(xb, &r, &s->behaves[i]);
	}
	for (size_t i = 0; i < s->nfuncs; i++)
		r.funcs[i] = (vs_scn_fn){&r, &s->funcs[i]};
	for (size_t i = 0; i < r.nts; i++) {
		r.ts[i].run = &r;
		r.ts[i].idx = (int)i;
		r.ts[i].name = i ? s->threads[i - 1].name : "main";
		r.ts[i].def = i ? &s->threads[i - 1] : NULL;
	}
	vs_runtime_reset();
	if (s->config.eager || s->config.use_resource) {
		vs_runtime_opts ro = s->config;
		if ((rc = vs_runtime_configure(&ro, err)) < 0) {
			vs_error_prefix(err, "%s: config", s->path);
			goto cleanup;
		}
	}
	vs_scn_thr *main_ts = &r.ts[0];
	main_ts->started = 1;
	/* every event's stack is symbolic (the scenario's, not the interpreter's) */
	int pushed = vs_scn_frame_push(main_ts, 0, "main");
	rc = vs_scn_exec_list(main_ts, &s->steps);
	vs_scn_frame_pop(main_ts, pushed, NULL);
	if (rc < 0 && main_ts->err_pending && !r.fatal)
		vs_scn_run_note(&r, "main", VS_SCN_ENT_UNCAUGHT, main_ts->err_pos, "%s: %s",
		                vs_err_name(main_ts->err.code), main_ts->err.msg);
	/* main's end joins every thread still running, in declaration order */
	vs_scn_sched_join_all(&r);
	if (r.fatal) {
		rc = vs_error_set(err, VS_ERR_STATE, "%s:%d:%d: %s", s->path, main_ts->err_pos.line,
		                  main_ts->err_pos.col, main_ts->err.msg);
		for (size_t i = 1; i < r.nts; i++)
			if (r.ts[i].err_pending && r.ts[i].err.code == VS_ERR_STATE)
				rc = vs_error_set(err, VS_ERR_STATE, "%s:%d:%d: %s", s->path,
				                  r.ts[i].err_pos.line, r.ts[i].err_pos.col,
				                  r.ts[i].err.msg);
		goto cleanup;
	}
	*out = rep;
	rep = NULL;
	rc = 0;
cleanup:
	vs_scn_report_free(rep);
	run_free(&r);
	return rc;
}

void vs_scn_report_free(vs_scn_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free((char *)(uintptr_t)r->v[i].text);
	free(r->v);
	free(r);
}

const vs_scn_stats *vs_scn_report_stats(const vs_scn_report *r) { return &r->stats; }

size_t vs_scn_report_count(const vs_scn_report *r) { return r->n; }

const vs_scn_entry *vs_scn_report_at(const vs_scn_report *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}

int vs_scn_report_ok(const vs_scn_report *r)
{
	return r->stats.failed == 0 && r->stats.uncaught == 0;
}
