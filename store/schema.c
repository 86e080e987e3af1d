/* SPDX-License-Identifier: MIT */
/*
 * store/schema.c - the trace file format: identity and version constants
 * (store/schema.h), the DDL of the raw tables, the public views, the
 * constant lookup tables (kinds, dtypes, outcomes, reuse) and the checks a
 * file must pass before anything reads it.
 *
 * Invariant: the views decode payloads with the same per-kind slots
 * (name_slot, outcome_slot below, built from VS_EVP_SLOT) that C readers
 * get through vs_db_kind_name_slot, so SQL and C never disagree on what
 * "the name of an event" is; every number SQL text spells out is built
 * from the enums or pinned with _Static_assert next to it.
 */
#include "store/schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vs/event.h"
#include "vs/vs.h"
#include "vs/internal/util.h"
#include "store/symbolize.h"

/* Every kind, in the order of VS_EV_KIND_LIST (the kinds table, the
 * events view's CASE expressions). */
static const unsigned all_kinds[] = {
#define KIND_(name, num, member) VS_EV_##name,
	VS_EV_KIND_LIST(KIND_)
#undef KIND_
};
#define N_KINDS (sizeof all_kinds / sizeof all_kinds[0])

#define SLOT(member, field) ((int)VS_EVP_SLOT(member, field))

/* The payload slot of a kind's most relevant string (-1 none): what the
 * events view shows as "name" and the timeline prints first. */
static int name_slot(unsigned kind)
{
	switch (kind) {
	case VS_EV_SITE: return SLOT(site_def, file);
	case VS_EV_MODULE: return SLOT(module, path);
	case VS_EV_THREAD_START: return SLOT(thread_start, parent_scope);
	case VS_EV_GRAPH_CREATE: return SLOT(graph_create, name);
	case VS_EV_INIT_SCOPE_ENTER: return SLOT(init_scope, name_scope);
	case VS_EV_NAME_SCOPE_ENTER:
	case VS_EV_NAME_SCOPE_EXIT: return SLOT(name_scope, resolved);
	case VS_EV_OP_CREATE: return SLOT(op_create, name);
	case VS_EV_VARSCOPE_ENTER:
	case VS_EV_VARSCOPE_EXIT: return SLOT(varscope, full_name);
	case VS_EV_REUSE_VARIABLES: return SLOT(reuse_variables, full_name);
	case VS_EV_CREATOR_SCOPE_ENTER:
	case VS_EV_CREATOR_SCOPE_EXIT: return SLOT(creator_scope, label);
	case VS_EV_CREATOR_CALL: return SLOT(creator_call, name);
	case VS_EV_CREATOR_RETURN: return SLOT(creator_return, label);
	case VS_EV_GETTER_CALL: return SLOT(getter_call, name);
	case VS_EV_GETTER_RETURN: return SLOT(getter_return, key);
	case VS_EV_GETVAR_ENTER: return SLOT(getvar_enter, full_name);
	case VS_EV_GETVAR_EXIT: return SLOT(getvar_exit, full_name);
	case VS_EV_VARIABLE_ENTER: return SLOT(variable_enter, requested);
	case VS_EV_VAR_CREATE: return SLOT(var_create, name);
	case VS_EV_TEMPLATE_MAKE: return SLOT(template_make, name);
	case VS_EV_TEMPLATE_CALL_ENTER: return SLOT(template_enter, scope_name);
	case VS_EV_ERROR: return SLOT(error, message);
	default: return -1;
	}
}

/* The payload slot of a kind's outcome (enum vs_outcome), -1 none. */
static int outcome_slot(unsigned kind)
{
	switch (kind) {
	case VS_EV_CREATOR_RETURN: return SLOT(creator_return, outcome);
	case VS_EV_GETTER_RETURN: return SLOT(getter_return, outcome);
	case VS_EV_GETVAR_EXIT: return SLOT(getvar_exit, outcome);
	case VS_EV_VARIABLE_EXIT: return SLOT(variable_exit, outcome);
	case VS_EV_TEMPLATE_CALL_EXIT: return SLOT(template_exit, outcome);
	default: return -1;
	}
}

