/* SPDX-License-Identifier: MIT */
/*
 * tests/progs/stack_nofp.c - a program built like most users' programs
 * (-O2 -fomit-frame-pointer, Makefile) for tests/e2e/t1230-stacks-nofp.sh:
 *
 *   main (a loop of N calls, argv[1], default 200) -> layer -> dense ->
 *   vs_get_variable
 *
 * layer calls dense from one of two lines (@layer-even, @layer-odd) by the
 * loop counter's parity, both at the same stack depth, so the two paths
 * reach libvs with the same return address and stack pointer: the frame
 * walk fails (no frame pointers) and the runtime must unwind and cache
 * without mixing the two stacks up.  Lines the test checks carry @markers.
 * noinline/noclone keep each function a frame of its own, under its name.
 */
/* The @marker comments must stay on the lines of their calls: */
/* clang-format off */
#include <stdio.h>
#include <stdlib.h>

#include "vs/vs.h"

#define NOINLINE __attribute__((noinline, noclone))
#define KEEP() __asm__ volatile("" ::: "memory")

volatile int g_side[2];

NOINLINE int dense(const char *name);
NOINLINE int layer(int odd, const char *name);

NOINLINE int dense(const char *name)
{
	vs_error err;
	vs_var *v;
	int rc = vs_get_variable(&v, name, &(vs_var_opts){.shape = VS_SHAPE(8)}, &err); /* @dense-get */
	KEEP();
	if (rc < 0)
		fprintf(stderr, "stack_nofp: %s\n", err.msg);
	return rc;
}

NOINLINE int layer(int odd, const char *name)
{
	int rc;
	if (odd) {
		g_side[1]++;
		rc = dense(name); /* @layer-odd */
		KEEP();
		g_side[1]++;
	} else {
		g_side[0]++;
		rc = dense(name); /* @layer-even */
		KEEP();
		g_side[0]++;
	}
	return rc;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	vs_error err;
	vs_cm *cm;
	if (vs_variable_scope(&cm, "model", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO}, &err) < 0)
		return 3;
	for (int i = 0; i < n; i++)
		if (layer(i & 1, "w") < 0) /* @main-loop */
			return 3;
	if (vs_exit(cm, &err) < 0)
		return 3;
	return 0;
}
/* clang-format on */
