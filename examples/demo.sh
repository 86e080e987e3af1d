#!/bin/sh
# examples/demo.sh - `make demo`: the newcomer's path in one run.
#
# Records a correct GAN (examples/gan.c) and its buggy twin
# (examples/gan_bug_rootreuse.c: reuse_variables() on the root scope),
# checks both traces with vscheck, stores the findings in the trace and
# asks the trace two questions in SQL.  Each command is printed before it
# runs; the demo fails only if a command's exit status is not the one
# expected (the buggy program and its check are expected to fail).
# B is the build directory; the traces go to $B/demo/.
set -u
B=${B:-build}
dir=$B/demo
mkdir -p "$dir" || exit 1

# run EXPECTED_STATUS COMMAND...: print and run a command, check its status
run() {
	want=$1
	shift
	printf '\n$'
	for arg in "$@"; do
		case $arg in
		*" "*) printf ' "%s"' "$arg" ;;
		*) printf ' %s' "$arg" ;;
		esac
	done
	printf '\n'
	"$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "demo: '$*' exited with status $got, expected $want" >&2
		exit 1
	fi
}

echo "== 1. a GAN whose discriminator is shared correctly (reuse=True)"
run 0 "$B/vstrace" record -f -o "$dir/gan.db" -- "$B/examples/gan"
run 0 "$B/vscheck" "$dir/gan.db"

echo
echo "== 2. the same GAN with tf.get_variable_scope().reuse_variables()"
run 1 "$B/vstrace" record -f -o "$dir/gan_bug.db" -- "$B/examples/gan_bug_rootreuse"
run 1 "$B/vscheck" --write-findings "$dir/gan_bug.db"

echo
echo "== 3. the trace is an SQLite file: ask it questions"
run 0 "$B/vstrace" info "$dir/gan_bug.db"
run 0 "$B/vstrace" query "$dir/gan_bug.db" \
	"SELECT name, shape, file, line FROM variables WHERE name LIKE 'discr%' ORDER BY create_seq"
run 0 "$B/vstrace" query "$dir/gan_bug.db" \
	"SELECT code, severity, file, line, message FROM findings ORDER BY seq"

echo
echo "demo: ok (traces in $dir; try 'vstrace show $dir/gan_bug.db')"
