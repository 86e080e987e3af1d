/* SPDX-License-Identifier: MIT */
/*
 * tracer/map.c - pointer-keyed hash map and pointer vector (tracer/map.h).
 *
 * Linear probing over a power-of-two table.  Invariant: the table is at
 * most half full and entries are never removed, so every probe sequence
 * ends at an empty slot.
 */
#include "tracer/alloc.h"
#include "tracer/map.h"

#include <stdlib.h>
#include <string.h>

#include "vs/error.h"

static size_t slot_of(const void *key, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)key;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

static rt_map_slot *find(const rt_map *m, const void *key)
{
	if (!m->cap)
		return NULL;
	size_t i = slot_of(key, m->cap);
	while (m->slots[i].key) {
		if (m->slots[i].key == key)
			return &m->slots[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

intptr_t rt_map_get(const rt_map *m, const void *key, intptr_t dflt)
{
	const rt_map_slot *s = find(m, key);
	return s ? s->val : dflt;
}

int rt_map_has(const rt_map *m, const void *key) { return find(m, key) != NULL; }

static void insert_fresh(rt_map_slot *slots, size_t cap, const void *key, intptr_t val)
{
	size_t i = slot_of(key, cap);
	while (slots[i].key)
		i = (i + 1) & (cap - 1);
	slots[i].key = key;
	slots[i].val = val;
}

static int grow(rt_map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 16;
	rt_map_slot *ns = rt_calloc(ncap, sizeof *ns);
	if (!ns)
		return VS_ERR_NOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			insert_fresh(ns, ncap, m->slots[i].key, m->slots[i].val);
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int rt_map_put(rt_map *m, const void *key, intptr_t val)
{
	rt_map_slot *s = find(m, key);
	if (s) {
		s->val = val;
		return 0;
	}
	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return VS_ERR_NOMEM;
	insert_fresh(m->slots, m->cap, key, val);
	m->n++;
	return 0;
}

int rt_map_copy(rt_map *dst, const rt_map *src)
{
	dst->slots = NULL;
	dst->cap = dst->n = 0;
	if (!src->cap)
		return 0;
	dst->slots = rt_malloc(src->cap * sizeof *dst->slots);
	if (!dst->slots)
		return VS_ERR_NOMEM;
	memcpy(dst->slots, src->slots, src->cap * sizeof *dst->slots);
	dst->cap = src->cap;
	dst->n = src->n;
	return 0;
}

void rt_map_free(rt_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

int rt_vec_push(rt_vec *v, void *p)
{
	if (VS_GROW(v->items, v->cap, v->n + 1) < 0)
		return VS_ERR_NOMEM;
	v->items[v->n++] = p;
	return 0;
}

void rt_vec_free(rt_vec *v)
{
	free(v->items);
	v->items = NULL;
	v->n = v->cap = 0;
}
