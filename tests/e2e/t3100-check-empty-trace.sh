#!/bin/sh
# t3100-check-empty-trace.sh: a program that never loaded libvs (/bin/true)
# leaves a trace without events: `vstrace record` warns on stderr; vscheck
# refuses it with one clear line (no report) and exit status 2, even with
# --allow-loss, and still checks the other traces; vstrace info says so
# (text and --json)
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

rrc=0
"$VSTRACE" record -f -o empty.db -- /bin/true > rec.out 2> rec.err || rrc=$?
[ -f empty.db ] || fail "no trace recorded for /bin/true"
check "record /bin/true: exit" "$rrc" 0
check "record /bin/true: stdout" "$(cat rec.out)" ""
check "record /bin/true: warning" "$(cat rec.err)" "vstrace: no events: '/bin/true' never loaded libvs (a wrong LD_LIBRARY_PATH, or a program not linked with libvs?); 'empty.db' holds no events"
rec gan
check "record gan: no warning" "$(grep -c 'no events' "$T/gan.rec.out")" 0
vsc empty.db
check "empty: exit" "$rc" 2
check "empty: no report" "$(cat "$out")" ""
check "empty: message" "$(cat "$err")" "vscheck: 'empty.db': the trace holds no events: the program never loaded libvs (a wrong LD_LIBRARY_PATH, or a program not linked with libvs?)"
vsc --allow-loss empty.db
check "empty, --allow-loss: exit" "$rc" 2
"$VSTRACE" info empty.db > info.out
has "info says why" info.out "note        no events: '/bin/true' never loaded libvs (a wrong LD_LIBRARY_PATH, or a program not linked with libvs?)"
"$VSTRACE" info --json empty.db > info.json
grep -q '^  "empty": true,$' info.json || fail "info --json: empty is not true"
grep -q '^  "events": 0,$' info.json || fail "info --json: events is not 0"
rec towers_bug_noreenter
vsc --format gcc "$T/towers_bug_noreenter.db" empty.db
check "with another trace: exit" "$rc" 2
check "with another trace: its findings" "$(codes "$out")" "VS102 VS107 VS108 VS111"
t_done
