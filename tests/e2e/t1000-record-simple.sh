#!/bin/sh
# t1000-record-simple.sh: `vstrace record` of a one-thread program: PROG's
# exit status is vstrace's, every get_variable call is in the trace, the
# process row says how it ended, and the trace is marked complete.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"

"$VSTRACE" record -o t.db -- "$P/rec_simple" 10 5 2>err
check "exit status passed through" "$?" 5
check_file err ""
check "trace complete" "$(q t.db "SELECT value FROM meta WHERE key = 'complete';")" 1
check "one process" "$(q t.db "SELECT COUNT(*) FROM processes;")" 1
check "process end" "$(q t.db "SELECT exit_code, signal, truncated, ended FROM processes;")" "5|0|0|1"
check "first event" "$(q t.db "SELECT kind FROM events WHERE seq = 1;")" PROCESS_START
check "get_variable enters" "$(nkind t.db 1 GETVAR_ENTER)" 10
check "get_variable exits" "$(nkind t.db 1 GETVAR_EXIT)" 10
check "variable" "$(q t.db "SELECT name FROM variables;")" "simple/w:0"
check "no gaps in seq" "$(q t.db "SELECT MAX(seq) - COUNT(*) FROM events WHERE proc = 1;")" 0
check "nothing lost" "$(q t.db "SELECT COUNT(*) FROM lost;")" 0
check "program meta" "$(q t.db "SELECT value FROM meta WHERE key = 'argv';")" "$P/rec_simple 10 5"

# options after the program belong to the program; no -- needed
"$VSTRACE" record -o u.db "$P/rec_simple" 3 0
check "without --" "$?" 0
check "without -- enters" "$(nkind u.db 1 GETVAR_ENTER)" 3

# a tiny ring in block mode loses nothing
"$VSTRACE" record -o b.db --buffer-size 4 -- "$P/rec_simple" 500
check "tiny block ring status" "$?" 0
check "tiny block ring enters" "$(nkind b.db 1 GETVAR_ENTER)" 500
check "tiny block ring lost" "$(q b.db "SELECT COUNT(*) FROM lost;")" 0
check "tiny block ring no gaps" "$(q b.db "SELECT MAX(seq) - COUNT(*) FROM events;")" 0
# PROG without libvs (a shell) running libvs programs: each is a process
"$VSTRACE" record -o sh.db -- sh -c "'$P/rec_simple' 3 1; '$P/rec_simple' 2 0; exit 6"
check "shell status" "$?" 6
check "shell processes" "$(q sh.db "SELECT proc, parent_proc, exit_code, signal FROM processes ORDER BY proc;" | tr '\n' ' ')" \
	"1|0|1|0 2|0|0|0 3|0|6|0 "
check "shell children enters" "$(q sh.db "SELECT COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER' GROUP BY proc ORDER BY proc;" | tr '\n' ' ')" "3 2 "
check "shell is their parent" "$(q sh.db "SELECT COUNT(*) FROM processes c, processes p WHERE p.proc = 3 AND c.ppid = p.pid;")" 2
t_done