/* One table per enum, indexed by its value. */
static const char *const reuse_names[] = {
	[VS_REUSE_INHERIT] = "None",
	[VS_REUSE_FALSE] = "False",
	[VS_REUSE_TRUE] = "True",
	[VS_REUSE_AUTO] = "AUTO_REUSE",
};
#define N_REUSE (sizeof reuse_names / sizeof reuse_names[0])
#define N_OUTCOMES (VS_OUT_OTHER + 1)

const char *vs_db_kind_name(unsigned kind) { return vs_ev_kind_name(kind); }

int vs_db_kind_from_name(const char *name) { return vs_ev_kind_from_name(name); }

int vs_db_kind_name_slot(unsigned kind) { return name_slot(kind); }

int vs_db_kind_outcome_slot(unsigned kind) { return outcome_slot(kind); }

/* libvs's names (vs_dtype_name), "" for none or unknown */
const char *vs_db_dtype_name(unsigned dtype)
{
	const char *s = dtype < VS_DT__COUNT ? vs_dtype_name((vs_dtype)dtype) : NULL;
	return s ? s : "";
}

const char *vs_db_reuse_name(unsigned reuse) { return reuse < N_REUSE ? reuse_names[reuse] : ""; }

/* libvs's names (vs_outcome_name) */
const char *vs_db_outcome_name(unsigned outcome) { return vs_outcome_name(outcome); }

/* Length of the valid UTF-8 sequence at s (0 if invalid or a control). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80             ? 1
	           : (s[0] & 0xe0) == 0xc0 ? 2
	           : (s[0] & 0xf0) == 0xe0 ? 3
	           : (s[0] & 0xf8) == 0xf0 ? 4
	                                   : 0;
	if (n == 1)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (n == 0 || (n == 2 && s[0] < 0xc2))
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* SQLite quotes schema text in its messages; a corrupt file's schema may
 * hold any bytes, so invalid UTF-8 and controls print as '?'. */
static void printable(char *dst, size_t cap, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t len = 0;
	while (*s && len + 5 < cap) {
		size_t n = utf8_len(s);
		if (n == 0) {
			dst[len++] = '?';
			s++;
			continue;
		}
		memcpy(dst + len, s, n);
		len += n;
		s += n;
	}
	dst[len] = '\0';
}

