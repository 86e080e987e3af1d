/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_baseline.c - libFuzzer target: the baseline reader
 * (vs_rule_baseline_load) on any file content; what loads is written back
 * and must load again to the same file (write/load round trip).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_util.h"
#include "rules/baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len == cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (!nb)
				abort();
			buf = nb;
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (!got)
			break;
	}
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = fuzz_path(0, "in.baseline"), *out1 = fuzz_path(1, "out1.baseline"),
		   *out2 = fuzz_path(2, "out2.baseline");
	fuzz_write(in, data, size);
	vs_rule_baseline *b = vs_rule_baseline_new(), *b2 = vs_rule_baseline_new();
	vs_error err;
	vs_error_init(&err);
	if (b && b2 && vs_rule_baseline_load(b, in, &err) == 0 &&
	    vs_rule_baseline_write(b, out1, &err) == 0) {
		/* what vscheck wrote, vscheck reads back, and writes identically */
		if (vs_rule_baseline_load(b2, out1, &err) < 0 ||
		    vs_rule_baseline_write(b2, out2, &err) < 0)
			__builtin_trap();
		size_t n1, n2;
		char *t1 = slurp(out1, &n1), *t2 = slurp(out2, &n2);
		if (n1 != n2 || (n1 && memcmp(t1, t2, n1)))
			__builtin_trap();
		free(t1);
		free(t2);
	}
	vs_rule_baseline_free(b);
	vs_rule_baseline_free(b2);
	return 0;
}
