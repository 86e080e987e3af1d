/* SPDX-License-Identifier: MIT */
/*
 * tracer/creator.c - variable_creator_scope stacks, the creator chain, the
 * default creator (the variable constructors, lifted by init_scope) and
 * direct Variable() creation (SEMANTICS.md §2.6, §6).
 *
 * Invariants: a creator stack is an immutable array (entering a scope makes
 * a new sorted copy), so "the stack is the one this scope installed" is a
 * pointer comparison; the stack lives in the (root graph, thread) record so
 * function graphs borrow their outer graph's; creators run only when a
 * variable is created, never on reuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/rt.h"

struct vs_creator_next {
	rt_tls *t;
	const rt_cstack *st;
	long idx; /* next entry to call; -1 = the default creator */
	unsigned depth;
	const rt_create_ctx *cc;
};

/* ---- creator scopes ------------------------------------------------------ */
/* always inlined: rt_site_id takes the public entry's frame (tracer/emit.h) */
static inline __attribute__((always_inline)) int creator_scope(vs_site site, vs_cm **out,
                                                               const vs_creator *creator,
                                                               int priority, vs_error *err)
{
	rt_tls *t = rt_state();
	if (!t)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	if (!creator)
		return vs_error_set(err, VS_ERR_INVALID, "no creator");
	uint32_t sid = rt_site_id(site);
	rt_pgt *p = rt_pgt_root(t, rt_default_graph(t));
	if (!p)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	rt_cstack *old = p->creators;
	size_t n = old ? old->n : 0;
	rt_cstack *neu = rt_obj_new(sizeof *neu + (n + 1) * sizeof neu->e[0], NULL);
	vs_cm *cm = neu ? rt_cm_new(RT_CM_CREATOR) : NULL;
	if (!cm)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	/* stable sort by priority: the new entry goes after every entry <= priority */
	size_t k = 0, j = 0;
	while (k < n && old->e[k].prio <= priority)
		neu->e[j++] = old->e[k++];
	neu->e[j].prio = priority;
	neu->e[j].c = *creator;
	neu->e[j].c.label = rt_intern_cstr(creator->label);
	j++;
	while (k < n)
		neu->e[j++] = old->e[k++];
	neu->n = n + 1;
	cm->pgt = p;
	cm->old_cs = old;
	cm->new_cs = neu;
	cm->label = rt_intern_cstr(creator->label);
	p->creators = neu;
	RT_EMIT_WORDS(VS_EV_CREATOR_SCOPE_ENTER, 0, sid, rt_sid(cm->label), (uint32_t)priority,
	        (uint32_t)neu->n, cm->id);
	*out = cm;
	return 0;
}

int vs_variable_creator_scope_prio_at(vs_site site, vs_cm **out, const vs_creator *creator,
                                      int priority, vs_error *err)
{
	return creator_scope(site, out, creator, priority, err);
}

int vs_variable_creator_scope_at(vs_site site, vs_cm **out, const vs_creator *creator,
                                 vs_error *err)
{
	return creator_scope(site, out, creator, 100, err);
}

int rt_creator_scope_exit(rt_tls *t, uint32_t sid, vs_cm *cm, vs_error *err)
{
	(void)t;
	int rc = 0;
	if (cm->pgt->creators != cm->new_cs)
		rc = rt_raise(sid, err, VS_ERR_RUNTIME, 18,
		              "Exiting variable_creator_scope without proper nesting.");
	else
		cm->pgt->creators = cm->old_cs;
	/* emitted on failure too (after the ERROR), so every ENTER has its EXIT */
	RT_EMIT_WORDS(VS_EV_CREATOR_SCOPE_EXIT, 0, sid, rt_sid(cm->label), 0, 0, cm->id);
	return rc;
}

