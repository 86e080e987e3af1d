/* SPDX-License-Identifier: MIT */
/*
 * checker/map.h - a hash map from nonzero 64-bit keys to fixed-size values
 * stored inline (open addressing, linear probing, backward-shift delete).
 *
 * The shadow model keeps all its live objects in these maps so that a step
 * allocates only when a table grows (amortised), never per event.
 * Invariant: no tombstones; every key is in the probe run of its home slot.
 */
#ifndef VS_CHECK_MAP_H
#define VS_CHECK_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct vs_check_map vs_check_map;

/* A new empty map whose values are value_size bytes.  NULL on OOM.
 * Free with vs_check_map_free. */
vs_check_map *vs_check_map_new(size_t value_size);
void vs_check_map_free(vs_check_map *m);

/* The value of key (nonzero), or NULL.  Valid until the next put/del. */
void *vs_check_map_get(const vs_check_map *m, uint64_t key);

/*
 * The value slot of key, inserted zero-filled when absent (*created set to
 * 1 then, else 0; created may be NULL).  NULL on OOM.  Valid until the next
 * put/del.
 */
void *vs_check_map_put(vs_check_map *m, uint64_t key, int *created);

/* Removes key; no-op when absent. */
void vs_check_map_del(vs_check_map *m, uint64_t key);

/* Removes everything (keeps the capacity). */
void vs_check_map_clear(vs_check_map *m);

size_t vs_check_map_count(const vs_check_map *m);

/* Iteration: *pos starts at 0; returns the next value (and *key), NULL at
 * the end.  The map must not change during the iteration. */
void *vs_check_map_next(const vs_check_map *m, size_t *pos, uint64_t *key);

/* 64-bit FNV-1a over bytes, continuing from h (start with VS_CHECK_HASH0). */
#define VS_CHECK_HASH0 14695981039346656037ull
uint64_t vs_check_hash(uint64_t h, const void *data, size_t n);

#endif /* VS_CHECK_MAP_H */
