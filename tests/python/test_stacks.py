"""Python call stacks: every libvs call from Python carries the Python frames
outside vstrace (file, line, function, innermost first) as its call stack, so
the `stacks` view, `vstrace show --stacks` and vscheck's findings show the
program's chain, and a model built twice is reported at the second call of
the model-building function."""
import json
import os
import subprocess
import sys

from conftest import BUILD, ROOT, run_recorded, vscheck

TWICE = '''import tensorflow as tf


def dense(x, units):
    w = tf.get_variable("w", [int(x.shape[-1]), units])  # @get
    return tf.matmul(x, w)  # @matmul


def build_model(x):
    with tf.variable_scope("model"):  # @scope
        return dense(x, 4)  # @dense


def main():
    x = tf.placeholder(tf.float32, [None, 3])  # @placeholder
    build_model(x)  # @first
    build_model(x)  # @second


main()  # @main
'''

GETTER = '''import tensorflow as tf


def my_getter(getter, name, *args, **kwargs):
    if name.endswith("kernel"):
        tf.get_variable("extra", [1])  # @inner
    return getter(name, *args, **kwargs)


def build(x):
    with tf.variable_scope("net", custom_getter=my_getter):  # @scope
        return tf.layers.dense(x, 2)  # @dense


build(tf.placeholder(tf.float32, [None, 3]))  # @build
'''

THREADS = '''import threading

import tensorflow as tf


def tower(i):
    with tf.variable_scope("tower_%d" % i):  # @scope
        tf.get_variable("w", [2])  # @get


threads = [threading.Thread(target=tower, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
'''


def write(tmp_path, name, text):
    path = str(tmp_path / name)
    with open(path, "w") as f:
        f.write(text)
    lines = {}
    for i, l in enumerate(text.splitlines(), 1):
        if "# @" in l:
            lines[l.rsplit("# @", 1)[1].strip()] = i
    return path, lines


def query(trace, sql):
    p = subprocess.run([os.path.join(BUILD, "vstrace"), "query", trace, "--json", sql],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout) if p.stdout.strip() else []


def chains(trace):
    """Every stack of the trace as a tuple of (function, line), innermost first."""
    rows = query(trace, "SELECT stack, frame, function, file, line FROM stacks "
                        "ORDER BY stack, frame")
    out = {}
    for r in rows:
        out.setdefault(r["stack"], []).append((r["function"], r["line"]))
        assert r["file"] is None or r["file"].endswith(".py")
    return sorted(tuple(c) for c in out.values())


def test_model_built_twice_points_at_second_call(tmp_path):
    path, L = write(tmp_path, "twice.py", TWICE)
    trace = str(tmp_path / "twice.db")
    rc, out, err = run_recorded(path, trace)
    assert rc == 1 and "ValueError: Variable model/w already exists" in err
    # every call site's stack, from the script's Python frames only (no
    # frame of vstrace, runpy or CPython); a `with` block's exit is a call
    # made at the `with` line
    first = [("main", L["first"]), ("<module>", L["main"])]
    second = [("main", L["second"]), ("<module>", L["main"])]
    assert chains(trace) == sorted([
        (("main", L["placeholder"]), ("<module>", L["main"])),
        tuple([("build_model", L["scope"])] + first),
        tuple([("dense", L["get"]), ("build_model", L["dense"])] + first),
        tuple([("dense", L["matmul"]), ("build_model", L["dense"])] + first),
        tuple([("build_model", L["scope"])] + second),
        tuple([("dense", L["get"]), ("build_model", L["dense"])] + second),
    ])
    rc, out, err = vscheck(trace)
    assert rc == 1
    errors = [l for l in out.splitlines() if ": error: " in l]
    assert len(errors) == 1 and "[VS113 model-built-twice]" in errors[0]
    assert errors[0].startswith("%s:%d:1: error: " % (path, L["second"]))
    p = subprocess.run([os.path.join(BUILD, "vscheck"), "--no-config", "--format", "json", trace],
                       cwd=ROOT, capture_output=True, text=True)
    f = [x for x in json.loads(p.stdout)["findings"] if x["code"] == "VS113"][0]
    assert (f["file"], f["line"], f["function"]) == (path, L["second"], "main")
    assert [(s["function"], s["file"], s["line"]) for s in f["stack"]] == [
        ("dense", path, L["get"]), ("build_model", path, L["dense"]),
        ("main", path, L["second"]), ("<module>", path, L["main"])]
    assert [(s["function"], s["line"]) for s in f["related_stack"]] == [
        ("dense", L["get"]), ("build_model", L["dense"])] + first


