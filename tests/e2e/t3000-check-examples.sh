#!/bin/sh
# t3000-check-examples.sh: every example program and its buggy twin,
# recorded with the real runtime, checked by vscheck: each twin yields the
# rule for its mistake, each correct program has no error, and no trace is
# inconsistent with the shadow model (VS003)
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

expect() { # NAME EXIT CODES
	rec "$1"
	vsc --format gcc "$T/$1.db"
	check "$1 exit status" "$rc" "$2"
	check "$1 rules" "$(codes "$out")" "$3"
	if grep -q 'VS003' "$out"; then
		echo "FAIL $1: trace-inconsistent findings:"
		sed 's/^/    /' "$out"
		t_failed=1
	fi
}

expect gan 0 "VS111"
expect gan_bug_noreuse 1 "VS111 VS113"
expect gan_bug_rootreuse 1 "VS101 VS105 VS106 VS111 VS117"
expect siamese 0 ""
expect siamese_bug_variable 1 "VS201"
expect towers 0 "VS111"
expect towers_bug_noreenter 1 "VS102 VS107 VS108 VS111"
expect rnn 0 "VS111"
expect rnn_bug_shape 1 "VS103 VS111"
expect eager 0 ""
expect eager_bug_nostore 0 "VS305"
expect funcgraph 0 ""
expect funcgraph_bug_nolift 0 "VS301"
expect creators 0 "VS111 VS307 VS308"
expect creators_bug_nodelegate 1 "VS306"

# the text report names the place, the rule, the thread and how to look
vsc "$T/rnn_bug_shape.db"
has "E3 in TF's words" "$out" "examples/rnn_bug_shape.c:31: error: Trying to share variable rnn_cell/W_xh, but specified shape (65, 128) and found shape (32, 128). [VS103 share-shape-mismatch]"
grep -q "^    scope 'rnn_cell', thread 1, in rnn_cell(); event #[0-9]* of process 1: vstrace show $T/rnn_bug_shape.db --proc 1 --thread 1 --around [0-9]*\$" "$out" ||
	{ echo "FAIL context line:"; sed 's/^/    /' "$out"; t_failed=1; }
has "verdict" "$out" "vscheck: failed: 1 finding at or above 'error' (1 error, 0 warnings, 1 note; 0 suppressed, 0 baselined) in 1 trace"

# --fail-on: the warning of a program that runs fine fails at warning level
vsc --fail-on warning "$T/funcgraph_bug_nolift.db"
check "funcgraph_bug_nolift --fail-on warning" "$rc" 1
vsc --fail-on warning --ignore function-variable-not-lifted "$T/funcgraph_bug_nolift.db"
check "funcgraph_bug_nolift --fail-on warning --ignore VS301" "$rc" 0
vsc --fail-on note --select VS30 "$T/creators.db"
check "creators --fail-on note --select VS30" "$rc" 1
vsc --fail-on note --format gcc --select VS30 "$T/creators.db"
check "creators rules left" "$(codes "$out")" "VS307 VS308"
vsc --fail-on note --select VS1 --severity VS111=off "$T/creators.db"
check "creators --fail-on note, VS1 with VS111 off" "$rc" 0

# several traces in one run
vsc --format gcc "$T/gan.db" "$T/siamese_bug_variable.db"
check "two traces" "$(codes "$out")" "VS111 VS201"
t_done
