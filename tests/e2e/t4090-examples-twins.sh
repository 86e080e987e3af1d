#!/bin/sh
# t4090-examples-twins.sh: every buggy twin differs from its correct program
# only on lines marked BUG: examples/NAME_bug_WHAT.c from examples/NAME.c,
# and examples/python/NAME_bug_WHAT.py from examples/python/NAME.py.
#
# The marker convention (also in examples/README.md):
# - The head of each program is the program's own description; it is not
#   compared.  In C: line 1 up to the first line that is " */" alone (the
#   SPDX line and the comment that says what the program shows), and the
#   twin's third line must start " * examples/NAME_bug_WHAT.c - ".  In
#   Python: the module docstring (line 1, which starts with three double
#   quotes, up to the line that ends with them); the twin's first line must
#   start with the quotes and "examples/python/NAME_bug_WHAT.py - ", and a
#   "vstrace.run" command in it must run the twin itself.
# - Every other line that the twin adds or changes (as `diff NAME NAME_bug_WHAT`
#   reports it) carries the marker on that same line: a comment that starts
#   with the word BUG, "/* BUG */" or "/* BUG: what is wrong */" in C,
#   "# BUG" or "# BUG: what is wrong" in Python.
# - Lines of the correct program that the twin leaves out are replaced by
#   at least one marked line (e.g. "/* BUG: no store.variables() listing */"),
#   so no deletion is silent.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1

# head_end LANG FILE: the number of FILE's last head line (c or py)
head_end() {
	awk -v lang="$1" '
		lang == "c" && $0 == " */" { print NR; exit }
		lang == "py" && NR == 1 && !/^"""/ { exit }
		lang == "py" && (NR > 1 || length($0) > 3) && /"""$/ { print NR; exit }' "$2"
}

# body LANG FILE: FILE with its head as one line
body() {
	awk -v end="$(head_end "$1" "$2")" 'NR == end { print "(head)"; next } NR > end' "$2"
}

# unmarked LANG BASE TWIN: one "LINE: problem" line per unmarked difference
# (LINE in TWIN), nothing when every difference is marked.  Works on diff's
# normal format: hunk headers (12a13,14 / 3,4c3 / 7d6), then the twin's
# lines as "> text".
unmarked() {
	case $1 in
	c) um_mark='/\*[ \t]*BUG([^A-Za-z0-9_]|$)' ;;
	py) um_mark='#[ \t]*BUG([^A-Za-z0-9_]|$)' ;;
	esac
	um_skip=$(($(head_end "$1" "$3") - 1))
	body "$1" "$2" > "$T/base.body"
	body "$1" "$3" > "$T/twin.body"
	diff "$T/base.body" "$T/twin.body" | awk -v skip="$um_skip" -v mark="$um_mark" '
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
			if ($0 !~ mark)
				printf "%d: not marked BUG: %s\n", line + skip, substr($0, 3)
			line++
		}'
}

# identity LANG TWIN: what is wrong with TWIN's head, nothing when it is right
identity() {
	case $1 in
	c)
		sed -n 3p "$2" | grep -q "^ \* $2 - " || echo "line 3 does not start ' * $2 - '" ;;
	py)
		id_end=$(head_end py "$2")
		if [ -z "$id_end" ]; then
			echo "no module docstring"
			return
		fi
		sed -n 1p "$2" | grep -q "^\"\"\"$2 - " || echo "line 1 does not start '\"\"\"$2 - '"
		sed -n "1,${id_end}p" "$2" | grep -o 'vstrace\.run [^ "]*' | grep -v "run $2\$" |
			sed 's/^/the head runs another program: /' ;;
	esac
}

