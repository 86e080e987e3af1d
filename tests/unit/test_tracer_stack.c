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
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/harness.h"
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
		VS_TEST_END,
	};
	vs_test_add_suite("tracer_stack", stack_init, stack_clean, cases);
}
