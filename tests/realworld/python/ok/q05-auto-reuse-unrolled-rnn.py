# source: https://github.com/tensorflow/tensorflow/issues/1317 (the
# reporter's DO_SHARE workaround, which AUTO_REUSE replaced)
# Every time step enters the cell scope with reuse=tf.AUTO_REUSE: the first
# step creates, the others share.
import tensorflow as tf

num_steps, n_in, n_hidden = 3, 32, 128
inputs = [tf.placeholder(tf.float32, [None, n_in]) for _ in range(num_steps)]
h = tf.zeros([1, n_hidden])
for t in range(num_steps):
    with tf.variable_scope("rnn_cell", reuse=tf.AUTO_REUSE):
        W_xh = tf.get_variable("W_xh", [n_in, n_hidden])
        W_hh = tf.get_variable("W_hh", [n_hidden, n_hidden])
        h = tf.tanh(tf.matmul(inputs[t], W_xh) + tf.matmul(h, W_hh))
