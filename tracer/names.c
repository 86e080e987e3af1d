/* SPDX-License-Identifier: MIT */
/*
 * tracer/names.c - op name scopes, graph.unique_name and ops
 * (docs/semantics.md §4).
 *
 * Invariants: a graph's names_in_use table is keyed by the lower-cased
 * name and only changes under the root graph's mutex; a thread's name stack
 * is per (graph, thread) in graph mode and the eager context's scope_name
 * string in eager mode (never uniquified there).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/rt.h"

#define ROOT_PATTERN "^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$"
#define SCOPE_PATTERN "^[A-Za-z0-9_.\\\\/>-]*$"

struct vs_op {
	uint32_t id;
	rt_istr name, type, device;
	size_t ctl;
	vs_graph *graph;
};

static int valid_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '\\' || c == '/' ||
	       c == '>' || c == '-';
}

static int valid_name(const char *n, int root)
{
	if (root && !(isalnum((unsigned char)n[0]) || n[0] == '.'))
		return 0;
	for (const char *p = n; *p; p++)
		if (!valid_char(*p))
			return 0;
	return 1;
}

/* graph.unique_name in g for the current thread's name stack (mark used) */
static rt_istr rt_unique_name(rt_tls *t, vs_graph *g, const char *name, int mark, vs_error *err)
{
	rt_graph_thread *p = rt_graph_thread_get(t, g);
	if (!p) {
		vs_error_nomem(err);
		return NULL;
	}
	char full[VS_ERROR_MSG_MAX], key[VS_ERROR_MSG_MAX + 24];
	size_t sl = strlen(p->name_stack);
	int n = sl ? snprintf(full, sizeof full, "%s/%s", p->name_stack, name)
	           : snprintf(full, sizeof full, "%s", name);
	if (n < 0 || (size_t)n >= sizeof full) {
		vs_error_set(err, VS_ERR_INVALID, "name too long");
		return NULL;
	}
	size_t len = (size_t)n;
	for (size_t i = 0; i <= len; i++)
		key[i] = (char)tolower((unsigned char)full[i]);
	rt_istr k = rt_intern(key, len);
	rt_istr res = NULL;
	if (!k)
		goto nomem;
	pthread_mutex_lock(&g->root->mu);
	intptr_t i = rt_map_get(&g->names, k, 0);
	if (mark && rt_map_put(&g->names, k, i + 1) < 0)
		goto unlock_nomem;
	if (i > 0) {
		rt_istr kk = k;
		while (rt_map_has(&g->names, kk)) {
			int m = snprintf(key + len, sizeof key - len, "_%ld", (long)i);
			kk = rt_intern(key, len + (size_t)m);
			if (!kk)
				goto unlock_nomem;
			i++;
		}
		if (mark && rt_map_put(&g->names, kk, 1) < 0)
			goto unlock_nomem;
		int m = snprintf(full + len, sizeof full - len, "_%ld", (long)(i - 1));
		len += (size_t)m;
	}
	pthread_mutex_unlock(&g->root->mu);
	res = rt_intern(full, len);
	if (!res)
		goto nomem;
	return res;
unlock_nomem:
	pthread_mutex_unlock(&g->root->mu);
nomem:
	vs_error_nomem(err);
	return NULL;
}

rt_istr rt_name_scope_current(rt_tls *t)
{
	if (t->is_eager) {
		size_t l = strlen(t->eager_scope);
		return l && t->eager_scope[l - 1] == '/' ? rt_intern(t->eager_scope, l - 1)
		                                         : t->eager_scope;
	}
	rt_graph_thread *p = rt_graph_thread_get(t, rt_graph_default(t));
	return p ? p->name_stack : NULL;
}

