/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_trace.c - libFuzzer target: everything that reads a trace
 * (`vstrace info`, `show`, `query`, `vscheck` and its --write-findings)
 * over a hostile file.  An input is either
 *  - a whole SQLite file (it starts with "SQLite format 3"): a mutated
 *    trace, corrupt pages and all; or
 *  - SQL text, run with plain SQLite on a copy of a valid trace (the file
 *    named by VS_FUZZ_TRACE_BASE, which fuzz/run.sh records) before the
 *    readers see it: valid SQLite with hostile contents (wrong column types,
 *    huge strings, out-of-range ids, sequence gaps, events out of order,
 *    unmatched ENTER/EXIT, extra triggers and views).
 * Besides "no crash, no hang", one property is checked: writing findings
 * never changes the events of the trace.
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "checker/check.h"
#include "fuzz/fuzz_util.h"
#include "rules/rules.h"
#include "store/db.h"
#include "store/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const queries[] = {
	"SELECT * FROM events ORDER BY proc, seq LIMIT 200",
	"SELECT * FROM variables",
	"SELECT * FROM scopes",
	"SELECT * FROM threads",
	"SELECT * FROM processes",
	"SELECT * FROM stats",
	"SELECT * FROM findings",
};

/* stops plain SQLite work on the fuzzer's own statements (runaway CTEs) */
static int stop_after(void *ctx) { return ++*(int *)ctx > 2000; }

/* a digest of the raw events (or -1 when unreadable), with plain SQLite */
static sqlite3_int64 events_digest(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3_int64 d = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
	                       "SELECT count(*), total(id), total(kind), total(p0) FROM main.ev",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		d = sqlite3_column_int64(st, 0) * 1000003 +
		    (sqlite3_int64)sqlite3_column_double(st, 1) +
		    (sqlite3_int64)sqlite3_column_double(st, 2) * 31 +
		    (sqlite3_int64)sqlite3_column_double(st, 3) * 7;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return d;
}

static void read_all(const char *path, FILE *null)
{
	vs_db_reader *r = NULL;
	vs_error err;
	vs_error_init(&err);
	if (vs_db_reader_open(&r, path, &err) < 0)
		return;
	vs_db_info_print(r, null, &err);
	vs_db_show_opts so = {.kind = -1, .fold = 1, .stacks = 4};
	vs_db_show_print(r, &so, null, &err);
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
		vs_db_query_run(r, queries[i], VS_DB_OUT_JSON, null, &err);
	vs_db_reader_close(r);
}

static void check_all(const char *path)
{
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = rs ? vs_check_new(rs) : NULL;
	vs_error err;
	vs_error_init(&err);
	unsigned status = 0;
	if (c && vs_check_trace(c, path, &status, &err) == 0 && vs_check_finish(c, &err) == 0) {
		sqlite3_int64 before = events_digest(path);
		if (vs_check_write_findings(c, path, &err) == 0 && events_digest(path) != before)
			__builtin_trap(); /* writing findings changed the events */
	}
	vs_check_free(c);
	vs_rule_set_free(rs);
}

/* copies the base trace to path and runs sql on it; 0 or -1 */
static int prepare_from_sql(const char *path, const uint8_t *data, size_t size)
{
	const char *base = getenv("VS_FUZZ_TRACE_BASE");
	FILE *f = base ? fopen(base, "rb") : NULL;
	if (!f)
		return -1;
	static uint8_t buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	fuzz_write(path, buf, n);
	char *sql = malloc(size + 1);
	if (!sql)
		abort();
	memcpy(sql, data, size);
	sql[size] = '\0';
	sqlite3 *db = NULL;
	int steps = 0;
	if (sqlite3_open(path, &db) == SQLITE_OK) {
		sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 22);
		sqlite3_progress_handler(db, 1000, stop_after, &steps);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	sqlite3_close(db);
	free(sql);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(0, "t.db");
	unlink(fuzz_path(1, "t.db-journal"));
	unlink(fuzz_path(2, "t.db-wal"));
	if (size >= 16 && !memcmp(data, "SQLite format 3", 16))
		fuzz_write(path, data, size);
	else if (prepare_from_sql(path, data, size) < 0)
		return 0;
	FILE *null = fopen("/dev/null", "w");
	if (!null)
		abort();
	read_all(path, null);
	check_all(path);
	fclose(null);
	return 0;
}
