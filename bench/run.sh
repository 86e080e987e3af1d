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
# the Python shim (when built): traced under vstrace record, then untraced
if [ -d "$B/python/vstrace" ]; then
	echo "== bench_python.py"
	t=$(mktemp -d) || exit 1
	# rings big enough for the whole run: the figure is the call, not the drain
	PYTHONPATH="$B/python" "$B/vstrace" record --buffer-size 1048576 -o "$t/py.db" -- \
		python3 bench/bench_python.py 30000 traced || failed=1
	PYTHONPATH="$B/python" python3 bench/bench_python.py 200000 untraced || failed=1
	rm -rf "$t"
fi
exit "$failed"
