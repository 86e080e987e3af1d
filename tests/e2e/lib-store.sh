# tests/e2e/lib-store.sh - sourced by the t2NNN-store-*.sh tests.
#
# Makes the fixture traces (tests/unit/store_fixture.h) with the unit-test
# runner: $st_tmp/fix.db (complete, two processes) and
# $st_tmp/fix.db.killed.db (a recording whose recorder died).
# st_check NAME CMD...  runs CMD, appends "exit status N" to its stdout and
# stderr (in that order, the temporary directory shown as TMP) and compares
# the transcript with tests/e2e/golden/store/NAME.out.
# st_done ends the test: exit 0 only when every check passed.
# VSTRACE and VS_UNIT override the binaries ($B/vstrace, $B/unit-tests).

cd "$(dirname "$0")/../.." || exit 1
B=${B:-build}
VSTRACE=${VSTRACE:-$B/vstrace}
VS_UNIT=${VS_UNIT:-$B/unit-tests}
st_golden=tests/e2e/golden/store
st_failed=0
st_tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$st_tmp"' EXIT

if ! VS_STORE_FIXTURE=$st_tmp/fix.db "$VS_UNIT" store_writer > "$st_tmp/unit.log" 2>&1 ||
	[ ! -f "$st_tmp/fix.db" ]; then
	echo "FAIL cannot make the fixture trace with $VS_UNIT store_writer"
	sed 's/^/    /' "$st_tmp/unit.log"
	exit 1
fi

st_check() {
	st_name=$1
	shift
	"$@" > "$st_tmp/out" 2> "$st_tmp/err"
	st_rc=$?
	{
		cat "$st_tmp/out"
		echo "exit status $st_rc"
		cat "$st_tmp/err"
	} | sed "s|$st_tmp|TMP|g" > "$st_tmp/$st_name.out"
	if [ -n "${ST_UPDATE:-}" ]; then
		cp "$st_tmp/$st_name.out" "$st_golden/$st_name.out"
	fi
	if cmp -s "$st_golden/$st_name.out" "$st_tmp/$st_name.out"; then
		echo "ok   $st_name"
	else
		echo "FAIL $st_name: transcript differs from $st_golden/$st_name.out"
		diff -u "$st_golden/$st_name.out" "$st_tmp/$st_name.out" | sed 's/^/    /'
		st_failed=1
	fi
}

# st_poke FILE OFFSET B0 B1 B2 B3: overwrites 4 header bytes (octal escapes)
st_poke() {
	printf "\\$3\\$4\\$5\\$6" | dd of="$1" bs=1 seek="$2" conv=notrunc 2> /dev/null
}

st_done() {
	exit "$st_failed"
}
