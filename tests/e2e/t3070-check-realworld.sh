#!/bin/sh
# t3070: the rules of issue 17 on real-world bug patterns, end to end:
# programs of tests/realworld/ recorded and checked, each finding at the
# line that causes it (gcc format), and the correct programs clean.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK" "$P/rec_early_return"
RW=$SRC/tests/realworld

# scenario NAME: copy the corpus scenario here (stable paths in findings)
# and record it into NAME.db
scn() {
	cp "$RW/$1.yaml" "$T/$(basename "$1").yaml"
	"$VSTRACE" run -q -o "$T/$(basename "$1").db" "$(basename "$1").yaml" >/dev/null 2>&1
}
# finding LINE: the gcc line of rule CODE in the last report
finding() { grep " \[$1 " "$out" | sed 's/ \[[^]]*\]$//'; }

# VS114: AUTO_REUSE around two unnamed layers shares nothing; at the reuse
scn bugs/b07-autoreuse-unnamed-conv2d
vsc --format gcc b07-autoreuse-unnamed-conv2d.db
check "b07 exit" "$rc" 0
check "b07 VS114" "$(finding VS114)" "b07-autoreuse-unnamed-conv2d.yaml:18:1: warning: variable_scope('scope', reuse=tf.AUTO_REUSE) at b07-autoreuse-unnamed-conv2d.yaml:18 shares nothing: default_name 'conv2d' was uniquified to 'scope/conv2d_1', so 'scope/conv2d_1/kernel' is created instead of reusing 'scope/conv2d/kernel' (first created at b07-autoreuse-unnamed-conv2d.yaml:15); name the layer, or enter the reusing scope once per call"

# VS116: tf.Variable in a reusing scope
scn bugs/b10-tf-variable-in-reuse-scope
vsc --format gcc b10-tf-variable-in-reuse-scope.db
check "b10 VS116" "$(finding VS116)" "b10-tf-variable-in-reuse-scope.yaml:15:1: warning: tf.Variable 'Q_1/Q' is created although the variable scope reuses (variable_scope('Q', reuse=True) at b10-tf-variable-in-reuse-scope.yaml:12): tf.Variable ignores reuse and the variable store, so this makes a new variable instead of sharing one; use tf.get_variable"

# VS113 points at the second build's scope and says where the first was made
scn bugs/b24-gan-generator-dense-twice
vsc --format gcc b24-gan-generator-dense-twice.db
check "b24 exit" "$rc" 1
check "b24 VS113 line" "$(finding VS113 | cut -d: -f1-3)" "b24-gan-generator-dense-twice.yaml:18:1"
check "b24 VS113 first copy" "$(finding VS113 | grep -c 'first created at b24-gan-generator-dense-twice.yaml:12, created again at b24-gan-generator-dense-twice.yaml:12')" 1

# VS117: batch norm statistics under the reused discriminator; at the reuse
scn bugs/b26-infogan-batchnorm-ema-reuse
vsc --format gcc b26-infogan-batchnorm-ema-reuse.db
check "b26 VS117 line" "$(finding VS117 | cut -d: -f1-3)" "b26-infogan-batchnorm-ema-reuse.yaml:21:1"
check "b26 rules" "$(codes "$out")" "VS101 VS111 VS117"

# VS302 (a tf.Variable in a while_loop body), VS311 (a retrace creates)
scn bugs/b20-while-loop-variable
vsc --format gcc b20-while-loop-variable.db
check "b20 VS302 line" "$(finding VS302 | cut -d: -f1-3)" "b20-while-loop-variable.yaml:11:1"
scn bugs/b19-tf-function-retrace-variable
vsc --format gcc b19-tf-function-retrace-variable.db
check "b19 exit" "$rc" 1
check "b19 VS311 line" "$(finding VS311 | cut -d: -f1-4)" "b19-tf-function-retrace-variable.yaml:17:1: error"

# VS312: the model outside the strategy's creator scope: at the model
scn bugs/b22-strategy-scope-slots
vsc --format gcc b22-strategy-scope-slots.db
check "b22 VS312" "$(finding VS312)" "b22-strategy-scope-slots.yaml:15:1: warning: 'model/kernel' was created here under other variable creators than 'model/kernel/RMSprop/', which belongs to it (created at b22-strategy-scope-slots.yaml:21 under {mirrored}): create the model and its optimizer or moving averages under the same creator scope (e.g. strategy.scope())"

# a renaming getter on purpose: notes only, and no VS003
scn ok/o12-getter-renames-on-purpose
vsc --format gcc o12-getter-renames-on-purpose.db
check "o12 exit" "$rc" 0
check "o12 rules" "$(codes "$out")" "VS111 VS308"

# VS118: an error no other rule explains is an error at the raising call
cat > "$T/e5.yaml" <<'YAML'
steps:
  - get_variable: {name: w, shape: [2], initializer: {kind: value, value: 1.0, shape: [2]}}
YAML
"$VSTRACE" run -q -o "$T/e5.db" e5.yaml >/dev/null 2>&1
vsc --format gcc e5.db
check "e5 exit" "$rc" 1
check "e5 VS118" "$(finding VS118)" "e5.yaml:2:1: error: TensorFlow raised ValueError: If initializer is a constant, do not specify shape."

# a C program that returns at an error inside open scopes: a note (VS006)
# at the scope never left, and no VS003
"$VSTRACE" record -o "$T/early.db" -- "$P/rec_early_return" >/dev/null 2>&1
vsc --format gcc early.db
check "early exit" "$rc" 1
check "early rules" "$(codes "$out")" "VS006 VS101"
check "early VS006" "$(finding VS006 | sed 's/^.*rec_early_return.c/rec_early_return.c/')" "rec_early_return.c:15:1: note: variable scope 'foo' entered here was never exited: the process ended inside it (and inside the scopes opened in it)"
t_done
