/* SPDX-License-Identifier: MIT */
/*
 * tests for checker/inline.c: "vscheck: ignore RULES -- reason" comments
 * in C and YAML files, matched at their line and the line below, reasons
 * required, unknown rules flagged, use counts, and files that cannot be
 * read; and their effect through vs_check (suppressed, VS004 when unused);
 * and vs_check_set_progress (the progress lines of vscheck).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "checker/inline.h"
#include "tests/unit/checker_testutil.h"

static char *write_tmp(const char *ext, const char *text)
{
	char *path = vs_test_tmp_path(ext);
	FILE *f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_inline_parse_and_match(void)
{
	char *c = write_tmp(".c", "int a; /* vscheck: ignore VS102 -- E1 wanted */\n"    /* 1 */
	                          "// vscheck: ignore VS111,root-reuse-variables -- both\n" /* 2 */
	                          "int b;\n"                                                 /* 3 */
	                          "int c; // vscheck: ignore VS113\n"                        /* 4 */
	                          "int d; // vscheck: ignore VS999 -- no rule\n"             /* 5 */
	                          "char *s = \"vscheck: ignore VS101 -- not a comment\";\n"  /* 6 */
	                          "\n\n"
	                          "# vscheck: ignore VS2 -- a prefix\n");                    /* 9 */
	int nomem = 0;
	vs_inline *in = vs_inline_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	const vs_inline_supp *s = vs_inline_match(in, VS_RULE_VARIABLE_EXISTS, c, 1, &nomem);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	VS_ASSERT_INT(s->line, 1);
	VS_ASSERT_STR(s->reason, "E1 wanted");
	VS_ASSERT_STR(s->rules, "VS102");
	/* the line below the comment too, not two lines below */
	CU_ASSERT_PTR_NOT_NULL(vs_inline_match(in, VS_RULE_VARIABLE_EXISTS, c, 2, &nomem));
	CU_ASSERT_PTR_NULL(vs_inline_match(in, VS_RULE_VARIABLE_EXISTS, c, 3, &nomem));
	/* other rules are not silenced; names and lists work */
	CU_ASSERT_PTR_NULL(vs_inline_match(in, VS_RULE_SHAPE_MISMATCH, c, 1, &nomem));
	CU_ASSERT_PTR_NOT_NULL(vs_inline_match(in, VS_RULE_ROOT_REUSE_VARIABLES, c, 3, &nomem));
	CU_ASSERT_PTR_NOT_NULL(vs_inline_match(in, VS_RULE_OP_SCOPE_DIVERGES, c, 2, &nomem));
	/* no reason, no such rule, not in a comment: nothing */
	CU_ASSERT_PTR_NULL(vs_inline_match(in, VS_RULE_MODEL_BUILT_TWICE, c, 4, &nomem));
	CU_ASSERT_PTR_NULL(vs_inline_match(in, VS_RULE_CREATE_IN_REUSE_SCOPE, c, 6, &nomem));
	/* a prefix in a YAML-style comment */
	CU_ASSERT_PTR_NOT_NULL(vs_inline_match(in, VS_RULE_TEMPLATE_LATE_VARIABLE, c, 9, &nomem));
	CU_ASSERT_PTR_NULL(vs_inline_match(in, VS_RULE_VARIABLE_EXISTS, c, 9, &nomem));
	/* unknown line or file */
	CU_ASSERT_PTR_NULL(vs_inline_match(in, VS_RULE_VARIABLE_EXISTS, c, 0, &nomem));
	CU_ASSERT_PTR_NULL(vs_inline_match(in, VS_RULE_VARIABLE_EXISTS, "/nonexistent.c", 1, &nomem));
	VS_ASSERT_INT(nomem, 0);

	VS_ASSERT_INT(vs_inline_load_all(in), 0);
	VS_ASSERT_INT(vs_inline_count(in), 5);
	static const int lines[] = {1, 2, 4, 5, 9};
	static const unsigned long used[] = {2, 2, 0, 0, 1};
	static const int bad[] = {0, 0, 0, 1, 0};
	for (size_t i = 0; i < 5; i++) {
		s = vs_inline_at(in, i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		VS_ASSERT_INT(s->line, lines[i]);
		VS_ASSERT_INT(s->used, used[i]);
		VS_ASSERT_INT(s->bad_rule, bad[i]);
	}
	VS_ASSERT_STR(vs_inline_at(in, 2)->reason, "");
	CU_ASSERT_PTR_NULL(vs_inline_at(in, 5));
	vs_inline_free(in);
	unlink(c);
	free(c);
}

