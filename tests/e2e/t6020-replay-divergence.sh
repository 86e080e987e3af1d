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

# a fork child replays on its own, and its scenario says what it leaves out
need "$P/rec_fork"
rec "$P/rec_fork"
check "fork child replay" \
	"$("$VSTRACE" replay --proc 2 "$T/rec_fork.db" | sed 's/[0-9]* calls/N calls/')" \
	"replay: N calls, all outcomes identical"
check "fork child comment" "$("$VSTRACE" export --format scenario --proc 2 "$T/rec_fork.db" |
	grep -c '^# approximated: process 2 is a fork of process 1')" 1

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
