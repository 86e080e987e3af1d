# source: https://github.com/tensorflow/tensorflow/issues/1317
# The RNN step's scope is opened with reuse=True from the very first step,
# so its first get_variable("w") has nothing to reuse: "Variable rnnscope/w
# does not exist".  The first step must create (reuse=(t > 0), or
# AUTO_REUSE).
# RAISES: ValueError: Variable rnnscope/w does not exist
import tensorflow as tf

num_steps = 5
inputs = [tf.placeholder(tf.float32, [1, 1]) for _ in range(num_steps)]

with tf.variable_scope("scope1"):
    x = tf.get_variable("x", [1, 1])

state = tf.zeros([1, 1])
for t in range(num_steps):
    with tf.variable_scope("rnnscope", reuse=True):  # EXPECT: any
        w = tf.get_variable("w", [1, 1])
        state = tf.tanh(tf.matmul(inputs[t], x) + tf.matmul(state, w))