/* ---- the default creator ------------------------------------------------- */
static int default_creator(rt_tls *t, vs_var **out, const vs_creator_args *a,
                           const rt_create_ctx *cc, vs_error *err)
{
	uint32_t sid = cc->site_id;
	int trainable = a->trainable ? a->trainable == VS_TRUE
	                             : a->synchronization != VS_SYNC_ON_READ;
	int eager_at_call = t->is_eager;
	int resource;
	if (a->v2) {
		resource = 1;
	} else {
		vs_tristate ur = a->use_resource;
		if (!ur) {
			vs_varscope *s = rt_cur_varscope(t);
			ur = s ? s->use_resource : VS_UNSET;
		}
		if (!ur)
			ur = rt_g_opts.use_resource == VS_TRUE ? VS_TRUE : VS_FALSE;
		resource = ur == VS_TRUE || eager_at_call;
	}
	vs_graph *from = eager_at_call ? NULL : rt_default_graph(t);
	rt_pgt *fp = from ? rt_pgt_get(t, from) : NULL;
	int in_ctl = fp && fp->ctl_ops.n > 0;
	rt_initsc is = {0};
	int rc;
	if (!a->no_lifting) {
		rc = rt_init_scope_enter(t, sid, &is, err);
		if (rc < 0)
			return rc;
	}
	rt_ns ns;
	rc = rt_ns_enter(t, sid, &ns, a->name ? a->name : "Variable", "Variable",
	                 rt_next_id(&rt_g_ids.cm), err);
	if (rc < 0)
		goto out_is;
	vs_var *v = rt_obj_new(sizeof *v, NULL);
	if (!v) {
		rc = vs_error_set(err, VS_ERR_NOMEM, "out of memory");
		goto out_ns;
	}
	size_t rl = strlen(ns.resolved);
	v->op_name = rl ? rt_intern(ns.resolved, rl - 1) : rt_empty();
	char buf[VS_ERROR_MSG_MAX];
	snprintf(buf, sizeof buf, "%s:0", v->op_name);
	v->name = rt_intern_cstr(buf);
	v->key = cc->store_key;
	const vs_initializer *iv = a->initial_value;
	vs_shape unknown = {.rank = -1}, scalar = {.rank = 0};
	if (a->shape)
		v->shape = *a->shape;
	else if (iv && iv->kind == VS_INIT_VALUE)
		v->shape = iv->shape ? *iv->shape : scalar;
	else
		v->shape = unknown;
	v->dtype = a->dtype ? a->dtype
	                    : (iv && iv->kind == VS_INIT_VALUE && iv->dtype ? iv->dtype : VS_DT_FLOAT32);
	v->trainable = trainable;
	v->resource = resource;
	v->eager = t->is_eager;
	v->graph = t->is_eager ? NULL : rt_default_graph(t);
	int nm = 0;
	v->init = rt_dup_init(iv, &nm);
	v->constraint = rt_dup_constraint(a->constraint, &nm);
	v->caching_device = rt_intern_cstr(a->caching_device);
	v->site = cc->site;
	v->id = rt_next_id(&rt_g_ids.var);
	if (nm || !v->name || !v->op_name) {
		rc = vs_error_set(err, VS_ERR_NOMEM, "out of memory");
		goto out_ns;
	}
	int local = 0;
	char cols[1024];
	size_t cl = 0;
	cols[0] = '\0';
	if (v->graph) {
		const char *const dflt[] = {VS_GLOBAL_VARIABLES, NULL};
		const char *const *list = a->collections && !a->v2 ? a->collections : dflt;
		int has_tr = 0;
		for (const char *const *c = list; *c; c++) {
			rt_coll_add(v->graph, rt_intern_cstr(*c), v);
			has_tr |= strcmp(*c, VS_TRAINABLE_VARIABLES) == 0;
			local |= strcmp(*c, VS_LOCAL_VARIABLES) == 0;
			cl += (size_t)snprintf(cols + cl, cl < sizeof cols ? sizeof cols - cl : 0, "%s%s",
			                       cl ? "," : "", *c);
		}
		if (trainable && !has_tr) {
			rt_coll_add(v->graph, rt_intern_cstr(VS_TRAINABLE_VARIABLES), v);
			cl += (size_t)snprintf(cols + cl, cl < sizeof cols ? sizeof cols - cl : 0, "%s%s",
			                       cl ? "," : "", VS_TRAINABLE_VARIABLES);
		}
	}
	v->birth_tid = t->tid;
	v->birth_n = ++t->created;
	if (RT_TRACING()) {
		unsigned fl = (trainable ? VS_EVF_TRAINABLE : 0) | (resource ? VS_EVF_RESOURCE : 0) |
		              (cc->store_key ? 0 : VS_EVF_DIRECT) | (local ? VS_EVF_LOCAL : 0) |
		              (v->graph != from || (is.active && is.lifted) ? VS_EVF_LIFTED : 0) |
		              (cc->shard ? VS_EVF_PARTITIONED : 0) | (v->eager ? VS_EVF_EAGER : 0) |
		              (a->no_lifting && in_ctl ? VS_EVF_IN_CONTROL_DEPS : 0);
		RT_EMIT_WORDS(VS_EV_VAR_CREATE, fl, sid, v->id, rt_sid(v->name), rt_sid(v->key),
		        rt_shape_sid(&v->shape), (uint32_t)v->dtype, rt_sid_cstr(cols),
		        v->graph ? v->graph->id : 0, rt_cur_template_id(t));
	}
	*out = v;
	rc = 0;
out_ns:
	rt_ns_exit(t, sid, &ns);
out_is:
	rt_init_scope_exit(t, sid, &is);
	return rc;
}