int vs_db_sqlite_error(sqlite3 *db, int rc, vs_error *err, const char *what)
{
	int prim = rc & 0xff;
	char msg[512];
	printable(msg, sizeof msg, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	if (prim == SQLITE_NOTADB)
		return vs_error_set(err, VS_ERR_FORMAT, "file is not a database");
	if (prim == SQLITE_CORRUPT)
		return vs_error_set(err, VS_ERR_FORMAT, "corrupt trace (%s)", msg);
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return vs_error_set(err, VS_ERR_IO,
		                    "trace is locked (is it still being recorded?)");
	if (prim == SQLITE_NOMEM)
		return vs_error_nomem(err);
	return vs_error_set(err, VS_ERR_IO, "%s: %s", what, msg);
}

int vs_db_exec(sqlite3 *db, const char *sql, vs_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return vs_db_sqlite_error(db, rc, err, "sql");
	return 0;
}

/* The derived tables and their views: also created in the temporary
 * schema for an incomplete trace (vs_db_schema_temp_derived). */
#define SCOPE_TAB_COLS                                                                          \
	"(id INTEGER PRIMARY KEY, proc INTEGER, tid INTEGER, kind TEXT, name TEXT, reuse TEXT," \
	" enter_seq INTEGER, exit_seq INTEGER, parent INTEGER, depth INTEGER)"
#define VAR_TAB_COLS_(more)                                                                    \
	"(proc INTEGER, var_id INTEGER, name TEXT, store_key TEXT, shape TEXT, dtype TEXT,"    \
	" trainable INTEGER, collections TEXT, graph INTEGER, created_by TEXT,"                \
	" template INTEGER, flags INTEGER, seq INTEGER, tid INTEGER, file TEXT, line INTEGER," \
	" function TEXT, stack INTEGER" more ", PRIMARY KEY(proc, var_id)) WITHOUT ROWID"
/* format 3 added the VAR_INFO columns at the end (format 2 is still read) */
#define VAR_TAB_COLS                                                                            \
	VAR_TAB_COLS_(", initializer TEXT, constraint_label TEXT, caching_device TEXT, device " \
	              "TEXT")
#define VAR_TAB_COLS_V2 VAR_TAB_COLS_("")
#define SCOPES_VIEW                                                                           \
	" AS SELECT id, proc, tid AS thread, kind, name, reuse, enter_seq, exit_seq, parent," \
	" depth FROM scope_tab"
#define VARIABLES_VIEW_(more)                                                               \
	" AS SELECT name, shape, dtype, trainable, collections, graph, created_by,"         \
	" seq AS create_seq, file, line, function, proc, tid, var_id, store_key, template," \
	" flags, stack" more " FROM var_tab"
#define VARIABLES_VIEW VARIABLES_VIEW_(", initializer, constraint_label, caching_device, device")
#define VARIABLES_VIEW_V2 VARIABLES_VIEW_("")

/*
 * Raw tables.  ev is the event table: one row per event, keyed by
 * rowid = proc << 40 | seq, so a process's events are one contiguous rowid
 * range in seq order and need no index; ts is relative to meta ts_base_ns;
 * vscope is the string id of the variable scope current on the thread
 * (computed by the writer).  Zero values cost no bytes in a SQLite record.
 */
static const char ddl_tables[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE procs(proc INTEGER PRIMARY KEY, pid INTEGER, ppid INTEGER,"
	" parent_proc INTEGER, fork_seq INTEGER, exit_code INTEGER, signal INTEGER,"
	" truncated INTEGER, ended INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE strings(proc INTEGER, id INTEGER, s TEXT NOT NULL,"
	" PRIMARY KEY(proc, id)) WITHOUT ROWID;"
	"CREATE TABLE sites(proc INTEGER, site INTEGER, file INTEGER, line INTEGER,"
	" function INTEGER, stack INTEGER, PRIMARY KEY(proc, site)) WITHOUT ROWID;"
	/* call stacks: raw (stack_tab, module_tab) and derived at close (frame_tab) */
	VS_DB_STACK_TABLES
	"CREATE TABLE ev(id INTEGER PRIMARY KEY, ts INTEGER, tid INTEGER, kind INTEGER,"
	" flags INTEGER, site INTEGER, graph INTEGER, vscope INTEGER, p0 INTEGER, p1 INTEGER,"
	" p2 INTEGER, p3 INTEGER, p4 INTEGER, p5 INTEGER, p6 INTEGER, p7 INTEGER);"
	"CREATE TABLE lost(proc INTEGER, tid INTEGER, n INTEGER, after_seq INTEGER);"
	/* derived at close */
	"CREATE TABLE scope_tab" SCOPE_TAB_COLS ";"
	"CREATE TABLE var_tab" VAR_TAB_COLS ";"
	/* filled by vscheck --write-findings */
	"CREATE TABLE finding_tab(id INTEGER PRIMARY KEY, code TEXT, name TEXT, severity TEXT,"
	" message TEXT, file TEXT, line INTEGER, function TEXT, scope TEXT, proc INTEGER,"
	" tid INTEGER, seq INTEGER, stack INTEGER);"
	/* constant lookup tables */
	"CREATE TABLE kinds(kind INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	"CREATE TABLE dtypes(dtype INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	"CREATE TABLE outcomes(outcome INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	"CREATE TABLE reuses(reuse INTEGER PRIMARY KEY, name TEXT NOT NULL);";

/* The numbers the SQL below spells out, pinned (the raw key's 40 bits are
 * pinned in store/schema.h): THREAD_START (4) with os_tid in p0 and
 * parent_tid in p1, THREAD_END (5). */
_Static_assert(VS_EV_THREAD_START == 4 && VS_EV_THREAD_END == 5, "threads view kinds");
_Static_assert(VS_EVP_SLOT(thread_start, os_tid) == 0 && VS_EVP_SLOT(thread_start, parent_tid) == 1,
               "threads view reads os_tid as p0, parent_tid as p1");

/* The public views (docs/schema.md); events is generated (see make_events_view). */
static const char ddl_views[] =
	"CREATE VIEW processes AS SELECT proc, pid, ppid, parent_proc, fork_seq,"
	" exit_code, signal, truncated, ended FROM procs;"
	"CREATE VIEW threads AS SELECT (id >> 40) AS proc, tid, COUNT(*) AS events,"
	" MIN(id & 1099511627775) AS first_seq, MAX(id & 1099511627775) AS last_seq,"
	" MAX(CASE WHEN kind = 4 THEN p0 END) AS os_tid,"
	" MAX(CASE WHEN kind = 4 THEN p1 END) AS parent_tid,"
	" MAX(kind = 5) AS ended FROM ev GROUP BY id >> 40, tid;"
	"CREATE VIEW stats AS SELECT p.proc AS proc, p.pid AS pid,"
	" (SELECT COUNT(*) FROM ev WHERE id BETWEEN (p.proc << 40) AND"
	"  (p.proc << 40) + 1099511627775) AS events,"
	" (SELECT COALESCE(SUM(n), 0) FROM lost l WHERE l.proc = p.proc) AS lost,"
	" p.truncated AS truncated, p.exit_code AS exit_code, p.signal AS signal,"
	" p.ended AS ended,"
	" (SELECT value = '1' FROM meta WHERE key = 'complete') AS complete FROM procs p;"
	"CREATE VIEW scopes" SCOPES_VIEW ";"
	"CREATE VIEW variables" VARIABLES_VIEW ";"
	"CREATE VIEW findings AS SELECT code, name, severity, message, file, line, function,"
	" scope, proc, tid, seq, stack FROM finding_tab;" VS_DB_STACK_VIEWS;

/* The CASE expression mapping e.kind to its name slot (slot < 0: none). */
static int append(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > cap)
		return -1;
	memcpy(buf + *len, s, n + 1);
	*len += n;
	return 0;
}

static int append_case(char *buf, size_t cap, size_t *len, int outcome)
{
	char part[64];
	if (append(buf, cap, len, "CASE e.kind"))
		return -1;
	for (size_t i = 0; i < N_KINDS; i++) {
		int slot = outcome ? outcome_slot(all_kinds[i]) : name_slot(all_kinds[i]);
		if (slot < 0)
			continue;
		snprintf(part, sizeof part, " WHEN %u THEN e.p%d", all_kinds[i], slot);
		if (append(buf, cap, len, part))
			return -1;
	}
	return append(buf, cap, len, " END");
}

static int make_events_view(sqlite3 *db, vs_error *err)
{
	char sql[8192];
	size_t len = 0;
	int bad = append(sql, sizeof sql, &len,
	                 "CREATE VIEW events AS SELECT (e.id >> 40) AS proc,"
	                 " (e.id & 1099511627775) AS seq,"
	                 " e.ts + (SELECT CAST(value AS INTEGER) FROM meta"
	                 "  WHERE key = 'ts_base_ns') AS ts_ns,"
	                 " p.pid AS pid, e.tid AS tid, k.name AS kind,"
	                 " COALESCE(sc.s, '') AS scope, nm.s AS name, o.name AS outcome,"
	                 " sf.s AS file, si.line AS line, sfn.s AS function,"
	                 " e.flags AS flags, e.graph AS graph, e.site AS site,"
	                 " e.p0 AS p0, e.p1 AS p1, e.p2 AS p2, e.p3 AS p3, e.p4 AS p4,"
	                 " e.p5 AS p5, e.p6 AS p6, e.p7 AS p7, si.stack AS stack"
	                 " FROM ev e LEFT JOIN kinds k ON k.kind = e.kind"
	                 " LEFT JOIN procs p ON p.proc = (e.id >> 40)"
	                 " LEFT JOIN strings sc ON sc.proc = (e.id >> 40) AND sc.id = e.vscope"
	                 " LEFT JOIN strings nm ON nm.proc = (e.id >> 40) AND nm.id = ");
	bad = bad || append_case(sql, sizeof sql, &len, 0);
	bad = bad || append(sql, sizeof sql, &len, " LEFT JOIN outcomes o ON o.outcome = ");
	bad = bad || append_case(sql, sizeof sql, &len, 1);
	bad = bad ||
	      append(sql, sizeof sql, &len,
	             " LEFT JOIN sites si ON si.proc = (e.id >> 40) AND si.site = e.site"
	             " LEFT JOIN strings sf ON sf.proc = si.proc AND sf.id = si.file"
	             " LEFT JOIN strings sfn ON sfn.proc = si.proc AND sfn.id = si.function;");
	if (bad)
		return vs_error_set(err, VS_ERR_INTERNAL, "events view definition too long");
	return vs_db_exec(db, sql, err);
}

static int fill_lookup(sqlite3 *db, const char *sql, unsigned n, const char *(*name)(unsigned),
                       vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	int ret = 0;
	if (rc != SQLITE_OK)
		return vs_db_sqlite_error(db, rc, err, "schema");
	for (unsigned i = 0; i < n; i++) {
		const char *s = name(i);
		if (!s)
			continue;
		sqlite3_bind_int(st, 1, (int)i);
		sqlite3_bind_text(st, 2, s, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			ret = vs_db_sqlite_error(db, rc, err, "schema");
			break;
		}
	}
	sqlite3_finalize(st);
	return ret;
}

int vs_db_schema_create(sqlite3 *db, vs_error *err)
{
	char pragma[128];
	int ret;
	snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
	         VS_DB_APPLICATION_ID, VS_DB_VERSION);
	if ((ret = vs_db_exec(db, pragma, err)) < 0 ||
	    (ret = vs_db_exec(db, ddl_tables, err)) < 0 ||
	    (ret = vs_db_exec(db, ddl_views, err)) < 0 || (ret = make_events_view(db, err)) < 0)
		return ret;
	if ((ret = fill_lookup(db, "INSERT INTO kinds VALUES(?, ?)", VS_EV__COUNT, vs_db_kind_name,
	                       err)) < 0 ||
	    (ret = fill_lookup(db, "INSERT INTO dtypes VALUES(?, ?)", VS_DT__COUNT,
	                       vs_db_dtype_name, err)) < 0 ||
	    (ret = fill_lookup(db, "INSERT INTO outcomes VALUES(?, ?)", N_OUTCOMES,
	                       vs_db_outcome_name, err)) < 0 ||
	    (ret = fill_lookup(db, "INSERT INTO reuses VALUES(?, ?)", N_REUSE, vs_db_reuse_name,
	                       err)) < 0)
		return ret;
	return 0;
}

int vs_db_schema_index(sqlite3 *db, vs_error *err)
{
	return vs_db_exec(db,
	                  "CREATE INDEX IF NOT EXISTS lost_proc ON lost(proc, after_seq);"
	                  "CREATE INDEX IF NOT EXISTS var_name ON var_tab(name);",
	                  err);
}

int vs_db_schema_temp_derived(sqlite3 *db, vs_error *err)
{
	/* temp objects shadow the main ones for unqualified names */
	return vs_db_exec(db,
	                  "CREATE TEMP TABLE scope_tab" SCOPE_TAB_COLS ";"
	                  "CREATE TEMP TABLE var_tab" VAR_TAB_COLS ";"
	                  "CREATE TEMP TABLE frame_tab" VS_DB_FRAME_TAB_COLS ";"
	                  "CREATE TEMP VIEW stacks AS SELECT proc, stack, frame, function, file,"
	                  " line, module, offset, pc FROM temp.frame_tab;"
	                  "CREATE TEMP VIEW scopes" SCOPES_VIEW ";"
	                  "CREATE TEMP VIEW variables" VARIABLES_VIEW ";",
	                  err);
}

static int pragma_int(sqlite3 *db, const char *sql, int64_t *out, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK)
		rc = vs_db_sqlite_error(db, rc, err, "cannot read header");
	sqlite3_finalize(st);
	return rc;
}

static const char *const required_tables[] = {"meta", "procs",     "strings",    "sites",
                                              "ev",   "stack_tab", "module_tab", "frame_tab",
                                              "lost", "scope_tab", "var_tab",    "finding_tab"};

/*
 * Nothing in a trace file is trusted (docs/reliability.md): every
 * connection to one runs with SQLite's defensive mode on (no writable
 * schema, no shadow-table writes), with the schema untrusted (functions
 * with side effects cannot run from a view or an index of the file), with
 * triggers off (a trace never has one, and a write such as vscheck
 * --write-findings must not run one) and without extension loading.
 */
static void distrust(sqlite3 *db)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
}

