/* SPDX-License-Identifier: MIT */
/*
 * checker/stackloc.c - locating a finding on its call stack
 * (checker/stackloc.h).
 */
#include "checker/stackloc.h"

#include <stdlib.h>
#include <string.h>

static int same_text(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* machine frames by module and offset; symbolic ones (no module: a
 * scenario step) by file, line and function */
static int same_frame(const vs_check_frame *x, const vs_check_frame *y)
{
	if (!x->module && !y->module)
		return x->line == y->line && same_text(x->file, y->file) &&
		       same_text(x->function, y->function);
	return x->offset == y->offset && same_text(x->module, y->module);
}

size_t vs_check_stack_divergence(const vs_check_frame *a, size_t na, const vs_check_frame *b,
                                 size_t nb)
{
	if (!na || !nb)
		return 0;
	/* only the program's frames: two threads' (or a thread's and main's)
	 * libc entry frames always differ and explain nothing */
	size_t i = vs_check_stack_shown(a, na), j = vs_check_stack_shown(b, nb);
	while (i > 0 && j > 0 && same_frame(&a[i - 1], &b[j - 1])) {
		i--;
		j--;
	}
	/* j frames of b are not shared: the outermost of them is j - 1 */
	return j > 0 ? j - 1 : 0;
}

/* a system library (libc's start-up, threads) or the vDSO */
static int system_module(const char *m)
{
	static const char *const dirs[] = {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/",
	                                   "linux-vdso"};
	for (size_t i = 0; m && i < sizeof dirs / sizeof dirs[0]; i++)
		if (!strncmp(m, dirs[i], strlen(dirs[i])))
			return 1;
	return 0;
}

size_t vs_check_stack_shown(const vs_check_frame *f, size_t n)
{
	size_t last = 0;
	for (size_t i = 0; i < n; i++) {
		if (f[i].file && f[i].line > 0 && !system_module(f[i].module))
			last = i + 1;
		if (f[i].function && !strcmp(f[i].function, "main") && f[i].module)
			break; /* the program's entry: what calls it is libc's */
	}
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

int vs_check_scenario_file(const char *file)
{
	size_t n = file ? strlen(file) : 0;
	return (n > 5 && !strcmp(file + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(file + n - 4, ".yml"));
}
