/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_tracer_stack.c - call-stack capture and interning
 * (tracer/stack.[ch]): the frames of a known call chain, the STACK and
 * MODULE records a sink receives, interning of repeated stacks, depth and
 * method settings, the fallback where a frame has no frame pointer.
 *
 * Built with frame pointers and without sibling calls (Makefile,
 * FRAME_CFLAGS), so each level's own return address is a frame of the
 * stack the runtime records: level3's caller frame is the address
 * __builtin_return_address(0) gives inside level3, and so on.
 */
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/harness.h"
#include "tests/unit/stack_nofp.h"
#include "tracer/stack.h"
#include "vs/event.h"
#include "vs/sink.h"
#include "vs/vs.h"

static int stack_init(void)
{
	vs_trace_attach(NULL, NULL, NULL);
	vs_runtime_reset();
	vs_trace_set_stacks(16, VS_UNWIND_AUTO, NULL);
	return 0;
}

static int stack_clean(void)
{
	vs_trace_set_stacks(16, VS_UNWIND_AUTO, NULL);
	return 0;
}

/* return addresses of the chain, innermost caller first: ret[0] = where
 * level3 returns to in level2, ret[1] = in level1, ret[2] = in the test */
static uintptr_t ret[3];

__attribute__((noinline)) static int level3(vs_var **v)
{
	ret[0] = (uintptr_t)__builtin_return_address(0);
	vs_error err;
	int rc = vs_get_variable(v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err);
	__asm__ volatile("" ::: "memory"); /* keeps the call a call */
	return rc;
}

__attribute__((noinline)) static int level2(vs_var **v)
{
	ret[1] = (uintptr_t)__builtin_return_address(0);
	int rc = level3(v);
	__asm__ volatile("" ::: "memory");
	return rc;
}

/* Without a frame pointer of its own: the frame walk cannot see it. */
__attribute__((noinline, optimize("omit-frame-pointer"))) static int level2_nofp(vs_var **v)
{
	ret[1] = (uintptr_t)__builtin_return_address(0);
	int rc = level3(v);
	__asm__ volatile("" ::: "memory");
	return rc;
}

__attribute__((noinline)) static int level1(vs_var **v, int nofp)
{
	ret[2] = (uintptr_t)__builtin_return_address(0);
	int rc = nofp ? level2_nofp(v) : level2(v);
	__asm__ volatile("" ::: "memory");
	return rc;
}

/* The stack of the SITE of the last GETVAR_ENTER, as pcs (innermost first). */
static unsigned last_getvar_stack(vs_memsink *ms, uintptr_t *pcs, unsigned max, uint32_t *id)
{
	long i = -1, j;
	while ((j = vs_memsink_find(ms, VS_EV_GETVAR_ENTER, (size_t)(i + 1))) >= 0)
		i = j;
	if (i < 0)
		return 0;
	uint32_t site = vs_memsink_at(ms, (size_t)i)->site, stack = 0;
	for (size_t k = 0; k < vs_memsink_count(ms); k++) {
		const vs_event *e = vs_memsink_at(ms, k);
		if (e->kind == VS_EV_SITE && e->site_def.site_id == site)
			stack = e->site_def.stack;
	}
	*id = stack;
	unsigned n = 0;
	while (stack && n < max) {
		uint32_t next = 0;
		for (size_t k = 0; k < vs_memsink_count(ms); k++) {
			const vs_event *e = vs_memsink_at(ms, k);
			if (e->kind == VS_EV_STACK && e->stack.stack_id == stack) {
				pcs[n++] = (uintptr_t)e->stack.pc_lo | (uintptr_t)e->stack.pc_hi
				                                               << 32;
				next = e->stack.caller;
				break;
			}
		}
		stack = next;
	}
	return n;
}

static int in_function(uintptr_t pc, const void *fn)
{
	return pc > (uintptr_t)fn && pc < (uintptr_t)fn + 4096; /* ASan code is bigger */
}

