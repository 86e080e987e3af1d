#!/bin/sh
# t1140-fault-concurrent-force.sh: recordings racing for one output path.
# Two `vstrace record -f -o same.db` started together, twenty times over (today
# in about 1 run of 10 the loser's cleanup deletes the winner's finished
# trace), and three programs sharing one VSTRACE_OUTPUT.  Each time: every
# program's own status, the path then holds one complete trace - exactly
# one of the recorded runs (the last to finish wins) - no temporary or
# journal file is left beside it, and nothing is left in /dev/shm.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_simple"

# which run a trace holds: "calls|exit status", or an error
which_run() {
	qx "$1" "SELECT (SELECT COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER') || '|' ||
		(SELECT value FROM meta WHERE key = 'complete') || '|' ||
		(SELECT exit_code FROM processes WHERE proc = 1);" 2>&1
}

mkdir rec
for i in $(seq 1 20); do
	"$VSTRACE" record -f -o rec/same.db -- "$P/rec_simple" 300 3 2>err.a &
	a=$!
	"$VSTRACE" record -f -o rec/same.db -- "$P/rec_simple" 500 4 2>err.b &
	b=$!
	wait $a
	ra=$?
	wait $b
	rb=$?
	check "record $i: statuses" "$ra $rb" "3 4"
	got=$(which_run rec/same.db)
	case $got in
	"300|1|3" | "500|1|4") echo "ok   record $i: one complete run ($got)" ;;
	*) fail "record $i: rec/same.db holds '$got', want '300|1|3' or '500|1|4'" ;;
	esac
	check "record $i: nothing beside it" "$(ls -A rec | tr '\n' ' ')" "same.db "
	shm_clean "record $i"
done

# parallel jobs sharing one VSTRACE_OUTPUT
mkdir env
export VSTRACE_BIN="$VSTRACE"
for i in 1 2 3 4 5; do
	VSTRACE_OUTPUT=env/same.db "$P/rec_simple" 100 5 2>err.a &
	a=$!
	VSTRACE_OUTPUT=env/same.db "$P/rec_simple" 200 6 2>err.b &
	b=$!
	VSTRACE_OUTPUT=env/same.db "$P/rec_simple" 400 7 2>err.c &
	c=$!
	wait $a
	ra=$?
	wait $b
	rb=$?
	wait $c
	rc3=$?
	check "env $i: statuses" "$ra $rb $rc3" "5 6 7"
	got=$(which_run env/same.db)
	case $got in
	"100|1|5" | "200|1|6" | "400|1|7") echo "ok   env $i: one complete run ($got)" ;;
	*) fail "env $i: env/same.db holds '$got', want one of the three runs" ;;
	esac
	check "env $i: nothing beside it" "$(ls -A env | tr '\n' ' ')" "same.db "
	shm_clean "env $i"
done
t_done
