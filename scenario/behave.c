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

static void build_name(char *buf, const vs_scn_behave *b, const char *base, const char *suffix)
{
	snprintf(buf, NAME_MAX_LEN, "%s%s%s%s", b->name_prefix ? b->name_prefix : "",
	         base ? base : "", b->name_suffix ? b->name_suffix : "", suffix ? suffix : "");
}

/* The common part of a behaviour call: count, raise, return a bound var. */
static int behave_pre(vs_scn_beh *xb, vs_var **out, vs_error *err, int *done)
{
	const vs_scn_behave *b = xb->def;
	*done = 1;
	pthread_mutex_lock(&xb->run->mu);
	xb->calls++;
	pthread_mutex_unlock(&xb->run->mu);
	*out = NULL;
	if (b->err_code)
		return vs_error_set(err, b->err_code, "%s", b->err_message);
	if (b->return_ref) {
		*out = vs_scn_run_lookup(xb->run, VS_SCN_NS_VAR, b->return_ref);
		if (!*out)
			return vs_error_set(err, VS_ERR_STATE, "variable '%s' is not bound yet",
			                    b->return_ref);
		return 0;
	}
	if (b->return_none || !b->delegate)
		return 0;
	*done = 0;
	return 0;
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

static int getter_fn(vs_var **out, vs_getter_next *next, const vs_getter_args *args, void *ud,
                     vs_error *err)
{
	vs_scn_beh *xb = ud;
	const vs_scn_behave *b = xb->def;
	char name[NAME_MAX_LEN];
	int done, rc = behave_pre(xb, out, err, &done);
	if (rc < 0 || done)
		return rc;
	vs_getter_args a = *args;
	apply_set(b, &(set_target){&a.name, &a.trainable, &a.dtype, &a.shape, &a.initializer,
	                           &a.collections, &a.use_resource});
	if (b->set_reuse_given)
		a.reuse = b->set_reuse;
	const char *base = a.name;
	size_t n = b->suffixes.n ? b->suffixes.n : (size_t)b->repeat;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		build_name(name, b, base, b->suffixes.n ? b->suffixes.v[i] : NULL);
		a.name = name;
		rc = vs_getter_next_call(next, out, &a, err);
	}
	return rc;
}

static int creator_fn(vs_var **out, vs_creator_next *next, const vs_creator_args *args, void *ud,
                      vs_error *err)
{
	vs_scn_beh *xb = ud;
	const vs_scn_behave *b = xb->def;
	char name[NAME_MAX_LEN];
	int done, rc = behave_pre(xb, out, err, &done);
	if (rc < 0 || done)
		return rc;
	vs_creator_args a = *args;
	apply_set(b, &(set_target){&a.name, &a.trainable, &a.dtype, &a.shape, &a.initial_value,
	                           &a.collections, &a.use_resource});
	const char *base = a.name;
	int rename = b->name_prefix || b->name_suffix || b->suffixes.n;
	size_t n = b->suffixes.n ? b->suffixes.n : (size_t)b->repeat;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		if (rename) {
			build_name(name, b, base ? base : "Variable",
			           b->suffixes.n ? b->suffixes.v[i] : NULL);
			a.name = name;
		}
		rc = vs_creator_next_call(next, out, &a, err);
	}
	return rc;
}

void vs_scn_beh_init(vs_scn_beh *b, vs_scn_exec *r, const vs_scn_behave *def)
{
	b->run = r;
	b->def = def;
	b->calls = 0;
	b->getter = (vs_getter){def->not_callable ? NULL : getter_fn, b, def->name};
	b->creator = (vs_creator){creator_fn, b, def->name};
}
