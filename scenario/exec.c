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
 *
 * Threads (sched.c) and getter/creator behaviours (behave.c) live in
 * their own files; this one owns the steps, the bindings and the report.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/run.h"

struct vs_scn_binding {
	vs_scn_ns ns;
	const char *name; /* borrowed from the tree */
	void *obj;        /* for NS_CM: vs_cm ** (the slot in its frame) */
	const void *frame;/* NS_CM: the frame that owns the slot */
};
typedef struct vs_scn_binding binding;

struct vs_scn_report {
	vs_scn_entry *v;
	size_t n, cap;
	vs_scn_stats stats;
};

/* a frame: the context managers a step list has open */
typedef struct frame {
	vs_cm **cms;
	const vs_scn_step **owners;
	size_t n;
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
	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? 2 * rep->cap : 64;
		vs_scn_entry *v = realloc(rep->v, cap * sizeof *v);
		if (!v)
			goto out; /* the counters above still tell */
		rep->v = v;
		rep->cap = cap;
	}
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

void *vs_scn_run_lookup(vs_scn_exec *r, vs_scn_ns ns, const char *name)
{
	void *obj = NULL;
	pthread_mutex_lock(&r->mu);
	for (size_t i = r->nbinds; i-- > 0;)
		if (r->binds[i].ns == ns && !strcmp(r->binds[i].name, name)) {
			obj = r->binds[i].obj;
			break;
		}
	pthread_mutex_unlock(&r->mu);
	return obj;
}

static int bind_in(vs_scn_exec *r, vs_scn_ns ns, const char *name, void *obj, const void *owner,
                   vs_error *err)
{
	int rc = 0;
	pthread_mutex_lock(&r->mu);
	for (size_t i = 0; i < r->nbinds; i++)
		if (r->binds[i].ns == ns && !strcmp(r->binds[i].name, name)) {
			r->binds[i].obj = obj; /* rebinding, like a Python assignment */
			r->binds[i].frame = owner;
			goto out;
		}
	if (r->nbinds == r->capbinds) {
		size_t cap = r->capbinds ? 2 * r->capbinds : 32;
		binding *b = realloc(r->binds, cap * sizeof *b);
		if (!b) {
			rc = vs_error_set(err, VS_ERR_NOMEM, "out of memory");
			goto out;
		}
		r->binds = b;
		r->capbinds = cap;
	}
	r->binds[r->nbinds++] = (binding){ns, name, obj, owner};
out:
	pthread_mutex_unlock(&r->mu);
	return rc;
}

static int bind(vs_scn_exec *r, vs_scn_ns ns, const char *name, void *obj, vs_error *err)
{
	return bind_in(r, ns, name, obj, NULL, err);
}