/* ---- the chain ----------------------------------------------------------- */
int vs_creator_next_call(vs_creator_next *next, vs_var **out, const vs_creator_args *args,
                         vs_error *err)
{
	if (!next || !out || !args)
		return vs_error_set(err, VS_ERR_INVALID, "bad creator call");
	rt_tls *t = next->t;
	uint32_t sid = next->cc->site_id;
	const rt_creator_entry *e = next->idx >= 0 ? &next->st->e[next->idx] : NULL;
	rt_istr label = e ? e->c.label : NULL;
	uint32_t call = rt_next_id(&rt_g_ids.call);
	int trainable = args->trainable ? args->trainable == VS_TRUE
	                                : args->synchronization != VS_SYNC_ON_READ;
	RT_EMIT_WORDS(VS_EV_CREATOR_CALL,
	        (trainable ? VS_EVF_TRAINABLE : 0) | (args->use_resource == VS_TRUE || args->v2 ? VS_EVF_RESOURCE : 0),
	        sid, next->depth, rt_sid(label), rt_sid_cstr(args->name), (uint32_t)args->dtype,
	        rt_shape_sid(args->shape), call);
	uint32_t before = t->created;
	*out = NULL;
	int rc;
	if (e) {
		if (!e->c.fn) {
			rc = rt_raise(sid, err, VS_ERR_TYPE, 0, "'%s' object is not callable",
			              label ? label : "NoneType");
		} else {
			vs_creator_next nn = {t, next->st, next->idx - 1, next->depth + 1, next->cc};
			rc = e->c.fn(out, &nn, args, e->c.ud, err);
		}
	} else {
		rc = default_creator(t, out, args, next->cc, err);
	}
	unsigned oc = rc < 0 ? VS_OUT_ERROR : !*out ? VS_OUT_OTHER
	                                          : rt_var_new_since(t, *out, before) ? VS_OUT_CREATED
	                                                                              : VS_OUT_REUSED;
	RT_EMIT_WORDS(VS_EV_CREATOR_RETURN, 0, sid, next->depth, rt_sid(label),
	        rc < 0 || !*out ? 0 : (*out)->id, 0, 0, call, oc, t->created - before);
	return rc;
}

int rt_create_variable(rt_tls *t, vs_var **out, const vs_creator_args *args,
                       const rt_create_ctx *cc, vs_error *err)
{
	rt_pgt *p = rt_pgt_root(t, rt_default_graph(t));
	if (!p)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	const rt_cstack *st = p->creators;
	vs_creator_next next = {t, st, st ? (long)st->n - 1 : -1, 0, cc};
	return vs_creator_next_call(&next, out, args, err);
}

int vs_variable_at(vs_site site, vs_var **out, const vs_creator_args *args, vs_error *err)
{
	rt_tls *t = rt_state();
	if (!t)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	if (!out)
		return vs_error_set(err, VS_ERR_INVALID, "no output");
	static const vs_creator_args none;
	const vs_creator_args *a = args ? args : &none;
	uint32_t sid = rt_site_id(site);
	uint32_t call = rt_next_id(&rt_g_ids.call);
	int trainable = a->trainable ? a->trainable == VS_TRUE : a->synchronization != VS_SYNC_ON_READ;
	RT_EMIT_WORDS(VS_EV_VARIABLE_ENTER,
	        (trainable ? VS_EVF_TRAINABLE : 0) | (a->v2 ? VS_EVF_V2 : 0) |
	                (a->no_lifting ? VS_EVF_NO_LIFT : 0),
	        sid, rt_sid_cstr(a->name), RT_TRACING() ? rt_sid(rt_cur_name_scope(t)) : 0, 0, 0, 0,
	        call);
	rt_create_ctx cc = {NULL, 0, site, sid};
	*out = NULL;
	uint32_t before = t->created;
	int rc = rt_create_variable(t, out, a, &cc, err);
	unsigned oc = rc < 0 ? VS_OUT_ERROR : !*out ? VS_OUT_OTHER
	                                          : rt_var_new_since(t, *out, before) ? VS_OUT_CREATED
	                                                                              : VS_OUT_REUSED;
	RT_EMIT_WORDS(VS_EV_VARIABLE_EXIT, 0, sid, 0, 0, rc < 0 || !*out ? 0 : (*out)->id, oc, 0, call);
	if (rc < 0)
		*out = NULL;
	return rc;
}
