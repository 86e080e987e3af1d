# tests/e2e/lib-examples.sh - sourced by the t4NNN-examples-*.sh tests.
#
# ex_check NAME...  runs each $B/examples/NAME (from the top of the tree)
# and compares its transcript - stdout followed by a line "exit status N" -
# with tests/e2e/golden/examples/NAME.out.  The goldens were written from
# SEMANTICS.md (TensorFlow's behaviour), not captured from the runtime.
# One golden holds a source line: siamese_bug_variable.out ends with the
# template's "originally defined at" frame (the vs_make_template call).
# ex_done ends the test: exit 0 only when every check passed.
# VS_EXAMPLE_WRAP (e.g. "valgrind -q --error-exitcode=99") prefixes each run.

cd "$(dirname "$0")/../.." || exit 1
B=${B:-build}
ex_golden=tests/e2e/golden/examples
ex_failed=0
ex_tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$ex_tmp"' EXIT

ex_check() {
	for ex_name in "$@"; do
		ex_bin=$B/examples/$ex_name
		ex_out=$ex_tmp/$ex_name.out
		if [ ! -x "$ex_bin" ]; then
			echo "FAIL $ex_name: $ex_bin is not built"
			ex_failed=1
			continue
		fi
		if [ ! -f "$ex_golden/$ex_name.out" ]; then
			echo "FAIL $ex_name: no golden file $ex_golden/$ex_name.out"
			ex_failed=1
			continue
		fi
		# shellcheck disable=SC2086 # the wrapper is a word list on purpose
		timeout 60 ${VS_EXAMPLE_WRAP:-} "$ex_bin" > "$ex_out" 2> "$ex_tmp/$ex_name.err"
		echo "exit status $?" >> "$ex_out"
		if cmp -s "$ex_golden/$ex_name.out" "$ex_out"; then
			echo "ok   $ex_name"
		else
			echo "FAIL $ex_name: transcript differs from $ex_golden/$ex_name.out"
			diff -u "$ex_golden/$ex_name.out" "$ex_out" | sed 's/^/    /'
			sed 's/^/    stderr: /' "$ex_tmp/$ex_name.err"
			ex_failed=1
		fi
	done
}

ex_done() {
	exit "$ex_failed"
}
