/* SPDX-License-Identifier: MIT */
/*
 * tracer/varscope.c - VariableScope objects and variable_scope /
 * _pure_variable_scope (docs/semantics.md §3).
 *
 * Invariants: the current scope and the default-name counters live in the
 * (root graph, thread) record, so function graphs share them with their
 * outer graph; a string scope's exit zeroes the counters below it, a
 * captured scope's exit restores the snapshot taken at its entry; checks
 * run before any state changes, so a failed entry changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/rt.h"

static vs_varscope *scope_new(void)
{
	vs_varscope *s = rt_obj_new(sizeof *s, NULL);
	if (s)
		s->id = rt_id_next(&rt_global_ids.scope);
	return s;
}

vs_varscope *rt_varscope_root(void)
{
	vs_varscope *s = scope_new();
	if (!s)
		return NULL;
	rt_tls *t = rt_tls_get();
	int eager = t && t->ready && t->is_eager;
	s->name = rt_empty();
	s->ons = s->name;
	s->is_root = 1;
	s->reuse = eager ? VS_REUSE_AUTO : VS_REUSE_FALSE;
	s->dtype = VS_DT_FLOAT32;
	s->use_resource = eager ? VS_TRUE : VS_UNSET;
	return s;
}

vs_varscope *rt_varscope_current(rt_tls *t)
{
	vs_graph *g = rt_graph_default(t);
	rt_graph_thread *p = g ? rt_graph_thread_root(t, g) : NULL;
	return p ? p->scope : NULL;
}

vs_varscope *vs_get_variable_scope(void)
{
	rt_tls *t = rt_tls_model();
	return t ? rt_varscope_current(t) : NULL;
}

static rt_istr join(const char *a, const char *b)
{
	char buf[VS_ERROR_MSG_MAX];
	int n = a && *a ? snprintf(buf, sizeof buf, "%s/%s", a, b)
	                : snprintf(buf, sizeof buf, "%s", b);
	return n >= 0 && (size_t)n < sizeof buf ? rt_intern(buf, (size_t)n) : NULL;
}

rt_istr rt_varscope_unique_name(rt_tls *t, const char *prefix)
{
	rt_graph_thread *p = rt_graph_thread_root(t, rt_graph_default(t));
	if (!p)
		return NULL;
	rt_istr name = join(p->scope->name, prefix);
	if (!name)
		return NULL;
	if (rt_map_get(&p->counts, name, 0) == 0)
		return rt_intern_cstr(prefix);
	char buf[VS_ERROR_MSG_MAX];
	for (long idx = 1;; idx++) {
		snprintf(buf, sizeof buf, "%s_%ld", name, idx);
		rt_istr k = rt_intern_cstr(buf);
		if (!k)
			return NULL;
		if (rt_map_get(&p->counts, k, 0) <= 0) {
			snprintf(buf, sizeof buf, "%s_%ld", prefix, idx);
			return rt_intern_cstr(buf);
		}
	}
}

static rt_getter *wrap_getter(const vs_getter *g, rt_getter *outer, int *nomem)
{
	rt_getter *n = rt_obj_new(sizeof *n, NULL);
	if (!n) {
		*nomem = 1;
		return NULL;
	}
	n->g = *g;
	n->g.label = rt_intern_cstr(g->label);
	if (rt_intern_failed(g->label, n->g.label))
		*nomem = 1;
	n->outer = outer;
	return n;
}

static int eager_caching_error(uint32_t sid, vs_error *err, int ctor)
{
	return rt_raise(sid, err, VS_ERR_NOT_IMPLEMENTED, VS_TFE_NONE,
	                ctor ? "Caching devices is not yet supported when eager execution is "
	                       "enabled."
	                     : "Caching devices are not yet supported when eager execution is "
	                       "enabled.");
}

static int eager_use_resource_error(uint32_t sid, vs_error *err)
{
	return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_NONE,
	                "When eager execution is enabled, use_resource cannot be set to false.");
}

int rt_pure_scope_enter(rt_tls *t, uint32_t sid, rt_pure_scope *p, const rt_pure_scope_args *a,
                        vs_error *err)
{
	static const vs_varscope_opts none;
	const vs_varscope_opts *o = a->o ? a->o : &none;
	memset(p, 0, sizeof *p);
	rt_graph_thread *rp = rt_graph_thread_root(t, rt_graph_default(t));
	if (!rp)
		return vs_error_nomem(err);
	vs_varscope *old = rp->scope;
	const vs_varscope *src = a->captured ? a->captured : old;
	int eager = t->is_eager;
	/* checks first: a failed entry changes nothing */
	if (eager && src->caching)
		return eager_caching_error(sid, err, 1);
	if (eager && o->caching_device)
		return eager_caching_error(sid, err, 0);
	if (eager && o->use_resource == VS_FALSE)
		return eager_use_resource_error(sid, err);
	int nm = 0;
	vs_varscope *s = scope_new();
	if (!s)
		return vs_error_nomem(err);
	int want = a->reuse == VS_REUSE_TRUE || a->reuse == VS_REUSE_AUTO;
	s->reuse = want ? a->reuse : src->reuse;
	s->name = a->captured ? src->name : join(old->name, a->name);
	if (a->captured)
		s->ons = src->ons;
	else
		s->ons = a->old_name_scope ? a->old_name_scope : rt_intern_cstr(a->name);
	s->init = src->init;
	s->reg = src->reg;
	s->caching = src->caching;
	s->part = src->part;
	s->getter = src->getter;
	s->dtype = src->dtype;
	s->use_resource = src->use_resource;
	s->constraint = rt_constraint_dup(o->constraint, &nm);
	if (eager) {
		s->reuse = VS_REUSE_AUTO;
		s->use_resource = VS_TRUE;
	}
	if (o->initializer)
		s->init = rt_initializer_dup(o->initializer, &nm);
	if (o->regularizer)
		s->reg = rt_regularizer_dup(o->regularizer, &nm);
	if (o->caching_device)
		s->caching = rt_intern_cstr(o->caching_device);
	if (o->partitioner)
		s->part = rt_partitioner_dup(o->partitioner, &nm);
	if (o->custom_getter)
		s->getter = wrap_getter(o->custom_getter, src->getter, &nm);
	if (o->dtype)
		s->dtype = o->dtype;
	else if (a->dtype_f32_default)
		s->dtype = VS_DT_FLOAT32;
	if (o->use_resource)
		s->use_resource = o->use_resource;
	if (nm || !s->name || !s->ons || rt_intern_failed(o->caching_device, s->caching))
		return vs_error_nomem(err);
	intptr_t c = rt_map_get(&rp->counts, s->name, 0);
	if (rt_map_put(&rp->counts, s->name, c + 1) < 0)
		return vs_error_nomem(err);
	if (a->captured && rt_map_copy(&p->snapshot, &rp->counts) < 0) {
		int undo = rt_map_put(&rp->counts, s->name, c); /* present: no allocation */
		VS_ASSERT(undo >= 0);
		return vs_error_nomem(err);
	}
	p->captured = a->captured != NULL;
	p->graph_thread = rp;
	p->scope = s;
	p->old = old;
	p->active = 1;
	rp->scope = s;
	return 0;
}