static void test_chain_frames(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_var *v;
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(level1(&v, 0), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	uintptr_t pcs[16];
	uint32_t id;
	unsigned n = last_getvar_stack(ms, pcs, 16, &id);
	CU_ASSERT_FATAL(n >= 4);
	/* frame 0: the vs_get_variable call inside level3; then the callers */
	VS_ASSERT_INT(in_function(pcs[0], (const void *)level3), 1);
	VS_ASSERT_INT(pcs[1], ret[0]);
	VS_ASSERT_INT(pcs[2], ret[1]);
	VS_ASSERT_INT(pcs[3], ret[2]);
	vs_memsink_free(ms);
}

static void test_modules_precede_frames(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_var *v;
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(level1(&v, 0), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	char exe[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	CU_ASSERT_FATAL(k > 0);
	exe[k] = '\0';
	uint32_t seen[64] = {0};
	int exe_seen = 0, stacks = 0;
	for (size_t i = 0; i < vs_memsink_count(ms); i++) {
		const vs_event *e = vs_memsink_at(ms, i);
		if (e->kind == VS_EV_MODULE) {
			CU_ASSERT_FATAL(e->module.module_id < 64);
			seen[e->module.module_id] = 1;
			const char *path = vs_memsink_string(ms, e->module.path);
			if (path && !strcmp(path, exe)) {
				exe_seen = 1;
				uintptr_t bias = (uintptr_t)e->module.bias_lo |
				                 (uintptr_t)e->module.bias_hi << 32;
				uintptr_t lo = bias + e->module.text_start;
				/* the executable's text holds this test's code */
				VS_ASSERT_INT((uintptr_t)level3 >= lo &&
				                      (uintptr_t)level3 < lo + e->module.text_size,
				              1);
				VS_ASSERT_INT(e->module.build_id != 0, 1);
			}
		}
		if (e->kind == VS_EV_STACK) {
			stacks++;
			/* every frame's module was announced before it */
			VS_ASSERT_INT(e->stack.module > 0 && e->stack.module < 64, 1);
			VS_ASSERT_INT(seen[e->stack.module & 63], 1);
		}
	}
	VS_ASSERT_INT(exe_seen, 1);
	VS_ASSERT_INT(stacks > 0, 1);
	vs_memsink_free(ms);
}

/* a loop through the same code interns its stack once */
static void test_repeated_stack_interned_once(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_var *v;
	vs_cm *cm;
	VS_ASSERT_INT(vs_trace_set_stacks(3, VS_UNWIND_AUTO, &err), 0); /* as above */
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&cm, "loop", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                                &err),
	              0);
	size_t stacks = 0, sites = 0;
	for (int i = 0; i < 100; i++) {
		VS_ASSERT_INT(level1(&v, 0), 0);
		if (i == 0) {
			stacks = vs_memsink_count_kind(ms, VS_EV_STACK);
			sites = vs_memsink_count_kind(ms, VS_EV_SITE);
		}
	}
	VS_ASSERT_INT(stacks >= 3, 1);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_STACK), stacks);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_SITE), sites);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	VS_ASSERT_INT(vs_trace_set_stacks(16, VS_UNWIND_AUTO, &err), 0);
	vs_memsink_free(ms);
}

/* the same line reached from two call paths: two sites, shared outer nodes */
static void test_two_paths_two_sites(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_var *v;
	vs_cm *cm;
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&cm, "two", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                                &err),
	              0);
	uintptr_t a[16], b[16];
	uint32_t ida, idb;
	VS_ASSERT_INT(level1(&v, 0), 0);
	unsigned na = last_getvar_stack(ms, a, 16, &ida);
	VS_ASSERT_INT(level2(&v), 0);
	unsigned nb = last_getvar_stack(ms, b, 16, &idb);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	CU_ASSERT_FATAL(na >= 3 && nb >= 3);
	VS_ASSERT_INT(ida != idb, 1);
	VS_ASSERT_INT(a[0], b[0]);      /* same vs_get_variable line */
	VS_ASSERT_INT(a[1], b[1]);      /* level2 -> level3 */
	VS_ASSERT_INT(a[2] != b[2], 1); /* level1 -> level2 vs the test -> level2 */
	vs_memsink_free(ms);
}

