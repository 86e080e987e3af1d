# tests/e2e/lib-stacks.sh - sourced by the call-stack tests (t12NN-stacks-*,
# t3100-check-stacks) after lib.sh.  Adds:
#   at FILE MARKER          the line of FILE (under SRC) holding "@MARKER"
#   stack_of DB PROC SEQ    the stack id of event SEQ of PROC
#   frames DB PROC STACK N  frames 0..N-1 as "function file:line" lines
at() {
	grep -n "/\* @$2 \*/" "$SRC/$1" | cut -d: -f1
}

stack_of() {
	q "$1" "SELECT stack FROM events WHERE proc = $2 AND seq = $3;"
}

frames() {
	q "$1" "SELECT function || ' ' || file || ':' || line FROM stacks WHERE proc = $2
	        AND stack = $3 AND frame < $4 ORDER BY frame;"
}
