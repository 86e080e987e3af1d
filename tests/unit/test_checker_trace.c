/* SPDX-License-Identifier: MIT */
/*
 * tests for checker/check.c on trace files (store/db.h): a fork child is
 * replayed from its parent's state at the fork point (and not after it),
 * truncated and lossy processes set the status and VS001/VS002, findings
 * are written back into the trace, a foreign file is one clear error.
 */
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"
#include "tests/unit/checker_testutil.h"

enum { STORE = 100 }; /* a variable-store id */

static void put_events(vs_db_writer *w, uint32_t proc, const tb *b, size_t from, size_t to)
{
	vs_error err;
	for (size_t i = from; i < to; i++)
		VS_ASSERT_INT(vs_db_writer_event(w, proc, &b->ev[i], &err), 0);
}

/*
 * Parent (proc 1): creates m/w, forks after it (fork_seq), then creates
 * m/late.  Child (proc 2): reuses m/w (inherited: consistent), creates
 * m/late itself (the parent's m/late came after the fork: no conflict),
 * then creates m/w again (E1, the inherited variable), and is killed.
 */
static char *write_fork_trace(tb *parent, tb *child, uint64_t *fork_seq, size_t *at_fork_out)
{
	vs_error err;
	vs_db_writer *w = NULL;
	uint32_t p1 = 0, p2 = 0;
	char *path = vs_test_tmp_path(".db");

	tb_init(parent);
	tb_site(parent, 1, "train.py", 10, "build");
	tb_graph(parent, 1, VS_EVF_GLOBAL_DEFAULT);
	tb_getvar(parent, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	*fork_seq = parent->seq;
	size_t at_fork = parent->n;
	tb_getvar(parent, "late", "m/late", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 8, 0, NULL, 0);

	/* the child continues the parent's numbering and string table */
	*child = *parent;
	child->n = 0;
	child->seq = *fork_seq;
	tb_getvar(child, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_REUSED, 7, 0, NULL, 0);
	tb_getvar(child, "late", "m/late", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 9, 0, NULL, 0);
	tb_site(child, 2, "child.py", 5, "rebuild");
	tb_getvar(child, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_EXISTS,
	          "Variable m/w already exists, disallowed.", 0);

	VS_ASSERT_INT(vs_db_writer_open(&w, path, 1, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &p1, 4242, 1, 0, 0, &err), 0);
	for (uint32_t id = 1; id < parent->nstr; id++)
		VS_ASSERT_INT(vs_db_writer_string(w, p1, id, parent->str[id],
		                                  (uint32_t)strlen(parent->str[id]), &err),
		              0);
	put_events(w, p1, parent, 0, parent->n);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &p2, 4243, 4242, p1, *fork_seq, &err), 0);
	for (uint32_t id = parent->nstr; id < child->nstr; id++)
		VS_ASSERT_INT(vs_db_writer_string(w, p2, id, child->str[id],
		                                  (uint32_t)strlen(child->str[id]), &err),
		              0);
	put_events(w, p2, child, 0, child->n);
	VS_ASSERT_INT(vs_db_writer_process_end(w, p1, 0, 0, 0, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_end(w, p2, 0, 9, 1, &err), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, &err), 0);
	*at_fork_out = at_fork;
	return path;
}

