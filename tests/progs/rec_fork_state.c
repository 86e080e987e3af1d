/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_fork_state.c - a fork child whose outcomes depend on what
 * its parent did before the fork: the parent creates shared/w and enters a
 * default-named scope (layer); the child reuses shared/w with reuse=True
 * (an error without the parent's variable) and gets layer_1 for a second
 * default-named scope (layer without the parent's).  Child exits 0, the
 * parent waits and exits 0; any libvs error prints it and exits 3. */
#include <sys/wait.h>
#include <unistd.h>

#include "tests/progs/progs.h"

static void must(int rc, const vs_error *err)
{
	if (rc < 0) {
		fprintf(stderr, "prog: %s\n", err->msg);
		exit(3);
	}
}

/* get_variable shared/w with the given reuse */
static void shared_w(vs_reuse reuse)
{
	vs_error err;
	vs_cm *cm = NULL;
	vs_var *v = NULL;
	vs_var_opts vo = {.shape = VS_SHAPE(2), .dtype = VS_DT_FLOAT32};
	vs_varscope_opts so = {.reuse = reuse};
	must(vs_variable_scope(&cm, "shared", &so, &err), &err);
	must(vs_get_variable(&v, "w", &vo, &err), &err);
	must(vs_exit(cm, &err), &err);
}

static void layer(void)
{
	vs_error err;
	vs_cm *cm = NULL;
	vs_varscope_opts so = {.default_name = "layer"};
	must(vs_variable_scope(&cm, NULL, &so, &err), &err);
	must(vs_exit(cm, &err), &err);
}

int main(void)
{
	shared_w(VS_REUSE_FALSE);
	layer();
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		shared_w(VS_REUSE_TRUE);
		layer();
		exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 4;
	return 0;
}
