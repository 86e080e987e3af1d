/* SPDX-License-Identifier: MIT */
/*
 * store/findings.c - vscheck's write-back of findings into a trace.
 * Invariant: the findings of a trace are replaced as a whole in one
 * transaction; a failure leaves the earlier findings untouched.
 */
#include <sqlite3.h>

#include "store/db.h"
#include "store/schema.h"

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int vs_db_findings_write(const char *path, const vs_db_finding *f, size_t n, vs_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ret = -1, rc, in_tx = 0;
	if (!path || (n && !f))
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_findings_write: NULL argument");
	if ((ret = vs_db_schema_open(&db, path, SQLITE_OPEN_READWRITE, err)) < 0)
		return ret;
	rc = sqlite3_exec(db, "BEGIN IMMEDIATE; DELETE FROM finding_tab;", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto sqlfail;
	in_tx = 1;
	rc = sqlite3_prepare_v2(db,
	                        "INSERT INTO finding_tab(code, name, severity, message, file, line,"
	                        " function, scope, proc, tid, seq) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
	                        -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto sqlfail;
	for (size_t i = 0; i < n; i++) {
		bind_opt_text(st, 1, f[i].code);
		bind_opt_text(st, 2, f[i].name);
		bind_opt_text(st, 3, f[i].severity);
		bind_opt_text(st, 4, f[i].message);
		bind_opt_text(st, 5, f[i].file);
		sqlite3_bind_int(st, 6, f[i].line);
		bind_opt_text(st, 7, f[i].function);
		bind_opt_text(st, 8, f[i].scope);
		sqlite3_bind_int64(st, 9, f[i].proc);
		sqlite3_bind_int64(st, 10, f[i].tid);
		sqlite3_bind_int64(st, 11, (sqlite3_int64)f[i].seq);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto sqlfail;
	}
	rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto sqlfail;
	in_tx = 0;
	ret = 0;
	goto cleanup;
sqlfail:
	ret = vs_db_sqlite_error(db, rc, err, "cannot write findings");
	vs_error_prefix(err, "'%s'", path);
cleanup:
	sqlite3_finalize(st);
	if (in_tx)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return ret;
}
