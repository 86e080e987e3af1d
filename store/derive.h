/* SPDX-License-Identifier: MIT */
/*
 * store/derive.h - internal to store/: the helper tables a trace gets when
 * the writer closes it (fork-inherited strings and sites, scope_tab,
 * var_tab).  A trace whose recorder was killed has the raw tables only.
 */
#ifndef VS_STORE_DERIVE_H
#define VS_STORE_DERIVE_H

#include "vs/error.h"

struct sqlite3;

/* Fills the derived tables from the raw ones, inside the caller's
 * transaction.  Idempotent: clears what an earlier run derived. */
int vs_db_derive(struct sqlite3 *db, vs_error *err);

#endif /* VS_STORE_DERIVE_H */