int rt_name_scope_enter(rt_tls *t, uint32_t sid, rt_name_scope *ns, const char *name,
                        const char *default_name, uint32_t cm, vs_error *err)
{
	const char *n = name ? name : default_name;
	memset(ns, 0, sizeof *ns);
	ns->cm = cm;
	char buf[VS_ERROR_MSG_MAX];
	if (t->is_eager) {
		rt_istr neu;
		if (!n || !*n) {
			neu = rt_empty();
		} else if (n[strlen(n) - 1] == '/') {
			neu = rt_intern_cstr(n);
		} else {
			int m = snprintf(buf, sizeof buf, "%s%s/", t->eager_scope, n);
			neu = m > 0 && (size_t)m < sizeof buf ? rt_intern(buf, (size_t)m) : NULL;
		}
		if (!neu)
			return vs_error_nomem(err);
		ns->eager = 1;
		ns->old = t->eager_scope;
		ns->resolved = neu;
		t->eager_scope = neu;
	} else {
		vs_graph *g = rt_graph_default(t);
		rt_graph_thread *p = g ? rt_graph_thread_get(t, g) : NULL;
		if (!p)
			return vs_error_nomem(err);
		rt_istr stack, resolved;
		if (n && *n) {
			int root = p->name_stack[0] == '\0';
			if (!valid_name(n, root)) {
				if (root)
					return rt_raise(
						sid, err, VS_ERR_VALUE, VS_TFE_BAD_SCOPE_NAME,
						"'%s' is not a valid root scope name. A root scope "
						"name has to match the following pattern: %s",
						n, ROOT_PATTERN);
				return rt_raise(
					sid, err, VS_ERR_VALUE, VS_TFE_BAD_SCOPE_NAME,
					"'%s' is not a valid scope name. A scope name has to "
					"match the following pattern: %s",
					n, SCOPE_PATTERN);
			}
		}
		if (!n || !*n) {
			stack = resolved = rt_empty();
		} else if (n[strlen(n) - 1] == '/') {
			stack = rt_intern(n, strlen(n) - 1);
			resolved = rt_intern_cstr(n);
		} else {
			stack = rt_unique_name(t, g, n, 1, err);
			if (!stack)
				return err ? err->code : VS_ERR_NOMEM;
			int m = snprintf(buf, sizeof buf, "%s/", stack);
			resolved = m > 0 && (size_t)m < sizeof buf ? rt_intern(buf, (size_t)m)
			                                           : NULL;
		}
		if (!stack || !resolved)
			return vs_error_nomem(err);
		ns->graph_thread = p;
		ns->old = p->name_stack;
		ns->resolved = resolved;
		p->name_stack = stack;
	}
	ns->active = 1;
	RT_EMIT(VS_EV_NAME_SCOPE_ENTER, 0, sid,
	        .name_scope = {.requested = rt_str_id_cstr(name),
	                       .default_name = rt_str_id_cstr(default_name),
	                       .resolved = rt_str_id(ns->resolved),
	                       .cm = cm});
	return 0;
}

void rt_name_scope_exit(rt_tls *t, uint32_t sid, rt_name_scope *ns)
{
	if (!ns->active)
		return;
	ns->active = 0;
	rt_istr restored = ns->old;
	uint32_t restored_id = 0;
	if (ns->eager) {
		t->eager_scope = ns->old;
	} else {
		ns->graph_thread->name_stack = ns->old;
		/* the name scope as entered, with its '/': cached on the string */
		if (RT_TRACING() && restored[0])
			restored_id = rt_str_slash_id(restored);
	}
	if (RT_TRACING() && !restored_id)
		restored_id = rt_str_id(restored);
	RT_EMIT(VS_EV_NAME_SCOPE_EXIT, 0, sid,
	        .name_scope = {.resolved = restored_id, .cm = ns->cm});
}

