/* SPDX-License-Identifier: MIT */
/*
 * tracer/varstore.c - the variable store and get_variable
 * (SEMANTICS.md §2): the reuse decision table, shape/dtype checks,
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
	s->id = rt_next_id(&rt_g_ids.store);
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
	rt_map_put(&s->pending, key, 0);
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

static vs_graph *coll_owner(vs_graph *g, const char *key)
{
	return is_var_collection(key) ? g->root : g;
}

static rt_coll *coll_find(vs_graph *g, rt_istr key)
{
	for (size_t i = 0; i < g->ncolls; i++)
		if (g->colls[i].key == key)
			return &g->colls[i];
	return NULL;
}

int rt_coll_add(vs_graph *g, rt_istr key, vs_var *v)
{
	if (!key)
		return VS_ERR_NOMEM;
	vs_graph *o = coll_owner(g, key);
	int rc = 0;
	pthread_mutex_lock(&o->root->mu);
	rt_coll *c = coll_find(o, key);
	if (!c) {
		if (o->ncolls == o->capcolls) {
			size_t nc = o->capcolls ? o->capcolls * 2 : 8;
			rt_coll *n = rt_realloc(o->colls, nc * sizeof *n);
			if (!n) {
				rc = VS_ERR_NOMEM;
				goto out;
			}
			o->colls = n;
			o->capcolls = nc;
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

int rt_coll_copy_outer(vs_graph *g)
{
	vs_graph *o = g->outer;
	if (!o)
		return 0;
	int rc = 0;
	pthread_mutex_lock(&g->root->mu); /* g and o share the root */
	for (size_t i = 0; i < o->ncolls && rc == 0; i++) {
		rt_coll *src = &o->colls[i];
		if (is_var_collection(src->key))
			continue;
		if (g->ncolls == g->capcolls) {
			size_t nc = g->capcolls ? g->capcolls * 2 : 8;
			rt_coll *n = rt_realloc(g->colls, nc * sizeof *n);
			if (!n) {
				rc = VS_ERR_NOMEM;
				break;
			}
			g->colls = n;
			g->capcolls = nc;
		}
		rt_coll *dst = &g->colls[g->ncolls];
		memset(dst, 0, sizeof *dst);
		dst->key = src->key;
		for (size_t k = 0; k < src->items.n && rc == 0; k++)
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
		rt_tls *t = rt_state();
		g = t ? rt_default_graph(t) : NULL;
		if (!g)
			return 0;
	}
	rt_istr k = rt_intern_cstr(key);
	vs_graph *o = coll_owner(g, key);
	pthread_mutex_lock(&o->root->mu);
	rt_coll *c = coll_find(o, k);
	size_t n = c ? c->items.n : 0;
	pthread_mutex_unlock(&o->root->mu);
	return n;
}

vs_var *vs_collection_get(vs_graph *g, const char *key, size_t i)
{
	if (!key)
		return NULL;
	if (!g) {
		rt_tls *t = rt_state();
		g = t ? rt_default_graph(t) : NULL;
		if (!g)
			return NULL;
	}
	rt_istr k = rt_intern_cstr(key);
	vs_graph *o = coll_owner(g, key);
	pthread_mutex_lock(&o->root->mu);
	rt_coll *c = coll_find(o, k);
	vs_var *v = c && i < c->items.n ? c->items.items[i] : NULL;
	pthread_mutex_unlock(&o->root->mu);
	return v;
}

/* ---- helpers ------------------------------------------------------------- */
void rt_format_frame(vs_site s, char *buf, size_t n)
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
	return d == VS_DT_FLOAT16 || d == VS_DT_BFLOAT16 || d == VS_DT_FLOAT32 || d == VS_DT_FLOAT64;
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
		len += (size_t)snprintf(buf + len, cap - len, "%s%lld", i ? ", " : "", (long long)p[i]);
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

static int single_decide(rt_gv *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                         const vs_shape *shape, int shard, vs_var *found, int present,
                         vs_error *err);

