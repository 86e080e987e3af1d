/* SPDX-License-Identifier: MIT */
/*
 * store/schema.h - internal to store/: the trace format constants, the DDL
 * and the validation shared by the writer, the reader and the findings
 * write-back.  Everything a user may rely on is the set of views documented
 * in docs/schema.md; the raw tables below them may change with the version.
 */
#ifndef VS_STORE_SCHEMA_H
#define VS_STORE_SCHEMA_H

#include <stdint.h>

#include "vs/error.h"

struct sqlite3;

/*
 * Identity and version of the file format.
 *  - VS_DB_APPLICATION_ID never changes ("vsTR").
 *  - Bump VS_DB_VERSION for every change of a raw table, a view or a meaning
 *    (and whenever VS_EVENT_ABI changes).
 *  - Raise VS_DB_VERSION_MIN to VS_DB_VERSION only when this code can no
 *    longer read the older layout; keep it when the change is additive
 *    (a new column at the end, a new table or view).
 */
#define VS_DB_APPLICATION_ID 0x76735452
/* 2: call stacks (stacks, modules, stack columns), VAR_STORE_NEW.  3: VAR_ARGS,
 * VAR_INFO, the variables view's initializer, constraint_label, caching_device
 * and device columns */
#define VS_DB_VERSION 3
/* version 1 views lack the stack columns; a version 2 file is read as it is
 * (its variables view lacks the version 3 columns) */
#define VS_DB_VERSION_MIN 2

/* Raw event key: rowid = proc << VS_DB_SEQ_BITS | seq. */
#define VS_DB_SEQ_BITS 40
#define VS_DB_SEQ_MAX ((UINT64_C(1) << VS_DB_SEQ_BITS) - 1)
#define VS_DB_PROC_MAX ((UINT32_C(1) << (62 - VS_DB_SEQ_BITS)) - 1)
/* SQL text in store/ spells the key split as ">> 40" and "& 1099511627775" */
_Static_assert(VS_DB_SEQ_BITS == 40 && VS_DB_SEQ_MAX == UINT64_C(1099511627775),
               "SQL in store/ spells the raw key's seq bits as 40 and 1099511627775");

/* Creates tables, views and the constant lookup tables of a new trace
 * (inside the caller's transaction). */
int vs_db_schema_create(struct sqlite3 *db, vs_error *err);
/* Creates empty derived tables (scope_tab, var_tab) and the views over
 * them (scopes, variables) in the temporary schema, where they shadow the
 * trace's own for unqualified names. */
int vs_db_schema_temp_derived(struct sqlite3 *db, vs_error *err);
/* Indexes built after the load (at close). */
int vs_db_schema_index(struct sqlite3 *db, vs_error *err);

/*
 * Opens path with flags (SQLITE_OPEN_*) and validates it as a trace:
 * application id, version, required tables.  On failure *out is NULL and
 * err names path.  A hot rollback journal left by a killed recorder is
 * rolled back first (the trace keeps what was committed).
 */
int vs_db_schema_open(struct sqlite3 **out, const char *path, int flags, vs_error *err);

/* Formats the last SQLite error of db into err (VS_ERR_FORMAT for a corrupt
 * or non-database file, else VS_ERR_IO), prefixed with what. */
int vs_db_sqlite_error(struct sqlite3 *db, int rc, vs_error *err, const char *what);

/* Executes sql (no rows expected). */
int vs_db_exec(struct sqlite3 *db, const char *sql, vs_error *err);

/* "GETVAR_ENTER", ... for a kind, NULL if unknown; the payload slot holding
 * the kind's most relevant string (-1 none) and its outcome slot (-1 none). */
const char *vs_db_kind_name(unsigned kind);
int vs_db_kind_from_name(const char *name);
int vs_db_kind_name_slot(unsigned kind);
int vs_db_kind_outcome_slot(unsigned kind);
/* "float32", ... ("" for none or unknown) and "None"/"False"/"True"/"AUTO_REUSE". */
const char *vs_db_dtype_name(unsigned dtype);
const char *vs_db_reuse_name(unsigned reuse);
const char *vs_db_outcome_name(unsigned outcome);

#endif /* VS_STORE_SCHEMA_H */
