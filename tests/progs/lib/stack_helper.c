/* SPDX-License-Identifier: MIT */
/*
 * tests/progs/lib/stack_helper.c - libstackhelper.so: a dense() that lives
 * in a shared library, which tests/progs/stack_model.c dlopens ("dlopen"
 * mode), so a stack crosses a second module loaded after the program
 * started.  Its libvs symbols resolve to the program's (linked -rdynamic).
 */
/* The @marker comments must stay on the lines of their calls: */
/* clang-format off */
#include <stdio.h>
#include <stdlib.h>

#include "vs/vs.h"

__attribute__((visibility("default"), noinline)) int shlib_dense(const char *name);

int shlib_dense(const char *name)
{
	vs_error err;
	vs_var *v;
	int rc = vs_get_variable(&v, name, &(vs_var_opts){.shape = VS_SHAPE(8)}, &err); /* @shlib-get */
	if (rc < 0) {
		fprintf(stderr, "stack_helper: %s\n", err.msg);
		exit(3);
	}
	return rc;
}
/* clang-format on */
