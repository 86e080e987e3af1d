/* SPDX-License-Identifier: MIT */
/*
 * bench/lib/stack_chain.c - bench_stack's helper chain built like most
 * users' code: -O2 -fomit-frame-pointer (Makefile).  nofp_h1 -> ... ->
 * nofp_h5 -> vs_get_variable, as bench_stack.c's h1..h5; nofp_h5 holds a
 * small integer in %rbp at the call, as -O2 code that uses %rbp as a
 * general register does (the peers workload's main holds a pointer there),
 * so the frame walk fails at the first frame as it does in such programs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench/lib/stack_chain.h"

#define NOINLINE __attribute__((noinline, noclone))
#define KEEP() __asm__ volatile("" ::: "memory")

NOINLINE void nofp_h5(int i)
{
	static const char *const names[4] = {"w0", "w1", "w2", "w3"};
	vs_error err;
	vs_var *v;
#if defined(__x86_64__)
	register long junk __asm__("rbp") = 3;
	__asm__ volatile("" : "+r"(junk));
#endif
	int rc = vs_get_variable(&v, names[i & 3], &(vs_var_opts){.shape = VS_SHAPE(4)}, &err);
#if defined(__x86_64__)
	__asm__ volatile("" ::"r"(junk));
#endif
	if (rc < 0) {
		fprintf(stderr, "bench_stack: %s\n", err.msg);
		exit(1);
	}
	KEEP();
}
NOINLINE void nofp_h4(int i)
{
	nofp_h5(i);
	KEEP();
}
NOINLINE void nofp_h3(int i)
{
	nofp_h4(i);
	KEEP();
}
NOINLINE void nofp_h2(int i)
{
	nofp_h3(i);
	KEEP();
}
NOINLINE void nofp_h1(int i)
{
	nofp_h2(i);
	KEEP();
}
