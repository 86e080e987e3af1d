#!/bin/sh
# t2070-cli-empty-file-flags.sh: three things every command must agree on.
# - An empty (0-byte) file is "empty file" in every reader (info, show,
#   query, report, export, replay, vscheck): one line naming the file on
#   stderr, nothing on stdout, exit status 2.
# - `-f` means --force wherever it exists (record, run); query's --file is
#   -F, and the old spellings `query -f FILE` and `export -f FORMAT` fail
#   with one line saying what to use instead (the file is never run as SQL).
# - `-o -`: export writes to standard output; record, run, replay (-o and
#   --keep) and recover refuse it with one line; no file named '-' appears.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

# run1 NAME WANT_STDERR CMD...: exit status 2, stdout empty, stderr exactly WANT
run1() {
	r1_name=$1 r1_want=$2
	shift 2
	r1_rc=0
	"$@" > r1.out 2> r1.err < /dev/null || r1_rc=$?
	check "$r1_name: exit" "$r1_rc" 2
	check "$r1_name: stdout" "$(cat r1.out)" ""
	check "$r1_name: stderr" "$(cat r1.err)" "$r1_want"
}

: > empty.db
E="vstrace: 'empty.db': empty file"
run1 "info empty" "$E" "$VSTRACE" info empty.db
run1 "info --json empty" "$E" "$VSTRACE" info --json empty.db
run1 "show empty" "$E" "$VSTRACE" show empty.db
run1 "query empty" "$E" "$VSTRACE" query empty.db 'SELECT 1'
run1 "report empty" "$E" "$VSTRACE" report empty.db
run1 "export empty" "$E" "$VSTRACE" export --format chrome empty.db
run1 "replay empty" "$E" "$VSTRACE" replay empty.db
run1 "vscheck empty" "vscheck: 'empty.db': empty file" "$VSCHECK" --no-config empty.db
check "empty.db untouched" "$(wc -c < empty.db | tr -d ' ')" 0

# -f: --force or nothing, in every command's --help
for cmd in record run info show query report export replay recover; do
	"$VSTRACE" "$cmd" --help > help.out
	fline=$(grep -E -- '^ +-f, ' help.out | sed 's/^ *//; s/^\(-f, [^ ]*\).*/\1/')
	case $cmd in
	record | run) check "$cmd --help: -f" "$fline" "-f, --force" ;;
	*) check "$cmd --help: no -f" "$fline" "" ;;
	esac
done
"$VSCHECK" --help | grep -qE -- '^ +-f, ' && fail "vscheck --help has a -f"

"$VSTRACE" run -q -o sc.db "$SRC/examples/scenarios/vs-simple.yaml" > /dev/null 2>&1
[ -f sc.db ] || fail "run -o sc.db wrote no trace"
printf 'SELECT count(*) AS n FROM variables;\n' > q.sql
"$VSTRACE" query sc.db -F q.sql > f1.out 2>&1 || fail "query -F"
"$VSTRACE" query sc.db --file q.sql > f2.out 2>&1 || fail "query --file"
"$VSTRACE" query sc.db "$(cat q.sql)" > f3.out 2>&1 || fail "query SQL"
check "query -F = query SQL" "$(cat f1.out)" "$(cat f3.out)"
check "query --file = query SQL" "$(cat f2.out)" "$(cat f3.out)"
run1 "query -f FILE (old spelling)" \
	"vstrace: query: '-f' is not --file (in vstrace, -f means --force): read the SQL from a file with -F FILE.sql (see 'vstrace query --help')" \
	"$VSTRACE" query sc.db -f q.sql
run1 "export -f FORMAT (old spelling)" \
	"vstrace: export: '-f' is not --format (in vstrace, -f means --force): use --format F (see 'vstrace export --help')" \
	"$VSTRACE" export -f chrome sc.db

# -o -
"$VSTRACE" export --format json sc.db > x1.out || fail "export to stdout"
"$VSTRACE" export --format json -o - sc.db > x2.out || fail "export -o -"
check "export -o - is stdout" "$(cksum < x2.out)" "$(cksum < x1.out)"
[ -s x1.out ] || fail "export wrote nothing"
S="a trace is a database file, not a stream"
run1 "record -o -" "vstrace: record: -o -: $S (see 'vstrace record --help')" \
	"$VSTRACE" record -o - -- /bin/true
run1 "run -o -" "vstrace: run: -o -: $S (see 'vstrace run --help')" \
	"$VSTRACE" run -o - "$SRC/examples/scenarios/vs-simple.yaml"
run1 "replay -o -" "vstrace: replay: -o -: $S (see 'vstrace replay --help')" \
	"$VSTRACE" replay -o - sc.db
run1 "replay --keep -" \
	"vstrace: replay: --keep -: standard output carries the replay's result (see 'vstrace replay --help')" \
	"$VSTRACE" replay --keep - sc.db
run1 "recover -o -" "vstrace: recover: -o -: $S (see 'vstrace recover --help')" \
	"$VSTRACE" recover -o - sc.db
[ ! -e ./- ] || fail "a file named '-' was created"
t_done
