/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/stack_nofp.c - see stack_nofp.h.  Compiled -O2
 * -fomit-frame-pointer (Makefile); every call is followed by an empty asm
 * statement so it stays a call (no tail call, no merged call sites).
 */
#include "tests/unit/stack_nofp.h"

#define NOINLINE __attribute__((noinline))
#define KEEP() __asm__ volatile("" ::: "memory")

uintptr_t nofp_leaf_ret, nofp_leaf_sp, nofp_line_ret, nofp_rec_ret[NOFP_DEPTH_MAX + 1];

NOINLINE int nofp_leaf(vs_var **v)
{
	vs_error err;
	nofp_leaf_ret = (uintptr_t)__builtin_return_address(0);
#if defined(__x86_64__)
	uintptr_t sp;
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	nofp_leaf_sp = sp;
	register uintptr_t junk __asm__("rbp") = 3; /* %rbp is no frame pointer */
	__asm__ volatile("" : "+r"(junk));
#endif
	int rc = vs_get_variable(v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err);
#if defined(__x86_64__)
	__asm__ volatile("" ::"r"(junk));
#endif
	KEEP();
	return rc;
}

volatile int nofp_side[2]; /* distinct work around the two calls */

NOINLINE int nofp_two_lines(vs_var **v, int which)
{
	int rc;
	nofp_line_ret = (uintptr_t)__builtin_return_address(0);
	if (which) {
		nofp_side[0] = 1;
		rc = nofp_leaf(v);
		KEEP();
		nofp_side[0] = 2;
	} else {
		nofp_side[1] = 1;
		rc = nofp_leaf(v);
		KEEP();
		nofp_side[1] = 2;
	}
	return rc;
}

NOINLINE int nofp_loop(vs_var **v, int n)
{
	int rc = 0;
	nofp_line_ret = (uintptr_t)__builtin_return_address(0);
	for (int i = 0; i < n && rc == 0; i++) {
		rc = nofp_leaf(v);
		KEEP();
	}
	return rc;
}

NOINLINE int nofp_recurse(vs_var **v, int depth)
{
	int rc = depth > 1 ? nofp_recurse(v, depth - 1) : nofp_leaf(v);
	KEEP();
	if (depth >= 1 && depth <= NOFP_DEPTH_MAX)
		nofp_rec_ret[depth] = (uintptr_t)__builtin_return_address(0);
	return rc;
}

NOINLINE int nofp_vla(vs_var **v, int depth, size_t bytes)
{
	int rc;
	if (depth > 1) {
		rc = nofp_vla(v, depth - 1, bytes);
		KEEP();
		return rc;
	}
	char *buf = __builtin_alloca(bytes + 1);
	__asm__ volatile("" ::"r"(buf) : "memory");
	rc = nofp_leaf(v);
	KEEP();
	return rc;
}

NOINLINE void nofp_jump(vs_var **v, jmp_buf env)
{
	nofp_line_ret = (uintptr_t)__builtin_return_address(0);
	nofp_leaf(v);
	KEEP();
	longjmp(env, 1);
}
