/* SPDX-License-Identifier: MIT */
/*
 * checker/map.c - open-addressing hash map with inline values (see map.h).
 *
 * Invariant: the table is a power of two, at most 3/4 full; keys[i] == 0
 * marks an empty slot; a present key sits in the run starting at its home
 * slot (kept by backward-shift deletion).
 */
#include "checker/map.h"

#include <stdlib.h>
#include <string.h>

#include "vs/error.h"

struct vs_check_map {
	uint64_t *keys;
	unsigned char *vals;
	size_t vsize, cap, count;
};

static size_t home(const vs_check_map *m, uint64_t key)
{
	/* mix: object ids and string ids are small and dense */
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (m->cap - 1);
}

vs_check_map *vs_check_map_new(size_t value_size)
{
	vs_check_map *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->vsize = value_size ? value_size : 1;
	return m;
}

void vs_check_map_free(vs_check_map *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	free(m);
}

void *vs_check_map_get(const vs_check_map *m, uint64_t key)
{
	if (!m->cap || !key)
		return NULL;
	for (size_t i = home(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key)
			return m->vals + i * m->vsize;
		if (m->keys[i] == 0)
			return NULL;
	}
}

/* doubles the table (rehashing every key): 0 or VS_ERR_NOMEM */
static int grow(vs_check_map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 16;
	uint64_t *ok = m->keys;
	unsigned char *ov = m->vals;
	size_t ocap = m->cap;
	uint64_t *nk = calloc(ncap, sizeof *nk);
	unsigned char *nv = calloc(ncap, m->vsize);
	if (!nk || !nv) {
		free(nk);
		free(nv);
		return VS_ERR_NOMEM;
	}
	m->keys = nk;
	m->vals = nv;
	m->cap = ncap;
	for (size_t j = 0; j < ocap; j++) {
		if (!ok[j])
			continue;
		size_t i = home(m, ok[j]);
		while (m->keys[i])
			i = (i + 1) & (m->cap - 1);
		m->keys[i] = ok[j];
		memcpy(m->vals + i * m->vsize, ov + j * m->vsize, m->vsize);
	}
	free(ok);
	free(ov);
	return 0;
}

void *vs_check_map_put(vs_check_map *m, uint64_t key, int *created)
{
	if (!key)
		return NULL;
	void *v = vs_check_map_get(m, key);
	if (created)
		*created = v == NULL;
	if (v)
		return v;
	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return NULL;
	size_t i = home(m, key);
	while (m->keys[i])
		i = (i + 1) & (m->cap - 1);
	m->keys[i] = key;
	m->count++;
	v = m->vals + i * m->vsize;
	memset(v, 0, m->vsize);
	return v;
}

void vs_check_map_del(vs_check_map *m, uint64_t key)
{
	if (!m->cap || !key)
		return;
	size_t mask = m->cap - 1, i = home(m, key);
	while (m->keys[i] != key) {
		if (m->keys[i] == 0)
			return;
		i = (i + 1) & mask;
	}
	/* backward shift: pull later members of the run into the hole */
	for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
		size_t h = home(m, m->keys[j]);
		/* j's home lies cyclically in (i, j]: it must stay */
		if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		m->keys[i] = m->keys[j];
		memcpy(m->vals + i * m->vsize, m->vals + j * m->vsize, m->vsize);
		i = j;
	}
	m->keys[i] = 0;
	m->count--;
}

void vs_check_map_clear(vs_check_map *m)
{
	if (m->cap)
		memset(m->keys, 0, m->cap * sizeof *m->keys);
	m->count = 0;
}

size_t vs_check_map_count(const vs_check_map *m) { return m->count; }

void *vs_check_map_next(const vs_check_map *m, size_t *pos, uint64_t *key)
{
	for (; *pos < m->cap; (*pos)++)
		if (m->keys[*pos]) {
			size_t i = (*pos)++;
			if (key)
				*key = m->keys[i];
			return m->vals + i * m->vsize;
		}
	return NULL;
}

uint64_t vs_check_hash(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}
