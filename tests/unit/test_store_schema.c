/* SPDX-License-Identifier: MIT */
/* tests for store/schema.c: identity and version checks on open (foreign,
 * non-SQLite, truncated, newer files), required tables, kind names */
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "store/schema.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"
#include "vs/vs.h"

static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	VS_ASSERT_INT(sqlite3_open(path, &db), SQLITE_OK);
	VS_ASSERT_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Opens path as a trace and expects failure code with message "PATH: what". */
static void expect_open_fails(const char *path, int code, const char *what)
{
	vs_db_reader *r = (vs_db_reader *)&r;
	vs_error err;
	char want[1024];
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), code);
	CU_ASSERT_PTR_NULL(r);
	snprintf(want, sizeof want, "'%s': %s", path, what);
	VS_ASSERT_STR(err.msg, want);
}

static void test_missing_file(void)
{
	expect_open_fails("/nonexistent/dir/t.db", VS_ERR_NOT_FOUND, "no such file");
}

static void test_foreign_sqlite(void)
{
	char *path = vs_test_tmp_path(".db");
	raw_sql(path, "CREATE TABLE t(x); PRAGMA application_id = 1234;");
	expect_open_fails(path, VS_ERR_FORMAT, "not a vstrace trace (application_id 0x4d2)");
	unlink(path);
	raw_sql(path, "CREATE TABLE t(x);");
	expect_open_fails(path, VS_ERR_FORMAT, "not a vstrace trace (application_id 0x0)");
	unlink(path);
	free(path);
}

static void test_not_sqlite(void)
{
	char *path = vs_test_tmp_path(".txt");
	FILE *f = fopen(path, "w");
	for (int i = 0; i < 200; i++)
		fputs("this is a text file, not a database\n", f);
	fclose(f);
	expect_open_fails(path, VS_ERR_FORMAT, "file is not a database");
	unlink(path);
	/* an empty file (SQLite would call it an empty database) is named as such */
	f = fopen(path, "w");
	fclose(f);
	expect_open_fails(path, VS_ERR_FORMAT, "empty file");
	unlink(path);
	free(path);
}

static void test_directory(void)
{
	expect_open_fails("/tmp", VS_ERR_FORMAT, "not a regular file");
}

static void test_newer_and_older_version(void)
{
	char *path = vs_test_tmp_path(".db");
	char what[128];
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	raw_sql(path, "PRAGMA user_version = 99");
	snprintf(what, sizeof what, "trace format version 99 is newer than this vstrace (max %d)",
	         VS_DB_VERSION);
	expect_open_fails(path, VS_ERR_VERSION, what);
	raw_sql(path, "PRAGMA user_version = 0");
	snprintf(what, sizeof what, "trace format version 0 is too old for this vstrace (min %d)",
	         VS_DB_VERSION_MIN);
	expect_open_fails(path, VS_ERR_VERSION, what);
	unlink(path);
	free(path);
}

static void test_missing_table(void)
{
	char *path = vs_test_tmp_path(".db");
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	raw_sql(path, "DROP VIEW events; DROP VIEW threads; DROP VIEW stats; DROP TABLE ev");
	expect_open_fails(path, VS_ERR_FORMAT, "corrupt trace (missing table 'ev')");
	unlink(path);
	free(path);
}

/* A trace cut in half fails cleanly, at open or while reading events. */
static void test_truncated(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_writer *w = NULL;
	vs_db_reader *r = NULL;
	vs_db_cursor *c = NULL;
	uint32_t proc = 0;
	struct stat sb;
	vs_error err;
	vs_event ev;
	int rc;
	char prefix[600];
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 0, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &proc, 1, 0, 0, 0, NULL), 0);
	for (uint64_t s = 1; s <= 20000; s++) {
		uint32_t p[8] = {(uint32_t)s, 1, 2, 3};
		ev = vs_test_ev(s, 1, VS_EV_OP_CREATE, 0, 0, p);
		VS_ASSERT_INT(vs_db_writer_event(w, proc, &ev, NULL), 0);
	}
	VS_ASSERT_INT(vs_db_writer_close(w, NULL), 0);
	VS_ASSERT_INT(stat(path, &sb), 0);
	VS_ASSERT_INT(truncate(path, sb.st_size / 2), 0);
	rc = vs_db_reader_open(&r, path, &err);
	if (rc == 0) {
		VS_ASSERT_INT(vs_db_cursor_open(r, &c, 1, 0, &err), 0);
		while ((rc = vs_db_cursor_next(c, &ev, &err)) == 1)
			;
		vs_db_cursor_close(c);
		vs_db_reader_close(r);
	}
	VS_ASSERT_INT(rc, VS_ERR_FORMAT);
	snprintf(prefix, sizeof prefix, "'%s': corrupt trace (", path);
	CU_ASSERT(strncmp(err.msg, prefix, strlen(prefix)) == 0);
	unlink(path);
	free(path);
}

