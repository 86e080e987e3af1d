# tests/e2e/lib.sh - the one helper library of the end-to-end tests; every
# tests/e2e/t*.sh sources it first:  . "$(dirname "$0")/lib.sh"
#
# Sourcing sets SRC (the top of the tree, absolute), B (the build
# directory, absolute; default $SRC/build), VSTRACE and VSCHECK (the tools,
# overridable), P ($B/tests/progs), and makes sure the test runs in a
# scratch directory $T (tests/e2e/run.sh gives each script its own; run
# alone, the script gets a temporary one that is removed at exit).
#
# Comparing (each prints "ok   WHAT" or "FAIL WHAT: ..." and remembers a
# failure; t_done ends the test with exit status 1 when any check failed):
#   check WHAT GOT WANT    GOT = WANT
#   check_file FILE TEXT   FILE holds exactly TEXT
#   has WHAT FILE LINE     FILE contains the whole line LINE
#   fail WHAT              an ad-hoc check failed (message printed as is)
#   need FILE...           each FILE is executable, else FAIL and exit 1
#   t_done                 exit 0 only when every check passed
# Traces (sqlite3):
#   q DB SQL               one query, result rows on stdout
#   nkind DB PROC KIND     the number of events of kind KIND in process PROC
# vscheck:
#   rec NAME [ARGS]        record $B/examples/NAME (or the program at path
#                          NAME) into $T/NAME.db, from the top of the tree so
#                          call sites read examples/NAME.c
#   vsc ARGS...            vscheck --no-config ARGS: stdout in $out, stderr
#                          in $err, exit status in $rc
#   codes FILE             the sorted unique rule codes of a gcc-format report
# Golden transcripts (tests/e2e/golden/):
#   ex_check NAME...       runs $B/examples/NAME from the top of the tree
#                          and compares stdout + "exit status N" with
#                          golden/examples/NAME.out.  Those goldens are
#                          written by hand from TensorFlow's behaviour
#                          (docs/semantics.md), never captured from the
#                          runtime: VS_UPDATE_GOLDEN does not touch them.
#                          VS_EXAMPLE_WRAP (e.g. "valgrind -q
#                          --error-exitcode=99") prefixes each run.
#   st_fixture             makes the store fixture traces with the unit
#                          runner (VS_UNIT, default $B/unit-tests; see
#                          tests/unit/store_fixture.h): $st_tmp/fix.db
#                          (complete, two processes) and
#                          $st_tmp/fix.db.killed.db (its recorder died)
#   st_check NAME CMD...   runs CMD; its stdout, "exit status N" and stderr
#                          (the directory $st_tmp shown as TMP) must equal
#                          golden/store/NAME.out.  With VS_UPDATE_GOLDEN=1
#                          the golden is rewritten first (review the diff!);
#                          VS_UPDATE_GOLDEN is also what the unit tests'
#                          goldens use (tests/unit/test_checker_report.c).
#   st_poke FILE OFFSET B0 B1 B2 B3   overwrite 4 bytes (octal) at OFFSET

SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$SRC/build}
case $B in /*) ;; *) B=$SRC/$B ;; esac
VSTRACE=${VSTRACE:-$B/vstrace}
VSCHECK=${VSCHECK:-$B/vscheck}
VS_UNIT=${VS_UNIT:-$B/unit-tests}
P=$B/tests/progs
t_failed=0
if [ -z "${T:-}" ]; then
	T=$(mktemp -d) || exit 1
	trap 'rm -rf "$T"' EXIT
fi
cd "$T" || exit 1
out=$T/vsc.out
err=$T/vsc.err
rc=0
st_tmp=$T/st

check() {
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		t_failed=1
	fi
}

check_file() {
	check "$1 contents" "$(cat "$1")" "$2"
}

has() {
	if grep -qxF -- "$3" "$2"; then
		echo "ok   $1"
	else
		echo "FAIL $1: no line '$3' in $2:"
		sed 's/^/    /' "$2"
		t_failed=1
	fi
}

fail() {
	echo "FAIL $1"
	t_failed=1
}

need() {
	for need_f in "$@"; do
		[ -x "$need_f" ] || { echo "FAIL $need_f is not built"; exit 1; }
	done
}

t_done() {
	exit "$t_failed"
}

q() {
	sqlite3 -batch -noheader "$1" "$2"
}

nkind() {
	q "$1" "SELECT COUNT(*) FROM events WHERE proc = $2 AND kind = '$3';"
}

rec() {
	rec_name=$1
	shift
	rec_bin=$B/examples/$rec_name
	case $rec_name in */*) rec_bin=$rec_name; rec_name=$(basename "$rec_name") ;; esac
	(cd "$SRC" && "$VSTRACE" record -f -o "$T/$rec_name.db" -- "$rec_bin" "$@") \
		>"$T/$rec_name.rec.out" 2>&1
}

