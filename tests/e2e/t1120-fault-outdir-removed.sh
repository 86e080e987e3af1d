#!/bin/sh
# t1120-fault-outdir-removed.sh: the output directory is removed while a
# program is recorded (between the two phases of rec_phases).  The program
# runs to its end with its own status; vstrace says on stderr what happened
# to 'out/t.db', exits non-zero (not by a signal), and leaves the events
# written before the removal as a readable trace marked incomplete with the
# cause: in the output's directory made again, or - when that cannot be
# made (a file now stands where it was) - under $TMPDIR, at the path the
# message names.  Every event is in that trace or counted as lost; nothing
# is left in /dev/shm.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_phases"

N1=3000
N2=200000
# events of a whole recording of the same program (nothing removed)
"$VSTRACE" record -o ref.db -- "$P/rec_phases" $N1 $N2 >/dev/null 2>&1 ||
	fail "reference recording failed"
TOTAL=$(q ref.db "SELECT count(*) FROM events;")

# label replace-with (dir: nothing, file: a file named 'out') vstrace-args...
run() {
	label=$1
	replace=$2
	shift 2
	rm -rf out ready go done st && mkdir out
	"$@" 2>err &
	pid=$!
	wait_for ready 30 || fail "$label: the program never got ready"
	rm -rf out
	[ "$replace" = file ] && : >out
	touch go
	wait $pid
	vrc=$?
	check "$label: the program ran to its end" "$([ -e done ] && echo yes)" yes
	check "$label: stderr says the directory was removed" \
		"$(grep -c "'out/[to]\.db': cannot write the recording (the output directory 'out' was removed during the recording)" err)" 1
	# the message names where the trace is
	kept=$(sed -n "s/^vstrace: 'out\/[to]\.db': the events recorded before its directory was removed are in '\(.*\)' (a trace marked incomplete)$/\1/p" err)
	check "$label: stderr names the kept trace" "$([ -n "$kept" ] && [ -f "$kept" ] && echo yes)" yes
	[ -n "$kept" ] || sed 's/^/    stderr: /' err
	[ -f "$kept" ] || return 0
	incomplete "$label: the kept trace says why" "$kept" "output directory 'out' was removed"
	# phase one ended before the removal, but the program publishes its
	# ring every 64 events, so up to 15 calls reach the recorder only after
	# it noticed (more on a loaded machine, if the recorder lags): those are
	# counted as lost (the exact total is checked below)
	n1=$(q "$kept" "SELECT count(*) FROM events WHERE kind = 'GETVAR_ENTER' AND scope = 'one';")
	check "$label: phase one is in the kept trace (but its last calls may be lost)" \
		"$([ "$n1" -le $N1 ] && [ "$n1" -ge $((N1 / 2)) ] && echo yes)" yes
	check "$label: every event kept or counted lost, exit status 0 recorded" \
		"$(q "$kept" "SELECT complete, exit_code, events + lost FROM stats;")" "0|0|$TOTAL"
	# the recorder counted every drop to the end: info gives the number
	nlost=$(q "$kept" "SELECT lost FROM stats;")
	check "$label: info says how many were lost" \
		"$("$VSTRACE" info "$kept" | grep '^lost ')" "lost        $nlost events"
	shm_clean "$label"
}

run record dir "$VSTRACE" record -o out/t.db -- "$RUNST" st "$P/rec_phases" $N1 $N2 "$T"
check "record: the program's own status" "$(cat st 2>/dev/null)" 0
check "record: vstrace exits non-zero, not by a signal" \
	"$([ "$vrc" -ne 0 ] && [ "$vrc" -lt 128 ] && echo yes)" yes
check "record: the trace is in the directory made again" "$kept" "out/t.db"

mkdir tmp
TMPDIR=$T/tmp run "record, directory not re-creatable" file \
	"$VSTRACE" record -o out/t.db -- "$RUNST" st "$P/rec_phases" $N1 $N2 "$T"
check "record, not re-creatable: vstrace exits non-zero, not by a signal" \
	"$([ "$vrc" -ne 0 ] && [ "$vrc" -lt 128 ] && echo yes)" yes
case $kept in
"$T"/tmp/vstrace-rescue-*/t.db) ok=yes ;;
*) ok="no: $kept" ;;
esac
check "record, not re-creatable: the trace is under \$TMPDIR" "$ok" yes
rm -f out

VSTRACE_BIN=$VSTRACE VSTRACE_OUTPUT=out/o.db run env dir "$P/rec_phases" $N1 $N2 "$T"
check "env: the program's own status" "$vrc" 0
t_done
