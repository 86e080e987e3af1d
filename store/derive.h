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

/*
 * The SQL that the derivation at close (derive.c, over the whole event
 * table) and the one while loading (derive_stream.c, one event at a time)
 * share:
 *  - VS_DERIVE_VAR_ROW: var_tab's columns and the SELECT of the row of each
 *    VAR_CREATE event `e` of ev (payload slots and flag bits pinned in
 *    derive.c); it follows "INSERT OR REPLACE INTO [schema.]var_tab" and
 *    comes before a WHERE on e;
 *  - VS_DERIVE_INHERIT_STRINGS, _SITES: a fork child (?1) gets the strings
 *    and sites of its parent (?2) that it does not define itself.
 */
#define VS_DERIVE_VAR_ROW                                                                     \
	"(proc, var_id, name, store_key, shape, dtype, trainable, collections, graph,"        \
	" created_by, template, flags, seq, tid, file, line, function, stack)"                \
	" SELECT (e.id >> 40), e.p0, n.s, k.s, sh.s, d.name, (e.flags >> 10) & 1, c.s, e.p6," \
	"  CASE WHEN e.flags & 4096 THEN 'Variable'"                                          \
	"   WHEN e.flags & 8192 THEN 'get_local_variable' ELSE 'get_variable' END,"           \
	"  e.p7, e.flags, (e.id & 1099511627775), e.tid, sf.s, si.line, sfn.s, si.stack"      \
	" FROM ev e"                                                                          \
	" LEFT JOIN strings n ON n.proc = (e.id >> 40) AND n.id = e.p1"                       \
	" LEFT JOIN strings k ON k.proc = (e.id >> 40) AND k.id = e.p2"                       \
	" LEFT JOIN strings sh ON sh.proc = (e.id >> 40) AND sh.id = e.p3"                    \
	" LEFT JOIN dtypes d ON d.dtype = e.p4"                                               \
	" LEFT JOIN strings c ON c.proc = (e.id >> 40) AND c.id = e.p5"                       \
	" LEFT JOIN sites si ON si.proc = (e.id >> 40) AND si.site = e.site"                  \
	" LEFT JOIN strings sf ON sf.proc = si.proc AND sf.id = si.file"                      \
	" LEFT JOIN strings sfn ON sfn.proc = si.proc AND sfn.id = si.function"
#define VS_DERIVE_INHERIT_STRINGS \
	"INSERT OR IGNORE INTO strings SELECT ?1, id, s FROM strings WHERE proc = ?2"
#define VS_DERIVE_INHERIT_SITES                                                    \
	"INSERT OR IGNORE INTO sites SELECT ?1, site, file, line, function, stack" \
	" FROM sites WHERE proc = ?2"

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
