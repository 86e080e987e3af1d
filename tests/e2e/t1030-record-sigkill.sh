#!/bin/sh
# t1030-record-sigkill.sh: PROG SIGKILLs itself without flushing: every
# event it wrote is in the trace (the unpublished tail is recovered from the
# rings), the trace says signal 9 and truncated, and vstrace exits 128+9.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"

"$VSTRACE" record -o t.db -- "$P/rec_crash" kill 50 2>err
check "status" "$?" 137
check "message" "$(cat err)" "vstrace: '$P/rec_crash': killed by signal 9 (Killed); trace kept, marked truncated"
check "process end" "$(q t.db "SELECT exit_code, signal, truncated FROM processes;")" "-1|9|1"
check "enters" "$(nkind t.db 1 GETVAR_ENTER)" 50
check "exits" "$(nkind t.db 1 GETVAR_EXIT)" 50
check "no gaps" "$(q t.db "SELECT MAX(seq) - COUNT(*) FROM events;")" 0
check "complete" "$(q t.db "SELECT value FROM meta WHERE key = 'complete';")" 1

# with three more threads alive at the kill
"$VSTRACE" record -o m.db -- "$P/rec_crash" kill 30 3 2>/dev/null
check "threads status" "$?" 137
check "threads enters" "$(nkind m.db 1 GETVAR_ENTER)" 120
check "threads exits" "$(nkind m.db 1 GETVAR_EXIT)" 120
check "threads no gaps" "$(q m.db "SELECT MAX(seq) - COUNT(*) FROM events;")" 0
check "threads truncated" "$(q m.db "SELECT signal, truncated FROM processes;")" "9|1"

# a signal sent to vstrace goes to PROG; the trace says how PROG ended
rm -f ready
"$VSTRACE" record -o f.db -- "$P/rec_phases" 3 3 "$T" 2>err &
pid=$!
while [ ! -e ready ]; do sleep 0.01; done # PROG now waits for "go" forever
kill -TERM $pid
wait $pid
check "forwarded status" "$?" 143
check "forwarded end" "$(q f.db "SELECT exit_code, signal, truncated FROM processes;")" "-1|15|1"
check "forwarded enters" "$(nkind f.db 1 GETVAR_ENTER)" 3
check "forwarded message" "$(cat err)" \
	"vstrace: '$P/rec_phases': killed by signal 15 (Terminated); trace kept, marked truncated"
t_done
