/* SPDX-License-Identifier: MIT */
/*
 * store/export_rows.c - `vstrace export --format json|csv [--view V]`: the
 * rows of one public view (docs/schema.md), each led by the trace's
 * identity (trace_id, program, host, start_time), so that the exports of
 * many traces load into one table without colliding (docs/fleet.md).
 * JSON is one object per line (JSON Lines), CSV is RFC 4180 with a header
 * row.  Rows stream from SQLite: memory does not grow with the trace.
 * Invariant: the identity columns come first and are the same on every
 * row of one trace; the view's own columns follow in its order.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/derive.h"
#include "store/export.h"
#include "store/schema.h"
#include "store/report.h"

const char *const vs_db_export_views[] = {"events",    "variables", "scopes",   "threads",
                                          "processes", "stats",     "findings", NULL};

/* each view's key order (same index as vs_db_export_views) */
static const char *const view_order[] = {"proc, seq", "proc, create_seq",
                                         "proc, id",  "proc, tid",
                                         "proc",      "proc",
                                         "proc, seq"};

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h ^ 0xff; /* a separator, so ("ab","c") and ("a","bc") differ */
}

void vs_db_trace_identity_get(vs_db_reader *r, vs_db_trace_identity *out)
{
	static const char *const keys[] = {"program", "argv", "host", "start_time", "ts_base_ns"};
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	vs_db_process p;
	char pid[32] = "";
	const char *v;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		h = fnv1a(h, vs_db_reader_meta(r, keys[i]));
	if (vs_db_reader_process_count(r) && vs_db_reader_process(r, 0, &p, NULL) == 0)
		snprintf(pid, sizeof pid, "%lld", (long long)p.pid);
	h = fnv1a(h, pid);
	snprintf(out->id, sizeof out->id, "%016llx", (unsigned long long)h);
	v = vs_db_reader_meta(r, "program");
	out->program = v ? v : "";
	v = vs_db_reader_meta(r, "host");
	out->host = v ? v : "";
	v = vs_db_reader_meta(r, "start_time");
	out->start_time = v ? v : NULL; /* NULL: derived from the clock origin by the caller */
}

/* start_time when meta has none: the trace's clock origin, ISO 8601 UTC */
static void start_time_of(vs_db_reader *r, char *buf, size_t cap)
{
	const char *b = vs_db_reader_meta(r, "ts_base_ns");
	unsigned long long ns = b ? strtoull(b, NULL, 10) : 0;
	time_t s = (time_t)(ns / 1000000000u);
	struct tm tm;
	buf[0] = '\0';
	if (ns && gmtime_r(&s, &tm))
		snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		         ns % 1000000000u);
}

static int view_index(const char *view)
{
	for (int i = 0; vs_db_export_views[i]; i++)
		if (!strcmp(vs_db_export_views[i], view))
			return i;
	return -1;
}

int vs_db_export_rows(vs_db_reader *r, const char *view, vs_db_rows_format fmt, FILE *out,
                      vs_error *err)
{
	sqlite3 *db = vs_db_reader_sqlite(r);
	sqlite3_stmt *st = NULL;
	vs_db_trace_identity id;
	char sql[256], start[64];
	int vi = view_index(view ? view : "events"), rc;
	if (vi < 0)
		return vs_error_set(err, VS_ERR_USAGE,
		                    "unknown view '%s' (events, variables, scopes, threads,"
		                    " processes, stats, findings)",
		                    view);
	if (!vs_db_reader_complete(r) && (rc = vs_db_derive_temp(db, err)) < 0)
		return vs_error_prefix(err, "%s", vs_db_reader_path(r));
	vs_db_trace_identity_get(r, &id);
	if (!id.start_time)
		start_time_of(r, start, sizeof start);
	snprintf(sql, sizeof sql,
	         "SELECT ?1 AS trace_id, ?2 AS program, ?3 AS host, ?4 AS start_time, v.*"
	         " FROM %s v ORDER BY %s",
	         vs_db_export_views[vi], view_order[vi]);
	if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK) {
		vs_db_sqlite_error(db, rc, err, "export");
		return vs_error_prefix(err, "%s", vs_db_reader_path(r));
	}
	sqlite3_bind_text(st, 1, id.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id.program, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id.host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, id.start_time ? id.start_time : start, -1, SQLITE_STATIC);
	if (fmt == VS_DB_ROWS_CSV) {
		vs_db_csv_row(out, st, 1);
		fputs("\r\n", out);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == VS_DB_ROWS_CSV) {
			vs_db_csv_row(out, st, 0);
			fputs("\r\n", out);
		} else {
			vs_db_json_row(out, st); /* JSON Lines */
			fputc('\n', out);
		}
	}
	if (rc != SQLITE_DONE) {
		vs_db_sqlite_error(db, rc, err, "export");
		sqlite3_finalize(st);
		return vs_error_prefix(err, "%s", vs_db_reader_path(r));
	}
	sqlite3_finalize(st);
	if (fflush(out) != 0 || ferror(out))
		return vs_error_set(err, VS_ERR_IO, "cannot write the export");
	return 0;
}
