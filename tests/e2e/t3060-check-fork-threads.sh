#!/bin/sh
# t3060-check-fork-threads.sh: a forking program and a threaded one,
# recorded for real: the fork child is replayed from its parent's state at
# the fork, threads interleave, and the model agrees with the runtime (no
# VS003) on both
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"
for p in rec_fork rec_threads; do
	[ -x "$B/tests/progs/$p" ] || { echo "FAIL $B/tests/progs/$p is not built"; exit 1; }
	rec "$B/tests/progs/$p"
	vsc --statistics "$T/$p.db"
	check "$p exit" "$rc" 0
	check "$p consistent" "$(grep -c 'VS003' "$out")" 0
done
vsc --statistics "$T/rec_fork.db"
grep -q "^  [0-9]* events in 2 processes checked in " "$out" ||
	{ echo "FAIL rec_fork: two processes"; sed 's/^/    /' "$out"; t_failed=1; }
t_done
