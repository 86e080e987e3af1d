#!/bin/sh
# t3050-check-write-findings.sh: --write-findings stores the findings in
# the trace's findings table (replacing earlier rows) for SQL users
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"
command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3"; exit 0; }

rec rnn_bug_shape
db=$T/rnn_bug_shape.db
vsc --write-findings "$db"
check "exit" "$rc" 1
q="SELECT code, name, severity, file, line, function, scope FROM findings ORDER BY code"
check "findings rows" "$(sqlite3 -batch -noheader "$db" "$q")" "VS103|share-shape-mismatch|error|examples/rnn_bug_shape.c|31|rnn_cell|rnn_cell
VS111|op-scope-diverges|note|examples/rnn_bug_shape.c|27|rnn_cell|"
vsc --write-findings --select VS103 "$db"
check "rewritten" "$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM findings")" 1
vsc "$db"
check "trace still checks" "$rc" 1
t_done
