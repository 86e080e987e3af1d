/* SPDX-License-Identifier: MIT */
/*
 * checker/stackloc.c - locating a finding on its call stack
 * (checker/stackloc.h).
 */
#include "checker/stackloc.h"

#include <stdlib.h>
#include <string.h>

static int same_frame(const vs_check_frame *x, const vs_check_frame *y)
{
	if (x->offset != y->offset)
		return 0;
	if (!x->module || !y->module)
		return x->module == y->module;
	return strcmp(x->module, y->module) == 0;
}

size_t vs_check_stack_divergence(const vs_check_frame *a, size_t na, const vs_check_frame *b,
                                 size_t nb)
{
	if (!na || !nb)
		return 0;
	size_t i = na, j = nb;
	while (i > 0 && j > 0 && same_frame(&a[i - 1], &b[j - 1])) {
		i--;
		j--;
	}
	/* j frames of b are not shared: the outermost of them is j - 1 */
	return j > 0 ? j - 1 : 0;
}

size_t vs_check_stack_shown(const vs_check_frame *f, size_t n)
{
	size_t last = 0;
	for (size_t i = 0; i < n; i++)
		if (f[i].file && f[i].line > 0)
			last = i + 1;
	return last ? last : n;
}

void vs_check_frames_free(vs_check_frame *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].function);
		free(f[i].file);
		free(f[i].module);
	}
	free(f);
}
