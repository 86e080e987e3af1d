# source: https://github.com/tensorflow/tensorflow/issues/8626
# model(x, reuse=None) opens variable_scope('foo', reuse=reuse) and calls
# tcl.conv2d(x, 3, 3, 1) without a scope; the script calls model() twice and
# never passes reuse=True.  The second call lands on foo/Conv again and TF
# raises "Variable foo/Conv/weights already exists, disallowed".
# RAISES: ValueError: Variable foo/Conv/weights already exists
import tensorflow as tf
import tensorflow.contrib.layers as tcl


def model(x, reuse=None):
    with tf.variable_scope("foo", reuse=reuse):
        return tcl.conv2d(x, 3, 3, 1)


x1 = tf.placeholder(tf.float32, [1, 8, 8, 3])
x2 = tf.placeholder(tf.float32, [1, 8, 8, 3])
y1 = model(x1)
y2 = model(x2)  # EXPECT: any
