/* SPDX-License-Identifier: MIT */
/*
 * store/derive.c - builds the helper tables of a finished trace:
 *  - a fork child gets copies of the strings and sites it inherited from
 *    its parent (the child's own definitions win), so every view can join
 *    on (proc, id) alone;
 *  - scope_tab: one row per scope entered (variable_scope, name_scope,
 *    variable_creator_scope, init_scope, template call) with its exit, the
 *    enclosing scope and the depth, paired per thread by context-manager id;
 *  - var_tab: one row per VAR_CREATE with names, shape, dtype and call site.
 * Invariant: the pass reads each thread's events in seq order, and a scope
 * that never exited keeps exit_seq NULL.
 */
#include "store/derive.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#include "store/schema.h"
#include "vs/event.h"

static int inherit(sqlite3 *db, vs_error *err)
{
	sqlite3_stmt *procs = NULL, *cs = NULL, *csite = NULL;
	int ret = -1, rc;
	rc = sqlite3_prepare_v2(db,
	                        "SELECT proc, parent_proc FROM procs WHERE parent_proc > 0"
	                        " ORDER BY proc",
	                        -1, &procs, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		                        "INSERT OR IGNORE INTO strings SELECT ?1, id, s FROM strings"
		                        " WHERE proc = ?2",
		                        -1, &cs, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		                        "INSERT OR IGNORE INTO sites SELECT ?1, site, file, line,"
		                        " function FROM sites WHERE proc = ?2",
		                        -1, &csite, NULL);
	if (rc != SQLITE_OK)
		goto sqlfail;
	while ((rc = sqlite3_step(procs)) == SQLITE_ROW) {
		sqlite3_stmt *each[2] = {cs, csite};
		for (int i = 0; i < 2; i++) {
			sqlite3_bind_int64(each[i], 1, sqlite3_column_int64(procs, 0));
			sqlite3_bind_int64(each[i], 2, sqlite3_column_int64(procs, 1));
			rc = sqlite3_step(each[i]);
			sqlite3_reset(each[i]);
			if (rc != SQLITE_DONE)
				goto sqlfail;
		}
	}
	if (rc != SQLITE_DONE)
		goto sqlfail;
	ret = 0;
	goto cleanup;
sqlfail:
	ret = vs_db_sqlite_error(db, rc, err, "derive strings");
cleanup:
	sqlite3_finalize(procs);
	sqlite3_finalize(cs);
	sqlite3_finalize(csite);
	return ret;
}

/* How far below the top an exit may find its scope: bounds the work on a
 * malformed trace whose exits never match. */
#define MAX_UNWIND 64

struct open_scope {
	int64_t row;   /* scope_tab id */
	unsigned exit_kind;
	uint64_t key;  /* context-manager id (template calls: template id, call index) */
};

static const char *scope_kind(unsigned kind)
{
	switch (kind) {
	case VS_EV_INIT_SCOPE_ENTER: return "init_scope";
	case VS_EV_NAME_SCOPE_ENTER: return "name_scope";
	case VS_EV_VARSCOPE_ENTER: return "variable_scope";
	case VS_EV_CREATOR_SCOPE_ENTER: return "variable_creator_scope";
	case VS_EV_TEMPLATE_CALL_ENTER: return "template";
	default: return NULL;
	}
}

static uint64_t pair_key(unsigned kind, sqlite3_stmt *q)
{
	/* columns: 0 id, 1 tid, 2 kind, 3 p0, 4 p1, 5 p3, 6 p7, 7 name, 8 reuse */
	if (kind == VS_EV_VARSCOPE_ENTER || kind == VS_EV_VARSCOPE_EXIT)
		return (uint64_t)sqlite3_column_int64(q, 6);
	if (kind == VS_EV_TEMPLATE_CALL_ENTER || kind == VS_EV_TEMPLATE_CALL_EXIT)
		return (uint64_t)sqlite3_column_int64(q, 3) << 32 |
		       (uint64_t)sqlite3_column_int64(q, 4);
	return (uint64_t)sqlite3_column_int64(q, 5);
}

