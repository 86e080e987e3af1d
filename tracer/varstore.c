/* SPDX-License-Identifier: MIT */
/*
 * tracer/varstore.c - the variable store and get_variable
 * (docs/semantics.md §2): the reuse decision table, shape/dtype checks,
 * initializer defaults, partitioned variables, collections, and the
 * variable accessors (the custom-getter chain is tracer/getter.c).
 *
 * Invariants: a store maps a full name (interned, compared by pointer) to
 * one variable and is only read or written under its mutex, which is never
 * held while user callbacks run; lookups on the reuse path allocate nothing
 * once the names are interned; a failed get_variable leaves the store as it
 * was (except shards already made by a partly failed partitioned creation,
 * as in TF).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/alloc.h"
#include "tracer/rt.h"
#include "tracer/store.h"

/* ---- stores and collections ---------------------------------------------- */
static void store_dtor(void *p)
{
	rt_store *s = p;
	rt_map_free(&s->vars);
	rt_map_free(&s->parts);
	rt_map_free(&s->pending);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
}

rt_store *rt_store_new(int store_eager)
{
	rt_store *s = rt_obj_new_mu(sizeof *s, store_dtor, RT_LK_STORE, offsetof(rt_store, mu));
	if (!s)
		return NULL;
	pthread_cond_init(&s->cv, NULL);
	s->id = rt_id_next(&rt_global_ids.store);
	s->store_eager = store_eager;
	return s;
}

void rt_store_fork_child(rt_store *s, uint32_t tid)
{
	pthread_cond_init(&s->cv, NULL);
	for (size_t i = 0; i < s->pending.cap; i++)
		if (s->pending.slots[i].key && (uint32_t)s->pending.slots[i].val != tid)
			s->pending.slots[i].val = 0;
}

/* the store get_variable uses in g (the override if any) */
static rt_store *rt_graph_store(vs_graph *g)
{
	vs_graph *r = g->root;
	pthread_mutex_lock(&r->mu);
	rt_store *s = r->override ? r->override : r->store;
	pthread_mutex_unlock(&r->mu);
	return s;
}

static vs_var *store_get(rt_store *s, rt_map *m, rt_istr key)
{
	pthread_mutex_lock(&s->mu);
	vs_var *v = (vs_var *)rt_map_get(m, key, 0);
	pthread_mutex_unlock(&s->mu);
	return v;
}

/*
 * Looks key up for a get-or-create decision: waits while another thread is
 * creating the same key, and when the key is absent and *reserve is set,
 * marks it pending for the calling thread (end with store_unreserve), so
 * two threads never both create one name.  *present tells a None entry.
 */
static vs_var *store_lookup(rt_store *s, rt_istr key, uint32_t tid, int *present, int *reserve)
{
	pthread_mutex_lock(&s->mu);
	for (;;) {
		uint32_t owner = (uint32_t)rt_map_get(&s->pending, key, 0);
		if (!owner || owner == tid)
			break;
		pthread_cond_wait(&s->cv, &s->mu);
	}
	*present = rt_map_has(&s->vars, key);
	vs_var *v = (vs_var *)rt_map_get(&s->vars, key, 0);
	if (*reserve)
		*reserve = !*present && rt_map_put(&s->pending, key, (intptr_t)tid) == 0;
	pthread_mutex_unlock(&s->mu);
	return v;
}