int rt_pure_scope_exit(rt_tls *t, uint32_t sid, rt_pure_scope *p, vs_error *err)
{
	(void)t;
	if (!p->active)
		return 0;
	rt_graph_thread *rp = p->graph_thread;
	/* TF's _pure_variable_scope.__exit__ raises and changes nothing: the
	 * scope stays entered and a later exit in the right order succeeds */
	if (rp->scope != p->scope)
		return rt_raise(sid, err, VS_ERR_RUNTIME, VS_TFE_SCOPE_NESTING,
		                "Improper nesting of variable_scope.");
	p->active = 0;
	if (p->captured) {
		rt_map_free(&rp->counts);
		rp->counts = p->snapshot;
		memset(&p->snapshot, 0, sizeof p->snapshot);
	} else {
		size_t l = strlen(p->scope->name);
		for (size_t i = 0; i < rp->counts.cap; i++) {
			const char *k = rp->counts.slots[i].key;
			if (k && strncmp(k, p->scope->name, l) == 0 && k[l] == '/')
				rp->counts.slots[i].val = 0;
		}
	}
	rp->scope = p->old;
	return 0;
}

static const char *last_component(const char *name)
{
	const char *s = strrchr(name, '/');
	return s ? s + 1 : name;
}

/* variable_scope's argument checks; *reuse = the reuse asked (False as None) */
static int vs_enter_check(uint32_t sid, const char *name, const vs_varscope_opts *o,
                          vs_reuse *reuse, vs_error *err)
{
	if (name && o->scope)
		return rt_raise(sid, err, VS_ERR_TYPE, VS_TFE_BAD_SCOPE_TYPE,
		                "VariableScope: name_or_scope must be a string or VariableScope.");
	if (!name && !o->scope && !o->default_name && !o->bad_name_or_scope)
		return rt_raise(sid, err, VS_ERR_TYPE, VS_TFE_SCOPE_NAME_REQUIRED,
		                "If default_name is None then name_or_scope is required");
	*reuse = o->reuse == VS_REUSE_FALSE ? VS_REUSE_INHERIT : o->reuse;
	if (*reuse != VS_REUSE_INHERIT && *reuse != VS_REUSE_TRUE && *reuse != VS_REUSE_AUTO)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_BAD_REUSE,
		                "The reuse parameter must be True or False or None.");
	if (o->bad_auxiliary_name_scope_text)
		return rt_raise(sid, err, VS_ERR_TYPE, VS_TFE_BAD_AUX_NAME_SCOPE,
		                "The auxiliary_name_scope must be `True` or `False`, while get %s",
		                o->bad_auxiliary_name_scope_text);
	if (o->bad_auxiliary_name_scope)
		return rt_raise(sid, err, VS_ERR_TYPE, VS_TFE_BAD_AUX_NAME_SCOPE,
		                "The auxiliary_name_scope must be `True` or `False`, while get %d",
		                o->bad_auxiliary_name_scope);
	/* __enter__'s type check of name_or_scope (after the constructor's) */
	if (o->bad_name_or_scope && !name && !o->scope)
		return rt_raise(sid, err, VS_ERR_TYPE, VS_TFE_BAD_SCOPE_TYPE,
		                "VariableScope: name_or_scope must be a string or VariableScope.");
	if (!name && !o->scope && *reuse != VS_REUSE_INHERIT)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_DEFAULT_NAME_REUSE,
		                "reuse=True cannot be used without a name_or_scope");
	return 0;
}

