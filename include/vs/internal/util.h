/* SPDX-License-Identifier: MIT */
/*
 * vs/internal/util.h - the project's shared internal idioms: array growth,
 * out-of-memory reporting, broken-invariant assertions.  Not installed:
 * every module (tracer, store, scenario, checker, rules, cli) uses it, no
 * user program does.
 *
 * The idioms (docs/architecture.md, "Idioms"):
 *  - fallible calls return 0 or a negative vs_err and fill a vs_error *;
 *    callers test `< 0`, never truthiness;
 *  - running out of memory is `return vs_error_nomem(err);`
 *  - a broken internal invariant (a bug in vstrace, never bad input) is
 *    VS_ASSERT(cond) or VS_BUG("..."): it prints one line naming the place
 *    and aborts; bad input at libvs's entry points stays VS_ERR_INVALID;
 *  - paths in messages are quoted 'like this', as git does.
 */
#ifndef VS_INTERNAL_UTIL_H
#define VS_INTERNAL_UTIL_H

#include <stddef.h>

#include "vs/error.h"

#if defined(__GNUC__)
#define VS_MUST_CHECK __attribute__((warn_unused_result))
#define VS_NORETURN __attribute__((noreturn))
#else
#define VS_MUST_CHECK
#define VS_NORETURN
#endif

/*
 * Makes room for at least `need` elements in the array *arrp (of elements
 * of `esz` bytes, capacity *cap), at least doubling the capacity.  Returns 0
 * or VS_ERR_NOMEM, leaving *arrp and *cap untouched on failure.  Allocation
 * goes through libvs's fail-injection hook (rt_alloc_fail_after), so every
 * module's out-of-memory paths can be tested the same way.
 * Use VS_GROW, which checks the common case inline.
 */
VS_MUST_CHECK int vs_grow_(void *arrp, size_t *cap, size_t need, size_t esz);
#define VS_GROW(arr, cap, need) \
	((size_t)(need) <= (cap) ? 0 : vs_grow_(&(arr), &(cap), (size_t)(need), sizeof *(arr)))

/* Sets err to VS_ERR_NOMEM "out of memory" and returns VS_ERR_NOMEM. */
int vs_error_nomem(vs_error *err);

/* Prints "vstrace: BUG: FILE:LINE: message" to stderr and aborts. */
VS_NORETURN void vs_bug_(const char *file, int line, const char *fmt, ...) VS_PRINTF(3, 4);
#define VS_BUG(...) vs_bug_(__FILE__, __LINE__, __VA_ARGS__)
#define VS_ASSERT(cond) \
	((cond) ? (void)0 : vs_bug_(__FILE__, __LINE__, "assertion failed: %s", #cond))

#endif /* VS_INTERNAL_UTIL_H */
