#!/bin/sh
# t3030-check-baseline.sh: --write-baseline records today's findings; with
# --baseline only new ones count; entries that no longer match are stale
# (VS005); the file is stable text keyed without line numbers
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

rec towers_bug_noreenter
rec rnn_bug_shape
vsc --write-baseline base.txt "$T/towers_bug_noreenter.db"
check "write-baseline exit (the findings are accepted)" "$rc" 0
check "baseline file" "$(cat base.txt)" "vscheck-baseline 1
# rule	file	function	variable	count  (written by vscheck --write-baseline)
VS102	examples/layers.h	ex_conv2d	conv1/weights	2
VS107	examples/layers.h	ex_conv2d	conv1/weights	2
VS108	examples/layers.h	ex_conv2d	conv1/weights	2
VS111	examples/layers.h	ex_conv2d	-	2"

vsc --baseline base.txt "$T/towers_bug_noreenter.db"
check "baselined run passes" "$rc" 0
has "baselined verdict" "$out" "vscheck: passed: 0 findings at or above 'error' (0 errors, 0 warnings, 0 notes; 0 suppressed, 8 baselined) in 1 trace"

# a new trace: its findings are new; every baseline entry is stale
vsc --baseline base.txt --format gcc "$T/rnn_bug_shape.db"
check "new findings fail" "$rc" 1
check "new + stale rules" "$(codes "$out")" "VS005 VS103 VS111"
has "stale entry (gcc: line 0 when unknown)" "$out" "examples/layers.h:0:1: note: baseline entry VS102 'conv1/weights' in ex_conv2d matched 0 of 2 findings: regenerate the baseline [VS005 stale-baseline-entry]"

printf 'not a baseline\n' > bad.txt
vsc --baseline bad.txt "$T/rnn_bug_shape.db"
check "bad baseline exit" "$rc" 2
check "bad baseline message" "$(cat "$err")" "vscheck: bad.txt:1: not a vscheck baseline (expected 'vscheck-baseline 1')"
t_done
