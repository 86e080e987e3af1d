"""vscheck on Python programs where the shim's call stacks decide the line:
a shared variable asked for with another shape by the very line that made
it (a helper reached from two calls) is reported at the call where the two
paths part; unnamed tf.layers re-enter their captured default-named scope,
and an AUTO_REUSE scope around two of them shares nothing (VS114)."""
from conftest import run_recorded, vscheck


def _findings(tmp_path, src):
    script = tmp_path / "prog.py"
    script.write_text(src)
    trace = str(tmp_path / "t.db")
    rc, out, err = run_recorded(str(script), trace)
    rc, out, err = vscheck(trace)
    return [l for l in out.splitlines() if ": warning: " in l or ": error: " in l]


def test_shape_mismatch_from_one_helper_points_at_the_second_call(tmp_path):
    found = _findings(tmp_path, (
        "import tensorflow as tf\n"                                            # 1
        "def linear(x, n):\n"                                                  # 2
        "    with tf.variable_scope('lin'):\n"                                 # 3
        "        m = tf.get_variable('Matrix', [x.get_shape()[1], n])\n"       # 4
        "        return tf.matmul(x, m)\n"                                     # 5
        "def disc(x, reuse=False):\n"                                          # 6
        "    with tf.variable_scope('d', reuse=reuse):\n"                      # 7
        "        return linear(tf.reshape(x, [8, -1]), 1)\n"                   # 8
        "disc(tf.placeholder(tf.float32, [8, 28, 28]))\n"                      # 9
        "disc(tf.placeholder(tf.float32, [8, 32, 32]), reuse=True)\n"))        # 10
    assert len(found) == 1
    assert "prog.py:10:1: error: Trying to share variable d/lin/Matrix, but specified " \
           "shape (1024, 1) and found shape (784, 1). [VS103 share-shape-mismatch]" in found[0]


def test_shape_mismatch_from_two_lines_stays_at_the_second_line(tmp_path):
    found = _findings(tmp_path, (
        "import tensorflow as tf\n"                                            # 1
        "with tf.variable_scope('s'):\n"                                       # 2
        "    tf.get_variable('w', [3])\n"                                      # 3
        "with tf.variable_scope('s', reuse=True):\n"                           # 4
        "    tf.get_variable('w', [4])\n"))                                    # 5
    assert len(found) == 1 and "prog.py:5:1: error: Trying to share variable s/w" in found[0]


def test_unnamed_layers_in_one_auto_reuse_scope_share_nothing(tmp_path):
    found = _findings(tmp_path, (
        "import tensorflow as tf\n"                                            # 1
        "x = tf.placeholder(tf.float32, [None, 8, 8, 3])\n"                    # 2
        "with tf.variable_scope('scope', reuse=tf.AUTO_REUSE):\n"              # 3
        "    a = tf.layers.conv2d(x, 4, 3)\n"                                  # 4
        "    b = tf.layers.conv2d(x, 4, 3)\n"))                                # 5
    assert len(found) == 1
    assert ("prog.py:3:1: warning: variable_scope('scope', reuse=tf.AUTO_REUSE) at "
            in found[0]) and ("prog.py:3 shares nothing: default_name 'conv2d' was "
                              "uniquified to 'scope/conv2d_1', so 'scope/conv2d_1/kernel' is "
                              "created instead of reusing 'scope/conv2d/kernel'" in found[0])