# the checker itself: an unmarked change and a silent deletion are caught,
# marked ones pass; the head is not compared
mkdir -p "$T/examples/python"
c=$T/examples
printf '/* SPDX */\n/*\n * examples/x.c - x\n */\nint a;\nint b;\nint c;\nint d;\n' > "$c/x.c"
printf '/* SPDX */\n/*\n * examples/x_bug_y.c - y\n * two lines\n */\nint a;\nlong b;\nint c;\n' > "$c/x_bug_y.c"
check "self-test: unmarked C lines found" "$(unmarked c "$c/x.c" "$c/x_bug_y.c")" "7: not marked BUG: long b;
8: lines removed without a BUG line in their place"
printf '/* SPDX */\n/*\n * examples/x_bug_y.c - y\n */\nint a;\nlong b; /* BUG */\nint c;\n/* BUG: no d */\n' > "$c/x_bug_y.c"
check "self-test: marked C lines pass" "$(unmarked c "$c/x.c" "$c/x_bug_y.c")" ""
check "self-test: a right C head passes" "$(cd "$T" && identity c examples/x_bug_y.c)" ""
cp "$c/x_bug_y.c" "$c/x_bug_z.c"
check "self-test: a C twin's head is checked" "$(cd "$T" && identity c examples/x_bug_z.c)" \
	"line 3 does not start ' * examples/x_bug_z.c - '"
py=$T/examples/python
printf '"""x.py - x\nRun: python3 -m vstrace.run x.py"""\na = 1\nb = 2  # BUG\nc = 3\nd = 4\n' > "$py/x.py"
printf '"""y\ntwo\nlines"""\na = 1\nb = 5  # BUGGY\nc = 3\n# BUG: d\n' > "$py/x_bug_y.py"
check "self-test: unmarked Python lines found" "$(unmarked py "$py/x.py" "$py/x_bug_y.py")" \
	"5: not marked BUG: b = 5  # BUGGY"
printf '"""y"""\na = 1\nb = 5  # BUG\nc = 3\n' > "$py/x_bug_y.py"
check "self-test: a silent Python deletion is found" "$(unmarked py "$py/x.py" "$py/x_bug_y.py")" \
	"4: lines removed without a BUG line in their place"
printf '"""y"""\na = 1\nb = 5  #BUG: five\nc = 3\nd = 4 # BUG\n' > "$py/x_bug_y.py"
check "self-test: marked Python lines pass" "$(unmarked py "$py/x.py" "$py/x_bug_y.py")" ""
check "self-test: a Python twin's head is checked" \
	"$(cd "$T" && identity py examples/python/x_bug_y.py)" \
	"line 1 does not start '\"\"\"examples/python/x_bug_y.py - '"
printf '"""examples/python/x_bug_y.py - y\nRun: python3 -m vstrace.run examples/python/x.py"""\n' \
	> "$py/x_bug_y.py"
check "self-test: a Python twin's head runs the twin" \
	"$(cd "$T" && identity py examples/python/x_bug_y.py)" \
	"the head runs another program: vstrace.run examples/python/x.py"
printf 'import os\n' > "$py/x_bug_y.py"
check "self-test: a Python twin needs a docstring" \
	"$(cd "$T" && identity py examples/python/x_bug_y.py)" "no module docstring"

# check_twins LANG EXT DIR: checks every twin DIR/*_bug_*.EXT; ct_n: how many
check_twins() {
	ct_n=0
	for twin in "$3"/*_bug_*."$2"; do
		[ -e "$twin" ] || continue
		ct_n=$((ct_n + 1))
		name=$(basename "$twin" ."$2")
		base=$3/${name%%_bug_*}.$2
		[ -f "$base" ] || { fail "$twin: no correct program $base"; continue; }
		problems=$(identity "$1" "$twin")
		[ -z "$problems" ] || problems=$(echo "$problems" | sed 's/^/head: /')
		body_problems=$(unmarked "$1" "$base" "$twin")
		problems=$(printf '%s\n%s' "$problems" "$body_problems" | sed '/^$/d')
		if [ -n "$problems" ]; then
			fail "$twin differs from $base on unmarked lines or has a wrong head:"
			echo "$problems" | sed "s|^|    $twin:|"
		else
			echo "ok   $twin differs from $base only on BUG lines"
		fi
	done
}

check_twins c c examples
check "C buggy twins found (at least 8)" "$([ "$ct_n" -ge 8 ] && echo yes)" yes
check_twins py py examples/python
check "Python buggy twins found (at least 6)" "$([ "$ct_n" -ge 6 ] && echo yes)" yes
t_done
