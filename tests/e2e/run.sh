#!/bin/sh
# tests/e2e/run.sh - runs every tests/e2e/t*.sh (in name order) with B (the
# build directory) exported and prints PASS/FAIL per script, then
# "e2e: N passed, N failed"; exits 1 when any failed.  A script passes by
# exiting 0; its output is shown only when it fails.  Optional argument: a
# substring that selects scripts (e.g. `sh tests/e2e/run.sh record`).
# Each script gets its own empty scratch directory in $T, and at most
# VS_E2E_TIMEOUT seconds (default 300): a hung script fails, it never
# stalls the whole run.
# Every script sources tests/e2e/lib.sh (its helpers are listed there).
# Golden transcripts: VS_UPDATE_GOLDEN=1 rewrites the store goldens
# (tests/e2e/golden/store/) from the current output - review the diff before
# committing; the example goldens (tests/e2e/golden/examples/) are written
# by hand from TensorFlow's behaviour and are never rewritten.  The same
# variable updates the unit tests' goldens (tests/unit/golden/).
set -u
B=${B:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
export B
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
for t in "$here"/t*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	case $name in *"${1:-}"*) ;; *) continue ;; esac
	T=$(mktemp -d "${TMPDIR:-/tmp}/vs-e2e-$name.XXXXXX")
	export T
	if (cd "$T" && timeout -k 10 "${VS_E2E_TIMEOUT:-300}" sh "$t") >"$T.log" 2>&1; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		rc=$?
		echo "FAIL $name"
		[ "$rc" -eq 124 ] && echo "    (timed out after ${VS_E2E_TIMEOUT:-300}s)"
		sed 's/^/    /' "$T.log"
		fail=$((fail + 1))
	fi
	rm -rf "$T" "$T.log"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