/* the name scope a variable scope opens (re-entering the current one when
 * auxiliary_name_scope=False) and the pure scope's name arguments in pa */
static int vs_enter_name_scope(rt_tls *t, uint32_t sid, rt_varscope_cm *c, const char *name,
                               const vs_varscope_opts *o, vs_reuse reuse, uint32_t cm,
                               rt_pure_scope_args *pa, vs_error *err)
{
	const char *ns_arg = NULL;
	char buf[VS_ERROR_MSG_MAX];
	if (o->auxiliary_name_scope == VS_FALSE) {
		rt_istr cur = rt_name_scope_current(t);
		if (cur && *cur) {
			snprintf(buf, sizeof buf, "%s/", cur);
			ns_arg = buf;
		} else {
			ns_arg = "";
		}
	}
	int rc;
	if (name || o->scope) {
		const char *ns_name = name ? name : last_component(o->scope->name);
		pa->name = name;
		pa->captured = o->scope;
		pa->reuse = reuse;
		pa->ev_requested = name ? name : o->scope->name;
		if (!*ns_name && !ns_arg)
			return 0;
		rc = rt_name_scope_enter(t, sid, &c->ns, ns_arg ? ns_arg : ns_name, NULL, cm, err);
		if (rc < 0)
			return rc;
		pa->old_name_scope = name ? c->ns.resolved : o->scope->ons;
		pa->ev_ns = c->ns.resolved[0] ? c->ns.resolved : NULL;
		return 0;
	}
	rc = rt_name_scope_enter(t, sid, &c->ns, ns_arg ? ns_arg : o->default_name, NULL, cm, err);
	if (rc < 0)
		return rc;
	pa->name = rt_varscope_unique_name(t, o->default_name);
	if (!pa->name)
		return vs_error_nomem(err);
	pa->reuse = VS_REUSE_INHERIT;
	pa->old_name_scope = c->ns.resolved;
	pa->ev_requested = o->default_name;
	pa->ev_ns = c->ns.resolved[0] ? c->ns.resolved : NULL;
	return 0;
}

