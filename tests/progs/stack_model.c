/* SPDX-License-Identifier: MIT */
/*
 * tests/progs/stack_model.c - a model with a known call chain for the call
 * stack tests (tests/e2e/t12NN-stacks-*.sh):
 *
 *   main -> build_model -> tower -> dense -> vs_get_variable
 *
 * Modes (argv[1]):
 *   chain   build_model from two lines of main (@first-build creates,
 *           @second-build reuses)
 *   fork    the parent builds (@parent-build), its fork child builds again
 *           from child_work (@child-build) and exits 0
 *   kill    builds (@kill-build), then dies by SIGKILL
 *   dlopen  loads libstackhelper.so (next to this program) and builds
 *           through its shlib_dense() (@shlib-build)
 * Lines the tests check carry an @marker comment; the tests find them with
 * grep, so editing this file keeps the tests right.  Built with frame
 * pointers and without sibling calls (Makefile); noinline keeps each
 * function a frame of its own.
 */
/* The @marker comments must stay on the lines of their calls: */
/* clang-format off */
#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vs/vs.h"

#define NOINLINE __attribute__((noinline))

static void check(int rc, const vs_error *err)
{
	if (rc < 0) {
		fprintf(stderr, "stack_model: %s\n", err->msg);
		exit(3);
	}
}

typedef int (*dense_fn)(const char *name);
static dense_fn g_dense;

NOINLINE static int dense(const char *name)
{
	vs_error err;
	vs_var *v;
	int rc = vs_get_variable(&v, name, &(vs_var_opts){.shape = VS_SHAPE(4, 4)}, &err); /* @dense-get */
	check(rc, &err);
	return rc;
}

NOINLINE static int tower(const char *name)
{
	vs_error err;
	vs_cm *cm;
	check(vs_variable_scope(&cm, name, NULL, &err), &err);
	int rc = g_dense("kernel"); /* @tower-dense */
	check(vs_exit(cm, &err), &err);
	return rc;
}

NOINLINE static int build_model(vs_reuse reuse)
{
	vs_error err;
	vs_cm *cm;
	check(vs_variable_scope(&cm, "model", &(vs_varscope_opts){.reuse = reuse}, &err), &err);
	int rc = tower("tower0"); /* @model-tower */
	check(vs_exit(cm, &err), &err);
	return rc;
}

NOINLINE static int child_work(void)
{
	int rc = build_model(VS_REUSE_TRUE); /* @child-build */
	return rc;
}

static void load_helper(void)
{
	char path[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", path, sizeof path - 32);
	if (k <= 0)
		exit(3);
	path[k] = '\0';
	strcpy(strrchr(path, '/') + 1, "libstackhelper.so");
	void *h = dlopen(path, RTLD_NOW);
	if (!h) {
		fprintf(stderr, "stack_model: %s\n", dlerror());
		exit(3);
	}
	*(void **)&g_dense = dlsym(h, "shlib_dense");
	if (!g_dense)
		exit(3);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "chain";
	g_dense = dense;
	if (!strcmp(mode, "chain")) {
		build_model(VS_REUSE_INHERIT); /* @first-build */
		build_model(VS_REUSE_TRUE); /* @second-build */
	} else if (!strcmp(mode, "fork")) {
		build_model(VS_REUSE_INHERIT); /* @parent-build */
		pid_t pid = fork();
		if (pid == 0)
			_exit(child_work() < 0 ? 3 : 0); /* @child-call */
		int st = 0;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 4;
	} else if (!strcmp(mode, "kill")) {
		build_model(VS_REUSE_INHERIT); /* @kill-build */
		raise(SIGKILL);
	} else if (!strcmp(mode, "dlopen")) {
		load_helper();
		build_model(VS_REUSE_INHERIT); /* @shlib-build */
	} else {
		fprintf(stderr, "stack_model: unknown mode '%s'\n", mode);
		return 2;
	}
	vs_runtime_shutdown();
	return 0;
}
/* clang-format on */
