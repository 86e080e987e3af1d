#!/bin/sh
# t1160-fault-bad-env.sh: VSTRACE_BUFFER and VSTRACE_MODE are validated like
# --buffer-size and --mode (today a bad value is silently replaced by the
# default): one error line naming the variable and its value, tracing off
# (no trace file, nothing in /dev/shm), and the program still runs with its
# own status and output.  Good values still record.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_simple"
export VSTRACE_BIN="$VSTRACE"

bad() { # variable value
	# the premise: the corresponding flag rejects the value
	case $1 in
	VSTRACE_BUFFER) "$VSTRACE" record --buffer-size "$2" -- true 2>/dev/null ;;
	VSTRACE_MODE) "$VSTRACE" record --mode "$2" -- true 2>/dev/null ;;
	esac
	check "$1='$2': the flag rejects it too" "$?" 2
	rm -f o.db
	env VSTRACE_OUTPUT=o.db "$1=$2" "$P/rec_simple" 10 4 >out 2>err
	check "$1='$2': status" "$?" 4
	one_line "$1='$2': one error line" err "$1"
	check "$1='$2': the line shows the value" "$(grep -cF -- "$2" err)" 1
	check "$1='$2': tracing off" "$(ls o.db* 2>/dev/null)" ""
	shm_clean "$1='$2'"
}

# the values --buffer-size rejects (t1070), and more
bad VSTRACE_BUFFER 3
bad VSTRACE_BUFFER 100
bad VSTRACE_BUFFER 2097152
bad VSTRACE_BUFFER 0
bad VSTRACE_BUFFER -4096
bad VSTRACE_BUFFER 4096x
bad VSTRACE_BUFFER lots
# the values --mode rejects
bad VSTRACE_MODE fast
bad VSTRACE_MODE Block
bad VSTRACE_MODE drop

# the limits themselves are fine
for v in 4 1048576; do
	rm -f o.db
	VSTRACE_OUTPUT=o.db VSTRACE_BUFFER=$v "$P/rec_simple" 10 4 2>err
	check "VSTRACE_BUFFER=$v: status" "$?" 4
	# 1048576 events are 64 MiB a ring: more than this 64 MiB /dev/shm, so
	# the rings go next to the output, with one warning line
	check "VSTRACE_BUFFER=$v: stderr" "$(sed "s|'\./\.vstrace-rings-[A-Za-z0-9]*'|'DIR'|" err)" \
		"$([ "$v" = 1048576 ] && echo "vstrace: /dev/shm is short of space: ring files go to 'DIR'")"
	check "VSTRACE_BUFFER=$v: ring size" "$(qx o.db "SELECT value FROM meta WHERE key = 'ring_slots';")" "$v"
	check "VSTRACE_BUFFER=$v: enters" "$(nkind o.db 1 GETVAR_ENTER)" 10
done
rm -f o.db
VSTRACE_OUTPUT=o.db VSTRACE_MODE=discard "$P/rec_simple" 10 4 2>err
check "VSTRACE_MODE=discard: status" "$?" 4
check "VSTRACE_MODE=discard: mode" "$(qx o.db "SELECT value FROM meta WHERE key = 'mode';")" discard
shm_clean good
t_done
