# source: https://github.com/tensorflow/tensorflow/issues/5827 (the
# example from https://github.com/tensorflow/tensorflow/issues/2740)
# f(v) applies an ExponentialMovingAverage to v = W + 1.  Called inside
# variable_scope('s', reuse=True) to share W, the moving average's own
# variables (named after the op, 's_1/add') are created under reuse too:
# "Variable s/s_1/add/ExponentialMovingAverage/ does not exist".  A TF
# developer's advice: keep the EMA out of reuse=True scopes.
# RAISES: ValueError: Variable s/s_1/add/ExponentialMovingAverage/ does not exist
import tensorflow as tf


def f(v):
    ema = tf.train.ExponentialMovingAverage(decay=0.99)
    update = ema.apply([v])
    return ema.average(v), update


with tf.variable_scope("s"):
    W = tf.get_variable("W", [])
    v1 = W + 1
    avg1, up1 = f(v1)

with tf.variable_scope("s", reuse=True):  # EXPECT: any
    W = tf.get_variable("W", [])
    v2 = W + 1
    avg2, up2 = f(v2)  # EXPECT: any
