#!/bin/sh
# t5010-run-output.sh: `vstrace run` exit codes and messages, and -o: the
# trace of a scenario run is complete and its call sites are the YAML
# lines; a malformed scenario leaves no trace file behind.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"

cat > ok.yaml <<'Y'
steps:
  - variable_scope: foo
    body:
      - get_variable: {name: v, shape: [1]}
        expect: {name: "foo/v:0"}
Y
out=$("$VSTRACE" run -o ok.db ok.yaml 2>&1); rc=$?
check ok-rc "$rc" 0
check ok-out "$out" "ok.yaml:4:9: created foo/v:0
ok.yaml: ok: 2 steps, 1 created, 0 reused, 0 errors (0 uncaught), 1 expectation, 0 failed"
check ok-vars "$("$VSTRACE" query ok.db "SELECT name || '|' || file || '|' || line || '|' || function FROM variables" 2>&1 | tail -n 1 | sed 's/ *$//')" \
	"foo/v:0|ok.yaml|4|main"
"$VSTRACE" info ok.db > info.txt 2>&1 || { echo "info failed"; cat info.txt; t_failed=1; }
grep -q 'status *complete' info.txt || { echo "trace not complete"; cat info.txt; t_failed=1; }
"$VSTRACE" show ok.db > show.txt 2>&1 || { echo "show failed"; t_failed=1; }
grep -q '@ ok.yaml:4 main$' show.txt || { echo "no YAML call site in the trace"; cat show.txt; t_failed=1; }

cat > fails.yaml <<'Y'
steps:
  - get_variable: {name: v, shape: [1]}
    expect: {name: "w:0"}
Y
"$VSTRACE" run -q fails.yaml > out.txt 2> err.txt; rc=$?
check fails-rc "$rc" 1
check fails-err "$(cat err.txt)" "vstrace: fails.yaml:3:14: expectation failed: name: expected 'w:0', got 'v:0'"

cat > uncaught.yaml <<'Y'
steps:
  - get_variable: {name: v, shape: [1]}
  - get_variable: {name: v, shape: [1]}
Y
"$VSTRACE" run -q uncaught.yaml > out.txt 2> err.txt; rc=$?
check uncaught-rc "$rc" 1
grep -q "^vstrace: uncaught.yaml:3:5: uncaught ValueError: Variable v already exists, disallowed." err.txt ||
	{ echo "uncaught: $(cat err.txt)"; t_failed=1; }

printf 'steps:\n  - get_variable: {name: v, shap: [1]}\n' > bad.yaml
out=$("$VSTRACE" run -o bad.db bad.yaml 2>&1); rc=$?
check bad-rc "$rc" 2
check bad-out "$out" "vstrace: bad.yaml:2:29: unknown key 'shap' in 'get_variable'"
[ ! -e bad.db ] || { echo "bad.db was created"; t_failed=1; }
t_done
