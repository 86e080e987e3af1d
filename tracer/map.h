/* SPDX-License-Identifier: MIT */
/*
 * tracer/map.h - a small open-addressing hash map keyed by pointer, and a
 * growable pointer vector, for the runtime's internal tables.
 *
 * Keys are interned strings (tracer/emit.h), so pointer equality is text
 * equality.  Invariant: the table is never more than half full, so a probe
 * always finds a free slot; entries are never deleted (callers store 0).
 */
#ifndef VS_TRACER_MAP_H
#define VS_TRACER_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "vs/internal/util.h"

typedef struct rt_map_slot {
	const void *key; /* NULL = free */
	intptr_t val;
} rt_map_slot;

typedef struct rt_map {
	rt_map_slot *slots;
	size_t cap; /* 0 or a power of two */
	size_t n;
} rt_map;

/* Value of key, or dflt when absent. */
intptr_t rt_map_get(const rt_map *m, const void *key, intptr_t dflt);
/* Nonzero when key is present. */
int rt_map_has(const rt_map *m, const void *key);
/* Sets key to val; returns 0 or VS_ERR_NOMEM (the map is unchanged then).
 * Overwriting a key already present never allocates and never fails. */
VS_MUST_CHECK int rt_map_put(rt_map *m, const void *key, intptr_t val);
/* Makes dst an independent copy of src (dst must be empty or freed). */
VS_MUST_CHECK int rt_map_copy(rt_map *dst, const rt_map *src);
/* Releases the table; the map is empty and reusable afterwards. */
void rt_map_free(rt_map *m);

/* Iteration: for (size_t i = 0; i < m->cap; i++) if (m->slots[i].key) ... */

typedef struct rt_vec {
	void **items;
	size_t n, cap;
} rt_vec;

/* Appends p; 0 or VS_ERR_NOMEM. */
VS_MUST_CHECK int rt_vec_push(rt_vec *v, void *p);
void rt_vec_free(rt_vec *v);

#endif
