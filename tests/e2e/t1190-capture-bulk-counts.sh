#!/bin/sh
# t1190-capture-bulk-counts.sh: the recorder drains rings in bulk (runs of
# slots handed to the spool in place, cut at the ring's end and at LOST
# markers).  With threads emitting as fast as they can (no stacks):
# block mode keeps every event, with the default ring and with a ring small
# enough to wrap thousands of times; discard mode with a small ring counts
# every event it does not keep, in-band per thread (events + lost = what
# block mode records, each thread's seqs and LOST rows tile without gaps).
# Never timed: how many are dropped depends on the machine, not the counts.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_threads"

THREADS=4
CALLS=50000

rec() { # db args...
	db=$1
	shift
	"$VSTRACE" record --no-stacks -o "$db" "$@" -- "$P/rec_threads" $THREADS $CALLS 2>err.$db
}

rec all.db
check "block, default ring: status" "$?" 0
total=$(q all.db "SELECT COUNT(*) FROM events;")
check "block, default ring: nothing lost" "$(q all.db "SELECT COUNT(*) FROM lost;")" 0
check "block, default ring: every call" \
	"$(q all.db "SELECT COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER';")" $((THREADS * CALLS))
check "block, default ring: default ring size recorded" \
	"$(q all.db "SELECT value FROM meta WHERE key = 'ring_slots';")" 65536

rec small.db --buffer-size 64
check "block, 64-slot ring: status" "$?" 0
check "block, 64-slot ring: every event" "$(q small.db "SELECT COUNT(*) FROM events;")" "$total"
check "block, 64-slot ring: nothing lost" "$(q small.db "SELECT COUNT(*) FROM lost;")" 0
check "block, 64-slot ring: each thread's calls in order, none missing" \
	"$(q small.db "SELECT COUNT(*) FROM (SELECT tid, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi
		FROM events WHERE kind = 'GETVAR_ENTER' GROUP BY tid) WHERE n = $CALLS;")" $THREADS

rec d.db --buffer-size 64 --mode discard
check "discard, 64-slot ring: status" "$?" 0
events=$(q d.db "SELECT COUNT(*) FROM events;")
lost=$(q d.db "SELECT COALESCE(SUM(n), 0) FROM lost;")
check "discard: events + lost = all" "$((events + lost))" "$total"
if [ "$lost" -gt 0 ]; then
	check "discard: stderr counts the loss" "$(cat err.d.db)" \
		"vstrace: 'd.db': $lost events lost (see 'vstrace info')"
fi
# every lost row is followed by its thread's next event exactly n seqs on
# (seqs are process-wide, so per thread: the next event of that thread is
# the first one after after_seq whose seq is not another thread's)
check "discard: each lost row sits where its events were dropped" \
	"$(q d.db "SELECT COUNT(*) FROM lost l WHERE l.after_seq > 0 AND NOT EXISTS
		(SELECT 1 FROM events e WHERE e.tid = l.tid AND e.seq = l.after_seq);")" 0
check "discard: stats agree" "$(q d.db "SELECT events, lost FROM stats;")" "$events|$lost"
t_done
