/* SPDX-License-Identifier: MIT */
/*
 * tracer/template.c - make_template: graph Templates and EagerTemplates
 * (docs/semantics.md §7).
 *
 * Invariants: a template's variable scope is captured once (at construction
 * with create_scope_now, else by the first call) and never changes; the
 * first-call flag is cleared while the first call runs and set back when it
 * fails; an error leaving a template call carries the
 * "\n\noriginally defined at:\n" suffix with the construction site.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/rt.h"

struct vs_template {
	uint32_t id;
	rt_istr name, unique;
	vs_template_fn fn;
	void *ud;
	vs_getter getter;
	int has_getter;
	int eager;
	vs_site site;
	pthread_mutex_t mu; /* flags below */
	vs_varscope *vs;
	int first_call, variables_created;
	unsigned calls;
	rt_store *store; /* EagerTemplate's store */
	vs_function *gf; /* create_graph_function: the defun around fn */
};

static void tmpl_dtor(void *p)
{
	vs_template *t = p;
	pthread_mutex_destroy(&t->mu);
}

uint32_t rt_template_current_id(rt_tls *t)
{
	return t->tmpl.n ? ((vs_template *)t->tmpl.items[t->tmpl.n - 1])->id : 0;
}

/* create_scope_now_: the template's scope, entered and left at once (its
 * VARSCOPE_ENTER/EXIT events bracket nothing) */
static int template_scope_now(rt_tls *t, uint32_t sid, vs_template *tp, const char *name,
                              vs_error *err)
{
	vs_varscope_opts vo = {0};
	vo.custom_getter = tp->has_getter ? &tp->getter : NULL;
	rt_pure_scope_args pa = {0};
	pa.name = tp->unique ? tp->unique : rt_varscope_unique_name(t, name);
	if (!pa.name)
		return vs_error_nomem(err);
	pa.o = &vo;
	pa.dtype_f32_default = 1;
	pa.ev_requested = pa.name;
	rt_pure_scope p;
	int rc = rt_pure_scope_enter(t, sid, &p, &pa, err);
	if (rc < 0)
		return rc;
	uint32_t cm = rt_id_next(&rt_global_ids.cm);
	RT_EMIT(VS_EV_VARSCOPE_ENTER, 0, sid,
	        .varscope = {.requested = rt_str_id_cstr(pa.name),
	                     .full_name = rt_str_id(p.scope->name),
	                     .reuse = (uint32_t)p.scope->reuse,
	                     .scope_id = p.scope->id,
	                     .cm = cm});
	tp->vs = p.scope;
	rc = rt_pure_scope_exit(t, sid, &p, err);
	if (rc < 0)
		return rc;
	RT_EMIT(VS_EV_VARSCOPE_EXIT, 0, sid,
	        .varscope = {.full_name = rt_str_id(tp->vs->name),
	                     .scope_id = tp->vs->id,
	                     .cm = cm});
	return 0;
}

int vs_make_template_at(vs_site site, vs_template **out, const char *name, vs_template_fn fn,
                        void *ud, const vs_template_opts *opts, vs_error *err)
{
	static const vs_template_opts none;
	const vs_template_opts *o = opts ? opts : &none;
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	if (!name)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_TEMPLATE_NAME,
		                "name cannot be None.");
	if (t->is_eager && o->unique_name)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_EAGER_UNIQUE_NAME,
		                "unique_name_ cannot be used when eager execution is enabled.");
	vs_template *tp = rt_obj_new_mu(sizeof *tp, tmpl_dtor, RT_LK_TEMPLATE,
	                                offsetof(vs_template, mu));
	if (!tp)
		return vs_error_nomem(err);
	tp->id = rt_id_next(&rt_global_ids.tmpl);
	tp->name = rt_intern_cstr(name);
	tp->unique = rt_intern_cstr(o->unique_name);
	tp->fn = fn;
	tp->ud = ud;
	tp->eager = t->is_eager;
	tp->site = site;
	tp->first_call = 1;
	if (o->custom_getter) {
		tp->getter = *o->custom_getter;
		tp->getter.label = rt_intern_cstr(o->custom_getter->label);
		tp->has_getter = 1;
		if (rt_intern_failed(o->custom_getter->label, tp->getter.label))
			return vs_error_nomem(err);
	}
	if (rt_intern_failed(name, tp->name) || rt_intern_failed(o->unique_name, tp->unique))
		return vs_error_nomem(err);
	if (o->create_graph_function && fn) {
		int rc = vs_function_new_at(site, &tp->gf, name, fn, ud, NULL, err);
		if (rc < 0)
			return rc;
	}
	if (o->create_scope_now) {
		int rc = template_scope_now(t, sid, tp, name, err);
		if (rc < 0)
			return rc;
	}
	RT_EMIT(VS_EV_TEMPLATE_MAKE,
	        (o->create_scope_now ? VS_EVF_CREATE_SCOPE_NOW : 0) |
	                (tp->has_getter ? VS_EVF_HAS_GETTER : 0) | (tp->eager ? VS_EVF_EAGER : 0),
	        sid,
	        .template_make = {.template_id = tp->id,
	                          .name = rt_str_id(tp->name),
	                          .unique_name = rt_str_id(tp->unique),
	                          .scope_id = tp->vs ? tp->vs->id : 0,
	                          .scope_name = tp->vs ? rt_str_id(tp->vs->name) : 0});
	*out = tp;
	return 0;
}

