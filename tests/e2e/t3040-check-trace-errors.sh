#!/bin/sh
# t3040-check-trace-errors.sh: unreadable input is one line and exit 2; a
# crashed (truncated) trace exits 2 unless --allow-loss; --explain,
# --list-rules and usage errors
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

vsc missing.db
check "missing trace exit" "$rc" 2
check "missing trace lines" "$(wc -l < "$err" | tr -d ' ')" 1
printf 'hello\n' > text.db
vsc text.db
check "not a trace exit" "$rc" 2
check "not a trace lines" "$(wc -l < "$err" | tr -d ' ')" 1
grep -q "^vscheck: 'text.db'" "$err" || { echo "FAIL message names the file:"; cat "$err"; t_failed=1; }
vsc
check "no trace exit" "$rc" 2
check "no trace message" "$(head -n 1 "$err")" "vscheck: no trace given (see 'vscheck --help')"
vsc --bogus x.db
check "bad option exit" "$rc" 2
check "bad option message" "$(head -n 1 "$err")" "vscheck: unknown option '--bogus' (see 'vscheck --help')"

# a process killed while recording: truncated
prog=$B/tests/progs/rec_crash
if [ -x "$prog" ]; then
	"$VSTRACE" record -f -o crash.db -- "$prog" kill 5 >/dev/null 2>&1
	vsc --format gcc crash.db
	check "truncated exit" "$rc" 2
	check "truncated rules" "$(codes "$out")" "VS002"
	check "truncated says why" "$(cat "$err")" "vscheck: 'crash.db': the trace is truncated (the process crashed) (use --allow-loss to accept its findings)"
	vsc --allow-loss --format gcc crash.db
	check "--allow-loss exit" "$rc" 1
	vsc --allow-loss --ignore VS002 crash.db
	check "--allow-loss, VS002 off" "$rc" 0
else
	echo "FAIL $prog is not built"
	t_failed=1
fi

# rule documentation
vsc --explain VS101
check "explain exit" "$rc" 0
check "explain head" "$(head -n 1 "$out")" "VS101 create-in-reuse-scope (default: error, category: store)"
vsc --explain create-in-reuse-scope --format markdown
cmp -s "$out" "$SRC/docs/rules/VS101-create-in-reuse-scope.md" ||
	{ echo "FAIL docs/rules/VS101 is not what --explain generates"; t_failed=1; }
vsc --format markdown x.db
check "markdown without --explain" "$(cat "$err")" "vscheck: --format markdown is only for --explain"
vsc --explain VS999
check "explain unknown" "$(cat "$err")" "vscheck: unknown rule 'VS999' (see --list-rules)"
vsc --explain all
check "explain all" "$(grep -c '^VS[0-9][0-9][0-9] ' "$out")" "$(grep -c '^| \[VS' "$SRC/docs/rules/README.md")"
vsc --list-rules --ignore VS1
has "list-rules levels" "$out" "VS101  create-in-reuse-scope            off      get_variable asks for a variable that does not exist inside a reusing scope"
t_done
