#!/bin/sh
# tests/realworld/score.sh - scores vscheck on the real-world corpus.
#
#   sh tests/realworld/score.sh [-v] [NAME-SUBSTRING]
#
# The corpus (see README.md here) is two directories of small programs:
#   bugs/  each modelled on a bug a TF1 user reported (the source URL is in
#          the file's header); the line(s) a reviewer would point at carry
#          a marker comment "EXPECT: <rule id or any>";
#   ok/    correct but tricky programs that must check clean.
# A program is a YAML scenario (recorded with `vstrace run -o`) or a C file
# on libvs (built by make as $B/tests/realworld/<dir>/<name>, recorded with
# `vstrace record`).  Each trace is checked with `vscheck --format json
# --no-config`, and the findings are compared with the markers:
#   detected   a bug program has at least one finding at warning or above;
#   localised  one of them is within 2 lines of a marked line, in the
#              marked file;
#   false alarm  a finding at warning or above on a correct program.
# Totals: recall (bugs detected / bugs), localisation rate (bugs localised
# / bugs), precision (flagged bug programs / all flagged programs), false
# alarms on the correct programs.  The run fails below the thresholds of
# issue 17: every bug detected, >= 90% localised, no warning or error on a
# correct program.  Last line: "realworld: N passed, N failed" (one item
# per program plus one for the localisation threshold).
# The .py programs under python/{bugs,ok}/ are the same reports written as
# the TF1 Python the users ran: each is recorded with `vstrace record --
# python3 -m vstrace.run prog.py` (PYTHONPATH=$B/python) and scored the same
# way, with its own summary line ("python: ...") and the same thresholds.
# A .py program must also run to completion under the shim: exit 0, or,
# when its header says "# RAISES: <text>", stop with a traceback whose
# last line contains <text> (the exception TensorFlow raised for the
# report); anything else (a shim gap, an AttributeError) fails it.
# Under ThreadSanitizer the .py programs are skipped (CPython is not
# instrumented); under ASan/UBSan the sanitizer runtimes are preloaded.
# -v prints every finding of every program.
set -u
B=${B:-build}
VSTRACE=${VSTRACE:-$B/vstrace}
VSCHECK=${VSCHECK:-$B/vscheck}
here=$(dirname "$0")
verbose=0
[ "${1:-}" = "-v" ] && { verbose=1; shift; }
select=${1:-}
LOCALISE_MIN=90

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs-realworld.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for tool in "$VSTRACE" "$VSCHECK"; do
	if [ ! -x "$tool" ]; then
		echo "realworld: $tool is not built"
		echo "realworld: 0 passed, 1 failed"
		exit 1
	fi
done

pass=0 fail=0
nbug=0 detected=0 localised=0 nok=0 ok_flagged=0 ok_alarms=0 bug_extra=0 rulehit=0

# findings.tsv: level<TAB>code<TAB>file<TAB>line, one per finding at
# warning or above.  jq when it is installed; otherwise vscheck's JSON is
# read line by line (one finding per line), taking the first "file" and
# "line" of each (a finding's own come before any nested location).
parse_findings() { # json -> tsv on stdout
	if command -v jq >/dev/null 2>&1; then
		jq -r '.findings[] | select(.level == "warning" or .level == "error")
		       | [.level, .code, .file, (.line | tostring)] | @tsv' "$1"
		return
	fi
	awk '
	function first(key,   m) {
		if (!match($0, "\"" key "\": (\"[^\"]*\"|[0-9]+)")) return ""
		m = substr($0, RSTART + length(key) + 4, RLENGTH - length(key) - 4)
		gsub(/"/, "", m)
		return m
	}
	/"code": "VS[0-9]+"/ {
		lvl = first("level")
		if (lvl != "warning" && lvl != "error") next
		printf "%s\t%s\t%s\t%s\n", lvl, first("code"), first("file"), first("line")
	}' "$1"
}

# markers.tsv: file<TAB>line<TAB>rule for every "EXPECT:" comment
markers() { # source -> tsv on stdout
	awk -v f="$1" '/EXPECT: *[A-Za-z0-9]+/ {
		r = $0; sub(/.*EXPECT: */, "", r); sub(/[^A-Za-z0-9].*/, "", r)
		printf "%s\t%d\t%s\n", f, NR, r
	}' "$1"
}

