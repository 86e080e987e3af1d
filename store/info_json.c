/* SPDX-License-Identifier: MIT */
/*
 * store/info_json.c - `vstrace info --json`: the summary of store/info.c
 * as one JSON object, for scripts:
 *   {"trace": ..., "complete": true, "format": 1, "empty": false,
 *    "meta": {"program": ..., ...}, "duration_s": ..., "processes": [...],
 *    "threads": N, "variables": N, "errors": N, "lost": N, "events": N,
 *    "kinds": {"GETVAR_ENTER": N, ...}}
 * Like the text summary it reads only the raw tables, so an incomplete
 * trace is described too.  "empty" is true when the trace holds no event
 * at all (the program never loaded libvs).
 */
#include <sqlite3.h>
#include <string.h>

#include "store/report.h"
#include "store/schema.h"

static void jstr(FILE *out, const char *s)
{
	vs_db_json_string(out, s ? s : "", s ? strlen(s) : 0);
}

static int sql_fail(vs_db_reader *r, int rc, vs_error *err)
{
	vs_db_sqlite_error(vs_db_reader_sqlite(r), rc, err, "cannot read trace");
	return vs_error_prefix(err, "'%s'", vs_db_reader_path(r));
}

/* a one-row query of integers into v[0..n-1] */
static int ints(vs_db_reader *r, const char *sql, int64_t *v, int n, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(vs_db_reader_sqlite(r), sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			v[i] = sqlite3_column_int64(st, i);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : sql_fail(r, rc, err);
}

/* "key": {"a": "b", ...} or {"NAME": count} from a two-column query */
static int pairs(vs_db_reader *r, FILE *out, const char *key, const char *sql, int kinds,
                 vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(vs_db_reader_sqlite(r), sql, -1, &st, NULL), n = 0;
	fprintf(out, ",\n  \"%s\": {", key);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(n++ ? ", " : "", out);
		if (kinds) {
			const char *name = vs_db_kind_name((unsigned)sqlite3_column_int(st, 0));
			jstr(out, name ? name : "?");
			fprintf(out, ": %lld", (long long)sqlite3_column_int64(st, 1));
		} else {
			jstr(out, (const char *)sqlite3_column_text(st, 0));
			fputs(": ", out);
			jstr(out, (const char *)sqlite3_column_text(st, 1));
		}
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	fputc('}', out);
	return rc == SQLITE_DONE ? 0 : sql_fail(r, rc, err);
}

static int processes(vs_db_reader *r, FILE *out, int64_t *lost, vs_error *err)
{
	uint32_t n = vs_db_reader_process_count(r);
	fputs(",\n  \"processes\": [", out);
	for (uint32_t i = 0; i < n; i++) {
		vs_db_process p;
		char sql[192];
		int64_t v[2] = {0, 0};
		int ret = vs_db_reader_process(r, i, &p, err);
		if (ret < 0)
			return ret;
		snprintf(sql, sizeof sql,
		         "SELECT (SELECT count(*) FROM ev WHERE id BETWEEN (%u << 40) AND"
		         " (%u << 40) + 1099511627775), ended FROM procs WHERE proc = %u",
		         p.proc, p.proc, p.proc);
		if ((ret = ints(r, sql, v, 2, err)) < 0)
			return ret;
		fprintf(out,
		        "%s\n    {\"proc\": %u, \"pid\": %lld, \"parent_proc\": %u, \"fork_seq\": "
		        "%llu, "
		        "\"ended\": %s, \"exit_code\": %d, \"signal\": %d, \"truncated\": %s, "
		        "\"events\": %lld, \"lost\": %llu}",
		        i ? "," : "", p.proc, (long long)p.pid, p.parent_proc,
		        (unsigned long long)p.fork_seq, v[1] ? "true" : "false", p.exit_code,
		        p.signal, p.truncated ? "true" : "false", (long long)v[0],
		        (unsigned long long)p.lost);
		*lost += (int64_t)p.lost;
	}
	fputs(n ? "\n  ]" : "]", out);
	return 0;
}

int vs_db_info_json(vs_db_reader *r, FILE *out, vs_error *err)
{
	int64_t tot[5] = {0}, lost = 0;
	int ret;
	_Static_assert(VS_EV_VAR_CREATE == 64 && VS_EV_ERROR == 80, "the kinds counted below");
	if ((ret = ints(r,
	                "SELECT count(*), COALESCE(max(ts) - min(ts), 0),"
	                " (SELECT count(*) FROM (SELECT DISTINCT id >> 40, tid FROM ev)),"
	                " COALESCE(sum(kind = 64), 0), COALESCE(sum(kind = 80), 0) FROM ev",
	                tot, 5, err)) < 0)
		return ret;
	fputs("{\n  \"trace\": ", out);
	jstr(out, vs_db_reader_path(r));
	fprintf(out, ",\n  \"complete\": %s,\n  \"format\": %d,\n  \"empty\": %s",
	        vs_db_reader_complete(r) ? "true" : "false", VS_DB_VERSION,
	        tot[0] ? "false" : "true");
	if ((ret = pairs(r, out, "meta", "SELECT key, value FROM meta ORDER BY key", 0, err)) < 0)
		return ret;
	fprintf(out, ",\n  \"duration_s\": %.6f", (double)tot[1] / 1e9);
	if ((ret = processes(r, out, &lost, err)) < 0)
		return ret;
	fprintf(out,
	        ",\n  \"threads\": %lld,\n  \"variables\": %lld,\n  \"errors\": %lld,\n"
	        "  \"lost\": %lld,\n  \"events\": %lld",
	        (long long)tot[2], (long long)tot[3], (long long)tot[4], (long long)lost,
	        (long long)tot[0]);
	if ((ret = pairs(r, out, "kinds",
	                 "SELECT kind, count(*) FROM ev GROUP BY kind ORDER BY kind", 1, err)) < 0)
		return ret;
	fputs("\n}\n", out);
	return 0;
}
