/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/store_fixture.h - a small hand-built trace shared by the store
 * suites (defined in test_store_writer.c).  Setting VS_STORE_FIXTURE=PATH
 * while running the store_writer suite also writes it to PATH (and the
 * same trace with its recorder killed before close to PATH.killed.db) for the
 * end-to-end tests of info/show/query (tests/e2e/t2*-store-*.sh).
 *
 * Process 1 (pid 4242, exits 0): thread 1 enters variable_scope "foo"
 * (AUTO_REUSE), get_variable "v" creates foo/v:0 through the default
 * creator; thread 2 asks get_variable "w" and gets a ValueError; 3 events
 * of thread 2 are lost after seq 12.  Process 2 (pid 4243) is a fork child
 * at seq 10: it reuses the inherited string "foo" (id 3), redefines id 10
 * and dies by signal 9 with its thread truncated.
 */
#ifndef VS_TESTS_STORE_FIXTURE_H
#define VS_TESTS_STORE_FIXTURE_H

#include "store/db.h"

#define FIX_TS0 UINT64_C(1700000000000000000)
#define FIX_NAME_ODD "it's \"q\"/\xc3\xbc/'; DROP TABLE ev; --"
#define FIX_ERR_MSG                                                                   \
	"Variable w does not exist, or was not created with tf.get_variable(). Did you " \
	"mean to set reuse=tf.AUTO_REUSE in VarScope?"

/* Writes the fixture trace to path (replacing it); 0 or a vs_err. */
int vs_test_store_fixture(const char *path, vs_error *err);

/* Writes the same trace but kills the writer (in a child process) after
 * its last commit, before close: an incomplete trace.  0 or -1. */
int vs_test_store_fixture_killed(const char *path);

/* Removes a trace and its rollback journal (if any). */
void vs_test_unlink_trace(const char *path);

/* Builds an event (unlisted fields 0). */
vs_event vs_test_ev(uint64_t seq, uint32_t tid, unsigned kind, unsigned flags, uint32_t site,
                    const uint32_t p[8]);

/* Runs sql on the trace at path (plain sqlite3, read-only) and returns
 * every row as its columns joined by '|' (NULL as "-"), rows joined by
 * '\n'; an SQL error returns "error: <message>".  Caller frees. */
char *vs_test_sql_rows(const char *path, const char *sql);

#endif
