/* SPDX-License-Identifier: MIT */
/*
 * tracer/creator.c - variable_creator_scope stacks, the creator chain, the
 * default creator (the variable constructors, lifted by init_scope) and
 * direct Variable() creation (docs/semantics.md §2.6, §6).
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
	const rt_creator_stack *st;
	long idx; /* next entry to call; -1 = the default creator */
	unsigned depth;
	const rt_create_ctx *cc;
};

/* ---- creator scopes ------------------------------------------------------ */
/* always inlined: rt_site_id takes the public entry's frame (tracer/emit.h) */
static inline __attribute__((always_inline)) int
creator_scope(vs_site site, vs_cm **out, const vs_creator *creator, int priority, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!creator)
		return vs_error_set(err, VS_ERR_INVALID, "no creator");
	uint32_t sid = rt_site_id(site);
	rt_graph_thread *p = rt_graph_thread_root(t, rt_graph_default(t));
	if (!p)
		return vs_error_nomem(err);
	rt_creator_stack *old = p->creators;
	size_t n = old ? old->n : 0;
	rt_istr label = rt_intern_cstr(creator->label);
	if (rt_intern_failed(creator->label, label))
		return vs_error_nomem(err);
	rt_creator_stack *neu = rt_obj_new(sizeof *neu + (n + 1) * sizeof neu->e[0], NULL);
	vs_cm *cm = neu ? rt_cm_new(RT_CM_CREATOR) : NULL;
	if (!cm)
		return vs_error_nomem(err);
	/* stable sort by priority: the new entry goes after every entry <= priority */
	size_t k = 0, j = 0;
	while (k < n && old->e[k].prio <= priority)
		neu->e[j++] = old->e[k++];
	neu->e[j].prio = priority;
	neu->e[j].c = *creator;
	neu->e[j].c.label = label;
	j++;
	while (k < n)
		neu->e[j++] = old->e[k++];
	neu->n = n + 1;
	cm->creator.graph_thread = p;
	cm->creator.old_stack = old;
	cm->creator.new_stack = neu;
	cm->creator.label = label;
	p->creators = neu;
	RT_EMIT(VS_EV_CREATOR_SCOPE_ENTER, 0, sid,
	        .creator_scope = {.label = rt_str_id(cm->creator.label),
	                          .priority = (uint32_t)priority,
	                          .depth = (uint32_t)neu->n,
	                          .cm = cm->id});
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
	if (cm->creator.graph_thread->creators != cm->creator.new_stack)
		rc = rt_raise(sid, err, VS_ERR_RUNTIME, VS_TFE_CREATOR_NESTING,
		              "Exiting variable_creator_scope without proper nesting.");
	else
		cm->creator.graph_thread->creators = cm->creator.old_stack;
	/* emitted on failure too (after the ERROR), so every ENTER has its EXIT */
	RT_EMIT(VS_EV_CREATOR_SCOPE_EXIT, 0, sid,
	        .creator_scope = {.label = rt_str_id(cm->creator.label), .cm = cm->id});
	return rc;
}

/* ---- the default creator ------------------------------------------------- */
/* resource or ref variable: V2 always; else use_resource from the call, the
 * current variable scope, the runtime default, and eager forces resource */
static int creator_wants_resource(rt_tls *t, const vs_creator_args *a, int eager_at_call)
{
	if (a->v2)
		return 1;
	vs_tristate ur = a->use_resource;
	if (!ur) {
		vs_varscope *s = rt_varscope_current(t);
		ur = s ? s->use_resource : VS_UNSET;
	}
	if (!ur)
		ur = rt_global_opts.use_resource == VS_TRUE ? VS_TRUE : VS_FALSE;
	return ur == VS_TRUE || eager_at_call;
}

/* the new variable's shape, dtype and copied options; VS_ERR_NOMEM when a
 * copy or a name could not be made */
