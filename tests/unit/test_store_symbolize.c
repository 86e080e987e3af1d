/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_store_symbolize.c - store/symbolize.c: return addresses of
 * this very binary resolved from its file on disk (function, file, line of
 * the call), a missing file and a build-id mismatch (module + offset only).
 */
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "store/stacks.h"
#include "store/symbolize.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"

/* each "line = __LINE__; call();" pair below must stay on one line */
/* clang-format off */
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

/* clang-format on */

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
/* clang-format off */
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

/* clang-format on */

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

/* A trace written by hand: process 1 has this binary as module 1 and a
 * two-frame stack (node 2: sym_caller's call of callee, node 1: a symbolic
 * frame at "m.yaml":7 in "main"); site 1 uses it.  Process 2 is a fork
 * child whose site 5 uses the inherited stack.  The writer symbolizes at
 * close; store/stacks.c reads the frames back. */
static int write_stack_trace(const char *path, uintptr_t bias, uintptr_t pc, int finish,
                             vs_error *err)
{
	vs_db_writer *w;
	uint32_t p1, p2;
	int ret;
	if ((ret = vs_db_writer_open(&w, path, 1, err)) < 0)
		return ret;
	const char *strs[] = {exe_path(), "m.yaml", "main", "t.c", "f"};
	if ((ret = vs_db_writer_process_begin(w, &p1, 100, 1, 0, 0, err)) < 0)
		goto fail;
	for (uint32_t i = 0; i < 5; i++)
		if ((ret = vs_db_writer_string(w, p1, i + 1, strs[i], (uint32_t)strlen(strs[i]),
		                               err)) < 0)
			goto fail;
	const vs_ev_payload ps[] = {
		{.site_def = {.site_id = 9, .file = 2, .line = 7, .function = 3}},
		{.module = {.module_id = 1,
	                    .path = 1,
	                    .bias_lo = (uint32_t)bias,
	                    .bias_hi = (uint32_t)((uint64_t)bias >> 32)}},
		{.stack = {.stack_id = 1, .site = 9}},
		{.stack = {.stack_id = 2,
	                   .caller = 1,
	                   .pc_lo = (uint32_t)pc,
	                   .pc_hi = (uint32_t)((uint64_t)pc >> 32),
	                   .module = 1}},
		{.site_def = {.site_id = 1, .file = 4, .line = 3, .function = 5, .stack = 2}},
	};
	const unsigned kinds[] = {VS_EV_SITE, VS_EV_MODULE, VS_EV_STACK, VS_EV_STACK, VS_EV_SITE};
	for (unsigned i = 0; i < 5; i++) {
		vs_event e = vs_test_ev(i + 1, 1, kinds[i], 0, 0, ps[i].p);
		if ((ret = vs_db_writer_event(w, p1, &e, err)) < 0)
			goto fail;
	}
	if ((ret = vs_db_writer_process_begin(w, &p2, 101, 100, p1, 5, err)) < 0)
		goto fail;
	const vs_ev_payload child = {
		.site_def = {.site_id = 5, .file = 4, .line = 4, .function = 5, .stack = 2}};
	vs_event e = vs_test_ev(1, 1, VS_EV_SITE, 0, 0, child.p);
	if ((ret = vs_db_writer_event(w, p2, &e, err)) < 0 ||
	    (ret = vs_db_writer_process_end(w, p1, 0, 0, 0, err)) < 0 ||
	    (ret = vs_db_writer_process_end(w, p2, 0, 0, 0, err)) < 0)
		goto fail;
	if (!finish) { /* the recorder dies after its last commit */
		if ((ret = vs_db_writer_commit(w, err)) < 0)
			goto fail;
		_exit(0);
	}
	return vs_db_writer_close(w, err);
fail:
	vs_db_writer_abort(w);
	return ret;
}