static int single_variable(rt_gv *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                           const vs_shape *shape, int shard, vs_error *err)
{
	uint32_t sid = gv->sid;
	const vs_initializer *init = a->initializer;
	int from_value = init && init->kind == VS_INIT_VALUE;
	if (shape && from_value)
		return rt_raise(sid, err, VS_ERR_VALUE, 5,
		                "If initializer is a constant, do not specify shape.");
	if (!name)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	int present = 0, reserved = a->reuse != VS_REUSE_TRUE;
	vs_var *found = store_lookup(gv->store, name, gv->t->tid, &present, &reserved);
	int rc = single_decide(gv, out, name, a, shape, shard, found, present, err);
	if (reserved)
		store_unreserve(gv->store, name);
	return rc;
}

static int single_decide(rt_gv *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                         const vs_shape *shape, int shard, vs_var *found, int present,
                         vs_error *err)
{
	uint32_t sid = gv->sid;
	const vs_initializer *init = a->initializer;
	int from_value = init && init->kind == VS_INIT_VALUE;
	vs_dtype dtype = a->dtype ? a->dtype : VS_DT_FLOAT32;
	if (present && !found) /* a creator chain returned None for this name earlier */
		return rt_raise(sid, err, VS_ERR_ATTRIBUTE, 0,
		                "'NoneType' object has no attribute '%s'",
		                a->reuse == VS_REUSE_FALSE ? "op" : "get_shape");
	if (found) {
		if (a->reuse == VS_REUSE_FALSE) {
			if (found->resource)
				return rt_raise(sid, err, VS_ERR_VALUE, 1,
				                "Variable %s already exists, disallowed. Did you mean to "
				                "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?",
				                name);
			char frame[1024];
			rt_format_frame(found->site, frame, sizeof frame);
			return rt_raise(sid, err, VS_ERR_VALUE, 1,
			                "Variable %s already exists, disallowed. Did you mean to set "
			                "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally "
			                "defined at:\n\n%s",
			                name, frame);
		}
		if (!rt_shape_compatible(shape, &found->shape)) {
			char s1[256], s2[256];
			vs_shape_format(shape, s1, sizeof s1);
			vs_shape_format(&found->shape, s2, sizeof s2);
			return rt_raise(sid, err, VS_ERR_VALUE, 3,
			                "Trying to share variable %s, but specified shape %s and found "
			                "shape %s.",
			                name, s1, s2);
		}
		if (dtype != found->dtype) /* a RefVariable's dtype is float32_ref (TF1 graphs) */
			return rt_raise(sid, err, VS_ERR_VALUE, 4,
			                "Trying to share variable %s, but specified dtype %s and found "
			                "dtype %s%s.",
			                name, dt_name(dtype), dt_name(found->dtype),
			                found->resource ? "" : "_ref");
		*out = found;
		return 0;
	}
	if (a->reuse == VS_REUSE_TRUE)
		return rt_raise(sid, err, VS_ERR_VALUE, 2,
		                "Variable %s does not exist, or was not created with "
		                "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
		                "VarScope?",
		                name);
	vs_initializer dflt;
	if (!init) {
		memset(&dflt, 0, sizeof dflt);
		if (dtype_floating(dtype)) {
			dflt.kind = VS_INIT_GLOROT_UNIFORM;
		} else if (dtype_zeros_default(dtype)) {
			dflt.kind = VS_INIT_ZEROS;
		} else {
			char r[64];
			return rt_raise(sid, err, VS_ERR_VALUE, 8,
			                "An initializer for variable %s of %s is required", name,
			                rt_dtype_repr(dtype, r, sizeof r));
		}
		init = &dflt;
	}
	vs_dtype vdtype = dtype;
	const vs_shape *vshape = shape;
	vs_shape scalar = {.rank = 0};
	if (from_value) {
		vdtype = init->dtype ? init->dtype : dtype;
		vshape = init->shape ? init->shape : &scalar;
	} else if (!rt_shape_fully_defined(shape) && init->kind != VS_INIT_LAMBDA) {
		return rt_raise(sid, err, VS_ERR_VALUE, 7,
		                "The initializer passed is not valid. It should be a callable with "
		                "no arguments and the shape should not be provided or an instance of "
		                "`tf.keras.initializers.*' and `shape` should be fully defined.");
	}
	vs_creator_args ca = {0};
	ca.name = name;
	ca.initial_value = init;
	ca.trainable = a->trainable;
	ca.collections = a->collections;
	ca.validate_shape = a->validate_shape;
	ca.caching_device = a->caching_device;
	ca.dtype = vdtype;
	ca.constraint = a->constraint;
	ca.use_resource = a->use_resource ? a->use_resource
	                                  : (rt_g_opts.use_resource == VS_TRUE ? VS_TRUE : VS_FALSE);
	ca.synchronization = a->synchronization;
	ca.aggregation = a->aggregation;
	ca.shape = vshape;
	rt_create_ctx cc = {name, shard, gv->site, sid};
	vs_var *v = NULL;
	int rc = rt_create_variable(gv->t, &v, &ca, &cc, err);
	if (rc < 0)
		return rc;
	if (!v) {
		/* TF keeps None under the name, then reads v.name for its log line */
		if ((!gv->eager || gv->store->store_eager) &&
		    store_put(gv->store, &gv->store->vars, name, NULL) < 0)
			return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
		return rt_raise(sid, err, VS_ERR_ATTRIBUTE, 0,
		                "'NoneType' object has no attribute 'name'");
	}
	if (gv->eager && gv->store->store_eager) {
		vs_graph *dg = rt_default_graph(gv->t);
		if (a->collections && a->collections[0]) {
			for (const char *const *c = a->collections; *c; c++)
				rt_coll_add(dg, rt_intern_cstr(*c), v);
		} else {
			rt_coll_add(dg, rt_intern_cstr(VS_GLOBAL_VARIABLES), v);
		}
		if (v->trainable)
			rt_coll_add(dg, rt_intern_cstr(VS_TRAINABLE_VARIABLES), v);
	}
	if ((!gv->eager || gv->store->store_eager) && store_put(gv->store, &gv->store->vars, name, v) < 0)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	const vs_regularizer *reg = a->regularizer;
	if (reg && (!reg->fn || reg->fn(reg->ud, v)))
		rt_coll_add(rt_default_graph(gv->t), rt_intern_cstr(VS_REGULARIZATION_LOSSES), v);
	*out = v;
	return 0;
}

