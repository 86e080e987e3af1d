#!/bin/sh
# t1060-record-output-env.sh: a libvs program run without vstrace records
# through the VSTRACE_OUTPUT drain (same trace as `vstrace record`, complete
# once the program has exited); with neither variable, tracing is off.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"
export VSTRACE_BIN="$VSTRACE"

VSTRACE_OUTPUT=o.db "$P/rec_simple" 10 4 2>err
check "status" "$?" 4
check_file err ""
check "complete at exit" "$(q o.db "SELECT value FROM meta WHERE key = 'complete';")" 1
check "process end" "$(q o.db "SELECT exit_code, signal, truncated FROM processes;")" "4|0|0"
check "enters" "$(nkind o.db 1 GETVAR_ENTER)" 10
"$VSTRACE" record -o r.db -- "$P/rec_simple" 10 4
check "same events as record" "$(q o.db "SELECT kind FROM events ORDER BY seq;" | md5sum)" \
	"$(q r.db "SELECT kind FROM events ORDER BY seq;" | md5sum)"

# threads, and an existing output is replaced
VSTRACE_OUTPUT=o.db "$P/rec_threads" 3 50
check "threads status" "$?" 0
check "threads enters" "$(nkind o.db 1 GETVAR_ENTER)" 150

# killed: the drain still gets every event
VSTRACE_OUTPUT=k.db "$P/rec_crash" kill 25
check "killed status" "$?" 137
i=0
while [ "$(q k.db "SELECT value FROM meta WHERE key = 'complete';" 2>/dev/null)" != 1 ] && [ $i -lt 500 ]; do
	sleep 0.02; i=$((i + 1))
done
check "killed enters" "$(nkind k.db 1 GETVAR_ENTER)" 25
check "killed truncated" "$(q k.db "SELECT truncated FROM processes;")" 1

# discard mode through the environment: events + lost = all
"$VSTRACE" record -o all.db -- "$P/rec_simple" 200
VSTRACE_OUTPUT=d.db VSTRACE_MODE=discard VSTRACE_BUFFER=4 "$P/rec_simple" 200
check "discard status" "$?" 0
check "discard accounts" \
	"$(q d.db "SELECT (SELECT COUNT(*) FROM events) + (SELECT COALESCE(SUM(n), 0) FROM lost);")" \
	"$(q all.db "SELECT COUNT(*) FROM events;")"
check "discard meta" "$(q d.db "SELECT value FROM meta WHERE key = 'ring_slots';")" 4

# no variable: tracing off, nothing written
mkdir off && (cd off && "$P/rec_simple" 10 0)
check "off status" "$?" 0
check "off writes nothing" "$(ls -A off)" ""

# a drain that cannot write: the program still runs, one line says why
VSTRACE_OUTPUT=/nonexistent-dir/x.db "$P/rec_simple" 10 0 2>err
check "bad output status" "$?" 0
check_file err "vstrace: '/nonexistent-dir/x.db': cannot create trace: No such file or directory"
t_done