int rt_varscope_enter(rt_tls *t, uint32_t sid, rt_varscope_cm *c, const char *name,
                      const vs_varscope_opts *opts, uint32_t cm, vs_error *err)
{
	static const vs_varscope_opts none;
	const vs_varscope_opts *o = opts ? opts : &none;
	memset(c, 0, sizeof *c);
	vs_reuse reuse = VS_REUSE_INHERIT;
	int rc = vs_enter_check(sid, name, o, &reuse, err);
	if (rc < 0)
		return rc;
	int by_default = !name && !o->scope;
	int aux = o->auxiliary_name_scope != VS_FALSE;
	vs_graph *g = rt_graph_default(t);
	if (!g)
		return vs_error_nomem(err);
	if (!t->is_eager && !g->building_function) {
		c->old_eager = t->is_eager;
		if (rt_graph_push(t, g) < 0)
			return vs_error_nomem(err);
		c->graph_pushed = 1;
		c->graph = g;
		RT_EMIT(VS_EV_CTX_PUSH, 0, sid,
		        .ctx = {.ctx_kind = VS_CTX_GRAPH,
		                .graph_id = g->id,
		                .log_depth = (uint32_t)t->nsw,
		                .cm = cm});
	}
	rt_pure_scope_args pa = {0};
	pa.o = o;
	pa.ev_reuse_asked = o->reuse;
	pa.ev_flags = (by_default ? VS_EVF_DEFAULT_NAME : 0) | (aux ? 0 : VS_EVF_NO_AUX_NAME_SCOPE);
	rc = vs_enter_name_scope(t, sid, c, name, o, reuse, cm, &pa, err);
	if (rc >= 0)
		rc = rt_pure_scope_enter(t, sid, &c->pure, &pa, err);
	if (rc < 0) {
		rt_name_scope_exit(t, sid, &c->ns);
		if (c->graph_pushed) {
			/* pushed above and nothing since: on top, the pop cannot fail */
			int popped = rt_graph_pop(t, sid, c->graph, c->old_eager, cm, NULL);
			VS_ASSERT(popped >= 0);
		}
		c->graph_pushed = 0;
		return rc;
	}
	c->pure.cm = cm;
	RT_EMIT(VS_EV_VARSCOPE_ENTER, pa.ev_flags, sid,
	        .varscope = {.requested = rt_str_id_cstr(pa.ev_requested),
	                     .full_name = rt_str_id(c->pure.scope->name),
	                     .reuse_asked = (uint32_t)pa.ev_reuse_asked,
	                     .reuse = (uint32_t)c->pure.scope->reuse,
	                     .captured_scope = o->scope ? o->scope->id : 0,
	                     .name_scope = rt_str_id(pa.ev_ns),
	                     .scope_id = c->pure.scope->id,
	                     .cm = cm});
	return 0;
}

int rt_varscope_exit(rt_tls *t, uint32_t sid, rt_varscope_cm *c, vs_error *err)
{
	vs_varscope *s = c->pure.scope;
	uint32_t cm = c->pure.cm;
	int rc = rt_pure_scope_exit(t, sid, &c->pure, err);
	/* only when the scope was left: after a failed exit it is still entered
	 * and its VARSCOPE_EXIT comes with the exit that succeeds */
	if (rc >= 0)
		RT_EMIT(VS_EV_VARSCOPE_EXIT, 0, sid,
		        .varscope = {.full_name = rt_str_id(s->name), .scope_id = s->id, .cm = cm});
	rt_name_scope_exit(t, sid, &c->ns);
	if (c->graph_pushed) {
		c->graph_pushed = 0;
		int r2 = rt_graph_pop(t, sid, c->graph, c->old_eager, cm, rc < 0 ? NULL : err);
		if (rc >= 0)
			rc = r2;
	}
	return rc;
}

int vs_variable_scope_at(vs_site site, vs_cm **out, const char *name, const vs_varscope_opts *opts,
                         vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	vs_cm *cm = rt_cm_new(RT_CM_VARSCOPE);
	if (!cm)
		return vs_error_nomem(err);
	int rc = rt_varscope_enter(t, sid, &cm->varscope, name, opts, cm->id, err);
	if (rc < 0) {
		rt_cm_free(cm);
		return rc;
	}
	*out = cm;
	return 0;
}

