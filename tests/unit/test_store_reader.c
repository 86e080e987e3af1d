/* SPDX-License-Identifier: MIT */
/* tests for store/reader.c and store/findings.c: processes, strings across
 * forks, the event cursor (with lost markers), findings write-back */
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"

static vs_db_reader *open_fixture(char **path)
{
	vs_db_reader *r = NULL;
	vs_error err;
	vs_error_init(&err);
	*path = vs_test_tmp_path(".db");
	VS_ASSERT_INT(vs_test_store_fixture(*path, &err), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, *path, &err), 0);
	VS_ASSERT_STR(err.msg, "");
	return r;
}

static void done(vs_db_reader *r, char *path)
{
	vs_db_reader_close(r);
	unlink(path);
	free(path);
}

static void test_processes(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	vs_db_process p;
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_reader_process_count(r), 2);
	VS_ASSERT_INT(vs_db_reader_complete(r), 1);
	VS_ASSERT_STR(vs_db_reader_meta(r, "program"), "/usr/bin/prog");
	VS_ASSERT_STR(vs_db_reader_meta(r, "nope"), NULL);
	VS_ASSERT_STR(vs_db_reader_path(r), path);
	VS_ASSERT_INT(vs_db_reader_process(r, 0, &p, &err), 0);
	VS_ASSERT_INT(p.proc, 1);
	VS_ASSERT_INT(p.pid, 4242);
	VS_ASSERT_INT(p.ppid, 4000);
	VS_ASSERT_INT(p.parent_proc, 0);
	VS_ASSERT_INT(p.exit_code, 0);
	VS_ASSERT_INT(p.signal, 0);
	VS_ASSERT_INT(p.truncated, 0);
	VS_ASSERT_INT(p.lost, 3);
	VS_ASSERT_INT(vs_db_reader_process(r, 1, &p, &err), 0);
	VS_ASSERT_INT(p.proc, 2);
	VS_ASSERT_INT(p.pid, 4243);
	VS_ASSERT_INT(p.parent_proc, 1);
	VS_ASSERT_INT(p.fork_seq, 10);
	VS_ASSERT_INT(p.signal, 9);
	VS_ASSERT_INT(p.truncated, 1);
	VS_ASSERT_INT(p.lost, 0);
	VS_ASSERT_INT(vs_db_reader_process(r, 2, &p, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "no process 2");
	done(r, path);
}

static void test_strings_follow_fork_parent(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	VS_ASSERT_STR(vs_db_reader_string(r, 1, 3), "foo");
	VS_ASSERT_STR(vs_db_reader_string(r, 2, 3), "foo");        /* inherited */
	VS_ASSERT_STR(vs_db_reader_string(r, 2, 10), "child ten"); /* own wins */
	VS_ASSERT_STR(vs_db_reader_string(r, 1, 10), FIX_ERR_MSG);
	VS_ASSERT_STR(vs_db_reader_string(r, 1, 11), FIX_NAME_ODD);
	VS_ASSERT_STR(vs_db_reader_string(r, 1, 13), NULL); /* the child's only */
	VS_ASSERT_STR(vs_db_reader_string(r, 2, 13), "bar/");
	VS_ASSERT_STR(vs_db_reader_string(r, 1, 0), NULL);
	VS_ASSERT_STR(vs_db_reader_string(r, 3, 1), NULL);
	/* cached: the same pointer again */
	CU_ASSERT_PTR_EQUAL(vs_db_reader_string(r, 2, 3), vs_db_reader_string(r, 2, 3));
	done(r, path);
}

/* "seq:tid:KIND" for every event of proc up to max_seq */
static char *cursor_dump(vs_db_reader *r, uint32_t proc, uint64_t max_seq)
{
	static char buf[4096];
	vs_db_cursor *c = NULL;
	vs_event ev;
	size_t len = 0;
	int rc;
	buf[0] = '\0';
	VS_ASSERT_INT(vs_db_cursor_open(r, &c, proc, max_seq, NULL), 0);
	while ((rc = vs_db_cursor_next(c, &ev, NULL)) == 1 && len < sizeof buf - 64)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%llu:%u:%s", len ? " " : "",
		                        (unsigned long long)ev.seq, ev.tid, vs_ev_kind_name(ev.kind));
	VS_ASSERT_INT(rc, 0);
	vs_db_cursor_close(c);
	return buf;
}

static void test_cursor_order_and_lost(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	VS_ASSERT_STR(cursor_dump(r, 1, 0),
	              "1:1:PROCESS_START 2:1:THREAD_START 3:1:SITE 4:1:VARSCOPE_ENTER "
	              "5:1:GETVAR_ENTER 6:1:CREATOR_CALL 7:1:VAR_CREATE 8:1:CREATOR_RETURN "
	              "9:1:GETVAR_EXIT 10:1:VARSCOPE_EXIT 11:2:THREAD_START 12:2:GETVAR_ENTER "
	              "13:2:ERROR 14:2:GETVAR_EXIT 14:2:LOST 18:1:VAR_CREATE 19:2:THREAD_END "
	              "20:1:PROCESS_END");
	VS_ASSERT_STR(cursor_dump(r, 1, 12), "1:1:PROCESS_START 2:1:THREAD_START 3:1:SITE "
	                                     "4:1:VARSCOPE_ENTER 5:1:GETVAR_ENTER "
	                                     "6:1:CREATOR_CALL 7:1:VAR_CREATE "
	                                     "8:1:CREATOR_RETURN 9:1:GETVAR_EXIT "
	                                     "10:1:VARSCOPE_EXIT 11:2:THREAD_START "
	                                     "12:2:GETVAR_ENTER");
	VS_ASSERT_STR(cursor_dump(r, 2, 0),
	              "11:1:VARSCOPE_ENTER 12:1:NAME_SCOPE_ENTER 13:1:ERROR");
	done(r, path);
}

