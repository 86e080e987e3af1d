/* SPDX-License-Identifier: MIT */
/*
 * tracer/runtime.c - the runtime registry and process configuration:
 * vs_runtime_configure/reset/shutdown, registry-owned copies, errors.
 *
 * Invariant: every model object is on g_objs (under rt_global_mu) from its
 * creation until the next reset, which runs its destructor and frees it;
 * nothing else frees model objects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/alloc.h"
#include "tracer/rt.h"

pthread_mutex_t rt_global_mu = PTHREAD_MUTEX_INITIALIZER;
vs_runtime_opts rt_global_opts;
int rt_global_used;
rt_ids rt_global_ids;

typedef struct rt_obj {
	struct rt_obj *next;
	void (*dtor)(void *);
	pthread_mutex_t *mu; /* the object's own mutex (rt_obj_new_mu) or NULL */
	rt_lock_rank rank;
	max_align_t data[];
} rt_obj;

static rt_obj *g_objs;

void *rt_obj_new_mu(size_t size, void (*dtor)(void *), rt_lock_rank rank, size_t mu_off)
{
	rt_obj *o = rt_calloc(1, sizeof *o + size);
	if (!o)
		return NULL;
	o->dtor = dtor;
	o->rank = rank;
	if (rank != RT_LK_NONE) {
		o->mu = (pthread_mutex_t *)(void *)((char *)o->data + mu_off);
		pthread_mutex_init(o->mu, NULL); /* before a fork handler can see it */
	}
	pthread_mutex_lock(&rt_global_mu);
	o->next = g_objs;
	g_objs = o;
	pthread_mutex_unlock(&rt_global_mu);
	return o->data;
}

void *rt_obj_new(size_t size, void (*dtor)(void *))
{
	return rt_obj_new_mu(size, dtor, RT_LK_NONE, 0);
}

void rt_registry_atfork(rt_fork_phase phase, uint32_t tid)
{
	if (phase == RT_FORK_PREPARE) {
		pthread_mutex_lock(&rt_global_mu);
		for (int r = RT_LK_GRAPH; r <= RT_LK_TEMPLATE; r++)
			for (rt_obj *o = g_objs; o; o = o->next)
				if (o->rank == (rt_lock_rank)r)
					pthread_mutex_lock(o->mu);
		return;
	}
	for (rt_obj *o = g_objs; o; o = o->next) {
		if (o->rank == RT_LK_NONE)
			continue;
		if (phase == RT_FORK_PARENT) {
			pthread_mutex_unlock(o->mu);
		} else {
			pthread_mutex_init(o->mu, NULL);
			if (o->rank == RT_LK_STORE)
				rt_store_fork_child((rt_store *)(void *)o->data, tid);
		}
	}
	if (phase == RT_FORK_PARENT)
		pthread_mutex_unlock(&rt_global_mu);
	else
		pthread_mutex_init(&rt_global_mu, NULL);
}

static void *dup_obj(const void *p, size_t size, int *nomem)
{
	if (!p)
		return NULL;
	void *c = rt_obj_new(size, NULL);
	if (!c) {
		*nomem = 1;
		return NULL;
	}
	memcpy(c, p, size);
	return c;
}

const vs_initializer *rt_initializer_dup(const vs_initializer *i, int *nomem)
{
	if (!i)
		return NULL;
	struct init_copy {
		vs_initializer i;
		vs_shape shape;
	} *c = rt_obj_new(sizeof *c, NULL);
	if (!c) {
		*nomem = 1;
		return NULL;
	}
	c->i = *i;
	if (i->shape) {
		c->shape = *i->shape;
		c->i.shape = &c->shape;
	}
	return &c->i;
}

const vs_regularizer *rt_regularizer_dup(const vs_regularizer *r, int *nomem)
{
	vs_regularizer *c = dup_obj(r, sizeof *r, nomem);
	if (c) {
		c->label = rt_intern_cstr(c->label);
		if (rt_intern_failed(r->label, c->label))
			*nomem = 1;
	}
	return c;
}

const vs_partitioner *rt_partitioner_dup(const vs_partitioner *p, int *nomem)
{
	vs_partitioner *c = dup_obj(p, sizeof *p, nomem);
	if (c) {
		c->label = rt_intern_cstr(c->label);
		if (rt_intern_failed(p->label, c->label))
			*nomem = 1;
	}
	return c;
}

const vs_constraint *rt_constraint_dup(const vs_constraint *k, int *nomem)
{
	vs_constraint *c = dup_obj(k, sizeof *k, nomem);
	if (c) {
		c->label = rt_intern_cstr(c->label);
		if (rt_intern_failed(k->label, c->label))
			*nomem = 1;
	}
	return c;
}

int vs_runtime_configure(const vs_runtime_opts *opts, vs_error *err)
{
	int rc = 0;
	pthread_mutex_lock(&rt_global_mu);
	if (rt_global_used)
		rc = vs_error_set(err, VS_ERR_STATE,
		                  "vs_runtime_configure called after the runtime was used");
	else if (opts)
		rt_global_opts = *opts;
	pthread_mutex_unlock(&rt_global_mu);
	return rc;
}

void vs_runtime_reset(void)
{
	rt_tls *t = rt_tls_get();
	if (t)
		rt_tls_reset_model(t);
	pthread_mutex_lock(&rt_global_mu);
	rt_obj *o = g_objs;
	g_objs = NULL;
	rt_global_used = 0;
	memset(&rt_global_opts, 0, sizeof rt_global_opts);
	pthread_mutex_unlock(&rt_global_mu);
	rt_context_reset();
	rt_cm_free_all();
	while (o) {
		rt_obj *next = o->next;
		if (o->dtor)
			o->dtor(o->data);
		free(o);
		o = next;
	}
}

void vs_runtime_shutdown(void)
{
	vs_runtime_reset();
	rt_emit_shutdown();
	rt_tls_free_self();
}

void rt_raised(uint32_t site, const vs_error *err, enum vs_tf_error tf_error)
{
	if (!RT_TRACING() || !err)
		return;
	uint32_t msg = rt_str_id(rt_intern_cstr(err->msg));
	RT_EMIT(VS_EV_ERROR, 0, site,
	        .error = {.code = (uint32_t)-err->code,
	                  .message = msg,
	                  .tf_error = (uint32_t)tf_error});
}

int rt_raise(uint32_t site, vs_error *err, int code, enum vs_tf_error tf_error, const char *fmt,
             ...)
{
	vs_error local;
	vs_error_init(&local);
	vs_error *e = err ? err : &local;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof e->msg)
		memcpy(e->msg + sizeof e->msg - 4, "...", 4);
	e->code = code;
	rt_raised(site, e, tf_error);
	return code;
}
