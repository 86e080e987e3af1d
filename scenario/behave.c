/* SPDX-License-Identifier: MIT */
/*
 * scenario/behave.c - the declared getters and creators (top-level
 * `getters:` / `creators:`) as libvs callbacks.
 *
 * One callback per role interprets the behaviour it gets as user data:
 * count the call, then raise, return a bound variable, return nothing, or
 * delegate (once per `suffixes` entry or `repeat` times) with the kwargs
 * rewritten by `set:` and the name wrapped by name_prefix/name_suffix.
 * Invariant: a behaviour never keeps state between calls except its
 * call counter, which is guarded by the run's mutex.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/run.h"
#include "vs/internal/util.h"

#define NAME_MAX_LEN 1024

/* how many times a delegating behaviour calls the next getter/creator */
static size_t delegations(const vs_scn_behave *b)
{
	return b->suffixes.n ? b->suffixes.n : (size_t)b->repeat;
}

/* the name delegation i passes on: prefix, base, suffix, the i-th suffix */
static const char *delegate_name(char *buf, const vs_scn_behave *b, const char *base, size_t i)
{
	const char *suffix = b->suffixes.n ? b->suffixes.v[i] : "";
	snprintf(buf, NAME_MAX_LEN, "%s%s%s%s", b->name_prefix ? b->name_prefix : "",
	         base ? base : "", b->name_suffix ? b->name_suffix : "", suffix);
	return buf;
}

/*
 * The common part of a behaviour call (ud is its vs_scn_beh): count the
 * call, then raise, return a bound variable or return nothing.  Returns
 * the behaviour when it delegates, else NULL with the call's result in *rc.
 */
static const vs_scn_behave *behave_pre(void *ud, vs_var **out, vs_error *err, int *rc)
{
	vs_scn_beh *xb = ud;
	const vs_scn_behave *b = xb->def;
	pthread_mutex_lock(&xb->run->mu);
	xb->calls++;
	pthread_mutex_unlock(&xb->run->mu);
	*out = NULL;
	*rc = 0;
	if (b->err_code) {
		*rc = vs_error_set(err, b->err_code, "%s", b->err_message);
		return NULL;
	}
	if (b->return_ref) {
		*out = vs_scn_run_lookup(xb->run, VS_SCN_NS_VAR, b->return_ref);
		if (!*out)
			*rc = vs_error_set(err, VS_ERR_STATE, "variable '%s' is not bound yet",
			                   b->return_ref);
		return NULL;
	}
	return b->return_none || !b->delegate ? NULL : b;
}

/* The kwargs `set:` rewrites that getters and creators share: pointers to
 * the fields of a vs_getter_args or a vs_creator_args. */
typedef struct set_target {
	const char **name;
	vs_tristate *trainable;
	vs_dtype *dtype;
	const vs_shape **shape;
	const vs_initializer **init; /* initializer / initial_value */
	const char *const **collections;
	vs_tristate *use_resource;
} set_target;

static void apply_set(const vs_scn_behave *b, const set_target *t)
{
	if (b->set_name)
		*t->name = b->set_name;
	if (b->set_trainable_given)
		*t->trainable = b->set_trainable ? VS_TRUE : VS_FALSE;
	if (b->set_dtype)
		*t->dtype = b->set_dtype;
	if (b->set_shape_given)
		*t->shape = &b->set_shape;
	if (b->set_init_given)
		*t->init = &b->set_init;
	if (b->set_collections_given)
		*t->collections = (const char *const *)b->set_collections.v;
	if (b->set_use_resource_given)
		*t->use_resource = b->set_use_resource ? VS_TRUE : VS_FALSE;
}

/* calls the next getter or creator in the chain with the kwargs args */
typedef int next_fn(void *next, vs_var **out, const void *args, vs_error *err);

static int getter_next(void *next, vs_var **out, const void *args, vs_error *err)
{
	return vs_getter_next_call(next, out, args, err);
}

static int creator_next(void *next, vs_var **out, const void *args, vs_error *err)
{
	return vs_creator_next_call(next, out, args, err);
}

/*
 * A delegating behaviour: rewrites the kwargs (args, whose fields t points
 * at) by `set:`, then calls the next one delegations(b) times, renamed
 * (when rename) from base *t->name, or default_base when that is NULL.
 */