/* An object of a schema: type, name, table and SQL text (NULL when the
 * column is NULL), as sqlite_schema lists it. */
typedef struct schema_obj {
	char *type, *name, *tbl, *sql;
} schema_obj;

static void objs_free(schema_obj *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].name);
		free(v[i].tbl);
		free(v[i].sql);
	}
	free(v);
}

static char *col_dup(sqlite3_stmt *st, int i, int *oom)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	char *d = t ? strdup(t) : NULL;
	if (t && !d)
		*oom = 1;
	return d;
}

/* the objects of db's main schema into *out (caller frees with objs_free) */
static int objs_load(sqlite3 *db, schema_obj **out, size_t *n, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, oom = 0;
	*out = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM main.sqlite_schema", -1,
	                        &st, NULL);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			break;
		if (VS_GROW(*out, cap, *n + 1) < 0) {
			oom = 1;
			break;
		}
		schema_obj *o = &(*out)[(*n)++];
		o->type = col_dup(st, 0, &oom);
		o->name = col_dup(st, 1, &oom);
		o->tbl = col_dup(st, 2, &oom);
		o->sql = col_dup(st, 3, &oom);
		if (oom)
			break;
	}
	sqlite3_finalize(st);
	if (oom)
		return vs_error_nomem(err);
	if (rc != SQLITE_DONE)
		return vs_db_sqlite_error(db, rc, err, "cannot read the schema");
	return 0;
}