static void test_depth_and_off(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_var *v;
	uintptr_t pcs[16];
	uint32_t id;
	vs_cm *cm;
	VS_ASSERT_INT(vs_trace_set_stacks(2, VS_UNWIND_AUTO, &err), 0);
	VS_ASSERT_INT(vs_trace_stack_depth(), 2);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&cm, "d", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                                &err),
	              0);
	VS_ASSERT_INT(level1(&v, 0), 0);
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id), 2);
	VS_ASSERT_INT(pcs[1], ret[0]);
	VS_ASSERT_INT(vs_trace_set_stacks(0, VS_UNWIND_AUTO, &err), 0);
	vs_memsink_clear(ms);
	VS_ASSERT_INT(level1(&v, 0), 0);
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id), 0);
	VS_ASSERT_INT(id, 0);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_STACK), 0);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	vs_memsink_free(ms);
	VS_ASSERT_INT(vs_trace_set_stacks(65, VS_UNWIND_AUTO, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "stack depth 65 is more than 64");
	VS_ASSERT_INT(vs_trace_set_stacks(4, 7, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown unwind method 7");
	VS_ASSERT_INT(vs_trace_stack_depth(), 0);
	VS_ASSERT_INT(vs_trace_set_stacks(16, VS_UNWIND_AUTO, &err), 0);
}

/* level2_nofp has no frame pointer: the fp walk skips or stops there, auto
 * falls back to the CFI unwinder and sees it; the CFI method always does */
static void test_fallback_without_frame_pointer(void)
{
	static const int methods[] = {VS_UNWIND_AUTO, VS_UNWIND_CFI};
	for (size_t m = 0; m < 2; m++) {
		vs_runtime_reset();
		vs_memsink *ms = vs_memsink_new();
		vs_error err;
		vs_var *v;
		uintptr_t pcs[16];
		uint32_t id;
		VS_ASSERT_INT(vs_trace_set_stacks(16, methods[m], &err), 0);
		VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
		VS_ASSERT_INT(level1(&v, 1), 0);
		VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
		unsigned n = last_getvar_stack(ms, pcs, 16, &id);
		CU_ASSERT_FATAL(n >= 4);
		VS_ASSERT_INT(in_function(pcs[0], (const void *)level3), 1);
		VS_ASSERT_INT(pcs[1], ret[0]);
		VS_ASSERT_INT(pcs[2], ret[1]);
		VS_ASSERT_INT(pcs[3], ret[2]);
		vs_memsink_free(ms);
	}
	VS_ASSERT_INT(vs_trace_set_stacks(16, VS_UNWIND_AUTO, NULL), 0);
}

/* a late sink gets every module and node before the sites that use them */
static void test_attach_replays_stacks(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_var *v;
	uintptr_t pcs[16];
	uint32_t id;
	vs_memsink *late = vs_memsink_new();
	uintptr_t pcs2[16];
	uint32_t id2;
	unsigned n = 0;
	vs_cm *cm;
	/* three frames (level3, level2, level1): the compiler may peel the loop's
	 * first iteration, giving its call into level1 another address */
	VS_ASSERT_INT(vs_trace_set_stacks(3, VS_UNWIND_AUTO, &err), 0);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(&cm, "late", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                                &err),
	              0);
	for (int i = 0; i < 2; i++) {
		VS_ASSERT_INT(level1(&v, 0), 0);
		if (i == 0) {
			n = last_getvar_stack(ms, pcs, 16, &id);
			VS_ASSERT_INT(vs_memsink_attach(late, &err), 0);
		}
	}
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	VS_ASSERT_INT(last_getvar_stack(late, pcs2, 16, &id2), n);
	VS_ASSERT_INT(id2, id);
	VS_ASSERT_INT(memcmp(pcs, pcs2, n * sizeof *pcs), 0);
	long first_stack = vs_memsink_find(late, VS_EV_STACK, 0);
	long first_site = vs_memsink_find(late, VS_EV_SITE, 0);
	long first_module = vs_memsink_find(late, VS_EV_MODULE, 0);
	VS_ASSERT_INT(first_module >= 0 && first_module < first_stack, 1);
	VS_ASSERT_INT(first_stack < first_site, 1);
	VS_ASSERT_INT(vs_trace_set_stacks(16, VS_UNWIND_AUTO, &err), 0);
	vs_memsink_free(ms);
	vs_memsink_free(late);
}

/* the SITE record with id site: "file:line func" */
static void site_text(vs_memsink *ms, uint32_t site, char *buf, size_t n)
{
	snprintf(buf, n, "?");
	for (size_t k = 0; k < vs_memsink_count(ms); k++) {
		const vs_event *e = vs_memsink_at(ms, k);
		if (e->kind == VS_EV_SITE && e->site_def.site_id == site) {
			VS_ASSERT_INT(e->site_def.stack, 0); /* a frame's place has no stack */
			snprintf(buf, n, "%s:%u %s", vs_memsink_string(ms, e->site_def.file),
			         e->site_def.line, vs_memsink_string(ms, e->site_def.function));
		}
	}
}

/* pushed frames replace the machine stack: call site, then callers */
static void test_symbolic_frames(void)
{
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	vs_error err;
	vs_var *v;
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_trace_frame_push((vs_site){"m.yaml", 0, "main"}, NULL, &err), 0);
	VS_ASSERT_INT(vs_trace_frame_push((vs_site){"m.yaml", 3, "main"}, "worker", &err), 0);
	VS_ASSERT_INT(vs_trace_frame_push((vs_site){"m.yaml", 12, "worker"}, "tower", &err), 0);
	VS_ASSERT_INT(vs_get_variable_at((vs_site){"m.yaml", 20, "get_variable"}, &v, "v",
	                                 &(vs_var_opts){.shape = VS_SHAPE(1)}, &err),
	              0);
	vs_trace_frame_pop();
	vs_trace_frame_pop();
	vs_trace_frame_pop();
	vs_trace_frame_pop(); /* one too many: nothing */
	long i = vs_memsink_find(ms, VS_EV_GETVAR_ENTER, 0);
	CU_ASSERT_FATAL(i >= 0);
	uint32_t site = vs_memsink_at(ms, (size_t)i)->site, stack = 0;
	for (size_t k = 0; k < vs_memsink_count(ms); k++) {
		const vs_event *e = vs_memsink_at(ms, k);
		if (e->kind == VS_EV_SITE && e->site_def.site_id == site)
			stack = e->site_def.stack;
	}
	/* frame 0 is in the function entered last; the line-0 entry mark is no
	 * frame */
	const char *want[] = {"m.yaml:20 tower", "m.yaml:12 worker", "m.yaml:3 main"};
	size_t n = 0;
	while (stack && n < 4) {
		uint32_t next = 0;
		for (size_t k = 0; k < vs_memsink_count(ms); k++) {
			const vs_event *e = vs_memsink_at(ms, k);
			if (e->kind != VS_EV_STACK || e->stack.stack_id != stack)
				continue;
			VS_ASSERT_INT(e->stack.pc_lo | e->stack.pc_hi | e->stack.module, 0);
			char buf[128];
			site_text(ms, e->stack.site, buf, sizeof buf);
			CU_ASSERT_FATAL(n < 3);
			VS_ASSERT_STR(buf, want[n]);
			n++;
			next = e->stack.caller;
		}
		stack = next;
	}
	VS_ASSERT_INT(n, 3);
	/* popped: the machine stack again */
	uintptr_t pcs[16];
	uint32_t id;
	vs_memsink_clear(ms);
	vs_cm *cm;
	VS_ASSERT_INT(vs_variable_scope(&cm, "s", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                                &err),
	              0);
	VS_ASSERT_INT(level1(&v, 0), 0);
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id) >= 4, 1);
	VS_ASSERT_INT(pcs[1], ret[0]);
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	for (int k = 0; k < 64; k++)
		VS_ASSERT_INT(vs_trace_frame_push((vs_site){"m.yaml", k, "f"}, NULL, &err), 0);
	VS_ASSERT_INT(vs_trace_frame_push((vs_site){"m.yaml", 65, "f"}, NULL, &err),
	              VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "more than 64 symbolic frames");
	for (int k = 0; k < 64; k++)
		vs_trace_frame_pop();
	vs_memsink_free(ms);
}

