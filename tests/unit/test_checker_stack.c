/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_checker_stack.c - checker/stackloc.c: where two builds'
 * stacks part, which frames a report shows.
 */
#include <stdlib.h>
#include <string.h>

#include "checker/stackloc.h"
#include "tests/unit/harness.h"

static char s_dense[] = "dense", s_decoder[] = "decoder", s_main[] = "main", s_helper[] = "helper",
	    s_start[] = "__libc_start_main", s_mc[] = "m.c", s_bin[] = "/bin/m",
	    s_libc[] = "/lib/libc.so.6", s_xso[] = "/lib/x.so", s_stripped[] = "/bin/stripped";
#define FR(fn, ln, off)                        \
	{                                      \
		(fn), s_mc, s_bin, (ln), (off) \
	}

static void test_divergence_second_call(void)
{
	/* dense <- decoder <- main:57 (first) and main:58 (second) */
	vs_check_frame a[] = {FR(s_dense, 23, 0x100),
	                      FR(s_decoder, 43, 0x200),
	                      FR(s_main, 57, 0x300),
	                      {NULL, NULL, s_libc, 0, 0x9}};
	vs_check_frame b[] = {FR(s_dense, 23, 0x100),
	                      FR(s_decoder, 43, 0x200),
	                      FR(s_main, 58, 0x310),
	                      {NULL, NULL, s_libc, 0, 0x9}};
	VS_ASSERT_INT(vs_check_stack_divergence(a, 4, b, 4), 2);
	/* a deeper second path: helper between main and decoder */
	vs_check_frame c[] = {FR(s_dense, 23, 0x100),
	                      FR(s_decoder, 43, 0x200),
	                      FR(s_helper, 70, 0x400),
	                      FR(s_main, 57, 0x300),
	                      {NULL, NULL, s_libc, 0, 0x9}};
	VS_ASSERT_INT(vs_check_stack_divergence(a, 4, c, 5), 2);
	/* the same path twice (a loop): the call itself */
	VS_ASSERT_INT(vs_check_stack_divergence(a, 4, a, 4), 0);
	VS_ASSERT_INT(vs_check_stack_divergence(NULL, 0, b, 4), 0);
	VS_ASSERT_INT(vs_check_stack_divergence(a, 4, NULL, 0), 0);
}

static void test_shown_frames(void)
{
	vs_check_frame a[] = {FR(s_dense, 23, 0x100),
	                      {NULL, NULL, s_xso, 0, 0x5},
	                      FR(s_main, 57, 0x300),
	                      {NULL, NULL, s_libc, 0, 0x9},
	                      {s_start, NULL, s_libc, 0, 0xa}};
	VS_ASSERT_INT(vs_check_stack_shown(a, 5), 3);
	vs_check_frame s[] = {{NULL, NULL, s_stripped, 0, 0x1}, {NULL, NULL, s_stripped, 0, 0x2}};
	VS_ASSERT_INT(vs_check_stack_shown(s, 2), 2);
	VS_ASSERT_INT(vs_check_stack_shown(NULL, 0), 0);
	/* libc with debug information installed: still not shown */
	static char s_file[] = "libc_start_call_main.h", s_call[] = "__libc_start_call_main";
	vs_check_frame d[] = {FR(s_dense, 23, 0x100),
	                      FR(s_main, 57, 0x300),
	                      {s_call, s_file, s_libc, 58, 0x9}};
	VS_ASSERT_INT(vs_check_stack_shown(d, 3), 2);
}

/* a thread's build and main's: their libc entry frames (with debug
 * information installed, so with lines) differ but are not where the
 * builds part; the thread's own entry function is */
static void test_divergence_threads(void)
{
	static char s_tower[] = "tower", s_thr[] = "tower_thread", s_pc[] = "pthread_create.c",
		    s_st[] = "start_thread", s_lh[] = "libc_start_call_main.h",
		    s_lc[] = "__libc_start_call_main";
	vs_check_frame first[] = {FR(s_dense, 23, 0x100),
	                          FR(s_tower, 35, 0x200),
	                          FR(s_main, 60, 0x300),
	                          {s_lc, s_lh, s_libc, 58, 0x9}};
	vs_check_frame second[] = {FR(s_dense, 23, 0x100),
	                           FR(s_tower, 35, 0x200),
	                           FR(s_thr, 52, 0x400),
	                           {s_st, s_pc, s_libc, 442, 0x7}};
	VS_ASSERT_INT(vs_check_stack_divergence(first, 4, second, 4), 2);
	VS_ASSERT_INT(vs_check_stack_divergence(second, 4, first, 4), 2);
	/* the same thread function twice: the call itself */
	VS_ASSERT_INT(vs_check_stack_divergence(second, 4, second, 4), 0);
}

/* scenario steps (no module) compare by place */
static void test_divergence_symbolic(void)
{
	static char y[] = "b.yaml", get[] = "get_variable", mn[] = "main";
	vs_check_frame a[] = {{get, y, NULL, 12, 0}, {mn, y, NULL, 17, 0}, {mn, y, NULL, 0, 0}};
	vs_check_frame b[] = {{get, y, NULL, 12, 0}, {mn, y, NULL, 20, 0}, {mn, y, NULL, 0, 0}};
	VS_ASSERT_INT(vs_check_stack_divergence(a, 3, b, 3), 1);
}

static void test_frames_free(void)
{
	vs_check_frame *f = calloc(2, sizeof *f);
	CU_ASSERT_FATAL(f != NULL);
	f[0].function = strdup("dense");
	f[1].module = strdup("/bin/m");
	vs_check_frames_free(f, 2); /* valgrind / ASan check the rest */
	vs_check_frames_free(NULL, 0);
}

VS_SUITE_FN(checker_stack)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_divergence_second_call),
		VS_TEST(test_shown_frames),
		VS_TEST(test_divergence_threads),
		VS_TEST(test_divergence_symbolic),
		VS_TEST(test_frames_free),
		VS_TEST_END,
	};
	vs_test_add_suite("checker_stack", NULL, NULL, cases);
}
