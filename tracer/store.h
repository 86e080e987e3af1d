/* SPDX-License-Identifier: MIT */
/*
 * tracer/store.h - the state of one get_variable call, shared by the store
 * (tracer/varstore.c) and the custom-getter chain (tracer/getter.c).
 *
 * Invariant: an rt_getvar_call lives on get_variable's stack for the duration of the
 * call; getters reach the store only through rt_true_getter.
 */
#ifndef VS_TRACER_STORE_H
#define VS_TRACER_STORE_H

#include "tracer/rt.h"

typedef struct rt_getvar_call {
	rt_tls *t;
	uint32_t sid;
	vs_site site;
	rt_store *store;
	vs_graph *graph; /* default graph at the call */
	int eager;       /* executing eagerly at the call */
	rt_istr full;    /* the full name get_variable computed */
} rt_getvar_call;

struct vs_getter_next {
	rt_getvar_call *gv;
	rt_getter *node;
	unsigned depth;
};

/* _true_getter: the store lookup / creation at the end of the getter chain */
int rt_true_getter(rt_getvar_call *gv, vs_var **out, const vs_getter_args *a, vs_error *err);

#endif