static int var_fill(rt_tls *t, vs_var *v, const vs_creator_args *a, const rt_create_ctx *cc,
                    const char *resolved, vs_error *err)
{
	size_t rl = strlen(resolved);
	v->op_name = rl ? rt_intern(resolved, rl - 1) : rt_empty();
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
	                    : (iv && iv->kind == VS_INIT_VALUE && iv->dtype ? iv->dtype
	                                                                    : VS_DT_FLOAT32);
	v->eager = t->is_eager;
	v->graph = t->is_eager ? NULL : rt_graph_default(t);
	int nm = 0;
	v->init = rt_initializer_dup(iv, &nm);
	v->constraint = rt_constraint_dup(a->constraint, &nm);
	v->caching_device = rt_intern_cstr(a->caching_device);
	v->site = cc->site;
	v->id = rt_id_next(&rt_global_ids.var);
	if (nm || !v->name || !v->op_name || rt_intern_failed(a->caching_device, v->caching_device))
		return vs_error_nomem(err);
	return 0;
}

/* appends name to the comma-joined list cols (truncated at n) */
static void cols_append(char *cols, size_t n, size_t *len, const char *name)
{
	*len += (size_t)snprintf(cols + *len, *len < n ? n - *len : 0, "%s%s", *len ? "," : "",
	                         name);
}

/* adds a graph variable to its collections (the given ones or GLOBAL, and
 * TRAINABLE for a trainable one), listing them in cols for VAR_CREATE */
static int var_add_collections(vs_var *v, const vs_creator_args *a, char *cols, size_t n,
                               int *local, vs_error *err)
{
	const char *const dflt[] = {VS_GLOBAL_VARIABLES, NULL};
	const char *const *list = a->collections && !a->v2 ? a->collections : dflt;
	int has_tr = 0;
	size_t len = 0;
	cols[0] = '\0';
	for (const char *const *c = list; *c; c++) {
		rt_istr key = rt_intern_cstr(*c);
		if (!key || rt_collection_add(v->graph, key, v) < 0)
			return vs_error_nomem(err);
		has_tr |= strcmp(*c, VS_TRAINABLE_VARIABLES) == 0;
		*local |= strcmp(*c, VS_LOCAL_VARIABLES) == 0;
		cols_append(cols, n, &len, *c);
	}
	if (v->trainable && !has_tr) {
		rt_istr key = rt_intern_cstr(VS_TRAINABLE_VARIABLES);
		if (!key || rt_collection_add(v->graph, key, v) < 0)
			return vs_error_nomem(err);
		cols_append(cols, n, &len, VS_TRAINABLE_VARIABLES);
	}
	return 0;
}

void rt_emit_var_args(uint32_t sid, uint32_t call, const rt_var_args *a)
{
	char cols[1024];
	size_t len = 0;
	if (!RT_TRACING() || !(a->init || a->regularizer || a->constraint || a->partitioner ||
	                       a->collections || a->caching_device || a->packed))
		return;
	cols[0] = '\0';
	for (const char *const *c = a->collections; c && *c; c++)
		cols_append(cols, sizeof cols, &len, *c);
	RT_EMIT(VS_EV_VAR_ARGS, 0, sid,
	        .var_args = {.call_id = call,
	                     .initializer = rt_init_str_id(a->init),
	                     .regularizer = rt_str_id_cstr(a->regularizer),
	                     .constraint = rt_str_id_cstr(a->constraint),
	                     .partitioner = rt_str_id_cstr(a->partitioner),
	                     .collections = a->collections ? rt_str_id_cstr(cols) : 0,
	                     .caching_device = rt_str_id_cstr(a->caching_device),
	                     .packed = a->packed | (a->collections ? VS_VARG_COLLECTIONS : 0)});
}

/* VAR_INFO for v (after its VAR_CREATE): what it was made with */
void rt_emit_var_info(const vs_var *v, uint32_t sid)
{
	if (!RT_TRACING())
		return;
	RT_EMIT(VS_EV_VAR_INFO, 0, sid,
	        .var_info = {.variable = v->id,
	                     .initializer = rt_init_str_id(v->init),
	                     .constraint = v->constraint ? rt_str_id_cstr(v->constraint->label) : 0,
	                     .caching_device = rt_str_id(v->caching_device),
	                     .device = v->device && *v->device ? rt_str_id(v->device) : 0});
}

