/* SPDX-License-Identifier: MIT */
/*
 * tracer/alloc.h - the runtime's allocation functions, with a test hook that
 * makes allocations fail on purpose.
 *
 * Invariant: every allocation of the model and of the emission layer goes
 * through these, so a test can fail the N-th one and check that the runtime
 * returns VS_ERR_NOMEM (never crashes, never leaks) for every N.
 */
#ifndef VS_TRACER_ALLOC_H
#define VS_TRACER_ALLOC_H

#include <stddef.h>

void *rt_malloc(size_t n);
void *rt_calloc(size_t count, size_t size);
void *rt_realloc(void *p, size_t n);
/* aligned_alloc (n a multiple of align); release with free */
void *rt_aligned_alloc(size_t align, size_t n);

/*
 * Test hook: after n more successful allocations, every allocation fails
 * (n = 0: the next one fails); n < 0 turns failures off.  Process-wide.
 */
void rt_alloc_fail_after(long n);

#endif
