#!/bin/sh
# t1130-fault-recorder-killed.sh: `vstrace record` (the recorder) is
# SIGKILLed at fixed and random times, from its first millisecond on, while
# the program (40000 calls) runs.  Each time:
#  - a program that was started runs to its end with its own status;
#  - no 0-byte output is left (today: a 0-byte file plus a journal that every
#    reader rejects as "not a vstrace trace");
#  - after `vstrace recover` on what the recorder left in the output
#    directory (when that command exists; else opening must recover), the
#    directory holds only readable traces, each marked incomplete, whose
#    events have no hole;
#  - nothing is left in /dev/shm.
# Killed 0.5 s after the program finished its first phase (500 calls), the
# trace must hold that phase, and the program must tell its user that
# recording stopped.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_phases" "$P/rec_simple"
has_recover=0
"$VSTRACE" recover --help >/dev/null 2>&1 && has_recover=1

# random delays in ms: three below 20 (start-up), two below 400
rnd=$(awk 'BEGIN { srand(); printf "%d %d %d %d %d", rand() * 20, rand() * 20, rand() * 20,
	rand() * 400, rand() * 400 }')
echo "random delays (ms): $rnd"
for ms in 0 1 3 10 30 100 $rnd ready; do
	l="kill at $ms"
	rm -rf out st st.started ready go done err
	mkdir out
	if [ "$ms" = ready ]; then
		"$VSTRACE" record -o out/t.db -- "$RUNST" st "$P/rec_phases" 500 20000 "$T" 2>err &
		pid=$!
		wait_for ready 30 || fail "$l: the program never got ready"
		sleep 0.5 # the first phase has reached the recorder
	else
		"$VSTRACE" record -o out/t.db -- "$RUNST" st "$P/rec_simple" 40000 7 2>err &
		pid=$!
		[ "$ms" -gt 0 ] && sleep "$(awk "BEGIN { print $ms / 1000 }")"
	fi
	kill -KILL $pid
	wait $pid 2>/dev/null
	vrc=$? # 137: killed; else the recording ended before the signal (a busy machine)
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
	sleep 0.2 # let an orphaned cleanup finish
	if [ $has_recover = 1 ]; then
		if [ -e out/t.db ]; then
			"$VSTRACE" recover out/t.db >rec.out 2>&1 ||
				fail "$l: 'vstrace recover out/t.db' fails: $(cat rec.out)"
		else
			for f in out/*; do
				[ -e "$f" ] && "$VSTRACE" recover "$f" >rec.out 2>&1
			done
		fi
	fi
	for f in out/*.db; do
		[ -e "$f" ] || continue
		check "$l: $f not empty" "$([ -s "$f" ] && echo yes)" yes
		# a recorder killed after the whole recording was spooled (while
		# it made the trace) leaves a spool that recovers complete: then
		# every call must be in it
		if [ "$(qx "$f" "SELECT value FROM meta WHERE key = 'complete';")" = 1 ]; then
			check "$l: $f is complete only with every call" \
				"$(qx "$f" "SELECT COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER';")" \
				"$([ "$ms" = ready ] && echo 20500 || echo 40000)"
		elif [ "$vrc" = 137 ]; then
			incomplete "$l: $f is incomplete" "$f" ""
		fi
		check "$l: $f has no hole" "$(gapless "$f")" 1
	done
	check "$l: only traces left" "$(ls -A out | grep -v '\.db$' | tr '\n' ' ')" ""
	if [ "$ms" = ready ]; then
		check "$l: the first phase is in the trace" \
			"$(qx out/t.db "SELECT COUNT(*) >= 500 FROM events WHERE kind = 'GETVAR_ENTER';")" 1
		check "$l: the program says recording stopped" \
			"$(grep -qi 'vstrace\|record' err && echo yes)" yes
	fi
	shm_clean "$l"
done
t_done
