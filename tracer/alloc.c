/* SPDX-License-Identifier: MIT */
/*
 * tracer/alloc.c - allocation with an injectable failure point
 * (tracer/alloc.h), and the one array-growth helper (vs/internal/util.h).
 *
 * Invariant: with the hook off (the default) these are malloc, calloc and
 * realloc plus one predictable branch.
 */
#include "tracer/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vs/internal/util.h"

static _Atomic long g_budget = -1; /* < 0: never fail */

static int should_fail(void)
{
	long b = atomic_load_explicit(&g_budget, memory_order_relaxed);
	if (__builtin_expect(b < 0, 1))
		return 0;
	while (b > 0) {
		if (atomic_compare_exchange_weak(&g_budget, &b, b - 1))
			return 0;
		if (b < 0)
			return 0;
	}
	return 1;
}

void *rt_malloc(size_t n) { return should_fail() ? NULL : malloc(n); }

void *rt_calloc(size_t count, size_t size) { return should_fail() ? NULL : calloc(count, size); }

void *rt_realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n); }

void *rt_aligned_alloc(size_t align, size_t n)
{
	return should_fail() ? NULL : aligned_alloc(align, n);
}

void rt_alloc_fail_after(long n) { atomic_store(&g_budget, n < 0 ? -1 : n); }

int vs_grow_(void *arrp, size_t *cap, size_t need, size_t esz)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 8;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return VS_ERR_NOMEM;
		nc *= 2;
	}
	if (nc > SIZE_MAX / esz)
		return VS_ERR_NOMEM;
	void *old;
	memcpy(&old, arrp, sizeof old); /* arrp is a T **: same representation */
	void *p = rt_realloc(old, nc * esz);
	if (!p)
		return VS_ERR_NOMEM;
	memcpy(arrp, &p, sizeof p);
	*cap = nc;
	return 0;
}