vsc() {
	rc=0
	"$VSCHECK" --no-config "$@" >"$out" 2>"$err" || rc=$?
}

codes() {
	sed -n 's/.*\[\(VS[0-9][0-9][0-9]\) .*\]$/\1/p' "$1" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# compare_golden NAME GOLDEN GOT: cmp, report, diff on failure
compare_golden() {
	if cmp -s "$2" "$3"; then
		echo "ok   $1"
		return 0
	fi
	echo "FAIL $1: transcript differs from ${2#"$SRC"/}"
	diff -u "$2" "$3" | sed 's/^/    /'
	t_failed=1
	return 1
}

ex_check() {
	for ex_name in "$@"; do
		ex_bin=$B/examples/$ex_name
		ex_golden=$SRC/tests/e2e/golden/examples/$ex_name.out
		if [ ! -x "$ex_bin" ]; then
			fail "$ex_name: $ex_bin is not built"
			continue
		fi
		if [ ! -f "$ex_golden" ]; then
			fail "$ex_name: no golden file ${ex_golden#"$SRC"/}"
			continue
		fi
		# shellcheck disable=SC2086 # the wrapper is a word list on purpose
		(cd "$SRC" && timeout 60 ${VS_EXAMPLE_WRAP:-} "$ex_bin") >"$T/$ex_name.out" \
			2>"$T/$ex_name.err"
		echo "exit status $?" >>"$T/$ex_name.out"
		compare_golden "$ex_name" "$ex_golden" "$T/$ex_name.out" ||
			sed 's/^/    stderr: /' "$T/$ex_name.err"
	done
}

st_fixture() {
	mkdir -p "$st_tmp"
	if ! VS_STORE_FIXTURE=$st_tmp/fix.db "$VS_UNIT" store_writer >"$st_tmp/unit.log" 2>&1 ||
		[ ! -f "$st_tmp/fix.db" ]; then
		echo "FAIL cannot make the fixture trace with $VS_UNIT store_writer"
		sed 's/^/    /' "$st_tmp/unit.log"
		exit 1
	fi
}

st_check() {
	st_name=$1
	shift
	st_golden=$SRC/tests/e2e/golden/store/$st_name.out
	"$@" >"$T/st.out" 2>"$T/st.err"
	st_rc=$?
	{
		cat "$T/st.out"
		echo "exit status $st_rc"
		cat "$T/st.err"
	} | sed "s|$st_tmp|TMP|g" >"$T/$st_name.st"
	[ -n "${VS_UPDATE_GOLDEN:-}" ] && cp "$T/$st_name.st" "$st_golden"
	compare_golden "$st_name" "$st_golden" "$T/$st_name.st"
}

st_poke() {
	printf "\\$3\\$4\\$5\\$6" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# Fault tests (t11xx-fault-*.sh; several are expected to fail until the
# capture rework lands, see tests/e2e/xfail-capture.txt):
#   fault_ns SIZE          re-runs the calling script as root in a private
#                          mount namespace (unshare -m) with a fresh tmpfs of
#                          SIZE (e.g. 64m) on /dev/shm, so the script sees only
#                          its own shared-memory files and can mount small
#                          file systems; exits 77 (run.sh: SKIP) when
#                          unshare is not permitted.  Call it right after
#                          sourcing this file.
#   small_fs DIR SIZE      mounts a tmpfs of SIZE on DIR (inside fault_ns)
#   shm_clean WHAT         /dev/shm is empty (no segment or directory left);
#                          then empties it (it is the test's own tmpfs), so
#                          that the next shm_clean sees only new leftovers
#   wait_for FILE SECS     waits up to SECS for FILE to exist; 1 if it never does
#   $RUNST STATUS CMD...   (a script made by fault_ns) creates STATUS.started,
#                          runs CMD, writes its exit status (as a shell
#                          reports it) to the file STATUS and exits with
#                          it: as PROG of `vstrace
#                          record` it lets a test see the program's own
#                          status even when vstrace dies or exits otherwise
#   incomplete WHAT DB CAUSE  DB opens with `vstrace info`, which says
#                          "incomplete" and matches the extended regular
#                          expression CAUSE (case-insensitive; "" = any)
#   one_line WHAT FILE RE  FILE is exactly one line, matching RE (grep -E)
#   qx DB SQL              q, but a missing DB is an error (sqlite3 would
#                          create an empty file)
#   gapless DB             prints 1 when every process's events before its
#                          first loss (if any) have seq 1..n without a hole
fault_ns() {
	if [ "${VS_E2E_NS:-}" != 1 ]; then
		if ! unshare -m true 2>/dev/null; then
			echo "skip: unshare -m is not permitted here (needs root)"
			exit 77
		fi
		export T
		VS_E2E_NS=1 unshare -m --propagation private sh "$0"
		exit $?
	fi
	mount -t tmpfs -o "size=$1,mode=1777" vs-e2e-shm /dev/shm || {
		echo "FAIL cannot mount a tmpfs on /dev/shm"
		exit 1
	}
	RUNST=$T/runst
	printf '#!/bin/sh\ns=$1\nshift\n: >"$s.started"\n"$@"\nr=$?\necho $r >"$s"\nexit $r\n' >"$RUNST"
	chmod +x "$RUNST"
}

small_fs() {
	mkdir -p "$1" && mount -t tmpfs -o "size=$2" vs-e2e-small "$1" || {
		echo "FAIL cannot mount a tmpfs on $1"
		exit 1
	}
}

shm_clean() {
	check "$1: nothing left in /dev/shm" "$(ls -A /dev/shm | tr '\n' ' ')" ""
	# only ever our own tmpfs (mounted by fault_ns), never the real one
	grep -q '^vs-e2e-shm /dev/shm tmpfs' /proc/self/mounts && rm -rf /dev/shm/* /dev/shm/.[!.]*
	return 0
}

wait_for() {
	wait_n=$(($2 * 50))
	while [ ! -e "$1" ] && [ "$wait_n" -gt 0 ]; do
		sleep 0.02
		wait_n=$((wait_n - 1))
	done
	[ -e "$1" ]
}


incomplete() {
	if ! "$VSTRACE" info "$2" >"$T/info.out" 2>&1; then
		fail "$1: 'vstrace info $2' fails: $(head -n 3 "$T/info.out")"
		return
	fi
	if grep -q '^status  *incomplete' "$T/info.out" && grep -Eqi -- "$3" "$T/info.out"; then
		echo "ok   $1"
	else
		fail "$1: 'vstrace info $2' does not say incomplete${3:+ with /$3/}:"
		sed 's/^/    /' "$T/info.out"
	fi
}

one_line() {
	if [ "$(wc -l <"$2")" -eq 1 ] && grep -Eq -- "$3" "$2"; then
		echo "ok   $1"
	else
		fail "$1: want one line matching /$3/ in $2, got:"
		sed 's/^/    /' "$2"
	fi
}

qx() {
	if [ ! -f "$1" ]; then
		echo "qx: no file $1" >&2
		return 1
	fi
	q "$@"
}

gapless() {
	qx "$1" "SELECT COUNT(*) = 0 FROM (SELECT e.proc, COUNT(*) AS n, MAX(e.seq) AS m
		FROM events e WHERE e.seq <= COALESCE((SELECT MIN(l.after_seq) FROM lost l
		WHERE l.proc = e.proc), 1e18) GROUP BY e.proc) WHERE n != m;"
}