static void store_unreserve(rt_store *s, rt_istr key)
{
	pthread_mutex_lock(&s->mu);
	int rc = rt_map_put(&s->pending, key, 0); /* reserved: present, no allocation */
	VS_ASSERT(rc >= 0);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static int ends_with_part0(const char *k)
{
	size_t l = strlen(k);
	return l >= 7 && memcmp(k + l - 7, "/part_0", 7) == 0;
}

static int store_put(rt_store *s, rt_map *m, rt_istr key, vs_var *v)
{
	if (m == &s->vars && ends_with_part0(key))
		atomic_store(&s->has_part0, 1);
	pthread_mutex_lock(&s->mu);
	int rc = rt_map_put(m, key, (intptr_t)v);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int is_var_collection(const char *key)
{
	return strcmp(key, VS_GLOBAL_VARIABLES) == 0 || strcmp(key, VS_TRAINABLE_VARIABLES) == 0 ||
	       strcmp(key, VS_LOCAL_VARIABLES) == 0;
}

static vs_graph *collection_owner(vs_graph *g, const char *key)
{
	return is_var_collection(key) ? g->root : g;
}

static rt_collection *collection_find(vs_graph *g, rt_istr key)
{
	for (size_t i = 0; i < g->ncolls; i++)
		if (g->colls[i].key == key)
			return &g->colls[i];
	return NULL;
}

int rt_collection_add(vs_graph *g, rt_istr key, vs_var *v)
{
	if (!key)
		return VS_ERR_NOMEM;
	vs_graph *o = collection_owner(g, key);
	int rc = 0;
	pthread_mutex_lock(&o->root->mu);
	rt_collection *c = collection_find(o, key);
	if (!c) {
		if (VS_GROW(o->colls, o->capcolls, o->ncolls + 1) < 0) {
			rc = VS_ERR_NOMEM;
			goto out;
		}
		c = &o->colls[o->ncolls++];
		memset(c, 0, sizeof *c);
		c->key = key;
	}
	rc = rt_vec_push(&c->items, v);
out:
	pthread_mutex_unlock(&o->root->mu);
	return rc;
}

int rt_collection_copy_outer(vs_graph *g)
{
	vs_graph *o = g->outer;
	if (!o)
		return 0;
	int rc = 0;
	pthread_mutex_lock(&g->root->mu); /* g and o share the root */
	for (size_t i = 0; i < o->ncolls && rc >= 0; i++) {
		rt_collection *src = &o->colls[i];
		if (is_var_collection(src->key))
			continue;
		if (VS_GROW(g->colls, g->capcolls, g->ncolls + 1) < 0) {
			rc = VS_ERR_NOMEM;
			break;
		}
		rt_collection *dst = &g->colls[g->ncolls];
		memset(dst, 0, sizeof *dst);
		dst->key = src->key;
		for (size_t k = 0; k < src->items.n && rc >= 0; k++)
			rc = rt_vec_push(&dst->items, src->items.items[k]);
		g->ncolls++; /* kept even when partial: freed with the graph */
	}
	pthread_mutex_unlock(&g->root->mu);
	return rc;
}

size_t vs_collection_size(vs_graph *g, const char *key)
{
	if (!key)
		return 0;
	if (!g) {
		rt_tls *t = rt_tls_model();
		g = t ? rt_graph_default(t) : NULL;
		if (!g)
			return 0;
	}
	rt_istr k = rt_intern_cstr(key);
	vs_graph *o = collection_owner(g, key);
	pthread_mutex_lock(&o->root->mu);
	rt_collection *c = collection_find(o, k);
	size_t n = c ? c->items.n : 0;
	pthread_mutex_unlock(&o->root->mu);
	return n;
}

vs_var *vs_collection_get(vs_graph *g, const char *key, size_t i)
{
	if (!key)
		return NULL;
	if (!g) {
		rt_tls *t = rt_tls_model();
		g = t ? rt_graph_default(t) : NULL;
		if (!g)
			return NULL;
	}
	rt_istr k = rt_intern_cstr(key);
	vs_graph *o = collection_owner(g, key);
	pthread_mutex_lock(&o->root->mu);
	rt_collection *c = collection_find(o, k);
	vs_var *v = c && i < c->items.n ? c->items.items[i] : NULL;
	pthread_mutex_unlock(&o->root->mu);
	return v;
}

/* ---- helpers ------------------------------------------------------------- */
void rt_frame_format(vs_site s, char *buf, size_t n)
{
	if (!s.file && !s.func) {
		if (n)
			buf[0] = '\0';
		return;
	}
	snprintf(buf, n, "  File \"%s\", line %d, in %s", s.file ? s.file : "<unknown>", s.line,
	         s.func ? s.func : "<module>");
}

static int dtype_floating(vs_dtype d)
{
	return d == VS_DT_FLOAT16 || d == VS_DT_BFLOAT16 || d == VS_DT_FLOAT32 ||
	       d == VS_DT_FLOAT64;
}

static int dtype_zeros_default(vs_dtype d)
{
	return (d >= VS_DT_INT8 && d <= VS_DT_UINT64) || d == VS_DT_BOOL || d == VS_DT_STRING;
}

static const char *dt_name(vs_dtype d)
{
	const char *n = vs_dtype_name(d);
	return n ? n : "None";
}

static void fmt_list(const int64_t *p, int n, char *buf, size_t cap)
{
	size_t len = (size_t)snprintf(buf, cap, "[");
	for (int i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%lld", i ? ", " : "",
		                        (long long)p[i]);
	if (len < cap)
		snprintf(buf + len, cap - len, "]");
}

/* would init_scope lift to the eager context? (executing_eagerly_outside_functions) */
static int lifts_to_eager(rt_tls *t)
{
	if (t->is_eager)
		return 1;
	if (!t->gstack.n)
		return 0;
	for (size_t i = t->nsw; i-- > 0;)
		if (!t->sw[i].building_function)
			return t->sw[i].graph == NULL;
	return 0;
}

/* ---- the get_variable call ----------------------------------------------- */

static int single_decide(rt_getvar_call *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                         const vs_shape *shape, int shard, vs_var *found, int present,
                         vs_error *err);

/* _VariableStore._get_single_variable: looks name up (reserving it when it
 * may be created), then runs the decision table (single_decide) */
static int single_variable(rt_getvar_call *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                           const vs_shape *shape, int shard, vs_error *err)
{
	uint32_t sid = gv->sid;
	const vs_initializer *init = a->initializer;
	int from_value = init && init->kind == VS_INIT_VALUE;
	if (shape && from_value)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_CONST_INIT_SHAPE,
		                "If initializer is a constant, do not specify shape.");
	if (!name)
		return vs_error_nomem(err);
	int present = 0, reserved = a->reuse != VS_REUSE_TRUE;
	vs_var *found = store_lookup(gv->store, name, gv->t->tid, &present, &reserved);
	int rc = single_decide(gv, out, name, a, shape, shard, found, present, err);
	if (reserved)
		store_unreserve(gv->store, name);
	return rc;
}

/* reuse of an existing variable: allowed unless reuse=False, and only with a
 * compatible shape and the same dtype */
static int check_existing(rt_getvar_call *gv, rt_istr name, const vs_getter_args *a,
                          const vs_shape *shape, vs_dtype dtype, const vs_var *found, vs_error *err)
{
	uint32_t sid = gv->sid;
	if (a->reuse == VS_REUSE_FALSE) {
		if (found->resource)
			return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_VAR_EXISTS,
			                "Variable %s already exists, disallowed. Did you mean to "
			                "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?",
			                name);
		char frame[1024];
		rt_frame_format(found->site, frame, sizeof frame);
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_VAR_EXISTS,
		                "Variable %s already exists, disallowed. Did you mean to set "
		                "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally "
		                "defined at:\n\n%s",
		                name, frame);
	}
	if (!rt_shape_compatible(shape, &found->shape)) {
		char s1[256], s2[256];
		vs_shape_format(shape, s1, sizeof s1);
		vs_shape_format(&found->shape, s2, sizeof s2);
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_SHARE_SHAPE,
		                "Trying to share variable %s, but specified shape %s and found "
		                "shape %s.",
		                name, s1, s2);
	}
	if (dtype != found->dtype) /* a RefVariable's dtype is float32_ref (TF1 graphs) */
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_SHARE_DTYPE,
		                "Trying to share variable %s, but specified dtype %s and found "
		                "dtype %s%s.",
		                name, dt_name(dtype), dt_name(found->dtype),
		                found->resource ? "" : "_ref");
	return 0;
}

