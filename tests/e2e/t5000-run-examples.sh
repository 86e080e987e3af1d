#!/bin/sh
# t5000-run-examples.sh: every example scenario (examples/scenarios/*.yaml)
# passes under `vstrace run`, prints a summary line naming it, and -q keeps
# only the summary.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
VSTRACE=$B/vstrace
fail=0
n=0
for f in "$root"/examples/scenarios/*.yaml; do
	n=$((n + 1))
	if ! out=$("$VSTRACE" run -q "$f" 2>&1); then
		echo "FAIL $f"; echo "$out"; fail=1; continue
	fi
	case $out in
	"$f: ok: "*) ;;
	*) echo "unexpected output for $f: $out"; fail=1 ;;
	esac
done
[ "$n" -ge 13 ] || { echo "only $n example scenarios"; fail=1; }
exit $fail
