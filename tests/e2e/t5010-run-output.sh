#!/bin/sh
# t5010-run-output.sh: `vstrace run` exit codes and messages, and -o: the
# trace of a scenario run is complete and its call sites are the YAML
# lines; a malformed scenario leaves no trace file behind.
set -u
VSTRACE=$B/vstrace
fail=0
check() { # what expected actual
	[ "$2" = "$3" ] || { echo "$1: expected [$2], got [$3]"; fail=1; }
}

cat > ok.yaml <<'Y'
steps:
  - variable_scope: foo
    body:
      - get_variable: {name: v, shape: [1]}
        expect: {name: "foo/v:0"}
Y
out=$("$VSTRACE" run -o ok.db ok.yaml 2>&1); rc=$?
check ok-rc 0 "$rc"
check ok-out "ok.yaml:4:9: created foo/v:0
ok.yaml: ok: 2 steps, 1 created, 0 reused, 0 errors (0 uncaught), 1 expectation, 0 failed" "$out"
check ok-vars "foo/v:0|ok.yaml|4|get_variable" \
	"$("$VSTRACE" query ok.db "SELECT name || '|' || file || '|' || line || '|' || function FROM variables" 2>&1 | tail -n 1 | sed 's/ *$//')"
"$VSTRACE" info ok.db > info.txt 2>&1 || { echo "info failed"; cat info.txt; fail=1; }
grep -q 'status *complete' info.txt || { echo "trace not complete"; cat info.txt; fail=1; }
"$VSTRACE" show ok.db > show.txt 2>&1 || { echo "show failed"; fail=1; }
grep -q '@ ok.yaml:4 get_variable' show.txt || { echo "no YAML call site in the trace"; cat show.txt; fail=1; }

cat > fails.yaml <<'Y'
steps:
  - get_variable: {name: v, shape: [1]}
    expect: {name: "w:0"}
Y
"$VSTRACE" run -q fails.yaml > out.txt 2> err.txt; rc=$?
check fails-rc 1 "$rc"
check fails-err "vstrace: fails.yaml:3:14: expectation failed: name: expected 'w:0', got 'v:0'" "$(cat err.txt)"

cat > uncaught.yaml <<'Y'
steps:
  - get_variable: {name: v, shape: [1]}
  - get_variable: {name: v, shape: [1]}
Y
"$VSTRACE" run -q uncaught.yaml > out.txt 2> err.txt; rc=$?
check uncaught-rc 1 "$rc"
grep -q "^vstrace: uncaught.yaml:3:5: uncaught ValueError: Variable v already exists, disallowed." err.txt ||
	{ echo "uncaught: $(cat err.txt)"; fail=1; }

printf 'steps:\n  - get_variable: {name: v, shap: [1]}\n' > bad.yaml
out=$("$VSTRACE" run -o bad.db bad.yaml 2>&1); rc=$?
check bad-rc 2 "$rc"
check bad-out "vstrace: bad.yaml:2:29: unknown key 'shap' in 'get_variable'" "$out"
[ ! -e bad.db ] || { echo "bad.db was created"; fail=1; }
exit $fail