/* ---- accessors and mutators ---------------------------------------------- */
const char *vs_varscope_name(const vs_varscope *s) { return s ? s->name : NULL; }
const char *vs_varscope_original_name_scope(const vs_varscope *s) { return s ? s->ons : NULL; }
vs_reuse vs_varscope_reuse(const vs_varscope *s) { return s ? s->reuse : VS_REUSE_FALSE; }
vs_dtype vs_varscope_dtype(const vs_varscope *s) { return s ? s->dtype : VS_DT_NONE; }
const vs_initializer *vs_varscope_initializer(const vs_varscope *s) { return s ? s->init : NULL; }
vs_tristate vs_varscope_use_resource(const vs_varscope *s)
{
	return s ? s->use_resource : VS_UNSET;
}
const vs_constraint *vs_varscope_constraint(const vs_varscope *s)
{
	return s ? s->constraint : NULL;
}
const vs_partitioner *vs_varscope_partitioner(const vs_varscope *s) { return s ? s->part : NULL; }
const char *vs_varscope_caching_device(const vs_varscope *s) { return s ? s->caching : NULL; }
const vs_regularizer *vs_varscope_regularizer(const vs_varscope *s) { return s ? s->reg : NULL; }
const vs_getter *vs_varscope_custom_getter(const vs_varscope *s)
{
	return s && s->getter ? &s->getter->g : NULL;
}
uint32_t vs_varscope_id(const vs_varscope *s) { return s ? s->id : 0; }

int vs_varscope_reuse_variables_at(vs_site site, vs_varscope *s, vs_error *err)
{
	if (!s)
		return vs_error_set(err, VS_ERR_INVALID, "no variable scope");
	rt_tls_model();
	uint32_t sid = rt_site_id(site);
	s->reuse = VS_REUSE_TRUE;
	RT_EMIT(VS_EV_REUSE_VARIABLES, s->is_root ? VS_EVF_ROOT_SCOPE : 0, sid,
	        .reuse_variables = {.scope_id = s->id, .full_name = rt_str_id(s->name)});
	return 0;
}

int vs_varscope_set_initializer(vs_varscope *s, const vs_initializer *init, vs_error *err)
{
	int nm = 0;
	const vs_initializer *c = rt_initializer_dup(init, &nm);
	if (nm)
		return vs_error_nomem(err);
	s->init = c;
	return 0;
}

int vs_varscope_set_regularizer(vs_varscope *s, const vs_regularizer *r, vs_error *err)
{
	if (!s)
		return vs_error_set(err, VS_ERR_INVALID, "no variable scope");
	int nm = 0;
	const vs_regularizer *c = rt_regularizer_dup(r, &nm);
	if (nm)
		return vs_error_nomem(err);
	s->reg = c;
	return 0;
}

int vs_varscope_set_dtype(vs_varscope *s, vs_dtype dt, vs_error *err)
{
	(void)err;
	s->dtype = dt;
	return 0;
}

int vs_varscope_set_use_resource(vs_varscope *s, int use_resource, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (t && t->is_eager && !use_resource)
		return eager_use_resource_error(0, err);
	s->use_resource = use_resource ? VS_TRUE : VS_FALSE;
	return 0;
}

int vs_varscope_set_caching_device(vs_varscope *s, const char *dev, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (t && t->is_eager)
		return eager_caching_error(0, err, 0);
	rt_istr caching = rt_intern_cstr(dev);
	if (rt_intern_failed(dev, caching))
		return vs_error_nomem(err);
	s->caching = caching;
	return 0;
}

int vs_varscope_set_partitioner(vs_varscope *s, const vs_partitioner *p, vs_error *err)
{
	int nm = 0;
	const vs_partitioner *c = rt_partitioner_dup(p, &nm);
	if (nm)
		return vs_error_nomem(err);
	s->part = c;
	return 0;
}

int vs_varscope_set_custom_getter(vs_varscope *s, const vs_getter *g, vs_error *err)
{
	int nm = 0;
	rt_getter *n = g ? wrap_getter(g, NULL, &nm) : NULL;
	if (nm)
		return vs_error_nomem(err);
	s->getter = n;
	return 0;
}

size_t vs_varscope_collection(const vs_varscope *s, const char *key, vs_var **out, size_t max)
{
	rt_tls *t = rt_tls_model();
	if (!t || !s || !key)
		return 0;
	vs_graph *g = rt_graph_default(t);
	size_t total = vs_collection_size(g, key);
	size_t l = strlen(s->name), k = 0;
	for (size_t i = 0; i < total; i++) {
		vs_var *v = vs_collection_get(g, key, i);
		if (!v)
			continue;
		if (l && !(strncmp(v->name, s->name, l) == 0 && v->name[l] == '/'))
			continue;
		if (k < max && out)
			out[k] = v;
		k++;
	}
	return k;
}
