"""The extension's two pointer-keyed tables (python/_vs.c, both libvs's
rt_map): code object -> where its frames are (file, function, shim or not),
and vs_var * -> its one Python Variable object.  Each must give the right
entry among many (the tables grow from 16 slots), keep the objects it is
keyed by alive, and let them go when it is cleared."""
import gc
import weakref

import vstrace.tf as tf
from vstrace import _vs
from vstrace.tf import _core

N = 600  # enough to double a 16-slot table six times


def make_site_fns(n):
    """n functions, each from its own file and name, returning _vs.site()
    from line 2 + i % 5 of that file."""
    fns = []
    for i in range(n):
        src = "def fn_%d():\n%s    return site()\n" % (i, "\n" * (i % 5))
        ns = {"site": _vs.site}
        exec(compile(src, "/gen/file_%d.py" % i, "exec"), ns)
        fns.append(ns["fn_%d" % i])
    return fns


def test_site_of_many_code_objects():
    fns = make_site_fns(N)
    want = [("/gen/file_%d.py" % i, 2 + i % 5, "fn_%d" % i) for i in range(N)]
    assert [f() for f in fns] == want      # first call: each code object added
    assert [f() for f in reversed(fns)] == want[::-1]  # then found, not mixed up


def test_code_table_keeps_code_objects_until_setup():
    (fn,) = make_site_fns(1)
    assert fn() == ("/gen/file_0.py", 2, "fn_0")
    ref = weakref.ref(fn.__code__)
    del fn
    gc.collect()
    assert ref() is not None  # the table holds it: its address stays its own
    _vs.setup(_core._shim_dirs(), _core._var_factory, _core._getter_dispatch,
              _core._creator_dispatch, _core._add_regularization_loss, _core._get_variable)
    gc.collect()
    assert ref() is None
    assert make_site_fns(3)[2]() == ("/gen/file_2.py", 4, "fn_2")  # refilled after clearing


def test_one_object_per_variable_among_many():
    with tf.variable_scope("m"):
        made = [tf.get_variable("v%d" % i, [1]) for i in range(N)]
    with tf.variable_scope("m", reuse=True):
        again = [tf.get_variable("v%d" % i, [1]) for i in reversed(range(N))]
    assert all(a is b for a, b in zip(made, reversed(again)))
    assert [v.name for v in made[:2]] == ["m/v0:0", "m/v1:0"]
    listed = tf.global_variables()
    assert len(listed) == N and all(a is b for a, b in zip(listed, made))


def test_variable_table_keeps_objects_until_reset():
    v = tf.get_variable("w", [2])
    ref = weakref.ref(v)
    del v
    gc.collect()
    assert ref() is not None
    with tf.variable_scope("", reuse=True):
        assert tf.get_variable("w", [2]) is ref()
    _core._reset_runtime()
    gc.collect()
    assert ref() is None
    w = tf.get_variable("w", [2])  # a fresh runtime: a new variable and object
    assert w.name == "w:0" and tf.global_variables() == [w]
