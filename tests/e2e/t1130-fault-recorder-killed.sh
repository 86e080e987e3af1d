#!/bin/sh
# t1130-fault-recorder-killed.sh: `vstrace record` (the recorder) is
# SIGKILLed at fixed and random times, from its first millisecond on, while
# the program (40000 calls) runs.  Each time: the program runs to its end
# with its own status and tells its user that recording stopped; no
# 0-byte output is left (today: a 0-byte file plus journal that every reader
# rejects); `vstrace recover t.db` turns whatever was written into a
# readable trace marked incomplete whose events have no hole; nothing is
# left in /dev/shm.  A kill after the program has done some work must leave
# some of that work in the trace.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_phases" "$P/rec_simple"

# random delays in ms: three below 20 (start-up), two below 400
rnd=$(awk 'BEGIN { srand(); printf "%d %d %d %d %d", rand() * 20, rand() * 20, rand() * 20,
	rand() * 400, rand() * 400 }')
echo "random delays (ms): $rnd"
for ms in 0 1 3 10 30 100 $rnd ready; do
	l="kill at $ms"
	rm -rf t.db t.db-* st st.started ready go done err
	if [ "$ms" = ready ]; then
		"$VSTRACE" record -o t.db -- "$RUNST" st "$P/rec_phases" 500 20000 "$T" 2>err &
		pid=$!
		wait_for ready 30 || fail "$l: the program never got ready"
		sleep 0.5 # the first phase has reached the recorder
	else
		"$VSTRACE" record -o t.db -- "$RUNST" st "$P/rec_simple" 40000 7 2>err &
		pid=$!
		[ "$ms" -gt 0 ] && sleep "$(awk "BEGIN { print $ms / 1000 }")"
	fi
	kill -KILL $pid
	wait $pid 2>/dev/null
	touch go
	# killed before it started PROG: there is no program to protect
	if wait_for st.started 2; then
		# the program is now an orphan: wait for its status file
		wait_for st 60 || fail "$l: the program did not finish"
		want=7
		[ "$ms" = ready ] && want=0
		check "$l: the program's own status" "$(cat st 2>/dev/null)" "$want"
	else
		echo "     ($l: the recorder died before it started the program)"
	fi
	sleep 0.2 # let an orphaned drain or cleanup finish
	if [ -e t.db ]; then
		check "$l: output not empty" "$([ -s t.db ] && echo yes)" yes
	fi
	"$VSTRACE" recover t.db >rec.out 2>&1
	rrc=$?
	if [ -e t.db ]; then
		check "$l: recover status" "$rrc" 0
		incomplete "$l: recovered trace is incomplete" t.db ""
		check "$l: recovered events have no hole" "$(gapless t.db)" 1
	else
		# nothing was written: recover must say so (one line), not succeed
		check "$l: recover without a trace fails" "$([ "$rrc" -ne 0 ] && echo yes)" yes
	fi
	if [ "$ms" = ready ]; then
		check "$l: the first phase is in the trace" \
			"$(qx t.db "SELECT COUNT(*) >= 500 FROM events WHERE kind = 'GETVAR_ENTER';")" 1
		check "$l: the program says recording stopped" \
			"$(grep -qi 'vstrace\|record' err && echo yes)" yes
	fi
	shm_clean "$l"
done
t_done
