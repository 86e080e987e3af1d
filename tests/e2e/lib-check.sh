# tests/e2e/lib-check.sh - sourced by the t3NNN-check-*.sh tests (vscheck).
# Runs in the scratch directory $T; B is the (absolute) build directory.
#   rec NAME [ARGS]      record $B/examples/NAME (or a path) into NAME.db
#   vsc ARGS...          run vscheck --no-config; stdout in $out, stderr in
#                        $err, exit status in $rc
#   codes FILE           the sorted unique rule codes of a gcc-format report
#   check WHAT GOT WANT  compare, report, remember a failure
#   has WHAT FILE TEXT   FILE contains the line TEXT
#   chk_done             end the test: exit 1 when any check failed
VSTRACE=$B/vstrace
VSCHECK=$B/vscheck
SRC=$(cd "$(dirname "$0")/../.." && pwd)
chk_failed=0
out=$T/vsc.out
err=$T/vsc.err
rc=0

for f in "$VSTRACE" "$VSCHECK"; do
	[ -x "$f" ] || { echo "FAIL $f is not built"; exit 1; }
done

check() {
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		chk_failed=1
	fi
}

has() {
	if grep -qxF -- "$3" "$2"; then
		echo "ok   $1"
	else
		echo "FAIL $1: no line '$3' in $2:"
		sed 's/^/    /' "$2"
		chk_failed=1
	fi
}

# recording runs from the top of the tree so that call sites read
# examples/NAME.c
rec() {
	name=$1
	shift
	bin=$B/examples/$name
	case $name in */*) bin=$name; name=$(basename "$name") ;; esac
	(cd "$SRC" && "$VSTRACE" record -f -o "$T/$name.db" -- "$bin" "$@") >"$T/$name.rec.out" 2>&1
}

vsc() {
	rc=0
	"$VSCHECK" --no-config "$@" >"$out" 2>"$err" || rc=$?
}

codes() {
	sed -n 's/.*\[\(VS[0-9][0-9][0-9]\) .*\]$/\1/p' "$1" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

chk_done() {
	exit "$chk_failed"
}