static int delegate(const vs_scn_behave *b, const set_target *t, const char *default_base,
                    int rename, next_fn *fn, void *next, const void *args, vs_var **out,
                    vs_error *err)
{
	char name[NAME_MAX_LEN];
	int rc = 0;
	apply_set(b, t);
	const char *base = *t->name ? *t->name : default_base;
	for (size_t i = 0; i < delegations(b) && rc >= 0; i++) {
		if (rename)
			*t->name = delegate_name(name, b, base, i);
		rc = fn(next, out, args, err);
	}
	return rc;
}

/* ---- the kwargs each call received ---------------------------------------- */
const char *const vs_scn_recv_keys[VS_SCN_RECV_N] = {
	"name",           "shape",           "dtype",          "initializer",
	"regularizer",    "reuse",           "trainable",      "collections",
	"caching_device", "partitioner",     "validate_shape", "use_resource",
	"constraint",     "synchronization", "aggregation",    "v2",
	"no_lifting"};
enum {
	R_NAME,
	R_SHAPE,
	R_DTYPE,
	R_INIT,
	R_REG,
	R_REUSE,
	R_TRAINABLE,
	R_COLLS,
	R_CACHING,
	R_PART,
	R_VALIDATE,
	R_USE_RESOURCE,
	R_CONSTRAINT,
	R_SYNC,
	R_AGG,
	R_V2,
	R_NO_LIFT
};

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static char *tri_text(vs_tristate t)
{
	return t == VS_UNSET ? NULL : strdup(t == VS_TRUE ? "true" : "false");
}

static char *shape_text(const vs_shape *sh)
{
	char buf[128];
	if (!sh)
		return NULL;
	vs_shape_format(sh, buf, sizeof buf);
	return strdup(buf);
}

static char *list_text(const char *const *l)
{
	char buf[1024];
	size_t at = 0;
	if (!l)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; l[i] && at < sizeof buf; i++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", i ? "," : "", l[i]);
	return strdup(buf);
}

static char *init_text(const vs_initializer *in)
{
	return in && in->kind != VS_INIT_NONE ? dup_or_null(vs_init_kind_name(in->kind)) : NULL;
}

static const char *const sync_text[] = {"auto", "none", "on_write", "on_read"};
static const char *const agg_text[] = {"none", "sum", "mean", "only_first_replica"};

/* appends rec to b's record (on OOM the record is dropped: the counters
 * still tell) */
static void record(vs_scn_beh *b, vs_scn_received *rec)
{
	pthread_mutex_lock(&b->run->mu);
	if (VS_GROW(b->recv, b->caprecv, b->nrecv + 1) >= 0) {
		b->recv[b->nrecv++] = *rec;
		rec = NULL;
	}
	pthread_mutex_unlock(&b->run->mu);
	for (int i = 0; rec && i < VS_SCN_RECV_N; i++)
		free(rec->v[i]);
}

static void record_getter(vs_scn_beh *b, const vs_getter_args *a)
{
	vs_scn_received r = {{0}};
	r.v[R_NAME] = dup_or_null(a->name);
	r.v[R_SHAPE] = shape_text(a->shape);
	r.v[R_DTYPE] = dup_or_null(vs_dtype_name(a->dtype));
	r.v[R_INIT] = init_text(a->initializer);
	r.v[R_REG] = a->regularizer ? dup_or_null(a->regularizer->label) : NULL;
	r.v[R_REUSE] = dup_or_null(vs_scn_reuse_name(a->reuse));
	r.v[R_TRAINABLE] = tri_text(a->trainable);
	r.v[R_COLLS] = list_text(a->collections);
	r.v[R_CACHING] = dup_or_null(a->caching_device);
	r.v[R_PART] = a->partitioner ? dup_or_null(a->partitioner->label) : NULL;
	r.v[R_VALIDATE] = tri_text(a->validate_shape);
	r.v[R_USE_RESOURCE] = tri_text(a->use_resource);
	r.v[R_CONSTRAINT] = a->constraint ? dup_or_null(a->constraint->label) : NULL;
	r.v[R_SYNC] = strdup(sync_text[a->synchronization & 3]);
	r.v[R_AGG] = strdup(agg_text[a->aggregation & 3]);
	record(b, &r);
}

