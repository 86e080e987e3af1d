#!/bin/sh
# t2050-store-hostile.sh: traces nobody should trust.  A trace edited to
# carry a trigger or a redefined view is refused by every command (exit 2,
# one line) and never changed; a runaway query stops at --timeout or at
# Ctrl-C (exit 130); a field out of range (an ERROR code of INT_MIN) is a
# corrupt trace, not a crash; a trace whose recorder died is refused by
# vscheck unless --allow-incomplete; and traces behind a symlink, in a
# read-only directory, of another format version or from another machine
# behave as docs/reliability.md says.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK" "$B/examples/gan_bug_rootreuse"
rec gan_bug_rootreuse
[ -f "$T/gan_bug_rootreuse.db" ] || { fail "cannot record"; exit 1; }
good=$T/gan_bug_rootreuse.db
nev=$(q "$good" "SELECT count(*) FROM ev")
# one_err TOOL: $err (vsc) or FILE holds exactly one line "TOOL: ..."
one_err() {
	if [ "$(wc -l <"$2")" -eq 1 ] && grep -q "^$1: " "$2"; then
		echo "ok   $3: one error line"
	else
		fail "$3: stderr is not one '$1:' line:"
		sed 's/^/    /' "$2"
	fi
}
edited() { # NAME SQL: a copy of the good trace, edited with plain sqlite3
	cp "$good" "$T/$1.db"
	q "$T/$1.db" "$2" >/dev/null || fail "cannot edit $1"
}

# ------------------------------------------------------------ hostile SQL
edited trig "CREATE TRIGGER wipe AFTER INSERT ON finding_tab BEGIN DELETE FROM ev;
	UPDATE meta SET value = 'pwned' WHERE key = 'program'; END;"
prog=$(q "$T/trig.db" "SELECT value FROM meta WHERE key = 'program'")
vsc --write-findings "$T/trig.db"
check "trigger: vscheck --write-findings exit" $rc 2
has "trigger: refused" "$err" "vscheck: '$T/trig.db': refused: its schema holds trigger 'wipe', which vstrace did not create (the file was changed outside vstrace)"
check "trigger: events kept" "$(q "$T/trig.db" "SELECT count(*) FROM ev")" "$nev"
check "trigger: meta kept" "$(q "$T/trig.db" "SELECT value FROM meta WHERE key = 'program'")" "$prog"
check "trigger: no findings written" "$(q "$T/trig.db" "SELECT count(*) FROM finding_tab")" 0
for cmd in info show query; do
	case $cmd in
	query) "$VSTRACE" query "$T/trig.db" "SELECT 1" >/dev/null 2>"$T/e" ;;
	*) "$VSTRACE" $cmd "$T/trig.db" >/dev/null 2>"$T/e" ;;
	esac
	check "trigger: vstrace $cmd exit" $? 2
	has "trigger: vstrace $cmd refused" "$T/e" "vstrace: '$T/trig.db': refused: its schema holds trigger 'wipe', which vstrace did not create (the file was changed outside vstrace)"
done

