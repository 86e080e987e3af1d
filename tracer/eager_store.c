/* SPDX-License-Identifier: MIT */
/*
 * tracer/eager_store.c - EagerVariableStore (docs/semantics.md §8): a variable
 * store that remembers eager variables, made default for a graph family by
 * as_default(), copied with fresh variables by copy().
 *
 * Invariant: an eager store always has store_eager set; as_default swaps
 * the root graph's store override under the root's mutex and restores the
 * previous one on exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/alloc.h"
#include "tracer/rt.h"

static vs_eager_store *es_new(rt_store *s)
{
	vs_eager_store *es = rt_obj_new(sizeof *es, NULL);
	if (es) {
		es->id = s->id;
		es->store = s;
	}
	return es;
}

/* EagerVariableStore.__init__(store=from): E27 unless from holds eager
 * variables; NULL = a fresh store */
static int eager_store_new(uint32_t sid, vs_eager_store **out, rt_store *from, vs_error *err)
{
	if (from && !from->store_eager)
		return rt_raise(
			sid, err, VS_ERR_VALUE, VS_TFE_EAGER_STORE_COPY,
			"Cannot construct EagerVariableStore from a VariableStore object that "
			"does not hold eager variables.");
	rt_store *s = from ? from : rt_store_new(1);
	vs_eager_store *es = s ? es_new(s) : NULL;
	if (!es)
		return vs_error_nomem(err);
	RT_EMIT(VS_EV_EAGER_STORE_NEW, 0, sid,
	        .eager_store_new = {.store_id = es->id, .copied_from = from ? from->id : 0});
	*out = es;
	return 0;
}

int vs_eager_store_new_at(vs_site site, vs_eager_store **out, vs_eager_store *from, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!out)
		return vs_error_set(err, VS_ERR_INVALID, "no result pointer");
	return eager_store_new(rt_site_id(site), out, from ? from->store : NULL, err);
}

int vs_eager_store_from_store_at(vs_site site, vs_eager_store **out, vs_var_store *s, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!s || !out)
		return vs_error_set(err, VS_ERR_INVALID, "no variable store");
	return eager_store_new(rt_site_id(site), out, s, err);
}

vs_var_store *vs_eager_store_var_store(const vs_eager_store *es) { return es ? es->store : NULL; }

int vs_eager_store_as_default_at(vs_site site, vs_cm **out, vs_eager_store *s, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!s)
		return vs_error_set(err, VS_ERR_INVALID, "no eager store");
	uint32_t sid = rt_site_id(site);
	vs_graph *g = rt_graph_default(t);
	vs_cm *cm = g ? rt_cm_new(RT_CM_EAGER_STORE) : NULL;
	if (!cm)
		return vs_error_nomem(err);
	vs_graph *r = g->root;
	pthread_mutex_lock(&r->mu);
	cm->eager_store.old_override = r->override;
	r->override = s->store;
	pthread_mutex_unlock(&r->mu);
	cm->eager_store.store = s;
	cm->eager_store.root = r;
	RT_EMIT(VS_EV_EAGER_STORE_ENTER, 0, sid, .eager_store = {.store_id = s->id, .cm = cm->id});
	*out = cm;
	return 0;
}

int rt_eager_store_exit(rt_tls *t, uint32_t sid, vs_cm *cm, vs_error *err)
{
	(void)t;
	(void)err;
	vs_graph *r = cm->eager_store.root;
	pthread_mutex_lock(&r->mu);
	r->override = cm->eager_store.old_override;
	pthread_mutex_unlock(&r->mu);
	RT_EMIT(VS_EV_EAGER_STORE_EXIT, 0, sid,
	        .eager_store = {.store_id = cm->eager_store.store->id, .cm = cm->id});
	return 0;
}

int vs_eager_store_copy_at(vs_site site, vs_eager_store **out, vs_eager_store *s, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!s)
		return vs_error_set(err, VS_ERR_INVALID, "no eager store");
	uint32_t sid = rt_site_id(site);
	rt_store *ns = rt_store_new(1);
	vs_eager_store *es = ns ? es_new(ns) : NULL;
	if (!es)
		return vs_error_nomem(err);
	RT_EMIT(VS_EV_EAGER_STORE_NEW, 0, sid,
	        .eager_store_new = {.store_id = es->id, .copied_from = s->id});
	pthread_mutex_lock(&s->store->mu);
	rt_map snap;
	int rc = rt_map_copy(&snap, &s->store->vars);
	pthread_mutex_unlock(&s->store->mu);
	if (rc < 0)
		return vs_error_nomem(err);
	for (size_t i = 0; i < snap.cap; i++) {
		const vs_var *ov = (const vs_var *)snap.slots[i].val;
		if (!snap.slots[i].key || !ov)
			continue;
		vs_var *v = rt_obj_new(sizeof *v, NULL);
		if (!v) {
			rc = vs_error_nomem(err);
			break;
		}
		*v = *ov;
		v->id = rt_id_next(&rt_global_ids.var);
		v->birth_tid = t->tid;
		v->birth_n = ++t->created;
		v->resource = 1;
		v->nparts = 0;
		v->parts = NULL;
		v->site = site;
		if (rt_map_put(&ns->vars, snap.slots[i].key, (intptr_t)v) < 0) {
			rc = vs_error_nomem(err);
			break;
		}
		RT_EMIT(VS_EV_VAR_CREATE,
		        (v->trainable ? VS_EVF_TRAINABLE : 0) | VS_EVF_RESOURCE | VS_EVF_DIRECT |
		                (v->eager ? VS_EVF_EAGER : 0),
		        sid,
		        .var_create = {.variable = v->id,
		                       .name = rt_str_id(v->name),
		                       .key = rt_str_id(v->key),
		                       .shape = rt_shape_str_id(&v->shape),
		                       .dtype = (uint32_t)v->dtype,
		                       .graph_id = v->graph ? v->graph->id : 0});
		rt_emit_var_info(v, sid);
	}
	rt_map_free(&snap);
	if (rc < 0)
		return rc;
	*out = es;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const vs_var *x = *(vs_var *const *)a, *y = *(vs_var *const *)b;
	return strcmp(x->name, y->name);
}

size_t vs_eager_store_variables(const vs_eager_store *s, vs_tmpl_vars which, vs_var **out,
                                size_t max)
{
	if (!s)
		return 0;
	rt_store *st = s->store;
	pthread_mutex_lock(&st->mu);
	size_t n = 0;
	vs_var **all = st->vars.n ? rt_malloc(st->vars.n * sizeof *all) : NULL;
	for (size_t i = 0; all && i < st->vars.cap; i++) {
		vs_var *v = (vs_var *)st->vars.slots[i].val;
		if (!st->vars.slots[i].key || !v)
			continue;
		if (which == VS_TMPL_TRAINABLE && !v->trainable)
			continue;
		if (which == VS_TMPL_NON_TRAINABLE && v->trainable)
			continue;
		if (which == VS_TMPL_LOCAL)
			continue;
		all[n++] = v;
	}
	pthread_mutex_unlock(&st->mu);
	if (n)
		qsort(all, n, sizeof *all, by_name);
	for (size_t i = 0; out && i < n && i < max; i++)
		out[i] = all[i];
	free(all);
	return n;
}
