#!/bin/sh
# tests/scenarios/run.sh - the scenario conformance suite: runs every
# tests/scenarios/*.yaml with `$B/vstrace run -q` (a scenario passes when
# it exits 0: every expectation held, no uncaught error) and every
# tests/scenarios/bad/*.yaml, which must be rejected before running (exit 2)
# with the message in the file's first line ("# error: ...").
# Prints "scenarios: N passed, N failed" last.
set -u
B=${B:-build}
VSTRACE=${VSTRACE:-$B/vstrace}
dir=$(dirname "$0")
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

if [ ! -x "$VSTRACE" ]; then
	echo "scenarios: $VSTRACE is not built"
	echo "scenarios: 0 passed, 1 failed"
	exit 1
fi

for f in "$dir"/*.yaml; do
	[ -e "$f" ] || continue
	if "$VSTRACE" run -q "$f" >"$out" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $f"
		sed 's/^/    /' "$out"
	fi
done

for f in "$dir"/bad/*.yaml; do
	[ -e "$f" ] || continue
	want=$(sed -n '1s/^# error: //p' "$f")
	"$VSTRACE" run -q "$f" >"$out" 2>&1
	rc=$?
	got=$(cat "$out")
	if [ "$rc" -eq 2 ] && [ "$got" = "vstrace: $f:$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $f (exit $rc)"
		echo "    expected: vstrace: $f:$want"
		echo "    got:      $got"
	fi
done

echo "scenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
