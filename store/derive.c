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
#include "store/symbolize.h"
#include "vs/event.h"
#include "vs/internal/util.h"

static int inherit(sqlite3 *db, vs_error *err)
{
	sqlite3_stmt *procs = NULL, *cs = NULL, *csite = NULL;
	int ret = -1, rc;
	rc = sqlite3_prepare_v2(db,
	                        "SELECT proc, parent_proc FROM procs WHERE parent_proc > 0"
	                        " ORDER BY proc",
	                        -1, &procs, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, VS_DERIVE_INHERIT_STRINGS, -1, &cs, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, VS_DERIVE_INHERIT_SITES, -1, &csite, NULL);
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
	int64_t row; /* scope_tab id */
	unsigned exit_kind;
	uint64_t key; /* context-manager id (template calls: template id, call index) */
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

/*
 * The scope events of every thread in order.  The numbers in the SQL are
 * pinned here: kinds 14/15 INIT_SCOPE, 30/31 NAME_SCOPE, 40/41 VARSCOPE,
 * 50/51 CREATOR_SCOPE, 71/72 TEMPLATE_CALL enter/exit; columns p0, p1 =
 * template_id, call_index; p3 = cm of init, name and creator scopes; p7 =
 * the variable scope's cm; the name slots are those of the events view
 * (store/schema.c name_slot); p3 of VARSCOPE_ENTER is its effective reuse.
 */
static const char scope_query[] =
	"SELECT e.id, e.tid, e.kind, e.p0, e.p1, e.p3, e.p7, s.s, r.name"
	" FROM ev e LEFT JOIN strings s ON s.proc = (e.id >> 40) AND s.id ="
	"  CASE e.kind WHEN 40 THEN e.p1 WHEN 30 THEN e.p2 WHEN 50 THEN e.p0"
	"  WHEN 14 THEN e.p2 WHEN 71 THEN e.p2 END"
	" LEFT JOIN reuses r ON e.kind = 40 AND r.reuse = e.p3"
	" WHERE e.kind IN (14, 15, 30, 31, 40, 41, 50, 51, 71, 72)"
	" ORDER BY e.id >> 40, e.tid, e.id";
#define SLOT_IS(member, field, n) (VS_EVP_SLOT(member, field) == (n))
_Static_assert(VS_EV_INIT_SCOPE_ENTER == 14 && VS_EV_INIT_SCOPE_EXIT == 15 &&
                       VS_EV_NAME_SCOPE_ENTER == 30 && VS_EV_NAME_SCOPE_EXIT == 31 &&
                       VS_EV_VARSCOPE_ENTER == 40 && VS_EV_VARSCOPE_EXIT == 41 &&
                       VS_EV_CREATOR_SCOPE_ENTER == 50 && VS_EV_CREATOR_SCOPE_EXIT == 51 &&
                       VS_EV_TEMPLATE_CALL_ENTER == 71 && VS_EV_TEMPLATE_CALL_EXIT == 72,
               "scope_query's kind numbers");
_Static_assert(SLOT_IS(template_enter, template_id, 0) && SLOT_IS(template_enter, call_index, 1) &&
                       SLOT_IS(template_exit, template_id, 0) &&
                       SLOT_IS(template_exit, call_index, 1) && SLOT_IS(init_scope, cm, 3) &&
                       SLOT_IS(name_scope, cm, 3) && SLOT_IS(creator_scope, cm, 3) &&
                       SLOT_IS(varscope, cm, 7),
               "scope_query's pairing columns p0, p1, p3, p7");
_Static_assert(SLOT_IS(varscope, full_name, 1) && SLOT_IS(name_scope, resolved, 2) &&
                       SLOT_IS(creator_scope, label, 0) && SLOT_IS(init_scope, name_scope, 2) &&
                       SLOT_IS(template_enter, scope_name, 2) && SLOT_IS(varscope, reuse, 3),
               "scope_query's name and reuse slots");

/* The key pairing an exit with its enter (columns of scope_query). */
enum { COL_ID, COL_TID, COL_KIND, COL_P0, COL_P1, COL_P3, COL_P7, COL_NAME, COL_REUSE };

static uint64_t pair_key(unsigned kind, sqlite3_stmt *q)
{
	if (kind == VS_EV_VARSCOPE_ENTER || kind == VS_EV_VARSCOPE_EXIT)
		return (uint64_t)sqlite3_column_int64(q, COL_P7);
	if (kind == VS_EV_TEMPLATE_CALL_ENTER || kind == VS_EV_TEMPLATE_CALL_EXIT)
		return (uint64_t)sqlite3_column_int64(q, COL_P0) << 32 |
		       (uint64_t)sqlite3_column_int64(q, COL_P1);
	return (uint64_t)sqlite3_column_int64(q, COL_P3);
}

/* The pass's state: statements and the current thread's open scopes. */
struct scope_pass {
	sqlite3 *db;
	sqlite3_stmt *q, *ins, *upd;
	struct open_scope *stack;
	size_t depth, cap;
};

static void bind_text_or_null(sqlite3_stmt *st, int i, sqlite3_stmt *q, int col)
{
	if (sqlite3_column_type(q, col) != SQLITE_NULL)
		sqlite3_bind_text(st, i, (const char *)sqlite3_column_text(q, col), -1,
		                  SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* An enter: a scope_tab row, pushed as open.  Returns an SQLite code:
 * SQLITE_DONE on success, SQLITE_NOMEM when the stack cannot grow (reported
 * as out of memory like SQLite's own). */
static int scope_open(struct scope_pass *sp, int64_t proc, int64_t tid, int64_t seq, unsigned kind,
                      const char *sk)
{
	sqlite3_stmt *ins = sp->ins;
	int rc;
	if (VS_GROW(sp->stack, sp->cap, sp->depth + 1) < 0)
		return SQLITE_NOMEM;
	sqlite3_bind_int64(ins, 1, proc);
	sqlite3_bind_int64(ins, 2, tid);
	sqlite3_bind_text(ins, 3, sk, -1, SQLITE_STATIC);
	bind_text_or_null(ins, 4, sp->q, COL_NAME);
	bind_text_or_null(ins, 5, sp->q, COL_REUSE);
	sqlite3_bind_int64(ins, 6, seq);
	if (sp->depth)
		sqlite3_bind_int64(ins, 7, sp->stack[sp->depth - 1].row);
	else
		sqlite3_bind_null(ins, 7);
	sqlite3_bind_int64(ins, 8, (int64_t)sp->depth);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	if (rc != SQLITE_DONE)
		return rc;
	sp->stack[sp->depth].row = sqlite3_last_insert_rowid(sp->db);
	sp->stack[sp->depth].exit_kind = kind + 1;
	sp->stack[sp->depth].key = pair_key(kind, sp->q);
	sp->depth++;
	return SQLITE_DONE;
}

/* An exit closes the innermost matching open scope; scopes above it never
 * exited (an error unwound them).  An exit without its enter is ignored. */
static int scope_close(struct scope_pass *sp, int64_t seq, unsigned kind)
{
	uint64_t key = pair_key(kind, sp->q);
	size_t i = sp->depth, floor = sp->depth > MAX_UNWIND ? sp->depth - MAX_UNWIND : 0;
	int rc;
	while (i > floor && !(sp->stack[i - 1].exit_kind == kind && sp->stack[i - 1].key == key))
		i--;
	if (i == floor)
		return SQLITE_DONE;
	sqlite3_bind_int64(sp->upd, 1, seq);
	sqlite3_bind_int64(sp->upd, 2, sp->stack[i - 1].row);
	rc = sqlite3_step(sp->upd);
	sqlite3_reset(sp->upd);
	if (rc == SQLITE_DONE)
		sp->depth = i - 1;
	return rc;
}

static int prepare_on(sqlite3 *db, const char *fmt, const char *schema, sqlite3_stmt **st)
{
	char *sql = sqlite3_mprintf(fmt, schema);
	int rc = sql ? sqlite3_prepare_v2(db, sql, -1, st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	return rc;
}

static int derive_scopes(sqlite3 *db, const char *schema, vs_error *err)
{
	struct scope_pass sp = {db, NULL, NULL, NULL, NULL, 0, 0};
	int64_t cur_proc = -1, cur_tid = -1;
	int ret = -1, rc;
	rc = sqlite3_prepare_v2(db, scope_query, -1, &sp.q, NULL);
	if (rc == SQLITE_OK)
		rc = prepare_on(db,
		                "INSERT INTO %s.scope_tab(proc, tid, kind, name, reuse,"
		                " enter_seq, exit_seq, parent, depth) VALUES(?,?,?,?,?,?,NULL,?,?)",
		                schema, &sp.ins);
	if (rc == SQLITE_OK)
		rc = prepare_on(db, "UPDATE %s.scope_tab SET exit_seq = ? WHERE id = ?", schema,
		                &sp.upd);
	if (rc != SQLITE_OK)
		goto sqlfail;
	while ((rc = sqlite3_step(sp.q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(sp.q, COL_ID);
		int64_t proc = id >> VS_DB_SEQ_BITS, seq = id & (int64_t)VS_DB_SEQ_MAX;
		int64_t tid = sqlite3_column_int64(sp.q, COL_TID);
		unsigned kind = (unsigned)sqlite3_column_int(sp.q, COL_KIND);
		const char *sk = scope_kind(kind);
		if (proc != cur_proc || tid != cur_tid) {
			cur_proc = proc;
			cur_tid = tid;
			sp.depth = 0;
		}
		rc = sk ? scope_open(&sp, proc, tid, seq, kind, sk) : scope_close(&sp, seq, kind);
		if (rc != SQLITE_DONE)
			break;
	}
	if (rc != SQLITE_DONE)
		goto sqlfail;
	ret = 0;
	goto cleanup;
sqlfail:
	ret = vs_db_sqlite_error(db, rc, err, "derive scopes");
cleanup:
	free(sp.stack);
	sqlite3_finalize(sp.q);
	sqlite3_finalize(sp.ins);
	sqlite3_finalize(sp.upd);
	return ret;
}

/* One var_tab row per VAR_CREATE (kind 64; VS_DERIVE_VAR_ROW, derive.h):
 * p0 variable, p1 name, p2 store key, p3 shape, p4 dtype, p5 collections,
 * p6 graph, p7 template; flags 1 << 10 TRAINABLE, 4096 DIRECT, 8192 LOCAL.
 * Pinned below, for both derivations. */
static const char derive_vars_sql[] = "INSERT OR REPLACE INTO %s.var_tab" VS_DERIVE_VAR_ROW
				      " WHERE e.kind = 64 ORDER BY e.id";

_Static_assert(VS_EV_VAR_CREATE == 64, "derive_vars_sql's kind");
_Static_assert(SLOT_IS(var_create, variable, 0) && SLOT_IS(var_create, name, 1) &&
                       SLOT_IS(var_create, key, 2) && SLOT_IS(var_create, shape, 3) &&
                       SLOT_IS(var_create, dtype, 4) && SLOT_IS(var_create, collections, 5) &&
                       SLOT_IS(var_create, graph_id, 6) && SLOT_IS(var_create, template_id, 7),
               "derive_vars_sql's payload columns");
_Static_assert(VS_EVF_TRAINABLE == 1u << 10 && VS_EVF_DIRECT == 4096 && VS_EVF_LOCAL == 8192,
               "derive_vars_sql's flag bits");

/* The VAR_INFO columns (kind 66, format 3): p0 variable, p1 initializer,
 * p2 constraint, p3 caching_device, p4 device (strs).  Pinned below. */
static const char derive_var_info_sql[] =
	"UPDATE %s.var_tab SET initializer = i.init, constraint_label = i.con,"
	" caching_device = i.cd, device = i.dev"
	" FROM (SELECT (e.id >> 40) AS proc, e.p0 AS var, a.s AS init, b.s AS con, c.s AS cd,"
	"  d.s AS dev FROM ev e"
	"  LEFT JOIN strings a ON a.proc = (e.id >> 40) AND a.id = e.p1"
	"  LEFT JOIN strings b ON b.proc = (e.id >> 40) AND b.id = e.p2"
	"  LEFT JOIN strings c ON c.proc = (e.id >> 40) AND c.id = e.p3"
	"  LEFT JOIN strings d ON d.proc = (e.id >> 40) AND d.id = e.p4"
	"  WHERE e.kind = 66) AS i"
	" WHERE var_tab.proc = i.proc AND var_tab.var_id = i.var";

_Static_assert(VS_EV_VAR_INFO == 66, "derive_var_info_sql's kind");
_Static_assert(SLOT_IS(var_info, variable, 0) && SLOT_IS(var_info, initializer, 1) &&
                       SLOT_IS(var_info, constraint, 2) && SLOT_IS(var_info, caching_device, 3) &&
                       SLOT_IS(var_info, device, 4),
               "derive_var_info_sql's payload columns");

static int derive_vars(sqlite3 *db, const char *schema, vs_error *err)
{
	char *sql = sqlite3_mprintf(derive_vars_sql, schema);
	int ret;
	if (!sql)
		return vs_error_nomem(err);
	ret = vs_db_exec(db, sql, err);
	sqlite3_free(sql);
	if (ret < 0)
		return ret;
	if (!(sql = sqlite3_mprintf(derive_var_info_sql, schema)))
		return vs_error_nomem(err);
	ret = vs_db_exec(db, sql, err);
	sqlite3_free(sql);
	return ret;
}

int vs_db_derive(sqlite3 *db, vs_error *err)
{
	int ret;
	if ((ret = vs_db_exec(db, "DELETE FROM main.scope_tab; DELETE FROM main.var_tab;", err)) <
	            0 ||
	    (ret = inherit(db, err)) < 0 || (ret = derive_scopes(db, "main", err)) < 0 ||
	    (ret = derive_vars(db, "main", err)) < 0 ||
	    (ret = vs_db_symbolize(db, "main", err)) < 0)
		return ret;
	return 0;
}

int vs_db_derive_inherit(sqlite3 *db, vs_error *err) { return inherit(db, err); }

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
	if ((ret = vs_db_schema_temp_derived(db, err)) < 0 ||
	    (ret = derive_scopes(db, "temp", err)) < 0 ||
	    (ret = derive_vars(db, "temp", err)) < 0 ||
	    (ret = vs_db_symbolize(db, "temp", err)) < 0)
		return ret;
	return 0;
}
