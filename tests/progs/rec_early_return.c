/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_early_return.c - the README's first program, failing: the
 * scope "foo" reuses, so get_variable raises, and main returns at the
 * error without leaving its scopes (the natural C pattern). */
#include <stdio.h>

#include "vs/vs.h"

int main(void)
{
	vs_error err;
	vs_cm *foo, *bar;
	vs_var *v;

	vs_variable_scope(&foo, "foo", &(vs_varscope_opts){.reuse = VS_REUSE_TRUE}, &err);
	vs_variable_scope(&bar, "bar", NULL, &err);
	if (vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err) < 0) {
		fprintf(stderr, "%s: %s\n", vs_err_name(err.code), err.msg);
		return 1;
	}
	vs_exit(bar, &err);
	vs_exit(foo, &err);
	vs_runtime_shutdown();
	return 0;
}