/* no initializer given: glorot_uniform for floating dtypes, zeros for
 * integers, bool and string, an error for the others */
static int default_initializer(rt_getvar_call *gv, rt_istr name, vs_dtype dtype,
                               vs_initializer *dflt, vs_error *err)
{
	memset(dflt, 0, sizeof *dflt);
	if (dtype_floating(dtype)) {
		dflt->kind = VS_INIT_GLOROT_UNIFORM;
		return 0;
	}
	if (dtype_zeros_default(dtype)) {
		dflt->kind = VS_INIT_ZEROS;
		return 0;
	}
	char r[64];
	return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_NO_INITIALIZER,
	                "An initializer for variable %s of %s is required", name,
	                rt_dtype_repr(dtype, r, sizeof r));
}

/* a new variable through the creator chain: a value initializer brings its
 * own dtype and shape, any other needs a fully defined shape */
static int create_new(rt_getvar_call *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                      const vs_initializer *init, const vs_shape *shape, vs_dtype dtype, int shard,
                      vs_error *err)
{
	vs_shape scalar = {.rank = 0};
	vs_creator_args ca = {0};
	ca.dtype = dtype;
	ca.shape = shape;
	if (init->kind == VS_INIT_VALUE) {
		ca.dtype = init->dtype ? init->dtype : dtype;
		ca.shape = init->shape ? init->shape : &scalar;
	} else if (!rt_shape_fully_defined(shape) && init->kind != VS_INIT_LAMBDA) {
		return rt_raise(
			gv->sid, err, VS_ERR_VALUE, VS_TFE_BAD_INITIALIZER,
			"The initializer passed is not valid. It should be a callable with "
			"no arguments and the shape should not be provided or an instance of "
			"`tf.keras.initializers.*' and `shape` should be fully defined.");
	}
	ca.name = name;
	ca.initial_value = init;
	ca.trainable = a->trainable;
	ca.collections = a->collections;
	ca.validate_shape = a->validate_shape;
	ca.caching_device = a->caching_device;
	ca.constraint = a->constraint;
	ca.use_resource = a->use_resource
	                          ? a->use_resource
	                          : (rt_global_opts.use_resource == VS_TRUE ? VS_TRUE : VS_FALSE);
	ca.synchronization = a->synchronization;
	ca.aggregation = a->aggregation;
	rt_create_ctx cc = {name, shard, gv->site, gv->sid};
	return rt_variable_create(gv->t, out, &ca, &cc, err);
}

/* adds v to the collection named key of g */
static int collection_add_named(vs_graph *g, const char *key, vs_var *v, vs_error *err)
{
	if (rt_collection_add(g, rt_intern_cstr(key), v) < 0)
		return vs_error_nomem(err);
	return 0;
}

/* an eager variable kept by an EagerVariableStore joins the default graph's
 * collections (the given ones or GLOBAL, and TRAINABLE) */
static int eager_store_collections(rt_getvar_call *gv, const vs_getter_args *a, vs_var *v,
                                   vs_error *err)
{
	vs_graph *dg = rt_graph_default(gv->t);
	if (a->collections && a->collections[0]) {
		for (const char *const *c = a->collections; *c; c++)
			if (collection_add_named(dg, *c, v, err) < 0)
				return VS_ERR_NOMEM;
	} else if (collection_add_named(dg, VS_GLOBAL_VARIABLES, v, err) < 0) {
		return VS_ERR_NOMEM;
	}
	if (v->trainable && collection_add_named(dg, VS_TRAINABLE_VARIABLES, v, err) < 0)
		return VS_ERR_NOMEM;
	return 0;
}

/* the created variable (or the None a creator returned) goes into the store
 * unless eager without an EagerVariableStore; the regularizer's loss is
 * collected */
static int register_new(rt_getvar_call *gv, rt_istr name, const vs_getter_args *a, vs_var *v,
                        vs_error *err)
{
	int keep = !gv->eager || gv->store->store_eager;
	if (!v) {
		/* TF keeps None under the name, then reads v.name for its log line */
		if (keep && store_put(gv->store, &gv->store->vars, name, NULL) < 0)
			return vs_error_nomem(err);
		return rt_raise(gv->sid, err, VS_ERR_ATTRIBUTE, VS_TFE_NONE,
		                "'NoneType' object has no attribute 'name'");
	}
	if (gv->eager && gv->store->store_eager && eager_store_collections(gv, a, v, err) < 0)
		return VS_ERR_NOMEM;
	if (keep && store_put(gv->store, &gv->store->vars, name, v) < 0)
		return vs_error_nomem(err);
	const vs_regularizer *reg = a->regularizer;
	if (reg && (!reg->fn || reg->fn(reg->ud, v)) &&
	    collection_add_named(rt_graph_default(gv->t), VS_REGULARIZATION_LOSSES, v, err) < 0)
		return VS_ERR_NOMEM;
	return 0;
}

