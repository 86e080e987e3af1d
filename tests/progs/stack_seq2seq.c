/* SPDX-License-Identifier: MIT */
/*
 * tests/progs/stack_seq2seq.c - a seq2seq model whose decoder is built
 * twice in one graph: the second decoder() call (@second-decoder) forgets
 * reuse, and TensorFlow raises "Variable decoder/proj/w already exists"
 * inside dense().  vscheck (VS113) must point at that second call, with the
 * first build's stack as the related location (tests/e2e/t3100-check-stacks.sh).
 */
/* The @marker comments must stay on the lines of their calls: */
/* clang-format off */
#include <stdio.h>
#include <stdlib.h>

#include "vs/vs.h"

#define NOINLINE __attribute__((noinline))

NOINLINE static int dense(const char *scope, int units)
{
	vs_error err;
	vs_cm *cm;
	vs_var *v;
	if (vs_variable_scope(&cm, scope, NULL, &err) < 0)
		return -1;
	int rc = vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(units, units)}, &err); /* @dense-get */
	if (rc < 0)
		fprintf(stderr, "seq2seq: %s\n", err.msg);
	vs_exit(cm, &err);
	return rc;
}

NOINLINE static int encoder(void)
{
	vs_error err;
	vs_cm *cm;
	vs_variable_scope(&cm, "encoder", NULL, &err);
	int rc = dense("proj", 16);
	vs_exit(cm, &err);
	return rc;
}

NOINLINE static int decoder(void)
{
	vs_error err;
	vs_cm *cm;
	vs_variable_scope(&cm, "decoder", NULL, &err);
	int rc = dense("proj", 16); /* @decoder-dense */
	vs_exit(cm, &err);
	return rc;
}

int main(void)
{
	int bad = 0;
	bad |= encoder() < 0;
	bad |= decoder() < 0; /* @first-decoder */
	bad |= decoder() < 0; /* @second-decoder */
	vs_runtime_shutdown();
	return bad;
}
/* clang-format on */
