#!/bin/sh
# t2080-cli-progress.sh: the progress lines of the long steps (the trace's
# conversion at the end of `vstrace record`, `vstrace show` into a file or
# pipe, vscheck's replay) appear on stderr only when stderr is a terminal,
# say what they count, and are erased at the end; with stderr not a
# terminal nothing appears.  VSTRACE_PROGRESS_NOW=1 (store/meter.h) draws
# from the first event, so a small trace is enough; a pseudo-TTY comes
# from script(1).
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK" "$B/examples/gan"
command -v script > /dev/null 2>&1 || { echo "skip: no script(1) for a pseudo-terminal"; exit 77; }
export VSTRACE_PROGRESS_NOW=1
esc=$(printf '\033')

# tty NAME CMD: runs the shell command CMD with a pseudo-terminal as its
# stdin/stdout/stderr; what the terminal got, with carriage returns as
# newlines, goes to NAME.tty
tty() {
	script -qec "$2" /dev/null < /dev/null | tr '\r' '\n' > "$1.tty"
}
# the last line drawn must be erased: the terminal's last bytes are ESC [ K
erased() {
	check "$1: line erased at the end" "$(tail -c 3 "$1.tty" | od -An -c | tr -d ' ')" '033[K'
}

tty rec "cd '$SRC' && '$VSTRACE' record -o '$T/pt.db' -- '$B/examples/gan' > /dev/null"
[ -s pt.db ] || fail "record under a terminal wrote no trace"
grep -q "^${esc}\[Kvstrace: writing '$T/pt.db': [0-9][0-9]* events, [0-9.]* [M ]*events/s" rec.tty ||
	fail "record: no conversion progress line (got: $(head -c 300 rec.tty | cat -v))"
grep -q "; indexing\$" rec.tty || fail "record: no indexing phase"
erased rec

tty show "'$VSTRACE' show pt.db > show.txt"
n=$(grep -c "^${esc}\[Kvstrace: reading process 1: [0-9]* of [0-9]* events ([0-9]*%), [0-9.]* [M ]*events/s" show.tty)
[ "$n" -gt 10 ] || fail "show: progress lines ($n)"
grep -q "^${esc}\[Kvstrace: reading process 1: \([0-9]*\) of \1 events (100%)" show.tty ||
	fail "show: the count does not reach its total"
erased show
"$VSTRACE" show pt.db > show.plain
check "show: the timeline is the same" "$(cksum < show.txt)" "$(cksum < show.plain)"
grep -q "$esc" show.txt && fail "show: escape sequences in the timeline"

tty chk "'$VSCHECK' --no-config pt.db > chk.txt"
grep -q "^${esc}\[Kvscheck: checking 'pt.db': [0-9]* events, [0-9.]* [M ]*events/s\$" chk.tty ||
	fail "vscheck: no progress line"
erased chk

# stderr not a terminal: not a byte of progress
"$VSTRACE" record -f -o np.db -- "$B/examples/gan" > /dev/null 2> rec.err
check "record, not a terminal: stderr" "$(cat rec.err)" ""
"$VSTRACE" show np.db > /dev/null 2> show.err
check "show, not a terminal: stderr" "$(cat show.err)" ""
"$VSCHECK" --no-config np.db > /dev/null 2> chk.err
check "vscheck, not a terminal: stderr" "$(cat chk.err)" ""
# stdout a terminal: the timeline itself is on the terminal, no progress line
tty showtty "'$VSTRACE' show --no-pager --color never pt.db"
check "show to a terminal: no progress line" "$(grep -c 'reading process' showtty.tty)" 0
t_done