/* _VariableStore._get_single_variable's decision table, after the lookup */
static int single_decide(rt_getvar_call *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                         const vs_shape *shape, int shard, vs_var *found, int present,
                         vs_error *err)
{
	vs_dtype dtype = a->dtype ? a->dtype : VS_DT_FLOAT32;
	if (present && !found) /* a creator chain returned None for this name earlier */
		return rt_raise(gv->sid, err, VS_ERR_ATTRIBUTE, VS_TFE_NONE,
		                "'NoneType' object has no attribute '%s'",
		                a->reuse == VS_REUSE_FALSE ? "op" : "get_shape");
	/* 1. found: reuse it when allowed and compatible */
	if (found) {
		int rc = check_existing(gv, name, a, shape, dtype, found, err);
		if (rc < 0)
			return rc;
		*out = found;
		return 0;
	}
	/* 2. missing: an error under reuse=True */
	if (a->reuse == VS_REUSE_TRUE)
		return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_VAR_MISSING,
		                "Variable %s does not exist, or was not created with "
		                "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
		                "VarScope?",
		                name);
	/* 3. the default initializer */
	const vs_initializer *init = a->initializer;
	vs_initializer dflt;
	if (!init) {
		int rc = default_initializer(gv, name, dtype, &dflt, err);
		if (rc < 0)
			return rc;
		init = &dflt;
	}
	/* 4. create, 5. register */
	vs_var *v = NULL;
	int rc = create_new(gv, &v, name, a, init, shape, dtype, shard, err);
	if (rc < 0)
		return rc;
	rc = register_new(gv, name, a, v, err);
	if (rc < 0)
		return rc;
	*out = v;
	return 0;
}

/* _call_partitioner: fills parts, returns 0 or an error */
static int call_partitioner(rt_getvar_call *gv, const vs_partitioner *p, const vs_shape *shape,
                            vs_dtype dtype, int64_t *parts, vs_error *err)
{
	uint32_t sid = gv->sid;
	char s1[256], s2[256];
	vs_shape_format(shape ? shape : VS_SHAPE_UNKNOWN_RANK, s1, sizeof s1);
	if (!rt_shape_fully_defined(shape))
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Shape of a new partitioned variable must be fully defined, but "
		                "instead was %s.",
		                s1);
	if (shape->rank < 1)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "A partitioned Variable must have rank at least 1, shape: %s", s1);
	int64_t tmp[VS_MAX_RANK * 2];
	int n = p->fn(p->ud, shape, dtype, tmp, VS_MAX_RANK * 2);
	if (n < 0)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Partitioner must return a sequence, but saw: %s",
		                p->label ? p->label : "None");
	fmt_list(tmp, n, s2, sizeof s2);
	if (n != shape->rank)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Partitioner returned a partition list that does not match the "
		                "Variable's rank: %s vs. %s",
		                s2, s1);
	int many = 0;
	for (int i = 0; i < n; i++) {
		if (tmp[i] < 1)
			return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
			                "Partitioner returned zero partitions for some axes: %s",
			                s2);
		many += tmp[i] > 1;
	}
	if (many > 1)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Can only slice a variable along one dimension: shape: %s, "
		                "partitioning: %s",
		                s1, s2);
	memcpy(parts, tmp, (size_t)n * sizeof *parts);
	return 0;
}

static rt_istr part_name(rt_istr name, long i)
{
	char buf[VS_ERROR_MSG_MAX];
	snprintf(buf, sizeof buf, "%s/part_%ld", name, i);
	return rt_intern_cstr(buf);
}

/* reuse of an existing partitioned variable: allowed unless reuse=False,
 * with a compatible shape, the same dtype and the same partitions */
static int partition_check_existing(rt_getvar_call *gv, rt_istr name, const vs_getter_args *a,
                                    const vs_shape *shape, vs_dtype dtype, const int64_t *parts,
                                    const vs_var *ex, vs_error *err)
{
	uint32_t sid = gv->sid;
	char s1[256], s2[256];
	if (a->reuse == VS_REUSE_FALSE)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Partitioned variable with name %s already exists. Did you mean "
		                "to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?",
		                name);
	if (!rt_shape_compatible(shape, &ex->shape)) {
		vs_shape_format(shape, s1, sizeof s1);
		vs_shape_format(&ex->shape, s2, sizeof s2);
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Trying to reuse partitioned variable %s, but specified shape %s "
		                "and found shape %s.",
		                name, s1, s2);
	}
	if (dtype != ex->dtype)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Trying to reuse partitioned variable %s, but specified dtype %s "
		                "and found dtype %s.",
		                name, dt_name(dtype), dt_name(ex->dtype));
	if (parts && memcmp(parts, ex->partitions, (size_t)ex->part_rank * sizeof *parts) != 0) {
		fmt_list(parts, shape->rank, s1, sizeof s1);
		fmt_list(ex->partitions, ex->part_rank, s2, sizeof s2);
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Trying to reuse partitioned variable %s, but specified "
		                "partitions %s and found partitions %s.",
		                name, s1, s2);
	}
	return 0;
}

/* shards already in the store must be exactly num of them */
static int partition_check_shards(rt_getvar_call *gv, rt_istr name, long num, vs_error *err)
{
	if (!store_get(gv->store, &gv->store->vars, part_name(name, 0)))
		return 0;
	if (!store_get(gv->store, &gv->store->vars, part_name(name, num - 1)))
		return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Partitioner returned a different partitioning than what was "
		                "already found.  Partitioner returned %ld shards, and shard "
		                "%s/part_0 was found, but %s/part_%ld was not.",
		                num, name, name, num - 1);
	if (store_get(gv->store, &gv->store->vars, part_name(name, num)))
		return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "Partitioner returned a different partitioning than what was "
		                "already found.  Partitioner returned %ld shards, and shard "
		                "%s/part_0 was found, but so was the extra shard %s/part_%ld.",
		                num, name, name, num);
	return 0;
}

