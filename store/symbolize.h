/* SPDX-License-Identifier: MIT */
/*
 * store/symbolize.h - internal to store/: turns the return addresses of
 * recorded call stacks into module, function, file and line, off the
 * traced program's critical path (at trace close, or when a reader derives
 * an incomplete trace).
 *
 * Uses elfutils libdwfl on the module files named by the trace's MODULE
 * records; it never reads the traced program's memory (the program may
 * have died long ago).  A file whose GNU build id differs from the one
 * recorded (rebuilt since) or that cannot be opened gives module + offset
 * only; so does a stripped module without separate debug info (libdwfl
 * looks for .gnu_debuglink and /usr/lib/debug/.build-id files).
 */
#ifndef VS_STORE_SYMBOLIZE_H
#define VS_STORE_SYMBOLIZE_H

#include <stdint.h>

#include "vs/error.h"

struct sqlite3;

/*
 * The stack tables (raw: module_tab and stack_tab, loaded from MODULE and
 * STACK events; derived at close: frame_tab) and their public views
 * (docs/schema.md), included in the trace's DDL by store/schema.c.
 * Strings (path, build_id) are string ids of the process.
 */
#define VS_DB_FRAME_TAB_COLS                                                                    \
	"(proc INTEGER, stack INTEGER, frame INTEGER, pc INTEGER, module TEXT, offset INTEGER," \
	" function TEXT, file TEXT, line INTEGER, PRIMARY KEY(proc, stack, frame)) WITHOUT ROWID"
#define VS_DB_STACK_TABLES                                                                  \
	"CREATE TABLE module_tab(proc INTEGER, module INTEGER, path INTEGER, bias INTEGER," \
	" text_start INTEGER, text_size INTEGER, build_id INTEGER,"                         \
	" PRIMARY KEY(proc, module)) WITHOUT ROWID;"                                        \
	"CREATE TABLE stack_tab(proc INTEGER, node INTEGER, caller INTEGER, pc INTEGER,"    \
	" module INTEGER, site INTEGER, PRIMARY KEY(proc, node)) WITHOUT ROWID;"            \
	"CREATE TABLE frame_tab" VS_DB_FRAME_TAB_COLS ";"
#define VS_DB_STACK_VIEWS                                                                 \
	"CREATE VIEW stacks AS SELECT proc, stack, frame, function, file, line, module,"  \
	" offset, pc FROM frame_tab;"                                                     \
	"CREATE VIEW modules AS SELECT m.proc AS proc, m.module AS module, sp.s AS path," \
	" m.bias AS bias, m.bias + m.text_start AS text_start, m.text_size AS text_size," \
	" sb.s AS build_id FROM module_tab m"                                             \
	" LEFT JOIN strings sp ON sp.proc = m.proc AND sp.id = m.path"                    \
	" LEFT JOIN strings sb ON sb.proc = m.proc AND sb.id = m.build_id;"

typedef struct vs_sym vs_sym;

/* One resolved frame; texts are valid until the vs_sym is freed. */
typedef struct vs_sym_frame {
	const char *function; /* NULL: no symbol covers the address */
	const char *file;     /* NULL: no line information */
	int line;             /* 0 with file NULL */
	uint64_t offset;      /* pc - load bias: the address in the module file */
} vs_sym_frame;

int vs_sym_new(vs_sym **out, vs_error *err);
void vs_sym_free(vs_sym *s);

/*
 * Resolves the return address pc of a frame in the module file path loaded
 * at bias (build_id: hex recorded at run time, NULL or "" unknown).  The
 * call instruction (pc - 1) is what is looked up, so the line is the call's.
 * Code inlined into its caller gives one frame per inlined call, innermost
 * first (dense() inlined into tower(): "dense" at the get_variable line,
 * then "tower" at the line that calls dense), all with the same offset.
 * Fills up to max frames and returns how many (>= 1 when max >= 1: an
 * unresolved frame has only its offset); <0 only when out of memory.
 */
int vs_sym_resolve(vs_sym *s, const char *path, uint64_t bias, const char *build_id, uint64_t pc,
                   vs_sym_frame *out, int max, vs_error *err);

/*
 * Fills frame_tab in schema ("main" or "temp") from stack_tab, module_tab,
 * sites and strings: one row per frame of every stack some site uses,
 * symbolized (a symbolic frame, pushed by a scenario or a binding, takes
 * file, line and function from its site).  The caller holds a write
 * transaction.
 */
int vs_db_symbolize(struct sqlite3 *db, const char *schema, vs_error *err);

#endif
