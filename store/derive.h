/* SPDX-License-Identifier: MIT */
/*
 * store/derive.h - internal to store/: the helper tables a trace gets when
 * the writer closes it (fork-inherited strings and sites, scope_tab,
 * var_tab).  A trace whose recorder was killed has the raw tables only;
 * `vstrace query` derives them in memory (vs_db_derive_temp).
 */
#ifndef VS_STORE_DERIVE_H
#define VS_STORE_DERIVE_H

#include <stdint.h>

#include "vs/error.h"
#include "vs/event.h"

struct sqlite3;

/* Fills the derived tables from the raw ones, inside the caller's
 * transaction.  Idempotent: clears what an earlier run derived. */
int vs_db_derive(struct sqlite3 *db, vs_error *err);

/* (capture) Only the first step of vs_db_derive: fork children get the
 * strings and sites they inherited (idempotent; the writer's close). */
int vs_db_derive_inherit(struct sqlite3 *db, vs_error *err);

/* For a trace whose recorder died (no derived tables): derives scope_tab
 * and var_tab into the connection's temporary schema, with temp views
 * scopes and variables over them, so that queries see what a closed trace
 * would show (fork children's inherited strings excepted).  The file is
 * not written; works on a read-only connection; once per connection. */
int vs_db_derive_temp(struct sqlite3 *db, vs_error *err);

/*
 * (capture) The same tables derived while the trace loads (derive_stream.c):
 * the writer hands every event over right after inserting it (row = its
 * ev rowid), and registers fork children (their inherited strings and
 * sites are copied then, so names resolve at once).  No pass over the
 * whole event table at close.
 */
typedef struct vs_derive_stream vs_derive_stream;
int vs_derive_stream_open(vs_derive_stream **out, struct sqlite3 *db, vs_error *err);
int vs_derive_stream_event(vs_derive_stream *d, uint32_t proc, const vs_event *ev, int64_t row,
                           vs_error *err);
int vs_derive_stream_inherit(vs_derive_stream *d, uint32_t child, uint32_t parent, vs_error *err);
/* Writes the scopes still open (never left) at the end of the load. */
int vs_derive_stream_finish(vs_derive_stream *d, vs_error *err);
void vs_derive_stream_close(vs_derive_stream *d);

#endif /* VS_STORE_DERIVE_H */
