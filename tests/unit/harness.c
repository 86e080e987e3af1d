/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/harness.c - the unit-test runner: registers every suite from
 * the generated table and runs them with CUnit's basic interface.
 *
 *   unit [-l] [-x EXCLUDE]... [SUBSTRING...]
 *        run the suites whose name contains a SUBSTRING (all without) and
 *        no EXCLUDE substring; -l lists them
 */
#include "tests/unit/harness.h"

#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#define VS_SUITE(n) void vs_suite_##n(void);
#include "suites.inc"
#undef VS_SUITE

static const struct {
	const char *name;
	void (*reg)(void);
} suite_table[] = {
#define VS_SUITE(n) {#n, vs_suite_##n},
#include "suites.inc"
#undef VS_SUITE
	{NULL, NULL}};

static int n_filters;
static char **filters;
static int n_excludes;
static char *excludes[32];

void vs_test_add_suite(const char *name, int (*init)(void), int (*clean)(void),
                       const vs_test_case *cases)
{
	int want = n_filters == 0;
	for (int i = 0; i < n_filters && !want; i++)
		want = strstr(name, filters[i]) != NULL;
	for (int i = 0; i < n_excludes && want; i++)
		want = strstr(name, excludes[i]) == NULL;
	if (!want)
		return;
	CU_pSuite s = CU_add_suite(name, init, clean);
	if (!s) {
		fprintf(stderr, "unit: cannot add suite %s: %s\n", name, CU_get_error_msg());
		exit(3);
	}
	for (const vs_test_case *c = cases; c->name; c++)
		if (!CU_add_test(s, c->name, c->fn)) {
			fprintf(stderr, "unit: cannot add test %s: %s\n", c->name, CU_get_error_msg());
			exit(3);
		}
}

void vs_test_assert_str(int line, const char *file, const char *a_expr, const char *a,
                        const char *b)
{
	int ok = (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
	char msg[1024];
	if (ok) {
		CU_assertImplementation(CU_TRUE, line, "", file, "", CU_FALSE);
		return;
	}
	snprintf(msg, sizeof msg, "%s == \"%s\", expected \"%s\"", a_expr, a ? a : "(null)",
	         b ? b : "(null)");
	CU_assertImplementation(CU_FALSE, line, msg, file, "", CU_FALSE);
}

void vs_test_assert_int(int line, const char *file, const char *a_expr, long long a, long long b)
{
	char msg[512];
	if (a == b) {
		CU_assertImplementation(CU_TRUE, line, "", file, "", CU_FALSE);
		return;
	}
	snprintf(msg, sizeof msg, "%s == %lld, expected %lld", a_expr, a, b);
	CU_assertImplementation(CU_FALSE, line, msg, file, "", CU_FALSE);
}

char *vs_test_tmp_path(const char *suffix)
{
	static unsigned counter;
	const char *dir = getenv("TMPDIR");
	char *p = malloc(512);
	if (!p)
		abort();
	snprintf(p, 512, "%s/vs-unit-%ld-%u%s", dir && *dir ? dir : "/tmp", (long)getpid(),
	         ++counter, suffix ? suffix : "");
	return p;
}

int main(int argc, char **argv)
{
	int list = 0;
	while (argc > 1 && argv[1][0] == '-') {
		if (strcmp(argv[1], "-l") == 0) {
			list = 1;
		} else if (strcmp(argv[1], "-x") == 0 && argc > 2 &&
		           n_excludes < (int)(sizeof excludes / sizeof excludes[0])) {
			excludes[n_excludes++] = argv[2];
			argc--;
			argv++;
		} else {
			fprintf(stderr, "usage: unit [-l] [-x EXCLUDE]... [SUBSTRING...]\n");
			return 2;
		}
		argc--;
		argv++;
	}
	n_filters = argc - 1;
	filters = argv + 1;
	if (list) {
		for (size_t i = 0; suite_table[i].name; i++)
			printf("%s\n", suite_table[i].name);
		return 0;
	}
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "unit: %s\n", CU_get_error_msg());
		return 3;
	}
	for (size_t i = 0; suite_table[i].name; i++)
		suite_table[i].reg();
	CU_basic_set_mode(getenv("VS_TEST_VERBOSE") ? CU_BRM_VERBOSE : CU_BRM_NORMAL);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	unsigned ran = CU_get_number_of_tests_run();
	unsigned tfailed = CU_get_number_of_tests_failed();
	printf("\nunit: %u passed, %u failed\n", ran - tfailed, tfailed);
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
