#!/bin/sh
# t4900-man-pages.sh: the manual pages exist and render without a single
# groff warning (-ww: all warnings), and each page's .TH names its own file.
# groff comes from groff-base, which scripts/install-deps.sh installs.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
if ! command -v groff >/dev/null 2>&1; then
	echo "FAIL groff not found (package groff-base; run scripts/install-deps.sh)"
	exit 1
fi
for page in vstrace.1 vscheck.1 libvs.3 vstrace-scenario.5 vscheck.yml.5; do
	[ -f "docs/man/$page" ] || { echo "FAIL docs/man/$page is missing"; t_failed=1; }
done
for f in docs/man/*.[135]; do
	[ -f "$f" ] || continue
	page=$(basename "$f")
	name=${page%.*}
	sect=${page##*.}
	warnings=$(groff -man -rCHECKSTYLE=3 -Tutf8 -ww -z "$f" 2>&1)
	if [ -n "$warnings" ]; then
		echo "FAIL $f renders with warnings:"
		echo "$warnings" | sed 's/^/    /'
		t_failed=1
		continue
	fi
	# .TH NAME SECTION: the title is the upper-cased file name
	th=$(sed -n 's/^\.TH  *\([^ ]*\)  *\([^ ]*\).*/\1 \2/p' "$f" | head -n 1)
	want="$(echo "$name" | tr '[:lower:]' '[:upper:]') $sect"
	if [ "$th" != "$want" ]; then
		echo "FAIL $f: .TH says '$th', want '$want'"
		t_failed=1
		continue
	fi
	echo "ok   $f"
done
t_done
