"""vstrace.tf's core from Python: TF's names, exception classes and exact
messages for what libvs models (the messages are TF 1.15's, see
docs/semantics.md), call sites from the user's file."""
import pytest

import vstrace.tf as tf
from vstrace import _vs
from vstrace.tf import _core


def names(vs):
    return [v.name for v in vs]


def test_nested_scopes_and_reuse():
    with tf.variable_scope("foo"):
        with tf.variable_scope("bar"):
            v = tf.get_variable("v", [1])
    assert v.name == "foo/bar/v:0"
    assert v.shape.as_list() == [1] and v.dtype == tf.float32
    with tf.variable_scope("foo", reuse=True):
        assert tf.get_variable("bar/v", [1]) is v


def test_already_exists_is_valueerror_with_tf_message():
    tf.get_variable("v", [1])
    with pytest.raises(ValueError) as e:
        tf.get_variable("v", [1])
    assert str(e.value).startswith(
        "Variable v already exists, disallowed. Did you mean to set reuse=True or "
        "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:")


def test_reuse_missing_is_valueerror():
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError) as e:
            tf.get_variable("w", [2])
    assert str(e.value) == ("Variable s/w does not exist, or was not created with "
                            "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                            "VarScope?")


def test_shape_mismatch_on_reuse():
    with tf.variable_scope("s"):
        tf.get_variable("w", [2, 3])
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError) as e:
            tf.get_variable("w", [3, 3])
    assert str(e.value) == ("Trying to share variable s/w, but specified shape (3, 3) and "
                            "found shape (2, 3).")


def test_auto_reuse():
    def f():
        with tf.variable_scope("a", reuse=tf.AUTO_REUSE):
            return tf.get_variable("x", [1])
    assert f() is f()
    assert names(tf.global_variables()) == ["a/x:0"]


def test_default_name_uniquified_and_name_scope():
    with tf.variable_scope(None, default_name="layer") as s1:
        pass
    with tf.variable_scope(None, default_name="layer") as s2:
        pass
    assert (s1.name, s2.name) == ("layer", "layer_1")
    with tf.name_scope("layer") as ns:
        assert ns == "layer_2/"
        assert tf.get_name_scope() == "layer_2"


def test_captured_scope_and_reuse_variables():
    with tf.variable_scope("model") as scope:
        w = tf.get_variable("w", [3])
    with tf.variable_scope(scope, reuse=True):
        assert tf.get_variable("w", [3]) is w
    with tf.variable_scope("other") as o:
        o.reuse_variables()
        assert o.reuse is True
        with pytest.raises(ValueError):
            tf.get_variable("z", [1])


def test_ops_named_in_name_scope_with_shapes():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    with tf.name_scope("layer"):
        w = tf.get_variable("w", [784, 10])
        y = tf.matmul(x, w)
        z = tf.nn.relu(y)
    assert (x.name, y.name, z.name) == ("x:0", "layer/MatMul:0", "layer/Relu:0")
    assert str(z.shape) == "(?, 10)"
    assert w.name == "w:0"  # get_variable ignores name scopes
    c = tf.concat([x, x], axis=1)
    assert c.shape.as_list() == [None, 1568]
    r = tf.reshape(tf.zeros([4, 6]), [-1, 3])
    assert r.shape.as_list() == [8, 3]
    assert tf.reduce_mean(z, axis=1, keepdims=True).shape.as_list() == [None, 1]
    img = tf.placeholder(tf.float32, [8, 32, 32, 3])
    k = tf.get_variable("k", [5, 5, 3, 16])
    conv = tf.nn.conv2d(img, k, [1, 2, 2, 1], "SAME")
    assert conv.shape.as_list() == [8, 16, 16, 16]
    assert tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").shape.as_list() == \
        [8, 8, 8, 16]
    assert tf.squeeze(tf.expand_dims(x, 0), [0]).shape.as_list() == [None, 784]
    u = tf.some_unmodelled_op(x)
    assert u.shape.ndims is None


def test_matmul_shape_error():
    a = tf.placeholder(tf.float32, [2, 3])
    b = tf.placeholder(tf.float32, [4, 5])
    with pytest.raises(ValueError) as e:
        tf.matmul(a, b)
    assert "Dimensions must be equal, but are 3 and 4" in str(e.value)


