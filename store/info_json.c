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
		int64_t ev;
		int ended, ret = vs_db_info_process(r, i, &p, &ev, &ended, err);
		if (ret < 0)
			return ret;
		fprintf(out,
		        "%s\n    {\"proc\": %u, \"pid\": %lld, \"parent_proc\": %u, \"fork_seq\": "
		        "%llu, "
		        "\"ended\": %s, \"exit_code\": %d, \"signal\": %d, \"truncated\": %s, "
		        "\"events\": %lld, \"lost\": %llu}",
		        i ? "," : "", p.proc, (long long)p.pid, p.parent_proc,
		        (unsigned long long)p.fork_seq, ended ? "true" : "false", p.exit_code,
		        p.signal, p.truncated ? "true" : "false", (long long)ev,
		        (unsigned long long)p.lost);
		*lost += (int64_t)p.lost;
	}
	fputs(n ? "\n  ]" : "]", out);
	return 0;
}

int vs_db_info_json(vs_db_reader *r, FILE *out, vs_error *err)
{
	vs_db_info_counts tot;
	int64_t lost = 0;
	int ret = vs_db_info_counts_get(r, &tot, err);
	if (ret < 0)
		return ret;
	fputs("{\n  \"trace\": ", out);
	jstr(out, vs_db_reader_path(r));
	fprintf(out, ",\n  \"complete\": %s,\n  \"format\": %d,\n  \"empty\": %s",
	        vs_db_reader_complete(r) ? "true" : "false", VS_DB_VERSION,
	        tot.events ? "false" : "true");
	if ((ret = pairs(r, out, "meta", "SELECT key, value FROM meta ORDER BY key", 0, err)) < 0)
		return ret;
	fprintf(out, ",\n  \"duration_s\": %.6f", (double)tot.duration_ns / 1e9);
	if ((ret = processes(r, out, &lost, err)) < 0)
		return ret;
	fprintf(out,
	        ",\n  \"threads\": %lld,\n  \"variables\": %lld,\n  \"errors\": %lld,\n"
	        "  \"lost\": %lld,\n  \"events\": %lld",
	        (long long)tot.threads, (long long)tot.variables, (long long)tot.errors,
	        (long long)lost, (long long)tot.events);
	if ((ret = pairs(r, out, "kinds",
	                 "SELECT kind, count(*) FROM ev GROUP BY kind ORDER BY kind", 1, err)) < 0)
		return ret;
	fputs("\n}\n", out);
	return 0;
}
