# source: https://github.com/tensorflow/models/pull/911 (fix for
# https://github.com/tensorflow/tensorflow/issues/6220)
# The tower loop runs inside `with tf.variable_scope(tf.get_variable_scope()):`;
# reuse_variables() switches that re-entered copy, not the root scope, so
# the reuse does not leak into apply_gradients() after the loop.
import tensorflow as tf


def inference(images):
    with tf.variable_scope("conv1"):
        kernel = tf.get_variable("weights", [5, 5, 3, 64],
                                 initializer=tf.truncated_normal_initializer(stddev=5e-2))
        biases = tf.get_variable("biases", [64], initializer=tf.constant_initializer(0.0))
        conv = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME"), biases))
    return tf.reduce_mean(conv, [1, 2])


images = tf.placeholder(tf.float32, [128, 24, 24, 3])
opt = tf.train.AdamOptimizer(1e-3)
tower_grads = []
with tf.variable_scope(tf.get_variable_scope()):
    for i in range(2):
        with tf.device("/gpu:%d" % i):
            with tf.name_scope("tower_%d" % i) as scope:
                loss = tf.reduce_mean(inference(images))
                tf.get_variable_scope().reuse_variables()
                tower_grads.append(opt.compute_gradients(loss))
grads = [(tf.reduce_mean(tf.stack([g for g, _ in gv]), 0), gv[0][1]) for gv in zip(*tower_grads)]
apply_gradient_op = opt.apply_gradients(grads, global_step=tf.train.get_or_create_global_step())