static void test_cursor_event_fields(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	vs_db_cursor *c = NULL;
	vs_event ev;
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_cursor_open(r, &c, 1, 0, &err), 0);
	do
		VS_ASSERT_INT(vs_db_cursor_next(c, &ev, &err), 1);
	while (ev.seq != 7);
	/* exactly what was written, including the absolute timestamp */
	VS_ASSERT_INT(ev.ts_ns, FIX_TS0 + 7000);
	VS_ASSERT_INT(ev.tid, 1);
	VS_ASSERT_INT(ev.kind, VS_EV_VAR_CREATE);
	VS_ASSERT_INT(ev.flags, VS_EVF_TRAINABLE | VS_EVF_RESOURCE);
	VS_ASSERT_INT(ev.site, 1);
	VS_ASSERT_INT(ev.graph, 1);
	VS_ASSERT_INT(ev.p[0], 1);
	VS_ASSERT_INT(ev.p[1], 5);
	VS_ASSERT_INT(ev.p[5], 7);
	VS_ASSERT_INT(ev.p[6], 1);
	VS_ASSERT_STR(vs_db_reader_string(r, 1, ev.p[1]), "foo/v:0");
	do
		VS_ASSERT_INT(vs_db_cursor_next(c, &ev, &err), 1);
	while (ev.kind != VS_EV_LOST);
	VS_ASSERT_INT(ev.seq, 14);
	VS_ASSERT_INT(ev.tid, 2);
	VS_ASSERT_INT(ev.ts_ns, FIX_TS0 + 14000);
	VS_ASSERT_INT(ev.p[0], 3);
	VS_ASSERT_INT(ev.p[1], 0);
	vs_db_cursor_close(c);
	VS_ASSERT_INT(vs_db_cursor_open(r, &c, 3, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "no process 3 in trace");
	CU_ASSERT_PTR_NULL(c);
	done(r, path);
}

static void test_sites_follow_fork_parent(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	const char *file = "x", *fn = "x";
	int line = -1;
	VS_ASSERT_INT(vs_db_reader_site(r, 1, 1, &file, &line, &fn), 0);
	VS_ASSERT_STR(file, "main.c");
	VS_ASSERT_INT(line, 10);
	VS_ASSERT_STR(fn, "main");
	VS_ASSERT_INT(vs_db_reader_site(r, 2, 1, &file, &line, &fn), 0); /* inherited */
	VS_ASSERT_STR(file, "main.c");
	VS_ASSERT_INT(vs_db_reader_site(r, 1, 2, &file, &line, &fn), VS_ERR_NOT_FOUND);
	VS_ASSERT_STR(file, NULL);
	VS_ASSERT_INT(line, 0);
	VS_ASSERT_STR(fn, NULL);
	VS_ASSERT_INT(vs_db_reader_site(r, 1, 0, NULL, NULL, NULL), VS_ERR_NOT_FOUND);
	done(r, path);
}

static void test_findings_write(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	vs_error err;
	char *rows;
	const vs_db_finding f[2] = {
		{"VS101", "reuse-missing", "error", FIX_ERR_MSG, "main.c", "main", "", 12, 1, 2, 14},
		{"VS205", "odd", "warning", FIX_NAME_ODD, NULL, NULL, "foo", 0, 2, 1, 11},
	};
	vs_error_init(&err);
	vs_db_reader_close(r);
	r = NULL;
	VS_ASSERT_INT(vs_db_findings_write(path, f, 2, &err), 0);
	VS_ASSERT_STR(err.msg, "");
	rows = vs_test_sql_rows(path, "SELECT code, name, severity, message, file, line, function,"
	                              " scope, proc, tid, seq FROM findings");
	VS_ASSERT_STR(rows, "VS101|reuse-missing|error|" FIX_ERR_MSG "|main.c|12|main||1|2|14\n"
	                    "VS205|odd|warning|" FIX_NAME_ODD "|-|0|-|foo|2|1|11");
	free(rows);
	/* a second write replaces the first */
	VS_ASSERT_INT(vs_db_findings_write(path, f + 1, 1, &err), 0);
	rows = vs_test_sql_rows(path, "SELECT code FROM findings");
	VS_ASSERT_STR(rows, "VS205");
	free(rows);
	VS_ASSERT_INT(vs_db_findings_write(path, NULL, 0, &err), 0);
	rows = vs_test_sql_rows(path, "SELECT count(*) FROM findings");
	VS_ASSERT_STR(rows, "0");
	free(rows);
	done(r, path);
}

static void test_findings_write_bad_target(void)
{
	char *path = vs_test_tmp_path(".txt");
	char want[700];
	vs_error err;
	FILE *f = fopen(path, "w");
	vs_error_init(&err);
	fputs("hello, not a database at all, but long enough to look like a header.......\n"
	      "................................................................................\n",
	      f);
	fclose(f);
	VS_ASSERT_INT(vs_db_findings_write(path, NULL, 0, &err), VS_ERR_FORMAT);
	snprintf(want, sizeof want, "'%s': file is not a database", path);
	VS_ASSERT_STR(err.msg, want);
	unlink(path);
	free(path);
}

VS_SUITE_FN(store_reader)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_processes),
		VS_TEST(test_strings_follow_fork_parent),
		VS_TEST(test_cursor_order_and_lost),
		VS_TEST(test_cursor_event_fields),
		VS_TEST(test_sites_follow_fork_parent),
		VS_TEST(test_findings_write),
		VS_TEST(test_findings_write_bad_target),
		VS_TEST_END};
	vs_test_add_suite("store_reader", NULL, NULL, cases);
}