/* creates the num shards along slice_dim, then the partitioned variable
 * that lists them, and registers it */
static int partition_create(rt_getvar_call *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                            const vs_shape *shape, vs_dtype dtype, const int64_t *parts,
                            int slice_dim, long num, vs_error *err)
{
	vs_var **shards = rt_obj_new((size_t)num * sizeof *shards, NULL);
	vs_var *pv = rt_obj_new(sizeof *pv, NULL);
	if (!shards || !pv)
		return vs_error_nomem(err);
	int64_t dim = shape->dims[slice_dim];
	for (long i = 0; i < num; i++) {
		vs_shape ss = *shape;
		ss.dims[slice_dim] = dim / num + (i < dim % num ? 1 : 0);
		vs_getter_args sa = *a;
		sa.shape = &ss;
		if (a->initializer && a->initializer->kind == VS_INIT_VALUE)
			sa.initializer = NULL; /* a sliced value initializes each shard */
		int rc = single_variable(gv, &shards[i], part_name(name, i), &sa, &ss, 1, err);
		if (rc < 0)
			return rc;
	}
	pv->id = rt_id_next(&rt_global_ids.var);
	pv->birth_tid = gv->t->tid;
	pv->birth_n = gv->t->created; /* new with its last shard */
	pv->name = name;
	pv->op_name = name;
	pv->key = name;
	pv->shape = *shape;
	pv->dtype = dtype;
	pv->trainable = shards[0] ? shards[0]->trainable : 0;
	pv->resource = shards[0] ? shards[0]->resource : 0;
	pv->graph = shards[0] ? shards[0]->graph : NULL;
	pv->site = gv->site;
	pv->nparts = (size_t)num;
	pv->parts = shards;
	pv->part_rank = shape->rank;
	memcpy(pv->partitions, parts, (size_t)shape->rank * sizeof *parts);
	if ((!gv->eager || gv->store->store_eager) &&
	    store_put(gv->store, &gv->store->parts, name, pv) < 0)
		return vs_error_nomem(err);
	*out = pv;
	return 0;
}

/* _VariableStore._get_partitioned_variable */
static int partitioned_variable(rt_getvar_call *gv, vs_var **out, rt_istr name,
                                const vs_getter_args *a, const vs_partitioner *part, vs_error *err)
{
	const vs_initializer *init = a->initializer;
	vs_dtype dtype = a->dtype ? a->dtype : VS_DT_FLOAT32;
	if (store_get(gv->store, &gv->store->vars, name))
		return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "A partitioner was provided, but an unpartitioned version of the "
		                "variable was found: %s.  Perhaps a variable of the same name was "
		                "already created without partitioning?",
		                name);
	vs_shape shape = {.rank = -1};
	if (a->shape)
		shape = *a->shape;
	if (init && init->kind == VS_INIT_VALUE && shape.rank < 0) {
		vs_shape sc = {.rank = 0};
		shape = init->shape ? *init->shape : sc;
	}
	int64_t parts[VS_MAX_RANK];
	int have_parts = 0;
	if (a->reuse != VS_REUSE_TRUE || part) {
		int rc = call_partitioner(gv, part, &shape, dtype, parts, err);
		if (rc < 0)
			return rc;
		have_parts = 1;
	}
	vs_var *ex = store_get(gv->store, &gv->store->parts, name);
	if (ex) {
		int rc = partition_check_existing(gv, name, a, &shape, dtype,
		                                  have_parts ? parts : NULL, ex, err);
		if (rc < 0)
			return rc;
		*out = ex;
		return 0;
	}
	if (a->reuse == VS_REUSE_TRUE)
		return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
		                "PartitionedVariable %s does not exist, or was not created with "
		                "tf.get_variable(). Did you mean to set reuse=False or "
		                "reuse=tf.AUTO_REUSE in VarScope?",
		                name);
	int slice_dim = 0;
	long num = 1;
	for (int i = 0; i < shape.rank; i++)
		if (parts[i] > 1) {
			slice_dim = i;
			num = (long)parts[i];
		}
	int rc = partition_check_shards(gv, name, num, err);
	if (rc < 0)
		return rc;
	return partition_create(gv, out, name, a, &shape, dtype, parts, slice_dim, num, err);
}

int rt_true_getter(rt_getvar_call *gv, vs_var **out, const vs_getter_args *a, vs_error *err)
{
	rt_istr name = a->name == gv->full ? gv->full : rt_intern_cstr(a->name);
	if (!name)
		return vs_error_nomem(err);
	int is_scalar = a->shape && a->shape->rank == 0;
	if (a->partitioner && !is_scalar) {
		if (!a->partitioner->fn)
			return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONER_NOT_CALLABLE,
			                "Partitioner must be callable, but received: %s",
			                a->partitioner->label ? a->partitioner->label : "None");
		return partitioned_variable(gv, out, name, a, a->partitioner, err);
	}
	if (a->reuse == VS_REUSE_TRUE && !a->partitioner &&
	    store_get(gv->store, &gv->store->parts, name))
		return partitioned_variable(gv, out, name, a, NULL, err);
	if (atomic_load(&gv->store->has_part0) &&
	    store_get(gv->store, &gv->store->vars, part_name(name, 0)))
		return rt_raise(
			gv->sid, err, VS_ERR_VALUE, VS_TFE_PARTITIONED,
			"No partitioner was provided, but a partitioned version of the "
			"variable was found: %s/part_0. Perhaps a variable of the same name "
			"was already created with partitioning?",
			name);
	return single_variable(gv, out, name, a, a->shape, 0, err);
}

