# source: https://github.com/tensorflow/tensorflow/issues/13713
# `with tf.variable_scope("test_scope", reuse=True) as scope: pass`, then
# `with tf.variable_scope(scope, reuse=False)` to create a new variable: the
# re-entered scope keeps the captured reuse=True (reuse=False cannot turn it
# off), so "Variable test_scope/v does not exist".
# RAISES: ValueError: Variable test_scope/v does not exist
import tensorflow as tf

with tf.variable_scope("test_scope", reuse=True) as scope:
    pass

with tf.variable_scope(scope, reuse=False):  # EXPECT: any
    v = tf.get_variable("v", [1], initializer=tf.zeros_initializer())
print(v.name)