int vs_name_scope_at(vs_site site, vs_cm **out, const char *name, const vs_name_scope_opts *opts,
                     vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	uint32_t sid = rt_site_id(site);
	const char *dflt = opts ? opts->default_name : NULL;
	if (!t->is_eager && !name && !dflt && opts && opts->values_given)
		return rt_raise(sid, err, VS_ERR_VALUE, VS_TFE_NAME_SCOPE_ARGS,
		                "At least one of name (%s) and default_name (%s) must be provided.",
		                "None", "None");
	vs_cm *cm = rt_cm_new(RT_CM_NAME_SCOPE);
	if (!cm)
		return vs_error_nomem(err);
	int rc = rt_name_scope_enter(t, sid, &cm->name_scope, name, dflt, cm->id, err);
	if (rc < 0) {
		rt_cm_free(cm);
		return rc;
	}
	*out = cm;
	return 0;
}

const char *vs_get_name_scope(void)
{
	rt_tls *t = rt_tls_model();
	return t ? rt_name_scope_current(t) : NULL;
}

int vs_unique_name(const char *name, int mark_as_used, char *buf, size_t n, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!name)
		return vs_error_set(err, VS_ERR_INVALID, "no name");
	rt_istr r = rt_unique_name(t, rt_graph_default(t), name, mark_as_used, err);
	if (!r)
		return err ? err->code : VS_ERR_NOMEM;
	if (buf && n)
		snprintf(buf, n, "%s", r);
	return 0;
}

int vs_op_at(vs_site site, vs_op **out, const char *type, const char *name, vs_error *err)
{
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!type || !out)
		return vs_error_set(err, VS_ERR_INVALID, "op without a type");
	return rt_op_new(t, rt_site_id(site), out, type, name, err);
}

int rt_op_new(rt_tls *t, uint32_t sid, vs_op **out, const char *type, const char *name,
              vs_error *err)
{
	const char *n = name ? name : type;
	vs_op *op = rt_obj_new(sizeof *op, NULL);
	if (!op)
		return vs_error_nomem(err);
	unsigned fl = 0;
	if (t->is_eager) {
		char buf[VS_ERROR_MSG_MAX];
		snprintf(buf, sizeof buf, "%s%s", t->eager_scope, n);
		op->name = rt_intern_cstr(buf);
	} else {
		vs_graph *g = rt_graph_default(t);
		rt_graph_thread *p = g ? rt_graph_thread_get(t, g) : NULL;
		if (!p)
			return vs_error_nomem(err);
		size_t l = strlen(n);
		if (l && n[l - 1] == '/')
			op->name = rt_intern(n, l - 1);
		else
			op->name = rt_unique_name(t, g, n, 1, err);
		if (!op->name)
			return err ? err->code : VS_ERR_NOMEM;
		op->graph = g;
		op->ctl = p->ctl_ops.n;
		fl |= (p->cflow ? VS_EVF_IN_CFLOW : 0) |
		      (g->building_function ? VS_EVF_BUILDING_FUNCTION : 0);
	}
	if (t->tapes && !t->stop_depth)
		fl |= VS_EVF_TAPE_RECORDING;
	op->type = rt_intern_cstr(type);
	op->device = rt_device_current(t);
	if (!op->name || !op->type || !op->device)
		return vs_error_nomem(err);
	op->id = rt_id_next(&rt_global_ids.op);
	RT_EMIT(VS_EV_OP_CREATE, fl, sid,
	        .op_create = {.name = rt_str_id(op->name),
	                      .type = rt_str_id(op->type),
	                      .n_control_inputs = (uint32_t)op->ctl,
	                      .op_id = op->id});
	*out = op;
	return 0;
}

const char *vs_op_name(const vs_op *op) { return op ? op->name : NULL; }

const char *vs_op_type(const vs_op *op) { return op ? op->type : NULL; }

size_t vs_op_control_inputs(const vs_op *op) { return op ? op->ctl : 0; }

vs_graph *vs_op_graph(const vs_op *op) { return op ? op->graph : NULL; }

const char *vs_op_device(const vs_op *op) { return op ? op->device : NULL; }