static size_t count_trainable(rt_store *s)
{
	size_t n = 0;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->vars.cap; i++) {
		vs_var *v = (vs_var *)s->vars.slots[i].val;
		if (s->vars.slots[i].key && v && v->trainable)
			n++;
	}
	pthread_mutex_unlock(&s->mu);
	return n;
}

static void format_new_vars(vs_graph *g, size_t from, char *buf, size_t cap)
{
	size_t len = (size_t)snprintf(buf, cap, "[");
	size_t n = vs_collection_size(g, VS_TRAINABLE_VARIABLES);
	for (size_t i = from; i < n && len < cap; i++) {
		vs_var *v = vs_collection_get(g, VS_TRAINABLE_VARIABLES, i);
		char sh[256];
		vs_shape_format(&v->shape, sh, sizeof sh);
		len += (size_t)snprintf(buf + len, cap - len,
		                        "%s<tf.Variable '%s' shape=%s dtype=%s%s>",
		                        i > from ? ", " : "", v->name, sh, vs_dtype_name(v->dtype),
		                        v->resource ? "" : "_ref");
	}
	if (len < cap)
		snprintf(buf + len, cap - len, "]");
}

static void add_suffix(vs_template *tp, uint32_t sid, vs_error *err)
{
	char frame[1024], old[VS_ERROR_MSG_MAX];
	rt_frame_format(tp->site, frame, sizeof frame);
	snprintf(old, sizeof old, "%s", err->msg);
	int n = snprintf(err->msg, sizeof err->msg, "%s\n\noriginally defined at:\n%s", old, frame);
	if (n >= (int)sizeof err->msg)
		memcpy(err->msg + sizeof err->msg - 4, "...", 4);
	rt_raised(sid, err, VS_TFE_TEMPLATE_WRAPPED);
}

/* the template's variable scope: the captured one (reused after the first
 * call, AUTO_REUSE for an EagerTemplate), or a fresh one from its unique
 * name, captured by the first call that gets that far */
static int template_scope_enter(rt_tls *t, uint32_t sid, vs_template *tp, vs_cm *cm,
                                vs_varscope *cap, int first, vs_error *e)
{
	vs_varscope_opts vo = {0};
	if (cap) {
		vo.scope = cap;
		vo.reuse = tp->eager ? VS_REUSE_AUTO : (first ? VS_REUSE_INHERIT : VS_REUSE_TRUE);
		return rt_varscope_enter(t, sid, &cm->varscope, NULL, &vo, cm->id, e);
	}
	vo.default_name = tp->name;
	vo.custom_getter = tp->has_getter ? &tp->getter : NULL;
	int rc = rt_varscope_enter(t, sid, &cm->varscope, tp->eager ? NULL : tp->unique, &vo,
	                           cm->id, e);
	if (rc >= 0) {
		pthread_mutex_lock(&tp->mu);
		if (!tp->vs)
			tp->vs = cm->varscope.pure.scope;
		pthread_mutex_unlock(&tp->mu);
	}
	return rc;
}

/* an EagerTemplate's store becomes the root graph's override for the call
 * (an active EagerVariableStore's, or a fresh one); -1 on OOM */
static int template_store_enter(vs_template *tp, vs_graph *root, rt_store **old_override)
{
	/* a new store is made outside root->mu: rt_obj_new takes rt_global_mu,
	 * which comes before every graph mu in the lock order */
	rt_store *fresh = NULL;
	pthread_mutex_lock(&root->mu);
	while (!tp->store && !(root->override && root->override->store_eager) && !fresh) {
		pthread_mutex_unlock(&root->mu);
		fresh = rt_store_new(1);
		pthread_mutex_lock(&root->mu);
		if (!fresh)
			break;
	}
	*old_override = root->override;
	if (!tp->store)
		tp->store = root->override && root->override->store_eager ? root->override : fresh;
	if (tp->store)
		root->override = tp->store;
	pthread_mutex_unlock(&root->mu);
	return tp->store ? 0 : -1;
}

/* runs the template function; after the first call it must create no
 * trainable variable */
typedef struct tmpl_call {
	vs_site site;
	uint32_t sid;
	const char *signature;
	void *call_arg;
} tmpl_call;