edited loop "DROP VIEW threads; CREATE VIEW threads AS WITH RECURSIVE c(x) AS
	(SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS proc, x AS tid FROM c;"
timeout 20 "$VSTRACE" query "$T/loop.db" "SELECT count(*) FROM threads" >/dev/null 2>"$T/e"
check "recursive view: refused at once" $? 2
has "recursive view: message" "$T/e" "vstrace: '$T/loop.db': refused: its schema holds view 'threads', which vstrace did not create (the file was changed outside vstrace)"

# ---------------------------------------------------------- runaway query
RUNAWAY="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
timeout 20 "$VSTRACE" query --timeout 1 "$good" "$RUNAWAY" >/dev/null 2>"$T/e"
check "runaway query: --timeout exit" $? 2
has "runaway query: --timeout message" "$T/e" "vstrace: '$good': query: stopped after the time limit of 1 s (see --timeout)"
"$VSTRACE" query "$good" "$RUNAWAY" >/dev/null 2>"$T/e" &
qpid=$!
sleep 1
kill -INT $qpid
wait $qpid
check "runaway query: Ctrl-C exit" $? 130
has "runaway query: Ctrl-C message" "$T/e" "vstrace: query: interrupted"

# ---------------------------------------------------- fields out of range
# the payload of ERROR events holds a vs_err as a positive number; 2^31
# used to overflow the negation in the timeline (UBSan)
edited intmin "UPDATE ev SET p0 = 2147483648 WHERE kind = 80"
seq=$(q "$T/intmin.db" "SELECT min(id & 1099511627775) FROM ev WHERE kind = 80")
"$VSTRACE" show "$T/intmin.db" >/dev/null 2>"$T/e"
check "INT_MIN error code: show exit" $? 2
has "INT_MIN error code: corrupt" "$T/e" "vstrace: '$T/intmin.db': corrupt trace (event 1:$seq has an error code out of range)"
vsc "$T/intmin.db"
check "INT_MIN error code: vscheck exit" $rc 2
one_err vscheck "$err" "INT_MIN error code: vscheck"

# ------------------------------------------------- the recorder died
# a trace whose recorder was killed after a commit: complete mark absent
edited dead "DELETE FROM meta WHERE key = 'complete'; DELETE FROM var_tab; DELETE FROM scope_tab"
vsc "$T/dead.db"
check "incomplete: vscheck exit" $rc 2
has "incomplete: refused" "$err" "vscheck: '$T/dead.db': the trace is incomplete: its recording stopped early and an unknown number of events is missing (use --allow-incomplete to accept its findings)"
vsc --allow-incomplete --format gcc "$T/dead.db"
check "incomplete: --allow-incomplete exit (findings)" $rc 1
check "incomplete: VS002 reported" "$(grep -c 'VS002 trace-truncated' "$out")" 1
"$VSTRACE" info "$T/dead.db" >"$T/i"
has "incomplete: info says the loss is unknown" "$T/i" "lost        unknown (the recording stopped early; 0 events known lost)"

# ---------------------------------------------------------------- symlinks
ln -s "$good" "$T/link.db"
vsc --write-findings "$T/link.db"
check "symlink to a trace: checked" $rc 1
check "symlink to a trace: findings in the target" "$([ "$(q "$good" "SELECT count(*) FROM finding_tab")" -gt 0 ] && echo yes)" yes
printf 'precious text, not a trace\n' >"$T/precious.txt"
ln -s "$T/precious.txt" "$T/evil.db"
vsc --write-findings "$T/evil.db"
check "symlink to another file: exit" $rc 2
one_err vscheck "$err" "symlink to another file"
check "symlink to another file: untouched" "$(cat "$T/precious.txt")" "precious text, not a trace"
ln -s "$T/nowhere.db" "$T/dangling.db"
vsc "$T/dangling.db"
check "dangling symlink: exit" $rc 2
has "dangling symlink: message" "$err" "vscheck: '$T/dangling.db': no such file"

# ------------------------------------------------------ read-only directory
mkdir -p "$T/ro"
cp "$good" "$T/ro/t.db"
chmod 755 "$T"
chmod 555 "$T/ro"
chmod 444 "$T/ro/t.db"
# root writes anywhere: run the tools as nobody when we are root
as_user=""
if [ "$(id -u)" -eq 0 ]; then
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	$as_user "$VSTRACE" --help >/dev/null 2>&1 || as_user=skip
fi
if [ "$as_user" = skip ]; then
	echo "ok   read-only dir: skipped (root, and the tools cannot run as nobody)"
else
before=$(cksum <"$T/ro/t.db")
$as_user "$VSCHECK" --no-config --write-findings "$T/ro/t.db" >/dev/null 2>"$T/e"
check "read-only dir: --write-findings exit" $? 2
one_err vscheck "$T/e" "read-only dir: --write-findings"
check "read-only dir: trace unchanged" "$(cksum <"$T/ro/t.db")" "$before"
$as_user "$VSCHECK" --no-config "$T/ro/t.db" >/dev/null 2>"$T/e"
check "read-only dir: checking still works" $? 1
$as_user "$VSTRACE" query "$T/ro/t.db" "SELECT count(*) FROM events" >"$T/o" 2>"$T/e"
check "read-only dir: query works" "$(tail -1 "$T/o" | tr -d ' ')" "$nev"
fi
chmod 755 "$T/ro"

# ------------------------------------------------------ other format versions
# the versions this build reads (store/schema.h), from its own source
ver=$(sed -n 's/^#define VS_DB_VERSION \([0-9]*\).*/\1/p' "$SRC/store/schema.h")
vmin=$(sed -n 's/^#define VS_DB_VERSION_MIN \([0-9]*\).*/\1/p' "$SRC/store/schema.h")
edited newer "PRAGMA user_version = $((ver + 1))"
vsc "$T/newer.db"
check "newer format: exit" $rc 2
has "newer format: message" "$err" "vscheck: '$T/newer.db': trace format version $((ver + 1)) is newer than this vstrace (max $ver)"
edited older "PRAGMA user_version = $((vmin - 1))"
"$VSTRACE" info "$T/older.db" >/dev/null 2>"$T/e"
check "older format: exit" $? 2
has "older format: message" "$T/e" "vstrace: '$T/older.db': trace format version $((vmin - 1)) is too old for this vstrace (min $vmin)"

# ------------------------------------------------------ another machine's trace
# pids that do not exist here, source paths that do not exist here, a
# program path that does not exist: nothing is looked up on this machine
edited far "UPDATE procs SET pid = pid + 4000000, ppid = 1;
	UPDATE strings SET s = '/home/elsewhere/src/' || s WHERE s LIKE 'examples/%';
	UPDATE meta SET value = '/opt/elsewhere/bin/gan' WHERE key = 'program'"
vsc --format gcc "$good"
sed 's|examples/|/home/elsewhere/src/examples/|g' "$out" >"$T/far.want"
vsc --format gcc "$T/far.db"
check "other machine: vscheck exit" $rc 1
if cmp -s "$out" "$T/far.want" && [ -s "$out" ]; then
	echo "ok   other machine: the same findings, at the foreign paths"
else
	fail "other machine: findings differ from the local trace's:"
	diff "$T/far.want" "$out" | sed 's/^/    /'
fi
"$VSTRACE" info "$T/far.db" >"$T/i" 2>"$T/e"
check "other machine: info exit" $? 0
grep -q "pid 4" "$T/i" && grep -q '/opt/elsewhere/bin/gan' "$T/i" && echo "ok   other machine: info shows them" ||
	fail "other machine: info lacks the foreign pid or program"
"$VSTRACE" show "$T/far.db" >/dev/null 2>"$T/e"
check "other machine: show exit" $? 0
t_done
