/* SPDX-License-Identifier: MIT */
/*
 * tests for store APIs the other store suites reach only through the
 * commands (or not at all): the `vstrace info` summary (vs_db_info_print)
 * of the shared fixture, complete and killed; the progress line's
 * start/stop contract; the kind table's name/outcome payload slots (they
 * must agree with include/vs/event.h); and the argument and file-type
 * error paths of vs_db_reader_open / vs_db_writer_open, the writer's,
 * reader's, show's, query's and findings' argument checks, and a failing
 * vs_recorder_start_self.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/recorder.h"
#include "store/report.h"
#include "store/schema.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"
#include "vs/sink.h"

/* vs_db_info_print of path into a string (caller frees); *rc its result */
static char *info_of(const char *path, int *rc)
{
	vs_db_reader *r = NULL;
	vs_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
	*rc = r ? vs_db_info_print(r, f, &err) : -1;
	fclose(f);
	vs_db_reader_close(r);
	return buf;
}

/* the summary of the fixture after the "trace" and "status" lines */
#define INFO_REST(LOST)                                                        \
	"format      3\n"                                                     \
	"program     /usr/bin/prog\n"                                         \
	"command     prog --flag 'x y'\n"                                     \
	"started     2023-11-14T22:13:20Z\n"                                  \
	"duration    0.000019 s\n"                                            \
	"exit        0\n"                                                     \
	"processes   2\n"                                                     \
	"  proc 1: pid 4242, exit 0, 17 events, 3 lost\n"                     \
	"  proc 2: pid 4243, fork of proc 1 after seq 10, killed by signal 9 (Killed), " \
	"truncated, 3 events\n"                                               \
	"threads     3\n"                                                     \
	"variables   2\n"                                                     \
	"errors      2\n"                                                     \
	LOST                                                                  \
	"events      20\n"                                                    \
	"  SITE                  1\n"                                         \
	"  PROCESS_START         1\n"                                         \
	"  PROCESS_END           1\n"                                         \
	"  THREAD_START          2\n"                                         \
	"  THREAD_END            1\n"                                         \
	"  NAME_SCOPE_ENTER      1\n"                                         \
	"  VARSCOPE_ENTER        2\n"                                         \
	"  VARSCOPE_EXIT         1\n"                                         \
	"  CREATOR_CALL          1\n"                                         \
	"  CREATOR_RETURN        1\n"                                         \
	"  GETVAR_ENTER          2\n"                                         \
	"  GETVAR_EXIT           2\n"                                         \
	"  VAR_CREATE            2\n"                                         \
	"  ERROR                 2\n"

static void test_info_print(void)
{
	char *path = vs_test_tmp_path(".db");
	char want[2048];
	int rc = -1;
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	char *out = info_of(path, &rc);
	VS_ASSERT_INT(rc, 0);
	snprintf(want, sizeof want, "trace       %s\nstatus      complete\n" INFO_REST("lost        3 events\n"), path);
	VS_ASSERT_STR(out, want);
	free(out);
	vs_test_unlink_trace(path);
	free(path);
}

/* the killed recording: same content (last commit), flagged incomplete */
static void test_info_print_incomplete(void)
{
	char *path = vs_test_tmp_path(".db");
	char want[2048];
	int rc = -1;
	VS_ASSERT_INT(vs_test_store_fixture_killed(path), 0);
	char *out = info_of(path, &rc);
	VS_ASSERT_INT(rc, 0);
	snprintf(want, sizeof want,
	         "trace       %s\nstatus      incomplete (the recorder did not finish the trace)\n"
	         INFO_REST("lost        unknown (the recording stopped early; 3 events known lost)\n"),
	         path);
	VS_ASSERT_STR(out, want);
	free(out);
	vs_test_unlink_trace(path);
	free(path);
}

/* the counts both summaries print, read once (store/info.c): the fixture
 * has 20 events 1000 ns apart (seq 1..20), threads 1 and 2 of proc 1 and
 * thread 1 of proc 2, two VAR_CREATE and two ERROR events */