/* VAR_CREATE for v, just made by the default creator */
static void emit_var_create(rt_tls *t, const vs_var *v, const vs_creator_args *a,
                            const rt_create_ctx *cc, int lifted, int in_ctl, const char *cols,
                            int local)
{
	if (!RT_TRACING())
		return;
	unsigned fl = (v->trainable ? VS_EVF_TRAINABLE : 0) | (v->resource ? VS_EVF_RESOURCE : 0) |
	              (cc->store_key ? 0 : VS_EVF_DIRECT) | (local ? VS_EVF_LOCAL : 0) |
	              (lifted ? VS_EVF_LIFTED : 0) | (cc->shard ? VS_EVF_PARTITIONED : 0) |
	              (v->eager ? VS_EVF_EAGER : 0) |
	              (a->no_lifting && in_ctl ? VS_EVF_IN_CONTROL_DEPS : 0);
	RT_EMIT(VS_EV_VAR_CREATE, fl, cc->site_id,
	        .var_create = {.variable = v->id,
	                       .name = rt_str_id(v->name),
	                       .key = rt_str_id(v->key),
	                       .shape = rt_shape_str_id(&v->shape),
	                       .dtype = (uint32_t)v->dtype,
	                       .collections = rt_str_id_cstr(cols),
	                       .graph_id = v->graph ? v->graph->id : 0,
	                       .template_id = rt_template_current_id(t)});
	rt_emit_var_info(v, cc->site_id);
}

static int default_creator(rt_tls *t, vs_var **out, const vs_creator_args *a,
                           const rt_create_ctx *cc, vs_error *err)
{
	uint32_t sid = cc->site_id;
	int trainable = a->trainable ? a->trainable == VS_TRUE
	                             : a->synchronization != VS_SYNC_ON_READ;
	int resource = creator_wants_resource(t, a, t->is_eager);
	vs_graph *from = t->is_eager ? NULL : rt_graph_default(t);
	rt_graph_thread *fp = from ? rt_graph_thread_get(t, from) : NULL;
	int in_ctl = fp && fp->ctl_ops.n > 0;
	/* a value (not callable) initial value made where the call is: inside
	 * cond/while when the call is (docs/semantics.md §2.6) */
	int value_in_cflow = fp && fp->cflow > 0 && a->initial_value &&
	                     a->initial_value->kind == VS_INIT_VALUE;
	rt_init_scope is = {0};
	int rc;
	if (!a->no_lifting) {
		rc = rt_init_scope_enter(t, sid, &is, err);
		if (rc < 0)
			return rc;
	}
	rt_name_scope ns;
	rc = rt_name_scope_enter(t, sid, &ns, a->name ? a->name : "Variable", "Variable",
	                         rt_id_next(&rt_global_ids.cm), err);
	if (rc < 0)
		goto out_is;
	if (value_in_cflow && !t->is_eager) {
		rc = rt_raise(
			sid, err, VS_ERR_VALUE, VS_TFE_NONE,
			"Initializer for variable %s is from inside a control-flow construct, "
			"such as a loop or conditional. When creating a variable inside a loop "
			"or conditional, use a lambda as the initializer.",
			ns.resolved);
		goto out_ns;
	}
	vs_var *v = rt_obj_new(sizeof *v, NULL);
	if (!v) {
		rc = vs_error_nomem(err);
		goto out_ns;
	}
	v->trainable = trainable;
	v->resource = resource;
	v->device = rt_device_current(t);
	rc = var_fill(t, v, a, cc, ns.resolved, err);
	if (rc < 0)
		goto out_ns;
	int local = 0;
	char cols[1024] = "";
	if (v->graph && (rc = var_add_collections(v, a, cols, sizeof cols, &local, err)) < 0)
		goto out_ns;
	v->birth_tid = t->tid;
	v->birth_n = ++t->created;
	emit_var_create(t, v, a, cc, (is.active && is.lifted) || v->graph != from, in_ctl, cols,
	                local);
	/* variable.initializer, in the variable's name scope (still inside
	 * init_scope: no control inputs unless not lifted) */
	if (v->graph &&
	    (rc = rt_op_new(t, sid, &v->init_op, resource ? "AssignVariableOp" : "Assign", "Assign",
	                    err)) < 0)
		goto out_ns;
	*out = v;
	rc = 0;
out_ns:
	rt_name_scope_exit(t, sid, &ns);
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
	uint32_t call = rt_id_next(&rt_global_ids.call);
	int trainable = args->trainable ? args->trainable == VS_TRUE
	                                : args->synchronization != VS_SYNC_ON_READ;
	RT_EMIT(VS_EV_CREATOR_CALL,
	        (trainable ? VS_EVF_TRAINABLE : 0) |
	                (args->use_resource == VS_TRUE || args->v2 ? VS_EVF_RESOURCE : 0),
	        sid,
	        .creator_call = {.depth = next->depth,
	                         .label = rt_str_id(label),
	                         .name = rt_str_id_cstr(args->name),
	                         .dtype = (uint32_t)args->dtype,
	                         .shape = rt_shape_str_id(args->shape),
	                         .call_id = call});
	uint32_t before = t->created;
	*out = NULL;
	int rc;
	if (e) {
		if (!e->c.fn) {
			rc = rt_raise(sid, err, VS_ERR_TYPE, VS_TFE_NONE,
			              "'%s' object is not callable", label ? label : "NoneType");
		} else {
			vs_creator_next nn = {t, next->st, next->idx - 1, next->depth + 1,
			                      next->cc};
			rc = e->c.fn(out, &nn, args, e->c.ud, err);
		}
	} else {
		rc = default_creator(t, out, args, next->cc, err);
	}
	unsigned oc = rt_call_outcome(t, rc, *out, before);
	RT_EMIT(VS_EV_CREATOR_RETURN, 0, sid,
	        .creator_return = {.depth = next->depth,
	                           .label = rt_str_id(label),
	                           .variable = rc < 0 || !*out ? 0 : (*out)->id,
	                           .call_id = call,
	                           .outcome = oc,
	                           .n_created = t->created - before});
	return rc;
}