/* ---- no frame pointers: the unwind cache --------------------------------
 * The chains of stack_nofp.c (-O2 -fomit-frame-pointer, %rbp holding a
 * small integer at the call into libvs) break the frame walk at once, so
 * auto mode unwinds with the CFI unwinder and caches what it found.  Each
 * test limits the depth to frames it controls. */

/* a scope for the calls; the memsink attached */
static vs_memsink *nofp_begin(unsigned depth, vs_cm **cm)
{
	vs_error err;
	vs_runtime_reset();
	vs_memsink *ms = vs_memsink_new();
	VS_ASSERT_INT(vs_trace_set_stacks(depth, VS_UNWIND_AUTO, &err), 0);
	VS_ASSERT_INT(vs_memsink_attach(ms, &err), 0);
	VS_ASSERT_INT(vs_variable_scope(cm, "nofp", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                                &err),
	              0);
	return ms;
}

static void nofp_end(vs_memsink *ms, vs_cm *cm)
{
	vs_error err;
	VS_ASSERT_INT(vs_exit(cm, &err), 0);
	VS_ASSERT_INT(vs_trace_attach(NULL, NULL, &err), 0);
	VS_ASSERT_INT(vs_trace_set_stacks(16, VS_UNWIND_AUTO, &err), 0);
	vs_memsink_free(ms);
}

