#!/bin/sh
# t1170-fault-stale-shm.sh: VSTRACE_SHM naming a directory that no live
# recorder made for this program - an ordinary directory, a missing one, the
# directory of a recorder that was killed - must never get ring files (today
# a 72 MB sparse segment appears in whatever directory it names).  The
# program runs with its own status; one line on stderr names VSTRACE_SHM;
# nothing new appears in /dev/shm.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_simple" "$P/rec_phases"

mkdir plain
VSTRACE_SHM=$T/plain "$P/rec_simple" 10 4 2>err
check "plain: status" "$?" 4
check "plain: no file created" "$(ls -A plain)" ""
one_line "plain: one line" err VSTRACE_SHM
shm_clean plain

VSTRACE_SHM=$T/missing "$P/rec_simple" 10 4 2>err
check "missing: status" "$?" 4
check "missing: not created" "$(ls -d missing 2>/dev/null)" ""
one_line "missing: one line" err VSTRACE_SHM
shm_clean missing

# a recorder's directory left behind by a SIGKILLed recorder
"$VSTRACE" record -o k.db -- "$P/rec_phases" 3 3 "$T" 2>/dev/null &
pid=$!
wait_for ready 30 || fail "killed: the program never got ready"
prog=$(pgrep -P $pid)
kill -KILL $pid $prog
wait $pid 2>/dev/null
sleep 0.1
dir=$(ls -d /dev/shm/* 2>/dev/null | head -n 1)
if [ -z "$dir" ]; then
	echo "ok   killed: the killed recorder left no directory (nothing to reuse)"
else
	before=$(ls -A "$dir" | tr '\n' ' ')
	VSTRACE_SHM=$dir "$P/rec_simple" 10 4 2>err
	check "killed: status" "$?" 4
	check "killed: no ring file added" "$(ls -A "$dir" | tr '\n' ' ')" "$before"
	one_line "killed: one line" err VSTRACE_SHM
fi
t_done