static void test_info_counts(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_reader *r = NULL;
	vs_db_info_counts c;
	vs_db_process p;
	int64_t ev = -1;
	int ended = -1;
	vs_error err;
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
	VS_ASSERT_INT(vs_db_info_counts_get(r, &c, &err), 0);
	VS_ASSERT_INT(c.events, 20);
	VS_ASSERT_INT(c.duration_ns, 19000);
	VS_ASSERT_INT(c.threads, 3);
	VS_ASSERT_INT(c.variables, 2);
	VS_ASSERT_INT(c.errors, 2);
	VS_ASSERT_INT(vs_db_info_process(r, 0, &p, &ev, &ended, &err), 0);
	VS_ASSERT_INT(p.pid, 4242);
	VS_ASSERT_INT(ev, 17);
	VS_ASSERT_INT(ended, 1);
	VS_ASSERT_INT(vs_db_info_process(r, 1, &p, &ev, &ended, &err), 0);
	VS_ASSERT_INT(p.pid, 4243);
	VS_ASSERT_INT(p.signal, 9);
	VS_ASSERT_INT(ev, 3);
	VS_ASSERT_INT(ended, 1);
	VS_ASSERT_INT(vs_db_info_process(r, 2, &p, &ev, &ended, &err), VS_ERR_INVALID);
	vs_db_reader_close(r);
	vs_test_unlink_trace(path);
	free(path);
}

static void test_progress_contract(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_reader *r = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *tty = open_memstream(&buf, &len);
	vs_error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(tty);
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
	CU_ASSERT_PTR_NULL(vs_db_progress_start(NULL, tty, "x"));
	vs_db_progress_stop(NULL);
	VS_ASSERT_INT(vs_db_progress_expired(NULL), 0);
	/* without a tty: no line, but the time limit holds; a query that would
	 * never end stops with SQLite's "interrupted" */
	vs_db_progress *lim = vs_db_progress_start(r, NULL, "x");
	CU_ASSERT_PTR_NOT_NULL_FATAL(lim);
	vs_db_progress_limit(lim, 0.2);
	FILE *sink = fopen("/dev/null", "w");
	VS_ASSERT_INT(vs_db_query_run(r, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
	                                 "FROM c) SELECT count(*) FROM c",
	                              VS_DB_OUT_CSV, sink, &err),
	              VS_ERR_USAGE);
	char want[600];
	snprintf(want, sizeof want, "'%s': query: interrupted", path);
	VS_ASSERT_STR(err.msg, want);
	VS_ASSERT_INT(vs_db_progress_expired(lim), 1);
	vs_db_progress_stop(lim);
	/* no limit (0): a quick query runs and nothing expires */
	lim = vs_db_progress_start(r, NULL, "x");
	vs_db_progress_limit(lim, 0);
	VS_ASSERT_INT(vs_db_query_run(r, "SELECT 1", VS_DB_OUT_CSV, sink, &err), 0);
	VS_ASSERT_INT(vs_db_progress_expired(lim), 0);
	vs_db_progress_stop(lim);
	fclose(sink);
	vs_db_progress *p = vs_db_progress_start(r, tty, NULL);
	CU_ASSERT_PTR_NOT_NULL(p);
	vs_db_progress_stop(p);
	/* after stop, the connection works without the handler */
	char out[256] = "";
	FILE *f = fmemopen(out, sizeof out, "w");
	VS_ASSERT_INT(vs_db_query_run(r, "SELECT count(*) AS n FROM procs", VS_DB_OUT_CSV, f, &err),
	              0);
	fclose(f);
	VS_ASSERT_STR(out, "n\n2\n");
	fclose(tty);
	free(buf);
	vs_db_reader_close(r);
	vs_test_unlink_trace(path);
	free(path);
}