/* A format-2 trace differs only in var_tab and the variables view (format
 * 3 added the VAR_INFO columns): the reference is rebuilt so. */
static const char ddl_v2[] = "DROP VIEW variables; DROP INDEX var_name; DROP TABLE var_tab;"
			     "CREATE TABLE var_tab" VAR_TAB_COLS_V2 ";"
			     "CREATE VIEW variables" VARIABLES_VIEW_V2 ";";

/* the objects vstrace creates in a trace of format version: those of a
 * complete trace built in memory */
static int objs_reference(int64_t version, schema_obj **out, size_t *n, vs_error *err)
{
	sqlite3 *db = NULL;
	int ret;
	*out = NULL;
	*n = 0;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		sqlite3_close(db);
		return vs_error_nomem(err);
	}
	if ((ret = vs_db_exec(db, "BEGIN", err)) >= 0 &&
	    (ret = vs_db_schema_create(db, err)) >= 0 && (ret = vs_db_schema_index(db, err)) >= 0 &&
	    (version != 2 || ((ret = vs_db_exec(db, ddl_v2, err)) >= 0 &&
	                      (ret = vs_db_schema_index(db, err)) >= 0)))
		ret = objs_load(db, out, n, err);
	sqlite3_close(db);
	return ret;
}

static int same_text(const char *a, const char *b) { return a && b ? !strcmp(a, b) : a == b; }

