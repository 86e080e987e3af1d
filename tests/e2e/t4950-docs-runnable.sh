#!/bin/sh
# t4950-docs-runnable.sh: every command in a README.md or docs/*.md code
# block marked runnable still works, so the documentation cannot drift:
#   ```sh runnable      each command (backslash continuations joined) runs
#                       in a scratch directory holding build/ and examples/
#                       links and train.db (a recorded towers program), with
#                       build/ on PATH; it must exit 0 (vscheck: 0 or 1,
#                       its "findings" status; vstrace record: the recorded
#                       program's status, 1 for the buggy examples) and
#                       print no usage error;
#                       `make ...` lines are the build this test runs in and
#                       are skipped
#   ```sql runnable     the block is one query; `vstrace query train.db`
#                       must run it with exit status 0
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

ln -s "$B" build
ln -s "$SRC/examples" examples
rec towers_bug_noreenter
cp "$T/towers_bug_noreenter.db" train.db
PATH=$B:$PATH
export PATH

# FILE -> "KIND<TAB>LINE<TAB>TEXT" per command (sh) or query (sql)
extract() {
	awk -v OFS='\t' '
	/^```(sh|sql) runnable[ \t]*$/ { kind = $1; sub(/^```/, "", kind); sub(/ .*/, "", kind); inb = 1; cmd = ""; start = NR + 1; next }
	inb && /^```/ {
		if (kind == "sql" && cmd != "") print kind, start, cmd
		inb = 0; next
	}
	inb && kind == "sql" { cmd = cmd (cmd == "" ? "" : " ") $0; next }
	inb {
		line = $0
		if (cmd == "") start = NR
		if (line ~ /\\$/) { sub(/\\$/, "", line); cmd = cmd line; next }
		cmd = cmd line
		if (cmd !~ /^[ \t]*(#.*)?$/) print kind, start, cmd
		cmd = ""
	}' "$1"
}

blocks=0
for doc in "$SRC/README.md" "$SRC"/docs/*.md; do
	name=${doc#"$SRC/"}
	extract "$doc" > cmds.tsv
	while IFS="	" read -r kind line text; do
		blocks=$((blocks + 1))
		what="$name:$line"
		if [ "$kind" = sql ]; then
			rc=0
			"$VSTRACE" query train.db "$text" > doc.out 2> doc.err || rc=$?
			[ "$rc" = 0 ] && [ ! -s doc.err ] ||
				fail "$what: query exits $rc: $(head -n 2 doc.err)"
			continue
		fi
		case $text in make\ *|make) continue ;; esac
		rc=0
		sh -c "$text" > doc.out 2> doc.err < /dev/null || rc=$?
		ok=0
		[ "$rc" = 0 ] && ok=1
		case $text in *vscheck\ *|*vstrace\ record\ *) [ "$rc" = 1 ] && ok=1 ;; esac
		grep -q "see '.* --help'\|not found\|No such file" doc.err && ok=0
		[ "$ok" = 1 ] || fail "$what: '$text' exits $rc: $(head -n 2 doc.err)"
	done < cmds.tsv
done
[ "$blocks" -ge 15 ] || fail "only $blocks runnable commands found in README.md and docs/*.md"
check "runnable commands found" "$([ "$blocks" -ge 15 ] && echo enough)" enough
t_done
