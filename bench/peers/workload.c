/* SPDX-License-Identifier: MIT */
/*
 * bench/peers/workload.c - the peers benchmark's traced program: N
 * (argv[1]) vs_get_variable calls inside one AUTO_REUSE variable scope,
 * cycling over 64 variables (w0..w63, shape (64, 128), float32) that the
 * first 64 calls create and every later call reuses.  It writes
 * "loop_ns CPU_NS" - the wall and the CPU time of the N calls alone - to the
 * file argv[2] (so start-up and tear-down never count), and exits 0.
 *
 * Built three ways by `make bench-peers`:
 *  - plain: untraced, or traced by `vstrace record` (libvs's own events);
 *  - -DVSB_UFTRACE with -pg: each call goes through get_var(), a
 *    non-inlined function of this file, so uftrace records one entry and one
 *    exit per call (libvs itself is not compiled with -pg);
 *  - -DVSB_LTTNG: two LTTng-UST tracepoints per call (bench/peers/vsb_tp.h)
 *    carrying what vstrace's GETVAR_ENTER / GETVAR_EXIT carry: name, shape,
 *    dtype, reuse, file, line, function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vs/vs.h"

#ifdef VSB_LTTNG
#include "bench/peers/vsb_tp.h"
#endif

#define NVARS 64

static char names[NVARS][8];

static int64_t ns_of(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#ifdef VSB_UFTRACE
__attribute__((noinline))
#else
static inline
#endif
int get_var(vs_var **v, const char *name, const vs_var_opts *vo, vs_error *err);

#ifdef VSB_UFTRACE
__attribute__((noinline))
#else
static inline
#endif
int get_var(vs_var **v, const char *name, const vs_var_opts *vo, vs_error *err)
{
#ifdef VSB_LTTNG
	const vs_shape *s = vo->shape;
	lttng_ust_tracepoint(vs_bench, getvar_enter, name, s->dims, (unsigned int)s->rank,
	                     (int)vo->dtype, VS_REUSE_AUTO, __FILE__, __LINE__, __func__);
#endif
	int rc = vs_get_variable(v, name, vo, err);
#ifdef VSB_LTTNG
	lttng_ust_tracepoint(vs_bench, getvar_exit, name, s->dims, (unsigned int)s->rank,
	                     (int)vo->dtype, VS_REUSE_AUTO, __FILE__, __LINE__, __func__);
#endif
	return rc;
}

int main(int argc, char **argv)
{
	vs_error err;
	vs_cm *cm = NULL;
	vs_var *v = NULL;
	vs_var_opts vo = {.shape = VS_SHAPE(64, 128), .dtype = VS_DT_FLOAT32};
	vs_varscope_opts so = {.reuse = VS_REUSE_AUTO};
	long n = argc > 1 ? atol(argv[1]) : 250000;
	FILE *f;

	if (argc != 3 || n <= 0) {
		fprintf(stderr, "usage: workload CALLS RESULT-FILE\n");
		return 2;
	}
	for (int i = 0; i < NVARS; i++)
		snprintf(names[i], sizeof names[i], "w%d", i);
	if (vs_variable_scope(&cm, "layer", &so, &err) < 0)
		goto fail;
	int64_t t0 = ns_of(CLOCK_MONOTONIC), c0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	for (long i = 0; i < n; i++)
		if (get_var(&v, names[i % NVARS], &vo, &err) < 0)
			goto fail;
	int64_t t1 = ns_of(CLOCK_MONOTONIC), c1 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	if (vs_exit(cm, &err) < 0)
		goto fail;
	if (!(f = fopen(argv[2], "w")))
		return 3;
	fprintf(f, "%lld %lld\n", (long long)(t1 - t0), (long long)(c1 - c0));
	return fclose(f) == 0 ? 0 : 3;
fail:
	fprintf(stderr, "workload: %s\n", err.msg);
	return 3;
}
