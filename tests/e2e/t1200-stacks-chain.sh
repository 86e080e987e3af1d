#!/bin/sh
# t1200-stacks-chain.sh: main -> build_model -> tower -> dense ->
# vs_get_variable, called from two lines of main: each get_variable event
# carries its full call stack, symbolized to function, file and line;
# libvs's own frames are not part of it; the two paths are two stacks that
# differ only in main's frame.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-stacks.sh"
need "$VSTRACE" "$P/stack_model" "$P/stack_seq2seq"
src=tests/progs/stack_model.c

"$VSTRACE" record -o t.db -- "$P/stack_model" chain
check "status" "$?" 0
first=$(q t.db "SELECT seq FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
second=$(q t.db "SELECT seq FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1 OFFSET 1;")
s1=$(stack_of t.db 1 "$first")
s2=$(stack_of t.db 1 "$second")
want() {
	printf 'dense %s:%s\ntower %s:%s\nbuild_model %s:%s\nmain %s:%s' \
		$src "$(at $src dense-get)" $src "$(at $src tower-dense)" \
		$src "$(at $src model-tower)" $src "$(at $src "$1")"
}
check "first build frames" "$(frames t.db 1 "$s1" 4)" "$(want first-build)"
check "second build frames" "$(frames t.db 1 "$s2" 4)" "$(want second-build)"
check "two stacks" "$([ "$s1" != "$s2" ] && echo yes)" yes
# frame 0 is the call site of the event, as the events view has it
check "frame 0 is the site" "$(q t.db "SELECT e.file || ':' || e.line = s.file || ':' || s.line
	FROM events e JOIN stacks s ON s.proc = e.proc AND s.stack = e.stack AND s.frame = 0
	WHERE e.seq = $first;")" 1
check "no libvs frame" "$(q t.db "SELECT COUNT(*) FROM stacks WHERE function LIKE 'vs\\_%' ESCAPE '\\'
	OR function LIKE 'rt\\_%' ESCAPE '\\';")" 0
# the creation and the reuse are variables/events with their stacks
check "variable stack" "$(q t.db "SELECT v.stack = $s1 FROM variables v WHERE v.name = 'model/tower0/kernel:0';")" 1
check "reused at" "$(q t.db "SELECT outcome FROM events WHERE kind = 'GETVAR_EXIT' AND stack = $s2;")" reused
# every event of one call shares the call's stack
check "call shares stack" "$(q t.db "SELECT COUNT(DISTINCT stack) FROM events WHERE seq BETWEEN $first
	AND (SELECT MIN(seq) FROM events WHERE kind = 'GETVAR_EXIT' AND seq > $first);")" 1
# the main program is a module with its build id
check "main module" "$(q t.db "SELECT path = '$P/stack_model' AND length(build_id) = 40 FROM modules
	WHERE path = (SELECT module FROM stacks WHERE stack = $s1 AND frame = 0);")" 1

# --no-stacks and VSTRACE_STACKS=0: no stack at all
"$VSTRACE" record --no-stacks -o n.db -- "$P/stack_model" chain
check "no-stacks status" "$?" 0
check "no-stacks rows" "$(q n.db "SELECT COUNT(*) FROM stacks;")|$(q n.db "SELECT COUNT(*) FROM events WHERE stack IS NOT NULL AND stack > 0;")" "0|0"
VSTRACE_STACKS=0 "$VSTRACE" record -o e.db -- "$P/stack_model" chain
check "env off" "$(q e.db "SELECT COUNT(*) FROM events WHERE kind = 'STACK';")" 0
VSTRACE_STACK_DEPTH=2 "$VSTRACE" record -o d.db -- "$P/stack_model" chain
check "depth 2" "$(q d.db "SELECT MAX(frame) FROM stacks;")" 1
VSTRACE_STACK_DEPTH=0 "$VSTRACE" record -o bad.db -- "$P/stack_model" chain 2>err.txt
check "bad depth status" "$?" 0
check "bad depth message" "$(cat err.txt)" "vstrace: VSTRACE_STACK_DEPTH: expected a number from 1 to 64, got '0'; call stacks off"
check "bad depth off" "$(q bad.db "SELECT COUNT(*) FROM stacks;")" 0
# the CFI unwinder gives the same frames
VSTRACE_STACK_UNWIND=unwind "$VSTRACE" record -o u.db -- "$P/stack_model" chain
u1=$(q u.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
check "unwind frames" "$(frames u.db 1 "$u1" 4)" "$(want first-build)"

# vstrace show --stacks: the stack under the first event of each call
"$VSTRACE" show --stacks --kind GETVAR_ENTER t.db >show.txt
check "show status" "$?" 0
check "show frames" "$(grep -c "^ *#3 main $src:" show.txt)" 2
check "show frame 0" "$(grep -m1 '#0 ' show.txt | sed 's/^ *//')" "#0 dense $src:$(at $src dense-get)"
t_done