static int derive_scopes(sqlite3 *db, const char *schema, vs_error *err)
{
	sqlite3_stmt *q = NULL, *ins = NULL, *upd = NULL;
	struct open_scope *stack = NULL;
	size_t depth = 0, cap = 0;
	int64_t cur_proc = -1, cur_tid = -1;
	int ret = -1, rc;
	/* kinds (vs/event.h): 14/15 INIT_SCOPE, 30/31 NAME_SCOPE, 40/41 VARSCOPE,
	 * 50/51 CREATOR_SCOPE, 71/72 TEMPLATE_CALL enter/exit; the name slots
	 * are those of kind_info in store/schema.c */
	rc = sqlite3_prepare_v2(
		db,
		"SELECT e.id, e.tid, e.kind, e.p0, e.p1, e.p3, e.p7, s.s, r.name"
		" FROM ev e LEFT JOIN strings s ON s.proc = (e.id >> 40) AND s.id ="
		"  CASE e.kind WHEN 40 THEN e.p1 WHEN 30 THEN e.p2 WHEN 50 THEN e.p0"
		"  WHEN 14 THEN e.p2 WHEN 71 THEN e.p2 END"
		" LEFT JOIN reuses r ON e.kind = 40 AND r.reuse = e.p3"
		" WHERE e.kind IN (14, 15, 30, 31, 40, 41, 50, 51, 71, 72)"
		" ORDER BY e.id >> 40, e.tid, e.id",
		-1, &q, NULL);
	if (rc == SQLITE_OK) {
		char *sql = sqlite3_mprintf("INSERT INTO %s.scope_tab(proc, tid, kind, name, reuse,"
		                            " enter_seq, exit_seq, parent, depth)"
		                            " VALUES(?,?,?,?,?,?,NULL,?,?)",
		                            schema);
		rc = sql ? sqlite3_prepare_v2(db, sql, -1, &ins, NULL) : SQLITE_NOMEM;
		sqlite3_free(sql);
	}
	if (rc == SQLITE_OK) {
		char *sql = sqlite3_mprintf("UPDATE %s.scope_tab SET exit_seq = ? WHERE id = ?",
		                            schema);
		rc = sql ? sqlite3_prepare_v2(db, sql, -1, &upd, NULL) : SQLITE_NOMEM;
		sqlite3_free(sql);
	}
	if (rc != SQLITE_OK)
		goto sqlfail;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		int64_t proc = id >> VS_DB_SEQ_BITS, seq = id & (int64_t)VS_DB_SEQ_MAX;
		int64_t tid = sqlite3_column_int64(q, 1);
		unsigned kind = (unsigned)sqlite3_column_int(q, 2);
		const char *sk = scope_kind(kind);
		if (proc != cur_proc || tid != cur_tid) {
			cur_proc = proc;
			cur_tid = tid;
			depth = 0;
		}
		if (sk) {
			if (depth == cap) {
				size_t ncap = cap ? 2 * cap : 32;
				struct open_scope *n = realloc(stack, ncap * sizeof *n);
				if (!n) {
					ret = vs_error_set(err, VS_ERR_NOMEM, "out of memory");
					goto cleanup;
				}
				stack = n;
				cap = ncap;
			}
			sqlite3_bind_int64(ins, 1, proc);
			sqlite3_bind_int64(ins, 2, tid);
			sqlite3_bind_text(ins, 3, sk, -1, SQLITE_STATIC);
			if (sqlite3_column_type(q, 7) != SQLITE_NULL)
				sqlite3_bind_text(ins, 4, (const char *)sqlite3_column_text(q, 7), -1,
				                  SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(ins, 4);
			if (sqlite3_column_type(q, 8) != SQLITE_NULL)
				sqlite3_bind_text(ins, 5, (const char *)sqlite3_column_text(q, 8), -1,
				                  SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(ins, 5);
			sqlite3_bind_int64(ins, 6, seq);
			if (depth)
				sqlite3_bind_int64(ins, 7, stack[depth - 1].row);
			else
				sqlite3_bind_null(ins, 7);
			sqlite3_bind_int64(ins, 8, (int64_t)depth);
			rc = sqlite3_step(ins);
			sqlite3_reset(ins);
			sqlite3_clear_bindings(ins);
			if (rc != SQLITE_DONE)
				goto sqlfail;
			stack[depth].row = sqlite3_last_insert_rowid(db);
			stack[depth].exit_kind = kind + 1;
			stack[depth].key = pair_key(kind, q);
			depth++;
		} else {
			/* an exit closes the innermost matching open scope; scopes
			 * above it never exited (an error unwound them) */
			uint64_t key = pair_key(kind, q);
			size_t i = depth, floor = depth > MAX_UNWIND ? depth - MAX_UNWIND : 0;
			while (i > floor && !(stack[i - 1].exit_kind == kind && stack[i - 1].key == key))
				i--;
			if (i == floor) /* an exit without its enter: ignored */
				continue;
			sqlite3_bind_int64(upd, 1, seq);
			sqlite3_bind_int64(upd, 2, stack[i - 1].row);
			rc = sqlite3_step(upd);
			sqlite3_reset(upd);
			if (rc != SQLITE_DONE)
				goto sqlfail;
			depth = i - 1;
		}
	}
	if (rc != SQLITE_DONE)
		goto sqlfail;
	ret = 0;
	goto cleanup;
sqlfail:
	ret = vs_db_sqlite_error(db, rc, err, "derive scopes");
cleanup:
	free(stack);
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	return ret;
}

/* flags: 1<<10 TRAINABLE, 1<<12 DIRECT, 1<<13 LOCAL */
static const char derive_vars_sql[] =
	"INSERT OR REPLACE INTO %s.var_tab(proc, var_id, name, store_key, shape, dtype, trainable,"
	" collections, graph, created_by, template, flags, seq, tid, file, line, function)"
	" SELECT (e.id >> 40), e.p0, n.s, k.s, sh.s, d.name, (e.flags >> 10) & 1, c.s, e.p6,"
	"  CASE WHEN e.flags & 4096 THEN 'Variable'"
	"   WHEN e.flags & 8192 THEN 'get_local_variable' ELSE 'get_variable' END,"
	"  e.p7, e.flags, (e.id & 1099511627775), e.tid, sf.s, si.line, sfn.s"
	" FROM ev e"
	" LEFT JOIN strings n ON n.proc = (e.id >> 40) AND n.id = e.p1"
	" LEFT JOIN strings k ON k.proc = (e.id >> 40) AND k.id = e.p2"
	" LEFT JOIN strings sh ON sh.proc = (e.id >> 40) AND sh.id = e.p3"
	" LEFT JOIN dtypes d ON d.dtype = e.p4"
	" LEFT JOIN strings c ON c.proc = (e.id >> 40) AND c.id = e.p5"
	" LEFT JOIN sites si ON si.proc = (e.id >> 40) AND si.site = e.site"
	" LEFT JOIN strings sf ON sf.proc = si.proc AND sf.id = si.file"
	" LEFT JOIN strings sfn ON sfn.proc = si.proc AND sfn.id = si.function"
	" WHERE e.kind = 64 ORDER BY e.id";

static int derive_vars(sqlite3 *db, const char *schema, vs_error *err)
{
	char *sql = sqlite3_mprintf(derive_vars_sql, schema);
	int ret;
	if (!sql)
		return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
	ret = vs_db_exec(db, sql, err);
	sqlite3_free(sql);
	return ret;
}

int vs_db_derive(sqlite3 *db, vs_error *err)
{
	int ret;
	if ((ret = vs_db_exec(db, "DELETE FROM main.scope_tab; DELETE FROM main.var_tab;", err)) ||
	    (ret = inherit(db, err)) || (ret = derive_scopes(db, "main", err)) ||
	    (ret = derive_vars(db, "main", err)))
		return ret;
	return 0;
}

int vs_db_derive_inherit(sqlite3 *db, vs_error *err)
{
	return inherit(db, err);
}

int vs_db_derive_temp(sqlite3 *db, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int ret, exists;
	/* once per connection */
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM temp.sqlite_master WHERE name = 'scope_tab'", -1,
	                       &st, NULL) != SQLITE_OK)
		return vs_db_sqlite_error(db, sqlite3_errcode(db), err, "derive");
	exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (exists)
		return 0;
	if ((ret = vs_db_schema_temp_derived(db, err)) || (ret = derive_scopes(db, "temp", err)) ||
	    (ret = derive_vars(db, "temp", err)))
		return ret;
	return 0;
}