/* name/outcome slots follow the payload layout of include/vs/event.h */
static void test_kind_slots(void)
{
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_SITE), 1);             /* file */
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_VARSCOPE_ENTER), 1);   /* full name */
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_OP_CREATE), 0);        /* op name */
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_GETVAR_ENTER), 1);     /* store key */
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_GETTER_RETURN), 3);    /* store key */
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_ERROR), 1);            /* message */
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_VARIABLE_EXIT), -1);
	VS_ASSERT_INT(vs_db_kind_name_slot(VS_EV_LOST), -1);
	VS_ASSERT_INT(vs_db_kind_outcome_slot(VS_EV_GETVAR_EXIT), 3);
	VS_ASSERT_INT(vs_db_kind_outcome_slot(VS_EV_VARIABLE_EXIT), 3);
	VS_ASSERT_INT(vs_db_kind_outcome_slot(VS_EV_TEMPLATE_CALL_EXIT), 3);
	VS_ASSERT_INT(vs_db_kind_outcome_slot(VS_EV_CREATOR_RETURN), 6);
	VS_ASSERT_INT(vs_db_kind_outcome_slot(VS_EV_GETTER_RETURN), 6);
	VS_ASSERT_INT(vs_db_kind_outcome_slot(VS_EV_GETVAR_ENTER), -1);
	/* unknown kinds */
	VS_ASSERT_INT(vs_db_kind_name_slot(9999), -1);
	VS_ASSERT_INT(vs_db_kind_outcome_slot(9999), -1);
	CU_ASSERT_PTR_NULL(vs_db_kind_name(9999));
	VS_ASSERT_INT(vs_db_kind_from_name("getvar_exit"), VS_EV_GETVAR_EXIT);
	VS_ASSERT_INT(vs_db_kind_from_name("NOPE"), -1);
}

