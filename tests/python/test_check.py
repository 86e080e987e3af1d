"""vstrace.check: a build function runs in a fresh runtime under vstrace
record and comes back as vscheck findings pointing at this file."""
import vstrace
import vstrace.tf as tf


def good_model():
    with tf.variable_scope("d"):
        tf.get_variable("w", [2])
    with tf.variable_scope("d", reuse=True):
        tf.get_variable("w", [2])


def root_reuse_model():
    with tf.variable_scope("d"):
        tf.get_variable("w", [2])
    tf.get_variable_scope().reuse_variables()  # the line VS105 names
    with tf.variable_scope("d", reuse=False):
        tf.get_variable("w", [2])


def failing_model(n):
    for _ in range(n):
        tf.get_variable("v", [1])  # the second pass raises TF's ValueError


def _line(marker):
    with open(__file__) as f:
        return [i for i, l in enumerate(f, 1) if marker in l][0]


def test_check_clean():
    f = vstrace.check(good_model, config=None)
    assert f.errors == [] and f.warnings == [] and f.returncode == 0


def test_check_points_at_this_file():
    f = vstrace.check(root_reuse_model, config=None)
    assert f.errors == []
    w = [x for x in f.warnings if x.code == "VS105"]
    assert len(w) == 1
    assert w[0].file.endswith("test_check.py") and w[0].line == _line("the line VS105 names")
    assert w[0].function == "root_reuse_model" and w[0].severity == "warning"


def test_check_failing_build():
    f = vstrace.check(failing_model, config=None, args=(2,))
    assert f.returncode == 1
    assert f.error.startswith("ValueError: Variable v already exists, disallowed.")
    assert [x.code for x in f.errors] == ["VS113"]
    assert f.errors[0].line == _line("the second pass raises")
    # the Python stack ends at the build function: vstrace's runner and the
    # interpreter's launcher (runpy) are not frames of the program
    here = f.errors[0].file
    assert here.endswith("test_check.py")
    assert f.errors[0].stack == [("failing_model", here, _line("the second pass raises"))]
