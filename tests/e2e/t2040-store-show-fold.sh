#!/bin/sh
# t2040-store-show-fold.sh: `vstrace show` on a real recording: internal
# sub-events folded unless --all (indentation counts shown lines only),
# --around/--from/--to/--depth windows, comma and repeated --kind/--thread,
# colours (--color, NO_COLOR), no pager when stdout is not a terminal,
# multi-line messages under their column, and the argument errors
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"

rec rnn_bug_shape
db=$T/rnn_bug_shape.db
body() { "$VSTRACE" show "$db" "$@" | tail -n +3 | sed 's/  @ .*//'; }

check "folded window" "$(body --around 126:3)" "       123  [1]  variable_scope \"rnn_cell\" reuse=AUTO_REUSE {
       124  [1]    get_variable \"rnn_cell/W_xh\" shape=\"(65, 128)\" reuse=AUTO_REUSE {
       126  [1]      !! ValueError: Trying to share variable rnn_cell/W_xh, but specified shape (65, 128) and found shape (32, 128).
       128  [1]    } = error \"rnn_cell/W_xh\"
       129  [1]  } variable_scope"
check "--all window" "$(body --all --from 121 --to 127)" "       121  [1]  graph (graph #1) {
       122  [1]    name_scope \"rnn_cell_1/\" {
       123  [1]      variable_scope \"rnn_cell\" reuse=AUTO_REUSE {
       124  [1]        get_variable \"rnn_cell/W_xh\" shape=\"(65, 128)\" reuse=AUTO_REUSE {
       125  [1]          name_scope \"\" {
       126  [1]            !! ValueError: Trying to share variable rnn_cell/W_xh, but specified shape (65, 128) and found shape (32, 128).
       127  [1]          } name_scope"
# what stays: the dense layer's own name_scope calls (vs_layer_*), user-level
check "folding hides only sub-events" \
	"$("$VSTRACE" show "$db" --kind NAME_SCOPE_ENTER,CTX_PUSH,INIT_SCOPE_ENTER | tail -n +3 | sed 's/  @ .*//' | tr -s ' ' | sort | uniq -c | tr -s ' ')" \
	" 1 72 [1] name_scope \"output/softmax/\" {
 1 76 [1] name_scope \"output/softmax/\" {
 1 95 [1] name_scope \"output/softmax/\" {"
check "--all shows them" \
	"$("$VSTRACE" show "$db" --all --kind NAME_SCOPE_ENTER | tail -n +3 | wc -l | tr -d ' ')" 23
check "--depth 1, kinds comma and repeated" \
	"$(body --depth 1 --kind VARSCOPE_ENTER,GETVAR_ENTER --kind VARSCOPE_EXIT --to 60)" \
	"         5  [1]  get_variable \"embedding\" shape=\"(65, 32)\" reuse=False {
        19  [1]  variable_scope \"rnn_cell\" reuse=AUTO_REUSE {
        57  [1]  } variable_scope"
check "--thread list" "$(body --thread 2,1 --thread 3 --kind ERROR | wc -l | tr -d ' ')" 1
check "--around N 0" "$(body --around 126:0)" "       126  [1]      !! ValueError: Trying to share variable rnn_cell/W_xh, but specified shape (65, 128) and found shape (32, 128)."

# colours: only when asked (stdout is not a terminal here); NO_COLOR wins over auto
esc=$(printf '\033')
"$VSTRACE" show "$db" --around 126:0 --color always > col.out
grep -q "${esc}\[1;31m!! ValueError" col.out || fail "--color always: no red error"
"$VSTRACE" show "$db" --around 126:0 > plain.out
grep -q "$esc" plain.out && fail "auto colour on a pipe"
NO_COLOR=1 "$VSTRACE" show "$db" --around 126:0 --color auto > nc.out
grep -q "$esc" nc.out && fail "NO_COLOR ignored"
check "no pager on a pipe" "$(PAGER=false "$VSTRACE" show "$db" --around 126:0 | tail -n 1 | cut -c1-10)" "       126"

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
