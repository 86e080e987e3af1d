/* SPDX-License-Identifier: MIT */
/*
 * tracer/alloc.c - allocation with an injectable failure point
 * (tracer/alloc.h).
 *
 * Invariant: with the hook off (the default) these are malloc, calloc and
 * realloc plus one predictable branch.
 */
#include "tracer/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>

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

void *rt_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n);
}

void *rt_calloc(size_t count, size_t size)
{
	return should_fail() ? NULL : calloc(count, size);
}

void *rt_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n);
}

void rt_alloc_fail_after(long n)
{
	atomic_store(&g_budget, n < 0 ? -1 : n);
}