/* the getter arguments from the call's options and the current scope's
 * defaults (the initializer, constraint and dtype defaults come later, after
 * the initializer/dtype check); get_local_variable adds LOCAL_VARIABLES to
 * the collections (in lcols, 64 entries) and is never trainable */
static void getvar_args(vs_getter_args *a, const vs_var_opts *o, const vs_varscope *scope,
                        int local, const char **lcols)
{
	memset(a, 0, sizeof *a);
	a->shape = o->shape;
	a->dtype = o->dtype;
	a->initializer = o->initializer;
	a->regularizer = o->regularizer ? o->regularizer : scope->reg;
	a->caching_device = o->caching_device ? o->caching_device : scope->caching;
	a->partitioner = o->partitioner ? o->partitioner : scope->part;
	a->validate_shape = o->validate_shape;
	a->constraint = o->constraint;
	a->synchronization = o->synchronization;
	a->aggregation = o->aggregation;
	if (!local) {
		a->collections = o->collections;
		a->trainable = o->trainable;
		return;
	}
	size_t n = 0;
	if (o->collections)
		for (; n < 62 && o->collections[n]; n++)
			lcols[n] = o->collections[n];
	lcols[n++] = VS_LOCAL_VARIABLES;
	lcols[n] = NULL;
	a->collections = lcols;
	a->trainable = VS_FALSE;
}

/* scope name + '/' + name, interned */
static int getvar_full_name(const vs_varscope *scope, const char *name, rt_istr *full,
                            vs_error *err)
{
	char buf[VS_ERROR_MSG_MAX];
	size_t sl = strlen(scope->name), nl = strlen(name);
	if (sl + nl + 2 > sizeof buf)
		return vs_error_set(err, VS_ERR_INVALID, "variable name too long");
	memcpy(buf, scope->name, sl);
	if (sl)
		buf[sl++] = '/';
	memcpy(buf + sl, name, nl);
	*full = rt_intern(buf, sl + nl);
	return *full ? 0 : vs_error_nomem(err);
}

/* _VariableStore.get_variable(full name, reuse=reuse, ...): the getter chain
 * (or the true getter) with the store's checks; a->synchronization set */
static int store_run(rt_getvar_call *gv, vs_var **out, vs_getter_args *a, vs_reuse reuse,
                     vs_tristate use_resource, rt_getter *getter, vs_error *err)
{
	rt_tls *t = gv->t;
	if (getter && !getter->g.fn && !getter->outer)
		return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_GETTER_NOT_CALLABLE,
		                "Passed a custom_getter which is not callable: %s",
		                getter->g.label ? getter->g.label : "None");
	if (lifts_to_eager(t))
		use_resource = VS_TRUE;
	if (t->is_eager) {
		if (!gv->store->store_eager && (reuse == VS_REUSE_TRUE || reuse == VS_REUSE_AUTO))
			return rt_raise(gv->sid, err, VS_ERR_RUNTIME, VS_TFE_EAGER_REUSE,
			                "When eager execution is enabled variable reuse is only "
			                "supported when an EagerVariableStore is active. See the "
			                "documentation on EagerVariableStore for example usage.");
		if (gv->store->store_eager)
			reuse = VS_REUSE_AUTO;
	}
	if (!a->trainable)
		a->trainable = a->synchronization == VS_SYNC_ON_READ ? VS_FALSE : VS_TRUE;
	a->name = gv->full;
	a->reuse = reuse;
	a->use_resource = use_resource;
	if (!getter)
		return rt_true_getter(gv, out, a, err);
	vs_getter_next next = {gv, getter, 0};
	return vs_getter_next_call(&next, out, a, err);
}

/* inside get_variable's name_scope(None): the scope's defaults, the checks
 * of variable_scope.get_variable and _VariableStore.get_variable, then the
 * getter chain (or the true getter) */
static int getvar_run(rt_getvar_call *gv, vs_var **out, vs_getter_args *a, const vs_var_opts *o,
                      const vs_varscope *scope, rt_getter *getter, vs_error *err)
{
	rt_tls *t = gv->t;
	if (a->dtype && a->initializer && a->initializer->kind == VS_INIT_VALUE &&
	    a->initializer->dtype && a->initializer->dtype != a->dtype) {
		char r1[64], r2[64];
		return rt_raise(gv->sid, err, VS_ERR_VALUE, VS_TFE_INIT_DTYPE,
		                "Initializer type '%s' and explicit dtype '%s' don't match.",
		                rt_dtype_repr(a->initializer->dtype, r1, sizeof r1),
		                rt_dtype_repr(a->dtype, r2, sizeof r2));
	}
	if (!a->initializer)
		a->initializer = scope->init;
	if (!a->constraint)
		a->constraint = scope->constraint;
	if (!a->dtype)
		a->dtype = scope->dtype;
	vs_reuse reuse = t->is_eager ? VS_REUSE_FALSE : scope->reuse;
	vs_tristate use_resource = t->is_eager       ? VS_TRUE
	                           : o->use_resource ? o->use_resource
	                                             : scope->use_resource;
	return store_run(gv, out, a, reuse, use_resource, getter, err);
}