same_file() { # finding-file marker-file: 0 when they name the same file
	case $1 in
	"$2" | */"$2" | *"/${2#./}") return 0 ;;
	esac
	[ "$(basename "$1")" = "$(basename "$2")" ]
}

# LD_PRELOAD for a python3 running an extension built with sanitizers
py_preload=$(sh tests/san-preload.sh)
PY=${PYTHON:-python3}

# ran_to_end SRC: 0 when the recorded .py program exited 0, or raised the
# exception its "# RAISES:" header names (the last line of its traceback)
ran_to_end() {
	want=$(sed -n 's/^# RAISES: *//p' "$1" | head -n 1)
	last=$(grep -E '^[A-Za-z_.]+(Error|Exception|Exit)\b' "$tmp/rec.log" | tail -n 1)
	if [ -z "$want" ]; then
		[ "$rec_rc" -eq 0 ] && return 0
		echo "FAIL $1: did not run to completion (exit $rec_rc)"
	else
		case $last in *"$want"*) return 0 ;; esac
		echo "FAIL $1: expected to stop with '$want'"
	fi
	tail -n 8 "$tmp/rec.log" | sed 's/^/    /'
	return 1
}

# record SRC DB -> 0 when the trace was written
record() {
	src=$1 db=$2
	rec_rc=0
	case $src in
	*.py)
		PYTHONPATH="$B/python${PYTHONPATH:+:$PYTHONPATH}" LD_PRELOAD="$py_preload" \
			ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" \
			"$VSTRACE" record -f -o "$db" -- "$PY" -m vstrace.run "$src" >"$tmp/rec.log" 2>&1
		rec_rc=$? ;;
	*.yaml) "$VSTRACE" run -q -o "$db" "$src" >"$tmp/rec.log" 2>&1 ;;
	*.c)
		prog=$B/${src%.c}
		if [ ! -x "$prog" ]; then
			echo "$prog is not built (make)" >"$tmp/rec.log"
			return 1
		fi
		"$VSTRACE" record -o "$db" -- "$prog" >"$tmp/rec.log" 2>&1 ;;
	esac
	[ -s "$db" ]
}