/* Marks v seen; returns 1 when it was new (a creation). */
static int see_var(vs_scn_exec *r, const vs_var *v)
{
	int fresh = 1;
	pthread_mutex_lock(&r->mu);
	for (size_t i = 0; i < r->nseen; i++)
		if (r->seen[i] == v) {
			fresh = 0;
			goto out;
		}
	if (r->nseen == r->capseen) {
		size_t cap = r->capseen ? 2 * r->capseen : 64;
		const vs_var **s = realloc(r->seen, cap * sizeof *s);
		if (!s)
			goto out;
		r->seen = s;
		r->capseen = cap;
	}
	r->seen[r->nseen++] = v;
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

static int regularizer_none(void *ud, vs_var *v)
{
	return 0;
}

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

static vs_site site_of(const vs_scn_exec *r, const vs_scn_step *st)
{
	vs_site s = {r->s->path, st->pos.line, vs_scn_kind_name(st->kind)};
	return s;
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
	if (!v->set)
		return NULL;
	*buf = v->init;
	buf->shape = v->init_has_shape ? &v->init_shape : NULL;
	return buf;
}

static const vs_regularizer *arg_reg(const vs_scn_val *v, vs_regularizer *buf)
{
	if (!v->set)
		return NULL;
	buf->fn = v->regularizer_adds ? NULL : regularizer_none;
	buf->ud = NULL;
	buf->label = v->regularizer_adds ? "adds_loss" : "returns_none";
	return buf;
}

static const vs_partitioner *arg_part(const vs_scn_val *v, vs_partitioner *buf)
{
	if (!v->set)
		return NULL;
	switch (v->part.kind) {
	case VS_SCN_PART_FIXED:
		*buf = vs_fixed_size_partitioner(v->part.shards, v->part.axis);
		break;
	case VS_SCN_PART_PARTS:
		*buf = (vs_partitioner){partitioner_parts, (void *)(uintptr_t)&v->part, "parts"};
		break;
	case VS_SCN_PART_NOT_CALLABLE:
		*buf = (vs_partitioner){NULL, NULL, "not_callable"};
		break;
	case VS_SCN_PART_NOT_SEQUENCE:
		*buf = (vs_partitioner){partitioner_not_seq, NULL, "not_sequence"};
		break;
	}
	return buf;
}

static const vs_getter *arg_getter(vs_scn_exec *r, const vs_scn_val *v)
{
	if (!v->set)
		return NULL;
	int i = vs_scn_find_behave(r->s, v->str, 0);
	return i >= 0 ? &r->behaves[i].getter : NULL;
}

static vs_tristate tri(const vs_scn_val *v)
{
	return !v->set ? VS_UNSET : v->b ? VS_TRUE : VS_FALSE;
}

static void fill_var_opts(vs_scn_exec *r, const vs_scn_step *st, vs_var_opts *o, argbuf *ab)
{
	const vs_scn_val *a = st->a;
	memset(o, 0, sizeof *o);
	o->shape = a[VS_SCN_A_SHAPE].set ? &a[VS_SCN_A_SHAPE].shape : NULL;
	o->dtype = a[VS_SCN_A_DTYPE].set ? a[VS_SCN_A_DTYPE].dtype : VS_DT_NONE;
	o->initializer = arg_init(&a[VS_SCN_A_INITIALIZER], &ab->init);
	o->regularizer = arg_reg(&a[VS_SCN_A_REGULARIZER], &ab->reg);
	o->trainable = tri(&a[VS_SCN_A_TRAINABLE]);
	o->collections = a[VS_SCN_A_COLLECTIONS].set
	                     ? (const char *const *)a[VS_SCN_A_COLLECTIONS].list.v : NULL;
	o->caching_device = str_or_null(&a[VS_SCN_A_CACHING_DEVICE]);
	o->partitioner = arg_part(&a[VS_SCN_A_PARTITIONER], &ab->part);
	o->validate_shape = tri(&a[VS_SCN_A_VALIDATE_SHAPE]);
	o->use_resource = tri(&a[VS_SCN_A_USE_RESOURCE]);
	o->custom_getter = arg_getter(r, &a[VS_SCN_A_CUSTOM_GETTER]);
	if (a[VS_SCN_A_CONSTRAINT].set) {
		ab->constraint.label = a[VS_SCN_A_CONSTRAINT].str;
		o->constraint = &ab->constraint;
	}
	o->synchronization = a[VS_SCN_A_SYNCHRONIZATION].sync;
	o->aggregation = a[VS_SCN_A_AGGREGATION].agg;
}

static int lookup_scope(vs_scn_thr *ts, const vs_scn_step *st, vs_varscope **out)
{
	const vs_scn_val *v = &st->a[VS_SCN_A_SCOPE];
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
	int rc = vs_scn_exec_list(ts, &xf->def->body);
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
		int x = vs_exit_at(site_of(ts->run, f->owners[f->n]), cm, &e);
		if (x < 0 && !rc && !quiet) {
			rc = x;
			vs_error_copy(&ts->err, &e);
			ts->err_pos = f->owners[f->n]->pos;
		}
	}
	return rc;
}

