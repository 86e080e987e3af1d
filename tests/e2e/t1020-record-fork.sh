#!/bin/sh
# t1020-record-fork.sh: a forked child is followed as its own process, with
# its parent and fork point, and its own exit status.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"

"$VSTRACE" record -o t.db -- "$P/rec_fork"
check "status" "$?" 0
check "two processes" "$(q t.db "SELECT COUNT(*) FROM processes;")" 2
check "parent" "$(q t.db "SELECT parent_proc, exit_code, signal, truncated FROM processes WHERE proc = 1;")" "0|0|0|0"
check "child" "$(q t.db "SELECT parent_proc, exit_code, signal, truncated FROM processes WHERE proc = 2;")" "1|3|0|0"
check "child pid" "$(q t.db "SELECT (SELECT ppid FROM processes WHERE proc = 2) = pid FROM processes WHERE proc = 1;")" 1
check "fork point" "$(q t.db "SELECT fork_seq > 0 AND fork_seq <= (SELECT MAX(seq) FROM events WHERE proc = 1) FROM processes WHERE proc = 2;")" 1
check "parent enters" "$(nkind t.db 1 GETVAR_ENTER)" 7
check "child enters" "$(nkind t.db 2 GETVAR_ENTER)" 7
check "child starts" "$(q t.db "SELECT kind FROM events WHERE proc = 2 AND seq = 1;")" PROCESS_START
check "child variable" "$(q t.db "SELECT name FROM variables WHERE proc = 2;")" "child/w:0"

# the same through VSTRACE_OUTPUT (the in-process drain)
VSTRACE_OUTPUT=o.db VSTRACE_BIN=$VSTRACE "$P/rec_fork"
check "env status" "$?" 0
check "env processes" "$(q o.db "SELECT proc, parent_proc, exit_code FROM processes ORDER BY proc;" | tr '\n' ' ')" "1|0|0 2|1|3 "
check "env child enters" "$(nkind o.db 2 GETVAR_ENTER)" 7
t_done
