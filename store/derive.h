/* SPDX-License-Identifier: MIT */
/*
 * store/derive.h - internal to store/: the helper tables a trace gets when
 * the writer closes it (fork-inherited strings and sites, scope_tab,
 * var_tab).  A trace whose recorder was killed has the raw tables only;
 * `vstrace query` derives them in memory (vs_db_derive_temp).
 */
#ifndef VS_STORE_DERIVE_H
#define VS_STORE_DERIVE_H

#include "vs/error.h"

struct sqlite3;

/* Fills the derived tables from the raw ones, inside the caller's
 * transaction.  Idempotent: clears what an earlier run derived. */
int vs_db_derive(struct sqlite3 *db, vs_error *err);

/* For a trace whose recorder died (no derived tables): derives scope_tab
 * and var_tab into the connection's temporary schema, with temp views
 * scopes and variables over them, so that queries see what a closed trace
 * would show (fork children's inherited strings excepted).  The file is
 * not written; works on a read-only connection; once per connection. */
int vs_db_derive_temp(struct sqlite3 *db, vs_error *err);

#endif /* VS_STORE_DERIVE_H */