static void record_creator(vs_scn_beh *b, const vs_creator_args *a)
{
	vs_scn_received r = {{0}};
	r.v[R_NAME] = dup_or_null(a->name);
	r.v[R_SHAPE] = shape_text(a->shape);
	r.v[R_DTYPE] = dup_or_null(vs_dtype_name(a->dtype));
	r.v[R_INIT] = init_text(a->initial_value);
	r.v[R_TRAINABLE] = tri_text(a->trainable);
	r.v[R_COLLS] = list_text(a->collections);
	r.v[R_CACHING] = dup_or_null(a->caching_device);
	r.v[R_VALIDATE] = tri_text(a->validate_shape);
	r.v[R_USE_RESOURCE] = tri_text(a->use_resource);
	r.v[R_CONSTRAINT] = a->constraint ? dup_or_null(a->constraint->label) : NULL;
	r.v[R_SYNC] = strdup(sync_text[a->synchronization & 3]);
	r.v[R_AGG] = strdup(agg_text[a->aggregation & 3]);
	r.v[R_V2] = strdup(a->v2 ? "true" : "false");
	r.v[R_NO_LIFT] = strdup(a->no_lifting ? "true" : "false");
	record(b, &r);
}

int vs_scn_run_received(vs_scn_exec *r, const char *name, long long call, const char *key,
                        char *buf, size_t n, const char **out)
{
	int k = -1, rc = -1;
	for (int i = 0; i < VS_SCN_RECV_N; i++)
		if (!strcmp(vs_scn_recv_keys[i], key))
			k = i;
	*out = NULL;
	pthread_mutex_lock(&r->mu);
	for (size_t i = 0; k >= 0 && i < r->s->nbehaves; i++) {
		const vs_scn_beh *b = &r->behaves[i];
		if (strcmp(b->def->name, name) || !b->nrecv)
			continue;
		size_t at = call > 0 ? (size_t)call - 1 : b->nrecv - 1;
		if (at >= b->nrecv)
			continue;
		const char *v = b->recv[at].v[k];
		if (v) {
			snprintf(buf, n, "%s", v);
			*out = buf;
		}
		rc = 0;
		break;
	}
	pthread_mutex_unlock(&r->mu);
	return rc;
}

void vs_scn_beh_free(vs_scn_beh *b)
{
	for (size_t i = 0; i < b->nrecv; i++)
		for (int k = 0; k < VS_SCN_RECV_N; k++)
			free(b->recv[i].v[k]);
	free(b->recv);
	b->recv = NULL;
	b->nrecv = b->caprecv = 0;
}

/* ---- the callbacks ----------------------------------------------------------- */
static int getter_fn(vs_var **out, vs_getter_next *next, const vs_getter_args *args, void *ud,
                     vs_error *err)
{
	int rc;
	record_getter(ud, args);
	const vs_scn_behave *b = behave_pre(ud, out, err, &rc);
	if (!b)
		return rc;
	vs_getter_args a = *args;
	if (b->set_reuse_given)
		a.reuse = b->set_reuse;
	set_target t = {&a.name,        &a.trainable,   &a.dtype,       &a.shape,
	                &a.initializer, &a.collections, &a.use_resource};
	return delegate(b, &t, NULL, 1, getter_next, next, &a, out, err);
}

static int creator_fn(vs_var **out, vs_creator_next *next, const vs_creator_args *args, void *ud,
                      vs_error *err)
{
	int rc;
	record_creator(ud, args);
	const vs_scn_behave *b = behave_pre(ud, out, err, &rc);
	if (!b)
		return rc;
	vs_creator_args a = *args;
	set_target t = {&a.name,          &a.trainable,   &a.dtype,       &a.shape,
	                &a.initial_value, &a.collections, &a.use_resource};
	int rename = b->name_prefix || b->name_suffix || b->suffixes.n;
	return delegate(b, &t, "Variable", rename, creator_next, next, &a, out, err);
}

void vs_scn_beh_init(vs_scn_beh *b, vs_scn_exec *r, const vs_scn_behave *def)
{
	b->run = r;
	b->def = def;
	b->calls = 0;
	const char *label = def->repr ? def->repr : def->name;
	b->getter = (vs_getter){def->not_callable ? NULL : getter_fn, b, label};
	b->creator = (vs_creator){creator_fn, b, label};
}
