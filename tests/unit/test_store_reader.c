/* SPDX-License-Identifier: MIT */
/* tests for store/reader.c and store/findings.c: processes, strings across
 * forks, the event cursor (with lost markers), findings write-back */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		{"VS101", "reuse-missing", "error", FIX_ERR_MSG, "main.c", "main", "", 12, 1, 2, 14, 7},
		{"VS205", "odd", "warning", FIX_NAME_ODD, NULL, NULL, "foo", 0, 2, 1, 11, 0},
	};
	vs_error_init(&err);
	vs_db_reader_close(r);
	r = NULL;
	VS_ASSERT_INT(vs_db_findings_write(path, f, 2, &err), 0);
	VS_ASSERT_STR(err.msg, "");
	rows = vs_test_sql_rows(path, "SELECT code, name, severity, message, file, line, function,"
	                              " scope, proc, tid, seq, stack FROM findings");
	VS_ASSERT_STR(rows, "VS101|reuse-missing|error|" FIX_ERR_MSG "|main.c|12|main||1|2|14|7\n"
	                    "VS205|odd|warning|" FIX_NAME_ODD "|-|0|-|foo|2|1|11|0");
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

/* runs sql read-write on the file at path (plain SQLite: the hostile
 * editor); 0 or the SQLite error code */
static int edit_trace(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* Fields out of their range are caught once, where events are decoded:
 * every reader (info, show, vscheck) then sees a corrupt trace, never a
 * value that breaks it (an ERROR code of INT_MIN used to overflow its
 * negation in the timeline). */
static void test_cursor_rejects_bad_fields(void)
{
	static const struct {
		const char *sql, *what;
	} cases[] = {
		{"UPDATE ev SET p0 = 2147483648 WHERE id = (1 << 40) + 13", "event 1:13 has an error "
		                                                          "code out of range"},
		{"UPDATE ev SET p0 = 0 WHERE id = (1 << 40) + 13", "event 1:13 has an error code out of "
		                                                  "range"},
		{"UPDATE ev SET tid = 'x' WHERE id = (1 << 40) + 5", "event 1:5 has a column that is not "
		                                                    "an integer"},
		{"UPDATE ev SET p3 = 4294967296 WHERE id = (1 << 40) + 7", "event 1:7 has a field out "
		                                                          "of range"},
		{"UPDATE ev SET site = -1 WHERE id = (1 << 40) + 2", "event 1:2 has a field out of "
		                                                    "range"},
		{"UPDATE ev SET kind = 999 WHERE id = (1 << 40) + 9", "event 1:9 has an unknown kind"},
		{"UPDATE ev SET flags = 65536 WHERE id = (1 << 40) + 9", "event 1:9 has flags out of "
		                                                        "range"},
		{"UPDATE lost SET n = -3", "a lost-events record out of range"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = vs_test_tmp_path(".db");
		vs_error err;
		vs_db_reader *r = NULL;
		vs_db_cursor *c = NULL;
		vs_event ev;
		char want[600];
		int rc;
		vs_error_init(&err);
		VS_ASSERT_INT(vs_test_store_fixture(path, &err), 0);
		VS_ASSERT_INT(edit_trace(path, cases[i].sql), SQLITE_OK);
		VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
		VS_ASSERT_INT(vs_db_cursor_open(r, &c, 1, 0, &err), 0);
		while ((rc = vs_db_cursor_next(c, &ev, &err)) == 1)
			;
		VS_ASSERT_INT(rc, VS_ERR_FORMAT);
		snprintf(want, sizeof want, "'%s': corrupt trace (%s)", path, cases[i].what);
		VS_ASSERT_STR(err.msg, want);
		vs_db_cursor_close(c);
		vs_db_reader_close(r);
		vs_test_unlink_trace(path);
		free(path);
	}
}

/* A file whose schema holds objects vstrace did not create is refused by
 * every reader and by the findings write-back, which changes nothing;
 * ANALYZE's statistics are data and accepted. */
static void test_hostile_schema(void)
{
	static const struct {
		const char *sql, *what;
	} cases[] = {
		{"CREATE TRIGGER wipe AFTER INSERT ON finding_tab BEGIN DELETE FROM ev; "
		 "UPDATE meta SET value = 'pwned' WHERE key = 'program'; END;",
		 "trigger 'wipe'"},
		{"DROP VIEW threads; CREATE VIEW threads AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
		 "SELECT x + 1 FROM c) SELECT x AS proc, x AS tid FROM c;",
		 "view 'threads'"},
		{"CREATE VIEW mine AS SELECT 1;", "view 'mine'"},
		{"CREATE INDEX by_tid ON ev(tid);", "index 'by_tid'"},
		{"ALTER TABLE meta ADD COLUMN extra TEXT;", "table 'meta'"},
		{"CREATE TABLE notes(x);", "table 'notes'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = vs_test_tmp_path(".db");
		vs_error err;
		char want[600];
		vs_db_reader *r = NULL;
		vs_error_init(&err);
		VS_ASSERT_INT(vs_test_store_fixture(path, &err), 0);
		static const char *const state_sql =
			"SELECT (SELECT count(*) FROM ev), (SELECT count(*) FROM finding_tab), "
			"(SELECT group_concat(key || '=' || value) FROM meta)";
		char *before = vs_test_sql_rows(path, state_sql);
		VS_ASSERT_INT(edit_trace(path, cases[i].sql), SQLITE_OK);
		snprintf(want, sizeof want,
		         "'%s': refused: its schema holds %s, which vstrace did not create (the file "
		         "was changed outside vstrace)",
		         path, cases[i].what);
		VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), VS_ERR_FORMAT);
		VS_ASSERT_STR(err.msg, want);
		CU_ASSERT_PTR_NULL(r);
		vs_error_init(&err);
		const vs_db_finding f = {"VS101", "x", "error", "m", NULL, NULL, "", 1, 1, 1, 1, 0};
		VS_ASSERT_INT(vs_db_findings_write(path, &f, 1, &err), VS_ERR_FORMAT);
		VS_ASSERT_STR(err.msg, want);
		char *after = vs_test_sql_rows(path, state_sql);
		VS_ASSERT_STR(after, before);
		CU_ASSERT(strstr(after, "complete=1") != NULL);
		free(before);
		free(after);
		vs_test_unlink_trace(path);
		free(path);
	}
	/* statistics from ANALYZE are accepted */
	char *path;
	vs_db_reader *r = open_fixture(&path);
	vs_db_reader_close(r);
	r = NULL;
	VS_ASSERT_INT(edit_trace(path, "ANALYZE;"), SQLITE_OK);
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
	VS_ASSERT_STR(err.msg, "");
	done(r, path);
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
		VS_TEST(test_hostile_schema),
		VS_TEST(test_cursor_rejects_bad_fields),
		VS_TEST_END};
	vs_test_add_suite("store_reader", NULL, NULL, cases);
}
