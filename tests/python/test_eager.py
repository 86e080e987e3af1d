"""Eager mode, EagerVariableStore, tf.function and GradientTape from Python."""
import vstrace.tf as tf


def test_eager_store_shares_and_plain_eager_does_not():
    with tf.eager_mode():
        assert tf.executing_eagerly()
        store = tf.EagerVariableStore()
        with store.as_default():
            with tf.variable_scope("m"):
                a = tf.get_variable("w", [2])
            with tf.variable_scope("m", reuse=True):
                b = tf.get_variable("w", [2])
        assert a is b and a.name == "m/w:0" and a.graph is None
        assert [v.name for v in store.variables()] == ["m/w:0"]
        assert [v.name for v in store.copy().trainable_variables()] == ["m/w:0"]
        c1, c2 = tf.get_variable("x", [1]), tf.get_variable("x", [1])
        assert c1 is not c2 and c1.name == c2.name == "x:0"
    assert not tf.executing_eagerly()


def test_function_traced_once_per_signature():
    calls = []

    @tf.function
    def step(x):
        calls.append(1)
        with tf.init_scope():
            tf.Variable(1.0, name="lifted")
        return x * 2
    x = tf.placeholder(tf.float32, [3])
    y1, y2 = step(x), step(x)
    assert len(calls) == 1
    assert (y1.name, y2.name) == ("StatefulPartitionedCall:0", "StatefulPartitionedCall_1:0")
    assert y1.shape.as_list() == [3]
    assert [v.name for v in tf.global_variables()] == ["lifted:0"]
    step(tf.placeholder(tf.float32, [4]))
    assert len(calls) == 2


def test_gradient_tape():
    with tf.GradientTape() as tape:
        w = tf.get_variable("w", [2])
        with tape.stop_recording():
            pass
    g = tape.gradient(w, [w])
    assert len(g) == 1 and g[0].shape.as_list() == [2]