def test_variable_uses_name_scope_and_collections():
    with tf.variable_scope("vs"):
        with tf.name_scope("ns"):
            v = tf.Variable(1.0, name="v")
            g = tf.get_variable("g", [], trainable=False)
    assert v.name == "vs/ns/v:0"
    assert g.name == "vs/g:0"
    assert names(tf.trainable_variables()) == ["vs/ns/v:0"]
    assert names(tf.global_variables()) == ["vs/ns/v:0", "vs/g:0"]
    loc = tf.get_local_variable("l", [2])
    assert names(tf.local_variables()) == [loc.name] == ["l:0"]
    assert names(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="vs/ns")) == \
        ["vs/ns/v:0"]


def test_custom_getter_and_creator():
    seen = []

    def getter(getter, name, *args, **kwargs):
        seen.append((name, kwargs["shape"].as_list()))
        return getter(name, *args, **kwargs)
    with tf.variable_scope("g", custom_getter=getter):
        v = tf.get_variable("w", [2])
    assert seen == [("g/w", [2])] and v.name == "g/w:0"

    made = []

    def creator(next_creator, **kwargs):
        made.append(kwargs["name"])
        return next_creator(**kwargs)
    with tf.variable_creator_scope(creator):
        tf.Variable(0.0, name="c")
    assert made == ["c"]


def test_callback_exception_propagates_unchanged():
    class Boom(Exception):
        pass

    def getter(getter, name, *args, **kwargs):
        raise Boom("from getter")
    with tf.variable_scope("g", custom_getter=getter):
        with pytest.raises(Boom):
            tf.get_variable("w", [1])
    assert tf.global_variables() == []


def test_make_template_shares():
    def f(x):
        w = tf.get_variable("w", [1])
        return w
    t = tf.make_template("tmpl", f)
    assert t(1) is t(2)
    assert names(t.trainable_variables) == ["tmpl/w:0"]


def test_cond_and_while_call_bodies_once():
    calls = []
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: calls.append("t") or tf.constant(1.0),
                lambda: calls.append("f") or tf.constant(2.0))
    assert calls == ["t", "f"] and r.name.startswith("cond/")
    i = tf.constant(0)
    out = tf.while_loop(lambda i: i < 10, lambda i: calls.append("b") or i + 1, [i])
    assert calls.count("b") == 1 and out.name.startswith("while/")


def test_init_scope_control_dependencies():
    a = tf.constant(1.0)
    with tf.control_dependencies([a]):
        assert _vs.context_info()[3] == 1
        with tf.init_scope():
            assert _vs.context_info()[3] == 0


def test_graphs_are_separate():
    g = tf.Graph()
    with g.as_default():
        v = tf.get_variable("v", [1])
        assert tf.get_default_graph() is g
    assert v.graph is g
    tf.get_variable("v", [1])  # another graph: no clash
    tf.reset_default_graph()
    tf.get_variable("v", [1])


def test_call_site_is_this_file():
    f, line, fn = _vs.site()
    assert f.endswith("test_core.py") and fn == "test_call_site_is_this_file"


def test_session_run_returns_stand_ins_and_warns_once():
    with tf.Session() as sess:
        with pytest.warns(UserWarning, match="does not execute"):
            assert sess.run(tf.constant(1.0)) is _core.FETCHED


def test_compat_v1_is_the_module():
    assert tf.compat.v1.get_variable is tf.get_variable
    assert tf.compat.v1.AUTO_REUSE is tf.AUTO_REUSE


def test_partitioned_variable():
    v = tf.get_variable("p", [10, 4], partitioner=tf.fixed_size_partitioner(2))
    assert [s.name for s in v] == ["p/part_0:0", "p/part_1:0"]
    assert [s.shape.as_list() for s in v] == [[5, 4], [5, 4]]


def test_regularizer_adds_loss():
    tf.get_variable("r", [3], regularizer=tf.contrib.layers.l2_regularizer(0.1))
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1


def test_get_variable_argument_parsing():
    v = tf.get_variable(name="kw", shape=[2], dtype=tf.float32, trainable=False)
    assert v.name == "kw:0" and not v.trainable
    p = tf.get_variable("pos", [3], tf.int32)
    assert p.dtype == tf.int32
    d = tf.get_variable("dim", tf.placeholder(tf.float32, [None, 4]).shape[1:])
    assert d.shape.as_list() == [4]
    with pytest.raises(TypeError) as e:
        tf.get_variable("x", [1], bogus=1)
    assert str(e.value) == "get_variable() got an unexpected keyword argument 'bogus'"
    with pytest.raises(TypeError) as e:
        tf.get_variable("x", name="y")
    assert str(e.value) == "get_variable() got multiple values for argument 'name'"
    with pytest.raises(TypeError) as e:
        tf.get_variable(shape=[1])
    assert str(e.value) == "get_variable() missing 1 required positional argument: 'name'"


