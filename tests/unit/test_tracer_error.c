/* SPDX-License-Identifier: MIT */
/* tests for tracer/error.c: the project-wide error convention */
#include "tests/unit/harness.h"
#include "vs/error.h"

static void test_set_and_init(void)
{
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(e.code, 0);
	VS_ASSERT_STR(e.msg, "");
	VS_ASSERT_INT(vs_error_set(&e, VS_ERR_VALUE, "Variable %s already exists", "foo/v"),
	              VS_ERR_VALUE);
	VS_ASSERT_INT(e.code, VS_ERR_VALUE);
	VS_ASSERT_STR(e.msg, "Variable foo/v already exists");
	VS_ASSERT_INT(vs_error_set(NULL, VS_ERR_IO, "x"), VS_ERR_IO);
}

static void test_prefix_and_copy(void)
{
	vs_error e, f;
	vs_error_set(&e, VS_ERR_FORMAT, "unknown key 'x'");
	VS_ASSERT_INT(vs_error_prefix(&e, "%s:%d:%d", "a.yaml", 3, 5), VS_ERR_FORMAT);
	VS_ASSERT_STR(e.msg, "a.yaml:3:5: unknown key 'x'");
	VS_ASSERT_INT(vs_error_copy(&f, &e), VS_ERR_FORMAT);
	VS_ASSERT_STR(f.msg, "a.yaml:3:5: unknown key 'x'");
	VS_ASSERT_INT(vs_error_prefix(NULL, "x"), VS_ERR_INTERNAL);
	VS_ASSERT_INT(vs_error_copy(&f, NULL), VS_ERR_INTERNAL);
}

static void test_truncation(void)
{
	vs_error e;
	char big[VS_ERROR_MSG_MAX * 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	vs_error_set(&e, VS_ERR_VALUE, "%s", big);
	VS_ASSERT_INT(strlen(e.msg), VS_ERROR_MSG_MAX - 1);
	VS_ASSERT_STR(e.msg + VS_ERROR_MSG_MAX - 4, "...");
}

static void test_names(void)
{
	VS_ASSERT_STR(vs_err_name(VS_ERR_VALUE), "ValueError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_RUNTIME), "RuntimeError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_TYPE), "TypeError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_ASSERTION), "AssertionError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_NOT_IMPLEMENTED), "NotImplementedError");
	VS_ASSERT_STR(vs_err_name(VS_ERR_NOMEM), "out of memory");
	VS_ASSERT_STR(vs_err_name(-999), "unknown error");
	VS_ASSERT_INT(vs_err_is_tf(VS_ERR_TYPE), 1);
	VS_ASSERT_INT(vs_err_is_tf(VS_ERR_IO), 0);
	VS_ASSERT_INT(vs_err_is_tf(VS_OK), 0);
}

VS_SUITE_FN(tracer_error)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_set_and_init), VS_TEST(test_prefix_and_copy),
		VS_TEST(test_truncation), VS_TEST(test_names), VS_TEST_END};
	vs_test_add_suite("tracer_error", NULL, NULL, cases);
}