/* a file met only as a call site is read by vs_inline_load_all */
static void test_inline_noted_files(void)
{
	char *y = write_tmp(".yaml", "steps: []  # vscheck: ignore VS111 -- unused\n");
	vs_inline *in = vs_inline_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	VS_ASSERT_INT(vs_inline_note_file(in, y), 0);
	VS_ASSERT_INT(vs_inline_note_file(in, y), 0);
	VS_ASSERT_INT(vs_inline_note_file(in, ""), 0);
	VS_ASSERT_INT(vs_inline_note_file(in, "/nonexistent.yaml"), 0);
	VS_ASSERT_INT(vs_inline_count(in), 0);
	VS_ASSERT_INT(vs_inline_load_all(in), 0);
	VS_ASSERT_INT(vs_inline_count(in), 1);
	VS_ASSERT_STR(vs_inline_at(in, 0)->file, y);
	VS_ASSERT_INT(vs_inline_at(in, 0)->used, 0);
	vs_inline_free(in);
	unlink(y);
	free(y);
}

/* through the checker: a silenced finding (the model built twice) counts as suppressed; an unused
 * comment is VS004 at its line */
static void test_inline_through_check(void)
{
	char *c = write_tmp(".c", "x; // vscheck: ignore VS113 -- wanted\n"
	                          "y;\n"
	                          "z; // vscheck: ignore VS103 -- stale\n");
	tb b;
	tb_init(&b);
	tb_site(&b, 1, c, 1, "main");
	tb_graph(&b, 1, VS_EVF_GLOBAL_DEFAULT);
	tb_getvar(&b, "w", "w", VS_REUSE_FALSE, 100, VS_OUT_CREATED, 1, 0, NULL, 0);
	tb_getvar(&b, "w", "w", VS_REUSE_FALSE, 100, VS_OUT_ERROR, 0, VS_TFE_VAR_EXISTS,
	          "Variable w already exists, disallowed.", 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_MODEL_BUILT_TWICE), 0);
	const vs_check_finding *f = tb_find(&r, VS_RULE_UNUSED_SUPPRESSION);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_STR(f->file, c);
	VS_ASSERT_INT(f->line, 3);
	VS_ASSERT_STR(f->message, "inline suppression of VS103 (stale) silenced nothing: delete it");
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	vs_check_summary sum;
	vs_check_summary_get(r.c, &sum);
	VS_ASSERT_INT(sum.suppressed, 1);
	tb_done(&r);
	unlink(c);
	free(c);
}

/* the progress callback: every N events, with the running total */
static uint64_t progress_seen[8];
static size_t n_progress;

static void on_progress(void *ctx, const char *trace, uint64_t events)
{
	VS_ASSERT_STR((const char *)ctx, "ctx");
	VS_ASSERT_STR(trace, "test");
	if (n_progress < 8)
		progress_seen[n_progress] = events;
	n_progress++;
}

static void test_check_progress(void)
{
	tb b;
	vs_error err;
	char ctx[] = "ctx";
	tb_init(&b);
	for (int i = 0; i < 7; i++)
		tb_site(&b, (uint32_t)i + 1, "m.c", (uint32_t)i + 1, "main");
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	vs_check_set_progress(c, on_progress, ctx, 3);
	VS_ASSERT_INT(vs_check_events(c, "test", b.ev, b.n, tb_resolve, &b, &err), 0);
	VS_ASSERT_INT(n_progress, 2);
	VS_ASSERT_INT(progress_seen[0], 3);
	VS_ASSERT_INT(progress_seen[1], 6);
	vs_check_set_progress(c, NULL, NULL, 0); /* off */
	VS_ASSERT_INT(vs_check_events(c, "test2", b.ev, b.n, tb_resolve, &b, &err), 0);
	VS_ASSERT_INT(n_progress, 2);
	vs_check_free(c);
	vs_rule_set_free(rs);
}

VS_SUITE_FN(checker_inline)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_inline_parse_and_match),
		VS_TEST(test_inline_noted_files),
		VS_TEST(test_inline_through_check),
		VS_TEST(test_check_progress),
		VS_TEST_END};
	vs_test_add_suite("checker_inline", NULL, NULL, cases);
}
