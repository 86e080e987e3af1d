#!/bin/sh
# t6020-replay-divergence.sh: `vstrace replay` finds exactly the outcome
# that was edited in a copy of a trace (a get_variable that created its
# variable, recorded as a reuse); --keep writes the scenario that
# `export --format scenario` writes; -o records the replay; --free on a
# threaded trace; and the command-line errors of export and replay.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$B/examples/gan"
rec gan
db=$T/gan.db
check "original replays" "$("$VSTRACE" replay "$db" | sed 's/[0-9]* calls/N calls/')" \
	"replay: N calls, all outcomes identical"

# the recorder writes the host name (uname -n) into meta.host: info shows
# it, every json/csv row carries it (vstrace record here, vstrace run -o below)
host=$(uname -n)
check "record: info host" "$("$VSTRACE" info "$db" | sed -n 's/^host  *//p')" "$host"
check "record: json host" \
	"$("$VSTRACE" export --format json --view variables "$db" | jq -r .host | sort -u)" "$host"
"$VSTRACE" export --format csv --view threads "$db" >"$T/threads.csv"
check "record: csv host" "$(awk -F, 'NR == 1 { print $3 }' "$T/threads.csv") \
$(awk -F, 'NR > 1 { print $3 }' "$T/threads.csv" | sort -u)" "host $host"

# the third get_variable that created a variable now says "reused"
seq=$(q "$db" "SELECT seq FROM events WHERE kind = 'GETVAR_EXIT' AND outcome = 'created'
	ORDER BY seq LIMIT 1 OFFSET 2")
cp "$db" "$T/edited.db"
sqlite3 "$T/edited.db" "UPDATE ev SET p3 = 2 WHERE id = (1 << 40) | $seq" || fail "edit"
rc=0
"$VSTRACE" replay "$T/edited.db" >"$T/div.out" 2>&1 || rc=$?
check "divergence exit" "$rc" 1
check_file "$T/div.out" \
	"replay: divergence at event #$seq (GETVAR_EXIT) of thread 1: created: expected false, got true"

# --keep writes what export writes; -o records the replay
"$VSTRACE" replay --keep "$T/kept.yaml" -o "$T/replayed.db" "$db" >/dev/null
"$VSTRACE" export --format scenario "$db" >"$T/exported.yaml"
cmp -s "$T/kept.yaml" "$T/exported.yaml" && echo "ok   --keep" || fail "--keep differs from export"
check "-o records the replay" "$(q "$T/replayed.db" 'SELECT count(*) FROM variables')" \
	"$(q "$db" 'SELECT count(*) FROM variables')"

# a threaded scenario trace, in recorded order and freely
(cd "$SRC" && "$VSTRACE" run -q -o "$T/threads.db" examples/scenarios/vs-threads.yaml) >/dev/null
check "run -o: json host" \
	"$("$VSTRACE" export --format json --view processes "$T/threads.db" | jq -r .host)" "$host"
check "threads replay" "$("$VSTRACE" replay "$T/threads.db" | sed 's/[0-9]* calls/N calls/')" \
	"replay: N calls, all outcomes identical"
check "threads scenario interleaving" \
	"$("$VSTRACE" export --format scenario --free "$T/threads.db" | grep '^interleave:')" \
	"interleave: free"

# a fork child starts from its parent's state at the fork: its scenario
# re-does the parent's calls up to the fork first (18 steps: the graph,
# two scopes with their exits, 5 + 7 get_variable, the collections check)
need "$P/rec_fork" "$P/rec_fork_state"
rec "$P/rec_fork"
check "fork child replay" "$("$VSTRACE" replay --proc 2 "$T/rec_fork.db")" \
	"replay: 18 calls, all outcomes identical"
"$VSTRACE" export --format scenario --proc 2 "$T/rec_fork.db" >"$T/fork2.yaml"
check "fork child comment" "$(sed -n 8,9p "$T/fork2.yaml")" \
"# process 2 is a fork of process 1 after its event #$(q "$T/rec_fork.db" \
	'SELECT fork_seq FROM processes WHERE proc = 2'): the steps
# first re-do what the parent did before the fork (its state at the fork)"
check "fork child scopes" "$(grep -o 'scope: "[a-z]*"' "$T/fork2.yaml" | tr '\n' ' ')" \
	'scope: "parent" scope: "child" '
# the child reuses shared/w with reuse=True and gets layer_1: both need the
# parent's state (alone, the reuse raises and the scope is "layer"); its
# graph's collections at the end hold the parent's variable
rec "$P/rec_fork_state"
db=$T/rec_fork_state.db
check "fork state: child replay" "$("$VSTRACE" replay --proc 2 "$db")" \
	"replay: 12 calls, all outcomes identical"
check "fork state: child outcomes" "$("$VSTRACE" export --format scenario --proc 2 "$db" |
	sed -n '/reuse: true/,$p')" '  - variable_scope: {name: "shared", reuse: true, as: s4, cm: c6}
    expect: {scope: "shared"}
  - get_variable: {name: "w", shape: [2], dtype: float32}
    expect: {created: false, same_as: v1, name: "shared/w:0"}
  - exit: c6
  - variable_scope: {default_name: "layer", reuse: none, as: s5, cm: c8}
    expect: {scope: "layer_1"}
  - exit: c8
  - check:
    expect: {collection: {"variables": ["shared/w:0"], "trainable_variables": ["shared/w:0"]}}'
