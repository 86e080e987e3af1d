#!/bin/sh
# t6030-export-free-threads.sh: a recording made with `interleave: free`
# exports into a deterministic scenario that replays exactly, whatever the
# recorded interleaving was.  A thread's `start:` is written into the
# thread that created it (THREAD_START's parent_tid), never into the
# thread that happened to hold the baton: here main starts a (t2) and a
# starts c (t3) while main keeps creating variables, so c's THREAD_START
# often arrives while main or c's sibling runs.  Recorded 8 times so that
# several interleavings are seen.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"
cat >"$T/nested.yaml" <<'YAML'
scenario: "nested thread starts, free"
interleave: free
threads:
  a:
    - start: c
    - get_variable: {name: a0, shape: [1]}
    - get_variable: {name: a1, shape: [1]}
    - join: c
  c:
    - get_variable: {name: c0, shape: [1]}
    - get_variable: {name: c1, shape: [1]}
steps:
  - start: a
  - get_variable: {name: m0, shape: [1]}
  - get_variable: {name: m1, shape: [1]}
  - get_variable: {name: m2, shape: [1]}
  - join: a
YAML
# "SECTION THREAD" for each `start:` line of FILE (threads come before steps)
starts() {
	awk '/^  t[0-9]+:$/ { sec = $1 } /^steps:/ { sec = "main:" }
	     /^ *- start: / { print sec, $3 }' "$1" | tr '\n' ' '
}
i=0
while [ $i -lt 8 ]; do
	i=$((i + 1))
	"$VSTRACE" run -q -o "$T/n$i.db" "$T/nested.yaml" >"$T/n$i.run" 2>&1 ||
		fail "recording $i: $(cat "$T/n$i.run")"
	"$VSTRACE" export --format scenario -o "$T/n$i.yaml" "$T/n$i.db" || fail "export $i"
	check "run $i: starts in their creators" "$(starts "$T/n$i.yaml")" "t2: t3 main: t2 "
	check "run $i: interleaving" "$(grep '^interleave:' "$T/n$i.yaml")" \
		"interleave: deterministic"
	rp_rc=0
	"$VSTRACE" replay "$T/n$i.db" >"$T/n$i.replay" 2>&1 || rp_rc=$?
	check "run $i: replay" "$rp_rc $(sed 's/[0-9][0-9]* calls/N calls/' "$T/n$i.replay")" \
		"0 replay: N calls, all outcomes identical"
done
t_done
