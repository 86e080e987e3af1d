/* SPDX-License-Identifier: MIT */
/*
 * tests/progs/progs.h - the workload shared by the recording test programs:
 * n get_variable calls (AUTO_REUSE) inside one variable scope, so a test
 * can count GETVAR_ENTER / GETVAR_EXIT rows exactly.
 */
#ifndef VS_TESTS_PROGS_H
#define VS_TESTS_PROGS_H

#include <stdio.h>
#include <stdlib.h>

#include "vs/vs.h"

/* n get_variable calls of scope/w; 0 ok, else prints the error and exits 3 */
static inline void prog_work(const char *scope, int n)
{
	vs_error err;
	vs_cm *cm = NULL;
	vs_var *v = NULL;
	vs_var_opts vo = {.shape = VS_SHAPE(2), .dtype = VS_DT_FLOAT32};
	vs_varscope_opts so = {.reuse = VS_REUSE_AUTO};
	if (vs_variable_scope(&cm, scope, &so, &err) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (vs_get_variable(&v, "w", &vo, &err) < 0)
			goto fail;
	if (vs_exit(cm, &err) < 0)
		goto fail;
	return;
fail:
	fprintf(stderr, "prog: %s\n", err.msg);
	exit(3);
}

/* argv[i] as a positive count, or def */
static inline int prog_count(int argc, char **argv, int i, int def)
{
	return argc > i ? atoi(argv[i]) : def;
}

#endif
