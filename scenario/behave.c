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
#include <string.h>

#include "scenario/run.h"

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

static int getter_fn(vs_var **out, vs_getter_next *next, const vs_getter_args *args, void *ud,
                     vs_error *err)
{
	int rc;
	const vs_scn_behave *b = behave_pre(ud, out, err, &rc);
	if (!b)
		return rc;
	vs_getter_args a = *args;
	if (b->set_reuse_given)
		a.reuse = b->set_reuse;
	set_target t = {&a.name, &a.trainable, &a.dtype, &a.shape, &a.initializer, &a.collections,
	                &a.use_resource};
	return delegate(b, &t, NULL, 1, getter_next, next, &a, out, err);
}

static int creator_fn(vs_var **out, vs_creator_next *next, const vs_creator_args *args, void *ud,
                      vs_error *err)
{
	int rc;
	const vs_scn_behave *b = behave_pre(ud, out, err, &rc);
	if (!b)
		return rc;
	vs_creator_args a = *args;
	set_target t = {&a.name, &a.trainable, &a.dtype, &a.shape, &a.initial_value, &a.collections,
	                &a.use_resource};
	int rename = b->name_prefix || b->name_suffix || b->suffixes.n;
	return delegate(b, &t, "Variable", rename, creator_next, next, &a, out, err);
}

void vs_scn_beh_init(vs_scn_beh *b, vs_scn_exec *r, const vs_scn_behave *def)
{
	b->run = r;
	b->def = def;
	b->calls = 0;
	b->getter = (vs_getter){def->not_callable ? NULL : getter_fn, b, def->name};
	b->creator = (vs_creator){creator_fn, b, def->name};
}
