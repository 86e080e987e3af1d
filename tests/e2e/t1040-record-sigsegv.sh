#!/bin/sh
# t1040-record-sigsegv.sh: PROG dies of SIGSEGV: every event it wrote is in
# the trace, which says signal 11 and truncated; vstrace exits 128+11.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"
# sanitizer builds: let the fault kill the process as it would normally
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0
UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}handle_segv=0
TSAN_OPTIONS=${TSAN_OPTIONS:+$TSAN_OPTIONS:}handle_segv=0
export ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS

"$VSTRACE" record -o t.db -- "$P/rec_crash" segv 40 2 2>err
check "status" "$?" 139
check "message" "$(cat err)" "vstrace: '$P/rec_crash': killed by signal 11 (Segmentation fault); trace kept, marked truncated"
check "process end" "$(q t.db "SELECT exit_code, signal, truncated FROM processes;")" "-1|11|1"
check "enters" "$(nkind t.db 1 GETVAR_ENTER)" 120
check "exits" "$(nkind t.db 1 GETVAR_EXIT)" 120
check "no gaps" "$(q t.db "SELECT MAX(seq) - COUNT(*) FROM events;")" 0
t_done