static int enter_step(vs_scn_thr *ts, const vs_scn_step *st, vs_cm **cm, vs_scn_outcome *o,
                      vs_error *e)
{
	vs_scn_exec *r = ts->run;
	const vs_scn_val *a = st->a;
	vs_site site = site_of(r, st);
	argbuf ab;
	switch (st->kind) {
	case VS_SCN_GRAPH:
	case VS_SCN_FUNC_GRAPH: {
		vs_graph *g = NULL;
		int rc = st->kind == VS_SCN_GRAPH
		             ? vs_graph_new_at(site, &g, str_or_null(&a[VS_SCN_A_NAME]), e)
		             : vs_func_graph_new_at(site, &g, str_or_null(&a[VS_SCN_A_NAME]), e);
		if (rc)
			return rc;
		o->name = vs_graph_name(g);
		if (a[VS_SCN_A_AS].set && (rc = bind(r, VS_SCN_NS_GRAPH, a[VS_SCN_A_AS].str, g, e)))
			return rc;
		if (a[VS_SCN_A_BODY].set || a[VS_SCN_A_CM].set)
			return vs_graph_as_default_at(site, cm, g, e);
		return 0;
	}
	case VS_SCN_AS_DEFAULT: {
		vs_graph *g = vs_scn_run_lookup(r, VS_SCN_NS_GRAPH, a[VS_SCN_A_GRAPH].str);
		if (!g)
			return unbound(ts, "graph", a[VS_SCN_A_GRAPH].str);
		o->name = vs_graph_name(g);
		return vs_graph_as_default_at(site, cm, g, e);
	}
	case VS_SCN_EAGER_MODE: return vs_eager_mode_at(site, cm, e);
	case VS_SCN_GRAPH_MODE: return vs_graph_mode_at(site, cm, e);
	case VS_SCN_RESET_DEFAULT_GRAPH: return vs_reset_default_graph_at(site, e);
	case VS_SCN_INIT_SCOPE: return vs_init_scope_at(site, cm, e);
	case VS_SCN_COND: return vs_cond_at(site, cm, e);
	case VS_SCN_WHILE_LOOP: return vs_while_loop_at(site, cm, e);
	case VS_SCN_GRADIENT_TAPE: return vs_gradient_tape_at(site, cm, e);
	case VS_SCN_STOP_RECORDING: return vs_stop_recording_at(site, cm, e);
	case VS_SCN_NAME_SCOPE: {
		vs_name_scope_opts no = {str_or_null(&a[VS_SCN_A_DEFAULT_NAME]),
		                         a[VS_SCN_A_VALUES].set && a[VS_SCN_A_VALUES].b};
		int rc = vs_name_scope_at(site, cm, str_or_null(&a[VS_SCN_A_NAME]), &no, e);
		if (!rc)
			o->name = vs_cm_name(*cm);
		return rc;
	}
	case VS_SCN_OP: {
		vs_op *op = NULL;
		int rc = vs_op_at(site, &op, a[VS_SCN_A_TYPE].str, str_or_null(&a[VS_SCN_A_NAME]), e);
		if (rc)
			return rc;
		o->name = vs_op_name(op);
		return a[VS_SCN_A_AS].set ? bind(r, VS_SCN_NS_OP, a[VS_SCN_A_AS].str, op, e) : 0;
	}
	case VS_SCN_UNIQUE_NAME: {
		int mark = !a[VS_SCN_A_MARK_AS_USED].set || a[VS_SCN_A_MARK_AS_USED].b;
		int rc = vs_unique_name(a[VS_SCN_A_NAME].str, mark, o->namebuf, sizeof o->namebuf, e);
		if (!rc)
			o->name = o->namebuf;
		return rc;
	}
	case VS_SCN_CONTROL_DEPENDENCIES: {
		const vs_scn_strlist *l = &a[VS_SCN_A_INPUTS].list;
		if (a[VS_SCN_A_INPUTS].is_null)
			return vs_control_dependencies_at(site, cm, NULL, 0, e);
		vs_op **ops = calloc(l->n ? l->n : 1, sizeof *ops);
		if (!ops)
			return vs_error_set(e, VS_ERR_NOMEM, "out of memory");
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i] && !(ops[i] = vs_scn_run_lookup(r, VS_SCN_NS_OP, l->v[i]))) {
				free(ops);
				return unbound(ts, "op", l->v[i]);
			}
		int rc = vs_control_dependencies_at(site, cm, (vs_op *const *)ops, l->n, e);
		free(ops);
		return rc;
	}
	case VS_SCN_VARIABLE_SCOPE: {
		vs_varscope_opts vo;
		memset(&vo, 0, sizeof vo);
		vo.default_name = str_or_null(&a[VS_SCN_A_DEFAULT_NAME]);
		if (a[VS_SCN_A_SCOPE].set) {
			vo.scope = vs_scn_run_lookup(r, VS_SCN_NS_SCOPE, a[VS_SCN_A_SCOPE].str);
			if (!vo.scope)
				return unbound(ts, "scope", a[VS_SCN_A_SCOPE].str);
		}
		vo.reuse = a[VS_SCN_A_REUSE].reuse;
		vo.initializer = arg_init(&a[VS_SCN_A_INITIALIZER], &ab.init);
		vo.regularizer = arg_reg(&a[VS_SCN_A_REGULARIZER], &ab.reg);
		vo.caching_device = str_or_null(&a[VS_SCN_A_CACHING_DEVICE]);
		vo.partitioner = arg_part(&a[VS_SCN_A_PARTITIONER], &ab.part);
		vo.custom_getter = arg_getter(r, &a[VS_SCN_A_CUSTOM_GETTER]);
		vo.dtype = a[VS_SCN_A_DTYPE].set ? a[VS_SCN_A_DTYPE].dtype : VS_DT_NONE;
		vo.use_resource = tri(&a[VS_SCN_A_USE_RESOURCE]);
		if (a[VS_SCN_A_CONSTRAINT].set) {
			ab.constraint.label = a[VS_SCN_A_CONSTRAINT].str;
			vo.constraint = &ab.constraint;
		}
		if (a[VS_SCN_A_AUX_NAME_SCOPE].set) {
			vo.bad_auxiliary_name_scope = a[VS_SCN_A_AUX_NAME_SCOPE].aux_bad;
			vo.auxiliary_name_scope = a[VS_SCN_A_AUX_NAME_SCOPE].b ? VS_TRUE : VS_FALSE;
		}
		int rc = vs_variable_scope_at(site, cm, str_or_null(&a[VS_SCN_A_NAME]), &vo, e);
		if (rc)
			return rc;
		o->scope = vs_cm_varscope(*cm);
		o->name = o->scope ? vs_varscope_name(o->scope) : NULL;
		return a[VS_SCN_A_AS].set ? bind(r, VS_SCN_NS_SCOPE, a[VS_SCN_A_AS].str, o->scope, e)
		                          : 0;
	}
	case VS_SCN_CAPTURE_SCOPE:
		o->scope = vs_get_variable_scope();
		o->name = vs_varscope_name(o->scope);
		return bind(r, VS_SCN_NS_SCOPE, a[VS_SCN_A_AS].str, o->scope, e);
	case VS_SCN_CAPTURE_GRAPH: {
		vs_graph *g = vs_default_graph();
		o->name = vs_graph_name(g);
		return bind(r, VS_SCN_NS_GRAPH, a[VS_SCN_A_AS].str, g, e);
	}
	case VS_SCN_REUSE_VARIABLES: {
		vs_varscope *s;
		int rc = lookup_scope(ts, st, &s);
		if (rc)
			return rc;
		o->scope = s;
		return vs_varscope_reuse_variables_at(site, s, e);
	}
	case VS_SCN_SCOPE_SET: {
		vs_varscope *s;
		int rc = lookup_scope(ts, st, &s);
		o->scope = s;
		if (!rc && a[VS_SCN_A_INITIALIZER].set)
			rc = vs_varscope_set_initializer(s, arg_init(&a[VS_SCN_A_INITIALIZER], &ab.init), e);
		if (!rc && a[VS_SCN_A_DTYPE].set)
			rc = vs_varscope_set_dtype(s, a[VS_SCN_A_DTYPE].dtype, e);
		if (!rc && a[VS_SCN_A_USE_RESOURCE].set)
			rc = vs_varscope_set_use_resource(s, a[VS_SCN_A_USE_RESOURCE].b, e);
		if (!rc && a[VS_SCN_A_CACHING_DEVICE].set)
			rc = vs_varscope_set_caching_device(s, a[VS_SCN_A_CACHING_DEVICE].str, e);
		if (!rc && a[VS_SCN_A_PARTITIONER].set)
			rc = vs_varscope_set_partitioner(s, arg_part(&a[VS_SCN_A_PARTITIONER], &ab.part), e);
		if (!rc && a[VS_SCN_A_CUSTOM_GETTER].set)
			rc = vs_varscope_set_custom_getter(s, arg_getter(r, &a[VS_SCN_A_CUSTOM_GETTER]), e);
		return rc;
	}
	case VS_SCN_CREATOR_SCOPE: {
		int i = vs_scn_find_behave(r->s, a[VS_SCN_A_CREATOR].str, 1);
		const vs_creator *c = &r->behaves[i].creator;
		if (a[VS_SCN_A_PRIORITY].set)
			return vs_variable_creator_scope_prio_at(site, cm, c, (int)a[VS_SCN_A_PRIORITY].i, e);
		return vs_variable_creator_scope_at(site, cm, c, e);
	}
	case VS_SCN_GET_VARIABLE:
	case VS_SCN_GET_LOCAL_VARIABLE: {
		vs_var_opts vo;
		fill_var_opts(r, st, &vo, &ab);
		o->has_var = 1;
		return st->kind == VS_SCN_GET_VARIABLE
		           ? vs_get_variable_at(site, &o->var, a[VS_SCN_A_NAME].str, &vo, e)
		           : vs_get_local_variable_at(site, &o->var, a[VS_SCN_A_NAME].str, &vo, e);
	}
	case VS_SCN_VARIABLE: {
		vs_creator_args ca;
		memset(&ca, 0, sizeof ca);
		ca.name = str_or_null(&a[VS_SCN_A_NAME]);
		ca.initial_value = arg_init(&a[VS_SCN_A_INITIAL_VALUE], &ab.init);
		ca.trainable = tri(&a[VS_SCN_A_TRAINABLE]);
		ca.collections = a[VS_SCN_A_COLLECTIONS].set
		                     ? (const char *const *)a[VS_SCN_A_COLLECTIONS].list.v : NULL;
		ca.validate_shape = tri(&a[VS_SCN_A_VALIDATE_SHAPE]);
		ca.caching_device = str_or_null(&a[VS_SCN_A_CACHING_DEVICE]);
		ca.dtype = a[VS_SCN_A_DTYPE].set ? a[VS_SCN_A_DTYPE].dtype : VS_DT_NONE;
		if (a[VS_SCN_A_CONSTRAINT].set) {
			ab.constraint.label = a[VS_SCN_A_CONSTRAINT].str;
			ca.constraint = &ab.constraint;
		}
		ca.use_resource = tri(&a[VS_SCN_A_USE_RESOURCE]);
		ca.synchronization = a[VS_SCN_A_SYNCHRONIZATION].sync;
		ca.aggregation = a[VS_SCN_A_AGGREGATION].agg;
		ca.shape = a[VS_SCN_A_SHAPE].set ? &a[VS_SCN_A_SHAPE].shape : NULL;
		ca.v2 = a[VS_SCN_A_V2].set && a[VS_SCN_A_V2].b;
		o->has_var = 1;
		return vs_variable_at(site, &o->var, &ca, e);
	}
	case VS_SCN_MAKE_TEMPLATE: {
		vs_template *t = NULL;
		int fi = vs_scn_find_func(r->s, a[VS_SCN_A_FUNCTION].str);
		vs_template_opts to = {a[VS_SCN_A_CREATE_SCOPE_NOW].set && a[VS_SCN_A_CREATE_SCOPE_NOW].b,
		                       str_or_null(&a[VS_SCN_A_UNIQUE_NAME]),
		                       arg_getter(r, &a[VS_SCN_A_CUSTOM_GETTER])};
		int rc = vs_make_template_at(site, &t, str_or_null(&a[VS_SCN_A_NAME]), template_fn,
		                             &r->funcs[fi], &to, e);
		if (rc)
			return rc;
		o->name = vs_template_name(t);
		return a[VS_SCN_A_AS].set ? bind(r, VS_SCN_NS_TEMPLATE, a[VS_SCN_A_AS].str, t, e) : 0;
	}
	case VS_SCN_CALL: {
		if (a[VS_SCN_A_FUNCTION].set) {
			int fi = vs_scn_find_func(r->s, a[VS_SCN_A_FUNCTION].str);
			int rc = vs_scn_exec_list(ts, &r->s->funcs[fi].body);
			if (rc < 0)
				vs_error_copy(e, &ts->err);
			return rc;
		}
		vs_template *t = vs_scn_run_lookup(r, VS_SCN_NS_TEMPLATE, a[VS_SCN_A_TEMPLATE].str);
		if (!t)
			return unbound(ts, "template", a[VS_SCN_A_TEMPLATE].str);
		o->name = vs_template_name(t);
		return vs_template_call_at(site, t, ts, e);
	}
	case VS_SCN_EAGER_STORE:
	case VS_SCN_EAGER_STORE_COPY: {
		vs_eager_store *from = NULL, *out = NULL;
		int k = st->kind == VS_SCN_EAGER_STORE ? VS_SCN_A_FROM : VS_SCN_A_STORE;
		if (a[k].set && !(from = vs_scn_run_lookup(r, VS_SCN_NS_STORE, a[k].str)))
			return unbound(ts, "eager store", a[k].str);
		int rc = st->kind == VS_SCN_EAGER_STORE ? vs_eager_store_new_at(site, &out, from, e)
		                                        : vs_eager_store_copy_at(site, &out, from, e);
		if (rc)
			return rc;
		return a[VS_SCN_A_AS].set ? bind(r, VS_SCN_NS_STORE, a[VS_SCN_A_AS].str, out, e) : 0;
	}
	case VS_SCN_EAGER_STORE_SCOPE: {
		vs_eager_store *s = vs_scn_run_lookup(r, VS_SCN_NS_STORE, a[VS_SCN_A_STORE].str);
		if (!s)
			return unbound(ts, "eager store", a[VS_SCN_A_STORE].str);
		return vs_eager_store_as_default_at(site, cm, s, e);
	}
	case VS_SCN_START:
	case VS_SCN_JOIN:
	case VS_SCN_YIELD: {
		int rc = vs_scn_sched_step(ts, st, site);
		if (rc < 0)
			vs_error_copy(e, &ts->err);
		return rc;
	}
	case VS_SCN_EXIT:
	case VS_SCN_CHECK:
	case VS_SCN_KIND__COUNT:
		break;
	}
	return 0;
}