/* SQLite's own statistics tables (ANALYZE): data only, allowed in any
 * trace */
static int sqlite_own(const schema_obj *o)
{
	static const char *const own[][2] = {
		{"sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"},
		{"sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"},
	};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (same_text(o->type, "table") && same_text(o->name, own[i][0]) &&
		    same_text(o->sql, own[i][1]))
			return 1;
	return 0;
}

/*
 * Refuses a file whose schema holds an object vstrace does not create, or
 * one whose definition differs from vstrace's (a trigger, a view redefined
 * over a public name, a virtual table, an extra index ...): such a file was
 * edited by someone else, and its views and indexes would run their SQL in
 * our connection.  The DDL text is therefore part of the format: change it
 * only with a VS_DB_VERSION bump.  Objects vstrace creates later (indexes,
 * derived tables at close) may be missing (an incomplete trace).
 */
static int check_objects(sqlite3 *db, const char *path, int64_t version, vs_error *err)
{
	schema_obj *ref = NULL, *got = NULL;
	size_t nref = 0, ngot = 0;
	int ret;
	if ((ret = objs_reference(version, &ref, &nref, err)) < 0 ||
	    (ret = objs_load(db, &got, &ngot, err)) < 0)
		goto done;
	for (size_t i = 0; i < ngot; i++) {
		const schema_obj *o = &got[i];
		size_t j = 0;
		while (j < nref &&
		       !(same_text(o->type, ref[j].type) && same_text(o->name, ref[j].name) &&
		         same_text(o->tbl, ref[j].tbl) && same_text(o->sql, ref[j].sql)))
			j++;
		if (j < nref || sqlite_own(o))
			continue;
		char type[32], name[128];
		printable(type, sizeof type, o->type ? o->type : "object");
		printable(name, sizeof name, o->name ? o->name : "");
		ret = vs_error_set(err, VS_ERR_FORMAT,
		                   "'%s': refused: its schema holds %s '%s', which vstrace did not "
		                   "create (the file was changed outside vstrace)",
		                   path, type, name);
		goto done;
	}
	ret = 0;
done:
	objs_free(ref, nref);
	objs_free(got, ngot);
	return ret;
}