/* f() called from two lines of a no-frame-pointer function at the same
 * stack depth, calling vs_get_variable from one line: the same return
 * address and stack pointer at the call into libvs, different callers.
 * Both stacks are exact and distinct; each is unwound once. */
static void test_nofp_two_lines(void)
{
	vs_cm *cm;
	vs_var *v;
	vs_memsink *ms = nofp_begin(3, &cm);
	uintptr_t pcs[2][16], leaf_ret[2] = {0, 0}, sp[2] = {0, 0};
	unsigned n[2];
	uint32_t id[2] = {0, 0}, again;
	unsigned long u0 = rt_stack_unwinds();
	for (int i = 0; i < 8; i++) {
		int which = i & 1;
		VS_ASSERT_INT(nofp_two_lines(&v, which), 0);
		if (i < 2) {
			n[which] = last_getvar_stack(ms, pcs[which], 16, &id[which]);
			leaf_ret[which] = nofp_leaf_ret;
			sp[which] = nofp_leaf_sp;
		} else {
			last_getvar_stack(ms, pcs[which] + 8, 8, &again);
			VS_ASSERT_INT(again, id[which]);
		}
	}
	uintptr_t line_ret = nofp_line_ret;
	nofp_end(ms, cm);
	/* the premise: one key, two callers */
	VS_ASSERT_INT(sp[0], sp[1]);
	VS_ASSERT_INT(leaf_ret[0] != leaf_ret[1], 1);
	for (int w = 0; w < 2; w++) {
		VS_ASSERT_INT(n[w], 3);
		VS_ASSERT_INT(in_function(pcs[w][0], (const void *)nofp_leaf), 1);
		VS_ASSERT_INT(pcs[w][1], leaf_ret[w]);
		VS_ASSERT_INT(pcs[w][2], line_ret);
	}
	VS_ASSERT_INT(id[0] != id[1], 1);
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 2);
}

/* nofp_loop from one line (a loop in the test could be peeled into two) */
__attribute__((noinline)) static int loop_at(vs_var **v, int n)
{
	int rc = nofp_loop(v, n);
	__asm__ volatile("" ::: "memory");
	return rc;
}

/* a loop of 100 calls (one call, then 99) unwinds once, interns once, one
 * site */
static void test_nofp_loop_unwinds_once(void)
{
	vs_cm *cm;
	vs_var *v;
	vs_memsink *ms = nofp_begin(3, &cm);
	uintptr_t pcs[16];
	uint32_t id;
	unsigned long u0 = rt_stack_unwinds();
	VS_ASSERT_INT(loop_at(&v, 1), 0);
	size_t stacks = vs_memsink_count_kind(ms, VS_EV_STACK); /* none new after this */
	VS_ASSERT_INT(loop_at(&v, 99), 0);
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 1);
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id), 3);
	VS_ASSERT_INT(in_function(pcs[0], (const void *)nofp_leaf), 1);
	VS_ASSERT_INT(pcs[1], nofp_leaf_ret);
	VS_ASSERT_INT(pcs[2], nofp_line_ret);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_STACK), stacks);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_GETVAR_ENTER), 100);
	uint32_t site = 0;
	int same = 1;
	for (size_t k = 0; k < vs_memsink_count(ms); k++) {
		const vs_event *e = vs_memsink_at(ms, k);
		if (e->kind != VS_EV_GETVAR_ENTER)
			continue;
		if (!site)
			site = e->site;
		same &= e->site == site;
	}
	VS_ASSERT_INT(same, 1);
	nofp_end(ms, cm);
}

