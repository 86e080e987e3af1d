#!/bin/sh
# t5000-run-examples.sh: every example scenario (examples/scenarios/*.yaml)
# passes under `vstrace run`, prints a summary line naming it, and -q keeps
# only the summary.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"
n=0
for f in "$SRC"/examples/scenarios/*.yaml; do
	n=$((n + 1))
	if ! out=$("$VSTRACE" run -q "$f" 2>&1); then
		fail "$f"; echo "$out"; continue
	fi
	case $out in
	"$f: ok: "*) ;;
	*) fail "unexpected output for $f: $out" ;;
	esac
done
check "example scenarios (at least 13)" "$([ "$n" -ge 13 ] && echo yes)" yes
t_done