int rt_variable_create(rt_tls *t, vs_var **out, const vs_creator_args *args,
                       const rt_create_ctx *cc, vs_error *err)
{
	rt_graph_thread *p = rt_graph_thread_root(t, rt_graph_default(t));
	if (!p)
		return vs_error_nomem(err);
	const rt_creator_stack *st = p->creators;
	vs_creator_next next = {t, st, st ? (long)st->n - 1 : -1, 0, cc};
	return vs_creator_next_call(&next, out, args, err);
}

int vs_variable_at(vs_site site, vs_var **out, const vs_creator_args *args, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!out)
		return vs_error_set(err, VS_ERR_INVALID, "no output");
	static const vs_creator_args none;
	const vs_creator_args *a = args ? args : &none;
	uint32_t sid = rt_site_id(site);
	uint32_t call = rt_id_next(&rt_global_ids.call);
	int trainable = a->trainable ? a->trainable == VS_TRUE
	                             : a->synchronization != VS_SYNC_ON_READ;
	RT_EMIT(VS_EV_VARIABLE_ENTER,
	        (trainable ? VS_EVF_TRAINABLE : 0) | (a->v2 ? VS_EVF_V2 : 0) |
	                (a->no_lifting ? VS_EVF_NO_LIFT : 0),
	        sid,
	        .variable_enter = {.requested = rt_str_id_cstr(a->name),
	                           .name_scope = RT_TRACING() ? rt_str_id(rt_name_scope_current(t))
	                                                      : 0,
	                           .call_id = call});
	rt_var_args va = {.init = a->initial_value,
	                  .constraint = a->constraint ? a->constraint->label : NULL,
	                  .collections = a->collections,
	                  .caching_device = a->caching_device,
	                  .packed = VS_VARG_PACK(a->trainable, a->validate_shape, a->use_resource,
	                                         a->synchronization, a->aggregation, 0, a->dtype)};
	rt_emit_var_args(sid, call, &va);
	rt_create_ctx cc = {NULL, 0, site, sid};
	*out = NULL;
	uint32_t before = t->created;
	int rc = rt_variable_create(t, out, a, &cc, err);
	unsigned oc = rt_call_outcome(t, rc, *out, before);
	RT_EMIT(VS_EV_VARIABLE_EXIT, 0, sid,
	        .variable_exit = {.variable = rc < 0 || !*out ? 0 : (*out)->id,
	                          .outcome = oc,
	                          .call_id = call});
	if (rc < 0)
		*out = NULL;
	return rc;
}