/* recursion: each depth is its own stack, exact frame by frame; a depth
 * seen before is a cache hit */
static void test_nofp_recursion(void)
{
	static const int depths[] = {3, 2, 3, 5, 2};
	static const unsigned long unwinds[] = {1, 1, 0, 1, 0};
	vs_cm *cm;
	vs_var *v;
	vs_memsink *ms = nofp_begin(16, &cm);
	uint32_t ids[6] = {0};
	for (size_t t = 0; t < sizeof depths / sizeof depths[0]; t++) {
		int d = depths[t];
		uintptr_t pcs[16];
		uint32_t id;
		vs_error err;
		/* leaf, d frames of nofp_recurse, this test */
		VS_ASSERT_INT(vs_trace_set_stacks((unsigned)d + 2, VS_UNWIND_AUTO, &err), 0);
		unsigned long u0 = rt_stack_unwinds();
		VS_ASSERT_INT(nofp_recurse(&v, d), 0);
		VS_ASSERT_INT(rt_stack_unwinds() - u0, unwinds[t]);
		CU_ASSERT_FATAL(last_getvar_stack(ms, pcs, 16, &id) == (unsigned)d + 2);
		VS_ASSERT_INT(in_function(pcs[0], (const void *)nofp_leaf), 1);
		VS_ASSERT_INT(pcs[1], nofp_leaf_ret);
		for (int k = 1; k <= d; k++)
			VS_ASSERT_INT(pcs[1 + k], nofp_rec_ret[k]);
		VS_ASSERT_INT(in_function(pcs[d + 1], (const void *)test_nofp_recursion), 1);
		if (ids[d])
			VS_ASSERT_INT(id, ids[d]);
		ids[d] = id;
	}
	VS_ASSERT_INT(ids[2] != ids[3] && ids[3] != ids[5], 1);
	nofp_end(ms, cm);
}

__attribute__((noinline)) static int alloca_at(vs_var **v, int depth, size_t bytes)
{
	int rc = nofp_vla(v, depth, bytes);
	__asm__ volatile("" ::: "memory");
	return rc;
}

/* A frame addressed through %rbp (alloca) can sit elsewhere while the call
 * into libvs has the same return address and stack pointer: two nested
 * nofp_vla frames with a small allocation, or one with an allocation larger
 * by the outer frame's size.  The old return-address slots then lie in the
 * new frame's unwritten allocation and may still hold the old values; the
 * cache pins the frame pointer too, so both stacks come out exact. */
static void test_nofp_alloca_moved_frame(void)
{
	vs_cm *cm;
	vs_var *v;
	vs_memsink *ms = nofp_begin(3, &cm);
	uintptr_t x[16], y[16];
	uint32_t idx, idy, id;
	VS_ASSERT_INT(alloca_at(&v, 1, 64), 0);
	uintptr_t sp1 = nofp_leaf_sp;
	VS_ASSERT_INT(alloca_at(&v, 2, 64), 0);
	uintptr_t sp2 = nofp_leaf_sp;
	CU_ASSERT_FATAL(sp1 > sp2);
	size_t grow = (size_t)(sp1 - sp2);
	unsigned long u0 = rt_stack_unwinds();
	VS_ASSERT_INT(alloca_at(&v, 2, 64), 0); /* cached by the call above */
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 0);
	unsigned nx = last_getvar_stack(ms, x, 16, &idx);
	VS_ASSERT_INT(alloca_at(&v, 1, 64 + grow), 0);
	VS_ASSERT_INT(nofp_leaf_sp, sp2); /* the premise: the same key */
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 1);
	unsigned ny = last_getvar_stack(ms, y, 16, &idy);
	VS_ASSERT_INT(nx, 3);
	VS_ASSERT_INT(ny, 3);
	VS_ASSERT_INT(idx != idy, 1);
	/* x: leaf, inner nofp_vla, outer nofp_vla; y: leaf, nofp_vla,
	 * alloca_at */
	VS_ASSERT_INT(x[0], y[0]);
	VS_ASSERT_INT(x[1], y[1]);
	VS_ASSERT_INT(in_function(x[2], (const void *)nofp_vla), 1);
	VS_ASSERT_INT(in_function(y[2], (const void *)alloca_at), 1);
	/* both stay cached and exact */
	VS_ASSERT_INT(alloca_at(&v, 2, 64), 0);
	VS_ASSERT_INT(last_getvar_stack(ms, x, 16, &id), 3);
	VS_ASSERT_INT(id, idx);
	VS_ASSERT_INT(alloca_at(&v, 1, 64 + grow), 0);
	VS_ASSERT_INT(last_getvar_stack(ms, y, 16, &id), 3);
	VS_ASSERT_INT(id, idy);
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 1);
	nofp_end(ms, cm);
}