static void test_identity_on_disk(void)
{
	char *path = vs_test_tmp_path(".db");
	char *rows, want[64];
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	rows = vs_test_sql_rows(path, "PRAGMA application_id");
	VS_ASSERT_STR(rows, "1987269714"); /* 0x76735452, "vsTR" */
	free(rows);
	rows = vs_test_sql_rows(path, "PRAGMA user_version");
	snprintf(want, sizeof want, "%d", VS_DB_VERSION);
	VS_ASSERT_STR(rows, want);
	free(rows);
	unlink(path);
	free(path);
}

/* The trace's kind names are the runtime's, and the view table has them all. */
static void test_kind_names(void)
{
	char *path = vs_test_tmp_path(".db");
	char *rows;
	int n = 0;
	for (unsigned k = 0; k < VS_EV__COUNT + 5; k++) {
		VS_ASSERT_STR(vs_db_kind_name(k), vs_ev_kind_name(k));
		if (vs_db_kind_name(k)) {
			n++;
			VS_ASSERT_INT(vs_db_kind_from_name(vs_db_kind_name(k)), k);
		}
	}
	VS_ASSERT_INT(vs_db_kind_from_name("getvar_enter"), VS_EV_GETVAR_ENTER);
	VS_ASSERT_INT(vs_db_kind_from_name("nope"), -1);
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	rows = vs_test_sql_rows(path, "SELECT count(*) FROM kinds");
	{
		char want[16];
		snprintf(want, sizeof want, "%d", n);
		VS_ASSERT_STR(rows, want);
	}
	free(rows);
	unlink(path);
	free(path);
}

/* The store's value names are libvs's (one table each) and Python's reprs. */
static void test_value_names(void)
{
	char *path = vs_test_tmp_path(".db");
	char *rows;
	VS_ASSERT_STR(vs_db_dtype_name(VS_DT_NONE), "");
	VS_ASSERT_STR(vs_db_dtype_name(VS_DT__COUNT), "");
	for (unsigned d = 1; d < VS_DT__COUNT; d++)
		VS_ASSERT_STR(vs_db_dtype_name(d), vs_dtype_name((vs_dtype)d));
	VS_ASSERT_STR(vs_db_dtype_name(VS_DT_FLOAT32), "float32");
	VS_ASSERT_STR(vs_db_dtype_name(VS_DT_BFLOAT16), "bfloat16");
	VS_ASSERT_STR(vs_db_reuse_name(VS_REUSE_INHERIT), "None");
	VS_ASSERT_STR(vs_db_reuse_name(VS_REUSE_FALSE), "False");
	VS_ASSERT_STR(vs_db_reuse_name(VS_REUSE_TRUE), "True");
	VS_ASSERT_STR(vs_db_reuse_name(VS_REUSE_AUTO), "AUTO_REUSE");
	VS_ASSERT_STR(vs_db_reuse_name(VS_REUSE_AUTO + 1), "");
	for (unsigned o = 0; o <= VS_OUT_OTHER + 1; o++)
		VS_ASSERT_STR(vs_db_outcome_name(o), vs_outcome_name(o));
	VS_ASSERT_STR(vs_db_outcome_name(VS_OUT_REUSED), "reused");
	/* the trace's lookup tables hold the same names */
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	rows = vs_test_sql_rows(path, "SELECT group_concat(name, ',') FROM"
	                              " (SELECT name FROM reuses ORDER BY reuse)");
	VS_ASSERT_STR(rows, "None,False,True,AUTO_REUSE");
	free(rows);
	rows = vs_test_sql_rows(path, "SELECT count(*), max(dtype) FROM dtypes WHERE name <> ''");
	{
		char want[32];
		snprintf(want, sizeof want, "%d|%d", VS_DT__COUNT - 1, VS_DT__COUNT - 1);
		VS_ASSERT_STR(rows, want);
	}
	free(rows);
	rows = vs_test_sql_rows(path, "SELECT name FROM dtypes WHERE dtype = 3");
	VS_ASSERT_STR(rows, "float32");
	free(rows);
	unlink(path);
	free(path);
}

VS_SUITE_FN(store_schema)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_missing_file),
		VS_TEST(test_foreign_sqlite),
		VS_TEST(test_not_sqlite),
		VS_TEST(test_directory),
		VS_TEST(test_newer_and_older_version),
		VS_TEST(test_missing_table),
		VS_TEST(test_truncated),
		VS_TEST(test_identity_on_disk),
		VS_TEST(test_kind_names),
		VS_TEST(test_value_names),
		VS_TEST_END};
	vs_test_add_suite("store_schema", NULL, NULL, cases);
}