static void trace_stacks(int finish)
{
	struct self me = {0, ""};
	dl_iterate_phdr(self_one, &me);
	sym_caller();
	char *path = vs_test_tmp_path(".db");
	vs_error err;
	vs_error_init(&err);
	if (finish) {
		VS_ASSERT_INT(write_stack_trace(path, me.bias, g_ret, 1, &err), 0);
	} else { /* a trace whose recorder died: frames derived when read */
		pid_t pid = fork();
		CU_ASSERT_FATAL(pid >= 0);
		if (pid == 0)
			_exit(write_stack_trace(path, me.bias, g_ret, 0, &err) < 0 ? 1 : 0);
		int st = 0;
		waitpid(pid, &st, 0);
		VS_ASSERT_INT(WIFEXITED(st) && WEXITSTATUS(st) == 0, 1);
	}
	VS_ASSERT_STR(err.msg, "");
	vs_db_reader *r;
	vs_db_stacks *st;
	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
	VS_ASSERT_INT(vs_db_stacks_open(r, &st, &err), 0);
	for (uint32_t proc = 1; proc <= 2; proc++) {
		vs_db_frame f[8];
		uint32_t stack = 0;
		VS_ASSERT_INT(vs_db_stacks_site(st, proc, proc == 1 ? 1 : 5, &stack, f, 8, &err),
		              2);
		VS_ASSERT_INT(stack, 2);
		VS_ASSERT_STR(f[0].function, "sym_caller");
		VS_ASSERT_STR(f[0].file, "tests/unit/test_store_symbolize.c");
		VS_ASSERT_INT(f[0].line, g_call_line);
		VS_ASSERT_STR(f[0].module, exe_path());
		VS_ASSERT_INT(f[0].offset, g_ret - me.bias);
		VS_ASSERT_STR(f[1].function, "main"); /* the symbolic frame */
		VS_ASSERT_STR(f[1].file, "m.yaml");
		VS_ASSERT_INT(f[1].line, 7);
		VS_ASSERT_STR(f[1].module, NULL);
	}
	vs_db_frame f[1];
	uint32_t stack = 7;
	VS_ASSERT_INT(vs_db_stacks_site(st, 1, 9, &stack, f, 1, &err), 0); /* a site without */
	VS_ASSERT_INT(stack, 0);
	VS_ASSERT_INT(vs_db_stacks_get(st, 1, 2, f, 1, &err), 1);  /* max frames */
	VS_ASSERT_INT(vs_db_stacks_get(st, 1, 42, f, 1, &err), 0); /* unknown stack */
	vs_db_stacks_close(st);
	VS_ASSERT_INT(vs_db_reader_complete(r), finish);
	vs_db_reader_close(r);
	if (!finish) {
		vs_test_unlink_trace(path);
		free(path);
		return;
	}
	/* the public view */
	sqlite3 *db;
	VS_ASSERT_INT(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	VS_ASSERT_INT(sqlite3_prepare_v2(db,
	                                 "SELECT count(*), min(frame), max(frame) FROM stacks"
	                                 " WHERE proc = 2 AND stack = 2",
	                                 -1, &q, NULL),
	              SQLITE_OK);
	VS_ASSERT_INT(sqlite3_step(q), SQLITE_ROW);
	VS_ASSERT_INT(sqlite3_column_int(q, 0), 2);
	VS_ASSERT_INT(sqlite3_column_int(q, 2), 1);
	sqlite3_finalize(q);
	sqlite3_close(db);
	vs_test_unlink_trace(path);
	free(path);
}

static void test_trace_stacks(void) { trace_stacks(1); }

static void test_trace_stacks_incomplete(void) { trace_stacks(0); }

VS_SUITE_FN(store_symbolize)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_resolve_own_call),        VS_TEST(test_resolve_inlined),
		VS_TEST(test_unusable_module),         VS_TEST(test_trace_stacks),
		VS_TEST(test_trace_stacks_incomplete), VS_TEST_END,
	};
	vs_test_add_suite("store_symbolize", NULL, NULL, cases);
}
