#!/bin/sh
# tests/e2e/run.sh - runs every tests/e2e/t*.sh (in name order) with B (the
# build directory) exported and prints PASS/FAIL per script, then
# "e2e: N passed, N failed (S skipped, X xfail, Y xpass)"; exits 1 when any
# failed.  A script passes by exiting 0; its output is shown only when it
# fails.  Optional argument: a
# substring that selects scripts (e.g. `sh tests/e2e/run.sh record`).
# Each script gets its own empty scratch directory in $T, and at most
# VS_E2E_TIMEOUT seconds (default 300): a hung script fails, it never
# stalls the whole run.
# Every script sources tests/e2e/lib.sh (its helpers are listed there).
# A script that exits 77 could not run here (e.g. it needs root for
# `unshare -m`): SKIP, counted apart.
# Expected failures: tests/e2e/xfail-capture.txt lists scripts (one name a
# line, without .sh; # starts a comment) that test behaviour the recording
# path does not have yet.  Such a script that fails prints "XFAIL name (k of
# n checks fail)" and does not fail the run; one that passes prints "XPASS
# name" with a request to take it off the list (VS_XFAIL_STRICT=1 makes an
# XPASS fail the run).  The summary line then also counts them.
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
skip=0
xfail=0
xpass=0
xfail_list=$here/xfail-capture.txt
is_xfail() {
	[ -f "$xfail_list" ] && sed 's/#.*//' "$xfail_list" | tr -d ' \t' | grep -qxF -- "$1"
}
for t in "$here"/t*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	case $name in *"${1:-}"*) ;; *) continue ;; esac
	T=$(mktemp -d "${TMPDIR:-/tmp}/vs-e2e-$name.XXXXXX")
	export T
	rc=0
	(cd "$T" && timeout -k 10 "${VS_E2E_TIMEOUT:-300}" sh "$t") >"$T.log" 2>&1 || rc=$?
	if [ "$rc" -eq 77 ]; then
		echo "SKIP $name ($(grep -m 1 '^skip' "$T.log" | sed 's/^skip: //'))"
		skip=$((skip + 1))
	elif is_xfail "$name"; then
		if [ "$rc" -eq 0 ]; then
			echo "XPASS $name: passes now; remove it from tests/e2e/xfail-capture.txt"
			xpass=$((xpass + 1))
			[ "${VS_XFAIL_STRICT:-0}" = 1 ] && fail=$((fail + 1))
		else
			nf=$(grep -c '^FAIL' "$T.log")
			nc=$(grep -c '^ok \|^FAIL' "$T.log")
			echo "XFAIL $name ($nf of $nc checks fail, exit $rc)"
			[ "$rc" -eq 124 ] && echo "    (timed out after ${VS_E2E_TIMEOUT:-300}s)"
			[ -n "${VS_XFAIL_VERBOSE:-}" ] && sed 's/^/    /' "$T.log"
			xfail=$((xfail + 1))
		fi
	elif [ "$rc" -eq 0 ]; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		[ "$rc" -eq 124 ] && echo "    (timed out after ${VS_E2E_TIMEOUT:-300}s)"
		sed 's/^/    /' "$T.log"
		fail=$((fail + 1))
	fi
	rm -rf "$T" "$T.log"
done
echo "e2e: $pass passed, $fail failed ($skip skipped, $xfail xfail, $xpass xpass)"
[ "$fail" -eq 0 ]