/* A killed writer leaves a hot rollback journal; a read-only connection
 * cannot roll it back, so one read-write connection does it first. */
static int recover_journal(const char *path, int flags, vs_error *err)
{
	char jpath[4096];
	struct stat st;
	sqlite3 *db = NULL;
	int rc;
	if (flags & SQLITE_OPEN_READWRITE)
		return 0;
	if (snprintf(jpath, sizeof jpath, "%s-journal", path) >= (int)sizeof jpath)
		return 0;
	if (stat(jpath, &st) != 0 || st.st_size == 0)
		return 0;
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		distrust(db);
		rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_READONLY && (rc & 0xff) != SQLITE_CANTOPEN &&
	    (rc & 0xff) != SQLITE_PERM) {
		int ret = vs_db_sqlite_error(db, rc, err, "cannot recover journal");
		sqlite3_close(db);
		return ret;
	}
	sqlite3_close(db);
	return 0;
}

/* path names a regular file with something in it: 0, or the error */
static int trace_file(const char *path, vs_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': no such file", path);
	if (!S_ISREG(st.st_mode))
		return vs_error_set(err, VS_ERR_FORMAT, "'%s': not a regular file", path);
	if (st.st_size == 0) /* SQLite would take it for a new, empty database */
		return vs_error_set(err, VS_ERR_FORMAT, "'%s': empty file", path);
	return 0;
}

int vs_db_schema_open(sqlite3 **out, const char *path, int flags, vs_error *err)
{
	sqlite3 *db = NULL;
	int64_t appid = 0, version = 0, n = 0;
	int ret = -1, rc;
	*out = NULL;
	if ((ret = trace_file(path, err)) < 0)
		goto cleanup;
	if ((ret = recover_journal(path, flags, err)) < 0)
		goto prefixed;
	/* every trace connection belongs to one thread (a reader, vscheck's
	 * write-back): no SQLite mutexes, a sixth of the checker's time */
	rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = vs_db_sqlite_error(db, rc, err, "cannot open");
		goto prefixed;
	}
	distrust(db);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 2000);
	if ((ret = pragma_int(db, "PRAGMA application_id", &appid, err)) < 0)
		goto prefixed;
	if (appid != VS_DB_APPLICATION_ID) {
		ret = vs_error_set(err, VS_ERR_FORMAT,
		                   "'%s': not a vstrace trace (application_id 0x%llx)", path,
		                   (unsigned long long)(uint32_t)appid);
		goto cleanup;
	}
	if ((ret = pragma_int(db, "PRAGMA user_version", &version, err)) < 0)
		goto prefixed;
	if (version > VS_DB_VERSION) {
		ret = vs_error_set(
			err, VS_ERR_VERSION,
			"'%s': trace format version %lld is newer than this vstrace (max %d)", path,
			(long long)version, VS_DB_VERSION);
		goto cleanup;
	}
	if (version < VS_DB_VERSION_MIN) {
		ret = vs_error_set(
			err, VS_ERR_VERSION,
			"'%s': trace format version %lld is too old for this vstrace (min %d)",
			path, (long long)version, VS_DB_VERSION_MIN);
		goto cleanup;
	}
	for (size_t i = 0; i < sizeof required_tables / sizeof required_tables[0]; i++) {
		char sql[160];
		snprintf(sql, sizeof sql,
		         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
		         required_tables[i]);
		if ((ret = pragma_int(db, sql, &n, err)) < 0)
			goto prefixed;
		if (n != 1) {
			ret = vs_error_set(err, VS_ERR_FORMAT,
			                   "'%s': corrupt trace (missing table '%s')", path,
			                   required_tables[i]);
			goto cleanup;
		}
	}
	if ((ret = check_objects(db, path, version, err)) < 0) {
		if (ret != VS_ERR_FORMAT)
			goto prefixed;
		goto cleanup;
	}
	*out = db;
	db = NULL;
	ret = 0;
	goto cleanup;
prefixed:
	vs_error_prefix(err, "'%s'", path);
cleanup:
	sqlite3_close(db);
	return ret;
}
