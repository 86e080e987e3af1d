/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_store_symbolize.c - store/symbolize.c: return addresses of
 * this very binary resolved from its file on disk (function, file, line of
 * the call), a missing file and a build-id mismatch (module + offset only).
 */
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "store/symbolize.h"
#include "tests/unit/harness.h"

static uintptr_t g_ret;

__attribute__((noinline)) static void callee(void)
{
	g_ret = (uintptr_t)__builtin_return_address(0);
	__asm__ volatile("" ::: "memory");
}

static int g_call_line;

__attribute__((noinline)) static void sym_caller(void)
{
	g_call_line = __LINE__; callee();
	__asm__ volatile("" ::: "memory");
}

struct self {
	uintptr_t bias;
	char build_id[129];
};

static int self_one(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct self *s = arg;
	s->bias = info->dlpi_addr;
	return 1; /* the first entry is the main program */
}

static const char *exe_path(void)
{
	static char path[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", path, sizeof path - 1);
	path[k > 0 ? k : 0] = '\0';
	return path;
}

static void test_resolve_own_call(void)
{
	struct self me = {0, ""};
	dl_iterate_phdr(self_one, &me);
	sym_caller();
	vs_sym *s;
	vs_error err;
	vs_sym_frame f;
	VS_ASSERT_INT(vs_sym_new(&s, &err), 0);
	VS_ASSERT_INT(vs_sym_resolve(s, exe_path(), me.bias, NULL, g_ret, &f, 1, &err), 1);
	VS_ASSERT_STR(f.function, "sym_caller");
	/* as the compiler was given it (the Makefile compiles from the top) */
	VS_ASSERT_STR(f.file, "tests/unit/test_store_symbolize.c");
	VS_ASSERT_INT(f.line, g_call_line);
	VS_ASSERT_INT(f.offset, g_ret - me.bias);
	/* a second lookup comes from the cache, same texts */
	vs_sym_frame g;
	VS_ASSERT_INT(vs_sym_resolve(s, exe_path(), me.bias, NULL, g_ret, &g, 1, &err), 1);
	CU_ASSERT_PTR_EQUAL(g.function, f.function);
	VS_ASSERT_INT(g.line, f.line);
	vs_sym_free(s);
}

/* an inlined call: the helper's frame, then its caller's at the call line */
static int g_inl_line, g_outer_line;

static inline __attribute__((always_inline)) void inlined_helper(void)
{
	g_inl_line = __LINE__; callee();
}

__attribute__((noinline)) static void inl_outer(void)
{
	g_outer_line = __LINE__; inlined_helper();
	__asm__ volatile("" ::: "memory");
}

static void test_resolve_inlined(void)
{
	struct self me = {0, ""};
	dl_iterate_phdr(self_one, &me);
	inl_outer();
	vs_sym *s;
	vs_error err;
	vs_sym_frame f[4];
	VS_ASSERT_INT(vs_sym_new(&s, &err), 0);
	VS_ASSERT_INT(vs_sym_resolve(s, exe_path(), me.bias, NULL, g_ret, f, 4, &err), 2);
	VS_ASSERT_STR(f[0].function, "inlined_helper");
	VS_ASSERT_INT(f[0].line, g_inl_line);
	VS_ASSERT_STR(f[1].function, "inl_outer");
	VS_ASSERT_STR(f[1].file, "tests/unit/test_store_symbolize.c");
	VS_ASSERT_INT(f[1].line, g_outer_line);
	VS_ASSERT_INT(f[1].offset, f[0].offset);
	/* max 1: only the innermost */
	VS_ASSERT_INT(vs_sym_resolve(s, exe_path(), me.bias, NULL, g_ret, f, 1, &err), 1);
	VS_ASSERT_STR(f[0].function, "inlined_helper");
	vs_sym_free(s);
}

static void test_unusable_module(void)
{
	struct self me = {0, ""};
	dl_iterate_phdr(self_one, &me);
	sym_caller();
	vs_sym *s;
	vs_error err;
	vs_sym_frame f;
	VS_ASSERT_INT(vs_sym_new(&s, &err), 0);
	/* missing file: module + offset only */
	VS_ASSERT_INT(vs_sym_resolve(s, "/nonexistent/prog", 0x1000, NULL, 0x1234, &f, 1, &err), 1);
	VS_ASSERT_STR(f.function, NULL);
	VS_ASSERT_STR(f.file, NULL);
	VS_ASSERT_INT(f.line, 0);
	VS_ASSERT_INT(f.offset, 0x234);
	/* the file was rebuilt since the run: its symbols are not trusted */
	VS_ASSERT_INT(vs_sym_resolve(s, exe_path(), me.bias, "00112233", g_ret, &f, 1, &err), 1);
	VS_ASSERT_STR(f.function, NULL);
	VS_ASSERT_STR(f.file, NULL);
	VS_ASSERT_INT(f.offset, g_ret - me.bias);
	/* no path at all */
	VS_ASSERT_INT(vs_sym_resolve(s, "", 0, NULL, 0x42, &f, 1, &err), 1);
	VS_ASSERT_STR(f.function, NULL);
	VS_ASSERT_INT(f.offset, 0x42);
	vs_sym_free(s);
}

VS_SUITE_FN(store_symbolize)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_resolve_own_call),
		VS_TEST(test_resolve_inlined),
		VS_TEST(test_unusable_module),
		VS_TEST_END,
	};
	vs_test_add_suite("store_symbolize", NULL, NULL, cases);
}
