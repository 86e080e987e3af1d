/* SPDX-License-Identifier: MIT */
/* tests for store/sqlout.c (read-only SQL, table/CSV/JSON output) and
 * store/timeline.c filters; info/show/query end to end: tests/e2e/t20*.sh */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/report.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"

static vs_db_reader *open_fixture(char **path)
{
	vs_db_reader *r = NULL;
	*path = vs_test_tmp_path(".db");
	VS_ASSERT_INT(vs_test_store_fixture(*path, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, *path, NULL), 0);
	return r;
}

static void done(vs_db_reader *r, char *path)
{
	vs_db_reader_close(r);
	unlink(path);
	free(path);
}

/* Runs sql in fmt; returns the output (static buffer) and the code in *rc. */
static const char *query(vs_db_reader *r, const char *sql, vs_db_out_format fmt, int *rc,
                         vs_error *err)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof out, "w");
	memset(out, 0, sizeof out);
	*rc = vs_db_query_run(r, sql, fmt, f, err);
	fclose(f);
	return out;
}

static void test_json_escapes_and_types(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	int rc;
	const char *out =
		query(r, "SELECT 'a\"b\\' || char(10) || char(1) || '\xc3\xbc' AS s, 1.5 AS f,"
		         " NULL AS n, x'00ff' AS b, 7 AS i",
		      VS_DB_OUT_JSON, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(out, "[\n {\"s\": \"a\\\"b\\\\\\n\\u0001\xc3\xbc\", \"f\": 1.5, \"n\": null,"
	                   " \"b\": \"00ff\", \"i\": 7}\n]\n");
	out = query(r, "SELECT 1 WHERE 0", VS_DB_OUT_JSON, &rc, NULL);
	VS_ASSERT_STR(out, "[]\n");
	done(r, path);
}

static void test_csv_quoting(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	int rc;
	const char *out = query(r, "SELECT 'x,y' AS \"a,b\", 'q\"' AS b, 'l1' || char(10) || 'l2' AS c,"
	                           " NULL AS d, 'plain' AS e",
	                        VS_DB_OUT_CSV, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(out, "\"a,b\",b,c,d,e\n\"x,y\",\"q\"\"\",\"l1\nl2\",,plain\n");
	done(r, path);
}

/* the row printers `vstrace query` and `vstrace export` share, on one statement */
static void test_row_printers(void)
{
	char *path, buf[512] = "";
	vs_db_reader *r = open_fixture(&path);
	sqlite3_stmt *st = NULL;
	const char *sql = "SELECT 'x,y' AS \"a,b\", NULL AS n, 7 AS i, 0.25 AS f, x'4142' AS b,"
	                  " 'q\"' || char(10) AS \"t\"\"\"";
	VS_ASSERT_INT(sqlite3_prepare_v2(vs_db_reader_sqlite(r), sql, -1, &st, NULL), SQLITE_OK);
	VS_ASSERT_INT(sqlite3_step(st), SQLITE_ROW);
	FILE *f = fmemopen(buf, sizeof buf, "w");
	vs_db_csv_row(f, st, 1);
	fputc('|', f);
	vs_db_csv_row(f, st, 0);
	fputc('|', f);
	/* a fresh step: reading a blob as text converts it (sqlite3_column_type) */
	VS_ASSERT_INT(sqlite3_reset(st), SQLITE_OK);
	VS_ASSERT_INT(sqlite3_step(st), SQLITE_ROW);
	vs_db_json_row(f, st);
	fclose(f);
	VS_ASSERT_STR(buf, "\"a,b\",n,i,f,b,\"t\"\"\"|\"x,y\",,7,0.25,AB,\"q\"\"\n\"|"
	                   "{\"a,b\": \"x,y\", \"n\": null, \"i\": 7, \"f\": 0.25, \"b\": \"4142\","
	                   " \"t\\\"\": \"q\\\"\\n\"}");
	sqlite3_finalize(st);
	done(r, path);
}

static void test_table_alignment(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	int rc;
	/* numbers right-aligned, text left, widths in characters not bytes */
	const char *out = query(r,
	                        "SELECT '\xc3\xbc' AS name, 10 AS n UNION ALL SELECT 'abc', 5"
	                        " UNION ALL SELECT NULL, NULL",
	                        VS_DB_OUT_TABLE, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(out, "name   n\n----  --\n\xc3\xbc     10\nabc    5\n\n");
	out = query(r, "SELECT 1 AS a; SELECT 2 AS b", VS_DB_OUT_TABLE, &rc, NULL);
	VS_ASSERT_STR(out, "a\n-\n1\n\nb\n-\n2\n");
	/* a value with newlines: its lines stay in its column, the row grows */
	out = query(r,
	            "SELECT 7 AS n, 'first' || char(10) || 'second line' AS msg, 'x' AS k"
	            " UNION ALL SELECT 12, 'one', 'y'",
	            VS_DB_OUT_TABLE, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(out, " n  msg          k\n"
	                   "--  -----------  -\n"
	                   " 7  first        x\n"
	                   "    second line\n"
	                   "12  one          y\n");
	done(r, path);
}

static void test_refuses_writes(void)
{
	static const struct {
		const char *sql, *what;
	} cases[] = {
		{"DELETE FROM ev", "DELETE"},
		{"INSERT INTO meta VALUES('a', 'b')", "INSERT"},
		{"UPDATE meta SET value = 1", "UPDATE"},
		{"DROP VIEW events", "DROP"},
		{"CREATE TEMP TABLE t(x)", "CREATE"},
		{"PRAGMA user_version = 3", "PRAGMA user_version"},
		{"BEGIN", "a transaction"},
	};
	char *path;
	vs_db_reader *r = open_fixture(&path);
	char want[800];
	vs_error err;
	int rc;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vs_error_init(&err);
		query(r, cases[i].sql, VS_DB_OUT_TABLE, &rc, &err);
		VS_ASSERT_INT(rc, VS_ERR_USAGE);
		snprintf(want, sizeof want, "'%s': query: the trace is read-only (%s refused)", path,
		         cases[i].what);
		VS_ASSERT_STR(err.msg, want);
	}
	/* reading pragmas stay allowed */
	VS_ASSERT_STR(query(r, "PRAGMA user_version", VS_DB_OUT_CSV, &rc, NULL),
	              "user_version\n3\n");
	VS_ASSERT_STR(query(r, "SELECT name FROM pragma_table_info('scopes') LIMIT 2",
	                    VS_DB_OUT_CSV, &rc, NULL),
	              "name\nid\nproc\n");
	vs_error_init(&err);
	query(r, "SELECT nope FROM events", VS_DB_OUT_TABLE, &rc, &err);
	VS_ASSERT_INT(rc, VS_ERR_USAGE);
	snprintf(want, sizeof want, "'%s': query: no such column: nope", path);
	VS_ASSERT_STR(err.msg, want);
	done(r, path);
}

static void test_show_filters(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	char out[4096];
	vs_db_show_opts o = {.proc = 1, .tid = 2, .kind = VS_EV_GETVAR_EXIT};
	FILE *f = fmemopen(out, sizeof out, "w");
	memset(out, 0, sizeof out);
	VS_ASSERT_INT(vs_db_show_print(r, &o, f, NULL), 0);
	o.tid = 0;
	o.kind = -1;
	o.scope_glob = "fo?";
	o.proc = 2;
	VS_ASSERT_INT(vs_db_show_print(r, &o, f, NULL), 0);
	fclose(f);
	VS_ASSERT_STR(out, "# proc 1: pid 4242 (/usr/bin/prog)\n"
	                   "#      SEQ  TID  EVENT\n"
	                   "        14  [2]  } = error \"w\"\n"
	                   "# proc 2: pid 4243, fork of proc 1 after seq 10\n"
	                   "#      SEQ  TID  EVENT\n"
	                   "        11  [1]  variable_scope \"foo\" reuse=True {  @ main.c:10 main\n"
	                   "        12  [1]    name_scope \"bar/\" {\n"
	                   "        13  [1]      !! ValueError: child ten  @ main.c:10 main\n");
	done(r, path);
}

/* A killed recording has no derived tables; query derives them in memory
 * (inherited strings of fork children are the C reader's job: NULL here). */
static void test_query_incomplete_trace(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_reader *r = NULL;
	const char *out;
	int rc;
	VS_ASSERT_INT(vs_test_store_fixture_killed(path), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_complete(r), 0);
	out = query(r,
	            "SELECT proc, kind, name, reuse, enter_seq, exit_seq, parent, depth FROM scopes"
	            " ORDER BY proc, enter_seq",
	            VS_DB_OUT_CSV, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(out, "proc,kind,name,reuse,enter_seq,exit_seq,parent,depth\n"
	                   "1,variable_scope,foo,AUTO_REUSE,4,10,,0\n"
	                   "2,variable_scope,foo,True,11,,,0\n"
	                   "2,name_scope,bar/,,12,,2,1\n");
	out = query(r, "SELECT name, created_by, create_seq, file FROM variables ORDER BY create_seq",
	            VS_DB_OUT_CSV, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(out, "name,created_by,create_seq,file\n"
	                   "foo/v:0,get_variable,7,main.c\n"
	                   "\"it's \"\"q\"\"/\xc3\xbc/'; DROP TABLE ev; --\",Variable,18,main.c\n");
	/* a second query on the same reader reuses the derived tables */
	out = query(r, "SELECT count(*) FROM scopes", VS_DB_OUT_CSV, &rc, NULL);
	VS_ASSERT_STR(out, "count(*)\n3\n");
	vs_db_reader_close(r);
	/* the writer derives while it loads: the file has the scopes left
	 * before its last commit (proc 1's "foo"; the two still open are written
	 * at close), the query's temporary ones shadow them */
	{
		char *rows = vs_test_sql_rows(path, "SELECT count(*) FROM scopes");
		VS_ASSERT_STR(rows, "1");
		free(rows);
	}
	vs_test_unlink_trace(path);
	free(path);
}

VS_SUITE_FN(store_report)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_json_escapes_and_types),
		VS_TEST(test_csv_quoting),
		VS_TEST(test_row_printers),
		VS_TEST(test_table_alignment),
		VS_TEST(test_refuses_writes),
		VS_TEST(test_show_filters),
		VS_TEST(test_query_incomplete_trace),
		VS_TEST_END};
	vs_test_add_suite("store_report", NULL, NULL, cases);
}