def test_show_stacks_prints_the_python_chain(tmp_path):
    path, L = write(tmp_path, "twice.py", TWICE)
    trace = str(tmp_path / "twice.db")
    run_recorded(path, trace)
    p = subprocess.run([os.path.join(BUILD, "vstrace"), "show", "--stacks", trace],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    lines = [l.strip() for l in p.stdout.splitlines()]
    i = lines.index(next(l for l in lines if 'get_variable "model/w"' in l))
    assert lines[i + 1:i + 5] == [
        "#0 dense %s:%d" % (path, L["get"]), "#1 build_model %s:%d" % (path, L["dense"]),
        "#2 main %s:%d" % (path, L["first"]), "#3 <module> %s:%d" % (path, L["main"])]


def test_stack_after_a_callback_is_the_outer_calls(tmp_path):
    # a custom getter (Python called back from libvs) makes its own call with
    # its own stack; the rest of the layer call keeps the layer call's stack
    path, L = write(tmp_path, "getter.py", GETTER)
    trace = str(tmp_path / "getter.db")
    rc, out, err = run_recorded(path, trace)
    assert rc == 0, err
    outer = [("build", L["dense"]), ("<module>", L["build"])]
    rows = query(trace, "SELECT DISTINCT stack FROM events WHERE line = %d" % L["dense"])
    assert len(rows) == 1
    assert chains(trace) == sorted([
        (("<module>", L["build"]),),
        (("build", L["scope"]), ("<module>", L["build"])),
        tuple(outer),
        (("my_getter", L["inner"]),) + tuple(outer),
    ])


def test_thread_stack_starts_at_its_target(tmp_path):
    path, L = write(tmp_path, "threads.py", THREADS)
    trace = str(tmp_path / "threads.db")
    rc, out, err = run_recorded(path, trace)
    assert rc == 0, err
    assert chains(trace) == sorted([(("tower", L["get"]),), (("tower", L["scope"]),)])
    rows = query(trace, "SELECT DISTINCT tid, stack FROM events WHERE line = %d" % L["get"])
    assert len(rows) == 2 and len(set(r["stack"] for r in rows)) == 1


def test_no_stacks(tmp_path):
    path, L = write(tmp_path, "twice.py", TWICE)
    trace = str(tmp_path / "twice.db")
    cmd = [os.path.join(BUILD, "vstrace"), "record", "--no-stacks", "-f", "-o", trace, "--",
           os.environ.get("VSTRACE_PYTHON", sys.executable), "-m", "vstrace.run", path]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 1, p.stderr
    assert query(trace, "SELECT COUNT(*) AS n FROM stacks") == [{"n": 0}]
    assert query(trace, "SELECT COUNT(*) AS n FROM events WHERE stack > 0") == [{"n": 0}]
    rc, out, err = vscheck(trace)  # without stacks: at the get_variable line
    assert [l for l in out.splitlines() if ": error: " in l][0].startswith(
        "%s:%d:1: error: " % (path, L["get"]))


def test_stack_depth_limits_the_python_frames(tmp_path):
    # VSTRACE_STACK_DEPTH=N: the site and N-1 enclosing frames, innermost first
    path, L = write(tmp_path, "twice.py", TWICE)
    trace = str(tmp_path / "twice.db")
    env = dict(os.environ, VSTRACE_STACK_DEPTH="2")
    cmd = [os.path.join(BUILD, "vstrace"), "record", "-f", "-o", trace, "--",
           os.environ.get("VSTRACE_PYTHON", sys.executable), "-m", "vstrace.run", path]
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert p.returncode == 1, p.stderr
    assert chains(trace) == sorted(set([
        (("main", L["placeholder"]), ("<module>", L["main"])),
        (("build_model", L["scope"]), ("main", L["first"])),
        (("build_model", L["scope"]), ("main", L["second"])),
        (("dense", L["get"]), ("build_model", L["dense"])),
        (("dense", L["matmul"]), ("build_model", L["dense"])),
    ]))
