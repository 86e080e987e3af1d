#!/bin/sh
# t1184-capture-output-env.sh: VSTRACE_OUTPUT with a program that calls
# vs_runtime_shutdown() before it exits: once the program's process has
# exited, the trace is finished and readable at once, with the real exit
# status.  Bad VSTRACE_* values: one line naming the variable, tracing
# off, the program runs with its own status, no file anywhere.
. "$(dirname "$0")/lib.sh"
export VSTRACE_BIN=$VSTRACE

for i in 1 2 3 4 5 6 7 8; do
	rm -f o.db
	VSTRACE_OUTPUT=o.db "$P/rec_shutdown" 50 3
	check "status ($i)" "$?" 3
	check "finished at once, real status ($i)" \
		"$("$VSTRACE" query o.db --csv 'SELECT complete, exit_code FROM stats' 2>&1 | tail -n 1 | tr -d '\r')" "1,3"
	check "events ($i)" "$(nkind o.db 1 GETVAR_ENTER)" 50
done

bad() { # VAR VALUE WANT-LINE
	rm -f b.db err
	env "$1=$2" VSTRACE_OUTPUT=b.db "$P/rec_simple" 5 4 2>err
	check "$1=$2 status" "$?" 4
	check "$1=$2 message" "$(cat err)" "$3"
	check "$1=$2 no trace" "$(ls -A | grep -c 'b\.db')" 0
}
bad VSTRACE_BUFFER 12 "vstrace: invalid VSTRACE_BUFFER '12': want a power of two from 4 to 1048576; tracing is off"
bad VSTRACE_BUFFER 2097152 "vstrace: invalid VSTRACE_BUFFER '2097152': want a power of two from 4 to 1048576; tracing is off"
bad VSTRACE_BUFFER -8 "vstrace: invalid VSTRACE_BUFFER '-8': want a power of two from 4 to 1048576; tracing is off"
bad VSTRACE_BUFFER 64k "vstrace: invalid VSTRACE_BUFFER '64k': want a power of two from 4 to 1048576; tracing is off"
bad VSTRACE_MODE fast "vstrace: invalid VSTRACE_MODE 'fast': want 'block' or 'discard'; tracing is off"

# a stale VSTRACE_SHM: no ring file is made in the directory it names
mkdir -p open priv
chmod 755 open
chmod 700 priv
VSTRACE_SHM=$T/open "$P/rec_simple" 5 4 2>err
check "open dir status" "$?" 4
check "open dir message" "$(cat err)" "vstrace: VSTRACE_SHM: '$T/open': not a private ring directory; tracing is off"
VSTRACE_SHM=$T/priv "$P/rec_simple" 5 4 2>err
check "private dir message" "$(cat err)" "vstrace: VSTRACE_SHM: '$T/priv': not a ring directory; tracing is off"
: >priv/recorder.lock
VSTRACE_SHM=$T/priv "$P/rec_simple" 5 4 2>err
check "stale dir message" "$(cat err)" "vstrace: VSTRACE_SHM: '$T/priv': no recorder is running; tracing is off"
check "no ring files" "$(ls -A open priv | grep -c ring)" 0
t_done