/* longjmp out of a traced chain: the next calls through it and through
 * another chain at the same depth are exact */
static void test_nofp_longjmp(void)
{
	vs_cm *cm;
	vs_var *v;
	vs_memsink *ms = nofp_begin(3, &cm);
	uintptr_t pcs[16];
	uint32_t id[2] = {0, 0};
	unsigned long u0 = rt_stack_unwinds();
	for (int i = 0; i < 2; i++) {
		jmp_buf env;
		volatile int jumped = 0;
		if (!setjmp(env))
			nofp_jump(&v, env);
		else
			jumped = 1;
		VS_ASSERT_INT(jumped, 1);
		VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id[i]), 3);
		VS_ASSERT_INT(in_function(pcs[0], (const void *)nofp_leaf), 1);
		VS_ASSERT_INT(pcs[1], nofp_leaf_ret);
		VS_ASSERT_INT(pcs[2], nofp_line_ret);
	}
	VS_ASSERT_INT(id[0], id[1]);
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 1);
	VS_ASSERT_INT(nofp_two_lines(&v, 0), 0);
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id[0]), 3);
	VS_ASSERT_INT(pcs[1], nofp_leaf_ret);
	VS_ASSERT_INT(pcs[2], nofp_line_ret);
	VS_ASSERT_INT(id[0] != id[1], 1);
	nofp_end(ms, cm);
}

static vs_var *g_sig_var;
static int g_sig_rc = -1;

static void nofp_handler(int sig)
{
	g_sig_rc = nofp_leaf(&g_sig_var);
	__asm__ volatile("" ::: "memory");
}

/* tracing from a signal handler: exact (the handler is frame 1), and a
 * stack through a signal frame is never cached.  Not under ThreadSanitizer,
 * which runs handlers from its own code (no signal frame) and reports the
 * runtime's allocations in a handler. */
static void test_nofp_signal_handler(void)
{
#if defined(__SANITIZE_THREAD__)
	return;
#endif
	vs_cm *cm;
	vs_memsink *ms = nofp_begin(2, &cm);
	struct sigaction sa = {.sa_handler = nofp_handler}, old;
	uintptr_t pcs[16];
	uint32_t id[2] = {0, 0};
	sigemptyset(&sa.sa_mask);
	VS_ASSERT_INT(sigaction(SIGUSR1, &sa, &old), 0);
	VS_ASSERT_INT(vs_trace_set_stacks(16, VS_UNWIND_AUTO, NULL), 0);
	unsigned long u0 = rt_stack_unwinds();
	for (int i = 0; i < 2; i++) {
		g_sig_rc = -1;
		VS_ASSERT_INT(raise(SIGUSR1), 0);
		VS_ASSERT_INT(g_sig_rc, 0);
		VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id[i]) >= 3, 1);
		VS_ASSERT_INT(in_function(pcs[0], (const void *)nofp_leaf), 1);
		VS_ASSERT_INT(pcs[1], nofp_leaf_ret);
		VS_ASSERT_INT(in_function(pcs[1], (const void *)nofp_handler), 1);
	}
	VS_ASSERT_INT(id[0], id[1]);
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 2);
	VS_ASSERT_INT(sigaction(SIGUSR1, &old, NULL), 0);
	nofp_end(ms, cm);
}

struct nofp_thread {
	int rc;
	uintptr_t line_ret;
	unsigned long unwinds; /* during the loop (the threads run by turns) */
};

static void *nofp_thread_main(void *arg)
{
	struct nofp_thread *t = arg;
	vs_error err;
	vs_cm *cm;
	t->rc = vs_variable_scope(&cm, "t", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO}, &err);
	unsigned long u0 = rt_stack_unwinds();
	if (t->rc == 0)
		t->rc = nofp_loop(&(vs_var *){NULL}, 50);
	t->unwinds = rt_stack_unwinds() - u0;
	t->line_ret = nofp_line_ret;
	if (t->rc == 0)
		t->rc = vs_exit(cm, &err);
	return NULL;
}

