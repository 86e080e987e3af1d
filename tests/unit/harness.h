/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/harness.h - the CUnit glue every suite file uses.
 *
 * Each tests/unit/test_<name>.c defines `void vs_suite_<name>(void)` that
 * registers its suites with vs_test_add_suite(); the Makefile generates the
 * table of those functions, so adding a file is all it takes.
 */
#ifndef VS_TESTS_HARNESS_H
#define VS_TESTS_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

typedef struct vs_test_case {
	const char *name;
	void (*fn)(void);
} vs_test_case;

/* Defines the registration function of suite file test_<n>.c:
 *   VS_SUITE_FN(tracer_error) { vs_test_add_suite(...); } */
#define VS_SUITE_FN(n) void vs_suite_##n(void); void vs_suite_##n(void)

#define VS_TEST(fn) {#fn, fn}
#define VS_TEST_END {NULL, NULL}

/* Adds a suite with the NULL-terminated cases; init/clean may be NULL. */
void vs_test_add_suite(const char *name, int (*init)(void), int (*clean)(void),
                       const vs_test_case *cases);

/* Assertion helpers that print both sides on failure. */
void vs_test_assert_str(int line, const char *file, const char *a_expr, const char *a,
                        const char *b);
void vs_test_assert_int(int line, const char *file, const char *a_expr, long long a,
                        long long b);

/* the actual string equals the expected one (NULL-safe) */
#define VS_ASSERT_STR(actual, expected)                                        \
	vs_test_assert_str(__LINE__, __FILE__, #actual, (actual), (expected))
/* the actual integer equals the expected one */
#define VS_ASSERT_INT(actual, expected)                                        \
	vs_test_assert_int(__LINE__, __FILE__, #actual, (long long)(actual), (long long)(expected))

/* A path for a temporary file unique to this test process: caller frees. */
char *vs_test_tmp_path(const char *suffix);

#endif
