/* SPDX-License-Identifier: MIT */
/*
 * tests for rules/ error paths the config suite does not reach: the
 * baseline writer's failures (no directory, target is a directory: the
 * temporary file is removed) and missing baseline/config files.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/baseline.h"
#include "rules/rules.h"
#include "tests/unit/harness.h"

static void test_baseline_write_errors(void)
{
	vs_rule_baseline *bl = vs_rule_baseline_new();
	vs_error err;
	char want[512];
	CU_ASSERT_PTR_NOT_NULL_FATAL(bl);
	vs_error_init(&err);
	VS_ASSERT_INT(vs_rule_baseline_add(bl, "VS101", "a.py", "f", "v", 1, NULL), 0);
	VS_ASSERT_INT(vs_rule_baseline_write(bl, "/nonexistent-dir/b.txt", &err), VS_ERR_IO);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent-dir/b.txt': cannot write baseline: No such file or directory");
	char *dir = vs_test_tmp_path(".d");
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	VS_ASSERT_INT(vs_rule_baseline_write(bl, dir, &err), VS_ERR_IO);
	snprintf(want, sizeof want, "'%s': cannot write baseline: Is a directory", dir);
	VS_ASSERT_STR(err.msg, want);
	snprintf(want, sizeof want, "%s.tmp%ld", dir, (long)getpid());
	VS_ASSERT_INT(access(want, F_OK), -1);
	VS_ASSERT_INT(rmdir(dir), 0);
	free(dir);
	vs_rule_baseline_free(bl);
}

static void test_missing_files(void)
{
	vs_rule_baseline *bl = vs_rule_baseline_new();
	vs_rule_set *rs = vs_rule_set_new();
	vs_error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(bl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	vs_error_init(&err);
	VS_ASSERT_INT(vs_rule_baseline_load(bl, "/nonexistent-dir/b.txt", &err), VS_ERR_NOT_FOUND);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent-dir/b.txt': cannot open baseline: No such file or directory");
	VS_ASSERT_INT(vs_rule_baseline_count(bl), 0);
	VS_ASSERT_INT(vs_rule_set_load(rs, "/nonexistent-dir/vscheck.yml", &err), VS_ERR_NOT_FOUND);
	VS_ASSERT_STR(err.msg, "'/nonexistent-dir/vscheck.yml': cannot open config: No such file or "
	                       "directory");
	CU_ASSERT_PTR_NULL(vs_rule_set_config_path(rs));
	vs_rule_set_free(rs);
	vs_rule_baseline_free(bl);
}

VS_SUITE_FN(rules_api)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_baseline_write_errors),
		VS_TEST(test_missing_files),
		VS_TEST_END};
	vs_test_add_suite("rules_api", NULL, NULL, cases);
}
