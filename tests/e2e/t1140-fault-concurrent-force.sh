#!/bin/sh
# t1140-fault-concurrent-force.sh: recordings racing for one output path.
# Four `vstrace record -f -o same.db` started together, twenty times over
# (today a loser's cleanup often deletes the winner's finished trace, or a
# recorder fails with exit status 2), and three programs sharing one
# VSTRACE_OUTPUT, five times.  Each time: every
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
	for k in 3 4 5 6; do
		"$VSTRACE" record -f -o rec/same.db -- "$P/rec_simple" ${k}00 $k 2>err.$k &
		eval pid$k=\$!
	done
	sts=""
	for k in 3 4 5 6; do
		eval wait \$pid$k
		sts="$sts$? "
	done
	check "record $i: statuses" "$sts" "3 4 5 6 "
	[ "$sts" = "3 4 5 6 " ] || sed 's/^/    stderr: /' err.3 err.4 err.5 err.6
	got=$(which_run rec/same.db)
	case $got in
	"300|1|3" | "400|1|4" | "500|1|5" | "600|1|6") echo "ok   record $i: one complete run ($got)" ;;
	*) fail "record $i: rec/same.db holds '$got', want one of the four runs" ;;
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
