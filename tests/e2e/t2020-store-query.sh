#!/bin/sh
# t2020-store-query.sh: `vstrace query` output formats (table, CSV, JSON),
# SQL from a file, several statements, an incomplete trace, and refused
# writes (exit 2, the trace unchanged).
. "$(dirname "$0")/lib.sh"
st_fixture
DB=$st_tmp/fix.db
q_vars='SELECT name, shape, dtype, trainable, created_by, create_seq, file, line FROM variables ORDER BY create_seq'
st_check query-table "$VSTRACE" query "$DB" "$q_vars"
st_check query-csv "$VSTRACE" query "$DB" --csv "$q_vars"
st_check query-json "$VSTRACE" query --json "$DB" "$q_vars"
st_check query-events "$VSTRACE" query "$DB" \
	"SELECT seq, tid, kind, scope, name, outcome FROM events WHERE proc = 1 AND kind LIKE 'GETVAR%' ORDER BY seq"
st_check query-stats "$VSTRACE" query "$DB" \
	'SELECT proc, pid, events, lost, truncated, exit_code, signal, complete FROM stats; SELECT kind, name, thread, enter_seq, exit_seq, depth FROM scopes ORDER BY id'
printf '%s\n' '-- threads of the fork child' 'SELECT proc, tid, events FROM threads WHERE proc = 2;' > "$st_tmp/q.sql"
st_check query-file "$VSTRACE" query "$DB" -F "$st_tmp/q.sql"
before=$(cksum < "$DB")
st_check query-refuse-delete "$VSTRACE" query "$DB" 'DELETE FROM ev'
st_check query-refuse-pragma "$VSTRACE" query "$DB" 'PRAGMA user_version = 7'
st_check query-refuse-attach "$VSTRACE" query "$DB" "ATTACH DATABASE '$st_tmp/x.db' AS x"
st_check query-refuse-second "$VSTRACE" query "$DB" 'SELECT 1 AS one; UPDATE meta SET value = 0'
[ "$(cksum < "$DB")" = "$before" ] || { echo "FAIL the trace changed"; t_failed=1; }
[ ! -e "$st_tmp/x.db" ] || { echo "FAIL ATTACH created a file"; t_failed=1; }
# a trace whose recorder died: scopes and variables are derived in memory
K=$st_tmp/fix.db.killed.db
st_check query-incomplete "$VSTRACE" query "$K" \
	'SELECT complete FROM stats WHERE proc = 1; SELECT name, created_by, create_seq FROM variables ORDER BY create_seq; SELECT proc, kind, name, enter_seq, exit_seq FROM scopes ORDER BY proc, enter_seq'
st_check query-bad-sql "$VSTRACE" query "$DB" 'SELECT * FROM nope'
st_check query-two-formats "$VSTRACE" query "$DB" --csv --json 'SELECT 1'
st_check query-no-sql "$VSTRACE" query "$DB"
st_check query-missing-file "$VSTRACE" query "$DB" -F "$st_tmp/none.sql"
t_done
