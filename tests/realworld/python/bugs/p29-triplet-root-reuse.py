# source: https://github.com/tensorflow/tensorflow/issues/21657
# A triplet network: the anchor tower is built, then
# tf.get_variable_scope().reuse_variables() at top level so that the
# positive and negative towers share it; AdamOptimizer.minimize then has to
# create its slots under a root scope that reuses: "Variable
# net/fc1/kernel/Adam/ does not exist".  Build the shared towers under
# variable_scope(..., reuse=True) instead.
# RAISES: ValueError: Variable net/fc1/kernel/Adam/ does not exist
import tensorflow as tf


def tower(x):
    with tf.variable_scope("net"):
        h = tf.layers.dense(x, 64, activation=tf.nn.relu, name="fc1")
        return tf.layers.dense(h, 16, name="fc2")


anchor = tf.placeholder(tf.float32, [None, 128])
positive = tf.placeholder(tf.float32, [None, 128])
negative = tf.placeholder(tf.float32, [None, 128])
a = tower(anchor)
tf.get_variable_scope().reuse_variables()  # EXPECT: any
p = tower(positive)
n = tower(negative)
d_pos = tf.reduce_sum(tf.square(a - p), 1)
d_neg = tf.reduce_sum(tf.square(a - n), 1)
loss = tf.reduce_mean(tf.maximum(0.0, 0.2 + d_pos - d_neg))
optimizer = tf.train.AdamOptimizer(1e-3).minimize(loss)