static int template_run(rt_tls *t, const tmpl_call *tc, vs_template *tp, vs_graph *g, int created,
                        size_t n_train, vs_error *e)
{
	uint32_t sid = tc->sid;
	size_t s_train = tp->eager && tp->store ? count_trainable(tp->store) : 0;
	if (rt_vec_push(&t->tmpl, tp) < 0)
		return vs_error_nomem(e);
	int rc = tp->gf ? rt_function_call(t, tc->site, sid, tp->gf, tc->signature, tc->call_arg, e)
	         : tp->fn ? tp->fn(tp->ud, tc->call_arg, e)
	                  : 0;
	t->tmpl.n--;
	if (rc < 0 && !e->code)
		e->code = rc;
	if (rc != 0 || !created)
		return rc;
	int grew = tp->eager ? count_trainable(tp->store) != s_train
	                     : vs_collection_size(g, VS_TRAINABLE_VARIABLES) != n_train;
	if (!grew)
		return rc;
	char list[VS_ERROR_MSG_MAX];
	format_new_vars(g, n_train, list, sizeof list);
	return rt_raise(sid, e, VS_ERR_VALUE, VS_TFE_TEMPLATE_TRAINABLE,
	                "Trainable variable created when calling a template after the "
	                "first time, perhaps you used tf.Variable when you meant "
	                "tf.get_variable: %s",
	                list);
}

/* the first call's result: success marks the variables created, failure
 * lets the next call be the first */
static void template_first_call_end(vs_template *tp, int first_runs, int rc)
{
	if (!first_runs)
		return;
	pthread_mutex_lock(&tp->mu);
	if (rc < 0)
		tp->first_call = 1;
	else
		tp->variables_created = 1;
	pthread_mutex_unlock(&tp->mu);
}

int vs_template_call_at(vs_site site, vs_template *tp, void *call_arg, vs_error *err)
{
	return vs_template_call_sig_at(site, tp, NULL, call_arg, err);
}

int vs_template_call_sig_at(vs_site site, vs_template *tp, const char *signature, void *call_arg,
                            vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!tp)
		return vs_error_set(err, VS_ERR_INVALID, "no template");
	vs_error local;
	vs_error_init(&local); /* read below (e->code) when err is NULL */
	vs_error *e = err ? err : &local;
	uint32_t sid = rt_site_id(site);
	if (tp->eager && !t->is_eager)
		return rt_raise(sid, e, VS_ERR_RUNTIME, VS_TFE_EAGER_TEMPLATE_GRAPH,
		                "%s objects can only be used when eager execution is enabled, use "
		                "tf.Template for graph construction",
		                "<class 'tensorflow.python.ops.template.EagerTemplate'>");
	pthread_mutex_lock(&tp->mu);
	unsigned idx = ++tp->calls;
	vs_varscope *cap = tp->vs;
	int first = tp->first_call, created = tp->variables_created;
	int first_runs = !created && first;
	if (first_runs)
		tp->first_call = 0;
	pthread_mutex_unlock(&tp->mu);
	RT_EMIT(VS_EV_TEMPLATE_CALL_ENTER, 0, sid,
	        .template_enter = {.template_id = tp->id,
	                           .call_index = idx,
	                           .scope_name = cap ? rt_str_id(cap->name) : 0,
	                           .first_call = (uint32_t)first_runs});
	vs_cm *cm = rt_cm_new(RT_CM_VARSCOPE);
	if (!cm)
		return vs_error_nomem(e);
	int rc = template_scope_enter(t, sid, tp, cm, cap, first, e);
	if (rc < 0) {
		rt_cm_free(cm);
		template_first_call_end(tp, first_runs, rc);
		RT_EMIT(VS_EV_TEMPLATE_CALL_EXIT, 0, sid,
		        .template_exit = {.template_id = tp->id,
		                          .call_index = idx,
		                          .outcome = VS_OUT_ERROR});
		return rc;
	}
	vs_graph *g = rt_graph_default(t);
	VS_ASSERT(g != NULL); /* rt_varscope_enter needed it */
	vs_graph *root = g->root;
	rt_store *old_override = NULL;
	int store_ok = !tp->eager || template_store_enter(tp, root, &old_override) >= 0;
	size_t n_glob = vs_collection_size(g, VS_GLOBAL_VARIABLES);
	size_t n_train = vs_collection_size(g, VS_TRAINABLE_VARIABLES);
	tmpl_call tc = {site, sid, signature, call_arg};
	rc = store_ok ? template_run(t, &tc, tp, g, created, n_train, e) : vs_error_nomem(e);
	template_first_call_end(tp, first_runs, rc);
	if (rc < 0)
		add_suffix(tp, sid, e);
	if (tp->eager) {
		pthread_mutex_lock(&root->mu);
		root->override = old_override;
		pthread_mutex_unlock(&root->mu);
	}
	int xrc = rt_varscope_exit(t, sid, &cm->varscope, rc < 0 ? NULL : e);
	rt_cm_free(cm);
	if (rc == 0)
		rc = xrc;
	size_t d_glob = vs_collection_size(g, VS_GLOBAL_VARIABLES) - n_glob;
	size_t d_train = vs_collection_size(g, VS_TRAINABLE_VARIABLES) - n_train;
	unsigned oc = rc < 0 ? VS_OUT_ERROR : first_runs ? VS_OUT_CREATED : VS_OUT_REUSED;
	RT_EMIT(VS_EV_TEMPLATE_CALL_EXIT, 0, sid,
	        .template_exit = {.template_id = tp->id,
	                          .call_index = idx,
	                          .outcome = oc,
	                          .n_trainable = (uint32_t)d_train,
	                          .n_global = (uint32_t)d_glob});
	return rc;
}

