#!/bin/sh
# t1110-fault-output-full.sh: the output file system fills up while a
# program is recorded (a 1 MiB tmpfs against about 3 MB of trace).  The
# program must run to its end with its own exit status (today it is
# SIGKILLed and the trace deleted); the recorder switches to counting drops,
# says so on stderr and exits non-zero; the events written before the disk
# filled are in a readable trace that says it is incomplete because the disk
# is full; nothing is left in /dev/shm.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_phases"
small_fs out 1m
FULL='no space|disk full|full'

# rec_phases without a DIR: 20000 calls in scope one, then 20000 in two
"$VSTRACE" record -o out/t.db -- "$RUNST" st "$P/rec_phases" 20000 20000 2>err
vrc=$?
check "record: the program's own status" "$(cat st 2>/dev/null)" 0
check "record: vstrace exits non-zero, not by a signal" \
	"$([ "$vrc" -ne 0 ] && [ "$vrc" -lt 128 ] && echo yes)" yes
check "record: stderr names the cause" "$(grep -Eqi "$FULL" err && echo yes)" yes
incomplete "record: trace incomplete, says why" out/t.db "$FULL"
check "record: the first events are there" \
	"$(qx out/t.db "SELECT COUNT(*) > 0 FROM events WHERE kind = 'GETVAR_ENTER';")" 1
check "record: seq has no holes before the fault" "$(gapless out/t.db)" 1
shm_clean record

# the same through VSTRACE_OUTPUT: the program's own status, a readable trace
rm -rf out/*
VSTRACE_BIN=$VSTRACE VSTRACE_OUTPUT=out/o.db "$P/rec_phases" 20000 20000 2>err
check "env: status" "$?" 0
check "env: stderr names the cause" "$(grep -Eqi "$FULL" err && echo yes)" yes
incomplete "env: trace incomplete, says why" out/o.db "$FULL"
check "env: the first events are there" \
	"$(qx out/o.db "SELECT COUNT(*) > 0 FROM events WHERE kind = 'GETVAR_ENTER';")" 1
shm_clean env
t_done