score_one() { # kind src
	kind=$1 src=$2
	name=$(basename "$src")
	db=$tmp/${name%.*}.db
	rm -f "$db"
	if ! record "$src" "$db"; then
		echo "FAIL $src: recording failed"
		sed 's/^/    /' "$tmp/rec.log"
		fail=$((fail + 1))
		return
	fi
	case $src in
	*.py) ran_to_end "$src" || { fail=$((fail + 1)); return; } ;;
	esac
	"$VSCHECK" --no-config --format json "$db" >"$tmp/out.json" 2>"$tmp/check.err"
	rc=$?
	if [ "$rc" -ge 2 ]; then
		echo "FAIL $src: vscheck exit $rc"
		sed 's/^/    /' "$tmp/check.err"
		fail=$((fail + 1))
		return
	fi
	parse_findings "$tmp/out.json" >"$tmp/f.tsv"
	nf=$(wc -l <"$tmp/f.tsv")
	if [ "$kind" = ok ]; then
		nok=$((nok + 1))
		if [ "$nf" -eq 0 ]; then
			pass=$((pass + 1))
			echo "ok    clean      $src"
		else
			fail=$((fail + 1))
			ok_flagged=$((ok_flagged + 1))
			ok_alarms=$((ok_alarms + nf))
			echo "FAIL  ALARM($nf)  $src"
			sed 's/^/    /' "$tmp/f.tsv"
		fi
		return
	fi
	nbug=$((nbug + 1))
	# markers may sit in the program or in a header next to it
	: >"$tmp/m.tsv"
	for m in "$src" $(dirname "$src")/*.h; do
		[ -f "$m" ] && markers "$m" >>"$tmp/m.tsv"
	done
	if [ ! -s "$tmp/m.tsv" ]; then
		echo "FAIL $src: no EXPECT marker"
		fail=$((fail + 1))
		return
	fi
	near=0 extra=0 hit=0
	while IFS="	" read -r lvl code file line; do
		close=0
		while IFS="	" read -r mf ml mr; do
			same_file "$file" "$mf" || continue
			d=$((line - ml))
			[ "$d" -lt 0 ] && d=$((-d))
			[ "$d" -le 2 ] || continue
			close=1
			[ "$mr" = any ] || [ "$mr" = "$code" ] && hit=1
		done <"$tmp/m.tsv"
		if [ "$close" -eq 1 ]; then near=$((near + 1)); else extra=$((extra + 1)); fi
	done <"$tmp/f.tsv"
	bug_extra=$((bug_extra + extra))
	if [ "$nf" -eq 0 ]; then
		fail=$((fail + 1))
		echo "FAIL  MISSED     $src"
	else
		pass=$((pass + 1))
		detected=$((detected + 1))
		if [ "$near" -gt 0 ]; then
			localised=$((localised + 1))
			[ "$hit" -eq 1 ] && rulehit=$((rulehit + 1))
			echo "ok    localised  $src"
		else
			echo "ok    detected   $src  (no finding within 2 lines of a marker)"
			sed 's/^/    /' "$tmp/f.tsv"
			sed 's/^/    marker /' "$tmp/m.tsv"
		fi
	fi
	[ "$verbose" -eq 1 ] && sed 's/^/    /' "$tmp/f.tsv"
	return 0
}

pct() { # num den
	if [ "$2" -eq 0 ]; then echo "n/a"; return; fi
	t=$(($1 * 1000 / $2))
	echo "$((t / 10)).$((t % 10))%"
}

# localisation threshold over NBUG bug programs of which LOC are localised
threshold() { # what nbug localised
	if [ "$2" -gt 0 ] && [ $(($3 * 100)) -lt $((LOCALISE_MIN * $2)) ]; then
		echo "FAIL $1 localisation below ${LOCALISE_MIN}%"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

# YAML scenarios and C programs
for kind in bugs ok; do
	for src in "$here/$kind"/*.yaml "$here/$kind"/*.c; do
		[ -e "$src" ] || continue
		case $src in *"$select"*) ;; *) continue ;; esac
		score_one "${kind%s}" "$src"
	done
done
c_nbug=$nbug c_det=$detected c_loc=$localised c_nok=$nok c_okf=$ok_flagged c_alarms=$ok_alarms
c_rule=$rulehit

# the same reports as TF1 Python scripts
py_skip=0
case "${SANITIZE:-}" in *thread*) py_skip=1 ;; esac
if [ "$py_skip" -eq 0 ] && [ ! -f "$B/python/vstrace/run.py" ]; then
	echo "FAIL python programs: $B/python is not built (make python)"
	fail=$((fail + 1))
	py_skip=1
fi
if [ "$py_skip" -eq 0 ]; then
	for kind in bugs ok; do
		for src in "$here/python/$kind"/*.py; do
			[ -e "$src" ] || continue
			case $src in *"$select"*) ;; *) continue ;; esac
			score_one "${kind%s}" "$src"
		done
	done
fi
p_nbug=$((nbug - c_nbug)) p_det=$((detected - c_det)) p_loc=$((localised - c_loc))
p_nok=$((nok - c_nok)) p_okf=$((ok_flagged - c_okf)) p_alarms=$((ok_alarms - c_alarms))

flagged=$((detected + ok_flagged))
echo
echo "bug programs:      $nbug ($c_nbug YAML/C, $p_nbug Python)"
echo "correct programs:  $nok ($c_nok YAML/C, $p_nok Python)"
echo "recall:            $(pct $detected $nbug) ($detected of $nbug bugs detected)"
echo "localised:         $(pct $localised $nbug) ($localised of $nbug within 2 lines of a marked line; $rulehit with the expected rule)"
echo "precision:         $(pct $detected $flagged) ($detected of $flagged flagged programs are bugs)"
echo "false alarms:      $ok_alarms findings on $ok_flagged of $nok correct programs"
echo "other findings:    $bug_extra on bug programs away from the marked lines"
echo "YAML/C:            recall $(pct $c_det $c_nbug), localised $(pct $c_loc $c_nbug) ($c_rule with the expected rule), false alarms $c_alarms on $c_okf of $c_nok"
if [ "$py_skip" -eq 1 ]; then
	echo "python:            skipped (${SANITIZE:-no build})"
else
	echo "python:            recall $(pct $p_det $p_nbug) ($p_det of $p_nbug), localised $(pct $p_loc $p_nbug) ($p_loc of $p_nbug; $((rulehit - c_rule)) with the expected rule), false alarms $p_alarms on $p_okf of $p_nok"
fi
echo "combined:          recall $(pct $detected $nbug), localised $(pct $localised $nbug), false alarms $ok_alarms on $ok_flagged of $nok"
threshold YAML/C "$c_nbug" "$c_loc"
threshold python "$p_nbug" "$p_loc"
echo "realworld: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
