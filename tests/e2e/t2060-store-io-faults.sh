#!/bin/sh
# t2060-store-io-faults.sh: I/O-error injection.  The VFS shim
# tests/fault/vfs_fault.c (preloaded) fails the N-th file read, write, sync
# or lock of a process, as an I/O error or as a full disk; for every N up to
# the number of operations a fault-free run makes, and both kinds:
#  - vstrace query: the right rows and exit 0, or exit 2 and one error line;
#  - vscheck --write-findings: exit 0/1 with every finding stored, or exit 2
#    and one error line with the trace still holding its old findings (the
#    write is one transaction) and still complete;
#  - vstrace record of a small program: whatever is left behind never
#    claims to be complete unless it holds the whole recording; a failed
#    recording says so in one line; nothing crashes or hangs.
# VS_FAULT_STEP=k tries every k-th N only (default 1: every N).
. "$(dirname "$0")/lib.sh"
SO=$B/tests/fault/vfs_fault.so
need "$VSTRACE" "$VSCHECK" "$SO" "$P/rec_simple" "$B/examples/gan_bug_rootreuse"
# the shim is preloaded ahead of a sanitizer runtime
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
step=${VS_FAULT_STEP:-1}
runs=0

# ops CMD...: the file operations CMD makes without faults
ops() {
	rm -f "$T/ops"
	LD_PRELOAD=$SO VS_FAULT_COUNT=$T/ops "$@" >/dev/null 2>&1
	cat "$T/ops"
}
# faulty N KIND CMD...: CMD with operation N failing; stdout in $T/o, stderr
# in $T/e, status in $frc (124: it hung for 30 s)
faulty() {
	n=$1 kind=$2
	shift 2
	LD_PRELOAD=$SO VS_FAULT_N=$n VS_FAULT_KIND=$kind timeout -k 5 30 "$@" >"$T/o" 2>"$T/e"
	frc=$?
	runs=$((runs + 1))
}
# the failure is one line naming the tool: "vstrace: ..." / "vscheck: ..."
one_line() {
	[ "$(wc -l <"$T/e")" -eq 1 ] && grep -q "^$1: " "$T/e"
}
bad=0
report() { # WHAT: a failed run (at most 10 printed)
	bad=$((bad + 1))
	[ $bad -le 10 ] && fail "$1 (fault $n, $kind): exit $frc, stderr: $(head -c 300 "$T/e")"
}

# ---------------------------------------------------------------- query
$VSTRACE run -q -o "$T/q.db" "$SRC/examples/scenarios/vs-threads.yaml" >/dev/null 2>&1 ||
	fail "cannot record the scenario"
SQL="SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind"
$VSTRACE query --csv "$T/q.db" "$SQL" >"$T/q.want" || fail "fault-free query"
total=$(ops $VSTRACE query --csv "$T/q.db" "$SQL")
check "query makes file operations" "$([ "${total:-0}" -gt 10 ] && echo yes)" yes
for kind in io full; do
	n=1
	while [ "$n" -le "$total" ]; do
		faulty $n $kind $VSTRACE query --csv "$T/q.db" "$SQL"
		if [ $frc -eq 0 ]; then
			cmp -s "$T/o" "$T/q.want" || report "query: exit 0 with other rows"
		elif [ $frc -ne 2 ] || ! one_line vstrace; then
			report "query"
		fi
		n=$((n + step))
	done
done
check "query: every fault handled" $bad 0

# --------------------------------------------------- vscheck --write-findings
bad=0
(cd "$SRC" && $VSTRACE record -o "$T/f0.db" -- "$B/examples/gan_bug_rootreuse" >/dev/null 2>&1)
cp "$T/f0.db" "$T/fw.db"
$VSCHECK --no-config --write-findings "$T/fw.db" >"$T/f.want" 2>/dev/null
wrc=$?
check "write-findings fault-free exit" $wrc 1
nfind=$(q "$T/fw.db" "SELECT count(*) FROM finding_tab")
check "findings stored" "$([ "${nfind:-0}" -gt 0 ] && echo yes)" yes
nev=$(q "$T/f0.db" "SELECT count(*) FROM ev")
cp "$T/f0.db" "$T/fc.db"
total=$(ops $VSCHECK --no-config --write-findings "$T/fc.db")
for kind in io full; do
	n=1
	while [ "$n" -le "$total" ]; do
		cp "$T/f0.db" "$T/fw.db"
		rm -f "$T/fw.db-journal"
		faulty $n $kind $VSCHECK --no-config --write-findings "$T/fw.db"
		got=$(q "$T/fw.db" "SELECT count(*) FROM finding_tab")
		if [ $frc -eq $wrc ]; then
			cmp -s "$T/o" "$T/f.want" || report "write-findings: other report"
			[ "$got" = "$nfind" ] || report "write-findings: exit $wrc with $got of $nfind findings"
		elif [ $frc -ne 2 ] || ! one_line vscheck; then
			report "write-findings"
		elif [ "$got" != 0 ] && [ "$got" != "$nfind" ]; then
			report "write-findings: a partial write ($got findings)"
		fi
		# whatever happened, the trace reads as before: complete, same events
		$VSTRACE info "$T/fw.db" >"$T/i" 2>&1 || report "write-findings: trace unreadable after"
		grep -q '^status      complete$' "$T/i" || report "write-findings: trace not complete after"
		[ "$(q "$T/fw.db" "SELECT count(*) FROM ev")" = "$nev" ] ||
			report "write-findings: events changed"
		n=$((n + step))
	done
done
check "write-findings: every fault handled" $bad 0

# --------------------------------------------------------------- record
bad=0
$VSTRACE record -o "$T/r0.db" -- "$P/rec_simple" >/dev/null 2>&1
rrc=$?
want_ev=$(q "$T/r0.db" "SELECT count(*) FROM ev")
rm -f "$T/rc.db"
total=$(ops $VSTRACE record -o "$T/rc.db" -- "$P/rec_simple")
check "record makes file operations" "$([ "${total:-0}" -gt 10 ] && echo yes)" yes
for kind in io full; do
	n=1
	while [ "$n" -le "$total" ]; do
		rm -f "$T/r.db" "$T/r.db-journal"
		faulty $n $kind $VSTRACE record -o "$T/r.db" -- "$P/rec_simple"
		if [ $frc -eq 124 ] || [ $frc -ge 128 ]; then
			report "record: hung or crashed"
		elif [ $frc -ne $rrc ] && ! one_line vstrace; then
			report "record: failed without one error line"
		fi
		if [ -f "$T/r.db" ] && $VSTRACE info "$T/r.db" >"$T/i" 2>/dev/null &&
			grep -q '^status      complete$' "$T/i"; then
			[ "$(q "$T/r.db" "SELECT count(*) FROM ev")" = "$want_ev" ] ||
				report "record: a trace marked complete lacks events"
		elif [ $frc -eq $rrc ] && [ $frc -eq 0 ]; then
			report "record: exit 0 without a complete trace"
		fi
		n=$((n + step))
	done
done
check "record: every fault handled" $bad 0
echo "fault runs: $runs"
t_done