/* VAR_ARGS of a get_variable-like call: what GETVAR_ENTER does not carry */
static void emit_getvar_args(uint32_t sid, uint32_t call, const vs_var_opts *o)
{
	rt_var_args va = {.init = o->initializer,
	                  .regularizer = o->regularizer ? o->regularizer->label : NULL,
	                  .constraint = o->constraint ? o->constraint->label : NULL,
	                  .partitioner = o->partitioner ? o->partitioner->label : NULL,
	                  .collections = o->collections,
	                  .caching_device = o->caching_device,
	                  .packed = VS_VARG_PACK(o->trainable, o->validate_shape, o->use_resource,
	                                         o->synchronization, o->aggregation, 0, 0)};
	rt_emit_var_args(sid, call, &va);
}

/* a custom getter given to this call only (opts->custom_getter) becomes
 * *getter, wrapping nothing: the scope's getter does not run then */
static inline __attribute__((always_inline)) int
call_getter(const vs_var_opts *o, rt_getter *per_call, rt_getter **getter, vs_error *err)
{
	if (!o->custom_getter)
		return 0;
	per_call->g = *o->custom_getter;
	per_call->g.label = rt_intern_cstr(o->custom_getter->label);
	if (rt_intern_failed(o->custom_getter->label, per_call->g.label))
		return vs_error_nomem(err);
	per_call->outer = NULL;
	*getter = per_call;
	return 0;
}

/* the end of a get_variable call that returned rc and *out: GETVAR_EXIT
 * (the call's own words in c, the result's here); *out is NULL after an
 * error */
static inline __attribute__((always_inline)) int getvar_exit(rt_tls *t, uint32_t sid, int rc,
                                                             vs_var **out, uint32_t before,
                                                             const struct vs_evp_getvar_exit *c)
{
	vs_var *v = rc < 0 ? NULL : *out;
	RT_EMIT(VS_EV_GETVAR_EXIT, 0, sid,
	        .getvar_exit = {.requested = c->requested,
	                        .full_name = c->full_name,
	                        .variable = v ? v->id : 0,
	                        .outcome = rt_call_outcome(t, rc, v, before),
	                        .reuse = c->reuse,
	                        .call_id = c->call_id,
	                        .shape = v ? rt_shape_str_id(&v->shape) : 0,
	                        .dtype = v ? (uint32_t)v->dtype : 0});
	if (rc < 0)
		*out = NULL;
	return rc;
}

/* always inlined: rt_site_id takes the public entry's frame (tracer/emit.h) */
static inline __attribute__((always_inline)) int get_variable(vs_site site, vs_var **out,
                                                              const char *name,
                                                              const vs_var_opts *opts, int local,
                                                              vs_error *err)
{
	static const vs_var_opts none;
	const vs_var_opts *o = opts ? opts : &none;
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!name || !out)
		return vs_error_set(err, VS_ERR_INVALID, "get_variable without a name");
	uint32_t sid = rt_site_id(site);
	*out = NULL;
	vs_varscope *scope = rt_varscope_current(t);
	vs_graph *g = rt_graph_default(t);
	if (!scope || !g)
		return vs_error_nomem(err);
	rt_getvar_call gv = {t, sid, site, rt_graph_store(g), g, t->is_eager, NULL};
	vs_getter_args a;
	const char *lcols[64];
	getvar_args(&a, o, scope, local, lcols);
	rt_getter per_call, *getter = scope->getter;
	int rc = call_getter(o, &per_call, &getter, err);
	if (rc < 0 || (rc = getvar_full_name(scope, name, &gv.full, err)) < 0)
		return rc;
	rt_istr full = gv.full;
	vs_reuse eff = t->is_eager ? (gv.store->store_eager ? VS_REUSE_AUTO : VS_REUSE_FALSE)
	                           : scope->reuse;
	uint32_t call = rt_id_next(&rt_global_ids.call);
	uint32_t before = t->created;
	int partitioned = a.partitioner && !(a.shape && a.shape->rank == 0);
	uint32_t requested = rt_str_id_cstr(name); /* once for both events */
	RT_EMIT(VS_EV_GETVAR_ENTER,
	        (local ? VS_EVF_LOCAL : 0) | (partitioned ? VS_EVF_PARTITIONED : 0) |
	                (t->is_eager ? VS_EVF_EAGER : 0),
	        sid,
	        .getvar_enter = {.requested = requested,
	                         .full_name = rt_str_id(full),
	                         .shape = rt_shape_str_id(o->shape),
	                         .dtype = (uint32_t)o->dtype,
	                         .reuse = (uint32_t)eff,
	                         .call_id = call,
	                         .scope_id = scope->id,
	                         .store_id = gv.store->id});
	emit_getvar_args(sid, call, o);
	rt_name_scope ns;
	rc = rt_name_scope_enter(t, sid, &ns, NULL, NULL, rt_id_next(&rt_global_ids.cm), err);
	if (rc >= 0) {
		rc = getvar_run(&gv, out, &a, o, scope, getter, err);
		rt_name_scope_exit(t, sid, &ns);
	}
	return getvar_exit(t, sid, rc, out, before,
	                   &(struct vs_evp_getvar_exit){.requested = requested,
	                                                .full_name = rt_str_id(full),
	                                                .reuse = (uint32_t)eff,
	                                                .call_id = call});
}

int vs_get_variable_at(vs_site site, vs_var **out, const char *name, const vs_var_opts *opts,
                       vs_error *err)
{
	return get_variable(site, out, name, opts, 0, err);
}

int vs_get_local_variable_at(vs_site site, vs_var **out, const char *name, const vs_var_opts *opts,
                             vs_error *err)
{
	return get_variable(site, out, name, opts, 1, err);
}