/* _call_partitioner: fills parts, returns 0 or an error */
static int call_partitioner(rt_gv *gv, const vs_partitioner *p, const vs_shape *shape,
                            vs_dtype dtype, int64_t *parts, vs_error *err)
{
	uint32_t sid = gv->sid;
	char s1[256], s2[256];
	vs_shape_format(shape ? shape : VS_SHAPE_UNKNOWN_RANK, s1, sizeof s1);
	if (!rt_shape_fully_defined(shape))
		return rt_raise(sid, err, VS_ERR_VALUE, 31,
		                "Shape of a new partitioned variable must be fully defined, but "
		                "instead was %s.",
		                s1);
	if (shape->rank < 1)
		return rt_raise(sid, err, VS_ERR_VALUE, 31,
		                "A partitioned Variable must have rank at least 1, shape: %s", s1);
	int64_t tmp[VS_MAX_RANK * 2];
	int n = p->fn(p->ud, shape, dtype, tmp, VS_MAX_RANK * 2);
	if (n < 0)
		return rt_raise(sid, err, VS_ERR_VALUE, 31,
		                "Partitioner must return a sequence, but saw: %s",
		                p->label ? p->label : "None");
	fmt_list(tmp, n, s2, sizeof s2);
	if (n != shape->rank)
		return rt_raise(sid, err, VS_ERR_VALUE, 31,
		                "Partitioner returned a partition list that does not match the "
		                "Variable's rank: %s vs. %s",
		                s2, s1);
	int many = 0;
	for (int i = 0; i < n; i++) {
		if (tmp[i] < 1)
			return rt_raise(sid, err, VS_ERR_VALUE, 31,
			                "Partitioner returned zero partitions for some axes: %s", s2);
		many += tmp[i] > 1;
	}
	if (many > 1)
		return rt_raise(sid, err, VS_ERR_VALUE, 31,
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

static int partitioned_variable(rt_gv *gv, vs_var **out, rt_istr name, const vs_getter_args *a,
                                const vs_partitioner *part, vs_error *err)
{
	uint32_t sid = gv->sid;
	const vs_initializer *init = a->initializer;
	int from_value = init && init->kind == VS_INIT_VALUE;
	vs_dtype dtype = a->dtype ? a->dtype : VS_DT_FLOAT32;
	if (store_get(gv->store, &gv->store->vars, name))
		return rt_raise(sid, err, VS_ERR_VALUE, 31,
		                "A partitioner was provided, but an unpartitioned version of the "
		                "variable was found: %s.  Perhaps a variable of the same name was "
		                "already created without partitioning?",
		                name);
	vs_shape shape = {.rank = -1};
	if (a->shape)
		shape = *a->shape;
	if (from_value && shape.rank < 0) {
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
	char s1[256], s2[256];
	if (ex) {
		if (a->reuse == VS_REUSE_FALSE)
			return rt_raise(sid, err, VS_ERR_VALUE, 31,
			                "Partitioned variable with name %s already exists. Did you mean "
			                "to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?",
			                name);
		if (!rt_shape_compatible(&shape, &ex->shape)) {
			vs_shape_format(&shape, s1, sizeof s1);
			vs_shape_format(&ex->shape, s2, sizeof s2);
			return rt_raise(sid, err, VS_ERR_VALUE, 31,
			                "Trying to reuse partitioned variable %s, but specified shape %s "
			                "and found shape %s.",
			                name, s1, s2);
		}
		if (dtype != ex->dtype)
			return rt_raise(sid, err, VS_ERR_VALUE, 31,
			                "Trying to reuse partitioned variable %s, but specified dtype %s "
			                "and found dtype %s.",
			                name, dt_name(dtype), dt_name(ex->dtype));
		if (have_parts && memcmp(parts, ex->partitions,
		                         (size_t)ex->part_rank * sizeof *parts) != 0) {
			fmt_list(parts, shape.rank, s1, sizeof s1);
			fmt_list(ex->partitions, ex->part_rank, s2, sizeof s2);
			return rt_raise(sid, err, VS_ERR_VALUE, 31,
			                "Trying to reuse partitioned variable %s, but specified "
			                "partitions %s and found partitions %s.",
			                name, s1, s2);
		}
		*out = ex;
		return 0;
	}
	if (a->reuse == VS_REUSE_TRUE)
		return rt_raise(sid, err, VS_ERR_VALUE, 31,
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
	rt_istr p0 = part_name(name, 0);
	if (store_get(gv->store, &gv->store->vars, p0)) {
		if (!store_get(gv->store, &gv->store->vars, part_name(name, num - 1)))
			return rt_raise(sid, err, VS_ERR_VALUE, 31,
			                "Partitioner returned a different partitioning than what was "
			                "already found.  Partitioner returned %ld shards, and shard "
			                "%s/part_0 was found, but %s/part_%ld was not.",
			                num, name, name, num - 1);
		if (store_get(gv->store, &gv->store->vars, part_name(name, num)))
			return rt_raise(sid, err, VS_ERR_VALUE, 31,
			                "Partitioner returned a different partitioning than what was "
			                "already found.  Partitioner returned %ld shards, and shard "
			                "%s/part_0 was found, but so was the extra shard %s/part_%ld.",
			                num, name, name, num);
	}
	vs_var **shards = rt_obj_new((size_t)num * sizeof *shards, NULL);
	vs_var *pv = rt_obj_new(sizeof *pv, NULL);
	if (!shards || !pv)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	int64_t dim = shape.dims[slice_dim];
	for (long i = 0; i < num; i++) {
		vs_shape ss = shape;
		ss.dims[slice_dim] = dim / num + (i < dim % num ? 1 : 0);
		vs_getter_args sa = *a;
		sa.shape = &ss;
		if (from_value) /* a sliced value initializes each shard */
			sa.initializer = NULL;
		int rc = single_variable(gv, &shards[i], part_name(name, i), &sa, &ss, 1, err);
		if (rc < 0)
			return rc;
	}
	pv->id = rt_next_id(&rt_g_ids.var);
	pv->birth_tid = gv->t->tid;
	pv->birth_n = gv->t->created; /* new with its last shard */
	pv->name = name;
	pv->op_name = name;
	pv->key = name;
	pv->shape = shape;
	pv->dtype = dtype;
	pv->trainable = shards[0] ? shards[0]->trainable : 0;
	pv->resource = shards[0] ? shards[0]->resource : 0;
	pv->graph = shards[0] ? shards[0]->graph : NULL;
	pv->site = gv->site;
	pv->nparts = (size_t)num;
	pv->parts = shards;
	pv->part_rank = shape.rank;
	memcpy(pv->partitions, parts, (size_t)shape.rank * sizeof *parts);
	if ((!gv->eager || gv->store->store_eager) && store_put(gv->store, &gv->store->parts, name, pv) < 0)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	*out = pv;
	return 0;
}

int rt_true_getter(rt_gv *gv, vs_var **out, const vs_getter_args *a, vs_error *err)
{
	rt_istr name = a->name == gv->full ? gv->full : rt_intern_cstr(a->name);
	if (!name)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	int is_scalar = a->shape && a->shape->rank == 0;
	if (a->partitioner && !is_scalar) {
		if (!a->partitioner->fn)
			return rt_raise(gv->sid, err, VS_ERR_VALUE, 10,
			                "Partitioner must be callable, but received: %s",
			                a->partitioner->label ? a->partitioner->label : "None");
		return partitioned_variable(gv, out, name, a, a->partitioner, err);
	}
	if (a->reuse == VS_REUSE_TRUE && !a->partitioner &&
	    store_get(gv->store, &gv->store->parts, name))
		return partitioned_variable(gv, out, name, a, NULL, err);
	if (atomic_load(&gv->store->has_part0) &&
	    store_get(gv->store, &gv->store->vars, part_name(name, 0)))
		return rt_raise(gv->sid, err, VS_ERR_VALUE, 31,
		                "No partitioner was provided, but a partitioned version of the "
		                "variable was found: %s/part_0. Perhaps a variable of the same name "
		                "was already created with partitioning?",
		                name);
	return single_variable(gv, out, name, a, a->shape, 0, err);
}

/* always inlined: rt_site_id takes the public entry's frame (tracer/emit.h) */
static inline __attribute__((always_inline)) int get_variable(vs_site site, vs_var **out,
                                                              const char *name,
                                                              const vs_var_opts *opts,
                                                              int local, vs_error *err)
{
	static const vs_var_opts none;
	const vs_var_opts *o = opts ? opts : &none;
	rt_tls *t = rt_state();
	if (!t)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	if (!name || !out)
		return vs_error_set(err, VS_ERR_INVALID, "get_variable without a name");
	uint32_t sid = rt_site_id(site);
	*out = NULL;
	vs_varscope *scope = rt_cur_varscope(t);
	vs_graph *g = rt_default_graph(t);
	if (!scope || !g)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	rt_gv gv = {t, sid, site, rt_graph_store(g), g, t->is_eager, NULL};
	vs_getter_args a = {0};
	a.shape = o->shape;
	a.dtype = o->dtype;
	a.initializer = o->initializer;
	a.regularizer = o->regularizer ? o->regularizer : scope->reg;
	a.caching_device = o->caching_device ? o->caching_device : scope->caching;
	a.partitioner = o->partitioner ? o->partitioner : scope->part;
	a.validate_shape = o->validate_shape;
	a.constraint = o->constraint;
	a.synchronization = o->synchronization;
	a.aggregation = o->aggregation;
	rt_getter per_call, *getter = scope->getter;
	if (o->custom_getter) {
		per_call.g = *o->custom_getter;
		per_call.g.label = rt_intern_cstr(o->custom_getter->label);
		per_call.outer = NULL;
		getter = &per_call;
	}
	vs_reuse reuse;
	vs_tristate use_resource;
	if (t->is_eager) {
		reuse = VS_REUSE_FALSE;
		use_resource = VS_TRUE;
	} else {
		reuse = scope->reuse;
		use_resource = o->use_resource ? o->use_resource : scope->use_resource;
	}
	char fullbuf[VS_ERROR_MSG_MAX];
	size_t sl = strlen(scope->name), nl = strlen(name);
	if (sl + nl + 2 > sizeof fullbuf)
		return vs_error_set(err, VS_ERR_INVALID, "variable name too long");
	memcpy(fullbuf, scope->name, sl);
	if (sl)
		fullbuf[sl++] = '/';
	memcpy(fullbuf + sl, name, nl);
	rt_istr full = rt_intern(fullbuf, sl + nl);
	if (!full)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	gv.full = full;
	const char *lcols[64];
	if (local) {
		size_t n = 0;
		if (o->collections)
			for (; n < 62 && o->collections[n]; n++)
				lcols[n] = o->collections[n];
		lcols[n++] = VS_LOCAL_VARIABLES;
		lcols[n] = NULL;
		a.collections = lcols;
		a.trainable = VS_FALSE;
	} else {
		a.collections = o->collections;
		a.trainable = o->trainable;
	}
	vs_reuse eff = reuse;
	if (t->is_eager && gv.store->store_eager)
		eff = VS_REUSE_AUTO;
	uint32_t call = rt_next_id(&rt_g_ids.call);
	uint32_t before = t->created;
	int partitioned = a.partitioner && !(a.shape && a.shape->rank == 0);
	RT_EMIT_WORDS(VS_EV_GETVAR_ENTER,
	        (local ? VS_EVF_LOCAL : 0) | (partitioned ? VS_EVF_PARTITIONED : 0) |
	                (t->is_eager ? VS_EVF_EAGER : 0),
	        sid, rt_sid_cstr(name), rt_sid(full), rt_shape_sid(o->shape), (uint32_t)o->dtype,
	        (uint32_t)eff, call, scope->id, gv.store->id);
	rt_ns ns;
	int rc = rt_ns_enter(t, sid, &ns, NULL, NULL, rt_next_id(&rt_g_ids.cm), err);
	if (rc < 0)
		goto done;
	if (a.dtype && a.initializer && a.initializer->kind == VS_INIT_VALUE &&
	    a.initializer->dtype && a.initializer->dtype != a.dtype) {
		char r1[64], r2[64];
		rc = rt_raise(sid, err, VS_ERR_VALUE, 6,
		              "Initializer type '%s' and explicit dtype '%s' don't match.",
		              rt_dtype_repr(a.initializer->dtype, r1, sizeof r1),
		              rt_dtype_repr(a.dtype, r2, sizeof r2));
		goto exit_ns;
	}
	if (!a.initializer)
		a.initializer = scope->init;
	if (!a.constraint)
		a.constraint = scope->constraint;
	if (!a.dtype)
		a.dtype = scope->dtype;
	/* _VariableStore.get_variable */
	if (getter && !getter->g.fn && !getter->outer) {
		rc = rt_raise(sid, err, VS_ERR_VALUE, 9, "Passed a custom_getter which is not callable: %s",
		              getter->g.label ? getter->g.label : "None");
		goto exit_ns;
	}
	if (lifts_to_eager(t))
		use_resource = VS_TRUE;
	if (t->is_eager) {
		if (!gv.store->store_eager && (reuse == VS_REUSE_TRUE || reuse == VS_REUSE_AUTO)) {
			rc = rt_raise(sid, err, VS_ERR_RUNTIME, 11,
			              "When eager execution is enabled variable reuse is only supported "
			              "when an EagerVariableStore is active. See the documentation on "
			              "EagerVariableStore for example usage.");
			goto exit_ns;
		}
		if (gv.store->store_eager)
			reuse = VS_REUSE_AUTO;
	}
	if (!a.trainable)
		a.trainable = o->synchronization == VS_SYNC_ON_READ ? VS_FALSE : VS_TRUE;
	a.name = full;
	a.reuse = reuse;
	a.use_resource = use_resource;
	if (getter) {
		vs_getter_next next = {&gv, getter, 0};
		rc = vs_getter_next_call(&next, out, &a, err);
	} else {
		rc = rt_true_getter(&gv, out, &a, err);
	}
exit_ns:
	rt_ns_exit(t, sid, &ns);
done:;
	vs_var *v = rc < 0 ? NULL : *out;
	unsigned oc = rc < 0 ? VS_OUT_ERROR : !v ? VS_OUT_OTHER
	                                       : rt_var_new_since(t, v, before) ? VS_OUT_CREATED
	                                                                        : VS_OUT_REUSED;
	RT_EMIT_WORDS(VS_EV_GETVAR_EXIT, 0, sid, rt_sid_cstr(name), rt_sid(full), v ? v->id : 0, oc,
	        (uint32_t)eff, call, v ? rt_shape_sid(&v->shape) : 0, v ? (uint32_t)v->dtype : 0);
	if (rc < 0)
		*out = NULL;
	return rc;
}

int vs_get_variable_at(vs_site site, vs_var **out, const char *name, const vs_var_opts *opts,
                       vs_error *err)
{
	return get_variable(site, out, name, opts, 0, err);
}

int vs_get_local_variable_at(vs_site site, vs_var **out, const char *name,
                             const vs_var_opts *opts, vs_error *err)
{
	return get_variable(site, out, name, opts, 1, err);
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

vs_var *vs_var_partition(const vs_var *v, size_t i)
{
	return v && i < v->nparts ? v->parts[i] : NULL;
}
