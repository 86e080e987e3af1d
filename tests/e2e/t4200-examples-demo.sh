#!/bin/sh
# t4200-examples-demo.sh: `make demo` (examples/demo.sh) runs to its end:
# both programs are recorded, vscheck passes the correct GAN and fails the
# buggy one (VS101 in the findings table), and the queries run.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
log=$T/demo.log
if ! B=$B sh examples/demo.sh > "$log" 2>&1; then
	echo "FAIL examples/demo.sh failed:"
	sed 's/^/    /' "$log"
	exit 1
fi
for want in 'VS101' 'demo: ok'; do
	if ! grep -qF -- "$want" "$log"; then
		echo "FAIL examples/demo.sh output lacks '$want':"
		sed 's/^/    /' "$log"
		exit 1
	fi
done
echo "ok   examples/demo.sh"
