"""bench/bench_python.py - the cost of a traced tf.get_variable from Python
against the C call (vs_get_variable) in the same process, and against the
interpreter's own cost of calling a Python function with get_variable's
signature.  Run by bench/run.sh under `vstrace record` (traced) and alone
(untraced).  Target (issue 14): python <= 2 x C + the interpreter's call."""
import sys
import time

import vstrace.tf as tf
from vstrace import _vs

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
LABEL = sys.argv[2] if len(sys.argv) > 2 else ""


def empty(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
          collections=None, caching_device=None, partitioner=None, validate_shape=True,
          use_resource=None, custom_getter=None, constraint=None, synchronization=0,
          aggregation=0):
    return None


def per_call(fn):
    best = None
    for _ in range(3):
        t0 = time.perf_counter_ns()
        fn()
        dt = (time.perf_counter_ns() - t0) / N
        best = dt if best is None else min(best, dt)
    return best


def py_loop():
    get = tf.get_variable
    for _ in range(N):
        get("v", [4])


def empty_loop():
    for _ in range(N):
        empty("v", [4])


def main():
    with tf.variable_scope("bench_py", reuse=tf.AUTO_REUSE):
        tf.get_variable("v", [4])
        py = per_call(py_loop)
    c = min(_vs.bench_get_variable(N) / N for _ in range(3))
    over = per_call(empty_loop)
    extra = py - over
    print("python   get_variable %-9s %8.1f ns/call" % (LABEL, py))
    print("python   C vs_get_variable %-4s %8.1f ns/call" % (LABEL, c))
    print("python   interpreter call     %8.1f ns/call (empty function, same signature)"
          % over)
    print("python   shim cost over call  %8.1f ns/call = %.2f x C (target <= 2x)"
          % (extra, extra / c))


if __name__ == "__main__":
    main()
