/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_scenario.c - libFuzzer target: the scenario loader
 * (vs_scn_load_string) on any text.  Loading must end, in time linear in
 * the input, with a tree or one error; nothing runs.
 */
#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vs_scn *s = NULL;
	vs_error err;
	vs_error_init(&err);
	if (vs_scn_load_string(&s, "fuzz.yaml", (const char *)data, size, &err) < 0 &&
	    (s || !err.msg[0]))
		__builtin_trap(); /* a failure must say why and hand out nothing */
	vs_scn_free(s);
	return 0;
}
