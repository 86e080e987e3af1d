#!/bin/sh
# t5040-run-stacks.sh: a scenario's events have the scenario's call stacks:
# the step, then the call steps of the functions it runs in and the thread
# it runs on, with their YAML lines (symbolic frames, docs/recording.md);
# template and traced-function calls too.
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

# a template's and a traced function's body run under the call step's
# frame, named after the function they wrap (as their call sites are)
cat >t.yaml <<'YAML'
functions:
  body:
    - get_variable: {name: v, shape: [1]}        # @tget
  traced_body:
    - get_variable: {name: $name, shape: [1]}    # @fget
steps:
  - make_template: {name: tpl, function: body, as: t}
  - call: t                                      # @tfirst
  - call: t                                      # @tsecond
  - def_function: {function: traced_body, as: f}
  - call: {traced: f, args: {name: x}}           # @fcall
YAML
"$VSTRACE" run -q t.yaml -o t.db >/dev/null
check "templates: status" "$?" 0
tat() { grep -n "# @$1\$" t.yaml | cut -d: -f1; }
check "template and traced calls" "$(q t.db "SELECT group_concat(f, ' ') FROM (SELECT e.seq || '=' || s.function || ':' || s.line AS f
	FROM events e JOIN stacks s ON s.proc = e.proc AND s.stack = e.stack
	WHERE e.kind = 'GETVAR_ENTER' ORDER BY e.seq, s.frame);" | sed 's/[0-9]*=//g')" \
	"body:$(tat tget) main:$(tat tfirst) body:$(tat tget) main:$(tat tsecond) traced_body:$(tat fget) main:$(tat fcall)"
check "sites name the wrapped functions" "$(q t.db "SELECT group_concat(function, ' ') FROM (SELECT function FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq);")" \
	"body body traced_body"
t_done
