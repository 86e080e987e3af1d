/* SPDX-License-Identifier: MIT */
/*
 * tracer/function.c - traced functions (docs/semantics.md §5.4): defun /
 * tf.function objects that trace their body into a fresh function graph
 * once per input signature and reuse the trace on later calls.
 *
 * A call whose signature has a trace runs nothing of the body (values are
 * not modelled: executing a concrete function changes no state libvs
 * keeps).  A tf.function (def_function.Function) keeps two caches, as TF
 * does: the variable-creating one used until a trace creates variables, and
 * the no-creation one used after that, whose traces run under a creator
 * that raises TF's "tf.function-decorated function tried to create
 * variables on non-first call." ValueError.  A trace of the creating cache
 * after the first call that creates variables raises "Creating variables on
 * a non-first call to a function decorated with tf.function.".
 *
 * Locking: the function's mutex guards its caches and counters; the body
 * runs without it, so two threads may trace one signature at once (both
 * traces then happen, as with TF's defun lock released around tracing).
 */
#include <stdlib.h>
#include <string.h>

#include "tracer/rt.h"

enum { CACHE_CREATE, CACHE_NO_CREATE };

struct vs_function {
	uint32_t id;
	rt_istr name;
	vs_template_fn fn;
	void *ud;
	int tf_function;
	pthread_mutex_t mu; /* below */
	rt_vec cache[2];    /* traced signatures (rt_istr) */
	int initialized, created_variables;
	unsigned calls, traces;
};

static void fn_dtor(void *p)
{
	vs_function *f = p;
	rt_vec_free(&f->cache[0]);
	rt_vec_free(&f->cache[1]);
	pthread_mutex_destroy(&f->mu);
}

int vs_function_new_at(vs_site site, vs_function **out, const char *name, vs_template_fn fn,
                       void *ud, const vs_function_opts *opts, vs_error *err)
{
	(void)site;
	if (!rt_tls_model())
		return vs_error_nomem(err);
	if (!out || !fn)
		return vs_error_set(err, VS_ERR_INVALID, "function without a body");
	vs_function *f = rt_obj_new_mu(sizeof *f, fn_dtor, RT_LK_TEMPLATE,
	                               offsetof(vs_function, mu));
	if (!f)
		return vs_error_nomem(err);
	f->id = rt_id_next(&rt_global_ids.tmpl);
	f->name = rt_intern_cstr(name ? name : "f");
	f->fn = fn;
	f->ud = ud;
	f->tf_function = opts && opts->tf_function;
	if (!f->name)
		return vs_error_nomem(err);
	*out = f;
	return 0;
}

static int cache_has(const rt_vec *c, rt_istr sig)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i] == sig)
			return 1;
	return 0;
}

/* records sig in cache (under f->mu) */
static int cache_add(vs_function *f, int cache, rt_istr sig)
{
	pthread_mutex_lock(&f->mu);
	int rc = cache_has(&f->cache[cache], sig)
	                 ? 0
	                 : rt_vec_push(&f->cache[cache], (void *)(uintptr_t)sig);
	pthread_mutex_unlock(&f->mu);
	return rc;
}

typedef struct invalid_ctx {
	uint32_t sid;
} invalid_ctx;

/* def_function's invalid_creator_scope */
static int invalid_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *args,
                           void *ud, vs_error *err)
{
	(void)out;
	(void)next;
	(void)args;
	const invalid_ctx *c = ud;
	return rt_raise(c->sid, err, VS_ERR_VALUE, VS_TFE_NONE,
	                "tf.function-decorated function tried to create variables on non-first "
	                "call.");
}

/* one trace: a fresh function graph (outer = the current context) made
 * default, the body run in it; *created: it created variables */
