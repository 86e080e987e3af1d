# tests/e2e/lib-record.sh - sourced by the t1NNN-record-*.sh tests.
# Runs in the scratch directory $T; B is the (absolute) build directory.
#   q DB SQL          one query through sqlite3, result rows on stdout
#   check WHAT GOT WANT   compare, report, remember a failure
#   check_file F TEXT     file F holds exactly TEXT (one line)
#   rec_done          end the test: exit 1 when any check failed
VSTRACE=$B/vstrace
P=$B/tests/progs
rec_failed=0

q() {
	sqlite3 -batch -noheader "$1" "$2"
}

check() {
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		rec_failed=1
	fi
}

check_file() {
	check "$1 contents" "$(cat "$1")" "$2"
}

# count of events of kind K (name) in proc P of trace DB
nkind() {
	q "$1" "SELECT COUNT(*) FROM events WHERE proc = $2 AND kind = '$3';"
}

rec_done() {
	exit "$rec_failed"
}

for f in "$VSTRACE" "$P/rec_simple"; do
	[ -x "$f" ] || { echo "FAIL $f is not built"; exit 1; }
done
