#!/bin/sh
# t2040-store-show-fold.sh: `vstrace show` on a real recording: internal
# sub-events folded unless --all (indentation counts shown lines only), a
# call with nothing shown inside it on one line with its outcome,
# --around/--from/--to/--depth windows, comma and repeated --kind/--thread,
# colours (--color, NO_COLOR), no pager when stdout is not a terminal,
# multi-line messages under their column, and the argument errors
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"

rec rnn_bug_shape
db=$T/rnn_bug_shape.db
body() { "$VSTRACE" show "$db" "$@" | tail -n +3 | sed 's/  @ .*//'; }

# sequence numbers are taken from the trace, so a runtime that emits one
# more event per variable does not break the windows: E is the error
E=$("$VSTRACE" query --csv "$db" "SELECT seq FROM events WHERE kind = 'ERROR'" | tail -n 1)
seqcol() { printf '%10d  [1]' "$1"; }
noseq() { sed 's/^ *[0-9]*  //'; }
err="!! ValueError: Trying to share variable rnn_cell/W_xh, but specified shape (65, 128) and found shape (32, 128)."

# the scope's exit: a new call stack's STACK and SITE records (hidden) may
# come before it; the window reaches it
VX=$("$VSTRACE" query --csv "$db" "SELECT min(seq) FROM events WHERE kind = 'VARSCOPE_EXIT' AND seq > $E" | tail -n 1)
check "folded window" "$(body --around "$E:$((VX - E))")" "$(seqcol $((E - 3)))  variable_scope \"rnn_cell\" reuse=AUTO_REUSE {
$(seqcol $((E - 2)))    get_variable \"rnn_cell/W_xh\" shape=\"(65, 128)\" reuse=AUTO_REUSE {
$(seqcol "$E")      $err
$(seqcol $((E + 2)))    } = error \"rnn_cell/W_xh\"
$(seqcol "$VX")  } variable_scope"
check "--all window" "$(body --all --from $((E - 5)) --to $((E + 1)))" "$(seqcol $((E - 5)))  graph (graph #1) {
$(seqcol $((E - 4)))    name_scope \"rnn_cell_1/\" {
$(seqcol $((E - 3)))      variable_scope \"rnn_cell\" reuse=AUTO_REUSE {
$(seqcol $((E - 2)))        get_variable \"rnn_cell/W_xh\" shape=\"(65, 128)\" reuse=AUTO_REUSE {
$(seqcol $((E - 1)))          name_scope \"\" {
$(seqcol "$E")            $err
$(seqcol $((E + 1)))          } name_scope"
# what stays folded in: the dense layer's own name_scope calls (vs_layer_*)
check "folding hides only sub-events" \
	"$("$VSTRACE" show "$db" --kind NAME_SCOPE_ENTER,CTX_PUSH,INIT_SCOPE_ENTER | tail -n +3 | sed 's/  @ .*//' | noseq)" \
	"[1]    name_scope \"output/softmax/\" {
[1]        name_scope \"output/softmax/\" {
[1]        name_scope \"output/softmax/\" {"
check "--all shows them" \
	"$("$VSTRACE" show "$db" --all --kind NAME_SCOPE_ENTER | tail -n +3 | wc -l | tr -d ' ')" 23
X=$("$VSTRACE" query --csv "$db" "SELECT min(seq) FROM events WHERE kind = 'VARSCOPE_EXIT'" | tail -n 1)
check "--depth 1, kinds comma and repeated" \
	"$(body --depth 1 --kind VARSCOPE_ENTER,GETVAR_ENTER --kind VARSCOPE_EXIT --to "$X" | noseq)" \
	"[1]  get_variable \"embedding\" shape=\"(65, 32)\" reuse=False {
[1]  variable_scope \"rnn_cell\" reuse=AUTO_REUSE {
[1]  } variable_scope"
check "--thread list" "$(body --thread 2,1 --thread 3 --kind ERROR | wc -l | tr -d ' ')" 1
check "--around N 0" "$(body --around "$E:0")" "$(seqcol "$E")      $err"

# one line per call: a call with nothing shown inside it is its enter's text
# and its exit's outcome on one line (the default creator that creates the
# variable is folded); a user creator keeps enter ... exit around its lines;
# asked for by --kind, the creation events show; --all keeps every event
cat > merge.yaml <<'Y'
creators:
  track: ~
