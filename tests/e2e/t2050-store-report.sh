#!/bin/sh
# t2050-store-report.sh: `vstrace report`: per-scope and per-call-site
# tables of a real recording (counts exact, times not compared, the same
# with and without call stacks), --sort,
# --json, argument errors; `vstrace help CMD` is `vstrace CMD --help`
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"

rec rnn_bug_shape
db=$T/rnn_bug_shape.db
# the tables without the TIME column
notime() { sed -E 's/ +[0-9.]+$//; s/ +TIME\(ms\)$//'; }

"$VSTRACE" report "$db" --sort name > r.out
check "report exit" "$?" 0
check "scopes by name" "$(sed -n '1,/^$/p' r.out | notime)" "SCOPE           ENTRIES  CREATED   REUSED   ERRORS    EVENTS
(root)                0        1        0        0        28
output                1        0        0        0        12
output/softmax        4        2        0        0        48
rnn_cell              2        3        0        1        49"
check "sites with calls" "$(sed -n '/^SITE/,$p' r.out | notime | grep -v '  0        0        0        0 ')" \
"SITE                         FUNCTION        CALLS  CREATED   REUSED   ERRORS    EVENTS
examples/layers.h:102        ex_dense            2        2        0        0        52
examples/rnn_bug_shape.c:31  rnn_cell            2        1        0        1        18
examples/rnn_bug_shape.c:34  rnn_cell            1        1        0        0        13
examples/rnn_bug_shape.c:38  rnn_cell            1        1        0        0        14
examples/rnn_bug_shape.c:62  build               1        1        0        0        13"
# the trace's own records (SITE, MODULE, STACK) are not counted: the same
# figures without call stacks
(cd "$SRC" && "$VSTRACE" record -f --no-stacks -o "$T/nostk.db" -- "$B/examples/rnn_bug_shape") >/dev/null 2>&1
check "stacks do not change the counts" "$("$VSTRACE" report "$T/nostk.db" --sort name | notime)" "$(notime < r.out)"
check "--sort errors: the failing site first" \
	"$("$VSTRACE" report "$db" -s errors | sed -n '/^SITE/{n;p;}' | cut -d' ' -f1)" "examples/rnn_bug_shape.c:31"
check "--sort created: the scope that created most first" \
	"$("$VSTRACE" report "$db" --sort created | sed -n 2p | cut -d' ' -f1)" "rnn_cell"

if command -v python3 >/dev/null 2>&1; then
	"$VSTRACE" report "$db" --json > r.json
	python3 - r.json <<'PY' || t_failed=1
import json, sys
d = json.load(open(sys.argv[1]))
scopes = {s["scope"]: s for s in d["scopes"]}
assert scopes["rnn_cell"]["entries"] == 2 and scopes["rnn_cell"]["created"] == 3, scopes["rnn_cell"]
assert scopes["rnn_cell"]["errors"] == 1 and scopes["rnn_cell"]["calls"] == 4, scopes["rnn_cell"]
assert scopes[""]["created"] == 1, scopes[""]
assert sum(s["events"] for s in d["scopes"]) == 137, sum(s["events"] for s in d["scopes"])
site = [s for s in d["sites"] if s["site"] == "examples/rnn_bug_shape.c:31"][0]
assert site["function"] == "rnn_cell" and site["calls"] == 2 and site["errors"] == 1, site
assert all(s["time_ns"] >= 0 for s in d["sites"])
print("ok   report --json")
PY
fi

rc=0
"$VSTRACE" report "$db" --sort size > /dev/null 2> bad.err || rc=$?
check "bad --sort exit" "$rc" 2
check "bad --sort message" "$(cat bad.err)" "vstrace: report: unknown sort key 'size' (expected time, events, created, reused, errors, calls, entries or name) (see 'vstrace report --help')"
rc=0
"$VSTRACE" report > /dev/null 2> bad.err || rc=$?
check "no trace exit" "$rc" 2

check "help CMD" "$("$VSTRACE" help report)" "$("$VSTRACE" report --help)"
rc=0
"$VSTRACE" help nope > /dev/null 2> bad.err || rc=$?
check "help NOPE exit" "$rc" 2
check "help NOPE message" "$(cat bad.err)" "vstrace: unknown command 'nope' (see 'vstrace --help')"
t_done
