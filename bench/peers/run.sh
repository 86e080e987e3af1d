#!/bin/sh
# bench/peers/run.sh - `make bench-peers`: vstrace record side by side with
# the tracers people would pick instead, on one workload, in one run.
#
# The workload ($B/bench/peers/workload*, bench/peers/workload.c): CALLS
# vs_get_variable calls in an AUTO_REUSE scope, 64 variables reused.  It
# times its own loop (wall and thread CPU) and writes both to a file, so
# start-up and tear-down never count in the per-call figures.  Per
# repetition, in this order (interleaved, so a busy machine hits them all
# alike):
#   untraced   the plain binary, no tracer
#   vstrace    `vstrace record -o T.db` of the plain binary (block mode)
#   discard    the same with --mode discard (default ring): events kept
#   uftrace    `uftrace record --no-libcall` of the -pg build (entry and
#              exit of get_var(), one per call), then `uftrace dump` (only
#              get_var's records are counted: main's are a handful)
#   lttng      the LTTng-UST build (two tracepoints per call with name,
#              shape, dtype, reuse, file, line, function) in a session of
#              our own lttng-sessiond (subbuffers 8 x 4 MiB per CPU), then
#              `babeltrace2` reading the CTF trace
# Figures are medians over the repetitions; the added cost of a tracer is
# the median of its per-repetition difference to the untraced run of the
# same repetition.
#   added cost per call / per event   loop wall time (events: per call, as
#                        the tracer recorded them)
#   program CPU per event  the loop's thread CPU time, same differences
#   start -> readable    events / wall time from launching the tracer to a
#                        trace fully read: vstrace's queryable SQLite trace
#                        (record returns then), uftrace record + dump, LTTng
#                        create..destroy + babeltrace2 (text to a pipe)
#   events kept          events in the trace / events the workload emits
#   bytes per event      the trace on disk (file or directory) / events
#   recorder peak RSS    GNU time's maximum resident set of `vstrace record`
#                        and everything it waited for (the workload alone
#                        peaks at about 2 MiB) at 1M / 10M / 50M events
#
# Environment: PEERS_CALLS (250000), PEERS_REPS (5), PEERS_RSS_EVENTS
# ("1000000 10000000 50000000"; empty skips them), PEERS_TMP (a directory
# for the traces; default /tmp - the 50M-event trace takes about 3 GB).
# Everything runs in a private mount namespace with its own tmpfs on
# /dev/shm, so nothing is left there; the session daemon is stopped and the
# scratch directory removed on exit.  Prints measurements, never fails on
# timing; exits 1 when a tool fails.
set -u
B=${B:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
W=$B/bench/peers
VSTRACE=$B/vstrace
CALLS=${PEERS_CALLS:-250000}
REPS=${PEERS_REPS:-5}
RSS_EVENTS=${PEERS_RSS_EVENTS-1000000 10000000 50000000}

# a private /dev/shm: vstrace's rings and LTTng's wait files live and die there
if [ "${VSB_NS:-}" != 1 ]; then
	if unshare -m true 2>/dev/null; then
		VSB_NS=1 B=$B exec unshare -m --propagation private sh "$0" "$@"
	fi
	echo "bench-peers: warning: unshare -m not permitted; using the shared /dev/shm" >&2
else
	mount -t tmpfs -o mode=1777 vsb-shm /dev/shm || exit 1
fi

for f in "$W/workload" "$W/workload-pg" "$W/workload-lttng" "$VSTRACE"; do
	[ -x "$f" ] || { echo "bench-peers: $f is not built (make bench-peers)" >&2; exit 1; }
done
for t in uftrace lttng lttng-sessiond babeltrace2 /usr/bin/time sqlite3; do
	command -v "$t" >/dev/null || { echo "bench-peers: $t is missing (bench/peers/deps.sh)" >&2; exit 1; }
done

tmp=$(mktemp -d "${PEERS_TMP:-/tmp}/vs-bench-peers.XXXXXX") || exit 1
# outside a namespace: LTTng's wait files that this run creates are removed
ls -A /dev/shm >"$tmp/shm.before" 2>/dev/null
LTTNG_HOME=$tmp/lttng-home
export LTTNG_HOME
mkdir -p "$LTTNG_HOME"
rundir_made=0
[ -d /run/lttng ] || rundir_made=1
sessiond=""
cleanup() {
	if [ -n "$sessiond" ]; then
		lttng destroy vsb >/dev/null 2>&1
		kill "$sessiond" 2>/dev/null
		i=0
		while kill -0 "$sessiond" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	fi
	[ "$rundir_made" = 1 ] && rm -rf /run/lttng
	if [ "${VSB_NS:-}" != 1 ]; then
		for f in /dev/shm/lttng-ust-wait-*; do
			[ -e "$f" ] && ! grep -qxF "${f#/dev/shm/}" "$tmp/shm.before" && rm -f "$f"
		done
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

die() {
	echo "bench-peers: $*" >&2
	exit 1
}

now() { date +%s%N; }

# median of the numbers on stdin
median() {
	sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan";
		else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# start our own session daemon (user space only)
lttng-sessiond --no-kernel --daemonize >"$tmp/sessiond.log" 2>&1 || die "lttng-sessiond failed"
for pidf in /run/lttng/lttng-sessiond.pid "$LTTNG_HOME/.lttng/lttng-sessiond.pid"; do
	[ -f "$pidf" ] && sessiond=$(cat "$pidf") && break
done
[ -n "$sessiond" ] || die "cannot find lttng-sessiond's pid"

echo "bench-peers: $CALLS get_variable calls, $REPS interleaved repetitions, traces in $tmp"
: >"$tmp/rows"
rep=1
while [ $rep -le "$REPS" ]; do
	# untraced
	"$W/workload" "$CALLS" "$tmp/r.u" || die "workload failed"
	read -r u_wall u_cpu <"$tmp/r.u"

	# vstrace record (block mode, the default)
	rm -f "$tmp/v.db"
	t0=$(now)
	"$VSTRACE" record -o "$tmp/v.db" -- "$W/workload" "$CALLS" "$tmp/r.v" || die "vstrace record failed"
	t1=$(now)
	read -r v_wall v_cpu <"$tmp/r.v"
	v_ev=$(sqlite3 "$tmp/v.db" "SELECT COUNT(*) FROM events;")
	v_kept=$(sqlite3 "$tmp/v.db" "SELECT COUNT(*) * 100.0 / $CALLS FROM events WHERE kind = 'GETVAR_ENTER';")
	v_bytes=$(stat -c %s "$tmp/v.db")

	# vstrace record --mode discard: kept / (kept + counted drops)
	rm -f "$tmp/d.db"
	"$VSTRACE" record --mode discard -o "$tmp/d.db" -- "$W/workload" "$CALLS" "$tmp/r.d" 2>/dev/null ||
		die "vstrace record --mode discard failed"
	d_kept=$(sqlite3 "$tmp/d.db" "SELECT (SELECT COUNT(*) FROM events) * 100.0 /
		((SELECT COUNT(*) FROM events) + (SELECT COALESCE(SUM(n), 0) FROM lost));")

	# uftrace: record, then dump (reads every record)
	rm -rf "$tmp/uf"
	t2=$(now)
	uftrace record --no-libcall -d "$tmp/uf" "$W/workload-pg" "$CALLS" "$tmp/r.f" ||
		die "uftrace record failed"
	f_ev=$(uftrace dump -d "$tmp/uf" | grep -c '\] get_var(')
	t3=$(now)
	read -r f_wall f_cpu <"$tmp/r.f"
	f_bytes=$(du -sb "$tmp/uf" | cut -f1)

	# LTTng-UST: session create .. destroy, then babeltrace2 reads the CTF
	rm -rf "$tmp/ctf"
	t4=$(now)
	{
		lttng create vsb --output="$tmp/ctf" &&
			lttng enable-channel -u ch --subbuf-size=4M --num-subbuf=8 &&
			lttng enable-event -u -c ch 'vs_bench:*' &&
			lttng start
	} >"$tmp/lttng.log" 2>&1 || die "lttng session setup failed: $(cat "$tmp/lttng.log")"
	"$W/workload-lttng" "$CALLS" "$tmp/r.l" || die "LTTng workload failed"
	{ lttng stop && lttng destroy; } >"$tmp/lttng.log" 2>&1 || die "lttng stop failed"
	l_ev=$(babeltrace2 "$tmp/ctf" 2>"$tmp/bt.err" | wc -l)
	t5=$(now)
	read -r l_wall l_cpu <"$tmp/r.l"
	l_bytes=$(du -sb "$tmp/ctf" | cut -f1)

	# one row per repetition: tool calls-events added_wall added_cpu rate kept bytes
	{
		echo "vstrace $v_ev $((v_wall - u_wall)) $((v_cpu - u_cpu)) $(((t1 - t0) / 1000)) $v_kept $v_bytes"
		echo "uftrace $f_ev $((f_wall - u_wall)) $((f_cpu - u_cpu)) $(((t3 - t2) / 1000)) x $f_bytes"
		echo "lttng $l_ev $((l_wall - u_wall)) $((l_cpu - u_cpu)) $(((t5 - t4) / 1000)) x $l_bytes"
		echo "discard $d_kept"
		echo "untraced $u_wall $u_cpu"
	} >>"$tmp/rows"
	echo "  repetition $rep: untraced $((u_wall / 1000)) us, vstrace $(((t1 - t0) / 1000)) us," \
		"uftrace $(((t3 - t2) / 1000)) us, lttng $(((t5 - t4) / 1000)) us (start -> read)"
	rep=$((rep + 1))
done

# col TOOL FIELD -> median of that field over the repetitions
col() { awk -v t="$1" -v f="$2" '$1 == t { print $f }' "$tmp/rows" | median; }

# the recorder's peak memory against trace length
rss=""
for n in $RSS_EVENTS; do
	epc=$(awk '$1 == "vstrace" { print $2; exit }' "$tmp/rows")
	c=$(awk -v n="$n" -v e="$epc" -v k="$CALLS" 'BEGIN { printf "%d", n / (e / k) }')
	rm -f "$tmp/m.db"
	/usr/bin/time -f %M -o "$tmp/rss" "$VSTRACE" record -o "$tmp/m.db" -- "$W/workload" "$c" "$tmp/r.m" ||
		die "vstrace record of $n events failed"
	rss="$rss $(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/rss")"
	echo "  recorder at $n events ($c calls): $(tail -n 1 "$tmp/rss") KiB peak"
	rm -f "$tmp/m.db"
done

awk -v calls="$CALLS" -v reps="$REPS" -v rss="$rss" -v rssn="$RSS_EVENTS" \
	-v vev="$(col vstrace 2)" -v fev="$(col uftrace 2)" -v lev="$(col lttng 2)" \
	-v vw="$(col vstrace 3)" -v fw="$(col uftrace 3)" -v lw="$(col lttng 3)" \
	-v vc="$(col vstrace 4)" -v fc="$(col uftrace 4)" -v lc="$(col lttng 4)" \
	-v vr="$(col vstrace 5)" -v fr="$(col uftrace 5)" -v lr="$(col lttng 5)" \
	-v vb="$(col vstrace 7)" -v fb="$(col uftrace 7)" -v lb="$(col lttng 7)" \
	-v vk="$(col vstrace 6)" -v dk="$(col discard 2)" -v uw="$(col untraced 2)" -v uc="$(col untraced 3)" '
function us(ns) { return sprintf("%.3f us", ns / 1000) }
function row(name, a, b, c) { printf "  %-34s %16s %16s %16s\n", name, a, b, c }
BEGIN {
	printf "\nbench-peers: %d calls, median of %d repetitions; untraced loop %.0f ns/call wall, %.0f ns/call CPU\n",
		calls, reps, uw / calls, uc / calls
	row("", "vstrace record", "uftrace", "LTTng-UST")
	row("events per call", sprintf("%.2f", vev / calls), sprintf("%.2f", fev / calls), sprintf("%.2f", lev / calls))
	row("added cost per call (wall)", us(vw / calls), us(fw / calls), us(lw / calls))
	row("added cost per event (wall)", us(vw / vev), us(fw / fev), us(lw / lev))
	row("program CPU per event", us(vc / vev), us(fc / fev), us(lc / lev))
	row("start -> readable trace", sprintf("%.3f M ev/s", vev / vr), sprintf("%.3f M ev/s", fev / fr),
	    sprintf("%.3f M ev/s", lev / lr))
	row("events kept (default settings)", sprintf("%.1f %%", vk), sprintf("%.1f %%", fev * 100 / (2 * calls)),
	    sprintf("%.1f %%", lev * 100 / (2 * calls)))
	row("events kept, vstrace --mode discard", sprintf("%.1f %%", dk), "", "")
	row("bytes per event on disk", sprintf("%.1f", vb / vev), sprintf("%.1f", fb / fev), sprintf("%.1f", lb / lev))
	nr = split(rss, r, " "); split(rssn, e, " ")
	for (i = 1; i <= nr; i++)
		row(sprintf("recorder peak RSS, %gM events", e[i] / 1e6), r[i] " MiB", "", "")
}'