steps:
  - variable_scope: a
    body:
      - get_variable: {name: w, shape: [2]}
  - variable_scope: {name: a, reuse: true}
    body:
      - get_variable: {name: w, shape: [2]}
  - creator_scope: track
    body:
      - get_variable: {name: u, shape: [1]}
Y
"$VSTRACE" run -q -o merge.db merge.yaml >/dev/null || fail "vstrace run merge.yaml"
mbody() { "$VSTRACE" show merge.db "$@" | tail -n +6 | sed 's/  @ .*//' | noseq; }
check "merged call lines" "$(mbody)" "[1]  variable_scope \"a\" reuse=False {
[1]    get_variable \"a/w\" shape=\"(2,)\" reuse=False = created
[1]  } variable_scope
[1]  variable_scope \"a\" reuse=True {
[1]    get_variable \"a/w\" shape=\"(2,)\" reuse=True = reused
[1]  } variable_scope
[1]  variable_creator_scope \"track\" {
[1]    get_variable \"u\" shape=\"(1,)\" reuse=False {
[1]      creator \"track\" name=\"u\" = created (variable #2)
[1]    } = created \"u\"
[1]  } variable_creator_scope"
check "merged line: the enter's seq" "$("$VSTRACE" show merge.db | grep -c '^ *[0-9]*  \[1\]    get_variable "a/w".* = created  @ merge.yaml:6 main$')" 1
check "--kind VAR_CREATE" "$("$VSTRACE" show merge.db --kind VAR_CREATE | tail -n +3 | sed 's/  @ .*//' | noseq)" "[1]        create \"a/w:0\" shape=\"(2,)\" dtype=float32 trainable
[1]          create \"u:0\" shape=\"(1,)\" dtype=float32 trainable"
check "--all: enter and exit apart" "$("$VSTRACE" show merge.db --all | grep -c '} = created (variable #[12])')" 3
check "--all: default creator" "$("$VSTRACE" show merge.db --all | grep -c 'default creator name=')" 2

# colours: only when asked (stdout is not a terminal here); NO_COLOR wins over auto
esc=$(printf '\033')
"$VSTRACE" show "$db" --around "$E:0" --color always > col.out
grep -q "${esc}\[1;31m!! ValueError" col.out || fail "--color always: no red error"
"$VSTRACE" show "$db" --around "$E:0" > plain.out
grep -q "$esc" plain.out && fail "auto colour on a pipe"
NO_COLOR=1 "$VSTRACE" show "$db" --around "$E:0" --color auto > nc.out
grep -q "$esc" nc.out && fail "NO_COLOR ignored"
check "no pager on a pipe" "$(PAGER=false "$VSTRACE" show "$db" --around "$E:0" | tail -n 1 | cut -c1-10)" "$(printf '%10d' "$E")"

# a multi-line TensorFlow message continues under its column
cat > ml.yaml <<'Y'
steps:
  - get_variable: {name: v, shape: [1]}
  - get_variable: {name: v, shape: [1]}
    expect: {error: {kind: ValueError}}
Y
"$VSTRACE" run -q -o ml.db ml.yaml >/dev/null || fail "vstrace run ml.yaml"
"$VSTRACE" show ml.db --kind ERROR | tail -n +3 > ml.out
check "multi-line message lines" "$(wc -l < ml.out | tr -d ' ')" 2
check "continuation column (under the text after !!)" "$(sed -n 2p ml.out | sed 's/File.*/File/')" "                        File"

for bad in "--kind NOPE" "--thread 0" "--around x" "--around 5:y" "--from 0" "--depth -1" "--color sometimes"; do
	rc=0
	# shellcheck disable=SC2086
	"$VSTRACE" show "$db" $bad > /dev/null 2> bad.err || rc=$?
	check "$bad: exit" "$rc" 2
done
rc=0
"$VSTRACE" show "$db" --from 9 --to 3 > /dev/null 2> bad.err || rc=$?
check "--from after --to" "$(cat bad.err)" "vstrace: show: --from 9 is after --to 3 (see 'vstrace show --help')"
t_done
