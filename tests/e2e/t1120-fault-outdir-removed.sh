#!/bin/sh
# t1120-fault-outdir-removed.sh: the output directory is removed while a
# program is recorded (between the two phases of rec_phases).  Today
# `vstrace record` exits 0 without a word and leaves no trace.  Wanted: the
# program runs to its end with its own status, vstrace says on stderr what
# happened to 'out/t.db' and exits non-zero (not by a signal), and nothing is
# left in /dev/shm.  If the recorder kept the events somewhere, the message
# names that file and it is a readable trace marked incomplete.
. "$(dirname "$0")/lib.sh"
fault_ns 64m
need "$VSTRACE" "$P/rec_phases"

run() { # label vstrace-args...
	label=$1
	shift
	rm -rf out ready go done st && mkdir out
	"$@" 2>err &
	pid=$!
	wait_for ready 30 || fail "$label: the program never got ready"
	rm -rf out
	touch go
	wait $pid
	vrc=$?
	check "$label: the program ran to its end" "$([ -e done ] && echo yes)" yes
	check "$label: stderr names the output" "$(grep -q 'out/[to]\.db' err && echo yes)" yes
	# a trace the message names must be readable and marked incomplete
	for f in $(grep -o "[^ ':]*\.db" err | sort -u); do
		[ -f "$f" ] && incomplete "$label: kept trace $f is incomplete" "$f" ""
	done
	shm_clean "$label"
}

run record "$VSTRACE" record -o out/t.db -- "$RUNST" st "$P/rec_phases" 3000 3000 "$T"
check "record: the program's own status" "$(cat st 2>/dev/null)" 0
check "record: vstrace exits non-zero, not by a signal" \
	"$([ "$vrc" -ne 0 ] && [ "$vrc" -lt 128 ] && echo yes)" yes

VSTRACE_BIN=$VSTRACE VSTRACE_OUTPUT=out/o.db run env "$P/rec_phases" 3000 3000 "$T"
check "env: the program's own status" "$vrc" 0
t_done