static int function_trace(rt_tls *t, vs_site site, uint32_t sid, vs_function *f, void *call_arg,
                          int no_create, int *created, vs_error *err)
{
	vs_graph *fg = NULL;
	vs_cm *gcm = NULL, *ccm = NULL;
	invalid_ctx ic = {sid};
	vs_creator inv = {invalid_creator, &ic, "invalid_creator_scope"};
	int rc = vs_func_graph_new_at(site, &fg, f->name, err);
	if (rc >= 0)
		rc = vs_graph_as_default_at(site, &gcm, fg, err);
	if (rc >= 0 && no_create)
		rc = vs_variable_creator_scope_at(site, &ccm, &inv, err);
	pthread_mutex_lock(&f->mu);
	f->traces++;
	pthread_mutex_unlock(&f->mu);
	uint32_t before = t->created;
	if (rc >= 0)
		rc = f->fn(f->ud, call_arg, err);
	if (rc < 0 && err && !err->code)
		err->code = rc;
	*created = t->created != before;
	/* leave in order; an exit error only counts when the body succeeded */
	if (ccm) {
		int x = vs_exit_at(site, ccm, rc < 0 ? NULL : err);
		rc = rc < 0 ? rc : x;
	}
	if (gcm) {
		int x = vs_exit_at(site, gcm, rc < 0 ? NULL : err);
		rc = rc < 0 ? rc : x;
	}
	return rc;
}

/* traces sig into cache unless it has a trace already */
static int function_maybe_trace(rt_tls *t, vs_site site, uint32_t sid, vs_function *f, int cache,
                                rt_istr sig, void *call_arg, int *created, vs_error *err)
{
	*created = 0;
	pthread_mutex_lock(&f->mu);
	int have = cache_has(&f->cache[cache], sig);
	pthread_mutex_unlock(&f->mu);
	if (have)
		return 0;
	int rc = function_trace(t, site, sid, f, call_arg, cache == CACHE_NO_CREATE, created, err);
	if (rc >= 0 && cache_add(f, cache, sig) < 0)
		return vs_error_nomem(err);
	return rc;
}

/* def_function.Function.__call__ (the tf.function branch) */
static int tf_function_call(rt_tls *t, vs_site site, uint32_t sid, vs_function *f, rt_istr sig,
                            void *call_arg, vs_error *err)
{
	pthread_mutex_lock(&f->mu);
	int created_vars = f->created_variables, first = !f->initialized;
	f->initialized = 1;
	pthread_mutex_unlock(&f->mu);
	int created = 0;
	if (created_vars)
		return function_maybe_trace(t, site, sid, f, CACHE_NO_CREATE, sig, call_arg,
		                            &created, err);
	int rc = function_maybe_trace(t, site, sid, f, CACHE_CREATE, sig, call_arg, &created, err);
	if (created) {
		pthread_mutex_lock(&f->mu);
		f->created_variables = 1;
		pthread_mutex_unlock(&f->mu);
	}
	if (rc < 0)
		return rc;
	if (!first && created)
		return rt_raise(
			sid, err, VS_ERR_VALUE, VS_TFE_NONE,
			"Creating variables on a non-first call to a function decorated with "
			"tf.function.");
	/* the first call that created variables runs the no-creation function
	 * (its own trace for this signature) */
	if (first && created)
		return function_maybe_trace(t, site, sid, f, CACHE_NO_CREATE, sig, call_arg,
		                            &created, err);
	return 0;
}

int rt_function_call(rt_tls *t, vs_site site, uint32_t sid, vs_function *f, const char *signature,
                     void *call_arg, vs_error *err)
{
	rt_istr sig = rt_intern_cstr(signature ? signature : "");
	if (!sig)
		return vs_error_nomem(err);
	pthread_mutex_lock(&f->mu);
	f->calls++;
	pthread_mutex_unlock(&f->mu);
	if (f->tf_function)
		return tf_function_call(t, site, sid, f, sig, call_arg, err);
	int created;
	return function_maybe_trace(t, site, sid, f, CACHE_CREATE, sig, call_arg, &created, err);
}

int vs_function_call_at(vs_site site, vs_function *f, const char *signature, void *call_arg,
                        vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!f)
		return vs_error_set(err, VS_ERR_INVALID, "no function");
	vs_error local;
	vs_error_init(&local); /* the body's callbacks get an error to fill */
	return rt_function_call(t, site, rt_site_id(site), f, signature, call_arg,
	                        err ? err : &local);
}

static unsigned read_counter(const vs_function *f, int traces)
{
	if (!f)
		return 0;
	vs_function *m = (vs_function *)(uintptr_t)f;
	pthread_mutex_lock(&m->mu);
	unsigned n = traces ? m->traces : m->calls;
	pthread_mutex_unlock(&m->mu);
	return n;
}

unsigned vs_function_traces(const vs_function *f) { return read_counter(f, 1); }
unsigned vs_function_calls(const vs_function *f) { return read_counter(f, 0); }
const char *vs_function_name(const vs_function *f) { return f ? f->name : NULL; }
