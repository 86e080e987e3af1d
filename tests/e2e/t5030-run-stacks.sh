#!/bin/sh
# t5030-run-stacks.sh: a scenario's events have the scenario's call stacks:
# the step, then the call steps of the functions it runs in and the thread
# it runs on, with their YAML lines (symbolic frames, docs/recording.md).
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"
cat >s.yaml <<'YAML'
scenario: "a tower built from two places and from a thread"
functions:
  tower:
    - variable_scope: {name: tower, reuse: auto}
      body:
        - get_variable: {name: w, shape: [2]}   # @get
threads:
  worker:                                       # @thread
    - call: {function: tower}                   # @thread-call
steps:
  - call: {function: tower}                     # @first
  - call: {function: tower}                     # @second
  - start: worker
  - join: worker
YAML
at() { grep -n "# @$1\$" s.yaml | cut -d: -f1; }
"$VSTRACE" run s.yaml -o s.db >/dev/null
check "status" "$?" 0
st() {
	q s.db "SELECT group_concat(f, ' ') FROM (SELECT s.function || ':' || s.line AS f FROM events e
	        JOIN stacks s ON s.proc = e.proc AND s.stack = e.stack
	        WHERE e.kind = 'GETVAR_ENTER' AND e.seq = (SELECT seq FROM events WHERE kind = 'GETVAR_ENTER'
	        ORDER BY seq LIMIT 1 OFFSET $1) ORDER BY s.frame);"
}
check "first call" "$(st 0)" "tower:$(at get) main:$(at first)"
check "second call" "$(st 1)" "tower:$(at get) main:$(at second)"
check "thread" "$(st 2)" "tower:$(at get) worker:$(at thread-call) worker:$(at thread)"
check "file" "$(q s.db "SELECT DISTINCT file FROM stacks;")" "s.yaml"
check "no module" "$(q s.db "SELECT COUNT(*) FROM stacks WHERE module IS NOT NULL OR pc != 0;")" 0
t_done
