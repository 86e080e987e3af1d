#!/bin/sh
# t3120-check-scenario-threads.sh: findings on a recorded scenario name the
# scenario's threads by their names under `threads:` (the outermost frame
# of the call stacks `vstrace run` records), in the messages (VS107, VS108)
# and in the location line of the text and JUnit reports; the hint command
# keeps the runtime thread number `vstrace show --thread` takes.  A C
# program's threads have no names: numbers, as before.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

cat > thr.yaml <<'Y'
functions:
  build:
    - variable_scope: tower
      body:
        - get_variable: {name: w, shape: [2]}
threads:
  worker_a:
    - call: {function: build}
  worker_b:
    - call: {function: build}
      expect: {error: ValueError}
  loner:
    - get_variable: {name: v, shape: [1]}
steps:
  - start: worker_a
  - join: worker_a
  - start: worker_b
  - join: worker_b
  - variable_scope: outer
    body:
      - start: loner
      - join: loner
Y
"$VSTRACE" run -q -o thr.db thr.yaml > /dev/null || fail "vstrace run thr.yaml"
# the events the findings are about: the get_variable exits of worker_b
# (thread 3) and loner (thread 4)
E1=$(q thr.db "SELECT seq FROM events WHERE kind = 'GETVAR_EXIT' AND tid = 3")
E2=$(q thr.db "SELECT seq FROM events WHERE kind = 'GETVAR_EXIT' AND tid = 4")
vsc --stack-depth 0 --select VS107,VS108 thr.db
check "exit" "$rc" 0
check "report" "$(cat "$out")" "thr.yaml:5: warning: thread 'worker_b' collides with thread 'worker_a' on variable 'tower/w' (created at thr.yaml:5) [VS107 thread-name-collision]
    scope 'tower', thread 'worker_b', in build(); event #$E1 of process 1: vstrace show thr.db --proc 1 --thread 3 --around $E1
thr.yaml:13: warning: thread 'loner' creates 'v' under its own root scope while its parent thread was in scope 'outer' [VS108 thread-scope-not-entered]
    scope '(root)', thread 'loner', in loner(); event #$E2 of process 1: vstrace show thr.db --proc 1 --thread 4 --around $E2
vscheck: passed: 0 findings at or above 'error' (0 errors, 2 warnings, 0 notes; 0 suppressed, 0 baselined) in 1 trace"
vsc --format junit --select VS107 thr.db
grep -q "^scope 'tower', thread 'worker_b', process 1, event #[0-9]*, 1 time\$" "$out" ||
	fail "junit: no thread name (got: $(grep -m 1 "^scope" "$out"))"

# a C program: runtime thread numbers
rec towers_bug_noreenter
vsc --stack-depth 0 --select VS107 "$T/towers_bug_noreenter.db"
# (which towers collide first depends on the threads' timing)
grep -q "warning: thread [0-9][0-9]* collides with thread [0-9][0-9]* on variable 'conv1/weights'" "$out" ||
	fail "C program: thread numbers (got: $(head -n 1 "$out"))"
grep -q "^    scope 'conv1', thread [0-9][0-9]*, in ex_conv2d(); " "$out" ||
	fail "C program: location line"
t_done