static void test_fork_child_replay(void)
{
	tb parent, child;
	uint64_t fork_seq;
	size_t at_fork;
	vs_error err;
	unsigned status = 0;
	char *path = write_fork_trace(&parent, &child, &fork_seq, &at_fork);
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	VS_ASSERT_INT(vs_check_trace(c, path, &status, &err), 0);
	VS_ASSERT_INT(vs_check_finish(c, NULL), 0);
	VS_ASSERT_INT(status, VS_CHECK_TRUNCATED);
	VS_ASSERT_INT(vs_check_count(c), 2);
	const vs_check_finding *f = vs_check_at(c, 0);
	VS_ASSERT_INT(f->rule, VS_RULE_VARIABLE_EXISTS);
	VS_ASSERT_INT(f->proc, 2);
	VS_ASSERT_STR(f->file, "child.py");
	VS_ASSERT_INT(f->line, 5);
	VS_ASSERT_STR(f->message, "Variable m/w already exists, disallowed.");
	VS_ASSERT_STR(f->trace, path);
	f = vs_check_at(c, 1);
	VS_ASSERT_INT(f->rule, VS_RULE_TRACE_TRUNCATED);
	VS_ASSERT_STR(f->message,
	              "process 2 (pid 4243) was killed by signal 9: the trace ends mid-run");
	VS_ASSERT_STR(f->file, path);
	VS_ASSERT_INT(f->line, 0);
	vs_check_summary s;
	vs_check_summary_get(c, &s);
	VS_ASSERT_INT(s.processes, 2);
	/* events replayed: the parent, the parent's prefix again for the child,
	 * the child */
	VS_ASSERT_INT(s.events, parent.n + at_fork + child.n);

	/* write-back: the findings table of the trace */
	VS_ASSERT_INT(vs_check_write_findings(c, path, &err), 0);
	vs_check_free(c);
	vs_rule_set_free(rs);
	unlink(path);
	free(path);
}

static void test_bad_traces(void)
{
	vs_error err;
	unsigned status = 0;
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	char *path = vs_test_tmp_path(".db");
	FILE *f = fopen(path, "w");
	fputs("not sqlite\n", f);
	fclose(f);
	CU_ASSERT(vs_check_trace(c, path, &status, &err) < 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	CU_ASSERT(vs_check_trace(c, "/nonexistent/x.db", &status, &err) < 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent/x.db"));
	VS_ASSERT_INT(vs_check_count(c), 0);
	vs_check_free(c);
	vs_rule_set_free(rs);
	unlink(path);
	free(path);
}

/* lost events recorded by the transport: VS001 and the lossy status */
static void test_lossy_trace(void)
{
	vs_error err;
	vs_db_writer *w = NULL;
	uint32_t p1 = 0;
	unsigned status = 0;
	tb b;
	char *path = vs_test_tmp_path(".db");
	tb_init(&b);
	tb_site(&b, 1, "train.py", 10, "build");
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 1, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &p1, 10, 1, 0, 0, &err), 0);
	for (uint32_t id = 1; id < b.nstr; id++)
		VS_ASSERT_INT(vs_db_writer_string(w, p1, id, b.str[id], (uint32_t)strlen(b.str[id]),
		                                  &err),
		              0);
	put_events(w, p1, &b, 0, 2);
	VS_ASSERT_INT(vs_db_writer_lost(w, p1, 1, 4, 2, &err), 0);
	put_events(w, p1, &b, 2, b.n);
	VS_ASSERT_INT(vs_db_writer_process_end(w, p1, 0, 0, 0, &err), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, &err), 0);

	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	VS_ASSERT_INT(vs_check_trace(c, path, &status, &err), 0);
	VS_ASSERT_INT(vs_check_finish(c, NULL), 0);
	VS_ASSERT_INT(status, VS_CHECK_LOSSY);
	VS_ASSERT_INT(vs_check_count(c), 1);
	VS_ASSERT_INT(vs_check_at(c, 0)->rule, VS_RULE_TRACE_LOSSY);
	VS_ASSERT_STR(vs_check_at(c, 0)->message,
	              "4 events lost after event #2: later findings may be wrong");
	vs_check_free(c);
	vs_rule_set_free(rs);
	unlink(path);
	free(path);
}

VS_SUITE_FN(checker_trace)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_fork_child_replay),
		VS_TEST(test_bad_traces),
		VS_TEST(test_lossy_trace),
		VS_TEST_END};
	vs_test_add_suite("checker_trace", NULL, NULL, cases);
}
