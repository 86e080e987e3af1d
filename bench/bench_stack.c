/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_stack.c - what call stacks cost (docs/performance.md, "Call
 * stacks").
 *
 * A loop reuses variables through a 5-deep helper chain (main -> h1 -> ...
 * -> h5 -> vs_get_variable in an AUTO_REUSE scope), the stack of every call
 * the same, as in a training loop that rebuilds a layer.  The sink copies
 * each event into a 4096-slot array (the cost of a ring slot write without
 * the transport).  CPU time of the calling thread per event, best of five,
 * with stacks off, on (frame-pointer walk, the default), on with
 * VS_UNWIND_CFI (the DWARF unwinder on every call), and the same loop
 * through a chain built without frame pointers (bench/lib/stack_chain.c,
 * -O2 -fomit-frame-pointer) in the default auto mode, where the frame walk
 * fails and the unwind cache answers (docs/recording.md, "Call stacks").
 * Targets: stacks on <= 1.5x stacks off, with or without frame pointers.
 * Usage: bench_stack [CALLS]   (default 200000).  Not a test: prints figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/lib/stack_chain.h"
#include "vs/sink.h"
#include "vs/vs.h"

#define NOINLINE __attribute__((noinline))
#define SLOTS 4096u

static vs_event g_slots[SLOTS];
static unsigned long g_events;
static double g_per_call; /* events per call in the measured loop */

static void slot_event(void *ctx, const vs_event *ev)
{
	memcpy(&g_slots[g_events++ & (SLOTS - 1)], ev, sizeof *ev);
}

static int slot_string(void *ctx, uint32_t id, const char *s, uint32_t len) { return 0; }

static const vs_sink_ops g_ops = {.string = slot_string, .event = slot_event};

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const vs_error *err)
{
	fprintf(stderr, "bench_stack: %s\n", err->msg);
	exit(1);
}

NOINLINE static void h5(int i)
{
	static const char *const names[4] = {"w0", "w1", "w2", "w3"};
	vs_error err;
	vs_var *v;
	if (vs_get_variable(&v, names[i & 3], &(vs_var_opts){.shape = VS_SHAPE(4)}, &err) < 0)
		die(&err);
	__asm__ volatile("" ::: "memory");
}
NOINLINE static void h4(int i)
{
	h5(i);
	__asm__ volatile("" ::: "memory");
}
NOINLINE static void h3(int i)
{
	h4(i);
	__asm__ volatile("" ::: "memory");
}
NOINLINE static void h2(int i)
{
	h3(i);
	__asm__ volatile("" ::: "memory");
}
NOINLINE static void h1(int i)
{
	h2(i);
	__asm__ volatile("" ::: "memory");
}

/* ns of CPU per event for calls calls of chain with the given stack
 * setting */
static double run(unsigned depth, int unwind, void (*chain)(int), long calls)
{
	vs_error err;
	vs_cm *cm;
	double best = 1e30;
	if (vs_trace_set_stacks(depth, unwind, &err) < 0)
		die(&err);
	for (int rep = 0; rep < 5; rep++) {
		if (vs_variable_scope(&cm, "bench", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
		                      &err) < 0)
			die(&err);
		for (int i = 0; i < 64; i++) /* warm: create, intern, cache */
			chain(i);
		unsigned long e0 = g_events;
		double t0 = cpu_s();
		for (long i = 0; i < calls; i++)
			chain((int)i);
		double t = cpu_s() - t0;
		unsigned long n = g_events - e0;
		if (vs_exit(cm, &err) < 0)
			die(&err);
		if (n && t * 1e9 / (double)n < best)
			best = t * 1e9 / (double)n;
		g_per_call = (double)n / (double)calls;
	}
	return best;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 200000;
	vs_error err;
	if (vs_trace_attach(&g_ops, NULL, &err) < 0)
		die(&err);
	double off = run(0, VS_UNWIND_AUTO, h1, calls);
	double fp = run(16, VS_UNWIND_AUTO, h1, calls);
	double cfi = run(16, VS_UNWIND_CFI, h1, calls);
	double nofp_off = run(0, VS_UNWIND_AUTO, nofp_h1, calls);
	double nofp = run(16, VS_UNWIND_AUTO, nofp_h1, calls);
	printf("stacks: 5-deep helper chain, %ld calls x 5, %.0f events per call\n", calls,
	       g_per_call);
	printf("  stacks off             %7.1f ns/event\n", off);
	printf("  stacks on (fp walk)    %7.1f ns/event  %.2fx off  (+%.1f ns/event)\n", fp,
	       fp / off, fp - off);
	printf("  stacks on (backtrace)  %7.1f ns/event  %.2fx off  (+%.1f ns/event)\n", cfi,
	       cfi / off, cfi - off);
	printf("  no frame pointers, off %7.1f ns/event\n", nofp_off);
	printf("  no frame pointers, auto%7.1f ns/event  %.2fx off  (+%.1f ns/event)\n", nofp,
	       nofp / nofp_off, nofp - nofp_off);
	printf("  target: fp walk and no-fp auto <= 1.50x off\n");
	vs_trace_attach(NULL, NULL, NULL);
	vs_runtime_shutdown();
	return 0;
}