/* two threads through the same code: one unwind each, one stack */
static void test_nofp_threads(void)
{
	vs_cm *cm;
	vs_memsink *ms = nofp_begin(3, &cm);
	struct nofp_thread t[2] = {{-1, 0, 0}, {-1, 0, 0}};
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		VS_ASSERT_INT(pthread_create(&th[i], NULL, nofp_thread_main, &t[i]), 0);
		VS_ASSERT_INT(pthread_join(th[i], NULL), 0);
		VS_ASSERT_INT(t[i].rc, 0);
		VS_ASSERT_INT(t[i].unwinds, 1);
	}
	VS_ASSERT_INT(t[0].line_ret, t[1].line_ret);
	uintptr_t pcs[16];
	uint32_t id;
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id), 3);
	VS_ASSERT_INT(pcs[1], nofp_leaf_ret);
	VS_ASSERT_INT(pcs[2], t[0].line_ret);
	VS_ASSERT_INT(in_function(pcs[2], (const void *)nofp_thread_main), 1);
	/* every GETVAR_ENTER of both threads: one site */
	uint32_t site = 0;
	size_t calls = 0;
	int same = 1;
	for (size_t k = 0; k < vs_memsink_count(ms); k++) {
		const vs_event *e = vs_memsink_at(ms, k);
		if (e->kind != VS_EV_GETVAR_ENTER)
			continue;
		calls++;
		if (!site)
			site = e->site;
		same &= e->site == site;
	}
	VS_ASSERT_INT(calls, 100);
	VS_ASSERT_INT(same, 1);
	nofp_end(ms, cm);
}

/* fp and unwind modes keep their behaviour: no cache (unwind mode unwinds
 * every call) */
static void test_nofp_unwind_mode_uncached(void)
{
	vs_cm *cm;
	vs_var *v;
	vs_memsink *ms = nofp_begin(3, &cm);
	vs_error err;
	VS_ASSERT_INT(vs_trace_set_stacks(3, VS_UNWIND_CFI, &err), 0);
	unsigned long u0 = rt_stack_unwinds();
	VS_ASSERT_INT(nofp_loop(&v, 10), 0);
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 10);
	uintptr_t pcs[16];
	uint32_t id;
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id), 3);
	VS_ASSERT_INT(pcs[1], nofp_leaf_ret);
	VS_ASSERT_INT(pcs[2], nofp_line_ret);
	VS_ASSERT_INT(vs_trace_set_stacks(3, VS_UNWIND_FP, &err), 0);
	u0 = rt_stack_unwinds();
	VS_ASSERT_INT(nofp_loop(&v, 10), 0);
	VS_ASSERT_INT(rt_stack_unwinds() - u0, 0);
	/* the frame walk stops at the first frame (%rbp is no frame pointer) */
	VS_ASSERT_INT(last_getvar_stack(ms, pcs, 16, &id), 1);
	VS_ASSERT_INT(in_function(pcs[0], (const void *)nofp_leaf), 1);
	nofp_end(ms, cm);
}

VS_SUITE_FN(tracer_stack)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_chain_frames),
		VS_TEST(test_modules_precede_frames),
		VS_TEST(test_repeated_stack_interned_once),
		VS_TEST(test_two_paths_two_sites),
		VS_TEST(test_depth_and_off),
		VS_TEST(test_fallback_without_frame_pointer),
		VS_TEST(test_attach_replays_stacks),
		VS_TEST(test_symbolic_frames),
		VS_TEST(test_nofp_two_lines),
		VS_TEST(test_nofp_loop_unwinds_once),
		VS_TEST(test_nofp_recursion),
		VS_TEST(test_nofp_alloca_moved_frame),
		VS_TEST(test_nofp_longjmp),
		VS_TEST(test_nofp_signal_handler),
		VS_TEST(test_nofp_threads),
		VS_TEST(test_nofp_unwind_mode_uncached),
		VS_TEST_END,
	};
	vs_test_add_suite("tracer_stack", stack_init, stack_clean, cases);
}
