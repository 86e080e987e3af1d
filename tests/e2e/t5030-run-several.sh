#!/bin/sh
# t5030-run-several.sh: `vstrace run` takes several scenarios (one summary
# line each, the worst exit status); -o records only one, and -o - is refused;
# the call sites of a recorded scenario name its threads and functions
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"
cd "$SRC" || exit 1

rc=0
"$VSTRACE" run -q examples/scenarios/vs-simple.yaml examples/scenarios/vs-threads.yaml > "$T/two.out" 2>&1 || rc=$?
check "two: exit" "$rc" 0
check "two: summaries" "$(cat "$T/two.out")" "examples/scenarios/vs-simple.yaml: ok: 3 steps, 1 created, 0 reused, 0 errors (0 uncaught), 1 expectation, 0 failed
examples/scenarios/vs-threads.yaml: ok: 13 steps, 2 created, 0 reused, 1 error (0 uncaught), 3 expectations, 0 failed"

printf 'steps:\n  - get_variable: {name: v, shape: [1]}\n    expect: {name: w:0}\n' > "$T/fails.yaml"
rc=0
"$VSTRACE" run -q "$T/fails.yaml" examples/scenarios/vs-simple.yaml > /dev/null 2>&1 || rc=$?
check "a failing one: exit 1" "$rc" 1
rc=0
"$VSTRACE" run -q "$T/fails.yaml" "$T/missing.yaml" examples/scenarios/vs-simple.yaml > "$T/bad.out" 2>&1 || rc=$?
check "a missing one: exit 2, the others still run" "$rc" 2
grep -q "^examples/scenarios/vs-simple.yaml: ok:" "$T/bad.out" || fail "the scenario after a missing one did not run"

rc=0
"$VSTRACE" run -o "$T/x.db" examples/scenarios/vs-simple.yaml examples/scenarios/vs-threads.yaml > /dev/null 2> "$T/err" || rc=$?
check "-o with two: exit" "$rc" 2
check "-o with two: message" "$(cat "$T/err")" "vstrace: run: -o records one scenario ('examples/scenarios/vs-simple.yaml' and 'examples/scenarios/vs-threads.yaml' given) (see 'vstrace run --help')"
[ -e "$T/x.db" ] && fail "-o with two scenarios wrote a trace"
rc=0
"$VSTRACE" run -o - examples/scenarios/vs-simple.yaml > /dev/null 2> "$T/err" || rc=$?
check "-o -: exit" "$rc" 2
check "-o -: message" "$(cat "$T/err")" "vstrace: run: -o -: a trace is a database file, not a stream (see 'vstrace run --help')"
[ -e ./- ] && fail "-o - created a file named '-'"
# -o does not replace a file unless -f, as for vstrace record
"$VSTRACE" run -q -o "$T/ex.db" examples/scenarios/vs-threads.yaml > /dev/null || fail "run -o ex.db"
rc=0
"$VSTRACE" run -q -o "$T/ex.db" examples/scenarios/vs-simple.yaml > /dev/null 2> "$T/err" || rc=$?
check "-o existing: exit" "$rc" 2
check "-o existing: message" "$(cat "$T/err")" "vstrace: '$T/ex.db': file exists (use -f to replace it)"
check "-o existing: kept" "$("$VSTRACE" query "$T/ex.db" "SELECT count(*) FROM variables" | tail -n 1 | tr -d ' ')" 2
"$VSTRACE" run -q -f -o "$T/ex.db" examples/scenarios/vs-simple.yaml > /dev/null || fail "run -f -o"
check "-f replaced it" "$("$VSTRACE" query "$T/ex.db" "SELECT count(*) FROM variables" | tail -n 1 | tr -d ' ')" 1

# call sites are in the scenario's own functions: thread bodies, functions:
"$VSTRACE" run -q -o "$T/th.db" examples/scenarios/vs-threads.yaml > /dev/null || fail "run vs-threads"
check "thread bodies name the sites" "$("$VSTRACE" query "$T/th.db" "SELECT DISTINCT function FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY 1" | tail -n +3 | tr -d ' ' | tr '\n' ' ')" "forgetful second worker "
printf 'functions:\n  dense:\n    - get_variable: {name: w, shape: [1]}\nsteps:\n  - call: {function: dense}\n  - get_variable: {name: b, shape: [1]}\n' > "$T/fn.yaml"
"$VSTRACE" run -q -o "$T/fn.db" "$T/fn.yaml" > /dev/null || fail "run fn.yaml"
check "functions name their sites, main the rest" "$("$VSTRACE" query "$T/fn.db" "SELECT name || ' ' || function FROM variables ORDER BY create_seq" | tail -n +3 | sed 's/ *$//' | tr '\n' ',')" "w:0 dense,b:0 main,"
t_done