static void test_open_bad_paths(void)
{
	vs_db_reader *r = (vs_db_reader *)&r;
	vs_db_writer *w = (vs_db_writer *)&w;
	vs_error err;
	char want[512];
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_reader_open(&r, NULL, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_reader_open: NULL path");
	CU_ASSERT_PTR_NULL(r);
	VS_ASSERT_INT(vs_db_writer_open(&w, "", 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "empty trace path");
	CU_ASSERT_PTR_NULL(w);
	w = (vs_db_writer *)&w;
	VS_ASSERT_INT(vs_db_writer_open(&w, NULL, 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "empty trace path");
	CU_ASSERT_PTR_NULL(w);

	/* a directory is neither read nor replaced */
	char *dir = vs_test_tmp_path(".d");
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	r = (vs_db_reader *)&r;
	VS_ASSERT_INT(vs_db_reader_open(&r, dir, &err), VS_ERR_FORMAT);
	snprintf(want, sizeof want, "'%s': not a regular file", dir);
	VS_ASSERT_STR(err.msg, want);
	CU_ASSERT_PTR_NULL(r);
	VS_ASSERT_INT(vs_db_writer_open(&w, dir, 1, &err), VS_ERR_IO);
	VS_ASSERT_STR(err.msg, want);
	CU_ASSERT_PTR_NULL(w);
	VS_ASSERT_INT(vs_db_writer_open(&w, dir, 0, &err), VS_ERR_IO);
	snprintf(want, sizeof want, "'%s': file exists", dir);
	VS_ASSERT_STR(err.msg, want);

	/* a trace in a directory that does not exist */
	VS_ASSERT_INT(vs_db_writer_open(&w, "/nonexistent-dir/t.db", 1, &err), VS_ERR_IO);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent-dir/t.db': cannot create trace: unable to open database file");
	CU_ASSERT_PTR_NULL(w);
	VS_ASSERT_INT(rmdir(dir), 0);
	free(dir);
}

/* the writer's and reader's argument checks: each a VS_ERR_INVALID with a
 * message naming what is wrong, and the trace stays usable afterwards */
static void test_writer_reader_arguments(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_writer *w = NULL;
	vs_db_reader *r = NULL;
	vs_db_cursor *cur = (vs_db_cursor *)&cur;
	vs_error err;
	uint32_t p1 = 0, p2 = 0;
	const uint32_t none[8] = {0};
	vs_event ev = vs_test_ev(1, 1, VS_EV_THREAD_START, 0, 0, none);
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_writer_commit(NULL, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_writer_commit: NULL writer");
	VS_ASSERT_INT(vs_db_writer_close(NULL, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_writer_close: NULL writer");
	vs_db_writer_abort(NULL);
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 1, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, NULL, 1, 0, 0, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_writer_process_begin: NULL argument");
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &p1, 1, 0, 1, 5, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown parent process 1");
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &p1, 100, 1, 0, 0, &err), 0);
	VS_ASSERT_INT(p1, 1);
	VS_ASSERT_INT(vs_db_writer_process_end(w, 0, 0, 0, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 0");
	VS_ASSERT_INT(vs_db_writer_process_end(w, 2, 0, 0, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 2");
	VS_ASSERT_INT(vs_db_writer_string(w, 2, 1, "x", 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 2");
	VS_ASSERT_INT(vs_db_writer_string(w, 1, 0, "x", 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "invalid string id 0");
	VS_ASSERT_INT(vs_db_writer_string(w, 1, 3, NULL, 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "invalid string id 3");
	VS_ASSERT_INT(vs_db_writer_event(w, 2, &ev, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 2");
	VS_ASSERT_INT(vs_db_writer_event(w, 1, NULL, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "no writer or no event");
	ev.seq = 0;
	VS_ASSERT_INT(vs_db_writer_event(w, 1, &ev, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "event seq 0 out of range");
	VS_ASSERT_INT(vs_db_writer_lost(w, 0, 1, 1, 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 0");
	/* still a working writer: a child of proc 1, an event, an explicit commit */
	ev.seq = 1;
	VS_ASSERT_INT(vs_db_writer_event(w, 1, &ev, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &p2, 101, 100, p1, 1, &err), 0);
	VS_ASSERT_INT(p2, 2);
	VS_ASSERT_INT(vs_db_writer_commit(w, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_end(w, 1, 3, 0, 0, &err), 0);
	VS_ASSERT_INT(vs_db_writer_process_end(w, 2, 0, 0, 0, &err), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, &err), 0);

	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
	VS_ASSERT_INT(vs_db_reader_process_count(r), 2);
	VS_ASSERT_INT(vs_db_cursor_open(r, &cur, 0, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "no process 0 in trace");
	CU_ASSERT_PTR_NULL(cur);
	VS_ASSERT_INT(vs_db_cursor_open(r, &cur, 3, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "no process 3 in trace");
	VS_ASSERT_INT(vs_db_cursor_open(NULL, &cur, 1, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "no process 1 in trace");
	VS_ASSERT_INT(vs_db_cursor_next(NULL, &ev, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_cursor_next: NULL argument");
	vs_db_cursor_close(NULL);
	CU_ASSERT_PTR_NULL(vs_db_reader_meta(r, NULL));
	CU_ASSERT_PTR_NULL(vs_db_reader_meta(NULL, "complete"));
	VS_ASSERT_STR(vs_db_reader_meta(r, "complete"), "1");
	CU_ASSERT_PTR_NULL(vs_db_reader_meta(r, "no-such-key"));
	CU_ASSERT_PTR_NULL(vs_db_reader_string(r, 1, 0));
	CU_ASSERT_PTR_NULL(vs_db_reader_string(r, 0, 1));
	CU_ASSERT_PTR_NULL(vs_db_reader_string(r, 3, 1));
	CU_ASSERT_PTR_NULL(vs_db_reader_string(NULL, 1, 1));
	vs_db_reader_close(r);
	vs_test_unlink_trace(path);
	free(path);
}

/* show/query/findings argument errors, and the edge cases they accept */
static void test_report_arguments(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_reader *r = NULL;
	vs_error err;
	char want[512], out[8192];
	FILE *f;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);

	f = fmemopen(out, sizeof out, "w");
	VS_ASSERT_INT(vs_db_show_print(r, &(vs_db_show_opts){.proc = 3, .kind = -1}, f, &err),
	              VS_ERR_NOT_FOUND);
	snprintf(want, sizeof want, "'%s': no process 3 in trace", path);
	VS_ASSERT_STR(err.msg, want);
	fclose(f);
	/* NULL options: everything but SITE events, both processes */
	memset(out, 0, sizeof out);
	f = fmemopen(out, sizeof out, "w");
	VS_ASSERT_INT(vs_db_show_print(r, NULL, f, &err), 0);
	fclose(f);
	VS_ASSERT_INT(strncmp(out, "# proc 1: pid 4242 (/usr/bin/prog)\n", 35), 0);
	CU_ASSERT_PTR_NOT_NULL(
	        strstr(out, "\n\n# proc 2: pid 4243, fork of proc 1 after seq 10\n"));

	f = fmemopen(out, sizeof out, "w");
	VS_ASSERT_INT(vs_db_query_run(r, NULL, VS_DB_OUT_CSV, f, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_query_run: NULL argument");
	fclose(f);
	/* comments and blank statements print nothing */
	memset(out, 0, sizeof out);
	f = fmemopen(out, sizeof out, "w");
	VS_ASSERT_INT(vs_db_query_run(r, "  -- nothing\n ; ;", VS_DB_OUT_CSV, f, &err), 0);
	fclose(f);
	VS_ASSERT_STR(out, "");
	vs_db_reader_close(r);

	VS_ASSERT_INT(vs_db_findings_write(NULL, NULL, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_findings_write: NULL argument");
	VS_ASSERT_INT(vs_db_findings_write(path, NULL, 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "vs_db_findings_write: NULL argument");
	VS_ASSERT_INT(vs_db_findings_write("/nonexistent-dir/t.db", NULL, 0, &err),
	              VS_ERR_NOT_FOUND);
	VS_ASSERT_STR(err.msg, "'/nonexistent-dir/t.db': no such file");
	/* zero findings: the table is emptied */
	const vs_db_finding one = {"VS101", "create-in-reuse-scope", "error", "m", "a.py", "f", "s",
	                           3, 1, 1, 5, 0};
	VS_ASSERT_INT(vs_db_findings_write(path, &one, 1, &err), 0);
	char *rows = vs_test_sql_rows(path, "SELECT code, line, seq FROM finding_tab");
	VS_ASSERT_STR(rows, "VS101|3|5");
	free(rows);
	VS_ASSERT_INT(vs_db_findings_write(path, NULL, 0, &err), 0);
	rows = vs_test_sql_rows(path, "SELECT count(*) FROM finding_tab");
	VS_ASSERT_STR(rows, "0");
	free(rows);
	vs_test_unlink_trace(path);
	free(path);
}

/* the in-process recorder cannot create its trace: one error, no sink left
 * attached, no recorder returned */
static void test_recorder_start_self_fails(void)
{
	vs_recorder *rec = (vs_recorder *)&rec;
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_recorder_start_self(&rec, "/nonexistent-dir/t.db", &err), VS_ERR_IO);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent-dir/t.db': cannot create trace: No such file or directory");
	CU_ASSERT_PTR_NULL(rec);
	VS_ASSERT_INT(vs_trace_enabled(), 0);
}

VS_SUITE_FN(store_api)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_info_print),
		VS_TEST(test_info_print_incomplete),
		VS_TEST(test_info_counts),
		VS_TEST(test_progress_contract),
		VS_TEST(test_kind_slots),
		VS_TEST(test_open_bad_paths),
		VS_TEST(test_writer_reader_arguments),
		VS_TEST(test_report_arguments),
		VS_TEST(test_recorder_start_self_fails),
		VS_TEST_END};
	vs_test_add_suite("store_api", NULL, NULL, cases);
}
