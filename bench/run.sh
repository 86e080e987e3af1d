#!/bin/sh
# bench/run.sh - `make bench`: runs every benchmark binary in $B/bench/ (one
# per bench/*.c) in name order and prints its figures under a header line.
# Benchmarks print measurements; they never fail on timing.  A binary that
# crashes or exits non-zero makes the run exit 1.
set -u
B=${B:-build}
failed=0
for f in "$B"/bench/*; do
	case $f in *.o | *.d) continue ;; esac
	if [ ! -f "$f" ] || [ ! -x "$f" ]; then
		continue # bench/peers/ is `make bench-peers`
	fi
	echo "== $(basename "$f")"
	"$f" || { echo "$(basename "$f"): failed (exit $?)"; failed=1; }
done
exit "$failed"
