#!/bin/sh
# t1150-fault-env-shutdown.sh: VSTRACE_OUTPUT and a program that calls
# vs_runtime_shutdown() before it returns (as the README's first program
# does).  As soon as the program's process has exited, its trace is
# complete, readable without waiting (today "database is locked" in about
# half the runs) and records the real exit status (today -1).  Twenty runs:
# the failure was a race.  Nothing is left in /dev/shm.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_shutdown"
export VSTRACE_BIN="$VSTRACE"

for i in $(seq 1 20); do
	VSTRACE_OUTPUT=o$i.db "$P/rec_shutdown" 10 4 2>err
	st=$?
	# read at once: no busy timeout, no retry
	got="$st|$(qx o$i.db "SELECT value FROM meta WHERE key = 'complete';
		SELECT exit_code, signal, truncated FROM processes;
		SELECT COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER';" 2>&1 | tr '\n' ' ')|$(cat err)"
	check "run $i: status|complete exit|signal|truncated enters|stderr" "$got" "4|1 4|0|0 10 |"
	shm_clean "run $i"
done
t_done