/* exit: leaves a cm bound with `cm:` wherever its frame is */
static int exit_bound(vs_scn_thr *ts, const vs_scn_step *st, vs_error *e)
{
	vs_cm **slot = vs_scn_run_lookup(ts->run, VS_SCN_NS_CM, st->a[VS_SCN_A_CM].str);
	if (!slot || !*slot)
		return vs_error_set(e, VS_ERR_STATE, "context manager '%s' is not open",
		                    st->a[VS_SCN_A_CM].str);
	vs_cm *cm = *slot;
	*slot = NULL;
	return vs_exit_at(site_of(ts->run, st), cm, e);
}

static int run_step(vs_scn_thr *ts, frame *f, const vs_scn_step *st)
{
	vs_scn_exec *r = ts->run;
	vs_scn_outcome o;
	vs_error e;
	vs_cm *cm = NULL;
	int rc;
	memset(&o, 0, sizeof o);
	vs_error_init(&e);
	count(r, &r->rep->stats.steps);
	if (st->kind == VS_SCN_EXIT)
		rc = exit_bound(ts, st, &e);
	else
		rc = enter_step(ts, st, &cm, &o, &e);
	if (rc < 0) {
		/* the error as this step sees it (a template call may have added to
		 * the message of its body's error) */
		if (e.code)
			vs_error_copy(&ts->err, &e);
		if (!ts->err_pending) { /* raised here, not by a nested step */
			ts->err_pos = st->pos;
			ts->err_pending = 1;
			if (vs_err_is_tf(ts->err.code))
				count(r, &r->rep->stats.errors);
		}
	}
	if (rc == 0 && o.has_var && o.var) {
		o.created = see_var(r, o.var);
		vs_scn_run_note(r, ts->name, o.created ? VS_SCN_ENT_CREATED : VS_SCN_ENT_REUSED, st->pos,
		                "%s", vs_var_name(o.var));
		if (st->a[VS_SCN_A_AS].set && (rc = bind(r, VS_SCN_NS_VAR, st->a[VS_SCN_A_AS].str,
		                                         o.var, &ts->err)) < 0) {
			ts->err_pos = st->pos;
			ts->err_pending = 1;
		}
	}
	if (st->has_expect && (rc == 0 || st->ex.err_code))
		vs_scn_expect_check(r, ts->name, st, &o, VS_SCN_PHASE_STATE);
	if (rc == 0 && cm) {
		if (st->a[VS_SCN_A_BODY].set) {
			rc = vs_scn_exec_list(ts, &st->a[VS_SCN_A_BODY].body);
			vs_error x;
			vs_error_init(&x);
			int xr = vs_exit_at(site_of(r, st), cm, &x);
			if (rc == 0 && xr < 0) { /* an error of the exit itself */
				rc = xr;
				vs_error_copy(&ts->err, &x);
				ts->err_pos = st->pos;
				ts->err_pending = 1;
				if (vs_err_is_tf(x.code))
					count(r, &r->rep->stats.errors);
			}
		} else {
			/* stays entered: the frame exits it (or an `exit:` step) */
			f->cms[f->n] = cm;
			f->owners[f->n] = st;
			if (st->a[VS_SCN_A_CM].set &&
			    bind_in(r, VS_SCN_NS_CM, st->a[VS_SCN_A_CM].str, &f->cms[f->n], f,
			            &ts->err) < 0) {
				vs_exit_at(site_of(r, st), cm, NULL);
				rc = ts->err.code;
				ts->err_pos = st->pos;
				ts->err_pending = 1;
			} else {
				f->n++;
			}
		}
	}
	if (st->has_expect && st->ex.err_code) {
		o.rc = rc;
		o.err = &ts->err;
		if (vs_scn_sched_fatal(r))
			return rc;
		/* like `try: <step> except <kind>`: the error is handled either way */
		vs_scn_expect_check(r, ts->name, st, &o, VS_SCN_PHASE_ERROR);
		if (rc < 0) {
			vs_scn_run_note(r, ts->name, VS_SCN_ENT_ERROR, ts->err_pos, "%s: %s",
			                vs_err_name(ts->err.code), ts->err.msg);
			ts->err_pending = 0;
			rc = 0;
		}
	}
	return rc < 0 ? rc : 0;
}

