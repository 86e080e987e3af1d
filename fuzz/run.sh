#!/bin/sh
# fuzz/run.sh [SECONDS] [TARGET...] - builds the libFuzzer targets
# (fuzz/fuzz_*.c) with clang, -fsanitize=fuzzer,address,undefined, into
# build/fuzz, then runs each for SECONDS (default 60) on a copy of its seed
# corpus (fuzz/corpus/TARGET, plus seeds made here from a fresh recording:
# a valid trace and a ring segment).  New inputs that found coverage stay
# in build/fuzz/work/TARGET (not checked in); a crash, leak, sanitizer
# report or hang (> 10 s per input) leaves its input in build/fuzz/crashes
# and fails the run.  Prints one line per target: inputs tried, corpus
# size, crashes; exits non-zero when any target failed.
#   make fuzz FUZZ_TIME=600           the documented longer run
#   sh fuzz/run.sh 30 trace ring      two targets, 30 s each
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-scenario config baseline trace ring}
B=build/fuzz
work=$B/work
crashes=$B/crashes

# clang with libFuzzer: Debian's clang and libclang-rt-dev
probe=$(mktemp -d) || exit 1
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
	VS_EXTRA_PACKAGES="clang libclang-rt-dev" sh scripts/install-deps.sh || exit 1
	clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" ||
		{ echo "fuzz: clang cannot build libFuzzer targets" >&2; exit 1; }
fi

make -s -j2 B=$B CC=clang SANITIZE=fuzzer-no-link,address,undefined fuzz-targets $B/vstrace \
	$B/tests/progs/rec_simple >/dev/null || { echo "fuzz: build failed" >&2; exit 1; }

# seeds made fresh: a complete trace of a scenario (the base the SQL seeds
# of the trace target are applied to, and itself a seed) and the ring
# segment a small program leaves behind without a recorder
mkdir -p "$work" "$crashes"
base=$PWD/$B/base.db
rm -f "$base"
ASAN_OPTIONS=detect_leaks=0 $B/vstrace run -q -o "$base" examples/scenarios/vs-threads.yaml \
	>/dev/null || { echo "fuzz: cannot record the base trace" >&2; exit 1; }
export VS_FUZZ_TRACE_BASE="$base"
shm=$B/shm
rm -rf "$shm" && mkdir -p "$shm"
# (without a recorder the program may wait for one: at most 3 s)
VSTRACE_SHM=$shm VSTRACE_MODE=discard VSTRACE_BUFFER=8 ASAN_OPTIONS=detect_leaks=0 timeout -k 1 3 \
	$B/tests/progs/rec_simple >/dev/null 2>&1

failed=0
for t in $targets; do
	bin=$B/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz: no target '$t'" >&2; failed=1; continue; }
	mkdir -p "$work/$t"
	cp fuzz/corpus/$t/* "$work/$t/" 2>/dev/null
	case $t in
	trace) cp "$base" "$work/$t/seed-base.db" ;;
	ring) for s in "$shm"/seg-*.ring; do [ -e "$s" ] && cp "$s" "$work/$t/seed-segment"; done ;;
	esac
	log=$B/fuzz-$t.log
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/$t-" "$work/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	ncorp=$(ls "$work/$t" | wc -l)
	if [ $rc -eq 0 ]; then
		echo "fuzz: $t: ${runs:-0} inputs in ${secs}s, corpus $ncorp, 0 crashes"
	else
		failed=1
		echo "fuzz: $t: FAILED after ${runs:-?} inputs (exit $rc); see $log:"
		grep -m3 -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | sed 's/^/    /'
	fi
done
exit $failed
