#!/bin/sh
# t1300-record-python-script.sh: a Python user records an unchanged TF1
# script with no setup.  `vstrace record -- train.py ARGS` runs it through
# the shim (python3 -m vstrace.run); `vstrace record -- python3 -m
# vstrace.run train.py` works without PYTHONPATH (vstrace puts its own
# package first and keeps the user's entries after it); the trace's call
# sites are the script's lines.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"
[ -f "$B/python/vstrace/__init__.py" ] || { echo "skip: make python first"; exit 77; }
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
# CPython is not sanitizer-built: no TSan; ASan's runtime goes first
san_env=""
case "${SANITIZE:-}" in
*thread*) echo "skip: python under ThreadSanitizer"; exit 77 ;;
"") ;;
*) san_env="LD_PRELOAD=$(sh "$SRC/tests/san-preload.sh") ASAN_OPTIONS=detect_leaks=0" ;;
esac

mkdir lib
cat >lib/mylayers.py <<'PY'
import tensorflow as tf


def dense(x, n, name):
    with tf.variable_scope(name):
        return tf.get_variable("w", shape=[x, n])
PY
cat >train.py <<'PY'
import sys

import tensorflow as tf
from mylayers import dense

with tf.variable_scope("model"):
    dense(int(sys.argv[1]), 4, "fc")
with tf.variable_scope("model"):
    dense(int(sys.argv[1]), 4, "fc")  # built again without reuse
PY

# the script as PROG, an argument passed on, the user's PYTHONPATH kept
env -u VSTRACE_OUTPUT $san_env PYTHONPATH="$T/lib" "$VSTRACE" record -o a.db -- ./train.py 3 2>err
check "script: the program's status (TF's ValueError)" "$?" 1
check "script: the variable and its shape" \
	"$(q a.db "SELECT name, shape, file, line FROM variables;")" \
	"model/fc/w:0|(3, 4)|$T/lib/mylayers.py|6"
check "script: the error is TF's" \
	"$(q a.db "SELECT count(*) FROM events WHERE kind = 'ERROR';")" 1
check "script: argv recorded as run" "$(q a.db "SELECT value FROM meta WHERE key = 'argv';")" \
	"python3 -m vstrace.run ./train.py 3"
"$VSCHECK" --no-config --format gcc a.db >out 2>&1
grep -q "^./train.py:8:1: error: .*\[VS113 model-built-twice\]" out || fail "vscheck: VS113 at the second variable_scope, train.py:8: $(cat out)"

# python3 -m vstrace.run with no PYTHONPATH at all
env -u PYTHONPATH -u VSTRACE_OUTPUT $san_env "$VSTRACE" record -o b.db -- \
	python3 -c 'import vstrace, sys; print(vstrace.__file__)' >path 2>err
check "-m form: the package is found" "$?" 0
check "-m form: it is vstrace's own" "$(cat path)" "$B/python/vstrace/__init__.py"

# a script that does not exist: Python's own error, vstrace's status line
env $san_env "$VSTRACE" record -o c.db -- ./missing.py 2>err
check "missing script: python's status" "$?" 1
grep -q "missing.py" err || fail "missing script: stderr names it: $(cat err)"
t_done
