#!/bin/sh
# t4000-examples-complete.sh: every example program has a golden transcript
# and a t40NN-examples-*.sh test that runs it, every golden has its program,
# and every buggy twin (NAME_bug_WHAT.c) has its correct program NAME.c.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
count=0
for src in examples/*.c; do
	count=$((count + 1))
	name=$(basename "$src" .c)
	[ -f "tests/e2e/golden/examples/$name.out" ] ||
		{ echo "FAIL $src has no tests/e2e/golden/examples/$name.out"; t_failed=1; }
	grep -Eq "^ex_check( .*)? $name( |\$)" tests/e2e/t40[0-9][0-9]-examples-*.sh ||
		{ echo "FAIL $src is not run by any tests/e2e/t40NN-examples-*.sh"; t_failed=1; }
	case $name in
	*_bug_*)
		[ -f "examples/${name%%_bug_*}.c" ] ||
			{ echo "FAIL $src has no correct twin examples/${name%%_bug_*}.c"; t_failed=1; } ;;
	esac
done
for golden in tests/e2e/golden/examples/*.out; do
	name=$(basename "$golden" .out)
	[ -f "examples/$name.c" ] || { echo "FAIL $golden has no examples/$name.c"; t_failed=1; }
done
[ "$t_failed" -eq 0 ] && echo "ok   $count example programs, each with a golden and a test"
t_done
