#!/bin/sh
# t5020-run-check.sh: a scenario recorded with `vstrace run -o` can be
# checked by vscheck, and the findings point at the scenario's YAML lines
# (the call sites of a scenario run are FILE:LINE of its steps).
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"
cp "$SRC/examples/scenarios/repro-reuse-poison.yaml" repro.yaml
"$VSTRACE" run -q -o repro.db repro.yaml || { echo "run failed"; exit 1; }
"$VSCHECK" repro.db > findings.txt 2>&1
rc=$?
[ "$rc" -eq 1 ] || { echo "vscheck exit $rc, want 1"; cat findings.txt; exit 1; }
grep -q '^repro.yaml:11: warning: .*\[VS105 root-reuse-variables\]' findings.txt ||
	{ echo "no root-reuse finding at repro.yaml:11"; t_failed=1; }
grep -q '^repro.yaml:19: error: Variable model/w/Adam/m does not exist' findings.txt ||
	{ echo "no error finding at repro.yaml:19"; t_failed=1; }
[ "$t_failed" -eq 0 ] || cat findings.txt
t_done
