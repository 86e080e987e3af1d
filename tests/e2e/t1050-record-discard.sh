#!/bin/sh
# t1050-record-discard.sh: --mode discard with a 4-event ring while the
# recorder is stopped: the ring overflows, every drop is counted and written
# in-band where it happened (events + lost = what block mode records, and
# each seq gap is exactly one lost row), and `vstrace info` shows the loss.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"

run() { # mode db
	rm -f ready go done
	"$VSTRACE" record -o "$2" --buffer-size 4 --mode "$1" -- "$P/rec_phases" 5 300 "$T" &
	pid=$!
	while [ ! -e ready ]; do sleep 0.01; done
	kill -STOP $pid
	touch go
	if [ "$1" = discard ]; then
		while [ ! -e done ]; do sleep 0.01; done
	else
		sleep 0.2 # block mode: PROG waits for the stopped recorder
	fi
	kill -CONT $pid
	wait $pid
}

run block all.db
check "block status" "$?" 0
total=$(q all.db "SELECT COUNT(*) FROM events;")
check "block lost nothing" "$(q all.db "SELECT COUNT(*) FROM lost;")" 0
check "block enters" "$(nkind all.db 1 GETVAR_ENTER)" 305

run discard d.db 2>err
check "discard status" "$?" 0
events=$(q d.db "SELECT COUNT(*) FROM events;")
lost=$(q d.db "SELECT COALESCE(SUM(n), 0) FROM lost;")
check "events + lost = all" "$((events + lost))" "$total"
check "dropped while stopped" "$([ "$lost" -ge 290 ] && echo yes)" yes
check "stderr" "$(cat err)" "vstrace: 'd.db': $lost events lost (see 'vstrace info')"
check "lost rows in place" "$(q d.db "SELECT COUNT(*) FROM lost l WHERE l.proc = 1 AND
	(SELECT MIN(seq) FROM events e WHERE e.proc = 1 AND e.seq > l.after_seq)
	IS NOT l.after_seq + l.n + 1 AND l.after_seq + l.n < $total;")" 0
check "stats view" "$(q d.db "SELECT lost FROM stats;")" "$lost"
check "mode meta" "$(q d.db "SELECT value FROM meta WHERE key = 'mode';")" discard
"$VSTRACE" info d.db > info.txt 2>&1
check "info status" "$?" 0
check "info shows the loss" "$(grep -qw "$lost" info.txt && echo yes)" yes
t_done