/* ---- _VariableStore objects ---------------------------------------------- */
int vs_var_store_new_at(vs_site site, vs_var_store **out, vs_error *err)
{
	if (!rt_tls_model())
		return vs_error_nomem(err);
	if (!out)
		return vs_error_set(err, VS_ERR_INVALID, "no result pointer");
	rt_store *s = rt_store_new(0);
	if (!s)
		return vs_error_nomem(err);
	RT_EMIT(VS_EV_VAR_STORE_NEW, 0, rt_site_id(site), .var_store_new = {.store_id = s->id});
	*out = s;
	return 0;
}

vs_var_store *vs_default_var_store(void)
{
	rt_tls *t = rt_tls_model();
	vs_graph *g = t ? rt_graph_default(t) : NULL;
	return g ? rt_graph_store(g) : NULL;
}

int vs_var_store_holds_eager(const vs_var_store *s) { return s ? s->store_eager : 0; }

int vs_executing_eagerly_outside_functions(void)
{
	rt_tls *t = rt_tls_model();
	return t ? lifts_to_eager(t) : 0;
}

/* the arguments of a direct store call: the options as given, dtype
 * float32 by default (no scope defaults) */
static void store_call_args(vs_getter_args *a, const vs_var_opts *o)
{
	memset(a, 0, sizeof *a);
	a->shape = o->shape;
	a->dtype = o->dtype ? o->dtype : VS_DT_FLOAT32;
	a->initializer = o->initializer;
	a->regularizer = o->regularizer;
	a->trainable = o->trainable;
	a->collections = o->collections;
	a->caching_device = o->caching_device;
	a->partitioner = o->partitioner;
	a->validate_shape = o->validate_shape;
	a->constraint = o->constraint;
	a->synchronization = o->synchronization;
	a->aggregation = o->aggregation;
}

int vs_var_store_get_variable_at(vs_site site, vs_var_store *s, vs_var **out, const char *name,
                                 vs_reuse reuse, const vs_var_opts *opts, vs_error *err)
{
	static const vs_var_opts none;
	const vs_var_opts *o = opts ? opts : &none;
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!s || !name || !out || (unsigned)reuse > VS_REUSE_AUTO)
		return vs_error_set(err, VS_ERR_INVALID, "store get_variable: bad arguments");
	uint32_t sid = rt_site_id(site);
	*out = NULL;
	vs_graph *g = rt_graph_default(t);
	rt_istr full = rt_intern_cstr(name);
	if (!g || !full)
		return vs_error_nomem(err);
	rt_getvar_call gv = {t, sid, site, s, g, t->is_eager, full};
	vs_getter_args a;
	store_call_args(&a, o);
	rt_getter per_call, *getter = NULL;
	int rc = call_getter(o, &per_call, &getter, err);
	if (rc < 0)
		return rc;
	uint32_t call = rt_id_next(&rt_global_ids.call), before = t->created;
	int partitioned = a.partitioner && !(a.shape && a.shape->rank == 0);
	RT_EMIT(VS_EV_GETVAR_ENTER,
	        VS_EVF_STORE_CALL | (partitioned ? VS_EVF_PARTITIONED : 0) |
	                (t->is_eager ? VS_EVF_EAGER : 0),
	        sid,
	        .getvar_enter = {.requested = rt_str_id(full),
	                         .full_name = rt_str_id(full),
	                         .shape = rt_shape_str_id(o->shape),
	                         .dtype = (uint32_t)o->dtype,
	                         .reuse = (uint32_t)reuse,
	                         .call_id = call,
	                         .store_id = s->id});
	emit_getvar_args(sid, call, o);
	rc = store_run(&gv, out, &a, reuse, o->use_resource, getter, err);
	return getvar_exit(t, sid, rc, out, before,
	                   &(struct vs_evp_getvar_exit){.requested = rt_str_id(full),
	                                                .full_name = rt_str_id(full),
	                                                .reuse = (uint32_t)reuse,
	                                                .call_id = call});
}

/* ---- accessors ----------------------------------------------------------- */
const char *vs_var_name(const vs_var *v) { return v ? v->name : NULL; }
const char *vs_var_op_name(const vs_var *v) { return v ? v->op_name : NULL; }
const char *vs_var_store_key(const vs_var *v) { return v ? v->key : NULL; }
const vs_shape *vs_var_shape(const vs_var *v) { return v ? &v->shape : NULL; }
vs_dtype vs_var_dtype(const vs_var *v) { return v ? v->dtype : VS_DT_NONE; }
int vs_var_trainable(const vs_var *v) { return v ? v->trainable : 0; }
int vs_var_is_resource(const vs_var *v) { return v ? v->resource : 0; }
vs_graph *vs_var_graph(const vs_var *v) { return v ? v->graph : NULL; }
uint32_t vs_var_id(const vs_var *v) { return v ? v->id : 0; }
const vs_initializer *vs_var_initializer(const vs_var *v) { return v ? v->init : NULL; }
const vs_constraint *vs_var_constraint(const vs_var *v) { return v ? v->constraint : NULL; }
const char *vs_var_caching_device(const vs_var *v) { return v ? v->caching_device : NULL; }
size_t vs_var_num_partitions(const vs_var *v) { return v ? v->nparts : 0; }
const char *vs_var_device(const vs_var *v) { return v ? (v->device ? v->device : "") : NULL; }
vs_op *vs_var_initializer_op(const vs_var *v) { return v ? v->init_op : NULL; }

vs_var *vs_var_partition(const vs_var *v, size_t i)
{
	return v && i < v->nparts ? v->parts[i] : NULL;
}
