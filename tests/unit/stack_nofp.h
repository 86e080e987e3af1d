/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/stack_nofp.h - call chains built without frame pointers, at
 * -O2, for the unwind-cache tests in test_tracer_stack.c (the functions are
 * in stack_nofp.c, which the Makefile compiles with -fomit-frame-pointer).
 * Each helper records where its calls return to, so a test knows the exact
 * frames the runtime must record.
 */
#ifndef VS_TESTS_STACK_NOFP_H
#define VS_TESTS_STACK_NOFP_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "vs/vs.h"

/* Filled as the helpers run: */
extern uintptr_t nofp_leaf_ret; /* where nofp_leaf returns to */
extern uintptr_t nofp_leaf_sp;  /* nofp_leaf's stack pointer at its call into libvs */
extern uintptr_t nofp_line_ret; /* where nofp_two_lines / nofp_loop return to */
#define NOFP_DEPTH_MAX 8
/* where nofp_recurse's frame of depth k returns to (depth 1 is innermost) */
extern uintptr_t nofp_rec_ret[NOFP_DEPTH_MAX + 1];

/* vs_get_variable("v", shape (1)) from one line, %rbp holding a small
 * integer at the call as in -O2 code that uses it as a general register */
int nofp_leaf(vs_var **v);
extern volatile int nofp_side[2];
/* nofp_leaf from one of two lines (which 0 or 1), at the same stack depth */
int nofp_two_lines(vs_var **v, int which);
/* n calls of nofp_leaf from one line */
int nofp_loop(vs_var **v, int n);
/* depth nested nofp_recurse frames (depth >= 1), the innermost calling
 * nofp_leaf */
int nofp_recurse(vs_var **v, int depth);
/* depth nested frames, the innermost allocating bytes bytes with alloca
 * (not written: they keep whatever older frames left there) and calling
 * nofp_leaf; a frame with alloca is addressed through %rbp */
int nofp_vla(vs_var **v, int depth, size_t bytes);
/* nofp_leaf, then longjmp(env, 1) out of the chain */
void nofp_jump(vs_var **v, jmp_buf env);

#endif
