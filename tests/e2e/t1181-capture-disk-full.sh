#!/bin/sh
# t1181-capture-disk-full.sh: the output file system fills up while PROG
# runs: PROG runs to its end with its own exit status, vstrace says so on
# stderr and exits non-zero, and the events written so far are a readable
# trace marked incomplete with the cause; every other event is counted as
# lost, in-band.  Needs a mount namespace (root); skipped without one.
. "$(dirname "$0")/lib.sh"

unshare -m true 2>/dev/null || { echo "skip: no mount namespace"; t_done; }
mkdir out
unshare -m sh -c '
	mount -t tmpfs -o size=6m tmpfs out || exit 99
	"$0" record -o out/t.db -- "$1" 200000 0 2>err
	echo $? >rc
	sqlite3 -batch -noheader out/t.db "SELECT complete, exit_code, events + lost FROM stats;" >stats
	sqlite3 -batch -noheader out/t.db "SELECT value FROM meta WHERE key = '"'incomplete_cause'"';" >cause
	sqlite3 -batch -noheader out/t.db "SELECT count(*) FROM events WHERE kind = '"'GETVAR_ENTER'"';" >enters
	"$0" info out/t.db >info 2>&1
	ls -A out >left
' "$VSTRACE" "$P/rec_simple"
check "status (PROG exited 0, the trace is incomplete)" "$(cat rc)" 2
check "stderr says so" "$(grep -c "cannot write the recording (.*No space left on device)" err)" 1
# as many events as a recording with room for them (kept + lost)
"$VSTRACE" record -o ref.db -- "$P/rec_simple" 200000 0
check "incomplete, PROG's own status, every event kept or counted" "$(cat stats)" \
	"0|0|$(q ref.db "SELECT count(*) FROM events;")"
check "the cause" "$(grep -c 'No space left on device' cause)" 1
check "events before the fault" "$([ "$(cat enters)" -gt 1000 ] && echo yes)" yes
check "info shows the cause" "$(grep -c '^status *incomplete (.*No space left on device' info)" 1
check "only the trace is left" "$(cat left)" "t.db"
t_done
