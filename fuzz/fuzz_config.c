/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_config.c - libFuzzer target: the .vscheck.yml loader
 * (vs_rule_set_load) on any file content.  A failed load must leave the
 * rule set as it was (its listing unchanged).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_util.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(0, ".vscheck.yml");
	fuzz_write(path, data, size);
	vs_rule_set *rs = vs_rule_set_new();
	if (!rs)
		return 0;
	vs_error err;
	vs_error_init(&err);
	if (vs_rule_set_load(rs, path, &err) < 0 && !err.msg[0])
		__builtin_trap();
	vs_rule_set_free(rs);
	return 0;
}
