#!/bin/sh
# t1070-record-bad-input.sh: every usage or input error of `vstrace record`
# gives one line naming what is wrong, exit status 2, and no trace file.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"

expect() { # name want-status want-stderr command...
	name=$1 st=$2 msg=$3
	shift 3
	"$@" >out 2>err
	check "$name status" "$?" "$st"
	check "$name message" "$(cat err)" "$msg"
}
H="(see 'vstrace record --help')"

expect "no program" 2 "vstrace: record: missing program to record $H" "$VSTRACE" record
expect "only --" 2 "vstrace: record: missing program to record $H" "$VSTRACE" record -o x.db --
expect "unknown flag" 2 "vstrace: record: unknown option '--bogus' $H" \
	"$VSTRACE" record --bogus -- true
expect "unknown short flag" 2 "vstrace: record: unknown option '-x' $H" "$VSTRACE" record -x true
expect "-o without file" 2 "vstrace: record: option '-o' needs a value $H" "$VSTRACE" record -o
expect "bad buffer" 2 \
	"vstrace: record: invalid --buffer-size '3': want a power of two from 4 to 1048576 $H" \
	"$VSTRACE" record --buffer-size 3 -- true
expect "not a power of two" 2 \
	"vstrace: record: invalid --buffer-size '100': want a power of two from 4 to 1048576 $H" \
	"$VSTRACE" record --buffer-size=100 -- true
expect "-o -" 2 "vstrace: record: -o -: a trace is a database file, not a stream $H" \
	"$VSTRACE" record -o - -- true
check "-o - leaves no file '-'" "$(ls ./- 2>/dev/null)" ""
expect "bad mode" 2 "vstrace: record: invalid --mode 'fast': want 'block' or 'discard' $H" \
	"$VSTRACE" record --mode fast -- true
expect "missing program" 2 "vstrace: './nope': No such file or directory" \
	"$VSTRACE" record -o x.db -- ./nope
check "missing program leaves no trace" "$(ls x.db 2>&1)" "ls: cannot access 'x.db': No such file or directory"
printf 'not a program\n' > notexec
expect "not executable" 2 "vstrace: './notexec': Permission denied" \
	"$VSTRACE" record -o y.db -- ./notexec
check "not executable leaves no trace" "$(ls y.db 2>/dev/null)" ""
expect "bad output dir" 2 \
	"vstrace: '/nonexistent-dir/t.db': cannot create trace: No such file or directory" \
	"$VSTRACE" record -o /nonexistent-dir/t.db -- true
printf 'keep\n' > e.db
expect "existing output" 2 "vstrace: 'e.db': file exists" "$VSTRACE" record -o e.db -- true
check_file e.db keep
NOEV="never loaded libvs (a wrong LD_LIBRARY_PATH, or a program not linked with libvs?)"
expect "forced" 0 "vstrace: no events: 'true' $NOEV; 'e.db' holds no events" \
	"$VSTRACE" record -f -o e.db -- true
check "forced trace" "$(q e.db "SELECT exit_code FROM processes;")" 0
expect "output is a directory" 2 "vstrace: '$T': not a regular file" \
	"$VSTRACE" record -f -o "$T" -- true
expect "help" 0 "" "$VSTRACE" record --help
check "help text" "$(head -n 1 out)" \
	"usage: vstrace record [-o TRACE.db] [-f] [--buffer-size N] [--mode block|discard] [--no-stacks] [--] PROG [ARGS...]"
# a program without libvs: still a trace saying how it ended
expect "plain program" 42 "vstrace: no events: 'sh' $NOEV; 'p.db' holds no events" \
	"$VSTRACE" record -o p.db -- sh -c 'exit 42'
check "plain program trace" "$(q p.db "SELECT exit_code, signal FROM processes;")" "42|0"
# the default output name
mkdir d && (cd d && "$VSTRACE" record "$P/rec_simple" 1 >/dev/null 2>&1)
check "default output" "$(ls d)" vstrace.db
t_done