# an edited outcome in the parent's prefix is reported as process 1's
seq=$(q "$db" "SELECT seq FROM events WHERE proc = 1 AND kind = 'GETVAR_EXIT'")
cp "$db" "$T/fork-edited.db"
sqlite3 "$T/fork-edited.db" "UPDATE ev SET p3 = 2 WHERE id = (1 << 40) | $seq" || fail "edit"
rc=0
"$VSTRACE" replay --proc 2 "$T/fork-edited.db" >"$T/fdiv.out" 2>&1 || rc=$?
check "fork prefix divergence" "$rc $(cat "$T/fdiv.out")" \
	"1 replay: divergence at event #$seq (GETVAR_EXIT) of thread 1 of process 1: created: expected false, got true"
db=$T/gan.db

# command-line errors: one line, exit status 2
err_case() { # LABEL WANT CMD...
	ec_label=$1
	ec_want=$2
	shift 2
	ec_rc=0
	"$@" >"$T/ec.out" 2>"$T/ec.err" || ec_rc=$?
	check "$ec_label" "$ec_rc $(cat "$T/ec.out" "$T/ec.err")" "2 $ec_want"
}
err_case "no format" "vstrace: export: --format is required (see 'vstrace export --help')" \
	"$VSTRACE" export "$db"
err_case "bad format" "vstrace: export: unknown format 'svg' (see 'vstrace export --help')" \
	"$VSTRACE" export --format svg "$db"
err_case "view needs rows" \
	"vstrace: export: --view needs --format json or csv (see 'vstrace export --help')" \
	"$VSTRACE" export --format chrome --view events "$db"
err_case "unknown view" \
	"vstrace: unknown view 'ev' (events, variables, scopes, threads, processes, stats, findings)" \
	"$VSTRACE" export --format csv --view ev "$db"
err_case "unwritable output" "vstrace: cannot write '$T/no/such/dir.json'" \
	"$VSTRACE" export --format chrome -o "$T/no/such/dir.json" "$db"
err_case "missing trace" "vstrace: '$T/none.db': no such file" \
	"$VSTRACE" replay "$T/none.db"
err_case "no such process" "vstrace: '$db': no process 3 in trace" \
	"$VSTRACE" replay --proc 3 "$db"
err_case "replay operands" \
	"vstrace: replay: expected one trace file (see 'vstrace replay --help')" "$VSTRACE" replay
t_done
