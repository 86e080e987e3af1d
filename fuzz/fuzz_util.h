/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_util.h - what the libFuzzer targets (fuzz/fuzz_*.c) share: a
 * private scratch directory, and writing an input to a file there for the
 * loaders that read paths.  Built only by `make fuzz` (fuzz/run.sh).
 */
#ifndef VS_FUZZ_UTIL_H
#define VS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the scratch directory of this fuzzer process (created once, never
 * removed while fuzzing: each input overwrites the same few files) */
static const char *fuzz_dir(void)
{
	static char dir[256];
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/vsfuzz.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* dir/name, in a static buffer per name slot (0..3) */
static const char *fuzz_path(int slot, const char *name)
{
	static char paths[4][320];
	snprintf(paths[slot], sizeof paths[slot], "%s/%s", fuzz_dir(), name);
	return paths[slot];
}

/* writes data to path (replacing it); aborts when the disk fails, which is
 * the harness's problem, not the target's */
static void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
}

#endif /* VS_FUZZ_UTIL_H */
