#!/bin/sh
# tests/check.sh - `make check`: runs every test stage and prints one
# closing line "check: N passed, N failed" over all of them.
# Stages: unit (CUnit runner), scenarios (tests/scenarios/*.yaml through
# `vstrace run`), end to end (tests/e2e/t*.sh), the real-world corpus
# scored by vscheck (tests/realworld/score.sh: every bug detected, >= 90%
# localised, no warning or error on a correct program) and Python
# (tests/python, pytest).  B is the build directory.
set -u
B=${B:-build}
export B
total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

stage() { # name command...
	name=$1; shift
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	rc=$?
	line=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	[ -n "$line" ] || { p=0; f=1; echo "$name: no summary line (crashed?)"; }
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

# tee hides the exit code; the summary line is what counts, and a crash
# without a summary counts as a failure.
stage unit "$B/unit-tests"
[ -x tests/scenarios/run.sh ] && stage scenarios sh tests/scenarios/run.sh
[ -x tests/e2e/run.sh ] && stage e2e sh tests/e2e/run.sh
[ -f tests/realworld/score.sh ] && stage realworld sh tests/realworld/score.sh
[ -x tests/python/run.sh ] && stage python sh tests/python/run.sh

echo
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
