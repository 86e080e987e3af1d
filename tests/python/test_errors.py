"""TF's exception classes and exact messages, raised from Python for the
errors libvs models (texts: docs/semantics.md, TF 1.15's)."""
import pytest

import vstrace.tf as tf


def _e12():
    with tf.variable_scope(None):
        pass


def _e16():
    with tf.variable_scope(None, default_name="x", reuse=True):
        pass


def _e14():
    with tf.variable_scope("x", auxiliary_name_scope=1):
        pass


def _e15():
    with tf.variable_scope(3):
        pass


def _e9():
    with tf.variable_scope("x", custom_getter=3):
        tf.get_variable("v", [1])


def _e17():
    a, b = tf.variable_scope("a"), tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    a.__exit__(None, None, None)


def _e21():
    with tf.name_scope(None, None, values=[1]):
        pass


def _e23():
    t = tf.make_template("t", lambda: tf.Variable(1.0, name="v"))
    t()
    t()


def _none_creator():
    with tf.variable_creator_scope(lambda next_creator, **kw: None):
        tf.get_variable("v", [1])


def _reset_in_function():
    tf.function(lambda: tf.reset_default_graph())()


CASES = [
    (_e12, TypeError, "If default_name is None then name_or_scope is required"),
    (_e16, ValueError, "reuse=True cannot be used without a name_or_scope"),
    (_e14, TypeError, "The auxiliary_name_scope must be `True` or `False`, while get 1"),
    (_e15, TypeError, "VariableScope: name_or_scope must be a string or VariableScope."),
    (_e9, ValueError, "Passed a custom_getter which is not callable: 3"),
    (lambda: tf.get_variable("v", [4], partitioner=3), ValueError,
     "Partitioner must be callable, but received: 3"),
    (lambda: tf.get_variable("v", [2], initializer=tf.constant([1.0, 2.0])), ValueError,
     "If initializer is a constant, do not specify shape."),
    (lambda: tf.get_variable("v", initializer=tf.constant([1, 2]), dtype=tf.float32),
     ValueError, "Initializer type '<dtype: 'int32'>' and explicit dtype '<dtype: 'float32'>' "
     "don't match."),
    (lambda: tf.get_variable("v", [2], dtype=tf.complex64), ValueError,
     "An initializer for variable v of <dtype: 'complex64'> is required"),
    (_e17, RuntimeError, "Improper nesting of variable_scope."),
    (_e21, ValueError, "At least one of name (None) and default_name (None) must be provided."),
    (lambda: tf.make_template(None, lambda: None), ValueError, "name cannot be None."),
    (_none_creator, AttributeError, "'NoneType' object has no attribute 'name'"),
    (_reset_in_function, AssertionError,
     "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
     "graph, exit the nesting and create a new graph."),
]


@pytest.mark.parametrize("fn,cls,msg", CASES, ids=[c[2][:40] for c in CASES])
def test_tf_error(fn, cls, msg):
    with pytest.raises(cls) as e:
        fn()
    assert str(e.value) == msg


def test_template_trainable_after_first_call():
    with pytest.raises(ValueError) as e:
        _e23()
    assert str(e.value).startswith(
        "Trainable variable created when calling a template after the first time, perhaps "
        "you used tf.Variable when you meant tf.get_variable: [")
