#!/bin/sh
# t5020-run-check.sh: a scenario recorded with `vstrace run -o` can be
# checked by vscheck, and the findings point at the scenario's YAML lines
# (the call sites of a scenario run are FILE:LINE of its steps).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cp "$root/examples/scenarios/repro-reuse-poison.yaml" repro.yaml
"$B/vstrace" run -q -o repro.db repro.yaml || { echo "run failed"; exit 1; }
"$B/vscheck" repro.db > findings.txt 2>&1
rc=$?
[ "$rc" -eq 1 ] || { echo "vscheck exit $rc, want 1"; cat findings.txt; exit 1; }
fail=0
grep -q '^repro.yaml:11: warning: .*\[VS105 root-reuse-variables\]' findings.txt ||
	{ echo "no root-reuse finding at repro.yaml:11"; fail=1; }
grep -q '^repro.yaml:19: error: Variable model/w/Adam/m does not exist' findings.txt ||
	{ echo "no error finding at repro.yaml:19"; fail=1; }
[ "$fail" -eq 0 ] || cat findings.txt
exit $fail
