#!/bin/sh
# t4090-examples-twins.sh: every buggy twin examples/NAME_bug_WHAT.c differs
# from its correct program examples/NAME.c only on lines marked BUG.
#
# The marker convention (also in examples/README.md):
# - The head of each program (line 1 up to the first line that is " */"
#   alone: the SPDX line and the comment that says what the program shows)
#   is the program's own description; it is not compared, but the twin's
#   third line must start " * examples/NAME_bug_WHAT.c - ".
# - Every other line that the twin adds or changes (as `diff NAME.c
#   NAME_bug_WHAT.c` reports it) carries the marker: a C comment that starts
#   with the word BUG ("/* BUG */" or "/* BUG: what is wrong */") on that
#   same line.
# - Lines of NAME.c that the twin leaves out are replaced by at least one
#   marked line (e.g. "/* BUG: no store.variables() listing */"), so no
#   deletion is silent.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1

# body FILE: FILE with its head (up to the first " */" line) as one line
body() {
	awk 'in_body { print; next } /^ \*\/$/ { in_body = 1; print "/* head */" }' "$1"
}

# unmarked BASE TWIN: one "LINE: problem" line per unmarked difference
# (LINE in TWIN), nothing when every difference is marked.  Works on diff's
# normal format: hunk headers (12a13,14 / 3,4c3 / 7d6), then the twin's
# lines as "> text".
unmarked() {
	um_skip=$(awk '/^ \*\/$/ { print NR - 1; exit }' "$2")
	body "$1" > "$T/base.body"
	body "$2" > "$T/twin.body"
	diff "$T/base.body" "$T/twin.body" | awk -v skip="$um_skip" '
		/^[0-9]/ {
			if ($0 ~ /d/) {
				split($0, r, "d")
				printf "%d: lines removed without a BUG line in their place\n", r[2] + skip
			}
			split($0, r, /[acd]/)
			split(r[2], t, ",")
			line = t[1]
			next
		}
		/^> / {
			if ($0 !~ /\/\*[ \t]*BUG([^A-Za-z0-9_]|$)/)
				printf "%d: not marked BUG: %s\n", line + skip, substr($0, 3)
			line++
		}'
}

# the checker itself: an unmarked change and a silent deletion are caught,
# marked ones pass
printf '/* SPDX */\n/*\n * examples/x.c - x\n */\nint a;\nint b;\nint c;\nint d;\n' > "$T/x.c"
printf '/* SPDX */\n/*\n * examples/x_bug_y.c - y\n * two lines\n */\nint a;\nlong b;\nint c;\n' > "$T/x_bug_y.c"
check "self-test: unmarked lines found" "$(unmarked "$T/x.c" "$T/x_bug_y.c")" "7: not marked BUG: long b;
8: lines removed without a BUG line in their place"
printf '/* SPDX */\n/*\n * examples/x_bug_y.c - y\n */\nint a;\nlong b; /* BUG */\nint c;\n/* BUG: no d */\n' > "$T/x_bug_y.c"
check "self-test: marked lines pass" "$(unmarked "$T/x.c" "$T/x_bug_y.c")" ""

n=0
for twin in examples/*_bug_*.c; do
	[ -e "$twin" ] || continue
	n=$((n + 1))
	name=$(basename "$twin" .c)
	base=examples/${name%%_bug_*}.c
	[ -f "$base" ] || { fail "$twin: no correct program $base"; continue; }
	sed -n 3p "$twin" | grep -q "^ \* $twin - " ||
		fail "$twin: line 3 does not start ' * $twin - '"
	problems=$(unmarked "$base" "$twin")
	if [ -n "$problems" ]; then
		fail "$twin differs from $base on unmarked lines:"
		echo "$problems" | sed "s|^|    $twin:|"
	else
		echo "ok   $twin differs from $base only on BUG lines"
	fi
done
check "buggy twins found (at least 8)" "$([ "$n" -ge 8 ] && echo yes)" yes
t_done
