# source: https://github.com/tensorflow/tensorflow/issues/11637
# A DCGAN discriminator written the carpedm20 way: `if reuse:
# tf.get_variable_scope().reuse_variables()` before its layers, i.e. on the
# root scope.  The user then wraps the optimizers in
# `with tf.variable_scope(tf.get_variable_scope(), reuse=None)`, which keeps
# the root's reuse: "Variable d_bn2/beta/Adam/ does not exist".
# RAISES: ValueError: Variable d_h0_conv/w/Adam/ does not exist
import tensorflow as tf

batch_size, output_size, c_dim, df_dim = 64, 64, 3, 64


def conv2d(input_, output_dim, k_h=5, k_w=5, d_h=2, d_w=2, stddev=0.02, name="conv2d"):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [k_h, k_w, input_.get_shape()[-1], output_dim],
                            initializer=tf.truncated_normal_initializer(stddev=stddev))
        conv = tf.nn.conv2d(input_, w, strides=[1, d_h, d_w, 1], padding="SAME")
        biases = tf.get_variable("biases", [output_dim], initializer=tf.constant_initializer(0.0))
        return tf.nn.bias_add(conv, biases)


def batch_norm(x, name):
    return tf.contrib.layers.batch_norm(x, decay=0.9, epsilon=1e-5, scale=True,
                                        is_training=True, scope=name)


def lrelu(x, leak=0.2):
    return tf.maximum(x, leak * x)


def discriminator(image, reuse=False):
    if reuse:
        tf.get_variable_scope().reuse_variables()  # EXPECT: any
    h0 = lrelu(conv2d(image, df_dim, name="d_h0_conv"))
    h1 = lrelu(batch_norm(conv2d(h0, df_dim * 2, name="d_h1_conv"), "d_bn1"))
    h2 = lrelu(batch_norm(conv2d(h1, df_dim * 4, name="d_h2_conv"), "d_bn2"))
    h3 = tf.reshape(h2, [batch_size, -1])
    with tf.variable_scope("d_h3_lin"):
        m = tf.get_variable("Matrix", [h3.get_shape()[1], 1])
        h4 = tf.matmul(h3, m)
    return tf.nn.sigmoid(h4), h4


images = tf.placeholder(tf.float32, [batch_size, output_size, output_size, c_dim], name="real_images")
G = tf.placeholder(tf.float32, [batch_size, output_size, output_size, c_dim], name="G")
D, D_logits = discriminator(images)
D_, D_logits_ = discriminator(G, reuse=True)
d_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits, labels=tf.ones_like(D))) + \
    tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits_, labels=tf.zeros_like(D_)))
d_vars = [var for var in tf.trainable_variables() if "d_" in var.name]

with tf.variable_scope(tf.get_variable_scope(), reuse=None):
    d_optim = tf.train.AdamOptimizer(0.0002, beta1=0.5).minimize(d_loss, var_list=d_vars)