int vs_scn_exec_list(vs_scn_thr *ts, const vs_scn_list *l)
{
	frame f;
	int rc = 0;
	f.n = 0;
	f.cms = calloc(l->n ? l->n : 1, sizeof *f.cms);
	f.owners = calloc(l->n ? l->n : 1, sizeof *f.owners);
	if (!f.cms || !f.owners) {
		free(f.cms);
		free(f.owners);
		vs_error_set(&ts->err, VS_ERR_NOMEM, "out of memory");
		ts->err_pending = 1;
		return VS_ERR_NOMEM;
	}
	for (size_t i = 0; i < l->n && rc == 0; i++)
		rc = run_step(ts, &f, &l->v[i]);
	/* leave what is still open: an error while unwinding for another error
	 * is dropped, like an exception raised in __exit__ during propagation */
	int xr = unwind(ts, &f, 0, rc < 0);
	if (rc == 0 && xr < 0) {
		rc = xr;
		ts->err_pending = 1;
		if (vs_err_is_tf(ts->err.code))
			count(ts->run, &ts->run->rep->stats.errors);
	}
	/* cms bound with `cm:` in this frame are gone now */
	pthread_mutex_lock(&ts->run->mu);
	for (size_t i = 0; i < ts->run->nbinds; i++) {
		binding *b = &ts->run->binds[i];
		if (b->ns == VS_SCN_NS_CM && b->frame == &f) {
			b->obj = NULL;
			b->frame = NULL;
		}
	}
	pthread_mutex_unlock(&ts->run->mu);
	free(f.cms);
	free(f.owners);
	return rc;
}

/* ------------------------------------------------------------------- run */

static void run_free(vs_scn_exec *r)
{
	free(r->binds);
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
		vs_error_set(err, VS_ERR_NOMEM, "%s: out of memory", s->path);
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
	if (vs_scn_exec_list(main_ts, &s->steps) < 0 && main_ts->err_pending && !r.fatal)
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
				                  r.ts[i].err_pos.line, r.ts[i].err_pos.col, r.ts[i].err.msg);
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

const vs_scn_stats *vs_scn_report_stats(const vs_scn_report *r)
{
	return &r->stats;
}

size_t vs_scn_report_count(const vs_scn_report *r)
{
	return r->n;
}

const vs_scn_entry *vs_scn_report_at(const vs_scn_report *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}

int vs_scn_report_ok(const vs_scn_report *r)
{
	return r->stats.failed == 0 && r->stats.uncaught == 0;
}
