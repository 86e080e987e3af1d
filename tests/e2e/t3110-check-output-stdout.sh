#!/bin/sh
# t3110-check-output-stdout.sh: `vscheck -o FORMAT:-` writes that report to
# stdout (never a file named '-'); two reports for stdout are refused
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

rec rnn_bug_shape
db=$T/rnn_bug_shape.db
vsc --format gcc "$db"
cp "$out" want.gcc
vsc -o gcc:- "$db"
check "-o gcc:- exit" "$rc" 1
check "-o gcc:- is the gcc report" "$(cat "$out")" "$(cat want.gcc)"
[ -e ./- ] && fail "-o gcc:- created a file named '-'"
vsc -o gcc:- --format gcc -o json:r.json "$db"
check "with --format of the same format and another -o: exit" "$rc" 1
[ -s r.json ] || fail "the json report was not written"
vsc -o gcc:- -o json:- "$db"
check "two stdout reports: exit" "$rc" 2
check "two stdout reports: message" "$(cat "$err")" "vscheck: -o json:-: stdout already gets the gcc report (see 'vscheck --help')"
vsc --format sarif -o gcc:- "$db"
check "--format and -o FORMAT:-: message" "$(cat "$err")" "vscheck: -o gcc:-: stdout already gets the sarif report (see 'vscheck --help')"
t_done
