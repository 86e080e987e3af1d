/* SPDX-License-Identifier: MIT */
/*
 * tracer/getter.c - the custom-getter chain (docs/semantics.md §3.7): the
 * innermost getter is called first, each one's `getter` argument calls the
 * next outer one, the outermost reaches the true getter.
 *
 * Invariant: every getter invocation is bracketed by GETTER_CALL and
 * GETTER_RETURN with the same call id; getters run on creation and on reuse.
 */
#include "tracer/rt.h"
#include "tracer/store.h"

int vs_getter_next_call(vs_getter_next *next, vs_var **out, const vs_getter_args *args,
                        vs_error *err)
{
	if (!next || !out || !args)
		return vs_error_set(err, VS_ERR_INVALID, "bad getter call");
	rt_getvar_call *gv = next->gv;
	rt_getter *node = next->node;
	uint32_t call = rt_id_next(&rt_global_ids.call);
	rt_istr label = node ? node->g.label : NULL;
	RT_EMIT(VS_EV_GETTER_CALL, 0, gv->sid,
	        .getter_call = {.depth = next->depth,
	                        .label = rt_str_id(label),
	                        .name = rt_str_id_cstr(args->name),
	                        .reuse = (uint32_t)args->reuse,
	                        .call_id = call});
	*out = NULL;
	uint32_t before = gv->t->created;
	int rc;
	if (node) {
		if (!node->g.fn) {
			rc = rt_raise(gv->sid, err, VS_ERR_TYPE, VS_TFE_NONE,
			              "'%s' object is not callable", label ? label : "NoneType");
		} else {
			vs_getter_next nn = {gv, node->outer, next->depth + 1};
			rc = node->g.fn(out, &nn, args, node->g.ud, err);
		}
	} else {
		rc = rt_true_getter(gv, out, args, err);
	}
	unsigned oc = rt_call_outcome(gv->t, rc, *out, before);
	RT_EMIT(VS_EV_GETTER_RETURN, 0, gv->sid,
	        .getter_return = {.depth = next->depth,
	                          .label = rt_str_id(label),
	                          .variable = rc < 0 || !*out ? 0 : (*out)->id,
	                          .key = rc < 0 || !*out ? 0 : rt_str_id((*out)->key),
	                          .call_id = call,
	                          .outcome = oc});
	return rc;
}