def test_runner_import_forms(tmp_path):
    import subprocess
    import sys
    import textwrap
    import os
    src = textwrap.dedent("""
        import tensorflow.compat.v1 as tf
        import tensorflow as tf2
        from tensorflow.keras.layers import Dense
        from tensorflow.contrib import rnn
        import tensorflow.contrib.slim as slim
        assert tf is tf2 and rnn.BasicLSTMCell is tf.nn.rnn_cell.BasicLSTMCell
        x = tf.placeholder(tf.float32, [None, 4])
        print(Dense(3)(x).name, slim.fully_connected(x, 3).shape.as_list(),
              tf.contrib.foo.bar(x).shape.ndims)
    """)
    script = tmp_path / "imports.py"
    script.write_text(src)
    p = subprocess.run([sys.executable, "-m", "vstrace.run", str(script)], text=True,
                       capture_output=True, env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    assert p.stdout == "dense/BiasAdd:0 [None, 3] None\n"


def test_graph_helpers_and_control_flow_ops():
    g = tf.get_default_graph()
    assert g.unique_name("foo") == "foo" and g.unique_name("foo") == "foo_1"
    x = tf.placeholder(tf.float32, [5, 3], name="inp")
    assert g.get_tensor_by_name("inp:0") is x
    assert g.get_operation_by_name("inp") is x.op
    m = tf.map_fn(lambda row: row * 2.0, x)
    assert m.shape.as_list() == [5, 3] and m.name.startswith("map/")
    r = tf.case([(tf.constant(True), lambda: tf.constant(1.0))], default=lambda: tf.constant(2.0))
    assert r.name.startswith("case/")
    with tf.control_dependencies([x]):
        with tf.control_dependencies(None):
            assert _vs.context_info()[3] == 0
        assert _vs.context_info()[3] == 1
    with tf.variable_op_scope([x], None, default_name="vop") as s:
        assert s.name == "vop"


def test_training_script_runs_through(tmp_path):
    """flags, tf.app.run, summaries and a Session loop that unpacks run()."""
    import os
    import subprocess
    import sys
    script = tmp_path / "train.py"
    script.write_text(
        "import tensorflow as tf\n"
        "tf.app.flags.DEFINE_integer('hidden', 32, 'units')\n"
        "tf.app.flags.DEFINE_boolean('bn', False, 'batch norm')\n"
        "FLAGS = tf.app.flags.FLAGS\n"
        "def main(argv):\n"
        "    x = tf.placeholder(tf.float32, [None, 8])\n"
        "    h = tf.layers.dense(x, FLAGS.hidden, name='h')\n"
        "    if FLAGS.bn:\n"
        "        h = tf.layers.batch_normalization(h, training=True)\n"
        "    loss = tf.reduce_mean(h)\n"
        "    tf.summary.scalar('loss', loss)\n"
        "    merged = tf.summary.merge_all()\n"
        "    train_op = tf.train.AdamOptimizer().minimize(loss)\n"
        "    with tf.Session() as sess:\n"
        "        writer = tf.summary.FileWriter('/nonexistent', sess.graph)\n"
        "        for step in range(3):\n"
        "            _, l, s = sess.run([train_op, loss, merged])\n"
        "            assert (_, s) == (None, None) and '%.3f' % l == 'nan'\n"
        "            writer.add_summary(s, step)\n"
        "    print(argv[1:], [v.name for v in tf.trainable_variables()])\n"
        "    return 0\n"
        "if __name__ == '__main__':\n"
        "    tf.app.run()\n")
    p = subprocess.run([sys.executable, "-m", "vstrace.run", str(script), "--hidden=16", "--bn",
                        "rest"], capture_output=True, text=True, env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    assert p.stdout == ("['rest'] ['h/kernel:0', 'h/bias:0', 'batch_normalization/gamma:0', "
                        "'batch_normalization/beta:0']\n")
    assert p.stderr.count("Session.run does not execute the graph") == 1
