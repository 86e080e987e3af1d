#!/bin/sh
# t4910-man-consistency.sh: the manual pages say what the tools do.
# - vscheck.1 lists exactly the long options of `vscheck --help`, and
#   exactly the rules of `vscheck --list-rules` with their default levels;
# - vstrace.1 has a section per command of `vstrace --help`, each naming
#   exactly the long options of `vstrace CMD --help`;
# - vstrace-scenario.5 lists exactly the step kinds and the expectation
#   keys of the scenario loader's tables (scenario/load.c), and
#   vscheck.yml.5 names every key the config loader accepts (rules/config.c);
# - the example of vstrace-scenario.5 passes under `vstrace run`, the
#   example of vscheck.yml.5 is a valid configuration, and the program of
#   libvs.3 compiles against include/ and libvs and prints what the page says.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
tmp=$T

# the long options in roff text (\-\-name) or in --help text (--name)
man_opts() { grep -o -- '\\-\\-[a-z][a-z\\-]*' | sed 's/\\//g' | LC_ALL=C sort -u; }
help_opts() { grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort -u; }
# the lines of section $2 (".SH NAME", up to the next .SH, or ".SS name", up
# to the next .SS or .SH) of page $1
section() {
	awk -v s="$2" '$0 == s { on = 1; next }
		on && (/^\.SH / || (s ~ /^\.SS / && /^\.SS /)) { exit }
		on' "$1"
}
# compare LABEL WANT_FILE GOT_FILE
same() {
	if cmp -s "$2" "$3"; then
		echo "ok   $1"
	else
		echo "FAIL $1 (- tool, + man page):"
		diff -u "$2" "$3" | sed '1,2d; s/^/    /'
		t_failed=1
	fi
}

"$B/vscheck" --help | help_opts > "$tmp/want"
section docs/man/vscheck.1 ".SH OPTIONS" | grep '^\.[BT]' | man_opts > "$tmp/got"
same "vscheck.1 options" "$tmp/want" "$tmp/got"

"$B/vscheck" --no-config --list-rules | awk '/^VS[0-9]/ { print $1, $2, $3 }' > "$tmp/want"
section docs/man/vscheck.1 ".SH RULES" |
	sed -n 's/^\.BR \(VS[0-9]*\) " \(.*\) (\([a-z]*\))"$/\1 \2 \3/p' | sed 's/\\//g' > "$tmp/got"
same "vscheck.1 rules" "$tmp/want" "$tmp/got"

"$B/vstrace" --help | awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }' |
	LC_ALL=C sort > "$tmp/want"
section docs/man/vstrace.1 ".SH COMMANDS" | sed -n 's/^\.SS //p' | LC_ALL=C sort > "$tmp/got"
same "vstrace.1 commands" "$tmp/want" "$tmp/got"
while read -r cmd; do
	"$B/vstrace" "$cmd" --help < /dev/null | help_opts | grep -vx -- '--help' > "$tmp/want.$cmd"
	section docs/man/vstrace.1 ".SS $cmd" | man_opts > "$tmp/got.$cmd"
	same "vstrace.1 $cmd options" "$tmp/want.$cmd" "$tmp/got.$cmd"
done < "$tmp/want"

grep -o '\[VS_SCN_[A-Z_]*\] = {"[a-z_]*"' scenario/load.c |
	grep -v -e '\[VS_SCN_A_' -e '\[VS_SCN_E_' | sed 's/.*{"//; s/"$//' | LC_ALL=C sort -u > "$tmp/want"
section docs/man/vstrace-scenario.5 ".SS All step kinds" | awk '/^\.BR? / { print $2 }' |
	LC_ALL=C sort -u > "$tmp/got"
same "vstrace-scenario.5 step kinds" "$tmp/want" "$tmp/got"
grep -o '\[VS_SCN_E_[A-Z_]*\] = {"[a-z_]*"' scenario/load.c | sed 's/.*{"//; s/"$//' |
	LC_ALL=C sort -u > "$tmp/want"
# the keys are the bold words of the .TP tag lines (quoted text left out)
section docs/man/vstrace-scenario.5 ".SH EXPECTATIONS" | awk 'tag { print } { tag = /^\.TP/ }' |
	sed 's/"[^"]*"//g; s/^\.BR* //' | tr ' ' '\n' | grep -x '[a-z_][a-z_]*' | LC_ALL=C sort -u > "$tmp/got"
same "vstrace-scenario.5 expectation keys" "$tmp/want" "$tmp/got"

grep -o 'strcmp(key, "[a-z-]*")' rules/config.c | sed 's/.*"\(.*\)".*/\1/' |
	LC_ALL=C sort -u > "$tmp/want"
section docs/man/vscheck.yml.5 ".SH KEYS" | grep '^\.B' | sed 's/"[^"]*"//g; s/^\.[BIR]* //' |
	tr ' ' '\n' | sed 's/\\-/-/g; s/:$//' | LC_ALL=C sort -u > "$tmp/got"
LC_ALL=C comm -23 "$tmp/want" "$tmp/got" > "$tmp/missing"
if [ -s "$tmp/missing" ]; then
	echo "FAIL vscheck.yml.5 does not name these config keys: $(tr '\n' ' ' < "$tmp/missing")"
	t_failed=1
else
	echo "ok   vscheck.yml.5 config keys"
fi

# the N-th (default 1st) .EX block of the EXAMPLES section of page $1,
# with the roff escapes undone
example() {
	section "$1" ".SH EXAMPLES" |
		awk -v n="${2:-1}" '/^\.EX$/ { on = (++k == n); next } /^\.EE$/ { on = 0 } on' |
		sed 's/\\-/-/g; s/\\(aq/'"'"'/g; s/\\(dq/"/g; s/\\e/\\/g'
}
example docs/man/vstrace-scenario.5 > "$tmp/example.yaml"
if "$B/vstrace" run -q "$tmp/example.yaml" > "$tmp/run.out" 2>&1; then
	echo "ok   vstrace-scenario.5 example runs"
else
	echo "FAIL vstrace-scenario.5 example does not pass 'vstrace run':"
	sed 's/^/    /' "$tmp/example.yaml" "$tmp/run.out"
	t_failed=1
fi
example docs/man/vscheck.yml.5 > "$tmp/example.yml"
if "$B/vscheck" --config "$tmp/example.yml" --show-config > "$tmp/cfg.out" 2>&1; then
	echo "ok   vscheck.yml.5 example loads"
else
	echo "FAIL vscheck.yml.5 example is not a valid configuration:"
	sed 's/^/    /' "$tmp/example.yml" "$tmp/cfg.out"
	t_failed=1
fi
example docs/man/libvs.3 1 > "$tmp/example.c"
# (SANITIZE is set by `make SANITIZE=... check`: libvs.a was built with it)
if ${CC:-cc} -std=c11 ${SANITIZE:+-fsanitize=$SANITIZE} -Iinclude -o "$tmp/example" \
	"$tmp/example.c" "$B/libvs.a" -lpthread -lrt > "$tmp/cc.out" 2>&1; then
	"$tmp/example" > "$tmp/example.out"
	status=$?
	printf '%s\n' "got discriminator/kernel:0" "got discriminator/kernel:0" \
		"ValueError: Variable discriminator/kernel already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:" \
		"exit status 1" > "$tmp/want"
	{ head -n 3 "$tmp/example.out"; echo "exit status $status"; } > "$tmp/got"
	same "libvs.3 example program" "$tmp/want" "$tmp/got"
else
	echo "FAIL libvs.3 example program does not compile:"
	sed 's/^/    /' "$tmp/cc.out"
	t_failed=1
fi
t_done