const char *vs_template_name(const vs_template *tp) { return tp ? tp->name : NULL; }

vs_varscope *vs_template_variable_scope(const vs_template *tp)
{
	if (!tp)
		return NULL;
	vs_template *m = (vs_template *)(uintptr_t)tp;
	pthread_mutex_lock(&m->mu);
	vs_varscope *s = m->vs;
	pthread_mutex_unlock(&m->mu);
	return s;
}

const char *vs_template_variable_scope_name(const vs_template *tp)
{
	vs_varscope *s = vs_template_variable_scope(tp);
	if (!s)
		return NULL;
	size_t l = strlen(s->name);
	if (!l || s->name[l - 1] == '/')
		return s->name;
	char buf[VS_ERROR_MSG_MAX];
	snprintf(buf, sizeof buf, "%s/", s->name);
	return rt_intern_cstr(buf);
}

unsigned vs_template_calls(const vs_template *tp)
{
	if (!tp)
		return 0;
	vs_template *m = (vs_template *)(uintptr_t)tp;
	pthread_mutex_lock(&m->mu);
	unsigned c = m->calls;
	pthread_mutex_unlock(&m->mu);
	return c;
}

static size_t filter_coll(vs_graph *g, const char *key, const char *prefix, vs_var **out,
                          size_t max, size_t k, vs_tmpl_vars which)
{
	size_t n = vs_collection_size(g, key), pl = strlen(prefix);
	for (size_t i = 0; i < n; i++) {
		vs_var *v = vs_collection_get(g, key, i);
		if (!v || strncmp(v->name, prefix, pl) != 0)
			continue;
		if (which == VS_TMPL_NON_TRAINABLE && v->trainable)
			continue;
		if (out && k < max)
			out[k] = v;
		k++;
	}
	return k;
}

size_t vs_template_variables(const vs_template *tp, vs_tmpl_vars which, vs_var **out, size_t max)
{
	rt_tls *t = rt_tls_model();
	if (!t || !tp)
		return 0;
	vs_template *m = (vs_template *)(uintptr_t)tp;
	pthread_mutex_lock(&m->mu);
	int created = m->variables_created;
	rt_store *store = m->store;
	pthread_mutex_unlock(&m->mu);
	const char *prefix = vs_template_variable_scope_name(tp);
	if (!created || !prefix)
		return 0;
	if (tp->eager) {
		if (which == VS_TMPL_LOCAL || !store)
			return 0;
		vs_var *all[1024];
		size_t n = vs_eager_store_variables(&(vs_eager_store){0, store}, which, all, 1024);
		size_t k = 0, pl = strlen(prefix);
		for (size_t i = 0; i < n && i < 1024; i++)
			if (strncmp(all[i]->name, prefix, pl) == 0) {
				if (out && k < max)
					out[k] = all[i];
				k++;
			}
		return k;
	}
	vs_graph *g = rt_graph_default(t);
	switch (which) {
	case VS_TMPL_GLOBAL: return filter_coll(g, VS_GLOBAL_VARIABLES, prefix, out, max, 0, which);
	case VS_TMPL_TRAINABLE:
		return filter_coll(g, VS_TRAINABLE_VARIABLES, prefix, out, max, 0, which);
	case VS_TMPL_LOCAL: return filter_coll(g, VS_LOCAL_VARIABLES, prefix, out, max, 0, which);
	case VS_TMPL_VARIABLES: {
		size_t k = filter_coll(g, VS_GLOBAL_VARIABLES, prefix, out, max, 0, VS_TMPL_GLOBAL);
		return filter_coll(g, VS_LOCAL_VARIABLES, prefix, out, max, k, VS_TMPL_LOCAL);
	}
	case VS_TMPL_NON_TRAINABLE:
		return filter_coll(g, VS_GLOBAL_VARIABLES, prefix, out, max, 0, which);
	}
	return 0;
}
